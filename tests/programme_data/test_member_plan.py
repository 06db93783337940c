"""The seats of published member counts: shared people and placed organisations."""

import pytest

from programme_data.loading.members import plan_members


def site(*groups):
    return {"key": "fife", "groups": list(groups)}


def team(key, members, **extra):
    return {"key": key, "name": key.title(), "members": members, **extra}


def test_each_shared_person_is_shared_once():
    plan = plan_members(
        [
            site(
                team("lead", {"core": 3}),
                team("one", {"core": 2}, shared_with={"lead": {"core": 1}}),
                team("two", {"core": 1, "periphery": 1}, shared_with={"lead": {"core": 1}}),
            )
        ]
    )

    pseudonyms = {key: [seat.pseudonym for seat in seats] for key, seats in plan.seats.items()}
    assert pseudonyms == {
        "lead": ["LEAD-C01", "LEAD-C02", "LEAD-C03"],
        "one": ["LEAD-C01", "ONE-C01"],
        "two": ["LEAD-C02", "TWO-P01"],
    }
    assert len(plan.people) == 5


def test_only_the_published_number_of_members_gets_an_organisation():
    plan = plan_members(
        [site(team("bal", {"core": 3}, member_organisations={"hscp": 1, "nhs": 1}))]
    )

    assert [person.organisation_key for person in plan.people.values()] == ["hscp", "nhs", None]


@pytest.mark.parametrize(
    "groups",
    [
        [team("one", {"core": 1}, shared_with={"later": {"core": 1}}), team("later", {"core": 1})],
        [team("lead", {"core": 1}), team("one", {"core": 2}, shared_with={"lead": {"core": 2}})],
        [team("lead", {"core": 2}), team("one", {"core": 1}, shared_with={"lead": {"core": 2}})],
        [team("one", {"core": 1}, member_organisations={"hscp": 2})],
        # 000:1315 "Team of nine ... (and What Works Scotland)" is a total with no seats.
        [team("one", {"consultee": 11}, members_include_researchers=True)],
    ],
    ids=[
        "shares-with-a-later-group",
        "more-than-the-other-has",
        "more-than-it-has",
        "overplaced",
        "researchers-without-core-seats",
    ],
)
def test_a_plan_the_counts_cannot_hold_is_refused(groups):
    with pytest.raises(ValueError):
        plan_members([site(*groups)])
