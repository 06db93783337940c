"""The evidence items, outputs and changes of a scope (``inquiries.scope.RecordScope``).

A site's records are those naming the site and those of its groups; each is dated by its own
date, an output by its latest stage.
"""

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from evidence.models import Change, EvidenceItem, Output
from inquiries.scope import RecordScope, of_groups, within


def evidence_of(scope: RecordScope) -> QuerySet[EvidenceItem]:
    """Evidence items in scope collected within the range (by ``collected_on``)."""
    return _by_sites_or_group(scope, EvidenceItem, "collected_on")


def outputs_of(scope: RecordScope) -> QuerySet[Output]:
    """Outputs in scope dated within the range (published, else in consultation, else
    drafted)."""
    outputs = Output.objects.filter(programme=scope.programme)
    if scope.group is not None:
        outputs = outputs.filter(of_groups(Output, inquirygroup=scope.group))
    elif scope.site is not None:
        own = Output.sites.through.objects.filter(casesite=scope.site)
        outputs = outputs.filter(
            Q(pk__in=own.values("output_id"))
            | of_groups(Output, inquirygroup__in=scope.all_groups())
        )
    return outputs_dated(outputs, scope)


def outputs_dated(outputs: QuerySet[Output], scope: RecordScope) -> QuerySet[Output]:
    """``outputs`` dated within the scope's range by their latest stage (published, else in
    consultation, else drafted); all of them without a range."""
    if not scope.has_range:
        return outputs
    return outputs.alias(dated_on=Coalesce("published_on", "consultation_on", "drafted_on")).filter(
        within(scope, "dated_on")
    )


def changes_of(scope: RecordScope) -> QuerySet[Change]:
    """Changes in scope dated within the range (by ``date``)."""
    return _by_sites_or_group(scope, Change, "date")


def _by_sites_or_group(scope: RecordScope, model, date_field: str) -> QuerySet:
    """The records in scope of a ``model`` with sites of its own and one group: a site's
    records are those naming the site and those of its groups."""
    records = model.objects.filter(programme=scope.programme)
    if scope.group is not None:
        records = records.filter(group=scope.group)
    elif scope.site is not None:
        own = model.sites.through.objects.filter(casesite=scope.site)
        records = records.filter(
            Q(pk__in=own.values(f"{model._meta.model_name}_id")) | Q(group__in=scope.all_groups())
        )
    return records.filter(within(scope, date_field))
