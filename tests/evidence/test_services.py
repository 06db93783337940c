import datetime as dt

import pytest

from car_programme.exceptions import DomainError
from evidence.enums import OutputStatus
from evidence.services import change_update, evidence_create, output_change_status
from tests.database import refused_by
from tests.factories.accounts import UserFactory
from tests.factories.evidence import ChangeFactory, OutputFactory
from tests.factories.sites import CaseSiteFactory

pytestmark = pytest.mark.django_db

MARCH, APRIL, JUNE = dt.date(2016, 3, 1), dt.date(2016, 4, 1), dt.date(2016, 6, 15)


def test_output_moves_through_consultation_to_publication_with_dates():
    output = OutputFactory(drafted_on=MARCH)
    user = UserFactory()

    output_change_status(output=output, status=OutputStatus.CONSULTATION, on=APRIL, by=user)
    output_change_status(output=output, status=OutputStatus.PUBLISHED, on=JUNE, by=user)

    output.refresh_from_db()
    assert (output.status, output.drafted_on, output.consultation_on, output.published_on) == (
        "published",
        MARCH,
        APRIL,
        JUNE,
    )
    assert output.history.first().history_user == user


def test_withdrawing_a_published_output_clears_its_publication_date():
    output = OutputFactory(status=OutputStatus.PUBLISHED, published_on=JUNE)

    output_change_status(output=output, status=OutputStatus.CONSULTATION, on=JUNE, by=None)

    output.refresh_from_db()
    assert (output.status, output.consultation_on, output.published_on) == (
        "consultation",
        JUNE,
        None,
    )


def test_publication_before_consultation_is_refused():
    output = OutputFactory(status=OutputStatus.CONSULTATION, consultation_on=APRIL)

    with pytest.raises(DomainError, match="would come before in consultation"):
        output_change_status(output=output, status=OutputStatus.PUBLISHED, on=MARCH, by=None)


def test_same_status_is_refused():
    with pytest.raises(DomainError, match="already draft"):
        output_change_status(output=OutputFactory(), status=OutputStatus.DRAFT, on=MARCH, by=None)


def test_database_refuses_a_publication_date_on_a_draft():
    output = OutputFactory()
    output.published_on = JUNE

    with refused_by("output_published_on_only_when_published"):
        output.save()


def test_evidence_create_refuses_a_site_of_another_programme():
    site = CaseSiteFactory()

    with pytest.raises(DomainError, match="belongs to another programme"):
        evidence_create(
            programme=CaseSiteFactory().programme,
            sites=[site],
            title="Minutes",
            kind="minutes",
            order="first",
            authorship="practitioner",
            by=None,
        )


def test_change_cannot_build_on_itself():
    change = ChangeFactory()

    with pytest.raises(DomainError, match="cannot build on itself"):
        change_update(
            change=change,
            sites=[],
            group=None,
            evidence=[],
            outputs=[],
            earlier_changes=[change],
            themes=[],
            by=None,
        )
