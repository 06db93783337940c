"""What each role gets on a Fife event's pages."""

READ = {
    "manager": 200,
    "fife_researcher": 200,
    "glasgow_researcher": 200,
    "fife_lead": 200,
    "glasgow_lead": 404,
    "anonymous": 302,
}
EDIT = {
    "manager": 200,
    "fife_researcher": 200,
    "glasgow_researcher": 403,
    "fife_lead": 403,
    "glasgow_lead": 404,
    "anonymous": 302,
}
