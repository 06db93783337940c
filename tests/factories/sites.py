import factory

from sites.enums import Sector
from sites.models import (
    CaseSite,
    EngagementFigure,
    Organisation,
    Programme,
    ProgrammeFigure,
    ProposedProject,
    Theme,
)


def numbered(label):
    """``label 0``, ``label 1``, ...: a name of its own for every record made."""
    return factory.Sequence(lambda n: f"{label} {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = numbered("Programme")
    slug = factory.Sequence(lambda n: f"programme-{n}")


class ProgrammeRecordFactory(factory.django.DjangoModelFactory):
    """A record of a programme of its own, unless ``programme=`` names one."""

    class Meta:
        abstract = True

    programme = factory.SubFactory(ProgrammeFactory)


class CaseSiteFactory(ProgrammeRecordFactory):
    class Meta:
        model = CaseSite

    name = numbered("Site")
    slug = factory.Sequence(lambda n: f"site-{n}")
    partnership_name = factory.LazyAttribute(lambda o: f"{o.name} Community Planning Partnership")


class ProposedProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposedProject

    site = factory.SubFactory(CaseSiteFactory)
    title = numbered("Proposed project")


class OrganisationFactory(ProgrammeRecordFactory):
    class Meta:
        model = Organisation

    name = numbered("Organisation")
    sector = Sector.LOCAL_AUTHORITY


class ThemeFactory(ProgrammeRecordFactory):
    class Meta:
        model = Theme

    framework = "Christie pillars"
    name = numbered("Theme")


class EngagementFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementFigure

    site = factory.SubFactory(CaseSiteFactory)
    label = numbered("figure")
    value = 10


class ProgrammeFigureFactory(ProgrammeRecordFactory):
    class Meta:
        model = ProgrammeFigure

    label = numbered("sessions")
    value = 10
