"""Evidence (the working paper's Table A), outputs, and the changes they support."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import Coalesce

from evidence import enums
from evidence.models import EvidenceItem
from reports.metrics.portability import ListAgg
from reports.metrics.scope import MetricScope
from reports.metrics.shapes import Breakdown, CrossTab, breakdown_of, crosstab_of
from reports.tallies import tallied


@dataclass(frozen=True)
class DataSourceRow:
    """One row of the programme's published list of data sources, as that list gives it."""

    evidence_id: int
    row: int
    title: str
    authorship: str  # label


@dataclass(frozen=True)
class TableA:
    """The working paper's Table A: the data sources it lists, row by row; and all evidence by
    authorship (rows) and order (columns), and the same split by kind (rows kinds, columns
    "order/authorship" pairs)."""

    data_sources: list[DataSourceRow]
    by_authorship: CrossTab
    by_kind: CrossTab


def _data_sources(*, scope: MetricScope) -> list[DataSourceRow]:
    """The evidence items in scope that the published list of data sources names, in its order.

    The list gives each row's authorship but not its order, so neither does this; a restricted
    or personal-data item is left out, as its title can disclose what it holds.
    """
    rows = (
        scope.evidence()
        .filter(data_source_row__isnull=False, sensitivity__in=enums.TITLED_SENSITIVITIES)
        .order_by("data_source_row", "pk")
        .values_list("pk", "data_source_row", "title", "authorship")
    )
    return [
        DataSourceRow(
            evidence_id=pk,
            row=row,
            title=title,
            authorship=str(enums.Authorship(authorship).label),
        )
        for pk, row, title, authorship in rows
    ]


def evidence_table_a(*, scope: MetricScope) -> TableA:
    """The data sources in scope, and the evidence items in scope cross-tabulated by kind, order
    and authorship."""
    kept = tallied(scope, EvidenceItem, "kind", "order", "authorship")
    rows = (
        [(*values, n) for values, n in kept.items()]
        if kept is not None
        else scope.evidence()
        .order_by()
        .values_list("kind", "order", "authorship")
        .annotate(n=Count("pk"))
    )
    by_authorship: dict = {}
    by_kind: dict = {}
    for kind, order, authorship, n in rows:
        by_authorship[authorship, order] = by_authorship.get((authorship, order), 0) + n
        by_kind[kind, f"{order}/{authorship}"] = n
    pairs = [
        (f"{order}/{authorship}", f"{order_label}, {authorship_label}")
        for order, order_label in enums.EvidenceOrder.choices
        for authorship, authorship_label in enums.Authorship.choices
    ]
    return TableA(
        data_sources=_data_sources(scope=scope),
        by_authorship=crosstab_of(
            enums.Authorship.choices, enums.EvidenceOrder.choices, by_authorship
        ),
        by_kind=crosstab_of(enums.EvidenceKind.choices, pairs, by_kind),
    )


def evidence_by_use(*, scope: MetricScope) -> Breakdown:
    """Evidence items in scope by use (instrumental, conceptual, both), then not recorded."""
    kept = tallied(scope, EvidenceItem, "use")
    counts = (
        {use: n for (use,), n in kept.items()}
        if kept is not None
        else dict(scope.evidence().order_by().values_list("use").annotate(n=Count("pk")))
    )
    return breakdown_of(enums.EvidenceUse, counts)


@dataclass(frozen=True)
class OutputsSummary:
    total: int
    by_kind: Breakdown
    by_form: Breakdown
    by_status: Breakdown


def outputs_summary(*, scope: MetricScope) -> OutputsSummary:
    """Outputs in scope by kind, by form (formal/creative) and by status."""
    rows = list(
        scope.outputs().order_by().values_list("kind", "form", "status").annotate(n=Count("pk"))
    )
    by: tuple[dict, dict, dict] = ({}, {}, {})
    for *values, n in rows:
        for counts, value in zip(by, values, strict=True):
            counts[value] = counts.get(value, 0) + n
    return OutputsSummary(
        total=sum(n for *_, n in rows),
        by_kind=breakdown_of(enums.OutputKind, by[0]),
        by_form=breakdown_of(enums.OutputForm, by[1]),
        # An output without a status is of unknown status, as its page says, and the list
        # has a filter for it: so its bar links there.
        by_status=breakdown_of(
            enums.OutputStatus,
            by[2],
            blank=(enums.OUTPUT_STATUS_UNKNOWN, enums.OUTPUT_STATUS_UNKNOWN_LABEL),
        ),
    )


@dataclass(frozen=True)
class OutputRow:
    output_id: int
    title: str
    kind: str  # label
    form: str  # label
    status: str  # label
    date: dt.date | None  # published, else consultation, else drafted
    date_precision: str
    groups: tuple[str, ...]  # group names, alphabetical


def outputs_list(*, scope: MetricScope) -> list[OutputRow]:
    """Outputs in scope, formal then creative, each by date then title."""
    form_rank = Case(
        *(When(form=v, then=i) for i, v in enumerate(enums.OutputForm.values)), default=99
    )
    rows = (
        scope.outputs()
        .annotate(
            dated=Coalesce("published_on", "consultation_on", "drafted_on"),
            group_names=ListAgg("groups__name", filter=Q(groups__isnull=False)),
            form_rank=form_rank,
        )
        .order_by("form_rank", F("dated").asc(nulls_last=True), "title", "pk")
        .values_list(
            "pk", "title", "kind", "form", "status", "dated", "date_precision", "group_names"
        )
    )
    return [
        OutputRow(
            output_id=pk,
            title=title,
            kind=str(enums.OutputKind(kind).label),
            form=str(enums.OutputForm(form).label),
            status=enums.output_status_label(status),
            date=dated,
            date_precision=precision,
            groups=tuple(sorted(groups)),
        )
        for pk, title, kind, form, status, dated, precision, groups in rows
    ]


def changes_summary(*, scope: MetricScope) -> CrossTab:
    """Changes in scope by type (rows, ChangeType order) and level (columns, ChangeLevel)."""
    counts = {
        (type_, level): n
        for type_, level, n in scope.changes()
        .order_by()
        .values_list("type", "level")
        .annotate(n=Count("pk"))
    }
    return crosstab_of(enums.ChangeType.choices, enums.ChangeLevel.choices, counts)


@dataclass(frozen=True)
class ChangeRow:
    change_id: int
    title: str
    type: str  # label
    level: str  # label
    date: dt.date | None
    date_precision: str
    group: str  # the group's name, or ""
    evidence: tuple[str, ...]  # titles of the supporting evidence, alphabetical
    outputs: tuple[str, ...]  # titles of the supporting outputs, alphabetical
    withheld_evidence: int = 0  # restricted or personal items: counted, never titled


def changes_with_evidence(*, scope: MetricScope) -> list[ChangeRow]:
    """Changes in scope, by type order then date then title, each with what supports it."""
    type_rank = Case(
        *(When(type=v, then=i) for i, v in enumerate(enums.ChangeType.values)), default=99
    )
    rows = (
        scope.changes()
        .annotate(
            type_rank=type_rank,
            evidence_titles=ListAgg(
                "evidence__title", filter=Q(evidence__sensitivity__in=enums.TITLED_SENSITIVITIES)
            ),
            withheld=Count(
                "evidence",
                distinct=True,
                filter=Q(evidence__isnull=False)
                & ~Q(evidence__sensitivity__in=enums.TITLED_SENSITIVITIES),
            ),
            output_titles=ListAgg("outputs__title", filter=Q(outputs__isnull=False)),
        )
        .order_by("type_rank", F("date").asc(nulls_last=True), "title", "pk")
        .values_list(
            "pk",
            "title",
            "type",
            "level",
            "date",
            "date_precision",
            "group__name",
            "evidence_titles",
            "output_titles",
            "withheld",
        )
    )
    return [
        ChangeRow(
            change_id=pk,
            title=title,
            type=str(enums.ChangeType(type_).label),
            level=str(enums.ChangeLevel(level).label),
            date=date,
            date_precision=precision,
            group=group or "",
            evidence=tuple(sorted(evidence)),
            outputs=tuple(sorted(outputs)),
            withheld_evidence=withheld,
        )
        for pk, title, type_, level, date, precision, group, evidence, outputs, withheld in rows
    ]
