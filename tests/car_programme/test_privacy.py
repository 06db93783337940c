import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder

from car_programme.exceptions import DomainError
from car_programme.privacy import consent_record, consent_withdraw, person_erase, person_export
from events.models import Event
from inquiries.enums import ConsentMethod, ConsentUse, GroupStatus, MembershipRole
from inquiries.models import (
    Activity,
    GroupStatusChange,
    InquiryGroup,
    Membership,
    Person,
    ResearchQuestion,
)
from inquiries.selectors import group_list_with_counts
from reports.enums import ReportKind, ReportStatus
from reports.models import ReportRequest
from tests import factories

pytestmark = pytest.mark.django_db

GIVEN = dt.date(2015, 6, 1)
LATER = dt.date(2016, 1, 1)


@pytest.fixture
def member():
    membership = factories.MembershipFactory(
        role=MembershipRole.CORE,
        person__name="Morag Example",
        person__email="morag@example.org",
        person__phone="01592 000000",
        person__job_title="Community Development Manager",
    )
    return membership.person


def test_consent_is_recorded_per_use_with_who_recorded_it(member):
    researcher = factories.UserFactory()

    consent = consent_record(
        person=member,
        use=ConsentUse.NAMED,
        given_on=GIVEN,
        method=ConsentMethod.WRITTEN,
        by=researcher,
    )

    assert (consent.use, consent.given_on, consent.recorded_by) == (
        ConsentUse.NAMED,
        GIVEN,
        researcher,
    )
    assert consent.history.first().history_user == researcher


def test_consent_to_the_same_use_twice_is_refused(member):
    consent_record(
        person=member, use=ConsentUse.MEDIA, given_on=GIVEN, method=ConsentMethod.VERBAL, by=None
    )

    with pytest.raises(DomainError, match="already consented"):
        consent_record(
            person=member,
            use=ConsentUse.MEDIA,
            given_on=LATER,
            method=ConsentMethod.VERBAL,
            by=None,
        )


def test_withdrawal_closes_every_consent_in_one_step_and_keeps_them(member):
    for use in (ConsentUse.FIRST_ORDER, ConsentUse.NAMED):
        consent_record(
            person=member, use=use, given_on=GIVEN, method=ConsentMethod.WRITTEN, by=None
        )

    withdrawn = consent_withdraw(person=member, on=LATER, by=None)

    assert len(withdrawn) == 2
    assert set(member.consents.values_list("withdrawn_on", flat=True)) == {LATER}


def test_export_covers_every_model_that_refers_to_the_person(member):
    factories.AttendanceFactory(person=member, activity__programme=member.programme)
    consent_record(
        person=member, use=ConsentUse.NAMED, given_on=GIVEN, method=ConsentMethod.WRITTEN, by=None
    )

    exported = person_export(person=member)

    assert exported["person"]["fields"]["name"] == "Morag Example"
    assert len(exported["inquiries.Membership"]) == 1
    assert len(exported["inquiries.Attendance"]) == 1
    assert len(exported["inquiries.Consent"]) == 1
    assert exported["history"]
    json.dumps(exported, cls=DjangoJSONEncoder)


def test_erasure_anonymises_the_person_and_keeps_the_counts(member):
    group = Membership.objects.get(person=member).group

    person_erase(person=member, by=factories.UserFactory())

    member.refresh_from_db()
    assert member.name == f"Erased ({member.pseudonym})"
    assert (member.email, member.phone, member.job_title) == ("", "", "")
    counted = group_list_with_counts(queryset=InquiryGroup.objects.filter(pk=group.pk)).get()
    assert counted.core_count == 1


def test_erasure_leaves_no_trace_of_the_name_in_history(member):
    member.name = "Morag Example"
    member.job_title = "Senior Officer"
    member.save(update_fields=["job_title"])

    person_erase(person=member, by=None)

    history = Person.history.filter(id=member.pk)
    assert history.count() >= 3
    assert not history.filter(name__icontains="Morag").exists()
    assert not history.exclude(email="").exists()


def test_erasure_removes_the_name_from_notes_and_their_history(member):
    activity = factories.ActivityFactory(
        programme=member.programme, notes="morag example challenged the group's assumptions."
    )
    activity.notes += " Agreed next steps."
    activity.save(update_fields=["notes"])

    person_erase(person=member, by=None)

    activity.refresh_from_db()
    assert activity.notes.startswith(member.pseudonym)
    assert not Activity.history.filter(notes__icontains="morag").exists()


def test_erasing_twice_is_refused(member):
    person_erase(person=member, by=None)

    with pytest.raises(DomainError, match="already been erased"):
        person_erase(person=member, by=None)


# --- What erasure rewrites, and what it leaves alone ------------------------------------------


@pytest.fixture
def ann():
    return factories.MembershipFactory(person__name="Ann Smith").person


def test_erasure_matches_whole_names_only_and_leaves_other_words_intact(ann):
    note = (
        "Ann presented. ANN SMITH and ann\nsmith agreed; Smith's draft follows. "
        "Annual planning with Annabel, Joanne and the Smithson trust."
    )
    activity = factories.ActivityFactory(programme=ann.programme, notes=note)

    person_erase(person=ann, by=None)

    activity.refresh_from_db()
    p = ann.pseudonym
    assert activity.notes == (
        f"{p} presented. {p} and {p} agreed; {p}'s draft follows. "
        "Annual planning with Annabel, Joanne and the Smithson trust."
    )


def test_erasure_leaves_titles_and_initials_of_a_name_alone_in_other_text():
    person = factories.MembershipFactory(person__name="Dr J. Morrison").person
    note = "Dr J. Morrison and Dr Patel met; Morrison spoke to J. Patel."
    activity = factories.ActivityFactory(programme=person.programme, notes=note)

    person_erase(person=person, by=None)

    activity.refresh_from_db()
    p = person.pseudonym
    assert activity.notes == f"{p} and Dr Patel met; {p} spoke to J. Patel."


def test_erasure_leaves_a_neighbours_text_in_the_same_programme_untouched(ann):
    factories.PersonFactory(programme=ann.programme, name="Bob Smith")
    neighbour = "Bob Smith chaired the annual planning; Joann Smithers took notes."
    activity = factories.ActivityFactory(programme=ann.programme, notes=neighbour)
    group = factories.InquiryGroupFactory(programme=ann.programme, description="Annual planning.")
    untouched = {
        "activity": Activity.history.filter(id=activity.pk).count(),
        "group": InquiryGroup.history.filter(id=group.pk).count(),
    }

    person_erase(person=ann, by=None)

    activity.refresh_from_db()
    group.refresh_from_db()
    assert activity.notes == neighbour
    assert group.description == "Annual planning."
    assert set(Activity.history.filter(id=activity.pk).values_list("notes", flat=True)) == {
        neighbour
    }
    assert untouched == {
        "activity": Activity.history.filter(id=activity.pk).count(),
        "group": InquiryGroup.history.filter(id=group.pk).count(),
    }


def test_erasure_leaves_another_programmes_records_untouched(ann):
    elsewhere = factories.ProgrammeFactory()
    text = "Ann Smith opened the day; Ann led the annual planning."
    activity = factories.ActivityFactory(programme=elsewhere, notes=text)
    event = factories.EventFactory(programme=elsewhere, summary=text)
    group = factories.InquiryGroupFactory(programme=elsewhere)
    change = GroupStatusChange.objects.create(
        group=group, status=GroupStatus.ACTIVE, changed_on=GIVEN, note=text
    )

    person_erase(person=ann, by=None)

    for record in (activity, event, change):
        record.refresh_from_db()
    assert (activity.notes, event.summary, change.note) == (text, text, text)
    assert set(Activity.history.filter(id=activity.pk).values_list("notes", flat=True)) == {text}
    assert set(Event.history.filter(id=event.pk).values_list("summary", flat=True)) == {text}


def test_erasure_scrubs_every_free_text_of_its_programme_and_their_history(ann):
    programme = ann.programme
    group = Membership.objects.get(person=ann).group
    named = "Notes by Ann Smith."
    records = [
        factories.ActivityFactory(
            programme=programme, group=group, title="Visit to Ann", notes=named
        ),
        GroupStatusChange.objects.create(
            group=group, status=GroupStatus.ACTIVE, changed_on=GIVEN, note=named
        ),
        ResearchQuestion.objects.create(group=group, text=named),
        factories.EvidenceItemFactory(programme=programme, consent_basis=named, description=named),
        factories.OutputFactory(programme=programme, description=named),
        factories.ChangeFactory(programme=programme, description=named),
        factories.EventFactory(programme=programme, organiser="Ann Smith", purpose=named),
    ]
    group.description = named
    group.save(update_fields=["description"])
    records.append(group)
    # The status change's history outlives the row itself.
    removed = GroupStatusChange.objects.create(
        group=group, status=GroupStatus.DORMANT, changed_on=LATER, note=named
    )
    removed.delete()

    person_erase(person=ann, by=None)

    for record in records:
        model = type(record)
        live = model.objects.filter(pk=record.pk).values()[0]
        history = list(model.history.filter(id=record.pk).values())
        for row in [live, *history]:
            assert not any("Ann" in str(value) for value in row.values()), row
    assert not GroupStatusChange.history.filter(id=removed.pk, note__icontains="Ann").exists()


def test_erasure_scrubs_feedback_answers_of_its_programmes_events_only(ann):
    answers = [
        factories.FeedbackAnswerFactory(
            response__form__event__programme=programme, score=None, text="Ann Smith was great"
        )
        for programme in (ann.programme, factories.ProgrammeFactory())
    ]

    person_erase(person=ann, by=None)

    for answer in answers:
        answer.refresh_from_db()
    assert [answer.text for answer in answers] == [
        f"{ann.pseudonym} was great",
        "Ann Smith was great",
    ]


def test_erasure_deletes_the_stored_reports_that_print_the_name(
    ann, django_capture_on_commit_callbacks
):
    group = Membership.objects.get(person=ann).group
    naming, other = (
        ReportRequest(
            programme=group.programme,
            kind=ReportKind.GROUP_LEARNING,
            group=group,
            version=version,
            status=ReportStatus.READY,
            checksum="0" * 64,
        )
        for version in (1, 2)
    )
    for report in (naming, other):
        report.file.save("report.pdf", ContentFile(b"%PDF Ann Smith"), save=False)
        report.docx_file.save("report.docx", ContentFile(b"PK Ann Smith"), save=False)
        report.save()
    naming.named_people.add(ann)
    stored = [Path(naming.file.path), Path(naming.docx_file.path)]

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=ann, by=None)

    assert list(ReportRequest.objects.all()) == [other]
    assert not any(path.exists() for path in stored)
    assert Path(other.docx_file.path).exists()
