import factory

from evidence.enums import (
    Authorship,
    ChangeLevel,
    ChangeType,
    EvidenceKind,
    EvidenceOrder,
    OutputKind,
)
from evidence.models import Change, EvidenceItem, Output
from tests.factories.sites import ProgrammeFactory


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Evidence item {n}")
    kind = EvidenceKind.INTERVIEW
    order = EvidenceOrder.FIRST
    authorship = Authorship.COLLABORATION


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Output {n}")
    kind = OutputKind.RESEARCH_REPORT


class ChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Change

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Change {n}")
    type = ChangeType.PRACTICE
    level = ChangeLevel.TEAM
