"""The project's template tags: the person label and the fields of a form."""

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from accounts.enums import RoleKind
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.inquiries import PersonFactory

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load car_tags %}" + source).render(Context(context)).strip()


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_person_label_names_a_person_whose_row_allows_it():
    person = PersonFactory(name="Ailsa Munro", pseudonym="P-1")
    person.name_visible = True

    assert render("{% person_label person %}", person=person) == "Ailsa Munro"


def test_person_label_shows_the_pseudonym_when_the_row_says_no():
    person = PersonFactory(name="Ailsa Munro", pseudonym="P-1")

    assert render("{% person_label person False %}", person=person) == "P-1"


def test_person_label_asks_the_rule_without_an_answer_on_the_row():
    person = PersonFactory(name="Ailsa Munro", pseudonym="P-1")
    manager = UserFactory()
    programme = person.programme
    RoleFactory(user=manager, programme=programme, site=None, role=RoleKind.PROGRAMME_MANAGER)
    lead = UserFactory()
    RoleFactory(user=lead, programme=programme, role=RoleKind.STRATEGY_LEAD)

    named = render("{% person_label person %}", person=person, request=request_of(manager))
    hidden = render("{% person_label person %}", person=person, request=request_of(lead))

    assert (named, hidden) == ("Ailsa Munro", "P-1")


def test_person_label_without_a_request_shows_the_pseudonym():
    person = PersonFactory(name="Ailsa Munro", pseudonym="P-1")

    assert render("{% person_label person %}", person=person) == "P-1"


class _Form(forms.Form):
    first = forms.CharField()
    second = forms.CharField()


def test_fields_gives_the_named_fields_in_the_order_asked():
    source = '{% for field in form|fields:"second,first" %}{{ field.name }} {% endfor %}'

    assert render(source, form=_Form()) == "second first"
