"""Dates known only to the year or the month, and the dates a record may carry at all.

The sources often give "2015-2017" or "June 2015"; a record keeps the first day of the period
with its precision, so reports print what is known and nothing more.
"""

import calendar
import datetime as dt
import functools

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


# What a page says of a record whose date the source does not give.
DATE_UNKNOWN = "date unknown"


def parse_partial_date(value: str | int, *, end: bool = False) -> tuple[dt.date, str]:
    """Turn "2015", "2015-06" or "2015-06-23" into a date and its precision.

    A period's end (``end=True``) takes the last day of the year or month it names.
    """
    text = str(value)
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 1:
        return (dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)), DatePrecision.YEAR
    if len(parts) == 2:
        year, month = parts
        day = calendar.monthrange(year, month)[1] if end else 1
        return dt.date(year, month, day), DatePrecision.MONTH
    return dt.date(*parts), DatePrecision.DAY


def format_partial_date(value: dt.date | None, precision: str) -> str:
    """The date as far as it is known, in the product's one format ("18 November 2024")."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    name = "YEAR_MONTH_FORMAT" if precision == DatePrecision.MONTH else "DATE_FORMAT"
    return _formatted(value, name, get_language())


@functools.lru_cache(maxsize=4096)
def _formatted(value: dt.date, name: str, language: str | None) -> str:
    # A list of two thousand events formats as many dates, most of them the same few hundred
    # days: each is formatted once per format and language.
    return date_format(value, name)


def format_partial_period(start: dt.date | None, end: dt.date | None, precision: str) -> str:
    """ "2015 to 2017", "June 2015 to August 2016", "from 2015", "until 2018" or ""."""
    first, last = format_partial_date(start, precision), format_partial_date(end, precision)
    if first and last:
        return first if first == last else f"{first} to {last}"
    if first:
        return f"from {first}"
    return f"until {last}" if last else ""


def format_partial_span(start: dt.date | None, end: dt.date | None, precision: str) -> str:
    """When an event or activity took place: "20 February 2025", "1 to 3 March 2016"-like
    periods, or "date unknown". Unlike a group's period, a missing end means it ended the day
    it began."""
    if start is None and end is None:
        return DATE_UNKNOWN
    return format_partial_period(start, end or start, precision)


# The dates a record may carry: the programme's span with this margin either side (records
# are often kept from a little before a programme starts, and reports written after it ends),
# or, where the programme gives no span, from EARLIEST to YEARS_AHEAD years ahead.
PROGRAMME_MARGIN_YEARS = 5
EARLIEST = dt.date(1990, 1, 1)
YEARS_AHEAD = 10


def years_from(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` years on (or back), within the calendar's years; 29 February
    becomes the 28th."""
    year = min(max(day.year + years, dt.MINYEAR), dt.MAXYEAR)
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def date_bounds(programme=None, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date that makes sense for a record of ``programme`` (or of no known
    programme): what every form and import accepts, and the widest window a dashboard charts."""
    first = EARLIEST
    last = years_from(today or timezone.localdate(), YEARS_AHEAD)
    if programme is not None and programme.start_date is not None:
        first = years_from(programme.start_date, -PROGRAMME_MARGIN_YEARS)
    if programme is not None and programme.end_date is not None:
        last = years_from(programme.end_date, PROGRAMME_MARGIN_YEARS)
    return first, last
