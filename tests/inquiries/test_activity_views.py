import datetime as dt
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inquiries.enums import ActivityKind, LeaveReason, MembershipRole, Phase, ResearcherRole
from inquiries.models import Activity, Attachment, Membership, Person
from tests import factories
from tests.cast import FIFE_EDIT_PAGE, FIFE_READ_PAGE, PAGE_ROLES, as_user, page_as, refused_as

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00"

ROLES = [*PAGE_ROLES, "anonymous"]


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


def researcher_posts(client, cast, name, data, **headers):
    """The Fife researcher posts ``data`` to the Fife group's page called ``name``."""
    client.force_login(cast.fife_researcher)
    return client.post(reverse(name, args=[cast.group.pk]), data, **headers)


def log_posts(client, cast, **overrides):
    """The Fife researcher logs an activity of the Fife group: ``log_data(**overrides)``."""
    return researcher_posts(client, cast, "inquiries:activity_create", log_data(**overrides))


def attendee_add_posts(client, cast, data, **headers):
    """The Fife researcher adds a person through the Fife group's attendance checklist."""
    return researcher_posts(client, cast, "inquiries:activity_attendee_add", data, **headers)


def log_data(**overrides):
    data = {
        "date": "2016-03-01",
        "kind": ActivityKind.GROUP_MEETING,
        "title": "Sanctions data session",
        "duration_minutes": "90",
        "cycle": "",
        "phase": Phase.EXPLORE,
        "researcher_roles": [ResearcherRole.MEETING_FACILITATION],
        "attendees": [],
        "notes": "",
    }
    data.update(overrides)
    return data


def ticked(page):
    """The person ids whose attendance checkbox is checked in ``page``."""
    boxes = re.findall(r'<input[^>]*name="attendees"[^>]*>', page)
    return {int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes if " checked" in box}


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [name for _, _, names in os.walk(root) for name in names] if root.exists() else []


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
    """The person ids offered by the picker of the rest of the programme."""
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


# --- Files ------------------------------------------------------------------------------------


def test_upload_too_large_refused_before_storing(client, cast, settings):
    settings.UPLOAD_MAX_BYTES = 100

    response = log_posts(
        client,
        cast,
        attachments=[SimpleUploadedFile("big.pdf", PDF + b"0" * 200, "application/pdf")],
    )

    errors = response.context["form"].errors["attachments"]
    assert "at most 100" in errors[0]
    assert "at most 100" in response.content.decode()
    assert not Activity.objects.exists()
    assert stored_files(settings) == []


def test_executable_renamed_pdf_refused(client, cast, settings):

    response = log_posts(
        client, cast, attachments=[SimpleUploadedFile("minutes.pdf", EXE, "application/pdf")]
    )

    assert "not a file type accepted" in response.context["form"].errors["attachments"][0]
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def attachment_for(cast, content=PDF, name="minutes.pdf"):
    activity = factories.ActivityFactory(programme=cast.programme, group=cast.group, site=cast.fife)
    attachment = Attachment(activity=activity, original_name=name)
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("fife_researcher", 200),
        ("glasgow_researcher", 200),
        ("fife_lead", 404),
        ("glasgow_lead", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ],
)
def test_attachment_download_asks_the_rules(client, cast, role, expected):
    attachment = attachment_for(cast)
    response = page_as(client, cast, role, "inquiries:attachment_download", attachment)

    assert refused_as(response, expected)
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="minutes.pdf"' in response["Content-Disposition"]


def test_attachment_download_never_serves_markup_type(client, cast):
    attachment = attachment_for(cast, content=b"plain words", name="page.html")
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:attachment_download", args=[attachment.pk]))

    assert response["Content-Type"] == "application/octet-stream"


def uploaded_and_downloaded(client, cast, upload):
    client.force_login(cast.fife_researcher)
    client.post(
        reverse("inquiries:activity_create", args=[cast.group.pk]), log_data(attachments=[upload])
    )
    attachment = Attachment.objects.get()
    return attachment, client.get(reverse("inquiries:attachment_download", args=[attachment.pk]))


def test_attachment_is_served_by_its_checked_type_never_by_its_name(client, cast):
    upload = SimpleUploadedFile("minutes.html", PDF, "text/html")

    attachment, response = uploaded_and_downloaded(client, cast, upload)

    assert attachment.original_name == "minutes.html"
    assert attachment.file.name.endswith(".pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'


def test_attachment_of_text_named_as_an_image_is_served_as_text(client, cast):
    upload = SimpleUploadedFile("photo.png", b"plain words", "image/png")

    _, response = uploaded_and_downloaded(client, cast, upload)

    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="photo.txt"'


def test_attachment_download_is_sandboxed_and_kept_by_no_cache(client, cast):
    _, response = uploaded_and_downloaded(client, cast, SimpleUploadedFile("a.pdf", PDF))

    assert (
        response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    )
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_files_have_no_public_url(client, cast, settings):
    attachment = attachment_for(cast)
    client.force_login(cast.manager)

    response = client.get("/media/" + attachment.file.name)

    assert response.status_code == 404


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


# --- Tallies ----------------------------------------------------------------------------------


def tally_posts(client, cast, **fields):
    """The Fife researcher records a week's tally: Fife's emails unless ``fields`` say otherwise."""
    client.force_login(cast.fife_researcher)
    data = {"site": cast.fife.pk, "kind": ActivityKind.EMAIL, "week_start": "2016-02-01"}
    return client.post(reverse("inquiries:tally_create"), data | fields)


def test_tally_recorded_as_activity_with_count_and_week(client, cast):
    response = tally_posts(client, cast, direction="incoming", count="12")

    tally = Activity.objects.get()
    assert response.status_code == 302
    assert (tally.site, tally.kind, tally.direction, tally.count) == (
        cast.fife,
        ActivityKind.EMAIL,
        "incoming",
        12,
    )
    assert (tally.date, tally.end_date, tally.group) == (
        dt.date(2016, 2, 1),
        dt.date(2016, 2, 7),
        None,
    )


def test_tally_refuses_site_of_another_researcher(client, cast):
    response = tally_posts(client, cast, site=cast.glasgow.pk, count="3")

    assert "site" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_tally_refuses_meeting_kind_and_keeps_input(client, cast):
    response = tally_posts(client, cast, kind=ActivityKind.GROUP_MEETING, count="7")

    assert "kind" in response.context["form"].errors
    assert 'value="7"' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("fife_researcher", 200),
        ("glasgow_researcher", 200),
        ("fife_lead", 403),
        ("anonymous", "login"),
    ],
)
def test_tally_form_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.get(reverse("inquiries:tally_create"))

    assert refused_as(response, expected)
    if expected == 200:
        offered = set(response.context["form"].fields["site"].queryset)
        assert (
            offered
            == {
                "manager": {cast.fife, cast.glasgow},
                "fife_researcher": {cast.fife},
                "glasgow_researcher": {cast.glasgow},
            }[role]
        )


def test_tally_edit_uses_tally_form(client, cast):
    tally = factories.ActivityFactory(
        programme=cast.programme,
        group=None,
        site=cast.fife,
        kind=ActivityKind.PHONE_CALL,
        count=4,
        date=dt.date(2016, 2, 1),
        end_date=dt.date(2016, 2, 7),
    )
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:activity_update", args=[tally.pk]),
        {
            "site": cast.fife.pk,
            "kind": ActivityKind.PHONE_CALL,
            "count": "5",
            "week_start": "2016-02-08",
        },
    )

    tally.refresh_from_db()
    assert response.status_code == 302
    assert (tally.count, tally.date, tally.end_date) == (
        5,
        dt.date(2016, 2, 8),
        dt.date(2016, 2, 14),
    )


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
