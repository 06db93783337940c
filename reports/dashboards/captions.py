"""The words of the dashboards' charts, by slug: the title, the description that screen readers
read out, and the headers of the chart's data table.

Kept in one place, apart from the panels, so that the wording is edited here and a panel reads
as the figures it shows.
"""

CAPTIONS: dict[str, dict[str, str]] = {
    "groups-by-kind": {
        "title": "Groups by kind",
        "description": "The number of groups of each kind.",
        "category_header": "Kind",
        "value_name": "Groups",
    },
    "groups-by-status": {
        "title": "Groups by status, quarter by quarter",
        "description": "How many groups were in each status at the end of each quarter.",
        "category_header": "Quarter",
    },
    "organisations-by-sector": {
        "title": "Organisations by sector",
        "description": "The organisations of the people taking part, by sector.",
        "category_header": "Sector",
        "value_name": "Organisations",
    },
    "people-by-sector": {
        "title": "People by sector",
        "description": "The people taking part, by their organisation's sector.",
        "category_header": "Sector",
        "value_name": "People",
    },
    "levels": {
        "title": "People by level",
        "description": "The people taking part, from strategic to frontline.",
        "category_header": "Level",
        "value_name": "People",
    },
    "occupations": {
        "title": "People by occupation (ONS SOC 2010 major group)",
        "description": "The people taking part, by occupation category.",
        "category_header": "Occupation category",
        "value_name": "People",
    },
    "research-experience": {
        "title": "People by prior research experience",
        "description": "The people taking part, by research experience before joining.",
        "category_header": "Research experience",
        "value_name": "People",
    },
    "activities-per-month": {
        "title": "Meetings and other activities, month by month",
        "description": "Activities recorded each month by kind, backstage contacts aside.",
        "category_header": "Month",
    },
    "researcher-roles": {
        "title": "Activities by researcher role exercised",
        "description": "In how many activities each researcher role was exercised.",
        "category_header": "Role",
        "value_name": "Activities",
    },
    "table-a": {
        "title": "Evidence by authorship and order",
        "description": "Evidence items by authorship, split into first and second order.",
        "category_header": "Authorship",
    },
    "evidence-by-use": {
        "title": "Evidence by use",
        "description": "Evidence items used instrumentally, conceptually or both.",
        "category_header": "Use",
        "value_name": "Evidence items",
    },
    "outputs-by-kind": {
        "title": "Outputs by kind",
        "description": "Outputs of each kind.",
        "category_header": "Kind",
        "value_name": "Outputs",
    },
    "outputs-by-form": {
        "title": "Outputs by form",
        "description": "Formal and creative outputs.",
        "category_header": "Form",
        "value_name": "Outputs",
    },
    "outputs-by-status": {
        "title": "Outputs by status",
        "description": "Outputs in draft, in consultation, published, and of unknown status.",
        "category_header": "Status",
        "value_name": "Outputs",
    },
    "changes-by-type": {
        "title": "Changes by type and level",
        "description": "What changed because of the work, by type and by level.",
        "category_header": "Type",
    },
    "events-by-kind": {
        "title": "Events by kind",
        "description": "Events of each kind.",
        "category_header": "Kind",
        "value_name": "Events",
    },
}


def caption(slug: str) -> dict[str, str]:
    """The words of chart ``slug``, as keyword arguments of the ``reports.charts`` adapters."""
    return {"slug": slug, **CAPTIONS[slug]}
