"""A programme description is checked against its declared schema before anything is written."""

import io
import textwrap

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from evidence.models import Change, Output
from inquiries.models import InquiryGroup
from programme_data.loading import description_read
from programme_data.management.commands.load_demo import DEMO_FILE
from reports.models import Chapter, Edition
from sites.models import CaseSite, Programme

pytestmark = pytest.mark.django_db

DESCRIPTION = """\
programme:
  name: A programme
  slug: a-programme
  figures:
    - {label: sessions, value: 60, qualifier: more than, source: "000:317"}
people:
  - {key: ann, name: Ann Researcher}
sites:
  - key: fife
    name: Fife
    researcher: ann
    engagement:
      figures:
        - {label: practitioners engaged with, value: 87, source: "000:1185"}
    groups:
      - key: pb
        name: PB group
        kind: car_inquiry
        members: {core: 3}
        published: [{counts: meetings, value: 2, label: group meetings, source: "000:1"}]
"""


def load(tmp_path, text: str):
    path = tmp_path / "programme.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    call_command("load_programme", path, stdout=io.StringIO())
    return path


def refusal(tmp_path, text: str) -> str:
    users_before = User.objects.count()
    with pytest.raises(CommandError) as refused:
        load(tmp_path, text)
    assert not Programme.objects.exists()
    assert not CaseSite.objects.exists()
    assert not InquiryGroup.objects.exists()
    assert User.objects.count() == users_before
    return str(refused.value)


def test_the_demo_description_follows_the_schema():
    assert description_read(DEMO_FILE)["programme"]["slug"] == "wws-car"


def test_a_description_that_follows_the_schema_loads(tmp_path):
    load(tmp_path, DESCRIPTION)

    assert InquiryGroup.objects.get(name="PB group").programme.slug == "a-programme"


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "label: group meetings",
            "lable: group meetings",
            20,
            "sites[fife].groups[pb].published[0].lable: unknown key (did you mean 'label'?)",
        ),
        (
            "        name: PB group\n",
            "        name: PB group\n        colour: red\n",
            18,
            "sites[fife].groups[pb].colour: unknown key",
        ),
        (
            "kind: car_inquiry",
            "kind: car_enquiry",
            18,
            "sites[fife].groups[pb].kind: 'car_enquiry' is not one of car_inquiry,",
        ),
        ("{core: 3}", "{centre: 3}", 19, "sites[fife].groups[pb].members.centre: 'centre' is not"),
        (
            "researcher: ann",
            "researcher: anne",
            11,
            "sites[fife].researcher: no record of people has the key 'anne'",
        ),
        (
            ', source: "000:1185"',
            "",
            14,
            "sites[fife].engagement.figures[0].source: a published figure needs its source note",
        ),
        (
            ', source: "000:1"}',
            "}",
            20,
            "sites[fife].groups[pb].published[0].source: a published figure needs its source note",
        ),
        (
            'qualifier: more than, source: "000:317"',
            "qualifier: more than",
            5,
            "programme.figures[0].source: a published figure needs its source note",
        ),
        # A named person's role and affiliation have no place in the product: refused, not
        # dropped (a site's researcher and director say what they are).
        (
            "{key: ann, name: Ann Researcher}",
            "{key: ann, name: Ann Researcher, role: researcher}",
            7,
            "people[ann].role: unknown key",
        ),
        (
            "{key: ann, name: Ann Researcher}",
            "{key: ann, name: Ann Researcher, organisation: uni}",
            7,
            "people[ann].organisation: unknown key",
        ),
    ],
)
def test_a_key_the_schema_cannot_place_stops_the_load_and_writes_nothing(
    tmp_path, old, new, line, message
):
    assert old in DESCRIPTION

    refused = refusal(tmp_path, DESCRIPTION.replace(old, new))

    assert f"programme.yaml:{line}: {message}" in refused


def test_every_error_of_the_file_is_reported_at_once(tmp_path):
    text = DESCRIPTION.replace("kind: car_inquiry", "kind: car_enquiry").replace(
        "label: group meetings", "lable: group meetings"
    )

    refused = refusal(tmp_path, text)

    assert "programme.yaml:18: sites[fife].groups[pb].kind" in refused
    assert "programme.yaml:20: sites[fife].groups[pb].published[0].lable" in refused


def test_a_missing_required_key_is_named_with_the_line_of_its_mapping(tmp_path):
    refused = refusal(tmp_path, DESCRIPTION.replace("        kind: car_inquiry\n", ""))

    assert "programme.yaml:16: sites[fife].groups[pb].kind: required key missing" in refused


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    refused = refusal(tmp_path, "programme: [unclosed\n")

    assert "programme.yaml" in refused and "not valid YAML" in refused


EDITION = """\
outputs:
  - {key: briefing, title: The PB briefing, kind: briefing, groups: [pb]}
changes:
  - {key: clinic, description: A clinic opened., type: practice, level: team}
editions:
  - title: Learning together
    chapters:
      - title: Introduction
        body: "The briefing [[output:briefing]] led to the clinic [[change:clinic]]."
      - section: table-b
"""


def test_an_editions_chapters_cite_records_by_their_keys(tmp_path):
    load(tmp_path, DESCRIPTION + EDITION)

    edition = Edition.objects.get(title="Learning together")
    output, change = Output.objects.get(), Change.objects.get()
    assert list(edition.chapters.values_list("title", "section", "body")) == [
        ("Introduction", "", f"The briefing [[output:{output.pk}]] led to the clinic "
         f"[[change:{change.pk}]]."),
        ("Table B: proposed and delivered projects", "table-b", ""),
    ]  # fmt: skip


def test_a_chapter_citing_a_key_no_record_has_stops_the_load(tmp_path):
    text = DESCRIPTION + EDITION.replace("[[change:clinic]]", "[[change:surgery]]")

    refused = refusal(tmp_path, text)

    assert (
        "programme.yaml:29: editions[0].chapters[0].body: no record of changes has the key "
        "'surgery'" in refused
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("section: table-b", "section: table-z", "has no data chapter 'table-z'"),
        ("led to the clinic", "led to [[figure:table-z]]", "no figure called table-z"),
    ],
)
def test_a_chapter_the_report_cannot_print_stops_the_load(tmp_path, old, new, message):
    refused = refusal(tmp_path, DESCRIPTION + EDITION.replace(old, new))

    assert message in refused
    assert not Edition.objects.exists()


def test_loading_a_corrected_edition_updates_it_and_drops_the_chapters_it_no_longer_lists(
    tmp_path,
):
    load(tmp_path, DESCRIPTION + EDITION)
    chapter = Chapter.objects.get(title="Introduction")

    corrected = EDITION.replace("The briefing", "First, the briefing").replace(
        "      - section: table-b\n", ""
    )
    load(tmp_path, DESCRIPTION + corrected)

    edition = Edition.objects.get()
    assert list(edition.chapters.values_list("pk", "title")) == [(chapter.pk, "Introduction")]
    assert edition.chapters.get().body.startswith("First, the briefing [[output:")
