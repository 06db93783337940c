"""Every factory and record-making helper of the tests, reached as ``factories.PersonFactory``;
the modules below group them by app."""

# ruff: noqa: F403
from tests.factories.accounts import *
from tests.factories.events import *
from tests.factories.evidence import *
from tests.factories.inquiries import *
from tests.factories.sites import *
