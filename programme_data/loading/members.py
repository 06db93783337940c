"""Who sits in which group: the seats of the published member counts, planned before any row
is written.

A source counts members per group ("14 core, 34 periphery") and names nobody, so each seat is
held by a pseudonymous person. A person sits in several groups only where the source says so: a
group's ``shared_with`` says how many of its members, in which role, are members of an earlier
group, and those seats go to that group's people, each person shared once at most, so no overlap
is made up beyond the ones published. An organisation is given to a person only where the source
places members in it (``member_organisations``: how many members of the group are from each);
every other person's organisation is unknown.
"""

from collections import Counter
from dataclasses import dataclass, field

from inquiries.enums import MembershipRole


@dataclass(frozen=True)
class Seat:
    """One person's membership of one group: ``pseudonym`` is the person's, ``role`` the
    membership's."""

    pseudonym: str
    role: str


@dataclass
class PlannedPerson:
    name: str
    site_key: str
    organisation_key: str | None = None


@dataclass
class MemberPlan:
    """The seats of every group, by group key, and the people who hold them, by pseudonym."""

    seats: dict[str, list[Seat]] = field(default_factory=dict)
    people: dict[str, PlannedPerson] = field(default_factory=dict)
    shared_so_far: Counter = field(default_factory=Counter)


ROLE_CODES = {
    MembershipRole.CORE: "C",
    MembershipRole.PERIPHERY: "P",
    MembershipRole.CONSULTEE: "Q",
    MembershipRole.LEAD: "L",
    MembershipRole.RESEARCHER_FACILITATOR: "R",
    MembershipRole.EXPERT: "E",
}


def plan_members(sites: list[dict]) -> MemberPlan:
    """The seats of the groups of ``sites`` (the description's sites, in order).

    Raises ValueError where a group shares members with a group not planned before it, asks
    for more shared members than it or that group has, places more members in organisations
    than it has, or says its members include the researchers without core seats for them.
    """
    plan = MemberPlan()
    for site in sites:
        for group in site.get("groups") or []:
            plan.seats[group["key"]] = _group_seats(plan, group, site["key"])
            _place_organisations(plan, group)
    return plan


def _group_seats(plan: MemberPlan, group: dict, home_site: str) -> list[Seat]:
    counts = {role: count or 0 for role, count in (group.get("members") or {}).items()}
    if group.get("members_include_researchers") and not counts.get(MembershipRole.CORE):
        # The researchers hold core seats of the count; a total without seats says it in its
        # label, in the source's own words.
        raise ValueError(
            f"{group['key']} says its members include the researchers but has no core members"
        )
    seats = _shared_seats(plan, group, counts)
    code = group["key"].upper().replace("_", "-")
    for role, count in counts.items():
        shared = sum(1 for seat in seats if seat.role == role)
        for number in range(1, count - shared + 1):
            pseudonym = f"{code}-{ROLE_CODES[role]}{number:02d}"
            plan.people[pseudonym] = PlannedPerson(
                name=f"Unnamed {role} member {number} of {group['name']}",
                site_key=home_site,
            )
            seats.append(Seat(pseudonym, role))
    return seats


def _shared_seats(plan: MemberPlan, group: dict, counts: dict[str, int]) -> list[Seat]:
    """The seats of ``group`` held by members of earlier groups, as ``shared_with`` says."""
    seats = []
    for other_key, roles in (group.get("shared_with") or {}).items():
        if other_key not in plan.seats:
            raise ValueError(
                f"{group['key']} shares members with {other_key}, not loaded before it"
            )
        others = plan.seats[other_key]
        for role, count in roles.items():
            if count > counts.get(role, 0):
                raise ValueError(f"{group['key']} shares more {role} members than it has")
            start = plan.shared_so_far[other_key]
            if start + count > len(others):
                raise ValueError(f"{other_key} has not {count} more members to share")
            seats.extend(Seat(seat.pseudonym, role) for seat in others[start : start + count])
            plan.shared_so_far[other_key] += count
    return seats


def _place_organisations(plan: MemberPlan, group: dict):
    """Give the people of ``group``, in seat order, the organisations the source places the
    group's members in, as many as it says."""
    places = [
        key
        for key, count in (group.get("member_organisations") or {}).items()
        for _ in range(count)
    ]
    seats = plan.seats[group["key"]]
    if len(places) > len(seats):
        raise ValueError(f"{group['key']} places more members in organisations than it has")
    for seat, key in zip(seats, places, strict=False):
        person = plan.people[seat.pseudonym]
        if person.organisation_key not in (None, key):
            raise ValueError(f"{seat.pseudonym} is placed in two organisations")
        person.organisation_key = key
