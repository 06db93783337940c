from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_ratelimit.core import is_ratelimited
from rules.contrib.views import PermissionRequiredMixin

from accounts.rules import permitted
from car_programme.mixins import (
    ProgrammeChoiceMixin,
    RecordDeleteView,
    RecordMixin,
    ServiceFormMixin,
)
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


class EventMixin(RecordMixin):
    """A page of one event, found through what the user may see (missing or hidden is 404);
    ``permission`` is asked of it (403)."""

    fetch = staticmethod(event_get_for_user)
    permission = "events.change_event"

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.object, **kwargs)


class EventDetailView(EventMixin, TemplateView):
    template_name = "events/event_detail.html"
    permission = ""

    def get_context_data(self, **kwargs):
        user = self.request.user
        event = self.object
        can_change = user.has_perm("events.change_event", event)
        return super().get_context_data(
            page=event_page(event=event, user=user, can_change=can_change),
            can_change=can_change,
            can_delete=can_change and user.has_perm("events.delete_event", event),
            **kwargs,
        )


class EventFormMixin(ServiceFormMixin):
    template_name = "events/event_form.html"
    form_class = EventForm

    def event_fields(self, form) -> dict:
        """What the event services take from the form, and who changes the event."""
        data = form.cleaned_data
        return {
            "sites": data["sites"],
            "groups": data["groups"],
            "themes": data["themes"],
            "by": self.request.user,
            **{name: data[name] for name in EVENT_FIELDS},
        }


class EventCreateView(
    LoginRequiredMixin, PermissionRequiredMixin, ProgrammeChoiceMixin, EventFormMixin, FormView
):
    permission_required = "events.add_event"
    success_message = "%(title)s recorded."

    def programmes_to_add_in(self):
        return permitted(self.request.user, "events.add_event")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        return {**kwargs, "user": self.request.user, "programme": self.programme}

    def save(self, form):
        programme = form.cleaned_data["programme"]
        return services.event_create(programme=programme, **self.event_fields(form))


class EventUpdateView(EventMixin, EventFormMixin, FormView):
    success_message = "%(title)s saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def save(self, form):
        # The form has written its values onto the instance; the service saves them.
        services.event_update(event=self.object, **self.event_fields(form))
        return self.object


class EventDeleteView(EventMixin, RecordDeleteView):
    permission = "events.delete_event"
    success_message = "%(title)s deleted."
    success_url = reverse_lazy("events:event_list")

    def delete_record(self):
        services.event_delete(event=self.object, by=self.request.user)


class EventAttendanceView(EventMixin, ServiceFormMixin, FormView):
    """Who attended by name (the form) and the head counts (the formset), saved together."""

    template_name = "events/event_attendance.html"
    form_class = AttendeesForm
    formset = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "event": self.object}

    def get_initial(self):
        return {"attendees": list(self.object.attendees.values_list("pk", flat=True))}

    def get_context_data(self, **kwargs):
        formset = self.formset
        if formset is None:
            formset = HeadCountFormSet(
                event=self.object,
                prefix="counts",
                initial=[
                    {
                        "organisation": c.organisation_id,
                        "site": c.site_id,
                        "count": c.count,
                        "approximate": c.approximate,
                    }
                    for c in self.object.attendance_counts.all()
                ],
            )
        return super().get_context_data(formset=formset, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        self.formset = HeadCountFormSet(request.POST, event=self.object, prefix="counts")
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def save(self, form):
        services.event_record_attendance(
            event=self.object,
            attendees=form.cleaned_data["attendees"],
            counts=self.formset.head_counts(),
            by=self.request.user,
        )
        return self.object

    def get_success_message(self):
        return f"Attendance at {self.object} saved."


class FeedbackFormCreateView(EventMixin, ServiceFormMixin, FormView):
    template_name = "events/feedbackform_form.html"
    form_class = FeedbackFormForm
    success_message = "Feedback form created: add its questions."

    def save(self, form):
        return services.feedback_form_create(
            event=self.object,
            title=form.cleaned_data["title"],
            closes_at=form.cleaned_data["closes_at"],
            by=self.request.user,
        )

    def get_success_url(self):
        return reverse("events:feedbackform_detail", args=[self.saved.pk])


class FeedbackFormMixin(RecordMixin):
    """A page of one feedback form, for its editors; the form's own page is where it leads."""

    permission = "events.change_feedbackform"

    def get_record(self):
        self.feedback_form = feedback_form_get_for_user(
            user=self.request.user, pk=self.kwargs["pk"]
        )
        return self.feedback_form

    def get_success_url(self):
        return reverse("events:feedbackform_detail", args=[self.feedback_form.pk])


class FeedbackFormDetailView(FeedbackFormMixin, ServiceFormMixin, FormView):
    """The editors' page of a form: its questions, a form to add one, its public link."""

    template_name = "events/feedbackform_detail.html"
    form_class = FeedbackQuestionForm
    success_message = "Question added."

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

    def save(self, form):
        return services.feedback_question_add(
            form=self.feedback_form,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            by=self.request.user,
        )


class FeedbackFormStateView(FeedbackFormMixin, View):
    """Close a form's link, or open it again: ``change`` is the service, ``said`` the message."""

    http_method_names = ["post"]
    change = None
    said = ""

    def post(self, request, *args, **kwargs):
        self.change(form=self.feedback_form, by=request.user)
        messages.success(request, self.said % {"title": self.feedback_form})
        return redirect(self.get_success_url())


class FeedbackFormCloseView(FeedbackFormStateView):
    change = staticmethod(services.feedback_form_close)
    said = "%(title)s is closed: its link takes no answers."


class FeedbackFormReopenView(FeedbackFormStateView):
    change = staticmethod(services.feedback_form_reopen)
    said = "%(title)s is open again: its link takes answers."


class FeedbackQuestionMixin(FeedbackFormMixin):
    """A page of one question, asked as a change to its form: the form is fetched through the
    rules, then the question among the form's."""

    def get_record(self):
        form = super().get_record()
        return feedback_question_get(form=form, pk=self.kwargs["question_pk"])

    def permission_object(self):
        return self.feedback_form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            feedback_form=self.feedback_form,
            event=self.feedback_form.event,
            question=self.object,
            **kwargs,
        )


class FeedbackQuestionUpdateView(FeedbackQuestionMixin, ServiceFormMixin, FormView):
    template_name = "events/feedbackquestion_form.html"
    form_class = FeedbackQuestionEditForm
    success_message = "Question saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def save(self, form):
        return services.feedback_question_update(
            question=self.object,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            position=form.cleaned_data["position"],
            by=self.request.user,
        )


class FeedbackQuestionDeleteView(FeedbackQuestionMixin, RecordDeleteView):
    """A confirmation page, which says when the question has answers and so stays."""

    context_object_name = "question"
    success_message = "Question deleted."

    def delete_record(self):
        services.feedback_question_delete(question=self.object, by=self.request.user)

    def refused(self, error):
        messages.error(self.request, str(error))
        return redirect(self.get_success_url())


class FeedbackRespondView(ServiceFormMixin, FormView):
    """The public link: anyone holding the token answers, anonymously, while the form is open."""

    template_name = "events/feedbackform_respond.html"
    form_class = FeedbackAnswersForm

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

    def get_form_kwargs(self):
        questions = sorted(self.feedback_form.questions.all(), key=lambda q: (q.position, q.pk))
        return {**super().get_form_kwargs(), "questions": questions}

    def get_context_data(self, **kwargs):
        return super().get_context_data(feedback_form=self.feedback_form, **kwargs)

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
        return super().post(request, *args, **kwargs)

    def save(self, form):
        # A robot is thanked like anyone else, and its answers are kept nowhere.
        if not form.is_robot:
            services.feedback_response_submit(form=self.feedback_form, answers=form.answers())

    def get_success_url(self):
        return reverse("events:feedback_thanks", args=[self.feedback_form.token])


class FeedbackThanksView(TemplateView):
    template_name = "events/feedbackform_thanks.html"

    def get_context_data(self, **kwargs):
        feedback_form = get_object_or_404(
            FeedbackForm.objects.select_related("event"), token=self.kwargs["token"]
        )
        return super().get_context_data(feedback_form=feedback_form, **kwargs)
