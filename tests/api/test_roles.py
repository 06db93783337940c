"""The role matrix of the pages, run again through the API: for each resource, each role of the
cast (tests/cast.py) reads exactly the records that the rule set lets it (tests/rules_table.py),
by a personal token and by the browser's session alike; a record out of sight answers 404 as a
missing one, and a request without a valid token 401.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inquiries.enums import GroupKind
from reports.enums import ReportStatus
from reports.models import ReportRequest
from tests import factories
from tests.api.conftest import expired_token_of, revoked_token_of, token_of, with_token
from tests.cast import ROLES
from tests.rules_table import RECORDS, TABLE

pytestmark = pytest.mark.django_db

# Each resource (its basename in api/urls.py) and the rule its records are read by.
RESOURCES = {
    "programme": "sites.view_programme",
    "site": "sites.view_casesite",
    "organisation": "sites.view_organisation",
    "theme": "sites.view_theme",
    "person": "inquiries.view_person",
    # The inquiries app's groups, with their members, questions and cycles, and activities.
    "group": "inquiries.view_inquirygroup",
    "membership": "inquiries.view_membership",
    "research-question": "inquiries.view_researchquestion",
    "cycle": "inquiries.view_cycle",
    "activity": "inquiries.view_activity",
    # Evidence, events and reports.
    "evidence-item": "evidence.view_evidenceitem",
    "output": "evidence.view_output",
    "change": "evidence.view_change",
    "event": "events.view_event",
    "feedback-form": "events.view_feedbackform",
    "report-request": "reports.view_reportrequest",
}
READ_CASES = [
    pytest.param(resource, record, id=f"{resource}:{record}")
    for resource, perm in RESOURCES.items()
    for record in sorted(TABLE[perm])
]
# The manager's tokens that no longer work: every request showing one answers 401.
DEAD_TOKENS = {"revoked_token": revoked_token_of, "expired_token": expired_token_of}


def client_as(cast, role: str, via: str) -> APIClient:
    client = APIClient()
    if role in DEAD_TOKENS:
        return with_token(client, DEAD_TOKENS[role](cast.manager))
    user = cast.user(role)
    if user is None:
        return client
    if via == "session":
        client.force_login(user)
        return client
    return with_token(client, token_of(user))


def roles_for(via: str) -> tuple[str, ...]:
    return (*ROLES, *DEAD_TOKENS) if via == "token" else ROLES


def expected(role: str, allowed, *, shown, hidden) -> object:
    if role == "anonymous" or role in DEAD_TOKENS:
        return 401
    return shown if role in allowed else hidden


def listed_ids(response) -> set[int] | int:
    if response.status_code != 200:
        return response.status_code
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("via", ["token", "session"])
@pytest.mark.parametrize(("resource", "record_name"), READ_CASES)
def test_each_role_reads_what_the_rule_set_lets_it(cast, via, resource, record_name):
    record = RECORDS[record_name](cast)
    allowed = TABLE[RESOURCES[resource]][record_name]
    detail_url = reverse(f"api:{resource}-detail", args=[record.pk])
    list_url = reverse(f"api:{resource}-list")

    details, lists = {}, {}
    for role in roles_for(via):
        client = client_as(cast, role, via)
        details[role] = client.get(detail_url).status_code
        lists[role] = listed_ids(client.get(list_url, {"page_size": 200}))

    assert details == {
        role: expected(role, allowed, shown=200, hidden=404) for role in roles_for(via)
    }
    listed = {
        role: ids if isinstance(ids, int) else record.pk in ids for role, ids in lists.items()
    }
    assert listed == {
        role: expected(role, allowed, shown=True, hidden=False) for role in roles_for(via)
    }


@pytest.mark.parametrize("record_name", sorted(TABLE["inquiries.view_person_name"]))
def test_a_person_is_named_only_where_the_rule_set_shows_names(cast, record_name):
    person = RECORDS[record_name](cast)
    person.email = "person@example.org"
    person.save(update_fields=["email"])
    may_name = TABLE["inquiries.view_person_name"][record_name]
    readers = TABLE["inquiries.view_person"]["fife_person"]

    shown = {}
    for role in sorted(readers):
        client = client_as(cast, role, "token")
        detail = client.get(reverse("api:person-detail", args=[person.pk])).json()
        row = client.get(reverse("api:person-list"), {"page_size": 200}).json()["results"]
        listed = next(each for each in row if each["id"] == person.pk)
        assert listed == detail, role
        shown[role] = (detail["label"], detail["name"], detail["email"], detail["name_visible"])

    named = (person.name, person.name, "person@example.org", True)
    pseudonymous = (person.pseudonym, None, None, False)
    assert shown == {role: named if role in may_name else pseudonymous for role in readers}


def test_a_person_s_hidden_name_is_not_found_by_the_search(api, cast):
    person = RECORDS["fife_person"](cast)
    client = client_as(cast, "fife_lead", "token")

    by_name = client.get(reverse("api:person-list"), {"q": person.name}).json()
    by_pseudonym = client.get(reverse("api:person-list"), {"q": person.pseudonym}).json()

    assert (by_name["count"], [row["id"] for row in by_pseudonym["results"]]) == (0, [person.pk])


# --- Writes: a programme's themes, by its managers --------------------------------------------

THEME_EDITORS = TABLE["sites.change_theme"]["theme"]
PROGRAMME_READERS = TABLE["sites.view_programme"]["programme"]


def test_each_role_adds_a_theme_only_where_the_rule_set_lets_it(cast):
    answers = {}
    for role in roles_for("token"):
        response = client_as(cast, role, "token").post(
            reverse("api:theme-list"),
            {"programme": cast.programme.pk, "framework": "Key messages", "name": role},
        )
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        if role in TABLE["sites.add_theme"]["programme"]:
            return 201
        # Another programme's id is refused as the id of no programme.
        return 404 if role in PROGRAMME_READERS else 400

    assert answers == {role: allowed(role) for role in roles_for("token")}
    added = set(cast.programme.themes.values_list("name", flat=True))
    assert added == {role for role in roles_for("token") if allowed(role) == 201}


def test_each_role_deletes_a_theme_only_where_the_rule_set_lets_it(cast):
    themes = {role: RECORDS["theme"](cast) for role in roles_for("token")}

    answers = {}
    for role, theme in themes.items():
        response = client_as(cast, role, "token").delete(
            reverse("api:theme-detail", args=[theme.pk])
        )
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        deleters = TABLE["sites.delete_theme"]["theme"]
        return 204 if role in deleters else 404

    assert answers == {role: allowed(role) for role in roles_for("token")}
    left = set(cast.programme.themes.values_list("pk", flat=True))
    assert left == {theme.pk for role, theme in themes.items() if allowed(role) != 204}


def test_each_role_changes_a_theme_only_where_the_rule_set_lets_it(cast):
    theme = RECORDS["theme"](cast)
    url = reverse("api:theme-detail", args=[theme.pk])

    answers = {}
    for role in roles_for("token"):
        response = client_as(cast, role, "token").patch(url, {"description": f"By {role}"})
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        return 200 if role in THEME_EDITORS else 404

    assert answers == {role: allowed(role) for role in roles_for("token")}
    theme.refresh_from_db()
    # The last editor in the order of the roles wrote last.
    last_editor = [role for role in roles_for("token") if role in THEME_EDITORS][-1]
    assert theme.description == f"By {last_editor}"


def test_a_theme_s_change_is_answered_as_the_theme_now_reads(cast):
    theme = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    response = client.patch(
        reverse("api:theme-detail", args=[theme.pk]), {"name": "Prevention"}, format="json"
    )

    assert response.status_code == 200
    answer = response.json()
    assert (answer["name"], answer["framework"]) == ("Prevention", theme.framework)
    theme.refresh_from_db()
    assert theme.name == "Prevention"
    assert theme.history.latest().history_user == cast.manager


def test_a_name_taken_in_the_framework_is_refused_next_to_the_name(cast):
    theme = RECORDS["theme"](cast)
    other = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    response = client.patch(reverse("api:theme-detail", args=[theme.pk]), {"name": other.name})

    assert response.status_code == 400
    assert response.json() == {
        "name": [f"The framework “{theme.framework}” already has a theme named “{other.name}”."]
    }


def test_a_theme_that_tags_records_is_not_deleted_and_says_why(cast):
    theme = RECORDS["theme"](cast)
    cast.group.themes.set([theme])
    client = client_as(cast, "manager", "token")

    response = client.delete(reverse("api:theme-detail", args=[theme.pk]))

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            f"“{theme.name}” tags 1 record: it cannot be deleted. Rename it, or take it off "
            "those records first."
        ]
    }
    assert cast.programme.themes.filter(pk=theme.pk).exists()


def test_a_new_theme_is_answered_as_the_list_shows_it(cast):
    client = client_as(cast, "manager", "token")

    response = client.post(
        reverse("api:theme-list"),
        {"programme": cast.programme.pk, "framework": "Key messages", "name": "Trust"},
    )

    assert response.status_code == 201
    shown = client.get(reverse("api:theme-detail", args=[response.json()["id"]])).json()
    assert response.json() == shown
    assert (shown["framework"], shown["name"], shown["position"]) == ("Key messages", "Trust", 0)


def test_a_new_theme_with_a_taken_name_is_refused_next_to_the_name(cast):
    theme = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    response = client.post(
        reverse("api:theme-list"),
        {"programme": cast.programme.pk, "framework": theme.framework, "name": theme.name},
    )

    assert response.status_code == 400
    assert response.json() == {
        "name": [f"The framework “{theme.framework}” already has a theme named “{theme.name}”."]
    }


def test_an_empty_name_is_refused_by_the_serializer(cast):
    theme = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    response = client.patch(reverse("api:theme-detail", args=[theme.pk]), {"name": ""})

    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_a_theme_s_framework_cannot_be_changed_through_the_api(cast):
    theme = RECORDS["theme"](cast)
    client = client_as(cast, "manager", "token")

    client.patch(reverse("api:theme-detail", args=[theme.pk]), {"framework": "Elsewhere"})

    theme.refresh_from_db()
    assert theme.framework != "Elsewhere"


# --- Writes: evidence, outputs, changes and report requests -----------------------------------

# Who may record each kind of record anywhere (the page's create rule, asked of no record):
# everyone else is refused (404) before their data is read; a writer who may record one, but
# not in Fife, is told that the site is none they may choose (400).
RECORDING = {
    "evidence-item": ("evidence.change_evidenceitem", "fife_evidence"),
    "output": ("evidence.change_output", "fife_output"),
    "change": ("evidence.change_change", "fife_change"),
}
MAY_RECORD_SOMEWHERE = frozenset(
    {"manager", "other_manager", "superuser", "fife_researcher", "glasgow_researcher", "outsider"}
)
# Every version of a Fife report is read by whoever reads the Fife group's reports.
FIFE_REPORT_READERS = TABLE["reports.view_reportrequest"]["fife_report"]


def a_new_record(resource: str, cast, title: str) -> dict:
    fields = {
        "evidence-item": {"kind": "survey", "order": "first", "authorship": "practitioner"},
        "output": {"kind": "briefing"},
        "change": {"type": "practice", "level": "team"},
    }[resource]
    return {"title": title, "sites": [cast.fife.pk], **fields}


@pytest.mark.parametrize("resource", sorted(RECORDING))
def test_each_role_records_in_a_site_only_where_the_rule_set_lets_it(cast, resource):
    perm, record = RECORDING[resource]
    answers = {}
    for role in roles_for("token"):
        response = client_as(cast, role, "token").post(
            reverse(f"api:{resource}-list"), a_new_record(resource, cast, role), format="json"
        )
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        if role in TABLE[perm][record]:
            return 201
        return 400 if role in MAY_RECORD_SOMEWHERE else 404

    assert answers == {role: allowed(role) for role in roles_for("token")}


@pytest.mark.parametrize("resource", sorted(RECORDING))
def test_each_role_deletes_a_record_only_where_the_rule_set_lets_it(cast, resource):
    perm, record = RECORDING[resource]
    model_name = perm.split("_", 1)[1]
    records = {role: RECORDS[record](cast) for role in roles_for("token")}

    answers = {}
    for role, each in records.items():
        response = client_as(cast, role, "token").delete(
            reverse(f"api:{resource}-detail", args=[each.pk])
        )
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        deleters = TABLE[f"evidence.delete_{model_name}"][record]
        return 204 if role in deleters else 404

    assert answers == {role: allowed(role) for role in roles_for("token")}
    model = type(next(iter(records.values())))
    left = set(
        model.objects.filter(pk__in=[r.pk for r in records.values()]).values_list("pk", flat=True)
    )
    assert left == {each.pk for role, each in records.items() if allowed(role) != 204}


def test_each_role_requests_a_group_report_only_where_the_rule_set_lets_it(cast):
    answers = {}
    for role in roles_for("token"):
        response = client_as(cast, role, "token").post(
            reverse("api:report-request-list"),
            {"kind": "group_learning", "target": cast.group.pk, "sections": ["members"]},
            format="json",
        )
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        if role in TABLE["reports.request_group_report"]["fife_group"]:
            return 201
        # A group out of sight is refused as no group at all.
        return 404 if role in TABLE["inquiries.view_inquirygroup"]["fife_group"] else 400

    assert answers == {role: allowed(role) for role in roles_for("token")}
    versions = ReportRequest.objects.filter(group=cast.group).values_list("version", flat=True)
    assert sorted(versions) == list(range(1, 1 + sum(v == 201 for v in answers.values())))


def test_each_role_deletes_a_report_only_where_the_rule_set_lets_it(cast):
    reports = {}
    for role in roles_for("token"):
        reports[role] = RECORDS["fife_report"](cast)
        ReportRequest.objects.filter(pk=reports[role].pk).update(
            status=ReportStatus.FAILED, version=100 + len(reports)
        )

    answers = {}
    for role, report in reports.items():
        response = client_as(cast, role, "token").delete(
            reverse("api:report-request-detail", args=[report.pk])
        )
        answers[role] = response.status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        if role in TABLE["reports.delete_reportrequest"]["fife_report"]:
            return 204
        return 404

    assert answers == {role: allowed(role) for role in roles_for("token")}


@pytest.mark.parametrize("record_name", sorted(TABLE["reports.download_reportrequest"]))
def test_a_ready_report_s_file_is_linked_only_for_who_may_download_it(cast, record_name):
    report = RECORDS[record_name](cast)
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportStatus.READY, file="reports/r.pdf", checksum="0" * 64
    )
    readers = FIFE_REPORT_READERS

    linked = {}
    for role in sorted(readers):
        detail = client_as(cast, role, "token").get(
            reverse("api:report-request-detail", args=[report.pk])
        )
        linked[role] = detail.json()["download_url"] is not None

    allowed = TABLE["reports.download_reportrequest"][record_name]
    assert linked == {role: role in allowed for role in sorted(readers)}


# --- Writes: the inquiries app's groups, members, questions, cycles and activities ------------
# Each write action of each resource, sent by every role: done where the rule set lets the role,
# 404 where it may read the record (or the group a record is added to) but not do that, as for
# a record out of sight; a parent out of sight is refused as the id of none (400).


def _fife_person(cast):
    return factories.PersonFactory(programme=cast.programme, site=cast.fife)


def _send_group_create(cast, role):
    data = {"sites": [cast.fife.pk], "name": f"Group of {role}", "kind": GroupKind.CAR_INQUIRY}
    return "post", reverse("api:group-list"), data


def _send_group_change(cast, role):
    return "patch", reverse("api:group-detail", args=[cast.group.pk]), {"topic": f"By {role}"}


def _send_group_delete(cast, role):
    return "delete", reverse("api:group-detail", args=[factories.group_in(cast.fife).pk]), None


def _send_member_add(cast, role):
    data = {"group": cast.group.pk, "person": _fife_person(cast).pk, "role": "core"}
    return "post", reverse("api:membership-list"), data


def _send_role_change(cast, role):
    membership = RECORDS["fife_membership"](cast)
    url = reverse("api:membership-change-role", args=[membership.pk])
    return "post", url, {"role": "periphery", "as_of": "2016-03-01"}


def _send_member_end(cast, role):
    membership = RECORDS["fife_membership"](cast)
    url = reverse("api:membership-end", args=[membership.pk])
    return "post", url, {"left_on": "2016-03-01", "reason": "left_organisation"}


def _send_question_adopt(cast, role):
    data = {"group": cast.group.pk, "text": f"Asked by {role}", "adopted_on": "2016-02-01"}
    return "post", reverse("api:research-question-list"), data


def _send_cycle_add(cast, role):
    number = 100 + roles_for("token").index(role)
    return "post", reverse("api:cycle-list"), {"group": cast.group.pk, "number": number}


def _send_cycle_change(cast, role):
    cycle = RECORDS["fife_cycle"](cast)
    return "patch", reverse("api:cycle-detail", args=[cycle.pk]), {"title": f"By {role}"}


def _send_activity_log(cast, role):
    data = {
        "group": cast.group.pk,
        "kind": "group_meeting",
        "date": "2016-02-01",
        "attendees": [_fife_person(cast).pk],
    }
    return "post", reverse("api:activity-list"), data


def _send_activity_change(cast, role):
    url = reverse("api:activity-detail", args=[RECORDS["fife_activity"](cast).pk])
    return "patch", url, {"title": f"By {role}"}


def _send_activity_delete(cast, role):
    return "delete", reverse("api:activity-detail", args=[RECORDS["fife_activity"](cast).pk]), None


# Each write: what it sends, the rule it asks and of which record (tests/rules_table.py), who
# reads that record, and what it answers when done and when the record is out of sight.
GROUP_RULE = ("inquiries.change_inquirygroup", "fife_group", "inquiries.view_inquirygroup")
INQUIRY_WRITES = {
    "group:create": (
        _send_group_create,
        ("sites.change_casesite", "fife", "sites.view_casesite"),
        201,
        400,
    ),
    "group:partial_update": (_send_group_change, GROUP_RULE, 200, 404),
    "group:destroy": (
        _send_group_delete,
        ("inquiries.delete_inquirygroup", "fife_group", "inquiries.view_inquirygroup"),
        204,
        404,
    ),
    "membership:create": (_send_member_add, GROUP_RULE, 201, 400),
    "membership:change_role": (
        _send_role_change,
        ("inquiries.change_membership", "fife_membership", "inquiries.view_membership"),
        201,
        404,
    ),
    "membership:end": (
        _send_member_end,
        ("inquiries.change_membership", "fife_membership", "inquiries.view_membership"),
        200,
        404,
    ),
    "research-question:create": (_send_question_adopt, GROUP_RULE, 201, 400),
    "cycle:create": (_send_cycle_add, GROUP_RULE, 201, 400),
    "cycle:partial_update": (
        _send_cycle_change,
        ("inquiries.change_cycle", "fife_cycle", "inquiries.view_cycle"),
        200,
        404,
    ),
    "activity:create": (_send_activity_log, GROUP_RULE, 201, 400),
    "activity:partial_update": (
        _send_activity_change,
        ("inquiries.change_activity", "fife_activity", "inquiries.view_activity"),
        200,
        404,
    ),
    "activity:destroy": (
        _send_activity_delete,
        ("inquiries.delete_activity", "fife_activity", "inquiries.view_activity"),
        204,
        404,
    ),
}


@pytest.mark.parametrize("write", sorted(INQUIRY_WRITES))
def test_each_role_writes_the_inquiries_records_only_where_the_rule_set_lets_it(cast, write):
    send, (perm, record_name, view_perm), done, unseen = INQUIRY_WRITES[write]
    writers, readers = TABLE[perm][record_name], TABLE[view_perm][record_name]

    answers = {}
    for role in roles_for("token"):
        method, url, data = send(cast, role)
        client = client_as(cast, role, "token")
        answers[role] = getattr(client, method)(url, data, format="json").status_code

    def allowed(role):
        if role == "anonymous" or role in DEAD_TOKENS:
            return 401
        return done if role in writers else 404 if role in readers else unseen

    assert answers == {role: allowed(role) for role in roles_for("token")}


# --- Figures and exports (h4): a dashboard's figures and an export page's datasets ------------

FIGURES = {
    "programme": ("reports.view_programme_dashboard", "programme"),
    "site": ("reports.view_site_dashboard", "fife"),
    "group": ("reports.view_group_dashboard", "fife_group"),
}
EXPORTS = {
    "programme": ("reports.export_programme", "programme"),
    "site": ("reports.export_site", "fife"),
}


@pytest.mark.parametrize("level", list(FIGURES))
def test_each_role_reads_the_figures_of_the_dashboards_it_may(cast, level):
    perm, record_name = FIGURES[level]
    record = RECORDS[record_name](cast)
    urls = (
        reverse(f"api:{level}-figures", args=[record.pk]),
        reverse(f"api:{level}-figures-csv", args=[record.pk]),
    )

    answers = {}
    for role in roles_for("token"):
        client = client_as(cast, role, "token")
        answers[role] = {client.get(url, {"section": "overview"}).status_code for url in urls}

    allowed = TABLE[perm][record_name]
    assert answers == {
        role: {expected(role, allowed, shown=200, hidden=404)} for role in roles_for("token")
    }


@pytest.mark.parametrize("level", list(EXPORTS))
def test_each_role_exports_what_the_export_pages_let_it(cast, level):
    perm, record_name = EXPORTS[level]
    record = RECORDS[record_name](cast)
    urls = [
        reverse(f"api:{level}-export-{extension}", args=[record.pk, "activities"])
        for extension in ("csv", "json")
    ]

    answers = {}
    for role in roles_for("token"):
        client = client_as(cast, role, "token")
        answers[role] = {client.get(url).status_code for url in urls}

    allowed = TABLE[perm][record_name]
    assert answers == {
        role: {expected(role, allowed, shown=200, hidden=404)} for role in roles_for("token")
    }


# --- end of figures and exports (h4)
