"""Words around figures and names, so that a sentence reads right whatever fills it."""

import re

VOWEL_SOUNDS = tuple("aeiou")


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 event", "3 events", "0 events"; ``plural`` for nouns that do not take an s."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def with_article(phrase: str) -> str:
    """ "a site report", "an end-of-programme report", "an event report"."""
    article = "an" if phrase[:1].lower() in VOWEL_SOUNDS else "a"
    return f"{article} {phrase}"


def undated(number: int, noun: str, plural: str | None = None) -> str:
    """ "3 activities have no known date", "1 activity has no known date"; "" for none: the
    note under a figure by date that leaves them out."""
    if not number:
        return ""
    return f"{counted(number, noun, plural)} {'has' if number == 1 else 'have'} no known date"


def known_count(number: int, uncounted: int) -> str:
    """A count some of whose records give no number ("meetings", no count): "12" when all do,
    "at least 12" when some do not, "unknown" when none does."""
    if not uncounted:
        return str(number)
    return f"at least {number}" if number else "unknown"


def head_count(number: int, approximate: bool, sites: int, sites_unknown: int) -> str:
    """An event's head count as published: "7", "about 30", and where it adds up the counts of
    only some of the event's sites, which: "7 from 2 sites; 2 sites unknown"."""
    shown = f"{'about ' if approximate else ''}{number}"
    if not sites_unknown:
        return shown
    return f"{shown} from {counted(sites, 'site')}; {counted(sites_unknown, 'site')} unknown"


def shortened(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters; otherwise cut at the last word boundary that
    leaves room for an ellipsis, never inside a word. A text with no such boundary is refused."""
    if len(text) <= limit:
        return text
    boundary = text.rfind(" ", 0, limit)
    head = text[:boundary].rstrip(" ,;:.&(-\u2013\u2014") if boundary > 0 else ""
    if not head:
        raise ValueError(
            f"Title too long ({len(text)} > {limit} characters, no word break): {text!r}"
        )
    return f"{head}…"


# Wide enough for any number a name holds; keys longer than their column are cut (SORT_KEY_LENGTH).
_NUMBER_WIDTH = 10
SORT_KEY_LENGTH = 255


def natural_key(text: str) -> str:
    """What a list sorts ``text`` by, as a reader expects: case aside, and numbers by their
    value ("member 2" before "member 10"), in plain string order on any database."""
    padded = re.sub(r"\d+", lambda number: number.group().zfill(_NUMBER_WIDTH), text.casefold())
    return padded[:SORT_KEY_LENGTH]


def figure(value):
    """A count as every page and report prints it, thousands grouped ("1,234"); anything but a
    whole number (a label, an empty cell) as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value
