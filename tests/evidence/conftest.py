import pytest

from evidence.enums import Sensitivity
from tests import factories
from tests.evidence.records import of_fife


@pytest.fixture
def internal(cast):
    return of_fife(factories.EvidenceItemFactory, cast, "Sanctions statistics", with_file=True)


@pytest.fixture
def restricted(cast):
    return of_fife(
        factories.EvidenceItemFactory,
        cast,
        "Claimant interviews",
        sensitivity=Sensitivity.RESTRICTED,
        with_file=True,
    )


@pytest.fixture
def fife_output(cast):
    return factories.OutputFactory(
        programme=cast.programme, title="Welfare PIT report", sites=[cast.fife], with_file=True
    )
