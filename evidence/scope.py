"""The evidence items, outputs and changes of a scope (``inquiries.scope.RecordScope``).

A site's records are those naming the site and those of its groups; each is dated by its own
date, an output by its latest stage.
"""

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from evidence.models import Change, EvidenceItem, Output
from inquiries.scope import RecordScope, any_of, of_groups, within


def evidence_of(scope: RecordScope) -> QuerySet[EvidenceItem]:
    """Evidence items in scope collected within the range (by ``collected_on``)."""
    return _by_sites_or_group(scope, EvidenceItem, "collected_on")


def outputs_of(scope: RecordScope) -> QuerySet[Output]:
    """Outputs in scope dated within the range (published, else in consultation, else
    drafted)."""
    if scope.group is not None:
        outputs = Output.objects.filter(of_groups(Output, inquirygroup=scope.group))
    elif scope.site is not None:
        own = Output.sites.through.objects.filter(casesite=scope.site)
        by_groups = Output.groups.through.objects.filter(inquirygroup__in=scope.all_groups())
        outputs = Output.objects.filter(
            any_of(own.values_list("output_id"), by_groups.values_list("output_id"))
        )
    else:
        outputs = Output.objects.filter(programme=scope.programme)
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
    records are those naming the site and those of its groups.

    A site's or group's records are found from the site or group alone, which are of the
    programme as the records linked to them are (the services link no other): a filter on the
    programme too would have the database read all the programme's records."""
    if scope.group is not None:
        records = model.objects.filter(group=scope.group)
    elif scope.site is not None:
        own = model.sites.through.objects.filter(casesite=scope.site)
        of_group = model.objects.filter(group__in=scope.all_groups())
        records = model.objects.filter(
            any_of(own.values_list(f"{model._meta.model_name}_id"), of_group.values_list("pk"))
        )
    else:
        records = model.objects.filter(programme=scope.programme)
    return records.filter(within(scope, date_field))
