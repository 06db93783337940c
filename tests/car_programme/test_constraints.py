"""The database itself refuses impossible rows, whatever code writes them."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.enums import RoleKind
from events.enums import EventKind
from evidence.enums import OutputStatus
from inquiries.enums import LeaveReason, MembershipRole
from reports.enums import ReportKind, ReportStatus
from reports.models import ReportRequest
from tests import factories
from tests.database import refused_by

pytestmark = pytest.mark.django_db

JUNE_2016 = dt.date(2016, 6, 1)
JUNE_2015 = dt.date(2015, 6, 1)


def refused(make, constraint):
    with refused_by(constraint):
        make()


@pytest.mark.parametrize(
    ("make", "start", "constraint"),
    [
        (factories.InquiryGroupFactory, "start_date", "group_ends_after_start"),
        (factories.ProgrammeFactory, "start_date", "programme_ends_after_start"),
        (factories.CycleFactory, "start_date", "cycle_ends_after_start"),
        (factories.ActivityFactory, "date", "activity_ends_after_start"),
        (factories.EventFactory, "start_date", "event_ends_after_start"),
    ],
    ids=["group", "programme", "cycle", "activity", "event"],
)
def test_record_ending_before_it_starts_is_refused(make, start, constraint):
    refused(lambda: make(**{start: JUNE_2016, "end_date": JUNE_2015}), constraint)


def test_second_open_membership_of_one_group_is_refused():
    membership = factories.MembershipFactory(role=MembershipRole.CORE)
    refused(
        lambda: factories.MembershipFactory(
            group=membership.group, person=membership.person, role=MembershipRole.PERIPHERY
        ),
        "membership_one_open_per_person",
    )


def test_new_membership_after_closing_the_old_one_is_accepted():
    membership = factories.MembershipFactory(role=MembershipRole.CORE)
    membership.left_on = JUNE_2016
    membership.leave_reason = LeaveReason.ROLE_CHANGE
    membership.save(update_fields=["left_on", "leave_reason"])

    factories.MembershipFactory(
        group=membership.group,
        person=membership.person,
        role=MembershipRole.PERIPHERY,
        joined_on=JUNE_2016,
    )

    assert membership.group.memberships.count() == 2


def test_membership_leaving_before_joining_is_refused():
    refused(
        lambda: factories.MembershipFactory(joined_on=JUNE_2016, left_on=JUNE_2015),
        "membership_left_after_joined",
    )


def test_leave_reason_without_leaving_is_refused():
    refused(
        lambda: factories.MembershipFactory(leave_reason=LeaveReason.CAPACITY),
        "membership_reason_only_when_left",
    )


@pytest.mark.parametrize("score", [0, 6])
def test_likert_answer_outside_one_to_five_is_refused(score):
    refused(lambda: factories.FeedbackAnswerFactory(score=score), "feedback_score_likert_range")


@pytest.mark.parametrize("score", [1, 5])
def test_likert_answer_at_the_ends_of_the_scale_is_accepted(score):
    assert factories.FeedbackAnswerFactory(score=score).score == score


def test_empty_feedback_answer_is_refused():
    refused(
        lambda: factories.FeedbackAnswerFactory(score=None, text=""), "feedback_answer_not_empty"
    )


def test_zero_attendance_count_is_refused():
    refused(lambda: factories.AttendanceCountFactory(count=0), "attendance_count_positive")


def test_two_total_attendance_counts_for_one_event_are_refused():
    first = factories.AttendanceCountFactory(organisation=None)
    refused(
        lambda: factories.AttendanceCountFactory(event=first.event, organisation=None),
        "attendance_count_one_total",
    )


def test_zero_count_tally_is_refused():
    refused(lambda: factories.ActivityFactory(count=0), "activity_count_positive")


def test_same_person_attending_twice_is_refused():
    attendance = factories.AttendanceFactory()
    refused(
        lambda: factories.AttendanceFactory(activity=attendance.activity, person=attendance.person),
        "attendance_unique",
    )


def test_occupation_category_outside_soc_major_groups_is_refused():
    refused(
        lambda: factories.PersonFactory(occupation_category=10), "person_occupation_category_range"
    )


def test_two_people_with_one_pseudonym_are_refused():
    person = factories.PersonFactory(pseudonym="F-001")
    refused(
        lambda: factories.PersonFactory(programme=person.programme, pseudonym="F-001"),
        "person_pseudonym_unique",
    )


def test_publication_date_on_a_draft_output_is_refused():
    refused(
        lambda: factories.OutputFactory(status=OutputStatus.DRAFT, published_on=JUNE_2016),
        "output_published_on_only_when_published",
    )


def test_researcher_role_without_site_is_refused():
    refused(
        lambda: factories.RoleFactory(role=RoleKind.RESEARCHER, site=None), "role_site_matches_kind"
    )


def test_programme_manager_role_tied_to_a_site_is_refused():
    refused(
        lambda: factories.RoleFactory(role=RoleKind.PROGRAMME_MANAGER), "role_site_matches_kind"
    )


def test_duplicate_programme_manager_role_is_refused():
    role = factories.RoleFactory(role=RoleKind.PROGRAMME_MANAGER, site=None)
    refused(
        lambda: factories.RoleFactory(
            user=role.user, programme=role.programme, role=RoleKind.PROGRAMME_MANAGER, site=None
        ),
        "role_unique_programme_wide",
    )


def test_site_report_without_site_is_refused():
    programme = factories.ProgrammeFactory()
    refused(
        lambda: ReportRequest.objects.create(programme=programme, kind=ReportKind.SITE),
        "report_target_matches_kind",
    )


def test_group_report_naming_a_site_is_refused():
    group = factories.InquiryGroupFactory()
    site = factories.CaseSiteFactory(programme=group.programme)
    refused(
        lambda: ReportRequest.objects.create(
            programme=group.programme, kind=ReportKind.GROUP_LEARNING, group=group, site=site
        ),
        "report_target_matches_kind",
    )


def test_ready_report_without_file_is_refused():
    programme = factories.ProgrammeFactory()
    refused(
        lambda: ReportRequest.objects.create(
            programme=programme, kind=ReportKind.END_OF_PROGRAMME, status=ReportStatus.READY
        ),
        "report_ready_has_file",
    )


def test_user_history_records_who_changed_a_group():
    user = factories.UserFactory()
    group = factories.InquiryGroupFactory()
    group._history_user = user
    group.topic = "Welfare reform"
    group.save(update_fields=["topic"])

    latest = group.history.first()

    assert (latest.topic, latest.history_user) == ("Welfare reform", user)


# --- What a refused row tells its user --------------------------------------------------------

CONSTRAINTS = [
    (model, constraint)
    for model in apps.get_models()
    for constraint in model._meta.constraints
    if not model.__name__.startswith("Historical")
]


def test_the_walk_finds_every_app_s_constraints():
    apps_with_constraints = {model._meta.app_label for model, _ in CONSTRAINTS}

    assert {
        "accounts",
        "sites",
        "inquiries",
        "evidence",
        "events",
        "reports",
    } <= apps_with_constraints


@pytest.mark.parametrize(
    ("model", "constraint"),
    CONSTRAINTS,
    ids=[f"{model.__name__}.{constraint.name}" for model, constraint in CONSTRAINTS],
)
def test_every_constraint_explains_itself_in_plain_words(model, constraint):
    message = constraint.get_violation_error_message()

    assert constraint.violation_error_message != constraint.default_violation_error_message
    assert constraint.name not in message
    assert "_" not in message  # no field or constraint name either
    assert message[0].isupper() and message.endswith(".")


def test_a_form_refused_by_a_constraint_says_why(client):
    site = factories.CaseSiteFactory()
    researcher = factories.RoleFactory(programme=site.programme, site=site).user
    client.force_login(researcher)

    response = client.post(
        reverse("events:event_create"),
        {
            "programme": site.programme.pk,
            "title": "Home retreat",
            "kind": EventKind.HOME_RETREAT,
            "start_date": "2016-03-02",
            "end_date": "2016-03-01",
            "sites": [site.pk],
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in page
    assert "event_ends_after_start" not in page
