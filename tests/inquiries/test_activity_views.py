import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from inquiries.enums import ActivityKind, LeaveReason, MembershipRole, Phase, ResearcherRole
from inquiries.models import Activity, Membership, Person
from inquiries.selectors import activity_list_for_user
from tests import factories
from tests.cast import FIFE_EDIT_PAGE, FIFE_READ_PAGE, as_user, page_as, refused_as
from tests.inquiries.activities import (
    PDF,
    attachment_for,
    attendee_add_posts,
    log_data,
    log_posts,
)

pytestmark = pytest.mark.django_db


def members(group, core=2, periphery=1):
    core_people = [
        factories.MembershipFactory(
            group=group, role=MembershipRole.CORE, person__name=f"Core {n}"
        ).person
        for n in range(core)
    ]
    periphery_people = [
        factories.MembershipFactory(
            group=group, role=MembershipRole.PERIPHERY, person__name=f"Edge {n}"
        ).person
        for n in range(periphery)
    ]
    return core_people, periphery_people


def ticked(page):
    """The person ids whose attendance checkbox is checked in ``page``."""
    boxes = re.findall(r'<input[^>]*name="attendees"[^>]*>', page)
    return {int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes if " checked" in box}


# --- Logging ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_PAGE)
def test_activity_create_allowed_only_to_editors_of_the_group(client, cast, role, expected):
    response = page_as(client, cast, role, "inquiries:activity_create", cast.group)

    assert refused_as(response, expected)


@pytest.mark.parametrize("role", ["glasgow_researcher", "fife_lead", "anonymous"])
def test_activity_create_post_refused_writes_nothing(client, cast, role):
    as_user(client, cast, role)

    client.post(reverse("inquiries:activity_create", args=[cast.group.pk]), log_data())

    assert not Activity.objects.exists()


def test_activity_log_saves_attendance_roles_cycle_and_file(client, cast, settings):
    core, periphery = members(cast.group)
    cycle = factories.CycleFactory(group=cast.group, number=1)

    response = log_posts(
        client,
        cast,
        cycle=str(cycle.pk),
        attendees=[str(core[0].pk), str(periphery[0].pk)],
        researcher_roles=[ResearcherRole.MEETING_FACILITATION, ResearcherRole.NETWORKING],
        notes="We looked at **sanctions**.",
        attachments=[SimpleUploadedFile("minutes.pdf", PDF, "application/pdf")],
    )

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inquiries:activity_detail", args=[activity.pk])
    assert (activity.date, activity.duration_minutes, activity.cycle, activity.phase) == (
        dt.date(2016, 3, 1),
        90,
        cycle,
        Phase.EXPLORE,
    )
    assert (activity.programme, activity.site, activity.recorded_by) == (
        cast.programme,
        cast.fife,
        cast.fife_researcher,
    )
    assert set(activity.attendees.all()) == {core[0], periphery[0]}
    assert set(activity.researcher_roles.values_list("role", flat=True)) == {
        ResearcherRole.MEETING_FACILITATION,
        ResearcherRole.NETWORKING,
    }
    attachment = activity.attachments.get()
    assert attachment.original_name == "minutes.pdf"
    assert "minutes" not in attachment.file.name
    assert activity.history.get().history_user == cast.fife_researcher


def test_save_and_log_another_opens_a_new_form_with_the_same_date_and_kind(client, cast):
    response = log_posts(client, cast, another="1", kind=ActivityKind.WORKSHOP)

    assert Activity.objects.get().title == "Sanctions data session"
    next_form = client.get(response["Location"])
    assert response["Location"] == (
        reverse("inquiries:activity_create", args=[cast.group.pk])
        + "?date=2016-03-01&kind=workshop"
    )
    assert next_form.context["form"]["date"].value() == dt.date(2016, 3, 1)
    assert next_form.context["form"]["kind"].value() == ActivityKind.WORKSHOP


def test_the_log_form_ticks_everyone_with_a_button_and_skips_to_attendance(client, cast):
    members(cast.group)
    client.force_login(cast.fife_researcher)

    page = client.get(reverse("inquiries:activity_create", args=[cast.group.pk])).content.decode()

    assert '<a href="#attendance">Skip to attendance</a>' in page
    assert 'data-tick="all"' in page
    assert 'data-tick="none"' in page
    assert "Save and log another" in page


def test_activity_form_lists_todays_members_core_first(client, cast):
    core, periphery = members(cast.group, core=1, periphery=1)
    left = factories.MembershipFactory(
        group=cast.group, person__name="Gone Member", left_on=dt.date(2015, 9, 1)
    )
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:activity_create", args=[cast.group.pk]))

    page = response.content.decode()
    assert page.index(core[0].name) < page.index(periphery[0].name)
    assert checklist(page) == {core[0].pk, periphery[0].pk}
    assert left.person.pk in picker(page)


def _leaver_and_newcomer(group):
    """A core member who left on 1 September 2015, and one who joined on 1 January 2016."""
    leaver = factories.MembershipFactory(
        group=group,
        person__name="Gone Member",
        joined_on=dt.date(2015, 1, 5),
        left_on=dt.date(2015, 9, 1),
        leave_reason=LeaveReason.CAPACITY,
    ).person
    newcomer = factories.MembershipFactory(
        group=group, person__name="New Member", joined_on=dt.date(2016, 1, 1)
    ).person
    return leaver, newcomer


def checklist(page):
    """The person ids offered as attendance checkboxes in ``page``."""
    boxes = re.findall(r'<input[^>]*name="attendees"[^>]*>', page)
    return {int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes}


def picker(page):
    """The person ids offered by the picker of anyone else who took part."""
    (select,) = re.findall(r'<select[^>]*name="others".*?</select>', page, flags=re.S)
    return {int(pk) for pk in re.findall(r'value="(\d+)"', select)}


def test_meeting_log_offers_the_members_on_the_activitys_date(client, cast):
    leaver, newcomer = _leaver_and_newcomer(cast.group)
    client.force_login(cast.fife_researcher)

    saved = client.post(
        reverse("inquiries:activity_create", args=[cast.group.pk]),
        log_data(date="2015-06-10", attendees=[str(leaver.pk)]),
    )
    activity = Activity.objects.get(title="Sanctions data session")
    edit = client.get(reverse("inquiries:activity_update", args=[activity.pk])).content.decode()

    assert saved.status_code == 302
    assert list(activity.attendees.all()) == [leaver]
    assert checklist(edit) == {leaver.pk}
    assert newcomer.pk in picker(edit)


def test_a_meeting_typed_with_an_old_date_comes_back_with_that_days_members(client, cast):
    leaver, _ = _leaver_and_newcomer(cast.group)
    client.force_login(cast.fife_researcher)

    page = client.post(
        reverse("inquiries:activity_create", args=[cast.group.pk]),
        # A duration of none keeps the form open, with the checklist of the date typed.
        log_data(date="2015-06-10", duration_minutes="0"),
    )

    assert page.status_code == 200
    assert checklist(page.content.decode()) == {leaver.pk}


def test_editing_an_old_meeting_keeps_its_attendees(client, cast):
    leaver, _ = _leaver_and_newcomer(cast.group)
    activity = factories.ActivityFactory(
        programme=cast.programme, group=cast.group, date=dt.date(2015, 6, 10)
    )
    factories.AttendanceFactory(activity=activity, person=leaver)
    url = reverse("inquiries:activity_update", args=[activity.pk])
    client.force_login(cast.fife_researcher)

    response = client.get(url)
    client.post(url, log_data(date="2015-06-10", attendees=[str(leaver.pk)]))

    assert ticked(response.content.decode()) == {leaver.pk}
    # Listed in the role held that day, not as someone who is no longer a member.
    assert [
        (role, [box.choice_label for box in boxes])
        for role, boxes in response.context["form"].attendee_groups()
    ] == [("Core", ["Gone Member"])]
    assert list(activity.attendees.all()) == [leaver]


def test_an_undated_activity_is_edited_with_a_date_required(client, cast):
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group, date=None)
    url = reverse("inquiries:activity_update", args=[activity.pk])
    client.force_login(cast.fife_researcher)

    page = client.get(url)
    refused = client.post(url, log_data(date=""))

    assert page.status_code == 200
    assert refused.status_code == 200
    assert refused.context["form"].errors["date"]


def test_anyone_else_of_the_programme_is_picked_for_an_activity(client, cast):
    members(cast.group, core=1, periphery=0)
    guest = factories.PersonFactory(programme=cast.programme, site=cast.fife, name="Guest Speaker")
    stranger = factories.PersonFactory(name="Other Programme")
    client.force_login(cast.fife_researcher)
    url = reverse("inquiries:activity_create", args=[cast.group.pk])

    offered = picker(client.get(url).content.decode())
    refused = client.post(url, log_data(others=[str(stranger.pk)]))
    client.post(url, log_data(others=[str(guest.pk)]))

    assert guest.pk in offered and stranger.pk not in offered
    assert "others" in refused.context["form"].errors
    assert list(Activity.objects.get().attendees.all()) == [guest]


def test_the_pickers_of_a_group_offer_the_people_of_its_sites(client, cast):
    """Attendance's "anyone else" and a new member are picked among the people of the group's
    sites (and those of no site), not of the whole programme."""
    of_fife = factories.PersonFactory(programme=cast.programme, site=cast.fife)
    of_no_site = factories.PersonFactory(programme=cast.programme, site=None)
    of_glasgow = factories.PersonFactory(programme=cast.programme, site=cast.glasgow)
    client.force_login(cast.fife_researcher)

    at_meeting = picker(
        client.get(reverse("inquiries:activity_create", args=[cast.group.pk])).content.decode()
    )
    to_join = client.get(reverse("inquiries:membership_add", args=[cast.group.pk]))

    offered = set(to_join.context["form"].fields["person"].queryset)
    # The researcher may see the Glasgow person (the programme's researchers read its people).
    assert cast.fife_researcher.has_perm("inquiries.view_person", of_glasgow)
    assert {of_fife.pk, of_no_site.pk} <= set(at_meeting)
    assert of_glasgow.pk not in at_meeting
    assert {of_fife, of_no_site} <= offered and of_glasgow not in offered


def test_activity_log_keeps_input_on_validation_error(client, cast):
    core, _ = members(cast.group)

    response = log_posts(
        client,
        cast,
        date="",
        duration_minutes="0",
        attendees=[str(core[1].pk)],
        notes="Notes typed before the error",
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert set(form.errors) == {"date", "duration_minutes"}
    page = response.content.decode()
    assert "Notes typed before the error" in page
    assert 'value="Sanctions data session"' in page
    assert ticked(page) == {core[1].pk}
    assert not Activity.objects.exists()


def test_activity_log_refuses_cycle_of_another_group(client, cast):
    stranger_cycle = factories.CycleFactory(
        group=factories.InquiryGroupFactory(programme=cast.programme)
    )

    response = log_posts(client, cast, cycle=str(stranger_cycle.pk))

    assert "cycle" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_add_person_without_javascript_keeps_form_and_ticks_them(client, cast):
    core, _ = members(cast.group)

    response = log_posts(
        client,
        cast,
        attendees=[str(core[0].pk)],
        notes="Half-written notes",
        add_person="1",
        **{"new-name": "Nadia Newcomer", "new-role": MembershipRole.PERIPHERY},
    )

    newcomer = Person.objects.get(name="Nadia Newcomer")
    assert Membership.objects.get(person=newcomer).group == cast.group
    form = response.context["form"]
    assert not form.is_bound
    assert set(map(str, form.initial["attendees"])) == {str(core[0].pk), str(newcomer.pk)}
    page = response.content.decode()
    assert "Half-written notes" in page
    assert 'value="Sanctions data session"' in page
    assert not Activity.objects.exists()


def test_add_person_with_htmx_swaps_checklist_keeping_ticks(client, cast):
    core, _ = members(cast.group)

    data = {
        "attendees": [str(core[1].pk)],
        "new-name": "Nadia Newcomer",
        "new-role": MembershipRole.CORE,
    }
    response = attendee_add_posts(client, cast, data, HTTP_HX_REQUEST="true")

    newcomer = Person.objects.get(name="Nadia Newcomer")
    page = response.content.decode()
    assert 'id="attendance"' in page
    assert "<html" not in page
    checked = ticked(page)
    assert checked == {core[1].pk, newcomer.pk}
    assert newcomer.memberships.get().role == MembershipRole.CORE


def test_add_person_with_htmx_refused_to_strategy_lead(client, cast):
    client.force_login(cast.fife_lead)

    response = client.post(
        reverse("inquiries:activity_attendee_add", args=[cast.group.pk]),
        {"new-name": "Nadia Newcomer", "new-role": MembershipRole.CORE},
    )

    assert response.status_code == 403
    assert not Person.objects.filter(name="Nadia Newcomer").exists()


def test_add_person_missing_name_shows_error_and_keeps_ticks(client, cast):
    core, _ = members(cast.group)

    data = {"attendees": [str(core[0].pk)], "new-name": "", "new-role": MembershipRole.CORE}
    response = attendee_add_posts(client, cast, data)

    assert "name" in response.context["new_form"].errors
    assert ticked(response.content.decode()) == {core[0].pk}


# --- Detail, notes ----------------------------------------------------------------------------


def test_notes_rendered_as_sanitised_markdown(client, cast):
    activity = factories.ActivityFactory(
        programme=cast.programme,
        group=cast.group,
        notes="**Tension** in the group\n\n<script>alert('x')</script>\n\n"
        "[link](javascript:alert(1)) <img src=x onerror=alert(2)>",
    )
    client.force_login(cast.fife_researcher)

    page = client.get(reverse("inquiries:activity_detail", args=[activity.pk])).content.decode()

    assert "<strong>Tension</strong>" in page
    assert "alert('x')" not in page
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page


def test_strategy_lead_reads_activity_without_notes_or_files(client, cast):
    attachment = attachment_for(cast)
    attachment.activity.notes = "Tension between members"
    attachment.activity.save()
    client.force_login(cast.fife_lead)

    response = client.get(reverse("inquiries:activity_detail", args=[attachment.activity.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Tension between members" not in page
    assert "minutes.pdf" not in page


def test_activity_detail_shows_pseudonyms_to_strategy_lead(client, cast):
    attendance = factories.AttendanceFactory(
        activity__programme=cast.programme,
        activity__group=cast.group,
        person__name="Alison Hidden",
    )
    client.force_login(cast.fife_lead)

    page = client.get(
        reverse("inquiries:activity_detail", args=[attendance.activity.pk])
    ).content.decode()

    assert "Alison Hidden" not in page
    assert attendance.person.pseudonym in page


@pytest.mark.parametrize(("role", "expected"), FIFE_READ_PAGE)
def test_activity_detail_per_role(client, cast, role, expected):
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group)
    response = page_as(client, cast, role, "inquiries:activity_detail", activity)

    assert refused_as(response, expected)


# --- Edit and delete --------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_PAGE)
def test_activity_edit_and_delete_pages_per_role(client, cast, role, expected):
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group)
    as_user(client, cast, role)

    edit = client.get(reverse("inquiries:activity_update", args=[activity.pk]))
    delete = client.get(reverse("inquiries:activity_delete", args=[activity.pk]))

    assert refused_as(edit, expected)
    assert refused_as(delete, expected)


def test_activity_edit_replaces_attendance_and_keeps_others(client, cast):
    core, periphery = members(cast.group)
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group, title="Old")
    factories.AttendanceFactory(activity=activity, person=core[0])
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:activity_update", args=[activity.pk]),
        log_data(title="New title", attendees=[str(periphery[0].pk)]),
    )

    activity.refresh_from_db()
    assert response.status_code == 302
    assert activity.title == "New title"
    assert list(activity.attendees.all()) == [periphery[0]]


def test_activity_edit_page_shows_current_values(client, cast):
    activity = factories.ActivityFactory(
        programme=cast.programme, group=cast.group, title="Sanctions review", notes="Draft"
    )
    client.force_login(cast.fife_researcher)

    form = client.get(reverse("inquiries:activity_update", args=[activity.pk])).context["form"]

    assert form.initial["title"] == "Sanctions review"
    assert form.initial["notes"] == "Draft"


def test_activity_delete_after_confirmation(client, cast, settings):
    attachment = attachment_for(cast)
    activity = attachment.activity
    client.force_login(cast.fife_researcher)

    confirm = client.get(reverse("inquiries:activity_delete", args=[activity.pk]))
    response = client.post(reverse("inquiries:activity_delete", args=[activity.pk]))

    assert "Delete this activity?" in confirm.content.decode()
    assert response["Location"] == cast.group.get_absolute_url()
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_activity_delete_refused_to_other_researcher(client, cast):
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group)
    client.force_login(cast.glasgow_researcher)

    response = client.post(reverse("inquiries:activity_delete", args=[activity.pk]))

    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


# --- List -------------------------------------------------------------------------------------


def test_activity_list_filters_by_group_kind_dates_and_title(client, cast):
    other_group = factories.InquiryGroupFactory(programme=cast.programme)
    other_group.sites.set([cast.fife])
    wanted = factories.ActivityFactory(
        programme=cast.programme, group=cast.group, title="Sanctions", date=dt.date(2016, 3, 1)
    )
    factories.ActivityFactory(
        programme=cast.programme, group=cast.group, title="Sanctions", date=dt.date(2015, 3, 1)
    )
    factories.ActivityFactory(
        programme=cast.programme,
        group=other_group,
        title="Sanctions",
        date=dt.date(2016, 3, 1),
    )
    factories.ActivityFactory(
        programme=cast.programme, group=cast.group, title="Other", date=dt.date(2016, 3, 1)
    )
    factories.ActivityFactory(
        programme=cast.programme,
        group=cast.group,
        title="Sanctions",
        date=dt.date(2016, 3, 1),
        kind=ActivityKind.WORKSHOP,
    )
    client.force_login(cast.fife_researcher)

    response = client.get(
        reverse("inquiries:activity_list"),
        {
            "group": cast.group.pk,
            "kind": ActivityKind.GROUP_MEETING,
            "date_from": "2016-01-01",
            "date_to": "2016-12-31",
            "q": "sanct",
        },
    )

    assert list(response.context["activities"]) == [wanted]


def test_an_undated_activity_reads_date_unknown_last_in_the_list_and_on_its_page(client, cast):
    dated = factories.ActivityFactory(programme=cast.programme, group=cast.group, title="Dated")
    undated = factories.ActivityFactory(
        programme=cast.programme, group=cast.group, title="Undated", date=None
    )
    client.force_login(cast.fife_researcher)

    listed = client.get(reverse("inquiries:activity_list"))
    page = client.get(reverse("inquiries:activity_detail", args=[undated.pk])).content.decode()

    assert list(listed.context["activities"]) == [dated, undated]
    assert "date unknown" in listed.content.decode()
    assert "date unknown" in page


def test_activity_list_shows_only_permitted(client, cast):
    factories.ActivityFactory(programme=cast.programme, group=cast.group, title="Fife meeting")
    client.force_login(cast.glasgow_lead)

    response = client.get(reverse("inquiries:activity_list"))

    assert list(response.context["activities"]) == []


def test_activity_list_refuses_anonymous(client):
    response = client.get(reverse("inquiries:activity_list"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_activity_list_offers_log_link_for_editable_groups(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:activity_list"))
    choose = client.get(reverse("inquiries:activity_create_choose"), {"group": cast.group.pk})

    assert list(response.context["loggable_groups"]) == [cast.group]
    assert choose["Location"] == reverse("inquiries:activity_create", args=[cast.group.pk])


@pytest.mark.parametrize("size", [10, 60])
def test_activity_list_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    for _ in range(size):
        activity = factories.ActivityFactory(
            programme=cast.programme, group=cast.group, site=cast.fife
        )
        factories.AttendanceFactory(activity=activity)
    client.force_login(cast.fife_researcher)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("inquiries:activity_list"))

    assert response.context["paginator"].count == size


def test_a_page_of_the_activity_list_is_read_in_order_not_sorted(cast):
    """PostgreSQL reads a page of the activity list from an index in the list's order,
    instead of sorting every activity the reader may see (42 ms a page at 32 sites)."""
    Activity.objects.bulk_create(
        Activity(
            programme=cast.programme,
            group=cast.group,
            site=cast.fife,
            kind=ActivityKind.GROUP_MEETING,
            date=dt.date(2015, 1, 1) + dt.timedelta(days=day % 900),
        )
        for day in range(3000)
    )
    page = activity_list_for_user(user=cast.fife_researcher)[:25]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inquiries_activity")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = json.dumps(cursor.fetchone()[0])

    assert "activity_newest_first_idx" in plan
    assert '"Node Type": "Sort"' not in plan


@pytest.mark.parametrize("size", [10, 60])
def test_activity_detail_query_count_does_not_grow(
    client, cast, django_assert_max_num_queries, size
):
    attachment = attachment_for(cast)
    for _ in range(size):
        factories.AttendanceFactory(activity=attachment.activity)
    client.force_login(cast.fife_researcher)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("inquiries:activity_detail", args=[attachment.activity.pk]))

    assert len(response.context["attendance"]) == size
