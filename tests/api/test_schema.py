"""The API's OpenAPI schema: the committed one (docs/api/openapi.yaml) is what the code
generates, so a change to the API is a visible diff; it is valid OpenAPI 3; and its page and
documentation are served from this site alone."""

import difflib
import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"
REGENERATE = "manage.py spectacular --file docs/api/openapi.yaml"


def generated() -> str:
    out = io.StringIO()
    call_command("spectacular", stdout=out, fail_on_warn=True)
    return out.getvalue()


def test_the_committed_schema_is_the_one_the_code_generates():
    committed, now = COMMITTED.read_text(), generated()

    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            now.splitlines(keepends=True),
            fromfile="docs/api/openapi.yaml (committed)",
            tofile="the schema the code generates",
        )
    )
    assert not diff, f"The API changed: run `{REGENERATE}` and commit the diff.\n{diff}"


def test_the_schema_is_valid_openapi_3():
    schema = yaml.safe_load(COMMITTED.read_text())

    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_the_schema_is_served_to_anyone(client):
    response = client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == 200
    assert set(response.json()["paths"]) == set(yaml.safe_load(COMMITTED.read_text())["paths"])


def test_the_documentation_page_loads_swagger_ui_from_this_site(client):
    response = client.get(reverse("api:docs"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/js/api_docs.js" in page
    assert f'data-schema-url="{reverse("api:schema")}"' in page
    assert "https://" not in page.split("<body", 1)[0]  # nothing from another site


def test_the_documentation_page_keeps_the_content_security_policy(client):
    response = client.get(reverse("api:docs"))

    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


def test_the_root_lists_the_resources(api, cast):
    api.force_login(cast.manager)

    resources = api.get(reverse("api:api-root")).json()

    assert set(resources) == {
        "programmes",
        "sites",
        "organisations",
        "themes",
        "people",
        # Evidence, events and reports.
        "evidence",
        "outputs",
        "changes",
        "events",
        "feedback-forms",
        "reports",
        # The inquiries app's.
        "groups",
        "memberships",
        "research-questions",
        "cycles",
        "activities",
    }
