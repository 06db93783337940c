"""Every figure that a dashboard or a report shows (being split by subject)."""

from reports.metrics.paper import *  # noqa: F403
