"""Template context shared by every page."""

import rules

from car_programme.admin_site import may_administer

# (namespace, words in the URL name) -> section of the main navigation.
NAV_SECTION_OF_URL = [
    ("accounts", "user", "users"),
    ("accounts", "role", "users"),
    ("accounts", "invitation_create", "users"),
    ("sites", "organisation", "organisations"),
    ("sites", "programme", "programmes"),
    ("sites", "theme", "programmes"),
    ("sites", "framework", "programmes"),
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
    """The main navigation's current section, so its link is marked for every user agent, and
    whether links into the administration and to the users pages are offered."""
    user = getattr(request, "user", None)
    return {
        "nav_section": _section(getattr(request, "resolver_match", None)),
        "can_administer": user is not None and may_administer(user),
        # Asked of the rule set alone: a "no" from Django's model permissions would cost every
        # page two queries.
        "may_manage_users": user is not None and rules.has_perm("accounts.manage_users", user),
    }


def _section(match) -> str:
    if match is None:
        return ""
    if match.url_name == "home":
        return "home"
    for namespace, word, section in NAV_SECTION_OF_URL:
        if match.namespace == namespace and word in (match.url_name or ""):
            return section
    return ""
