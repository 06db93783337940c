import datetime as dt

import pytest

from car_programme.dates import (
    DatePrecision,
    format_partial_period,
    parse_partial_date,
)


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2015", False, (dt.date(2015, 1, 1), DatePrecision.YEAR)),
        ("2017", True, (dt.date(2017, 12, 31), DatePrecision.YEAR)),
        ("2016-02", True, (dt.date(2016, 2, 29), DatePrecision.MONTH)),
        ("2016-02-23", True, (dt.date(2016, 2, 23), DatePrecision.DAY)),
    ],
)
def test_parse_partial_date(text, end, expected):
    assert parse_partial_date(text, end=end) == expected


@pytest.mark.parametrize(
    ("start", "end", "precision", "expected"),
    [
        (dt.date(2015, 1, 1), dt.date(2017, 12, 31), DatePrecision.YEAR, "2015 to 2017"),
        (
            dt.date(2015, 6, 1),
            dt.date(2016, 8, 31),
            DatePrecision.MONTH,
            "June 2015 to August 2016",
        ),
        (dt.date(2015, 1, 1), dt.date(2015, 12, 31), DatePrecision.YEAR, "2015"),
        (dt.date(2015, 1, 1), None, DatePrecision.YEAR, "from 2015"),
        (None, None, DatePrecision.DAY, ""),
    ],
)
def test_format_partial_period(start, end, precision, expected):
    assert format_partial_period(start, end, precision) == expected
