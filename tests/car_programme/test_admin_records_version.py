"""What the administration writes moves the programme's records version on, once a page."""

import pytest
from django.urls import reverse

from sites.models import Programme, Theme
from tests.factories.sites import ProgrammeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def version(programme) -> int:
    return Programme.objects.values_list("records_version", flat=True).get(pk=programme.pk)


def test_a_change_in_the_administration_moves_the_programme_on_once(admin_client):
    theme = ThemeFactory()
    before = version(theme.programme)

    fields = {"programme": theme.programme.pk, "framework": theme.framework, "position": 1}
    url = reverse("admin:sites_theme_change", args=[theme.pk])

    response = admin_client.post(url, {**fields, "name": "Prevention", "description": ""})

    assert response.status_code == 302
    assert Theme.objects.get(pk=theme.pk).name == "Prevention"
    assert version(theme.programme) == before + 1


def test_a_deletion_in_the_administration_moves_the_programme_on_once(admin_client):
    theme = ThemeFactory()
    before = version(theme.programme)

    admin_client.post(reverse("admin:sites_theme_delete", args=[theme.pk]), {"post": "yes"})

    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert version(theme.programme) == before + 1


def test_a_bulk_deletion_moves_each_programme_on_once(admin_client):
    programme, other = ProgrammeFactory(), ProgrammeFactory()
    themes = [ThemeFactory(programme=programme), ThemeFactory(programme=programme)]
    themes.append(ThemeFactory(programme=other))
    before, other_before = version(programme), version(other)

    admin_client.post(
        reverse("admin:sites_theme_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in themes], "post": "yes"},
    )

    assert not Theme.objects.filter(pk__in=[t.pk for t in themes]).exists()
    assert (version(programme), version(other)) == (before + 1, other_before + 1)
