from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from accounts.demo import DEMO_PASSWORD, demo_logins_listed
from car_programme.search import search
from car_programme.workspace import my_work


@never_cache
@require_GET
def healthz(request):
    """For load balancers and compose health checks: answers only when the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages without an icon link (the admin's): no 404."""
    return redirect(static("img/favicon.svg"))


class HomeView(TemplateView):
    """The product's front door, which on the embedded default lists the demo sign-ins; once
    signed in, "My work"."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        if not self.request.user.is_authenticated:
            return super().get_context_data(
                demo_logins=demo_logins_listed(), demo_password=DEMO_PASSWORD, **kwargs
            )
        work = my_work(user=self.request.user)
        return super().get_context_data(
            work=work,
            people_without_consent_count=work.people_without_consent.count(),
            **kwargs,
        )


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        text = self.request.GET.get("q", "")
        return super().get_context_data(
            query=text, sections=search(user=self.request.user, text=text), **kwargs
        )
