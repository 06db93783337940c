"""Template context shared by every page."""

# (namespace, words in the URL name) -> section of the main navigation.
SECTIONS = [
    ("sites", "organisation", "organisations"),
    ("sites", "", "sites"),
    ("inquiries", "activit", "activities"),
    ("inquiries", "tally", "activities"),
    ("inquiries", "attendance", "activities"),
    ("inquiries", "person", "people"),
    ("inquiries", "people", "people"),
    ("inquiries", "consent", "people"),
    ("inquiries", "", "groups"),
    ("events", "", "events"),
    ("evidence", "output", "outputs"),
    ("evidence", "", "evidence"),
    ("reports", "dashboard", "dashboards"),
    ("reports", "export", "exports"),
    ("reports", "", "reports"),
]


def navigation(request) -> dict:
    """The main navigation's current section, so its link is marked for every user agent."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {"nav_section": ""}
    if match.url_name == "home":
        return {"nav_section": "home"}
    for namespace, word, section in SECTIONS:
        if match.namespace == namespace and word in (match.url_name or ""):
            return {"nav_section": section}
    return {"nav_section": ""}
