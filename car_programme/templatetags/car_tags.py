import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

from car_programme import words
from car_programme.dates import format_partial_date, format_partial_period, format_partial_span

register = template.Library()


@register.filter(name="figure")
def figure(value):
    """A count with its thousands grouped: ``{{ n|figure }}`` (words.figure)."""
    return words.figure(value)


@register.filter
def partial_date(value, precision):
    """A date at the precision it is known: ``{{ date|partial_date:date_precision }}``."""
    return format_partial_date(value, precision)


@register.filter
def known_count(number, uncounted):
    """A count with the records that give no number: ``{{ n|known_count:uncounted }}``."""
    return words.known_count(number, uncounted)


@register.simple_tag
def head_count(number, approximate, sites, sites_unknown):
    """An event's head count, saying which sites it leaves unknown (``words.head_count``)."""
    return words.head_count(number, approximate, sites, sites_unknown)


@register.simple_tag
def partial_period(start, end, precision):
    """A group's or a cycle's period: without an end it runs "from" its start."""
    return format_partial_period(start, end, precision)


@register.simple_tag
def partial_span(start, end, precision):
    """When an event or activity took place: without an end, on its one day."""
    return format_partial_span(start, end, precision)


@register.simple_tag(takes_context=True)
def person_label(context, person, name_visible=None):
    """The person's name where ``inquiries.view_person_name`` allows it, their pseudonym otherwise.

    Pages give the rule's answer as their query computed it for every row: on the person
    (``name_visible``), or as the second argument when a row holds it (a membership, an
    attendance, a PDF's ``name_shown``). Without either, the signed-in user's rule is asked;
    with no request to ask it for, the pseudonym stands.
    """
    if name_visible is None:
        name_visible = getattr(person, "name_visible", None)
    if name_visible is None:
        request = context.get("request")
        name_visible = request is not None and request.user.has_perm(
            "inquiries.view_person_name", person
        )
    return person.name if name_visible else person.pseudonym


# Reflective notes are typed by researchers but may quote anything (an email, a web page): only
# plain formatting survives, links keep their text and address, and nothing can run.
_MARKDOWN_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}}


@register.filter(is_safe=True)
def markdown(value):
    """Markdown rendered to HTML with every tag and attribute outside a small allow-list removed."""
    html = markdown_lib.markdown(value or "", extensions=["tables", "sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=_MARKDOWN_TAGS,
        attributes=_MARKDOWN_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # sanitised by nh3 just above


@register.filter
def get_item(mapping, key):
    """``{{ row|get_item:column }}``: a dictionary value by a key held in a variable."""
    return mapping.get(key, "")


@register.filter
def fields(form, names):
    """``{% for field in form|fields:"site,kind" %}``: those fields of the form, in that order."""
    return [form[name] for name in names.split(",")]


@register.filter
def counted(number, noun):
    """``{{ n|counted:"event" }}``: "1 event", "3 events"; ``"activity,activities"`` if not -s."""
    singular, _, plural = noun.partition(",")
    return words.counted(number, singular, plural or None)


@register.filter
def with_article(phrase):
    """``{{ kind.label|lower|with_article }}``: "a site report", "an event report"."""
    return words.with_article(str(phrase))
