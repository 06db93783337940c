"""Data protection pages for a person: consent, export and erasure."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView

from car_programme.exceptions import DomainError
from car_programme.files import attachment_response
from car_programme.mixins import RecordMixin, ServiceFormMixin
from car_programme.privacy import consent_record, consent_withdraw, person_erase, person_export
from car_programme.words import counted
from inquiries.forms import ConsentForm, ConsentWithdrawForm
from inquiries.selectors import person_get_for_user


class PersonRecordMixin(RecordMixin):
    fetch = staticmethod(person_get_for_user)


class ConsentRecordView(PersonRecordMixin, ServiceFormMixin, FormView):
    """The consent page: its two forms, recording a consent and withdrawing them all, each
    posting to its own view; a form the service refuses answers 400, like an invalid one."""

    permission = "inquiries.change_person"
    template_name = "inquiries/consent_form.html"
    form_class = ConsentForm
    form_name = "form"  # where the page shows this view's form
    error_field = "use"
    invalid_status = 400
    success_message = "Consent recorded."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.object.programme}

    def get_context_data(self, **kwargs):
        forms = {"form": ConsentForm(), "withdraw_form": ConsentWithdrawForm()}
        forms[self.form_name] = kwargs.pop("form") if "form" in kwargs else self.get_form()
        return super().get_context_data(
            person=self.object,
            consents=self.object.consents.select_related("recorded_by"),
            **forms,
            **kwargs,
        )

    def save(self, form):
        return consent_record(person=self.object, by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class ConsentWithdrawView(ConsentRecordView):
    """Withdraw every current consent in one step."""

    form_class = ConsentWithdrawForm
    form_name = "withdraw_form"
    error_field = "on"

    def save(self, form):
        return consent_withdraw(
            person=self.object, on=form.cleaned_data["on"], by=self.request.user
        )

    def get_success_message(self):
        return f"{counted(len(self.saved), 'consent')} withdrawn."


class PersonExportView(PersonRecordMixin, View):
    """Everything held about the person, as a JSON download (a subject access request)."""

    permission = "inquiries.export_person"

    def get(self, request, pk):
        data = person_export(person=self.object)
        return attachment_response(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2),
            filename=f"person-{self.object.pseudonym}.json",
            content_type="application/json",
        )


class PersonEraseView(PersonRecordMixin, View):
    permission = "inquiries.erase_person"
    template_name = "inquiries/person_confirm_erase.html"

    def get(self, request, pk):
        return render(request, self.template_name, self._context())

    def post(self, request, pk):
        try:
            person_erase(person=self.object, by=request.user)
        except DomainError as error:
            return render(request, self.template_name, self._context(error=str(error)), status=400)
        messages.success(request, f"{self.object.pseudonym} has been erased.")
        return redirect(self.object)

    def _context(self, **extra) -> dict:
        # Erasure deletes the stored report versions that print the name: say how many first.
        reports = self.object.named_in_reports.count()
        return {"person": self.object, "reports_deleted": reports, **extra}
