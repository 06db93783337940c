"""Loading the inquiry groups: their links, history, members, meetings and activities."""

from car_programme.words import shortened
from inquiries.enums import MembershipRole
from inquiries.models import (
    Activity,
    Facilitation,
    GroupFigure,
    GroupStatusChange,
    InquiryGroup,
    Membership,
    Person,
    ResearchQuestion,
)
from programme_data.loading.base import (
    ProgrammeLoad,
    coarsest,
    home_site_key,
    source_date,
    upsert,
)
from programme_data.loading.members import plan_members
from sites.enums import Qualifier
from sites.models import CaseSite, ProposedProject


class GroupLoading(ProgrammeLoad):
    def _plan_members(self):
        self.member_plan = plan_members(self.data.get("sites", []))

    def _group(self, data: dict, *, home_site: CaseSite):
        start, start_precision = source_date(data.get("start"))
        end, end_precision = source_date(data.get("end"), end=True)
        history = data.get("status_history") or []
        group = upsert(
            InquiryGroup,
            lookup={"programme": self.programme, "name": data["name"]},
            values={
                "short_name": data.get("short_name") or "",
                "kind": data["kind"],
                "topic": data.get("topic") or "",
                "description": data.get("description") or "",
                "status": history[-1]["status"] if history else "",
                "start_date": start,
                "end_date": end,
                "date_precision": coarsest(start_precision, end_precision),
                "approach": data.get("approach") or "",
                "lead_description": data.get("lead") or "",
            },
        )
        self.groups[data["key"]] = group

    def _group_relations(self, data: dict, *, home_site: CaseSite):
        group = self.groups[data["key"]]
        site_keys = data.get("sites") or [home_site_key(self.sites, home_site)]
        upsert(
            InquiryGroup,
            lookup={"pk": group.pk},
            values={"parent": self.groups.get(data.get("parent") or "")},
            links={
                "sites": [self.sites[key] for key in site_keys],
                "themes": self._theme_list(data.get("themes")),
                "proposed_projects": self._delivered_projects(home_site, data["key"]),
            },
        )
        for change in data.get("status_history") or []:
            changed_on, precision = source_date(change["on"])
            upsert(
                GroupStatusChange,
                lookup={"group": group, "status": change["status"], "changed_on": changed_on},
                values={"date_precision": precision},
            )
        for question in data.get("research_questions") or []:
            adopted, _ = source_date(question.get("adopted_on"))
            replaced, _ = source_date(question.get("replaced_on"))
            upsert(
                ResearchQuestion,
                lookup={"group": group, "text": question["text"]},
                values={"adopted_on": adopted, "replaced_on": replaced},
            )
        for key in self._researcher_keys(data, home_site):
            for role in data.get("researcher_roles") or []:
                lookup = {"group": group, "researcher": self.users[key], "role": role}
                upsert(Facilitation, lookup=lookup)
        self._members(group, data, home_site)
        self._named_members(group, data.get("named_members") or [], home_site)
        self._published_figures(group, data.get("published") or [])
        self._activities(data.get("activities") or [], site=home_site, group=group)

    def _delivered_projects(self, site: CaseSite, group_key: str) -> list[ProposedProject]:
        site_data = self._site_data(site)
        titles = [
            project["title"]
            for project in site_data.get("proposed_projects") or []
            if group_key in (project.get("delivered_as") or [])
        ]
        return list(ProposedProject.objects.filter(site=site, title__in=titles))

    def _site_data(self, site: CaseSite) -> dict:
        return next(s for s in self.data["sites"] if self.sites[s["key"]].pk == site.pk)

    def _researcher_keys(self, data: dict, site: CaseSite) -> list[str]:
        """The group's researchers, by default the site's lead researcher."""
        keys = data.get("researchers") or [self._site_data(site).get("researcher")]
        return list(filter(None, keys))

    def _members(self, group: InquiryGroup, data: dict, site: CaseSite):
        """The pseudonymous members of the published counts, as planned (see ``members``).

        Where the published core count includes the researchers ("a team of three ... What
        Works Scotland"), the group's researchers hold its last core seats.
        """
        seats = self.member_plan.seats[data["key"]]
        held = {}
        if data.get("members_include_researchers"):
            core = [seat for seat in seats if seat.role == MembershipRole.CORE]
            researchers = self._researcher_keys(data, site)[: len(core)]
            held = dict(zip(core[len(core) - len(researchers) :], researchers, strict=True))
        for seat in seats:
            if seat in held:
                person = self._user_person(held[seat])
            else:
                person = self._planned_person(seat.pseudonym)
            upsert(Membership, lookup={"group": group, "person": person, "role": seat.role})

    def _planned_person(self, pseudonym: str) -> Person:
        planned = self.member_plan.people[pseudonym]
        return upsert(
            Person,
            lookup={"programme": self.programme, "pseudonym": pseudonym},
            values={
                "name": planned.name,
                "site": self.sites[planned.site_key],
                "organisation": self.organisations.get(planned.organisation_key),
            },
        )

    def _named_members(self, group: InquiryGroup, named: list, site: CaseSite):
        for member in named:
            person = self._user_person(member["person"])
            upsert(Membership, lookup={"group": group, "person": person, "role": member["role"]})

    def _user_person(self, key: str) -> Person:
        """The person record of a named user (a researcher, a director)."""
        user = self.users[key]
        return upsert(
            Person,
            lookup={"programme": self.programme, "user": user},
            values={"name": user.full_name, "pseudonym": key.upper().replace("_", "-")},
        )

    def _published_figures(self, group: InquiryGroup, figures: list):
        """The totals the source gives about the group without rows to count them from (a head
        count, a team's size, meetings), held as published with their period and source: no
        invented member or meeting rows, no invented dates."""
        for figure in figures:
            if not figure.get("source"):
                raise ValueError(f"{group}: a published figure needs its source")
            start, start_precision = source_date(figure.get("start"))
            end, end_precision = source_date(figure.get("end"), end=True)
            label = figure.get("label") or ""
            upsert(
                GroupFigure,
                lookup={"group": group, "kind": figure["counts"], "label": label},
                values={
                    "value": figure["value"],
                    "qualifier": figure.get("qualifier") or Qualifier.EXACT,
                    "period_start": start,
                    "period_end": end,
                    "date_precision": coarsest(start_precision, end_precision),
                    "source": figure["source"],
                },
            )

    def _activities(self, activities: list, *, site: CaseSite, group: InquiryGroup | None):
        for activity in activities:
            # Undated in the source: the row stays undated, and figures by date say so.
            date, precision = source_date(activity.get("date"))
            title = shortened(activity["title"], Activity._meta.get_field("title").max_length)
            # A shortened title keeps the source's full wording in the notes.
            full_title = activity["title"] if title != activity["title"] else ""
            notes = " ".join(filter(None, [full_title, activity.get("note")]))
            if activity.get("approximate"):
                notes = " ".join(filter(None, [notes, "The published count is approximate."]))
            upsert(
                Activity,
                lookup={
                    "programme": self.programme,
                    "site": site,
                    "group": group,
                    "kind": activity["kind"],
                    "title": title,
                },
                values={
                    "date": date,
                    "date_precision": precision,
                    "count": activity.get("count"),
                    "count_unknown": _count_unknown(activity),
                    "attendance_total": activity.get("attendance"),
                    "notes": notes,
                },
            )


def _count_unknown(activity: dict) -> bool:
    """Activities the source lists without a count ("relationship building meetings", "ex-post
    interviews", "research planning"): how many is unknown, not one; a single one the source
    names is described with a count of 1."""
    return activity.get("count") is None
