import pytest
from django.urls import reverse

from evidence.enums import Sensitivity
from tests.cast import as_user, sign_in
from tests.factories.evidence import EvidenceItemFactory
from tests.factories.inquiries import group_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", 200),
        ("fife_researcher", 200),
        ("glasgow_researcher", 404),
        ("fife_lead", 404),
        ("anonymous", 302),
    ],
)
def test_who_may_read_the_history_of_restricted_evidence(client, cast, role, expected):
    item = EvidenceItemFactory(
        programme=cast.programme, group=group_in(cast.fife), sensitivity=Sensitivity.RESTRICTED
    )

    response = as_user(client, cast, role).get(reverse("evidence:evidence_history", args=[item.pk]))

    assert response.status_code == expected


def test_evidence_history_shows_who_changed_what(client, cast):
    item = EvidenceItemFactory(programme=cast.programme, group=group_in(cast.fife), title="Before")
    item.title = "After"
    item._history_user = cast.fife_researcher
    item.save(update_fields=["title"])

    response = sign_in(client, cast.manager).get(
        reverse("evidence:evidence_history", args=[item.pk])
    )

    latest = response.context["entries"][0]
    assert latest.record.history_user == cast.fife_researcher
    assert [(c.old, c.new) for c in latest.changes] == [("Before", "After")]
