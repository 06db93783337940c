from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_ratelimit.core import is_ratelimited
from rules.contrib.views import PermissionRequiredMixin

from accounts.rules import permitted
from car_programme.exceptions import DomainError
from car_programme.history import RecordHistoryView
from car_programme.mixins import ProgrammeChoiceMixin
from events import services
from events.filters import EventFilter
from events.forms import (
    AttendeesForm,
    EventForm,
    FeedbackAnswersForm,
    FeedbackFormForm,
    FeedbackQuestionEditForm,
    FeedbackQuestionForm,
    HeadCountFormSet,
)
from events.models import FeedbackForm
from events.selectors import (
    event_get_for_user,
    event_list_for_user,
    event_page,
    feedback_form_by_token,
    feedback_form_get_for_user,
    feedback_question_get,
    feedback_question_list,
)
from events.services import EVENT_FIELDS, feedback_form_accepts

# Submissions of one form from one address; a room of participants sharing a network still
# fits, a script does not.
FEEDBACK_RATE = "10/m"


class EventListView(LoginRequiredMixin, ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 25

    def get_queryset(self):
        sites = permitted(self.request.user, "sites.view_casesite").order_by("name")
        self.filterset = EventFilter(
            self.request.GET or None,
            queryset=event_list_for_user(user=self.request.user),
            sites=sites,
            groups=permitted(self.request.user, "inquiries.view_inquirygroup").order_by("name"),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            can_add=self.request.user.has_perm("events.add_event"),
            **kwargs,
        )


class EventMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """A view of one event, found through what the user may see: missing or hidden is 404."""

    @cached_property
    def event(self):
        return event_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.event

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)


class EventDetailView(EventMixin, TemplateView):
    template_name = "events/event_detail.html"
    permission_required = "events.view_event"

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_change = user.has_perm("events.change_event", self.event)
        return super().get_context_data(
            page=event_page(event=self.event, user=user, can_change=can_change),
            can_change=can_change,
            can_delete=can_change and user.has_perm("events.delete_event", self.event),
            **kwargs,
        )


class EventCreateView(LoginRequiredMixin, PermissionRequiredMixin, ProgrammeChoiceMixin, FormView):
    template_name = "events/event_form.html"
    permission_required = "events.add_event"
    form_class = EventForm

    def programmes_to_add_in(self):
        return permitted(self.request.user, "events.add_event")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "user": self.request.user, "programme": self.programme}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            event = services.event_create(
                programme=data["programme"],
                sites=data["sites"],
                groups=data["groups"],
                themes=data["themes"],
                by=self.request.user,
                **{name: data[name] for name in EVENT_FIELDS},
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"{event} recorded.")
        return redirect("events:event_detail", pk=event.pk)


class EventUpdateView(EventMixin, FormView):
    template_name = "events/event_form.html"
    permission_required = "events.change_event"
    form_class = EventForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.event}

    def form_valid(self, form):
        data = form.cleaned_data
        # The form has written its values onto the instance; the service saves them.
        try:
            services.event_update(
                event=self.event,
                sites=data["sites"],
                groups=data["groups"],
                themes=data["themes"],
                by=self.request.user,
                **{name: data[name] for name in EVENT_FIELDS},
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"{self.event} saved.")
        return redirect("events:event_detail", pk=self.event.pk)


class EventDeleteView(EventMixin, TemplateView):
    template_name = "events/event_confirm_delete.html"
    permission_required = "events.delete_event"

    def post(self, request, *args, **kwargs):
        title = str(self.event)
        services.event_delete(event=self.event, by=request.user)
        messages.success(request, f"{title} deleted.")
        return redirect("events:event_list")


class EventAttendanceView(EventMixin, TemplateView):
    template_name = "events/event_attendance.html"
    permission_required = "events.change_event"

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"] = AttendeesForm(
                user=self.request.user,
                event=self.event,
                initial={"attendees": list(self.event.attendees.values_list("pk", flat=True))},
            )
            kwargs["formset"] = HeadCountFormSet(
                form_kwargs={"event": self.event},
                prefix="counts",
                initial=[
                    {
                        "organisation": c.organisation_id,
                        "site": c.site_id,
                        "count": c.count,
                        "approximate": c.approximate,
                    }
                    for c in self.event.attendance_counts.all()
                ],
            )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = AttendeesForm(request.POST, user=request.user, event=self.event)
        formset = HeadCountFormSet(request.POST, form_kwargs={"event": self.event}, prefix="counts")
        if form.is_valid() and formset.is_valid():
            try:
                services.event_record_attendance(
                    event=self.event,
                    attendees=form.cleaned_data["attendees"],
                    counts=formset.head_counts(),
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Attendance at {self.event} saved.")
                return redirect("events:event_detail", pk=self.event.pk)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class FeedbackFormCreateView(EventMixin, FormView):
    template_name = "events/feedbackform_form.html"
    permission_required = "events.change_event"
    form_class = FeedbackFormForm

    def form_valid(self, form):
        try:
            feedback_form = services.feedback_form_create(
                event=self.event,
                title=form.cleaned_data["title"],
                closes_at=form.cleaned_data["closes_at"],
                by=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Feedback form created: add its questions.")
        return redirect("events:feedbackform_detail", pk=feedback_form.pk)


class FeedbackFormMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "events.change_feedbackform"

    @cached_property
    def feedback_form(self) -> FeedbackForm:
        return feedback_form_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.feedback_form


class FeedbackFormDetailView(FeedbackFormMixin, FormView):
    """The editors' page of a form: its questions, a form to add one, its public link."""

    template_name = "events/feedbackform_detail.html"
    form_class = FeedbackQuestionForm

    def get_context_data(self, **kwargs):
        link = self.request.build_absolute_uri(
            reverse("events:feedback_respond", args=[self.feedback_form.token])
        )
        return super().get_context_data(
            feedback_form=self.feedback_form,
            event=self.feedback_form.event,
            questions=feedback_question_list(form=self.feedback_form),
            accepting=feedback_form_accepts(self.feedback_form),
            public_link=link,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.feedback_question_add(
                form=self.feedback_form,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                by=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Question added.")
        return redirect("events:feedbackform_detail", pk=self.feedback_form.pk)


class FeedbackFormCloseView(FeedbackFormMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.feedback_form_close(form=self.feedback_form, by=request.user)
        messages.success(request, f"{self.feedback_form} is closed: its link takes no answers.")
        return redirect("events:feedbackform_detail", pk=self.feedback_form.pk)


class FeedbackFormReopenView(FeedbackFormMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.feedback_form_reopen(form=self.feedback_form, by=request.user)
        messages.success(request, f"{self.feedback_form} is open again: its link takes answers.")
        return redirect("events:feedbackform_detail", pk=self.feedback_form.pk)


class FeedbackQuestionMixin(FeedbackFormMixin):
    """A view of one question, asked as a change to its form."""

    @cached_property
    def question(self):
        return feedback_question_get(form=self.feedback_form, pk=self.kwargs["question_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            feedback_form=self.feedback_form,
            event=self.feedback_form.event,
            question=self.question,
            **kwargs,
        )

    def back(self):
        return redirect("events:feedbackform_detail", pk=self.feedback_form.pk)


class FeedbackQuestionUpdateView(FeedbackQuestionMixin, FormView):
    template_name = "events/feedbackquestion_form.html"
    form_class = FeedbackQuestionEditForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.question}

    def form_valid(self, form):
        try:
            services.feedback_question_update(
                question=self.question,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                position=form.cleaned_data["position"],
                by=self.request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, "Question saved.")
        return self.back()


class FeedbackQuestionDeleteView(FeedbackQuestionMixin, TemplateView):
    """A confirmation page, which says when the question has answers and so stays."""

    template_name = "events/feedbackquestion_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        try:
            services.feedback_question_delete(question=self.question, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Question deleted.")
        return self.back()


class FeedbackRespondView(View):
    """The public link: anyone holding the token answers, anonymously, while the form is open."""

    template_name = "events/feedbackform_respond.html"

    def dispatch(self, request, *args, **kwargs):
        self.feedback_form = feedback_form_by_token(token=kwargs["token"])
        if not feedback_form_accepts(self.feedback_form):
            return render(
                request,
                "events/feedbackform_closed.html",
                {"feedback_form": self.feedback_form},
                status=410,
            )
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"feedback_form": self.feedback_form, "form": form},
            status=status,
        )

    def _questions(self):
        return sorted(self.feedback_form.questions.all(), key=lambda q: (q.position, q.pk))

    def get(self, request, *args, **kwargs):
        return self._render(FeedbackAnswersForm(questions=self._questions()))

    def post(self, request, *args, **kwargs):
        # Counted per address and form before anything else, so refused posts count too; the
        # cache keeps only a hash of the address, and nothing of it reaches the database.
        if is_ratelimited(
            request,
            group=f"events.feedback:{self.feedback_form.pk}",
            key="ip",
            rate=FEEDBACK_RATE,
            method="POST",
            increment=True,
        ):
            return render(
                request,
                "events/feedbackform_rate_limited.html",
                {"feedback_form": self.feedback_form},
                status=429,
            )
        form = FeedbackAnswersForm(request.POST, questions=self._questions())
        if not form.is_valid():
            return self._render(form)
        if not form.is_robot:
            try:
                services.feedback_response_submit(form=self.feedback_form, answers=form.answers())
            except DomainError as error:
                form.add_error(None, str(error))
                return self._render(form)
        return redirect("events:feedback_thanks", token=self.feedback_form.token)


class FeedbackThanksView(TemplateView):
    template_name = "events/feedbackform_thanks.html"

    def get_context_data(self, **kwargs):
        feedback_form = get_object_or_404(
            FeedbackForm.objects.select_related("event"), token=self.kwargs["token"]
        )
        return super().get_context_data(feedback_form=feedback_form, **kwargs)


class EventHistoryView(RecordHistoryView):
    action_permission = "events.change_event"

    def fetch(self, request, pk):
        return event_get_for_user(user=request.user, pk=pk)
