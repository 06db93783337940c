"""Writes on inquiry groups (with their cycles), people (with their memberships) and activities.

Each module names its services in ``__all__``; they are all importable from here.
"""

from inquiries.services.activities import *  # noqa: F403
from inquiries.services.groups import *  # noqa: F403
from inquiries.services.people import *  # noqa: F403
