"""Deleting a synthetic programme, table by table."""

from django.db import models, transaction

from events import models as events_models
from evidence import models as evidence_models
from inquiries import models as inquiries_models
from reports import models as reports_models
from sites import models as sites_models


@transaction.atomic
def programme_delete(*, slug: str) -> None:
    """Delete a synthetic programme and everything in it, fast.

    The row-by-row cascade of ``Model.delete()`` would load every row and write a history row
    for each (simple-history listens to deletes); the bulk rows are removed table by table
    instead, children first, in one transaction (all or nothing); the cascade then handles
    what is left (roles, report requests).
    """
    programme = sites_models.Programme.objects.filter(slug=slug).first()
    if programme is None:
        return
    in_programme = [
        # The rollups kept from the records first: they point at them.
        reports_models.ThemeLink.objects.filter(programme=programme),
        reports_models.ThemeCount.objects.filter(programme=programme),
        reports_models.RecordTally.objects.filter(programme=programme),
        events_models.FeedbackAnswer.objects.filter(response__form__event__programme=programme),
        events_models.FeedbackResponse.objects.filter(form__event__programme=programme),
        events_models.FeedbackQuestion.objects.filter(form__event__programme=programme),
        events_models.FeedbackForm.objects.filter(event__programme=programme),
        events_models.AttendanceCount.objects.filter(event__programme=programme),
        *_m2m_rows(events_models.Event, programme),
        events_models.Event.objects.filter(programme=programme),
        *_m2m_rows(evidence_models.Change, programme),
        evidence_models.Change.objects.filter(programme=programme),
        *_m2m_rows(evidence_models.Output, programme),
        evidence_models.Output.objects.filter(programme=programme),
        *_m2m_rows(evidence_models.EvidenceItem, programme),
        evidence_models.EvidenceItem.objects.filter(programme=programme),
        inquiries_models.CoAttendanceTotal.objects.filter(programme=programme),
        inquiries_models.ActivityMonth.objects.filter(programme=programme),
        inquiries_models.ResearcherRoleMonth.objects.filter(programme=programme),
        inquiries_models.PeopleCount.objects.filter(programme=programme),
        inquiries_models.GroupOrganisationCount.objects.filter(programme=programme),
        inquiries_models.GroupTurnover.objects.filter(programme=programme),
        inquiries_models.CoAttendance.objects.filter(activity__programme=programme),
        inquiries_models.Attendance.objects.filter(activity__programme=programme),
        inquiries_models.Attachment.objects.filter(activity__programme=programme),
        inquiries_models.ActivityResearcherRole.objects.filter(activity__programme=programme),
        *_m2m_rows(inquiries_models.Activity, programme),
        inquiries_models.Activity.objects.filter(programme=programme),
        inquiries_models.Cycle.objects.filter(group__programme=programme),
        inquiries_models.Membership.objects.filter(group__programme=programme),
        inquiries_models.ResearchQuestion.objects.filter(group__programme=programme),
        inquiries_models.GroupStatusChange.objects.filter(group__programme=programme),
        *_m2m_rows(inquiries_models.InquiryGroup, programme),
        inquiries_models.InquiryGroup.objects.filter(programme=programme),
        inquiries_models.Consent.objects.filter(person__programme=programme),
        inquiries_models.Person.objects.filter(programme=programme),
        *_m2m_rows(sites_models.Organisation, programme),
        sites_models.Organisation.objects.filter(programme=programme),
        sites_models.ProposedProject.objects.filter(site__programme=programme),
        sites_models.Theme.objects.filter(programme=programme),
    ]
    for queryset in in_programme:
        queryset._raw_delete(queryset.db)
    programme.delete()


def _m2m_rows(
    model: type[models.Model], programme: sites_models.Programme
) -> list[models.QuerySet]:
    return [
        relation.remote_field.through.objects.filter(
            **{f"{relation.m2m_field_name()}__programme": programme}
        )
        for relation in model._meta.many_to_many
    ]
