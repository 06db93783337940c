from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from accounts.second_factor import CODE_NEEDED, ENROLMENT_NEEDED, STATE_SESSION_KEY

# Where a session that owes its second factor may go: the page that asks for it, signing out,
# and what a browser fetches by itself.
OPEN_TO = {
    CODE_NEEDED: {"accounts:second_factor_verify", "accounts:logout"},
    ENROLMENT_NEEDED: {"accounts:second_factor_enrol", "accounts:logout"},
}
ALWAYS_OPEN = {"favicon", "healthz"}
SENT_TO = {
    CODE_NEEDED: "accounts:second_factor_verify",
    ENROLMENT_NEEDED: "accounts:second_factor_enrol",
}


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


class SecondFactorMiddleware:
    """Sends a signed-in session that still owes its second factor to the page that asks for it.

    The state was decided at sign-in (``accounts.second_factor.sign_in_state_record``) and is
    read from the session, so a page costs no query here. The page asked for comes back as
    ``next``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = request.session.get(STATE_SESSION_KEY) if hasattr(request, "session") else None
        if state in OPEN_TO and request.user.is_authenticated:
            view_name = _view_name(request.path_info)
            if view_name not in OPEN_TO[state] and view_name not in ALWAYS_OPEN:
                return self._send_on(request, state)
        return self.get_response(request)

    @staticmethod
    def _send_on(request, state):
        target = reverse(SENT_TO[state])
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
