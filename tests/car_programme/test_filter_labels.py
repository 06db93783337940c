"""Every filter of every list page has a label a person can read: django-filter writes
"[invalid name]" for a filter whose name is not a field of the model (a site filter on a record
linked to several sites), unless the filter set names it."""

import django_filters
import pytest

from events.filters import EventFilter
from evidence.filters import ChangeFilter, EvidenceFilter, OutputFilter
from inquiries.filters import ActivityFilter, GroupFilter, OrganisationScopeFilter, PersonFilter
from sites.filters import CaseSiteFilter

LIST_FILTERS = [
    CaseSiteFilter,
    GroupFilter,
    ActivityFilter,
    PersonFilter,
    OrganisationScopeFilter,
    EvidenceFilter,
    OutputFilter,
    ChangeFilter,
    EventFilter,
]


@pytest.mark.parametrize("filter_set", LIST_FILTERS, ids=lambda cls: cls.__name__)
def test_every_filter_has_a_readable_label(filter_set):
    labels = {
        name: str(
            django_filters.utils.label_for_filter(
                filter_set._meta.model, f.field_name, f.lookup_expr
            )
        )
        if f.label is None
        else str(f.label)
        for name, f in filter_set.base_filters.items()
    }

    assert [name for name, label in labels.items() if "invalid name" in label] == []
