import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from car_programme.exceptions import DomainError
from car_programme.privacy import consent_record, consent_withdraw, person_erase, person_export
from inquiries.enums import ConsentMethod, ConsentUse, MembershipRole
from inquiries.models import Activity, InquiryGroup, Membership, Person
from inquiries.selectors import group_list_with_counts
from tests.factories.accounts import UserFactory
from tests.factories.inquiries import ActivityFactory, AttendanceFactory, MembershipFactory

pytestmark = pytest.mark.django_db

GIVEN = dt.date(2015, 6, 1)
LATER = dt.date(2016, 1, 1)


@pytest.fixture
def member():
    membership = MembershipFactory(
        role=MembershipRole.CORE,
        person__name="Morag Example",
        person__email="morag@example.org",
        person__phone="01592 000000",
        person__job_title="Community Development Manager",
    )
    return membership.person


def test_consent_is_recorded_per_use_with_who_recorded_it(member):
    researcher = UserFactory()

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
    AttendanceFactory(person=member, activity__programme=member.programme)
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

    person_erase(person=member, by=UserFactory())

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
    activity = ActivityFactory(
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
