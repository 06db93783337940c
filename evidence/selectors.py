"""Reads of evidence, outputs and changes, always through the rule set.

A detail fetches through the same selector as its list, so a missing record and a forbidden
one both answer 404 and an id reveals nothing.
"""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.rules import permitted
from evidence.models import Change, EvidenceItem, Output
from inquiries.models import Person
from inquiries.selectors import label_order, name_visible
from sites.models import CaseSite


def evidence_list_for_user(*, user) -> QuerySet[EvidenceItem]:
    """The evidence ``user`` may see (restricted and personal items only where allowed)."""
    return (
        permitted(user, "evidence.view_evidenceitem")
        .select_related("programme", "group")
        .prefetch_related(Prefetch("sites", queryset=CaseSite.objects.order_by("name")))
        .order_by("-collected_on", "title", "pk")
    )


def evidence_get_for_user(*, user, pk: int) -> EvidenceItem:
    return get_object_or_404(
        evidence_list_for_user(user=user).select_related("activity", "recorded_by"), pk=pk
    )


def output_list_for_user(*, user) -> QuerySet[Output]:
    return (
        permitted(user, "evidence.view_output")
        .select_related("programme")
        .prefetch_related(
            Prefetch("sites", queryset=CaseSite.objects.order_by("name")),
            "groups",
        )
        .order_by("-published_on", "title", "pk")
    )


def output_get_for_user(*, user, pk: int) -> Output:
    return get_object_or_404(output_list_for_user(user=user), pk=pk)


def output_authors(*, output: Output, user) -> QuerySet[Person]:
    """The output's authors, each with ``name_visible``: a pseudonym stands in otherwise."""
    return output.authors.annotate(name_visible=name_visible(user=user)).order_by(
        label_order(), "pk"
    )


def change_list_for_user(*, user) -> QuerySet[Change]:
    return (
        permitted(user, "evidence.view_change")
        .select_related("programme", "group")
        .prefetch_related(Prefetch("sites", queryset=CaseSite.objects.order_by("name")))
        .order_by("-date", "title", "pk")
    )


def change_get_for_user(*, user, pk: int) -> Change:
    return get_object_or_404(change_list_for_user(user=user), pk=pk)


def changes_supported_by(*, user, queryset: QuerySet[Change]) -> QuerySet[Change]:
    """Changes among ``queryset`` that ``user`` may see, newest first."""
    return permitted(user, "evidence.view_change", queryset).order_by("-date", "title")


def change_links(*, change: Change, user) -> dict[str, QuerySet]:
    """What supports ``change`` and what it led to, each cut down to what ``user`` may see.

    A change may be visible across sites while some of its supporting evidence is restricted:
    the evidence is filtered on its own rule, never inherited from the change.
    """
    return {
        "evidence": permitted(user, "evidence.view_evidenceitem", change.evidence.all()).order_by(
            "title"
        ),
        "outputs": permitted(user, "evidence.view_output", change.outputs.all()).order_by("title"),
        "earlier_changes": changes_supported_by(user=user, queryset=change.earlier_changes.all()),
        "later_changes": changes_supported_by(user=user, queryset=change.later_changes.all()),
    }
