"""The curl script of docs/api/ works end to end against a live server with a token: it logs a
meeting with its attendees, and saves the site's figures, that meeting counted, as the API's
CSV."""

import csv
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
from django.conf import settings

from api.serializers.figures import COLUMNS
from inquiries.models import Activity
from tests import factories
from tests.api.conftest import token_of
from tests.cast import make_cast
from tests.reports.test_exports import populate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("curl") is None, reason="the script needs curl"),
]

SCRIPT = Path(settings.BASE_DIR) / "docs" / "api" / "example.sh"


def test_the_script_logs_a_meeting_and_fetches_the_site_s_figures_as_csv(live_server, tmp_path):
    # The live server reads what is committed: a cast of its own (see test_schemathesis).
    cast = make_cast()
    populate(cast, n=2)
    token = token_of(cast.manager)
    out = tmp_path / "figures.csv"
    attendees = [
        factories.PersonFactory(programme=cast.programme, site=cast.fife) for _ in range(2)
    ]
    environment = {
        **os.environ,
        "CAR_URL": live_server.url,
        "CAR_TOKEN": token,
        "GROUP": str(cast.group.pk),
        "ATTENDEES": ",".join(str(person.pk) for person in attendees),
        "DATE": "2016-05-10",
        "SITE": str(cast.fife.pk),
        "START": "2016-01-01",
        "END": "2016-12-31",
        "OUT": str(out),
    }

    done = subprocess.run(
        ["bash", str(SCRIPT), "all"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(COLUMNS)
    answer = requests.get(
        f"{live_server.url}/api/v1/sites/{cast.fife.pk}/figures/",
        params={"start": "2016-01-01", "end": "2016-12-31"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert len(rows) == len(answer.json())
    activities = next(
        row for row in rows if (row["table"], row["category"]) == ("headline", "Activities")
    )
    # The two activities of the populated site, and the meeting the script logged.
    assert activities["value"] == "3"
    logged = Activity.objects.get(group=cast.group, title="Monthly inquiry meeting")
    assert (logged.date, logged.duration_minutes) == (dt.date(2016, 5, 10), 90)
    assert set(logged.attendance.values_list("person", flat=True)) == {p.pk for p in attendees}
