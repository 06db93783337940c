"""A group's published figures: the totals a source gives without rows to derive them from."""

import datetime as dt

import pytest

from car_programme.exceptions import DomainError
from inquiries.enums import GroupFigureKind
from inquiries.models import GroupFigure
from inquiries.services import group_figure_delete, group_figure_record, group_figure_update
from sites.enums import Qualifier, qualified
from tests.database import refused_by
from tests.factories.accounts import UserFactory
from tests.factories.inquiries import GroupFigureFactory, InquiryGroupFactory

pytestmark = pytest.mark.django_db

SOURCE = "000:1367 'Approx. 25 officers'"


@pytest.mark.parametrize(
    ("qualifier", "shown"),
    [
        (Qualifier.EXACT, "12"),
        (Qualifier.ABOUT, "about 12"),
        (Qualifier.AT_LEAST, "12+"),
        (Qualifier.ABOUT_AT_LEAST, "about 12+"),  # 000:1327 "approx. 50+"
        (Qualifier.MORE_THAN, "more than 12"),
    ],
)
def test_a_figure_is_shown_with_its_qualifier(qualifier, shown):
    assert qualified(12, qualifier) == shown


def test_a_figure_names_its_group_value_and_label():
    figure = GroupFigureFactory(group__short_name="EA", value=25, label="officers")

    assert str(figure) == "EA: about 25 officers"


def test_a_zero_figure_is_refused():
    with refused_by("group_figure_value_positive"):
        GroupFigureFactory(value=0)


def test_a_figure_without_a_source_is_refused():
    with refused_by("group_figure_has_source"):
        GroupFigureFactory(source="")


def test_two_figures_of_one_kind_and_label_are_refused():
    figure = GroupFigureFactory()

    with refused_by("group_figure_unique"):
        GroupFigureFactory(group=figure.group, kind=figure.kind, label=figure.label)


def test_a_period_ending_before_it_starts_is_refused():
    with refused_by("group_figure_period_ordered"):
        GroupFigureFactory(period_start=dt.date(2016, 6, 1), period_end=dt.date(2016, 1, 1))


def test_recording_a_figure_keeps_who_recorded_it():
    researcher = UserFactory()
    group = InquiryGroupFactory()

    figure = group_figure_record(
        group=group,
        kind=GroupFigureKind.MEETINGS,
        value=4,
        source="000:1367 'Four meetings'",
        label="meetings in various configurations",
        period_start=dt.date(2016, 1, 1),
        period_end=dt.date(2016, 6, 30),
        date_precision="month",
        by=researcher,
    )

    assert (figure.shown, figure.period) == ("4", "January 2016 to June 2016")
    assert figure.history.get().history_user == researcher


def test_recording_a_figure_without_a_source_is_refused():
    with pytest.raises(DomainError, match="where the figure is published"):
        group_figure_record(
            group=InquiryGroupFactory(), kind=GroupFigureKind.MEMBERS, value=25, source=" "
        )


def test_recording_a_second_figure_with_the_same_label_is_refused():
    figure = GroupFigureFactory()

    with pytest.raises(DomainError, match="already has a published figure"):
        group_figure_record(
            group=figure.group, kind=figure.kind, value=30, source=SOURCE, label=figure.label
        )


def test_changing_a_figure_saves_what_changed():
    figure = GroupFigureFactory(qualifier=Qualifier.ABOUT, value=25)

    group_figure_update(figure=figure, qualifier=Qualifier.AT_LEAST)

    figure.refresh_from_db()
    assert figure.shown == "25+"
    assert figure.history.count() == 2


def test_changing_a_figure_to_zero_is_refused():
    figure = GroupFigureFactory()

    with pytest.raises(DomainError, match="at least 1"):
        group_figure_update(figure=figure, value=0)


def test_deleting_a_figure_keeps_its_history():
    figure = GroupFigureFactory()
    group, pk = figure.group, figure.pk

    group_figure_delete(figure=figure)

    assert not group.published_figures.exists()
    assert GroupFigure.history.filter(id=pk, history_type="-").exists()
