"""Loading the sites, their organisations, proposed projects and researcher engagement."""

from django.utils.text import slugify

from accounts.enums import RoleKind
from accounts.models import Role
from inquiries.models import Activity
from programme_data.loading.base import (
    ProgrammeLoad,
    coarsest,
    published_values,
    source_date,
    upsert,
)
from sites.models import CaseSite, EngagementFigure, Organisation, ProposedProject


class SiteLoading(ProgrammeLoad):
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
                links={"sites": [self.sites[key] for key in org.get("sites") or []]},
            )
            self.organisations[org["key"]] = organisation

    def _site_details(self, site_data: dict):
        site = self.sites[site_data["key"]]
        researcher = self.users.get(site_data.get("researcher"))
        if researcher:
            upsert(CaseSite, lookup={"pk": site.pk}, links={"lead_researchers": [researcher]})
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
        start, start_precision = source_date(period.get("start"))
        end, end_precision = source_date(period.get("end"), end=True)
        figures = list(engagement.get("figures") or [])
        if period.get("weeks"):
            weeks = {"label": "weeks of engagement", "value": period["weeks"]}
            figures.insert(0, {**weeks, "source": period.get("source")})
        for position, figure in enumerate(figures):
            upsert(
                EngagementFigure,
                lookup={"site": site, "label": figure["label"]},
                values={
                    "position": position,
                    "period_start": start,
                    "period_end": end,
                    **published_values(figure),
                },
            )
        notes = "\n".join(engagement.get("notes") or [])
        upsert(CaseSite, lookup={"pk": site.pk}, values={"engagement_notes": notes})
        for tally in engagement.get("tallies") or []:
            upsert(
                Activity,
                lookup={"programme": self.programme, "site": site, "title": tally["label"]},
                values={
                    "kind": tally["kind"],
                    "count": tally["count"],
                    "direction": tally.get("direction") or "",
                    "notes": _response_rate(tally.get("response_rate")),
                    # Over the engagement's period: undated where the source gives none.
                    "date": start,
                    "end_date": end,
                    "date_precision": coarsest(start_precision, end_precision),
                },
            )


def _response_rate(rate: float | None) -> str:
    return f"Response rate as published: {rate:.1%}." if rate is not None else ""
