"""A title longer than its field is shortened at a word boundary, never cut inside a word."""

import pytest

from car_programme.words import shortened
from inquiries.models import Activity


def test_a_title_that_fits_is_kept_as_it_is():
    assert shortened("Data analysis session", 21) == "Data analysis session"


def test_a_long_title_is_cut_after_its_last_whole_word_with_an_ellipsis():
    title = "Disseminations to PB practitioners (Community Planning Network in Scotland)"

    short = shortened(title, 40)

    assert short == "Disseminations to PB practitioners\u2026"
    assert len(short) <= 40


def test_a_cut_never_leaves_a_dangling_separator():
    assert (
        shortened("Seminar; keynote \u2013 findings of the review", 19) == "Seminar; keynote\u2026"
    )


def test_a_title_with_no_word_break_in_reach_is_refused():
    with pytest.raises(ValueError, match=r"Title too long .* no word break"):
        shortened("Supercalifragilisticexpialidocious", 10)


@pytest.mark.django_db
def test_the_demos_longest_activity_title_ends_on_a_word_and_keeps_its_wording(demo_programme):
    # 000:874, the Glasgow PB group's disseminations: 238 characters in the source.
    activity = Activity.objects.get(
        programme=demo_programme, title__startswith="Disseminations to PB practitioners"
    )

    assert activity.title == (
        "Disseminations to PB practitioners (Community Planning Network in Scotland; Local Area "
        "Research and Intelligence Association; PB Scotland Conference; Health and Social Care "
        "Alliance Scotland; Jam\u2026"
    )
    assert activity.notes.startswith("Disseminations to PB practitioners (Community Planning")
    assert "Jam & Justice (Greater Manchester); Montreuil)" in activity.notes
