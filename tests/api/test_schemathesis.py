"""A client that no one here wrote reads the API: schemathesis loads the schema the live server
serves, then calls every ``GET`` of it with a valid token, once with the records of the cast and
then with a few generated parameters, and checks that no answer is a server error and that
every answer it documents (its type and its body) is the one the schema describes.

Kept short (a few examples per operation, under a minute for the whole API): it looks for the
answers the schema does not foresee, the role matrix and the other tests check what they say.
"""

import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests import factories
from tests.api.conftest import token_of
from tests.cast import make_cast
from tests.reports.test_exports import populate
from tests.rules_table import RECORDS

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
EXAMPLES = 4
BUDGET_SECONDS = 60


def known_ids(cast, base_url, headers) -> dict[str, int]:
    """A record the manager may read, by the first word of its paths (``sites``): the cast's,
    or the first of the resource's own list."""
    ids = {"programmes": cast.programme.pk, "sites": cast.fife.pk, "groups": cast.group.pk}

    def first_of(resource):
        answer = requests.get(f"{base_url}/api/v1/{resource}/", headers=headers, timeout=30)
        results = answer.json()["results"] if answer.ok else []
        return results[0]["id"] if results else None

    return ids | {
        resource: first_of(resource)
        for resource in requests.get(f"{base_url}/api/v1/", headers=headers, timeout=30).json()
        if resource not in ids
    }


def path_parameters(operation, ids) -> dict:
    resource = operation.path.removeprefix("/api/v1/").split("/", 1)[0]
    chosen = {}
    for parameter in operation.path_parameters:
        if parameter.name == "id":
            chosen["id"] = ids[resource]
        elif parameter.name == "dataset":
            chosen["dataset"] = "activities"
    return chosen


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_schema(live_server, request):
    # The live server reads what is committed: a cast of its own, not the module's (built in
    # a transaction that the server's thread cannot see).
    cast = make_cast()
    populate(cast, n=2)
    factories.OrganisationFactory(programme=cast.programme).sites.set([cast.fife])
    factories.ThemeFactory(programme=cast.programme)
    # A record of every resource, so that each detail is read once with a real id.
    for record in ("fife_cycle", "fife_research_question", "fife_report"):
        RECORDS[record](cast)
    headers = {"Authorization": f"Bearer {token_of(cast.manager)}"}
    base_url = live_server.url
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/schema/?format=json")
    ids = known_ids(cast, base_url, headers)
    session = requests.Session()
    request.addfinalizer(session.close)
    started = time.monotonic()

    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    failures = {}
    for operation in operations:
        try:
            run(operation, path_parameters(operation, ids), base_url, session, headers)
        # Every operation's failures are reported together, not only the first's.
        except (Exception, FailureGroup) as error:
            failures[operation.label] = _first_line(error)

    assert failures == {}
    assert len(operations) >= 20
    assert {"/api/v1/sites/{id}/figures/", "/api/v1/sites/{id}/exports/{dataset}.csv"} <= {
        operation.path for operation in operations
    }
    assert time.monotonic() - started < BUDGET_SECONDS


def _first_line(error) -> str:
    for each in getattr(error, "exceptions", [error]):
        return " ".join(str(each).split())[:400]
    return ""


def run(operation, fixed, base_url, session, headers):
    """The cast's record as its reader asks for it, checked in full; then generated
    parameters (the path's record kept, so that they reach it)."""
    answer = operation.Case(path_parameters=fixed).call_and_validate(
        base_url=base_url, session=session, headers=headers, checks=CHECKS, timeout=30
    )
    assert answer.status_code == 200, answer.status_code

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=fixed))
    def fuzzed(case):
        case.call_and_validate(
            base_url=base_url, session=session, headers=headers, checks=CHECKS, timeout=30
        )

    fuzzed()
