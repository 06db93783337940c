import factory

from sites.enums import Sector
from sites.models import (
    CaseSite,
    EngagementFigure,
    Organisation,
    Programme,
    ProposedProject,
    Theme,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")


class CaseSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseSite

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    partnership_name = factory.LazyAttribute(lambda o: f"{o.name} Community Planning Partnership")


class ProposedProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposedProject

    site = factory.SubFactory(CaseSiteFactory)
    title = factory.Sequence(lambda n: f"Proposed project {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.LOCAL_AUTHORITY


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    framework = "Christie pillars"
    name = factory.Sequence(lambda n: f"Theme {n}")


class EngagementFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EngagementFigure

    site = factory.SubFactory(CaseSiteFactory)
    label = factory.Sequence(lambda n: f"figure {n}")
    value = 10
