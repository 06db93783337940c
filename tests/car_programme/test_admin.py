import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from inquiries.models import InquiryGroup

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "sites", "inquiries", "evidence", "events", "reports"}
OUR_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in OUR_APPS and not model.__name__.startswith("Historical")
]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_model_of_the_domain_is_in_the_admin():
    unregistered = [model.__name__ for model in OUR_MODELS if model not in admin.site._registry]

    assert unregistered == []


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model.__name__)
def test_changelist_answers_with_the_demo_loaded(demo_programme, admin_client, model):
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    shown = response.context["cl"].result_count
    assert shown == model.objects.count()


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model.__name__)
def test_add_page_answers(demo_programme, admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    assert response.context["adminform"] is not None


def test_group_changelist_shows_published_member_counts(demo_programme, admin_client):
    response = admin_client.get(admin_url(InquiryGroup, "changelist"), {"q": "Welfare"})

    welfare = next(g for g in response.context["cl"].result_list if g.short_name == "Welfare PIT")
    assert (welfare.core_count, welfare.periphery_count, welfare.meeting_count) == (14, 34, 22)


def test_group_change_page_shows_its_history(demo_programme, admin_client):
    group = InquiryGroup.objects.get(programme=demo_programme, short_name="Welfare PIT")

    response = admin_client.get(admin_url(InquiryGroup, "history", group.pk))

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == group.history.count() >= 1


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model.__name__)
def test_change_form_offers_every_editable_field(rf, admin_user, model):
    request = rf.get("/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    editable = {
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "editable", False)
        and not field.auto_created
        and getattr(field, "concrete", True)
        and not (field.many_to_many and field.remote_field.through._meta.auto_created is False)
    }

    instance = model()
    offered = set(model_admin.get_fields(request, instance)) | set(
        model_admin.get_readonly_fields(request, instance)
    )

    assert editable - offered == set()
