import datetime as dt

import factory

from car_programme.privacy import consent_record
from inquiries.enums import (
    ActivityKind,
    ConsentMethod,
    ConsentUse,
    GroupFigureKind,
    GroupKind,
    GroupStatus,
    MembershipRole,
)
from inquiries.models import Activity, Attendance, Cycle, InquiryGroup, Membership, Person
from inquiries.people_counts import people_counts_written
from inquiries.rollups import rollups_refresh
from reports.tallies import tallies_written
from sites.enums import Qualifier
from tests.factories.sites import ProgrammeRecordFactory, numbered


class PersonFactory(ProgrammeRecordFactory):
    class Meta:
        model = Person

    name = numbered("Person")
    pseudonym = factory.Sequence(lambda n: f"P-{n:04d}")


class InquiryGroupFactory(ProgrammeRecordFactory):
    class Meta:
        model = InquiryGroup

    name = numbered("Inquiry group")
    kind = GroupKind.CAR_INQUIRY
    status = GroupStatus.ACTIVE
    start_date = dt.date(2015, 6, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(InquiryGroupFactory)
    person = factory.SubFactory(PersonFactory, programme=factory.SelfAttribute("..group.programme"))
    role = MembershipRole.CORE
    joined_on = dt.date(2015, 6, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the services do: the people counts count the member once the membership is written.
        membership = super()._create(model_class, *args, **kwargs)
        people_counts_written([membership])
        return membership


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    group = factory.SubFactory(InquiryGroupFactory)
    number = factory.Sequence(lambda n: n + 1)


class GroupFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inquiries.GroupFigure"

    group = factory.SubFactory(InquiryGroupFactory)
    kind = GroupFigureKind.MEMBERS
    value = 25
    qualifier = Qualifier.ABOUT
    label = "officers"
    source = "000:1367 'Approx. 25 officers'"


class ActivityFactory(ProgrammeRecordFactory):
    class Meta:
        model = Activity

    group = factory.SubFactory(InquiryGroupFactory, programme=factory.SelfAttribute("..programme"))
    kind = ActivityKind.GROUP_MEETING
    date = dt.date(2016, 1, 12)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the services do: the rollups count the activity once it is written.
        activity = super()._create(model_class, *args, **kwargs)
        rollups_refresh([activity.pk])
        tallies_written([activity])
        return activity


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(
        PersonFactory, programme=factory.SelfAttribute("..activity.programme")
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the services do: the activity's rollup rows follow its attendance.
        attendance = super()._create(model_class, *args, **kwargs)
        rollups_refresh([attendance.activity_id])
        return attendance


def group_in(site, **kwargs):
    """An inquiry group of ``site`` alone."""
    group = InquiryGroupFactory(programme=site.programme, **kwargs)
    group.sites.set([site])
    return group


def consented_to_be_named(person):
    """Record ``person``'s written consent, given on 1 June 2015, to be named in reports."""
    consent_record(
        person=person,
        use=ConsentUse.NAMED,
        given_on=dt.date(2015, 6, 1),
        method=ConsentMethod.WRITTEN,
        by=None,
    )


def group_named_and_private(site, **kwargs):
    """A group of ``site`` alone with two members: Morag Consenting, core, who consents to be
    named, and Hamish Private, peripheral, who does not. Returns the group and the two people."""
    group = group_in(site, **kwargs)
    named = MembershipFactory(group=group, person__name="Morag Consenting").person
    private = MembershipFactory(
        group=group, person__name="Hamish Private", role=MembershipRole.PERIPHERY
    ).person
    consented_to_be_named(named)
    return group, named, private
