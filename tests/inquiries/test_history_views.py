import pytest
from django.urls import reverse

from car_programme.privacy import person_erase
from inquiries.enums import GroupStatus
from inquiries.services import group_status_change, person_update
from tests import factories
from tests.cast import FIFE_EDIT_PAGE, page_as, refused_as

pytestmark = pytest.mark.django_db


def fife_person(cast, **kwargs):
    return factories.PersonFactory(programme=cast.programme, site=cast.fife, **kwargs)


def change_topic(group, topic, by):
    group.topic = topic
    group._history_user = by
    group.save(update_fields=["topic"])


# The records with a history page, each made in Fife.
HISTORY_OF = {
    "group": lambda cast: cast.group,
    "person": fife_person,
    "activity": lambda cast: factories.ActivityFactory(programme=cast.programme, group=cast.group),
}


@pytest.mark.parametrize("kind", HISTORY_OF)
@pytest.mark.parametrize(("role", "expected"), FIFE_EDIT_PAGE)
def test_history_page_per_role(client, cast, kind, role, expected):
    record = HISTORY_OF[kind](cast)
    response = page_as(client, cast, role, f"inquiries:{kind}_history", record)

    assert refused_as(response, expected)
    if expected == 200:
        assert response.context["entries"][0].record.id == record.pk


def test_group_history_shows_who_changed_the_topic_from_what_to_what(client, cast):
    change_topic(cast.group, "Welfare reform", cast.manager)
    change_topic(cast.group, "Family hubs", cast.fife_researcher)
    cast.fife_researcher.full_name = "Rhona Researcher"
    cast.fife_researcher.save()
    client.force_login(cast.manager)

    response = client.get(reverse("inquiries:group_history", args=[cast.group.pk]))

    newest = response.context["entries"][0]
    assert newest.record.history_user == cast.fife_researcher
    assert newest.record.get_history_type_display() == "Changed"
    assert [(c.label, c.old, c.new) for c in newest.changes] == [
        ("Topic", "Welfare reform", "Family hubs")
    ]
    html = response.content.decode()
    assert "Rhona Researcher" in html
    assert "<del>Welfare reform</del>" in html
    assert "<ins>Family hubs</ins>" in html


def test_group_history_shows_choices_by_their_labels_newest_first(client, cast):
    group_status_change(
        group=cast.group,
        status=GroupStatus.DORMANT,
        on=cast.group.start_date,
        by=cast.fife_researcher,
    )
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:group_history", args=[cast.group.pk]))

    entries = response.context["entries"]
    # The middle row is the cast putting the group in Fife: links are kept in the history too.
    assert [e.record.get_history_type_display() for e in entries] == [
        "Changed",
        "Changed",
        "Created",
    ]
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [
        ("Status", GroupStatus.ACTIVE.label, GroupStatus.DORMANT.label)
    ]
    assert [(c.label, c.old, c.new) for c in entries[1].changes] == [("Sites", None, "Fife")]


def test_activity_history_shows_a_changed_title(client, cast):
    activity = factories.ActivityFactory(
        programme=cast.programme, group=cast.group, title="Meeting"
    )
    activity.title = "Planning meeting"
    activity._history_user = cast.fife_researcher
    activity.save(update_fields=["title"])
    client.force_login(cast.fife_researcher)

    response = client.get(reverse("inquiries:activity_history", args=[activity.pk]))

    changes = response.context["entries"][0].changes
    assert [(c.label, c.old, c.new) for c in changes] == [("Title", "Meeting", "Planning meeting")]


def test_erased_persons_history_shows_no_trace_of_the_old_name(client, cast):
    person = fife_person(cast, name="Alison Macleod", email="alison@example.org")
    person_update(person=person, by=cast.fife_researcher, name="Alison Macleod-Reid")
    person_erase(person=person, by=cast.manager)
    client.force_login(cast.manager)

    response = client.get(reverse("inquiries:person_history", args=[person.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Erased" in html
    assert "Alison" not in html
    assert "Macleod" not in html
    assert "alison@example.org" not in html


@pytest.mark.parametrize("size", [10, 60])
def test_group_history_query_count_does_not_grow(client, cast, django_assert_max_num_queries, size):
    editors = [cast.manager, cast.fife_researcher]
    for n in range(size):
        change_topic(cast.group, f"Topic {n}", editors[n % 2])
    client.force_login(cast.fife_researcher)

    # Fifteen at any size: session and user, roles, the group and its sites, the change
    # permission, the count, the page with its authors and the record before it (one query),
    # the page's links (one query per kept link: sites, themes, proposed projects), the names
    # of the sites the oldest row shows, and the session's save (savepoint, update, release).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("inquiries:group_history", args=[cast.group.pk]))

    # The cast's putting the group in Fife is a row of its own.
    assert response.context["page_obj"].paginator.count == size + 2
    assert len(response.context["entries"]) == min(size + 2, 50)
