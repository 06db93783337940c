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
from reports.tallies import tallies_written
from tests.factories.sites import ProgrammeRecordFactory, numbered

# The smallest content the upload checks accept as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _with_file(name):
    """A trait: ``with_file=True`` gives the record a small PDF called ``name``."""
    return factory.Trait(file=factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name=name)))


def _set_sites(record, create, extracted, **kwargs):
    """``sites=[...]`` sets the record's sites once it is saved."""
    if create and extracted:
        record.sites.set(extracted)


class _SiteRecordFactory(ProgrammeRecordFactory):
    """A programme's record that may be tied to some of its sites (``sites=[...]``)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    sites = factory.PostGeneration(_set_sites)


class EvidenceItemFactory(_SiteRecordFactory):
    class Meta:
        model = EvidenceItem

    title = numbered("Evidence item")
    kind = EvidenceKind.INTERVIEW
    order = EvidenceOrder.FIRST
    authorship = Authorship.COLLABORATION

    class Params:
        with_file = _with_file("evidence.pdf")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the services do: the tallies count the item once it is written.
        item = super()._create(model_class, *args, **kwargs)
        tallies_written([item])
        return item


class OutputFactory(_SiteRecordFactory):
    class Meta:
        model = Output

    title = numbered("Output")
    kind = OutputKind.RESEARCH_REPORT

    class Params:
        with_file = _with_file("output.pdf")


class ChangeFactory(_SiteRecordFactory):
    class Meta:
        model = Change

    title = numbered("Change")
    type = ChangeType.PRACTICE
    level = ChangeLevel.TEAM
