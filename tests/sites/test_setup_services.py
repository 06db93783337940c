"""The setup services refuse what their forms refuse, for any caller (a loader, a script)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from car_programme.exceptions import DomainError
from sites import services
from sites.models import Programme
from tests import factories

pytestmark = pytest.mark.django_db


def test_programme_create_refuses_an_end_before_the_start():
    with pytest.raises(DomainError, match="The end date cannot be before the start date"):
        services.programme_create(
            by=None, name="Backwards", start_date=dt.date(2027, 1, 1), end_date=dt.date(2026, 1, 1)
        )

    assert not Programme.objects.filter(name="Backwards").exists()


def test_programme_create_refuses_a_name_taken_whatever_its_case():
    factories.ProgrammeFactory(name="Learning Partnerships")

    with pytest.raises(DomainError, match="exists already"):
        services.programme_create(by=None, name="learning partnerships")


def test_a_programme_is_archived_once_and_restored_once():
    programme = factories.ProgrammeFactory()
    services.programme_archive(programme=programme, by=None)

    with pytest.raises(DomainError, match="is archived already"):
        services.programme_archive(programme=programme, by=None)
    services.programme_restore(programme=programme, by=None)
    with pytest.raises(DomainError, match="is not archived"):
        services.programme_restore(programme=programme, by=None)

    assert [row.archived_at is None for row in programme.history.order_by("history_id")] == [
        True,
        False,
        True,
    ]


def test_framework_create_refuses_a_framework_taken_and_writes_nothing():
    theme = factories.ThemeFactory(framework="Pillars")

    with pytest.raises(DomainError, match="already has a framework named “Pillars”"):
        services.framework_create(
            programme=theme.programme, framework="Pillars", themes=["New"], by=None
        )

    assert theme.programme.themes.count() == 1


def test_framework_rename_refuses_a_name_another_framework_holds():
    theme = factories.ThemeFactory(framework="Pillars")
    factories.ThemeFactory(programme=theme.programme, framework="Messages")

    with pytest.raises(DomainError, match="already has a framework named “Messages”"):
        services.framework_rename(
            programme=theme.programme, framework="Pillars", new_name="Messages", by=None
        )

    theme.refresh_from_db()
    assert theme.framework == "Pillars"


def test_site_create_refuses_a_lead_researcher_without_a_role_in_the_programme(cast):
    with pytest.raises(DomainError, match="holds no role in"):
        services.site_create(
            programme=cast.programme, name="Perth", lead_researchers=[cast.outsider], by=None
        )

    assert not cast.programme.sites.filter(name="Perth").exists()


def test_a_theme_move_at_the_end_of_its_framework_changes_nothing():
    first = factories.ThemeFactory(framework="Pillars", position=0)
    last = factories.ThemeFactory(programme=first.programme, framework="Pillars", position=1)

    services.theme_move(theme=last, up=False, by=None)

    assert list(first.programme.themes.order_by("position")) == [first, last]
    assert last.history.count() == 1


def test_programme_create_refuses_a_logo_that_is_no_image():
    with pytest.raises(ValidationError):
        services.programme_create(
            by=None, name="With a fake logo", logo=SimpleUploadedFile("logo.png", b"GIF89a no")
        )

    assert not Programme.objects.filter(name="With a fake logo").exists()
