import datetime as dt
import json

import pytest
from django.urls import reverse

from car_programme.privacy import consent_withdraw
from inquiries.enums import ConsentMethod, ConsentUse
from reports.enums import ReportKind, ReportStatus
from reports.models import ReportRequest
from tests import factories
from tests.cast import FIFE_EDIT_PAGE, PAGE_ROLES, page_as, refused_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(cast):
    membership = factories.MembershipFactory(
        group=cast.group, person__name="Morag Example", person__site=cast.fife
    )
    return membership.person


@pytest.mark.parametrize("role", PAGE_ROLES)
def test_who_may_record_consent(client, cast, member, role):
    client.force_login(getattr(cast, role))

    client.post(
        reverse("inquiries:consent_record", args=[member.pk]),
        {"use": ConsentUse.NAMED, "given_on": "2016-02-23", "method": ConsentMethod.WRITTEN},
    )

    recorded = member.consents.filter(use=ConsentUse.NAMED).exists()
    assert recorded == (role in {"manager", "fife_researcher"})


def test_consent_records_who_recorded_it_and_withdrawal_closes_all(client, cast, member):
    client.force_login(cast.fife_researcher)
    for use in (ConsentUse.FIRST_ORDER, ConsentUse.NAMED):
        client.post(
            reverse("inquiries:consent_record", args=[member.pk]),
            {"use": use, "given_on": "2016-02-23", "method": ConsentMethod.WRITTEN},
        )

    client.post(reverse("inquiries:consent_withdraw", args=[member.pk]), {"on": "2017-01-05"})

    assert set(member.consents.values_list("recorded_by", flat=True)) == {cast.fife_researcher.pk}
    assert not member.consents.filter(withdrawn_on__isnull=True).exists()


def test_duplicate_consent_is_refused_next_to_the_field(client, cast, member):
    client.force_login(cast.fife_researcher)
    data = {"use": ConsentUse.MEDIA, "given_on": "2016-02-23", "method": ConsentMethod.VERBAL}
    client.post(reverse("inquiries:consent_record", args=[member.pk]), data)

    response = client.post(reverse("inquiries:consent_record", args=[member.pk]), data)

    assert response.status_code == 400
    assert "already consented" in response.context["form"].errors["use"][0]


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_PAGE)
def test_who_may_export_a_persons_data(client, cast, member, role, expected):
    response = page_as(client, cast, role, "inquiries:person_export", member)

    assert refused_as(response, expected)
    if expected == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert json.loads(response.content)["person"]["fields"]["name"] == "Morag Example"


@pytest.mark.parametrize("role", PAGE_ROLES)
def test_only_the_programme_manager_may_erase(client, cast, member, role):
    client.force_login(getattr(cast, role))

    client.post(reverse("inquiries:person_erase", args=[member.pk]))

    member.refresh_from_db()
    assert (member.name != "Morag Example") == (role == "manager")


def test_erase_page_warns_of_the_report_versions_it_will_delete(client, cast, member):
    for version in (1, 2):
        report = ReportRequest.objects.create(
            programme=cast.group.programme,
            kind=ReportKind.GROUP_LEARNING,
            group=cast.group,
            version=version,
            status=ReportStatus.READY,
            file="reports/report.pdf",
            checksum="0" * 64,
        )
        report.named_people.add(member)
    client.force_login(cast.manager)

    page = client.get(reverse("inquiries:person_erase", args=[member.pk]))

    text = " ".join(page.content.decode().split())
    assert "2 stored report versions print their name and will be deleted with their files" in text


def test_erase_page_mentions_no_report_where_none_names_the_person(client, cast, member):
    client.force_login(cast.manager)

    page = client.get(reverse("inquiries:person_erase", args=[member.pk]))

    assert "stored report version" not in page.content.decode()


def test_erased_person_still_counts_on_the_group_page(client, cast, member):
    client.force_login(cast.manager)
    client.post(reverse("inquiries:person_erase", args=[member.pk]))

    page = client.get(cast.group.get_absolute_url())

    assert page.context["group"].core_count == 1
    assert "Morag Example" not in page.content.decode()


# --- Withdrawn consent: every page shows the pseudonym again ---------------------------------


def test_withdrawn_consent_to_be_named_takes_the_name_off_every_page_a_lead_reads(
    client, cast, member
):
    programme = cast.group.programme
    factories.consented_to_be_named(member)
    activity = factories.ActivityFactory(programme=programme, group=cast.group, site=cast.fife)
    factories.AttendanceFactory(activity=activity, person=member)
    event = factories.EventFactory(programme=programme, title="Learning day")
    event.sites.set([cast.fife])
    event.attendees.add(member)
    output = factories.OutputFactory(programme=programme, sites=[cast.fife])
    output.authors.add(member)
    pages = [
        reverse("inquiries:person_detail", args=[member.pk]),
        reverse("inquiries:person_list"),
        reverse("inquiries:group_detail", args=[cast.group.pk]),
        reverse("inquiries:activity_detail", args=[activity.pk]),
        reverse("events:event_detail", args=[event.pk]),
        reverse("evidence:output_detail", args=[output.pk]),
        reverse("search") + "?q=Morag",
    ]
    client.force_login(cast.fife_lead)

    def showing_the_name():
        return [url for url in pages if "Morag Example" in client.get(url).content.decode()]

    before = showing_the_name()
    consent_withdraw(person=member, on=dt.date(2016, 1, 1), by=None)
    after = showing_the_name()

    assert before == pages
    assert after == []
    assert member.pseudonym in client.get(pages[0]).content.decode()
