# The one way dates are written on every page, report and message: "18 November 2024".
# Templates use ``|date`` (or ``|date:"DATETIME_FORMAT"``), Python ``date_format()``.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
