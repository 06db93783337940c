import hashlib
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from accounts.enums import RoleKind
from accounts.models import Role
from events.models import Event, FeedbackAnswer
from evidence.models import Change, EvidenceItem, Output
from inquiries.enums import MembershipRole
from inquiries.models import (
    Activity,
    Attendance,
    Consent,
    GroupStatusChange,
    InquiryGroup,
    Membership,
    Person,
)
from programme_data.synthetic import PERIOD_END, PERIOD_START, generate_programme
from sites.models import CaseSite, Organisation, Programme, Theme
from tests.factories.accounts import RoleFactory

pytestmark = pytest.mark.django_db


def fingerprint(programme: Programme) -> str:
    """A digest of names and dates across the programme, independent of primary keys."""
    parts = [
        list(CaseSite.objects.filter(programme=programme).values_list("name").order_by("name")),
        list(Person.objects.filter(programme=programme).values_list("pseudonym", "name", "level")),
        list(
            InquiryGroup.objects.filter(programme=programme)
            .values_list("name", "kind", "status", "start_date", "end_date")
            .order_by("name")
        ),
        list(
            Membership.objects.filter(group__programme=programme)
            .values_list("group__name", "person__pseudonym", "role", "joined_on", "left_on")
            .order_by("group__name", "person__pseudonym", "joined_on")
        ),
        list(
            Activity.objects.filter(programme=programme)
            .annotate(present=Count("attendance"))
            .values_list("group__name", "kind", "date", "count", "present")
            .order_by("group__name", "date", "kind", "count", "present")
        ),
        list(EvidenceItem.objects.filter(programme=programme).values_list("title", "collected_on")),
        list(
            FeedbackAnswer.objects.filter(response__form__event__programme=programme)
            .values_list("question__text", "score")
            .order_by("question__text", "score")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def counts(programme: Programme) -> dict[str, int]:
    return {
        "groups": InquiryGroup.objects.filter(programme=programme).count(),
        "members": Membership.objects.filter(group__programme=programme).count(),
        "activities": Activity.objects.filter(programme=programme).count(),
        "attendance": Attendance.objects.filter(activity__programme=programme).count(),
        "evidence": EvidenceItem.objects.filter(programme=programme).count(),
    }


def test_generate_programme_same_seed_gives_same_data():
    first = generate_programme(sites=1, seed=7)
    first_counts, first_print = counts(first), fingerprint(first)

    second = generate_programme(sites=1, seed=7)

    assert second.pk != first.pk
    assert Programme.objects.filter(slug="synthetic-1-7").count() == 1
    assert counts(second) == first_counts
    assert fingerprint(second) == first_print


def test_generate_programme_other_seed_gives_other_data():
    one = generate_programme(sites=1, seed=1)
    two = generate_programme(sites=1, seed=2)

    assert fingerprint(one) != fingerprint(two)
    assert Programme.objects.filter(slug__startswith="synthetic-1-").count() == 2


def test_generate_programme_follows_the_proportions():
    programme = generate_programme(sites=2, seed=3)

    groups = InquiryGroup.objects.filter(programme=programme).annotate(
        core=Count("memberships", filter=Q(memberships__role=MembershipRole.CORE)),
        periphery=Count("memberships", filter=Q(memberships__role=MembershipRole.PERIPHERY)),
        leavers=Count("memberships", filter=Q(memberships__left_on__isnull=False)),
        members=Count("memberships__person", distinct=True),
    )
    activities = dict(
        Activity.objects.filter(programme=programme, group__isnull=False)
        .values_list("group")
        .annotate(n=Count("id"))
    )
    evidence = dict(
        EvidenceItem.objects.filter(programme=programme)
        .values_list("group")
        .annotate(n=Count("id"))
    )
    per_site = CaseSite.objects.filter(programme=programme).annotate(n=Count("groups"))
    assert all(10 <= site.n <= 14 for site in per_site)
    for group in groups:
        assert 17 <= group.members <= 23
        assert group.core and group.periphery
        assert 44 <= activities[group.pk] <= 56
        assert 90 <= evidence[group.pk] <= 110
    assert sum(group.leavers for group in groups) >= len(groups)
    meetings = Activity.objects.filter(programme=programme, count__isnull=True, group__isnull=False)
    attended = meetings.annotate(n=Count("attendance")).filter(n__gt=0).count()
    assert attended > 0.9 * meetings.count()
    assert Activity.objects.filter(programme=programme, count__isnull=False).exists()
    assert Output.objects.filter(programme=programme).count() >= len(groups) * 2
    assert Change.objects.filter(programme=programme).count() >= len(groups)
    assert Event.objects.filter(programme=programme, feedback_forms__responses__isnull=False)
    assert Theme.objects.filter(programme=programme).values("framework").distinct().count() == 2
    assert Organisation.objects.filter(programme=programme).values("sector").distinct().count() > 5
    named = Consent.objects.filter(person__programme=programme, use="named").count()
    assert 0 < named < Person.objects.filter(programme=programme).count()


def test_generate_programme_dates_lie_within_the_period():
    programme = generate_programme(sites=1, seed=4)

    activity_dates = Activity.objects.filter(programme=programme).values_list("date", flat=True)
    status_dates = GroupStatusChange.objects.filter(group__programme=programme).values_list(
        "changed_on", flat=True
    )
    assert min(activity_dates) >= PERIOD_START and max(activity_dates) <= PERIOD_END
    assert min(status_dates) >= PERIOD_START and max(status_dates) <= PERIOD_END


def test_generate_programme_rows_pass_model_validation():
    programme = generate_programme(sites=1, seed=5)

    # The database has enforced the constraints on insert; full_clean adds choices and lengths.
    for model, lookup in [
        (Person, "programme"),
        (InquiryGroup, "programme"),
        (Membership, "group__programme"),
        (Activity, "programme"),
        (EvidenceItem, "programme"),
        (Output, "programme"),
        (Change, "programme"),
        (Event, "programme"),
        (FeedbackAnswer, "response__form__event__programme"),
    ]:
        for row in model.objects.filter(**{lookup: programme})[:25]:
            row.full_clean()


def test_generate_synthetic_command_replaces_the_programme():
    call_command("generate_synthetic", "--sites", "1", "--seed", "9", stdout=io.StringIO())
    first = Programme.objects.get(slug="synthetic-1-9")
    out = io.StringIO()

    call_command("generate_synthetic", "--sites", "1", "--seed", "9", stdout=out)

    assert not Programme.objects.filter(pk=first.pk).exists()
    programme = Programme.objects.get(slug="synthetic-1-9")
    groups = InquiryGroup.objects.filter(programme=programme).count()
    lines = [line.split() for line in out.getvalue().splitlines()]
    assert ["inquiries.InquiryGroup", str(groups)] in lines
    assert "Created synthetic-1-9" in out.getvalue()


def test_generate_programme_replaces_one_that_roles_refer_to():
    first = generate_programme(sites=1, seed=6)
    site = CaseSite.objects.get(programme=first)
    RoleFactory(programme=first, site=site, role=RoleKind.RESEARCHER)

    second = generate_programme(sites=1, seed=6)

    assert not Role.objects.filter(programme=first).exists()
    assert CaseSite.objects.filter(programme=second).count() == 1


def test_generate_programme_moves_its_records_version_on_once():
    programme = generate_programme(sites=1, seed=5)

    programme.refresh_from_db(fields=["records_version"])
    assert programme.records_version == 1
