"""The embedded default (SQLite, no broker), as ``make run`` sets it up: the demo loads, every
dashboard section renders and the end-of-programme report builds and prints.

CI runs the suite on PostgreSQL, so this drives a separate process on a fresh SQLite file: the
figures use PostgreSQL features (array and ordered-set aggregates, casts) that have to keep
working on the database a newcomer gets first."""

import pytest

from reports.dashboards import SECTION_SLUGS
from tests.car_programme.embedded import embedded_env, manage

# Runs inside ``manage.py shell``, one process for the whole check: loads the demo as ``make run``
# does, prints one line per dashboard page with its status, then the report's page count.
SCRIPT = """
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from inquiries.models import InquiryGroup
from reports.dashboards import SECTION_SLUGS
from reports.documents import build_document
from reports.enums import ReportKind
from reports.models import ReportRequest
from reports.rendering import render_pdf
from sites.models import CaseSite, Programme

call_command("load_demo")
setup_test_environment()
programme = Programme.objects.get(slug="wws-car")
site = CaseSite.objects.filter(programme=programme).order_by("name", "pk").first()
group = InquiryGroup.objects.filter(programme=programme, sites=site).order_by("pk").first()
client = Client()
client.force_login(User.objects.get(username="manager"))
urls = [
    reverse("reports:programme_dashboard", args=[programme.slug]),
    reverse("reports:site_dashboard", args=[programme.slug, site.slug]),
    reverse("reports:group_dashboard", args=[programme.slug, group.pk]),
]
for url in urls:
    for section in SECTION_SLUGS:
        status = client.get(url, {"section": section}).status_code
        print("page", url, section, status)
report_request = ReportRequest(
    programme=programme, kind=ReportKind.END_OF_PROGRAMME, options={}, version=1
)
document = build_document(report_request, on_step=lambda step: None)
pdf = render_pdf(render_to_string(document.template_name, document.context))
print("report pages", pdf.pages)
"""


def run(*args: str, env: dict[str, str]) -> str:
    result = manage(*args, env=env, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
def test_the_demo_dashboards_and_report_work_on_the_embedded_default(migrated_sqlite):
    env = embedded_env(migrated_sqlite, DEMO_LOGINS_ALLOWED="True")

    out = run("shell", "-c", SCRIPT, env=env).splitlines()

    pages = [line.split() for line in out if line.startswith("page ")]
    assert len(pages) == 3 * len(SECTION_SLUGS)
    assert [page for page in pages if page[-1] != "200"] == []
    report = [line for line in out if line.startswith("report pages ")]
    assert len(report) == 1 and int(report[0].split()[-1]) > 10
