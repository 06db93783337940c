"""The signed-out landing page greets a newcomer on the embedded default with the demo sign-ins
and their roles; nowhere else does it advertise a public password."""

import pytest
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from programme_data.logins import demo_logins_ensure
from tests.car_programme.test_settings import PRODUCTION_KEY, manage
from tests.factories.sites import CaseSiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_logins():
    site = CaseSiteFactory(name="North", programme__name="Riverside programme")
    return demo_logins_ensure(programme=site.programme, site=site)


def sign_in_rows(html: str) -> list[str]:
    table = html.split('id="demo-heading"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")[:-1]
    return [" ".join(_text(row).split()) for row in rows]


def _text(html: str) -> str:
    out, inside = [], False
    for char in html:
        if char in "<>":
            inside = char == "<"
            out.append(" ")
        elif not inside:
            out.append(char)
    return "".join(out)


def test_the_landing_page_lists_the_demo_sign_ins_with_their_roles(client, settings, demo_logins):
    settings.DEMO_LOGINS_SHOWN = True

    html = client.get(reverse("home")).content.decode()

    assert f'the password <code class="text-body">{DEMO_PASSWORD}</code>' in html
    assert sign_in_rows(html) == [
        "manager Programme manager of Riverside programme;"
        " superuser: may also use the administration",
        "researcher Researcher of North",
        "lead Strategy lead of North",
    ]


def test_a_demo_user_who_is_deactivated_is_not_listed(client, settings, demo_logins):
    settings.DEMO_LOGINS_SHOWN = True
    demo_logins[1].is_active = False
    demo_logins[1].save(update_fields=["is_active"])

    html = client.get(reverse("home")).content.decode()

    assert [row.split()[0] for row in sign_in_rows(html)] == ["manager", "lead"]


def test_the_landing_page_lists_no_sign_in_off_the_embedded_default(client, settings, demo_logins):
    settings.DEMO_LOGINS_SHOWN = False

    html = client.get(reverse("home")).content.decode()

    assert "demo-heading" not in html
    assert DEMO_PASSWORD not in html


def test_the_sign_ins_are_read_in_a_fixed_number_of_queries(
    client, settings, demo_logins, django_assert_num_queries
):
    settings.DEMO_LOGINS_SHOWN = True

    with django_assert_num_queries(2):  # the users, then their roles with programme and site
        client.get(reverse("home"))


@pytest.mark.parametrize(
    ("env", "shown"),
    [
        ({}, "True"),
        ({"DEBUG": "False", "SECRET_KEY": PRODUCTION_KEY}, "False"),
        # Demo logins allowed on a production configuration are still never advertised.
        ({"DEBUG": "False", "SECRET_KEY": PRODUCTION_KEY, "DEMO_LOGINS_ALLOWED": "True"}, "False"),
    ],
    ids=["embedded default", "production", "production with demo logins"],
)
def test_the_sign_ins_are_shown_on_the_embedded_default_only(env, shown):
    script = "from django.conf import settings; print(settings.DEMO_LOGINS_SHOWN)"

    result = manage("shell", "-c", script, **env)

    assert result.stdout.strip().splitlines()[-1] == shown, result.stderr
