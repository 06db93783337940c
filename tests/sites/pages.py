"""What each role gets on the pages of a site's records."""

ROLES = ["manager", "fife_researcher", "glasgow_researcher", "fife_lead", "glasgow_lead"]


def per_role(shown, refused=()):
    """``(role, outcome)`` of a page for each role and a visitor: the roles ``shown`` the page,
    those ``refused`` it, the others not found; a visitor is sent to sign in."""
    rows = [
        (role, "shown" if role in shown else "refused" if role in refused else "not found")
        for role in ROLES
    ]
    return [*rows, ("anonymous", "sign in")]


def beside_elsewhere(table):
    """Each row of ``table`` with the outcome of the same page for another programme's record:
    not found for every role, sign in for a visitor."""
    return [
        (role, expected, "sign in" if role == "anonymous" else "not found")
        for role, expected in table
    ]


# Fife's readers see a Fife record's page; Glasgow's lead does not.
FIFE_READ_OUTCOMES = per_role(
    shown={"manager", "fife_researcher", "glasgow_researcher", "fife_lead"}
)
# Fife's editors edit a Fife record; the other readers are refused.
FIFE_EDIT_OUTCOMES = per_role(
    shown={"manager", "fife_researcher"}, refused={"glasgow_researcher", "fife_lead"}
)
# Any researcher may record something new; the leads may not.
CREATE_OUTCOMES = per_role(
    shown={"manager", "fife_researcher", "glasgow_researcher"},
    refused={"fife_lead", "glasgow_lead"},
)
