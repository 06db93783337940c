"""What may go into a spreadsheet cell: one rule for every CSV and XLSX the application writes."""

import datetime as dt
from typing import Any

from django.utils import timezone

# Characters that make a spreadsheet read a cell as a formula (or hide one behind whitespace).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value as it may go into a cell: text that a spreadsheet would run is quoted.

    Only text is touched: a negative number stays a number. Aware datetimes become local naive
    ones, since spreadsheets know no time zones, and every datetime is kept to the second: XLSX
    holds no microseconds, so a CSV and a sheet of the same rows read alike.
    """
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.replace(microsecond=0)
    return value
