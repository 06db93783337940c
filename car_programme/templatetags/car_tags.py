from django import template

from car_programme.dates import format_partial_date, format_partial_period

register = template.Library()


@register.filter
def partial_date(value, precision):
    """A date at the precision it is known: ``{{ date|partial_date:date_precision }}``."""
    return format_partial_date(value, precision)


@register.simple_tag
def partial_period(start, end, precision):
    return format_partial_period(start, end, precision)


@register.simple_tag
def person_label(person, name_visible):
    """The person's name where the rules allow it, their pseudonym otherwise."""
    return person.name if name_visible else person.pseudonym
