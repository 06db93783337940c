"""Data protection pages for a person: consent, export and erasure."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import redirect, render
from django.views import View

from car_programme.exceptions import DomainError
from car_programme.files import attachment_response
from car_programme.mixins import ObjectActionMixin
from car_programme.privacy import consent_record, consent_withdraw, person_erase, person_export
from car_programme.words import counted
from inquiries.forms import ConsentForm, ConsentWithdrawForm
from inquiries.selectors import person_get_for_user


class PersonActionMixin(ObjectActionMixin):
    def fetch(self, request, pk):
        return person_get_for_user(user=request.user, pk=pk)


class ConsentRecordView(PersonActionMixin, View):
    action_permission = "inquiries.change_person"
    template_name = "inquiries/consent_form.html"

    def get(self, request, pk):
        return self.render_form(ConsentForm(), ConsentWithdrawForm())

    def post(self, request, pk):
        form = ConsentForm(request.POST, programme=self.object.programme)
        if form.is_valid():
            try:
                consent_record(person=self.object, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error("use", str(error))
            else:
                messages.success(request, "Consent recorded.")
                return redirect(self.object)
        return self.render_form(form, ConsentWithdrawForm(), status=400)

    def render_form(self, form, withdraw_form, status=200):
        context = {
            "person": self.object,
            "form": form,
            "withdraw_form": withdraw_form,
            "consents": self.object.consents.select_related("recorded_by"),
        }
        return render(self.request, self.template_name, context, status=status)


class ConsentWithdrawView(ConsentRecordView):
    """Withdraw every current consent in one step."""

    def post(self, request, pk):
        form = ConsentWithdrawForm(request.POST, programme=self.object.programme)
        if form.is_valid():
            try:
                withdrawn = consent_withdraw(
                    person=self.object, on=form.cleaned_data["on"], by=request.user
                )
            except DomainError as error:
                form.add_error("on", str(error))
            else:
                messages.success(request, f"{counted(len(withdrawn), 'consent')} withdrawn.")
                return redirect(self.object)
        return self.render_form(ConsentForm(), form, status=400)


class PersonExportView(PersonActionMixin, View):
    """Everything held about the person, as a JSON download (a subject access request)."""

    action_permission = "inquiries.export_person"

    def get(self, request, pk):
        data = person_export(person=self.object)
        return attachment_response(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2),
            filename=f"person-{self.object.pseudonym}.json",
            content_type="application/json",
        )


class PersonEraseView(PersonActionMixin, View):
    action_permission = "inquiries.erase_person"
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
