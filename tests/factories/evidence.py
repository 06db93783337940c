import factory
from django.core.files.base import ContentFile

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

# The smallest content the upload checks accept as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


class EvidenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Evidence item {n}")
    kind = EvidenceKind.INTERVIEW
    order = EvidenceOrder.FIRST
    authorship = Authorship.COLLABORATION

    class Params:
        with_file = factory.Trait(
            file=factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="evidence.pdf"))
        )

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Output {n}")
    kind = OutputKind.RESEARCH_REPORT

    class Params:
        with_file = factory.Trait(
            file=factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="output.pdf"))
        )

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)


class ChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Change
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Change {n}")
    type = ChangeType.PRACTICE
    level = ChangeLevel.TEAM

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        if create and extracted:
            self.sites.set(extracted)
