"""The users page of a programme and what a manager does there, per role: invite, add, change
and revoke roles, deactivate, resend and withdraw invitations; the last manager stays."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from accounts.enums import RoleKind
from accounts.models import Invitation, Role
from tests import factories
from tests.cast import as_user, outcome, sign_in

pytestmark = pytest.mark.django_db

# The manager of the programme and a superuser do; a researcher or a strategy lead of it may
# read the programme but not this (refused); another programme's manager finds nothing.
PROGRAMME_PAGE = [
    ("superuser", "done"),
    ("manager", "done"),
    ("other_manager", "not found"),
    ("fife_researcher", "refused"),
    ("fife_lead", "refused"),
    ("anonymous", "sign in"),
]
# Roles and invitations are the managers' alone: anyone else does not find them.
MANAGERS_RECORD = [
    (role, "not found" if expected == "refused" else expected) for role, expected in PROGRAMME_PAGE
]


def _shown(table):
    return [(role, "shown" if expected == "done" else expected) for role, expected in table]


def _invitation(cast, **fields):
    # The history of a new invitation reads it back to copy its sites: setup, not an N+1.
    with zeal_ignore([{"model": "accounts.Invitation", "field": "get()"}]):
        return factories.InvitationFactory(
            programme=cast.programme, sites=[cast.fife], **{"invited_by": cast.manager, **fields}
        )


# --- Who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), _shown(PROGRAMME_PAGE))
def test_users_page_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.get(reverse("accounts:user_list", args=[cast.programme.pk]))

    assert outcome(response) == expected


@pytest.mark.parametrize(("role", "expected"), PROGRAMME_PAGE)
def test_invite_per_role(client, cast, role, expected):
    as_user(client, cast, role)

    response = client.post(
        reverse("accounts:invitation_create", args=[cast.programme.pk]),
        {"email": "new@example.org", "role": RoleKind.RESEARCHER, "sites": [cast.fife.pk]},
    )

    assert outcome(response) == expected
    sent = Invitation.objects.filter(email="new@example.org").exists()
    assert sent == (expected == "done")
    assert len(mail.outbox) == (1 if expected == "done" else 0)


@pytest.mark.parametrize(("role", "expected"), PROGRAMME_PAGE)
def test_add_role_per_role(client, cast, role, expected):
    as_user(client, cast, role)
    url = reverse("accounts:role_create", args=[cast.programme.pk, cast.fife_lead.pk])

    response = client.post(url, {"role": RoleKind.STRATEGY_LEAD, "site": cast.glasgow.pk})

    assert outcome(response) == expected
    added = Role.objects.filter(user=cast.fife_lead, site=cast.glasgow).exists()
    assert added == (expected == "done")


@pytest.mark.parametrize(("role", "expected"), MANAGERS_RECORD)
def test_change_role_per_role(client, cast, role, expected):
    researcher_role = Role.objects.get(user=cast.fife_researcher)
    as_user(client, cast, role)

    response = client.post(
        reverse("accounts:role_update", args=[researcher_role.pk]),
        {"role": RoleKind.STRATEGY_LEAD, "site": cast.glasgow.pk},
    )

    assert outcome(response) == expected
    researcher_role.refresh_from_db()
    changed = (researcher_role.role, researcher_role.site) == (RoleKind.STRATEGY_LEAD, cast.glasgow)
    assert changed == (expected == "done")


@pytest.mark.parametrize(("role", "expected"), MANAGERS_RECORD)
def test_revoke_role_per_role(client, cast, role, expected):
    lead_role = Role.objects.get(user=cast.fife_lead)
    as_user(client, cast, role)

    response = client.post(reverse("accounts:role_delete", args=[lead_role.pk]))

    assert outcome(response) == expected
    assert Role.objects.filter(pk=lead_role.pk).exists() == (expected != "done")


@pytest.mark.parametrize(("role", "expected"), PROGRAMME_PAGE)
def test_deactivate_per_role(client, cast, role, expected):
    as_user(client, cast, role)
    url = reverse("accounts:user_deactivate", args=[cast.programme.pk, cast.glasgow_lead.pk])

    response = client.post(url)

    assert outcome(response) == expected
    cast.glasgow_lead.refresh_from_db()
    assert cast.glasgow_lead.is_active == (expected != "done")


@pytest.mark.parametrize(("role", "expected"), MANAGERS_RECORD)
def test_resend_per_role(client, cast, role, expected):
    invitation = _invitation(cast)
    as_user(client, cast, role)

    response = client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))

    assert outcome(response) == expected
    assert len(mail.outbox) == (1 if expected == "done" else 0)


@pytest.mark.parametrize(("role", "expected"), MANAGERS_RECORD)
def test_withdraw_per_role(client, cast, role, expected):
    invitation = _invitation(cast)
    as_user(client, cast, role)

    response = client.post(reverse("accounts:invitation_withdraw", args=[invitation.pk]))

    assert outcome(response) == expected
    invitation.refresh_from_db()
    assert (invitation.withdrawn_at is not None) == (expected == "done")


def test_a_user_of_another_programme_is_not_found_on_this_one(client, cast):
    sign_in(client, cast.manager)
    url = reverse("accounts:user_deactivate", args=[cast.programme.pk, cast.outsider.pk])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


# --- The users page ---------------------------------------------------------------------------


def test_users_page_lists_users_roles_last_sign_in_and_waiting_invitations(client, cast):
    _invitation(cast, email="waiting@example.org")
    _invitation(cast, email="withdrawn@example.org", withdrawn_at=timezone.now())
    _invitation(cast, email="accepted@example.org", accepted_at=timezone.now())
    factories.InvitationFactory(programme=cast.elsewhere.programme, email="theirs@example.org")
    sign_in(client, cast.manager)

    response = client.get(reverse("accounts:user_list", args=[cast.programme.pk]))

    users = list(response.context["users"])
    assert {user.pk for user in users} == {
        cast.manager.pk,
        cast.fife_researcher.pk,
        cast.glasgow_researcher.pk,
        cast.fife_lead.pk,
        cast.glasgow_lead.pk,
    }
    researcher = next(user for user in users if user == cast.fife_researcher)
    assert [(r.role, r.site) for r in researcher.programme_roles] == [
        (RoleKind.RESEARCHER, cast.fife)
    ]
    assert [i.email for i in response.context["invitations"]] == ["waiting@example.org"]
    text = response.content.decode()
    assert "Researcher of Fife" in text and "waiting@example.org" in text
    assert "theirs@example.org" not in text
    # force_login signed the manager in just now; the others never signed in.
    assert "Never" in text


@pytest.mark.parametrize("size", [2, 30])
def test_users_page_query_count_does_not_grow(client, cast, django_assert_num_queries, size):
    for _ in range(size):
        factories.user_with_role(RoleKind.RESEARCHER, site=cast.fife)
        factories.user_with_role(RoleKind.STRATEGY_LEAD, site=cast.glasgow)
        _invitation(cast, invited_by=factories.UserFactory())
    sign_in(client, cast.manager)
    client.get(reverse("home"))

    # The session, its user and their roles; the programme and the permission on it; the
    # users and their roles; the invitations and their sites; the latest changes of roles and
    # of invitations.
    with django_assert_num_queries(11):
        response = client.get(reverse("accounts:user_list", args=[cast.programme.pk]))

    assert len(response.context["users"]) == 5 + 2 * size
    assert len(response.context["invitations"]) == size


def test_users_page_tells_the_latest_changes_with_who_made_them(client, cast):
    role = Role.objects.get(user=cast.fife_researcher)
    sign_in(client, cast.manager)
    client.post(
        reverse("accounts:role_update", args=[role.pk]),
        {"role": RoleKind.STRATEGY_LEAD, "site": cast.glasgow.pk},
    )
    client.post(
        reverse("accounts:invitation_create", args=[cast.programme.pk]),
        {"email": "new@example.org", "role": RoleKind.RESEARCHER, "sites": [cast.fife.pk]},
    )
    client.post(reverse("accounts:invitation_withdraw", args=[Invitation.objects.get().pk]))
    client.post(reverse("accounts:role_delete", args=[Role.objects.get(user=cast.fife_lead).pk]))

    response = client.get(reverse("accounts:user_list", args=[cast.programme.pk]))

    said = [(change.by, change.what) for change in response.context["changes"][:4]]
    assert said == [
        (cast.manager, f"revoked the role of {cast.fife_lead}, strategy lead of Fife"),
        (cast.manager, "withdrew the invitation to new@example.org"),
        (cast.manager, "invited new@example.org as researcher"),
        (cast.manager, f"made {cast.fife_researcher} strategy lead of Glasgow"),
    ]
    assert f"{cast.manager} withdrew the invitation to new@example.org" in (
        response.content.decode()
    )


def test_navigation_links_the_users_page_for_managers_only(client, cast):
    link = f'href="{reverse("accounts:user_index")}"'

    seen = {
        role: link in as_user(client, cast, role).get(reverse("home")).content.decode()
        for role in ("manager", "superuser", "fife_researcher", "fife_lead")
    }

    assert seen == {
        "manager": True,
        "superuser": True,
        "fife_researcher": False,
        "fife_lead": False,
    }


def test_users_index_leads_a_manager_of_one_programme_to_its_page(client, cast):
    sign_in(client, cast.manager)

    response = client.get(reverse("accounts:user_index"))

    assert response.url == reverse("accounts:user_list", args=[cast.programme.pk])


def test_users_index_lets_a_manager_of_two_programmes_choose(client, cast):
    factories.RoleFactory(
        user=cast.manager, programme=cast.elsewhere.programme, site=None, role="programme_manager"
    )
    sign_in(client, cast.manager)

    response = client.get(reverse("accounts:user_index"))

    assert {p.pk for p in response.context["programmes"]} == {
        cast.programme.pk,
        cast.elsewhere.programme.pk,
    }


def test_programme_page_links_the_users_page_for_its_managers(client, cast):
    link = f'href="{reverse("accounts:user_list", args=[cast.programme.pk])}"'
    page = reverse("sites:programme_detail", args=[cast.programme.pk])

    assert link in sign_in(client, cast.manager).get(page).content.decode()
    assert link not in sign_in(client, cast.fife_researcher).get(page).content.decode()


# --- Changes and their refusals ---------------------------------------------------------------


def test_inviting_a_manager_to_sites_is_refused_next_to_the_sites(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("accounts:invitation_create", args=[cast.programme.pk]),
        {"email": "boss@example.org", "role": RoleKind.PROGRAMME_MANAGER, "sites": [cast.fife.pk]},
    )

    assert response.context["form"].errors["sites"] == [
        "A programme manager's role covers the whole programme: leave the sites unticked."
    ]
    assert 'value="boss@example.org"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_second_invitation_to_a_waiting_address_is_refused(client, cast):
    _invitation(cast, email="new@example.org")
    sign_in(client, cast.manager)

    response = client.post(
        reverse("accounts:invitation_create", args=[cast.programme.pk]),
        {"email": "New@example.org", "role": RoleKind.STRATEGY_LEAD, "sites": [cast.glasgow.pk]},
    )

    assert "An invitation to this address is already waiting" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_inviting_someone_to_a_role_they_hold_is_refused(client, cast):
    sign_in(client, cast.manager)

    response = client.post(
        reverse("accounts:invitation_create", args=[cast.programme.pk]),
        {"email": cast.fife_lead.email, "role": RoleKind.STRATEGY_LEAD, "sites": [cast.fife.pk]},
    )

    assert "already holds this role" in response.content.decode()


def test_a_manager_cannot_revoke_their_own_manager_role(client, cast):
    factories.user_with_role(RoleKind.PROGRAMME_MANAGER, programme=cast.programme)
    own = Role.objects.get(user=cast.manager)
    sign_in(client, cast.manager)

    response = client.post(reverse("accounts:role_delete", args=[own.pk]), follow=True)

    assert "You cannot take away your own programme manager role" in response.content.decode()
    assert Role.objects.filter(pk=own.pk).exists()


def test_the_last_manager_cannot_be_removed_even_by_a_superuser(client, cast):
    last = Role.objects.get(user=cast.manager)
    sign_in(client, cast.superuser)

    revoked = client.post(reverse("accounts:role_delete", args=[last.pk]), follow=True)
    demoted = client.post(
        reverse("accounts:role_update", args=[last.pk]),
        {"role": RoleKind.RESEARCHER, "site": cast.fife.pk},
    )
    deactivated = client.post(
        reverse("accounts:user_deactivate", args=[cast.programme.pk, cast.manager.pk]),
        follow=True,
    )

    for response in (revoked, demoted, deactivated):
        assert "would have no programme manager left" in response.content.decode()
    last.refresh_from_db()
    assert last.role == RoleKind.PROGRAMME_MANAGER
    cast.manager.refresh_from_db()
    assert cast.manager.is_active


def test_a_manager_may_remove_another_manager(client, cast):
    other = factories.user_with_role(RoleKind.PROGRAMME_MANAGER, programme=cast.programme)
    sign_in(client, cast.manager)

    client.post(reverse("accounts:role_delete", args=[Role.objects.get(user=other).pk]))

    assert not Role.objects.filter(user=other).exists()


def test_a_manager_cannot_deactivate_themselves(client, cast):
    factories.user_with_role(RoleKind.PROGRAMME_MANAGER, programme=cast.programme)
    sign_in(client, cast.manager)
    url = reverse("accounts:user_deactivate", args=[cast.programme.pk, cast.manager.pk])

    response = client.post(url, follow=True)

    assert "You cannot deactivate yourself" in response.content.decode()
    assert Role.objects.filter(user=cast.manager).exists()


def test_deactivating_removes_the_roles_and_closes_an_account_with_none_left(client, cast):
    waiting = _invitation(cast, email=cast.fife_lead.email, role=RoleKind.RESEARCHER)
    sign_in(client, cast.manager)

    response = client.post(
        reverse("accounts:user_deactivate", args=[cast.programme.pk, cast.fife_lead.pk]),
        follow=True,
    )

    assert "Their account is closed" in response.content.decode()
    cast.fife_lead.refresh_from_db()
    assert not cast.fife_lead.is_active
    assert not Role.objects.filter(user=cast.fife_lead).exists()
    waiting.refresh_from_db()
    assert waiting.withdrawn_at is not None
    # Each change is in the history, with who made it.
    assert cast.fife_lead.history.latest().history_user == cast.manager
    assert cast.fife_lead.history.latest().is_active is False
    removed = Role.history.filter(user_id=cast.fife_lead.pk, history_type="-").get()
    assert removed.history_user == cast.manager


def test_deactivating_keeps_the_account_of_a_user_with_a_role_elsewhere(client, cast):
    factories.RoleFactory(
        user=cast.fife_lead, programme=cast.elsewhere.programme, site=cast.elsewhere
    )
    sign_in(client, cast.manager)

    client.post(reverse("accounts:user_deactivate", args=[cast.programme.pk, cast.fife_lead.pk]))

    cast.fife_lead.refresh_from_db()
    assert cast.fife_lead.is_active
    assert list(Role.objects.filter(user=cast.fife_lead).values_list("site", flat=True)) == [
        cast.elsewhere.pk
    ]


def test_changing_a_role_keeps_the_change_in_its_history(client, cast):
    role = Role.objects.get(user=cast.fife_researcher)
    sign_in(client, cast.manager)

    response = client.post(
        reverse("accounts:role_update", args=[role.pk]),
        {"role": RoleKind.STRATEGY_LEAD, "site": cast.glasgow.pk},
        follow=True,
    )

    assert "role is now strategy lead of Glasgow" in response.content.decode()
    latest = role.history.latest()
    assert (latest.role, latest.site_id, latest.history_user) == (
        RoleKind.STRATEGY_LEAD,
        cast.glasgow.pk,
        cast.manager,
    )


def test_a_role_held_already_is_refused_in_the_models_words(client, cast):
    sign_in(client, cast.manager)
    url = reverse("accounts:role_create", args=[cast.programme.pk, cast.fife_lead.pk])

    response = client.post(url, {"role": RoleKind.STRATEGY_LEAD, "site": cast.fife.pk})

    assert "This user already has this role in this site." in response.content.decode()
    assert Role.objects.filter(user=cast.fife_lead).count() == 1


def test_a_researcher_role_needs_a_site(client, cast):
    sign_in(client, cast.manager)
    url = reverse("accounts:role_create", args=[cast.programme.pk, cast.fife_lead.pk])

    response = client.post(url, {"role": RoleKind.RESEARCHER, "site": ""})

    assert response.context["form"].errors["site"] == ["Choose the site this role is for."]


def test_a_site_of_another_programme_is_not_offered(client, cast):
    sign_in(client, cast.manager)
    url = reverse("accounts:role_create", args=[cast.programme.pk, cast.fife_lead.pk])

    response = client.post(url, {"role": RoleKind.RESEARCHER, "site": cast.elsewhere.pk})

    assert "site" in response.context["form"].errors
    assert not Role.objects.filter(site=cast.elsewhere, user=cast.fife_lead).exists()
