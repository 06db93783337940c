"""Words around figures and names, so that a sentence reads right whatever fills it."""

VOWEL_SOUNDS = tuple("aeiou")


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 event", "3 events", "0 events"; ``plural`` for nouns that do not take an s."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def with_article(phrase: str) -> str:
    """ "a site report", "an end-of-programme report", "an event report"."""
    article = "an" if phrase[:1].lower() in VOWEL_SOUNDS else "a"
    return f"{article} {phrase}"
