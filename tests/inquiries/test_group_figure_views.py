import pytest
from django.urls import reverse

from inquiries.enums import GroupFigureKind
from inquiries.models import GroupFigure
from sites.enums import Qualifier
from tests import factories
from tests.cast import FIFE_EDIT_POST, as_user, refused_as

pytestmark = pytest.mark.django_db


def figure_form(**overrides):
    data = {
        "kind": GroupFigureKind.MEMBERS,
        "value": "25",
        "qualifier": Qualifier.ABOUT,
        "label": "officers (cross-service)",
        "period_start": "",
        "period_end": "",
        "date_precision": "day",
        "source": "000:1367 'Approx. 25 officers'",
    }
    return data | overrides


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_POST)
def test_group_figure_create_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.post(
        reverse("inquiries:group_figure_create", args=[cast.group.pk]), figure_form()
    )

    assert refused_as(response, expected)
    assert cast.group.published_figures.exists() == (expected == 302)


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_POST)
def test_group_figure_update_per_role(client, cast, role, expected):
    figure = factories.GroupFigureFactory(group=cast.group, value=25)
    as_user(client, cast, role)

    response = client.post(
        reverse("inquiries:group_figure_update", args=[figure.pk]), figure_form(value="30")
    )

    assert refused_as(response, expected)
    figure.refresh_from_db()
    assert (figure.value == 30) == (expected == 302)


@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_POST)
def test_group_figure_delete_per_role(client, cast, role, expected):
    figure = factories.GroupFigureFactory(group=cast.group)
    as_user(client, cast, role)

    response = client.post(reverse("inquiries:group_figure_delete", args=[figure.pk]))

    assert refused_as(response, expected)
    assert GroupFigure.objects.filter(pk=figure.pk).exists() == (expected != 302)


def test_a_recorded_figure_is_shown_on_the_group_page_with_its_qualifier(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:group_figure_create", args=[cast.group.pk]),
        figure_form(qualifier=Qualifier.AT_LEAST),
        follow=True,
    )

    page = " ".join(response.content.decode().split())
    assert "<strong>25+</strong> officers (cross-service)" in page
    assert cast.group.published_figures.get().history.get().history_user == cast.fife_researcher


def test_a_figure_without_a_source_is_refused_and_keeps_input(client, cast):
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:group_figure_create", args=[cast.group.pk]), figure_form(source="")
    )

    assert response.status_code == 400
    assert "source" in response.context["form"].errors
    assert response.context["form"]["label"].value() == "officers (cross-service)"


def test_a_second_figure_with_the_same_label_is_refused_next_to_the_label(client, cast):
    factories.GroupFigureFactory(group=cast.group, label="officers (cross-service)")
    client.force_login(cast.fife_researcher)

    response = client.post(
        reverse("inquiries:group_figure_create", args=[cast.group.pk]), figure_form()
    )

    assert response.status_code == 400
    assert "already has a published figure" in response.context["form"].errors["label"][0]


def test_the_edit_form_starts_from_the_figure(client, cast):
    figure = factories.GroupFigureFactory(group=cast.group, value=12, label="")
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:group_figure_update", args=[figure.pk]))

    assert response.context["form"].initial["value"] == 12
