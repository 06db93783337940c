"""The pickers write their options in Python, as Django's own select templates would."""

import re

from django import forms

from car_programme.forms import MultiplePicker, Picker

CHOICES = [("", "All sites"), ("1", "Fife & Forth"), ("2", 'The "Glasgow" site')]
GROUPED = [("Scotland", [("1", "Fife"), ("2", "Glasgow")]), ("3", "<Elsewhere>")]


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_a_picker_writes_the_markup_of_a_plain_select():
    for value in ("", "2", None):
        ours = Picker(choices=CHOICES).render("site", value, attrs={"id": "id_site"})
        django = forms.Select(
            attrs={"class": "form-select", "data-picker": ""}, choices=CHOICES
        ).render("site", value, attrs={"id": "id_site"})
        assert squeezed(ours) == squeezed(django)


def test_a_multiple_picker_writes_the_markup_of_a_plain_multiple_select_with_groups():
    ours = MultiplePicker(choices=GROUPED).render("sites", ["1", "3"])
    django = forms.SelectMultiple(
        attrs={"class": "form-select", "data-picker": "", "size": 6}, choices=GROUPED
    ).render("sites", ["1", "3"])
    assert squeezed(ours) == squeezed(django)
    assert "&lt;Elsewhere&gt;" in ours and 'value="1" selected' in ours
