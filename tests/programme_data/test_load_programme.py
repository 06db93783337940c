"""``manage.py load_programme FILE`` as a newcomer runs it: a refused file exits non-zero,
naming the file, the line and the key, and writes nothing."""

import io
import textwrap

import pytest
from django.core.management import CommandError, call_command

from sites.models import Programme
from tests.car_programme.embedded import embedded_env, manage

pytestmark = pytest.mark.django_db

DESCRIPTION = """\
programme:
  name: A programme
  slug: a-programme
sites:
  - key: north
    name: North
    colour: red
"""


def write(tmp_path, text: str):
    path = tmp_path / "programme.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_programme_loads_the_file_it_is_given(tmp_path):
    path = write(tmp_path, DESCRIPTION.replace("    colour: red\n", ""))
    out = io.StringIO()

    call_command("load_programme", path, stdout=out)

    assert Programme.objects.get().sites.get().name == "North"
    assert f"Loaded A programme from {path}." in out.getvalue()


def test_an_unknown_key_is_refused_with_its_file_line_and_key(tmp_path):
    path = write(tmp_path, DESCRIPTION)

    with pytest.raises(CommandError) as refused:
        call_command("load_programme", path, stdout=io.StringIO())

    assert f"{path}:7: sites[north].colour: unknown key" in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert not Programme.objects.exists()


def test_a_theme_no_framework_holds_is_refused_and_nothing_is_written(tmp_path):
    path = write(
        tmp_path,
        DESCRIPTION.replace(
            "colour: red", "groups: [{key: g, name: G, kind: car_inquiry, themes: [Colour]}]"
        ),
    )

    with pytest.raises(CommandError, match="Unknown theme 'Colour'"):
        call_command("load_programme", path, stdout=io.StringIO())

    assert not Programme.objects.exists()


def test_the_command_exits_non_zero_on_a_refused_file(tmp_path):
    path = write(tmp_path, DESCRIPTION)

    result = manage("load_programme", str(path), env=embedded_env(tmp_path), timeout=120)

    assert result.returncode == 1
    assert f"{path}:7: sites[north].colour: unknown key" in result.stderr
    assert "Loaded" not in result.stdout
