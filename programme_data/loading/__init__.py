"""Loading a whole programme from a structured description (YAML), idempotently.

The description holds only published facts (see ``programme_data/demo/wws_car.yaml``). Where a
source gives counts but names nobody, pseudonymous people are created so that every count is
derived from rows; where it gives only a total (an event's head count, a week's emails), the
total is held as an explicit count. A second load of the same description writes nothing: rows
are matched on natural keys and saved only when a value differs, so no history row is added
either.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.text import slugify

from accounts.enums import RoleKind
from accounts.models import Role, User
from car_programme.dates import DatePrecision, parse_partial_date
from car_programme.records_version import records_write
from events.enums import QuestionKind
from events.models import AttendanceCount, Event, FeedbackForm, FeedbackQuestion
from evidence.enums import OutputStatus
from evidence.models import Change, EvidenceItem, Output
from inquiries.enums import ActivityKind, MembershipRole
from inquiries.models import (
    Activity,
    Facilitation,
    GroupStatusChange,
    InquiryGroup,
    Membership,
    Person,
    ResearchQuestion,
)
from sites.models import CaseSite, EngagementFigure, Organisation, Programme, ProposedProject, Theme

ROLE_CODES = {
    MembershipRole.CORE: "C",
    MembershipRole.PERIPHERY: "P",
    MembershipRole.CONSULTEE: "Q",
    MembershipRole.LEAD: "L",
    MembershipRole.RESEARCHER_FACILITATOR: "R",
    MembershipRole.EXPERT: "E",
}


def upsert(model: type[models.Model], *, lookup: dict, values: dict | None = None):
    """Get or create a row by ``lookup``; save only the fields whose values differ."""
    values = values or {}
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if _differs(instance, name, value)]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
    return instance


def _differs(instance: models.Model, name: str, value) -> bool:
    if isinstance(value, models.Model):
        return getattr(instance, f"{name}_id") != value.pk
    return getattr(instance, name) != value


def _date(value, *, end: bool = False) -> tuple[dt.date | None, str]:
    if value in (None, ""):
        return None, DatePrecision.DAY
    return parse_partial_date(value, end=end)


def _coarsest(*precisions: str) -> str:
    order = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
    return max(precisions, key=order.index)


def spread_dates(start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    """``count`` dates evenly spaced from ``start`` to ``end``: for what the source only counts."""
    if count == 1:
        return [start]
    step = (end - start) / (count - 1)
    return [start + step * index for index in range(count)]


@dataclass
class _ProgrammeLoader:
    data: dict
    programme: Programme | None = None
    users: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    sites: dict[str, CaseSite] = field(default_factory=dict)
    themes: dict[str, list[Theme]] = field(default_factory=dict)
    groups: dict[str, InquiryGroup] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    evidence: dict[str, EvidenceItem] = field(default_factory=dict)

    def load(self) -> Programme:
        self._programme()
        self._themes()
        self._people()
        self._sites()
        self._organisations()
        for site_data in self.data.get("sites", []):
            self._site_details(site_data)
        for site_data in self.data.get("sites", []):
            for group_data in site_data.get("groups", []):
                self._group(group_data, home_site=self.sites[site_data["key"]])
        for site_data in self.data.get("sites", []):
            for group_data in site_data.get("groups", []):
                self._group_relations(group_data, home_site=self.sites[site_data["key"]])
        self._outputs()
        self._evidence()
        self._events()
        self._changes()
        return self.programme

    # --- Programme, vocabularies and named people ---------------------------------------------

    def _programme(self):
        data = self.data["programme"]
        start, _ = _date(data.get("start"))
        end, _ = _date(data.get("end"), end=True)
        self.programme = upsert(
            Programme,
            lookup={"slug": data["slug"]},
            values={
                "name": data["name"],
                "description": data.get("description") or "",
                "funders": data.get("funders") or "",
                "start_date": start,
                "end_date": end,
            },
        )

    def _themes(self):
        for framework in self.data.get("frameworks", []):
            for position, theme_data in enumerate(framework["themes"]):
                theme = upsert(
                    Theme,
                    lookup={
                        "programme": self.programme,
                        "framework": framework["name"],
                        "name": theme_data["name"],
                    },
                    values={
                        "description": theme_data.get("description") or "",
                        "position": position,
                    },
                )
                self.themes.setdefault(theme.name.casefold(), []).append(theme)
                self.themes[f"{framework['name']}: {theme.name}".casefold()] = [theme]

    def _theme_list(self, names) -> list[Theme]:
        """Themes by name; a name shared by two frameworks ("Partnership") tags both."""
        found = []
        for name in names or []:
            matches = self.themes.get(str(name).casefold())
            if not matches:
                raise ValueError(f"Unknown theme {name!r}")
            found.extend(matches)
        return found

    def _people(self):
        for person in self.data.get("people", []):
            username = slugify(person["key"]).replace("-", "_")[:150]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, full_name=person["name"])
                # Named researchers and directors are records, not demo logins.
                user.set_unusable_password()
                user.save()
            else:
                upsert(User, lookup={"pk": user.pk}, values={"full_name": person["name"]})
            self.users[person["key"]] = user

    # --- Sites and organisations ---------------------------------------------------------------

    def _sites(self):
        for site_data in self.data.get("sites", []):
            selection = site_data.get("selection") or {}
            self.sites[site_data["key"]] = upsert(
                CaseSite,
                lookup={"programme": self.programme, "slug": slugify(site_data["key"])},
                values={
                    "name": site_data["name"],
                    "partnership_name": site_data.get("partnership") or "",
                    "population": site_data.get("population"),
                    "population_qualifier": site_data.get("population_qualifier") or "",
                    "geography": site_data.get("geography") or "",
                    "inequality_notes": site_data.get("inequality_notes") or "",
                    "selection_need": selection.get("need") or "",
                    "selection_capacity": selection.get("capacity") or "",
                    "selection_sustainability": selection.get("sustainability") or "",
                    "delivered_focus": list(site_data.get("delivered_summary") or []),
                    "director": self.users.get(site_data.get("director")),
                },
            )

    def _organisations(self):
        for org in self.data.get("organisations", []):
            organisation = upsert(
                Organisation,
                lookup={"programme": self.programme, "name": org["name"]},
                values={"sector": org["sector"]},
            )
            organisation.sites.set([self.sites[key] for key in org.get("sites") or []])
            self.organisations[org["key"]] = organisation

    def _site_details(self, site_data: dict):
        site = self.sites[site_data["key"]]
        researcher = self.users.get(site_data.get("researcher"))
        if researcher:
            site.lead_researchers.set([researcher])
            upsert(
                Role,
                lookup={
                    "user": researcher,
                    "programme": self.programme,
                    "site": site,
                    "role": RoleKind.RESEARCHER,
                },
            )
        for position, project in enumerate(site_data.get("proposed_projects") or []):
            upsert(
                ProposedProject,
                lookup={"site": site, "title": project["title"]},
                values={
                    "position": position,
                    "description": project.get("description") or "",
                    "outcome": project.get("outcome") or "",
                    "reason": project.get("reason") or "",
                },
            )
        self._engagement(site, site_data.get("engagement") or {})
        self._activities(site_data.get("activities") or [], site=site, group=None)

    def _engagement(self, site: CaseSite, engagement: dict):
        period = engagement.get("period") or {}
        start, start_precision = _date(period.get("start"))
        end, end_precision = _date(period.get("end"), end=True)
        figures = list(engagement.get("figures") or [])
        if period.get("weeks"):
            figures.insert(0, {"label": "weeks of engagement", "value": period["weeks"]})
        for position, figure in enumerate(figures):
            upsert(
                EngagementFigure,
                lookup={"site": site, "label": figure["label"]},
                values={
                    "value": figure["value"],
                    "position": position,
                    "period_start": start,
                    "period_end": end,
                    "qualifier": figure.get("qualifier") or "",
                },
            )
        tally_start = start or self.programme.start_date
        for tally in engagement.get("tallies") or []:
            upsert(
                Activity,
                lookup={"programme": self.programme, "site": site, "title": tally["label"]},
                values={
                    "kind": tally["kind"],
                    "count": tally["count"],
                    "direction": tally.get("direction") or "",
                    "date": tally_start,
                    "end_date": end,
                    "date_precision": _coarsest(start_precision, end_precision)
                    if start
                    else DatePrecision.YEAR,
                },
            )

    # --- Groups --------------------------------------------------------------------------------

    def _group(self, data: dict, *, home_site: CaseSite):
        start, start_precision = _date(data.get("start"))
        end, end_precision = _date(data.get("end"), end=True)
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
                "date_precision": _coarsest(start_precision, end_precision),
                "approach": data.get("approach") or "",
                "lead_description": data.get("lead") or "",
            },
        )
        self.groups[data["key"]] = group

    def _group_relations(self, data: dict, *, home_site: CaseSite):
        group = self.groups[data["key"]]
        site_keys = data.get("sites") or [home_site_key(self.sites, home_site)]
        group.sites.set([self.sites[key] for key in site_keys])
        group.themes.set(self._theme_list(data.get("themes")))
        parent = self.groups.get(data.get("parent") or "")
        upsert(InquiryGroup, lookup={"pk": group.pk}, values={"parent": parent})
        self._delivered_projects(group, home_site, data["key"])
        for change in data.get("status_history") or []:
            changed_on, precision = _date(change["on"])
            upsert(
                GroupStatusChange,
                lookup={"group": group, "status": change["status"], "changed_on": changed_on},
                values={"date_precision": precision},
            )
        for question in data.get("research_questions") or []:
            adopted, _ = _date(question.get("adopted_on"))
            replaced, _ = _date(question.get("replaced_on"))
            upsert(
                ResearchQuestion,
                lookup={"group": group, "text": question["text"]},
                values={"adopted_on": adopted, "replaced_on": replaced},
            )
        researcher_keys = data.get("researchers") or [self._site_data(home_site).get("researcher")]
        for key in filter(None, researcher_keys):
            for role in data.get("researcher_roles") or []:
                lookup = {"group": group, "researcher": self.users[key], "role": role}
                upsert(Facilitation, lookup=lookup)
        self._members(group, data, home_site)
        self._named_members(group, data.get("named_members") or [], home_site)
        self._participants(group, data.get("participants"), home_site)
        self._meetings(group, data.get("meetings"), home_site)
        self._activities(data.get("activities") or [], site=home_site, group=group)

    def _delivered_projects(self, group: InquiryGroup, site: CaseSite, group_key: str):
        site_data = self._site_data(site)
        titles = [
            project["title"]
            for project in site_data.get("proposed_projects") or []
            if group_key in (project.get("delivered_as") or [])
        ]
        group.proposed_projects.set(ProposedProject.objects.filter(site=site, title__in=titles))

    def _site_data(self, site: CaseSite) -> dict:
        return next(s for s in self.data["sites"] if self.sites[s["key"]].pk == site.pk)

    def _members(self, group: InquiryGroup, data: dict, site: CaseSite):
        """Pseudonymous members in the published numbers, spread over the named organisations.

        Where the source splits the members by site ("four Glasgow, three Fife"), each member
        gets a site in those numbers and an organisation that is a partner there.
        """
        organisations = [self.organisations[key] for key in data.get("member_organisations") or []]
        member_sites = [
            self.sites[key]
            for key, count in (data.get("members_by_site") or {}).items()
            for _ in range(count)
        ]
        code = data["key"].upper().replace("_", "-")
        seat = 0
        for role, count in (data.get("members") or {}).items():
            for number in range(1, (count or 0) + 1):
                member_site = member_sites[seat] if seat < len(member_sites) else site
                person = upsert(
                    Person,
                    lookup={
                        "programme": self.programme,
                        "pseudonym": f"{code}-{ROLE_CODES[role]}{number:02d}",
                    },
                    values={
                        "name": f"Unnamed {role} member {number} of {group}",
                        "site": member_site,
                        "organisation": _organisation_for(organisations, member_site, seat),
                    },
                )
                seat += 1
                upsert(Membership, lookup={"group": group, "person": person, "role": role})

    def _named_members(self, group: InquiryGroup, named: list, site: CaseSite):
        for member in named:
            user = self.users[member["person"]]
            person = upsert(
                Person,
                lookup={"programme": self.programme, "user": user},
                values={
                    "name": user.full_name,
                    "pseudonym": member["person"].upper().replace("_", "-"),
                },
            )
            upsert(Membership, lookup={"group": group, "person": person, "role": member["role"]})

    def _participants(self, group: InquiryGroup, participants: dict | None, site: CaseSite):
        """A published head count with no roles is a total, not a list of members."""
        if not participants:
            return
        upsert(
            EngagementFigure,
            lookup={"site": site, "label": f"{group}: {participants['label']}"[:200]},
            values={
                "value": participants["count"],
                "qualifier": "about" if participants.get("approximate") else "",
            },
        )

    def _meetings(self, group: InquiryGroup, meetings: dict | None, site: CaseSite):
        if not meetings or not meetings.get("count"):
            return
        start, _ = _date(meetings.get("start"))
        end, _ = _date(meetings.get("end"), end=True)
        start = start or group.start_date or self.programme.start_date
        end = end or group.end_date or start
        count = meetings["count"]
        approximately = "about " if meetings.get("approximate") else ""
        label = f" ({meetings['label']})" if meetings.get("label") else ""
        for number, date in enumerate(spread_dates(start, end, count), start=1):
            upsert(
                Activity,
                lookup={
                    "programme": self.programme,
                    "group": group,
                    "kind": ActivityKind.GROUP_MEETING,
                    "title": f"Meeting {number} of {approximately}{count}{label}"[:200],
                },
                values={
                    "site": site,
                    "date": date,
                    # Only the period is published; the dates within it are spread evenly.
                    "date_precision": DatePrecision.YEAR,
                },
            )

    def _activities(self, activities: list, *, site: CaseSite, group: InquiryGroup | None):
        for activity in activities:
            date, precision = _date(activity.get("date"))
            if date is None:
                # Undated in the source: placed at the start of the group (or programme), and
                # marked as known only to the year.
                fallback = group.start_date if group else None
                date, precision = fallback or self.programme.start_date, DatePrecision.YEAR
            notes = activity.get("note") or ""
            if activity.get("approximate"):
                notes = " ".join(filter(None, [notes, "The published count is approximate."]))
            upsert(
                Activity,
                lookup={
                    "programme": self.programme,
                    "site": site,
                    "group": group,
                    "kind": activity["kind"],
                    "title": activity["title"][:200],
                },
                values={
                    "date": date,
                    "date_precision": precision,
                    "count": activity.get("count"),
                    "attendance_total": activity.get("attendance"),
                    "notes": notes,
                },
            )

    # --- Outputs, evidence, events and change --------------------------------------------------

    def _outputs(self):
        for data in self.data.get("outputs", []):
            published, precision = _date(data.get("published_on"))
            output = upsert(
                Output,
                lookup={"programme": self.programme, "title": data["title"]},
                values={
                    "kind": data["kind"],
                    "form": data.get("form") or "formal",
                    "status": data.get("status") or OutputStatus.PUBLISHED,
                    "published_on": published,
                    "date_precision": precision,
                    "url": data.get("url") or "",
                    "description": data.get("description") or "",
                },
            )
            output.groups.set([self.groups[key] for key in data.get("groups") or []])
            output.sites.set([self.sites[key] for key in data.get("sites") or []])
            output.author_users.set([self.users[key] for key in data.get("authors") or []])
            output.themes.set(self._theme_list(data.get("themes")))
            self.outputs[data["key"]] = output

    def _evidence(self):
        for data in self.data.get("evidence", []):
            collected, _ = _date(data.get("collected_on"))
            item = upsert(
                EvidenceItem,
                lookup={"programme": self.programme, "title": data["title"]},
                values={
                    "kind": data["kind"],
                    "order": data["order"],
                    "authorship": data["authorship"],
                    "use": data.get("use") or "",
                    "source": data.get("source") or "",
                    "group": self.groups.get(data.get("group") or ""),
                    "collected_on": collected,
                    "description": data.get("description") or "",
                },
            )
            item.sites.set([self.sites[key] for key in data.get("sites") or []])
            item.themes.set(self._theme_list(data.get("themes")))
            self.evidence[data["key"]] = item

    def _events(self):
        for data in self.data.get("events", []):
            start, start_precision = _date(data["start"])
            end, end_precision = _date(data.get("end"), end=True)
            if end == start:
                end = None
            report = self.outputs.get(data.get("report_output") or "")
            event = upsert(
                Event,
                lookup={"programme": self.programme, "title": data["title"], "start_date": start},
                values={
                    "kind": data["kind"],
                    "end_date": end,
                    "date_precision": _coarsest(start_precision, end_precision)
                    if end
                    else start_precision,
                    "location": data.get("location") or "",
                    "organiser": data.get("organiser") or "",
                    "purpose": data.get("purpose") or "",
                    "summary": "\n".join(f"- {line}" for line in data.get("summary") or []),
                    "report": report,
                },
            )
            event.sites.set([self.sites[key] for key in data.get("sites") or []])
            event.organisations.set(
                [self.organisations[key] for key in data.get("organisations") or []]
            )
            event.groups.set([self.groups[key] for key in data.get("groups") or []])
            event.themes.set(self._theme_list(data.get("themes")))
            self._attendance_counts(event, data)
            if data.get("feedback"):
                self._feedback(event, data["feedback"])

    def _attendance_counts(self, event: Event, data: dict):
        approximate = bool(data.get("attendance_approximate"))
        if data.get("attendance_total"):
            upsert(
                AttendanceCount,
                lookup={"event": event, "organisation": None, "site": None},
                values={"count": data["attendance_total"], "approximate": approximate},
            )
        for row in data.get("attendance_by_organisation") or []:
            upsert(
                AttendanceCount,
                lookup={"event": event, "organisation": self.organisations[row["organisation"]]},
                values={"count": row["count"], "approximate": approximate},
            )
        for row in data.get("attendance_by_site") or []:
            upsert(
                AttendanceCount,
                lookup={"event": event, "site": self.sites[row["site"]]},
                values={"count": row["count"], "approximate": approximate},
            )

    def _feedback(self, event: Event, feedback: dict):
        form = upsert(
            FeedbackForm,
            lookup={"event": event, "title": f"Evaluation of {event.title}"[:200]},
            values={
                "is_open": False,
                "published_summary": _comment_summary(feedback.get("comment_summaries") or {}),
            },
        )
        position = 0
        for statement in feedback.get("statements") or []:
            share_min, share_max = _share_range(statement)
            upsert(
                FeedbackQuestion,
                lookup={"form": form, "text": statement["text"]},
                values={
                    "position": position,
                    "kind": QuestionKind.LIKERT,
                    "published_share_min": share_min,
                    "published_share_max": share_max,
                },
            )
            position += 1
        for text in feedback.get("free_text") or []:
            upsert(
                FeedbackQuestion,
                lookup={"form": form, "text": text},
                values={"position": position, "kind": QuestionKind.FREE_TEXT},
            )
            position += 1

    def _changes(self):
        for data in self.data.get("changes", []):
            date, precision = _date(data.get("date"))
            change = upsert(
                Change,
                lookup={
                    "programme": self.programme,
                    "title": data.get("title") or _headline(data["description"]),
                },
                values={
                    "description": data["description"],
                    "type": data["type"],
                    "level": data["level"],
                    "date": date,
                    "date_precision": precision,
                    "group": self.groups.get(data.get("group") or ""),
                },
            )
            change.sites.set([self.sites[key] for key in data.get("sites") or []])
            change.evidence.set([self.evidence[key] for key in data.get("evidence") or []])
            change.outputs.set([self.outputs[key] for key in data.get("outputs") or []])
            change.themes.set(self._theme_list(data.get("themes")))


def home_site_key(sites: dict[str, CaseSite], site: CaseSite) -> str:
    return next(key for key, value in sites.items() if value.pk == site.pk)


def _share_range(statement: dict) -> tuple[int | None, int | None]:
    """A published share as whole percentages: one value, or a range ("75% to 85%")."""
    if statement.get("share_4_or_5") is not None:
        share = round(float(statement["share_4_or_5"]) * 100)
        return share, share
    low, high = statement.get("share_4_or_5_min"), statement.get("share_4_or_5_max")
    if low is None or high is None:
        return None, None
    return round(float(low) * 100), round(float(high) * 100)


def _organisation_for(organisations: list, site: CaseSite, seat: int):
    """The seat-th organisation in turn, among those that are partners in ``site`` if any are."""
    local = [o for o in organisations if site in o.sites.all()] or organisations
    return local[seat % len(local)] if local else None


def _comment_summary(summaries: dict) -> str:
    """Published comment themes, by heading, as Markdown."""
    sections = []
    for heading, lines in summaries.items():
        items = "\n".join(f"- {line}" for line in lines)
        sections.append(f"{heading.replace('_', ' ').capitalize()}:\n{items}")
    return "\n\n".join(sections)


def _headline(description: str) -> str:
    first_sentence = description.split(". ")[0].strip()
    return first_sentence if len(first_sentence) <= 200 else first_sentence[:197] + "..."


@records_write
def programme_load(*, data: dict) -> Programme:
    """Create or update a programme and everything in it from ``data``.

    Side effects: writes rows in every app (and their history rows) for what differs; creates
    users, without usable passwords, for the named researchers, directors and authors.
    """
    with transaction.atomic():
        return _ProgrammeLoader(data=data).load()
