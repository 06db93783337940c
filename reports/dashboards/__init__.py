"""The dashboards (being split by section)."""

from reports.dashboards.activity import *  # noqa: F403
