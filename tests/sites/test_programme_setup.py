"""Setting a programme up in the workspace: the programme, its archive and its logo, per role,
with bad input refused next to its field and nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.enums import RoleKind
from sites.models import Organisation, Programme
from tests import factories
from tests.cast import as_user, outcome, sign_in

pytestmark = pytest.mark.django_db

# The roles of the cast around the programme's pages, and what each gets from a manager's page
# of the programme: its managers (and superusers) the page, its other roles a refusal, another
# programme's manager nothing at all.
MANAGER_PAGE = [
    ("superuser", "shown"),
    ("manager", "shown"),
    ("other_manager", "not found"),
    ("fife_researcher", "refused"),
    ("fife_lead", "refused"),
    ("nobody", "not found"),
    ("anonymous", "sign in"),
]


def image_file(name="logo.png", kind="PNG", size=(40, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def programme_data(**fields) -> dict:
    return {
        "name": "Learning Partnerships 2027",
        "funders": "The Research Council",
        "start_date": "2027-01-01",
        "end_date": "2029-12-31",
        "description": "Collaborative action research in three partnerships.",
        **fields,
    }


# --- Making a programme -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("superuser", "shown"),
        ("manager", "refused"),
        ("other_manager", "refused"),
        ("fife_researcher", "refused"),
        ("fife_lead", "refused"),
        ("anonymous", "sign in"),
    ],
)
def test_only_a_superuser_may_make_a_programme(client, cast, role, expected):
    as_user(client, cast, role)

    got = client.get(reverse("sites:programme_create"))
    posted = client.post(reverse("sites:programme_create"), programme_data())

    made = Programme.objects.filter(name="Learning Partnerships 2027").exists()
    assert (outcome(got), made) == (expected, role == "superuser")
    assert outcome(posted) == ("done" if role == "superuser" else expected)


def test_a_superuser_makes_a_programme_with_a_logo_and_is_led_to_its_setup(client, cast):
    sign_in(client, cast.superuser)

    response = client.post(
        reverse("sites:programme_create"), programme_data(logo=image_file("crest.PNG"))
    )

    programme = Programme.objects.get(name="Learning Partnerships 2027")
    assert response["Location"] == reverse("sites:programme_setup", args=[programme.pk])
    assert programme.slug == "learning-partnerships-2027"
    assert programme.logo.name.startswith("logos/") and programme.logo.name.endswith(".png")
    assert programme.history.get().history_user == cast.superuser


def test_a_programme_of_the_same_name_gets_a_slug_of_its_own(client, cast):
    factories.ProgrammeFactory(name="Elsewhere", slug="learning-partnerships-2027")
    sign_in(client, cast.superuser)

    client.post(reverse("sites:programme_create"), programme_data())

    assert Programme.objects.get(name="Learning Partnerships 2027").slug == (
        "learning-partnerships-2027-2"
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"start_date": "2027-06-01", "end_date": "2027-01-01"},
            "end_date",
            "The end date cannot be before the start date.",
        ),
        ({"name": "programme 0"}, "name", "A programme of this name exists already."),
        (
            {"logo": SimpleUploadedFile("logo.png", b"not an image at all", "image/png")},
            "logo",
            "The logo must be a PNG, JPEG, WebP or GIF image; this file is not one.",
        ),
        (
            {"logo": SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")},
            "logo",
            "The logo must be a PNG, JPEG, WebP or GIF image; this file is not one.",
        ),
        (
            {"logo": image_file("logo.tif", kind="TIFF")},
            "logo",
            "The logo must be a PNG, JPEG, WebP or GIF image; this file is not one.",
        ),
        (
            {"logo": image_file(size=(5000, 4000))},
            "logo",
            "The logo is 5,000 by 4,000 pixels; make it smaller (at most 4,000 by 4,000).",
        ),
    ],
    ids=["end before start", "name taken", "not an image", "svg", "tiff", "too many pixels"],
)
def test_bad_programme_input_is_said_next_to_its_field_and_nothing_is_written(
    client, cast, fields, field, message
):
    factories.ProgrammeFactory(name="Programme 0")
    count = Programme.objects.count()
    sign_in(client, cast.superuser)

    response = client.post(reverse("sites:programme_create"), programme_data(**fields))

    assert response.context["form"].errors[field] == [message]
    assert 'value="The Research Council"' in response.content.decode()
    assert Programme.objects.count() == count


def test_a_logo_too_large_is_refused_before_it_is_read(client, cast, settings):
    sign_in(client, cast.superuser)
    large = SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1))

    response = client.post(reverse("sites:programme_create"), programme_data(logo=large))

    assert response.context["form"].errors["logo"] == [
        "The logo is 2.0\xa0MB; a logo may be at most 2.0\xa0MB."
    ]


# --- Changing, archiving and the logo ---------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), MANAGER_PAGE)
def test_programme_edit_page_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    assert outcome(client.get(reverse("sites:programme_update", args=[cast.programme.pk]))) == (
        expected
    )


def test_a_manager_changes_the_programme_and_replaces_its_logo(
    client, cast, django_capture_on_commit_callbacks
):
    sign_in(client, cast.manager)
    url = reverse("sites:programme_update", args=[cast.programme.pk])
    client.post(url, programme_data(name="Renamed", logo=image_file()))
    first = Programme.objects.get(pk=cast.programme.pk).logo

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, programme_data(name="Renamed again", logo=image_file("new.jpg", "JPEG")))

    programme = Programme.objects.get(pk=cast.programme.pk)
    assert programme.name == "Renamed again"
    assert programme.logo.name.endswith(".jpg")
    assert not first.storage.exists(first.name)
    assert [row.name for row in programme.history.order_by("history_date")][-2:] == [
        "Renamed",
        "Renamed again",
    ]


def test_a_manager_makes_the_second_factor_mandatory_for_the_programmes_managers(client, cast):
    sign_in(client, cast.manager)

    client.post(
        reverse("sites:programme_update", args=[cast.programme.pk]),
        programme_data(managers_need_second_factor="on"),
    )

    programme = Programme.objects.get(pk=cast.programme.pk)
    assert programme.managers_need_second_factor
    assert programme.history.latest("history_date").history_user == cast.manager


def test_a_manager_removes_the_logo_and_it_leaves_storage(
    client, cast, django_capture_on_commit_callbacks
):
    sign_in(client, cast.manager)
    url = reverse("sites:programme_update", args=[cast.programme.pk])
    client.post(url, programme_data(logo=image_file()))
    stored = Programme.objects.get(pk=cast.programme.pk).logo

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, programme_data(**{"logo-clear": "on"}))

    assert not Programme.objects.get(pk=cast.programme.pk).logo
    assert not stored.storage.exists(stored.name)


def test_an_unchanged_logo_stays(client, cast):
    sign_in(client, cast.manager)
    url = reverse("sites:programme_update", args=[cast.programme.pk])
    client.post(url, programme_data(logo=image_file()))
    stored = Programme.objects.get(pk=cast.programme.pk).logo.name

    client.post(url, programme_data(description="Only the description changes"))

    programme = Programme.objects.get(pk=cast.programme.pk)
    assert (programme.logo.name, programme.description) == (stored, "Only the description changes")
    assert programme.logo.storage.exists(stored)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", "shown"),
        ("fife_researcher", "shown"),
        ("fife_lead", "shown"),
        ("other_manager", "not found"),
        ("anonymous", "sign in"),
    ],
)
def test_the_logo_is_streamed_to_the_programmes_readers_only(client, cast, role, expected):
    sign_in(client, cast.manager)
    client.post(
        reverse("sites:programme_update", args=[cast.programme.pk]),
        programme_data(logo=image_file()),
    )
    client.logout()
    as_user(client, cast, role)

    response = client.get(reverse("sites:programme_logo", args=[cast.programme.pk]))

    assert outcome(response) == expected
    if expected == "shown":
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(("role", "expected"), MANAGER_PAGE)
def test_archive_page_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.post(reverse("sites:programme_archive", args=[cast.programme.pk]))

    archived = Programme.objects.get(pk=cast.programme.pk).is_archived
    assert (outcome(response), archived) == (
        "done" if expected == "shown" else expected,
        expected == "shown",
    )


def test_an_archived_programme_is_read_only_yet_readable(client, cast):
    organisation = factories.OrganisationFactory(programme=cast.programme, name="Fife Council")
    organisation.sites.set([cast.fife])
    sign_in(client, cast.manager)

    client.post(reverse("sites:programme_archive", args=[cast.programme.pk]))

    pages = {
        name: outcome(client.get(reverse(name, args=[pk])))
        for name, pk in [
            ("sites:programme_detail", cast.programme.pk),
            ("sites:site_detail", cast.fife.pk),
            ("sites:organisation_detail", organisation.pk),
            ("inquiries:group_detail", cast.group.pk),
            ("sites:programme_update", cast.programme.pk),
            ("sites:site_update", cast.fife.pk),
            ("sites:site_create", cast.programme.pk),
            ("sites:organisation_update", organisation.pk),
            ("sites:theme_create", cast.programme.pk),
        ]
    }
    assert pages == {
        "sites:programme_detail": "shown",
        "sites:site_detail": "shown",
        "sites:organisation_detail": "shown",
        "inquiries:group_detail": "shown",
        "sites:programme_update": "refused",
        "sites:site_update": "refused",
        "sites:site_create": "refused",
        "sites:organisation_update": "refused",
        "sites:theme_create": "refused",
    }
    history = Programme.objects.get(pk=cast.programme.pk).history.first()
    assert history.archived_at is not None and history.history_user == cast.manager


def test_an_archived_programme_leaves_the_lists_to_work_in(client, cast):
    second = factories.ProgrammeFactory(name="Second programme")
    factories.RoleFactory(
        user=cast.manager, programme=second, site=None, role=RoleKind.PROGRAMME_MANAGER
    )
    sign_in(client, cast.manager)
    client.post(reverse("sites:programme_archive", args=[cast.programme.pk]))

    # With one open programme left, the organisation form asks no question.
    form = client.get(reverse("sites:organisation_create")).context["form"]
    work = client.get(reverse("home")).context["work"]

    assert list(form.fields["programme"].queryset) == [second]
    assert cast.fife not in work.sites
    assert [c.programme for c in work.setup] == [second]


def test_a_manager_restores_an_archived_programme(client, cast):
    sign_in(client, cast.manager)
    client.post(reverse("sites:programme_archive", args=[cast.programme.pk]))

    page = client.get(reverse("sites:programme_restore", args=[cast.programme.pk]))
    client.post(reverse("sites:programme_restore", args=[cast.programme.pk]))
    posted = client.post(
        reverse("sites:organisation_create"),
        {"programme": cast.programme.pk, "name": "Fife Council", "sector": "local_authority"},
    )

    assert "will be able to record and change its records again" in page.content.decode()
    assert not Programme.objects.get(pk=cast.programme.pk).is_archived
    assert outcome(posted) == "done"
    assert Organisation.objects.filter(name="Fife Council").exists()


def test_the_programme_list_puts_archived_programmes_last(client, cast):
    sign_in(client, cast.superuser)
    client.post(reverse("sites:programme_archive", args=[cast.programme.pk]))

    response = client.get(reverse("sites:programme_list"))

    names = [p.name for p in response.context["programmes"]]
    assert names == [cast.elsewhere.programme.name, cast.programme.name]
    assert "Archived on" in response.content.decode()


@pytest.mark.parametrize("size", [2, 12])
def test_programme_list_query_count_does_not_grow(client, cast, django_assert_num_queries, size):
    for _ in range(size):
        programme = factories.ProgrammeFactory()
        factories.CaseSiteFactory(programme=programme)
        factories.OrganisationFactory(programme=programme)
    sign_in(client, cast.superuser)

    with django_assert_num_queries(9):
        response = client.get(reverse("sites:programme_list"))

    assert len(response.context["programmes"]) == size + 2


@pytest.mark.parametrize(("role", "offered"), [("superuser", True), ("manager", False)])
def test_my_work_offers_to_make_a_programme_to_superusers_only(client, cast, role, offered):
    as_user(client, cast, role)

    page = client.get(reverse("home")).content.decode()

    assert (reverse("sites:programme_create") in page) == offered
