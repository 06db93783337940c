"""Links from a dashboard's figures to the lists of the records behind them."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from reports import metrics

# A key no record has, reversed in its place and then replaced by each record's own.
_STAND_IN = "9081726354"


class RecordLinks:
    """URLs of the record lists, filtered to the dashboard's scope as the figure counts it
    (the lists filter through the same scope: ``inquiries.filters.ScopeFilterSet``), and to the
    category a figure counts."""

    def __init__(self, scope: metrics.MetricScope):
        self.scope = scope
        self.site_pk = scope.site.pk if scope.site else None
        self.group_pk = scope.group.pk if scope.group else None
        self._paths: dict[str, str] = {}
        self._details: dict[str, tuple[str, str]] = {}

    def _url(self, name: str, **params) -> str:
        # A chart by month links each of hundreds of cells: each list's path is reversed once.
        if name not in self._paths:
            self._paths[name] = reverse(name)
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return self._paths[name] + (f"?{query}" if query else "")

    def _detail(self, name: str, pk: int) -> str:
        # A table of hundreds of groups or events links each row: reversed once, for all.
        if name not in self._details:
            before, after = reverse(name, args=[_STAND_IN]).split(_STAND_IN)
            self._details[name] = before, after
        before, after = self._details[name]
        return f"{before}{pk}{after}"

    def _scoped(self, name: str, names=("site", "start", "end"), **params) -> str:
        """``name``'s list in the dashboard's scope; ``names`` are the list's own names of the
        site and dates parameters."""
        site, start, end = names
        scope = {
            "programme": self.scope.programme.pk,
            site: self.site_pk,
            "group": self.group_pk,
            start: self.scope.start,
            end: self.scope.end,
        }
        return self._url(name, **{**scope, **params})

    def groups(self, **params) -> str:
        if self.group_pk:
            return self.group(self.group_pk)
        return self._scoped("inquiries:group_list", **params)

    def group(self, pk: int) -> str:
        return self._detail("inquiries:group_detail", pk)

    def people(self) -> str:
        return self._scoped("inquiries:person_list", ("in_site", "start", "end"))

    def organisations(self, **params) -> str:
        return self._scoped("sites:organisation_list", ("in_site", "start", "end"), **params)

    def activities(self, *, month: str | None = None, **params) -> str:
        """Activities in scope; in ``month`` (its first day, ISO) within the scope's range."""
        if month is not None:
            first, last = dt.date.fromisoformat(month), _month_end(month)
            params["date_from"] = max(first, self.scope.start or first)
            params["date_to"] = min(last, self.scope.end or last)
        return self._scoped("inquiries:activity_list", ("site", "date_from", "date_to"), **params)

    def evidence(self, **params) -> str:
        return self._scoped("evidence:evidence_list", **params)

    def evidence_item(self, pk: int) -> str:
        return self._detail("evidence:evidence_detail", pk)

    def outputs(self, **params) -> str:
        return self._scoped("evidence:output_list", **params)

    def changes(self, **params) -> str:
        return self._scoped("evidence:change_list", **params)

    def events(self, **params) -> str:
        return self._scoped("events:event_list", **params)

    def event(self, pk: int) -> str:
        return self._detail("events:event_detail", pk)


def _month_end(first_day: str) -> dt.date:
    day = dt.date.fromisoformat(first_day)
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
