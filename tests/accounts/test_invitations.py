"""Accepting an invitation: the email and its link end to end, as a new user or a signed-in one,
and every way a link fails (used, expired, withdrawn, replaced, another address), throttled."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.enums import RoleKind
from accounts.models import Invitation, Role, User
from car_programme.exceptions import DomainError
from tests import factories
from tests.cast import sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "a-fresh-long-password-2026"


def _invite(client, cast, email="new@example.org", role=RoleKind.RESEARCHER, sites=None):
    """The manager invites ``email`` through the page; the link of the email sent."""
    sign_in(client, cast.manager)
    sites = [cast.fife] if sites is None else sites
    client.post(
        reverse("accounts:invitation_create", args=[cast.programme.pk]),
        {"email": email, "role": role, "sites": [site.pk for site in sites]},
    )
    client.logout()
    return _link(mail.outbox[-1])


def _link(message) -> str:
    return re.search(r"http://testserver(/accounts/invitations/accept/\S+/)", message.body)[1]


def _sign_up(client, link, full_name="Dr Hayley Bennett", password=PASSWORD):
    return client.post(link, {"full_name": full_name, "password1": password, "password2": password})


def _refusal(response) -> str:
    return response.context["reason"]


# --- The email and its link, end to end -------------------------------------------------------


def test_the_invitation_email_has_both_bodies_and_a_link_from_the_request(client, cast):
    _invite(client, cast, sites=[cast.fife, cast.glasgow])

    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert message.subject == f"You are invited to {cast.programme} on CAR Programme Manager"
    assert "as researcher of Fife and Glasgow.\n" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'href="http://testserver{_link(message)}"' in html
    # Only the hash of the token is kept.
    token = _link(message).rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_a_new_user_accepts_signs_in_and_sees_the_roles_pages(client, cast):
    link = _invite(client, cast)

    form_page = client.get(link)
    accepted = _sign_up(client, link)

    assert "Choose a password" in form_page.content.decode()
    assert accepted.url == reverse("home")
    user = User.objects.get(email="new@example.org")
    assert user.full_name == "Dr Hayley Bennett"
    assert [(r.role, r.site) for r in user.roles.all()] == [(RoleKind.RESEARCHER, cast.fife)]
    # Signed in by accepting; then signing out and in again with the address and password.
    client.logout()
    signed_in = client.post(
        reverse("accounts:login"), {"username": "new@example.org", "password": PASSWORD}
    )
    assert signed_in.url == reverse("home")
    site_page = client.get(reverse("sites:site_detail", args=[cast.fife.pk]))
    group_edit = client.get(reverse("inquiries:group_update", args=[cast.group.pk]))
    elsewhere = client.get(reverse("sites:site_detail", args=[cast.elsewhere.pk]))
    assert (site_page.status_code, group_edit.status_code, elsewhere.status_code) == (200, 200, 404)
    assert "Welfare PIT" in site_page.content.decode()


def test_an_invited_manager_of_a_programme_that_asks_for_a_second_factor_sets_one_up_first(
    client, cast
):
    link = _invite(client, cast, role=RoleKind.PROGRAMME_MANAGER, sites=[])
    cast.programme.managers_need_second_factor = True
    cast.programme.save(update_fields=["managers_need_second_factor"])

    _sign_up(client, link)
    response = client.get(reverse("sites:site_list"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second_factor_enrol"))
    assert Role.objects.filter(user__email="new@example.org", role=RoleKind.PROGRAMME_MANAGER)


def test_an_invited_manager_reaches_the_users_page(client, cast):
    link = _invite(
        client, cast, email="boss@example.org", role=RoleKind.PROGRAMME_MANAGER, sites=[]
    )

    _sign_up(client, link)

    response = client.get(reverse("accounts:user_list", args=[cast.programme.pk]))
    assert response.status_code == 200
    assert "boss@example.org" in response.content.decode()


def test_a_weak_password_is_refused_with_the_name_kept(client, cast):
    link = _invite(client, cast)

    response = _sign_up(client, link, password="password")

    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["password2"]
    assert 'value="Dr Hayley Bennett"' in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_signed_in_user_of_the_invited_address_accepts_with_one_button(client, cast):
    link = _invite(client, cast, email=cast.glasgow_lead.email, role=RoleKind.STRATEGY_LEAD)
    sign_in(client, cast.glasgow_lead)

    page = client.get(link)
    response = client.post(link)

    assert "Accept the invitation" in page.content.decode()
    assert response.url == reverse("home")
    sites = set(Role.objects.filter(user=cast.glasgow_lead).values_list("site", flat=True))
    assert sites == {cast.glasgow.pk, cast.fife.pk}
    accepted = Invitation.objects.get()
    assert (accepted.accepted_by, accepted.history.latest().history_user) == (
        cast.glasgow_lead,
        cast.glasgow_lead,
    )


def test_an_existing_account_is_asked_to_sign_in_first(client, cast):
    link = _invite(client, cast, email=cast.glasgow_lead.email, role=RoleKind.STRATEGY_LEAD)

    response = client.get(link)
    posted = _sign_up(client, link)

    assert response.context["form"] is None
    assert f"{reverse('accounts:login')}?next=" in response.content.decode()
    assert not Role.objects.filter(user=cast.glasgow_lead, site=cast.fife).exists()
    assert (
        posted.status_code == 200
        and User.objects.filter(email=cast.glasgow_lead.email).count() == 1
    )


def test_a_deactivated_account_is_opened_again_by_accepting(client, cast):
    sign_in(client, cast.manager)
    client.post(reverse("accounts:user_deactivate", args=[cast.programme.pk, cast.glasgow_lead.pk]))
    link = _invite(client, cast, email=cast.glasgow_lead.email, role=RoleKind.STRATEGY_LEAD)

    _sign_up(client, link)

    cast.glasgow_lead.refresh_from_db()
    assert cast.glasgow_lead.is_active
    assert cast.glasgow_lead.check_password(PASSWORD)
    assert Role.objects.filter(user=cast.glasgow_lead, site=cast.fife).exists()


def test_a_closed_administrators_account_is_not_opened_by_an_invitation(client, cast):
    closed = factories.UserFactory(email="root@example.org", is_superuser=True, is_active=False)
    link = _invite(client, cast, email="root@example.org")

    response = _sign_up(client, link)

    assert "The account of this email address is closed." in _refusal(response)
    closed.refresh_from_db()
    assert not closed.is_active and not closed.check_password(PASSWORD)


# --- Links that fail --------------------------------------------------------------------------


def test_a_link_used_twice_fails_the_second_time(client, cast):
    link = _invite(client, cast)
    _sign_up(client, link)
    client.logout()

    again = _sign_up(client, link, full_name="Someone else")

    assert again.status_code == 410
    assert _refusal(again).startswith("This invitation has already been used.")
    assert User.objects.filter(email="new@example.org").count() == 1
    assert Role.objects.filter(user__email="new@example.org").count() == 1


def test_the_service_accepts_an_invitation_once(cast):
    invitation = factories.InvitationFactory(programme=cast.programme, sites=[cast.fife])
    services.invitation_accept_as_new_user(
        invitation=invitation, full_name="First", password=PASSWORD
    )

    with pytest.raises(DomainError, match="already been used"):
        services.invitation_accept_as_new_user(
            invitation=invitation, full_name="Second", password=PASSWORD
        )


def test_an_expired_link_fails_and_says_when_it_expired(client, cast):
    link = _invite(client, cast)
    sent = timezone.now() - dt.timedelta(days=8)
    Invitation.objects.update(sent_at=sent, expires_at=sent + dt.timedelta(days=7))

    response = client.get(link)
    posted = _sign_up(client, link)

    expired = timezone.localtime(sent + dt.timedelta(days=7))
    assert response.status_code == 410
    assert _refusal(response) == (
        f"This invitation expired on {expired.day} {expired:%B %Y}. Ask whoever invited you to "
        "send it again."
    )
    assert posted.status_code == 410
    assert not User.objects.filter(email="new@example.org").exists()


def test_a_link_still_works_a_moment_before_it_expires(client, cast):
    link = _invite(client, cast)
    sent = timezone.now() - dt.timedelta(days=7) + dt.timedelta(minutes=1)
    Invitation.objects.update(sent_at=sent, expires_at=sent + dt.timedelta(days=7))

    assert client.get(link).status_code == 200


def test_a_withdrawn_link_fails(client, cast):
    link = _invite(client, cast)
    sign_in(client, cast.manager)
    client.post(reverse("accounts:invitation_withdraw", args=[Invitation.objects.get().pk]))
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert _refusal(response).startswith("This invitation has been withdrawn.")
    assert Invitation.objects.get().history.latest().history_user == cast.manager


def test_resending_kills_the_old_link_and_the_new_one_works(client, cast):
    old = _invite(client, cast)
    sign_in(client, cast.manager)
    invitation = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() + dt.timedelta(days=1))
    client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    client.logout()
    new = _link(mail.outbox[-1])

    refused = client.get(old)
    _sign_up(client, new)

    assert refused.status_code == 404
    assert "does not work" in _refusal(refused)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=6)
    assert [row.history_type for row in invitation.history.order_by("history_id")] == [
        "+",
        "~",
        "~",
    ]


def test_a_link_opened_by_a_user_of_another_address_fails_without_naming_it(client, cast):
    link = _invite(client, cast, email="new@example.org")
    sign_in(client, cast.fife_lead)

    response = client.get(link)
    posted = client.post(link)

    assert response.status_code == posted.status_code == 403
    assert "sent to another email address" in _refusal(response)
    assert "new@example.org" not in response.content.decode()
    assert not Invitation.objects.get().accepted_at


def test_an_unknown_link_fails_plainly(client):
    response = client.get(reverse("accounts:invitation_accept", args=["not-a-token"]))

    assert response.status_code == 404
    assert "This invitation link does not work." in _refusal(response)


def test_the_accept_link_is_throttled_per_client(client):
    url = reverse("accounts:invitation_accept", args=["guess"])

    answers = [client.get(url, REMOTE_ADDR="192.0.2.7").status_code for _ in range(31)]
    elsewhere = client.get(url, REMOTE_ADDR="198.51.100.8").status_code

    assert answers[:30] == [404] * 30
    assert answers[30] == 429
    assert elsewhere == 404
