"""People's names in free text: found and replaced as whole names, case and spacing aside.

Erasure (car_programme.privacy) rewrites a person's name in the records; a report's authored
text is rewritten as it is printed (reports.documents.authored). Both match the same way: a
name counts only as whole words, so "Ann Smith" is not found in "Ann Smithson", and another
person's longer name that holds it ("Ann Smith-Jones") is left alone.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words of a name that name nobody on their own ("Dr Ann Smith" is not everyone's "Dr").
TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "cllr", "rev", "sir"}
)


def given_and_family(name: str) -> set[str]:
    """The given and family names of ``name`` that may stand alone in a text: not a title,
    and not an initial."""
    words = [w for w in folded(name).split() if w.strip(".") not in TITLES]
    named = {words[0], words[-1]} if words else set()
    return {word for word in named if len(word.strip(".")) > 1}


def folded(text: str) -> str:
    """A name as matched: case and runs of white space do not count."""
    return " ".join(text.split()).lower()


def alternatives(names: set[str]) -> str:
    """``names`` as regular-expression alternatives, longest first so that a full name wins
    over the single words it contains; white space between words matches any white space."""
    ordered = sorted(names, key=lambda n: (-len(n), n))
    return "|".join(r"\s+".join(re.escape(word) for word in n.split()) for n in ordered)


def words_regex(names: set[str]) -> str:
    """A case-insensitive database regular expression finding any of ``names`` as whole words.

    It is written in the syntax PostgreSQL and Python (SQLite's REGEXP in Django) share:
    ``\\b`` is a backspace to PostgreSQL, so word edges are spelled as non-word characters or
    the ends of the text. It selects candidates only; the Python pattern decides.
    """
    return rf"(^|\W)({alternatives(names)})(\W|$)"


def whole_name_forms(name: str) -> set[str]:
    """How a text may write a person's whole name: as recorded, without its titles, and as
    given and family name without the middle ones ("Ann Smith" for "Dr Ann B. Smith")."""
    words = [w for w in folded(name).split() if w.strip(".") not in TITLES]
    forms = {folded(name), " ".join(words)}
    if len(words) > 2:
        forms.add(f"{words[0]} {words[-1]}")
    return {form for form in forms if form}


@dataclass(frozen=True)
class Hidden:
    """A person whose name a text must not print, and what it prints instead."""

    pk: int
    name: str
    pseudonym: str


class NameReplacer:
    """Finds the ``hidden`` people's whole names in a text and puts their pseudonyms in their
    place; the names of ``others`` (people a text may name) are matched too, so that a hidden
    name inside a longer name of someone else is left alone."""

    def __init__(self, hidden: Iterable[Hidden], others: Iterable[str] = ()):
        # Each way of writing a name, with whom it hides (None: someone the text may name).
        self._forms: dict[str, Hidden | None] = {}
        for person in hidden:
            for form in whole_name_forms(person.name):
                self._forms.setdefault(form, person)
        for name in others:
            for form in whole_name_forms(name):
                self._forms.setdefault(form, None)
        self._words = {form: frozenset(_WORD.findall(form)) for form in self._forms}

    def _pattern(self, text: str) -> re.Pattern | None:
        """The names that may be in ``text`` (all their words are), as one pattern: a
        programme has thousands of people, a chapter names a few."""
        present = set(_WORD.findall(text.lower()))
        candidates = {form for form, words in self._words.items() if words <= present}
        if not any(self._forms[form] for form in candidates):
            return None
        return re.compile(rf"(?<!\w)(?:{alternatives(candidates)})(?!\w)", re.IGNORECASE)

    def found(self, text: str) -> dict[Hidden, set[str]]:
        """The hidden people ``text`` names, each with the ways it writes their name."""
        pattern = self._pattern(text or "")
        found: dict[Hidden, set[str]] = {}
        for match in pattern.finditer(text) if pattern else ():
            person = self._forms.get(folded(match.group()))
            if person is not None:
                found.setdefault(person, set()).add(" ".join(match.group().split()))
        return found

    def replace(self, text: str) -> str:
        pattern = self._pattern(text or "")
        if pattern is None:
            return text

        def pseudonym(match: re.Match) -> str:
            person = self._forms.get(folded(match.group()))
            return match.group() if person is None else person.pseudonym

        return pattern.sub(pseudonym, text)


_WORD = re.compile(r"\w+")
