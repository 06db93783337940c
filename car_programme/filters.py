"""What every list's filter set shares: choices the view passes, and a search over fields."""

from django.db.models import Q


class ViewChoicesMixin:
    """Filters whose choices the view passes as keywords, already cut down by the rules.

    ``view_choices`` maps each keyword to the filters it fills (``{"sites": ("site",)}``); a
    keyword left out keeps the filter's own choices."""

    view_choices: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args, **kwargs):
        choices = {keyword: kwargs.pop(keyword, None) for keyword in self.view_choices}
        super().__init__(*args, **kwargs)
        for keyword, queryset in choices.items():
            if queryset is not None:
                for name in self.view_choices[keyword]:
                    self.filters[name].queryset = queryset


class SearchMixin:
    """The ``search`` method of a ``q`` filter: the words anywhere in one of ``search_fields``."""

    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)
