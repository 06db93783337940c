"""docs/programme-file.md documents every key that ``sections.py`` declares, as declared: the
same sections, keys, kinds of value and vocabularies, so the reference cannot drift from the
schema that the loader checks."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from evidence.models import Output
from inquiries.models import InquiryGroup
from programme_data.loading.schema import Items, Keyed, Record, Value
from programme_data.loading.sections import DESCRIPTION
from reports.models import Edition

DOC = Path(__file__).resolve().parents[2] / "docs" / "programme-file.md"
ROW = re.compile(r"^\| `(?P<key>[^`]+)` \| (?P<value>.*?) \| (?P<required>yes|) \| .+ \|$")


def value_text(spec: Value) -> str:
    """How the reference states what ``spec`` takes (the table's second column)."""
    if isinstance(spec, Record):
        return "record"
    if isinstance(spec, Items):
        inner = value_text(spec.item)
        if inner == "record":
            return "list of records"
        if inner.startswith("key of"):
            return f"list of keys of{inner.removeprefix('key of')}"
        return f"list, each {inner}" if inner.startswith("one of") else f"list of {inner}"
    if isinstance(spec, Keyed):
        key = _key_text(Value(vocabulary=spec.vocabulary, refers=spec.refers)) or "name"
        return f"mapping of {key} to {value_text(spec.value)}"
    return _key_text(spec) or "text"


def _key_text(spec: Value) -> str:
    if spec.vocabulary:
        values = ", ".join(f"`{value}`" for value in spec.vocabulary.values if value != "")
        return f"one of {values}"
    if spec.refers:
        return f"key of `{spec.refers}[]`"
    if spec.number:
        return "number"
    if spec.flag:
        return "`true` or `false`"
    if spec.date:
        return "date"
    return ""


def records(spec: Value, path: str = "") -> dict[str, Record]:
    """Every record of the schema by its path (``sites[].groups[]``), the top one as ``""``."""
    found = {}
    if isinstance(spec, Record):
        found[path] = spec
        for name, child in spec.keys.items():
            found.update(records(child, f"{path}.{name}" if path else name))
    elif isinstance(spec, Items):
        found.update(records(spec.item, f"{path}[]"))
    elif isinstance(spec, Keyed):
        found.update(records(spec.value, f"{path}.*"))
    return found


def documented() -> dict[str, dict[str, tuple[str, str]]]:
    """The doc's tables: for each path named in a heading, its rows (key: value, required)."""
    sections: dict[str, dict[str, tuple[str, str]]] = {}
    current: list[str] = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            current = re.findall(r"`([^`]*)`", line) if "`" in line else []
            for path in current:
                sections.setdefault("" if path == "(top)" else path, {})
        elif match := ROW.match(line):
            for path in current:
                key = sections["" if path == "(top)" else path]
                key[match["key"]] = (match["value"], match["required"])
    return sections


def test_every_section_of_the_schema_is_documented_and_no_other():
    assert set(documented()) == set(records(DESCRIPTION))


def test_every_key_is_documented_as_declared():
    doc = documented()

    for path, record in records(DESCRIPTION).items():
        declared = {
            name: (value_text(spec), "yes" if spec.required else "")
            for name, spec in record.keys.items()
        }
        assert doc[path] == declared, path


@pytest.mark.django_db
def test_the_example_loads_as_documented(tmp_path):
    example = DOC.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")

    call_command("load_programme", path, stdout=io.StringIO())

    group = InquiryGroup.objects.get(name="Housing inquiry group")
    assert group.programme.slug == "riverside-car"
    assert group.memberships.count() == 16
    assert [(f.value, f.qualifier) for f in group.published_figures.all()] == [(12, "at least")]
    edition = Edition.objects.get(programme=group.programme)
    output = Output.objects.get(title="What the housing inquiry learnt")
    assert edition.chapters.first().body.startswith(
        f"The housing inquiry's briefing [[output:{output.pk}]]"
    )
