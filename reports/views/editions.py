"""Pages for editions: the reports their authors write in the browser.

An edition's page holds its cover, its chapters in order (moved up and down, added, deleted),
what stops it from rendering, the names its text writes that a version may replace, and its
versions; rendering one queues it like any report request and moves on to its status page. A
chapter's page is its editor: the text, a preview printed by the same pipeline as a version
(posted by htmx as one types, or with the Preview button), the records one may cite and the
figures one may place, and its saved drafts.

Every edition and chapter is fetched through the rule set (``reports.view_edition``,
``reports.view_chapter``): another site's answers 404. Its authors are those who may request its
kind of report on its subject (reports/rules.py); starting one asks that of the subject.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views import View
from django.views.generic import FormView, ListView, TemplateView, UpdateView

from accounts.rules import permitted
from car_programme.mixins import RecordDeleteView, RecordMixin, ServiceFormMixin
from car_programme.params import parse_id
from reports import editions
from reports.documents import DocumentError, authored
from reports.forms import ChapterAddForm, ChapterForm, EditionCoverForm, EditionCreateForm
from reports.kinds import KINDS
from reports.models import Chapter, Edition, ReportRequest

# The chapter's latest drafts, listed in its editor.
HISTORY_SHOWN = 20


def _edition_for(*, user, pk) -> Edition:
    found = Edition.objects.select_related("programme", "site", "group", "event")
    return get_object_or_404(permitted(user, "reports.view_edition", found), pk=pk)


def _chapter_for(*, user, pk) -> Chapter:
    found = Chapter.objects.select_related(
        "edition__programme", "edition__site", "edition__group", "edition__event"
    )
    return get_object_or_404(permitted(user, "reports.view_chapter", found), pk=pk)


def _query(request) -> str:
    """The search's words, or none for what no form field would accept (a NUL, a novel)."""
    try:
        return forms.CharField(required=False, max_length=200).clean(request.GET.get("q", ""))
    except ValidationError:
        return ""


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _chapters_url(edition_id: int) -> str:
    return reverse("reports:edition_detail", args=[edition_id]) + "#chapters"


# --- Starting and listing ---------------------------------------------------------------------


class EditionListView(LoginRequiredMixin, ListView):
    template_name = "reports/edition_list.html"
    context_object_name = "editions"
    paginate_by = 25

    def get_queryset(self):
        found = Edition.objects.select_related("programme", "site", "group", "event")
        return permitted(self.request.user, "reports.view_edition", found)


class EditionCreateView(RecordMixin, ServiceFormMixin, FormView):
    """A new edition of one kind of report on one subject. The subject is out of sight (404) to
    whoever may not read it, and refused (403) to a reader who may not request its report."""

    template_name = "reports/edition_form.html"
    form_class = EditionCreateForm
    success_message = "Edition “%(title)s” was started with the chapters a report usually has."

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in KINDS:
            raise Http404("No such kind of report.")
        self.spec = KINDS[kwargs["kind"]]
        self.permission = self.spec.target.write_edition_permission
        return super().dispatch(request, *args, **kwargs)

    def get_record(self):
        target = self.spec.target
        targets = permitted(self.request.user, target.view_permission, target.model.objects)
        return get_object_or_404(targets, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"title": f"{self.spec.kind.label}: {self.object}"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.spec.kind, target=self.object, **kwargs)

    def save(self, form):
        target = self.spec.target
        return editions.edition_create(
            by=self.request.user,
            kind=self.spec.kind,
            programme=target.programme_of(self.object),
            title=form.cleaned_data["title"],
            **target.subject(self.object),
        )


# --- The edition's page -----------------------------------------------------------------------


def _chapters_context(edition: Edition, moved: tuple[int, str] | None = None) -> dict:
    chapters = list(edition.chapters.order_by("position", "pk"))
    return {"edition": edition, "chapters": chapters, "moved": moved}


class EditionDetailView(RecordMixin, ServiceFormMixin, UpdateView):
    """The edition's page; its form is the cover's."""

    template_name = "reports/edition_detail.html"
    form_class = EditionCoverForm
    fetch = staticmethod(_edition_for)
    permission = "reports.change_edition"
    success_message = "The cover of “%(title)s” was saved."

    def get_context_data(self, **kwargs):
        edition, user = self.object, self.request.user
        versions = permitted(
            user, "reports.view_reportrequest", ReportRequest.objects.filter(edition=edition)
        ).select_related("requested_by")
        sections = editions.sections_to_add(edition)
        return super().get_context_data(
            **_chapters_context(edition),
            add_form=ChapterAddForm(sections=sections),
            problems=editions.edition_problems(edition, user),
            name_warnings=editions.edition_name_warnings(edition),
            versions=versions.order_by("-version"),
            **kwargs,
        )

    def save(self, form):
        fields = {name: form.cleaned_data[name] for name in editions.COVER_FIELDS}
        return editions.edition_update(edition=self.object, by=self.request.user, **fields)


class EditionRenderView(RecordMixin, View):
    """Queues a version of the edition as it stands; what stops it is said on its page."""

    fetch = staticmethod(_edition_for)
    permission = "reports.change_edition"

    def post(self, request, *args, **kwargs):
        try:
            version = editions.edition_render(edition=self.object, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(self.object)
        return redirect("reports:report_detail", pk=version.pk)


class EditionDeleteView(RecordDeleteView):
    """Deleting an edition leaves its versions: each keeps the text it printed."""

    context_object_name = "edition"
    fetch = staticmethod(_edition_for)
    permission = "reports.delete_edition"

    def get_success_url(self):
        return reverse("reports:edition_list")

    def delete_record(self):
        editions.edition_delete(edition=self.object)


# --- Its chapters -----------------------------------------------------------------------------


class ChapterAddView(RecordMixin, ServiceFormMixin, FormView):
    template_name = "reports/chapter_add.html"
    form_class = ChapterAddForm
    fetch = staticmethod(_edition_for)
    permission = "reports.change_edition"
    success_message = "Chapter “%(title)s” was added at the end."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sections": editions.sections_to_add(self.object)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.object, **kwargs)

    def save(self, form):
        return editions.chapter_add(
            edition=self.object,
            by=self.request.user,
            title=form.cleaned_data["title"].strip(),
            section=form.cleaned_data["section"],
        )

    def get_success_url(self):
        chapter = self.saved
        if chapter.authored:
            return reverse("reports:chapter_edit", args=[chapter.pk])
        return _chapters_url(chapter.edition_id)


class ChapterMoveView(RecordMixin, TemplateView):
    """Moves a chapter one place up (``direction=up``, posted) or down; htmx gets the list of
    chapters back, with focus on the button just used, a browser without it the whole page."""

    template_name = "reports/_edition_chapters.html"
    fetch = staticmethod(_chapter_for)
    permission = "reports.change_chapter"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        direction = "up" if request.POST.get("direction") == "up" else "down"
        chapter = self.object
        editions.chapter_move(
            chapter=chapter, by=request.user, offset=-1 if direction == "up" else 1
        )
        if not _is_htmx(request):
            return HttpResponseRedirect(_chapters_url(chapter.edition_id))
        return self.render_to_response(_chapters_context(chapter.edition, (chapter.pk, direction)))


class ChapterDeleteView(RecordDeleteView):
    context_object_name = "chapter"
    fetch = staticmethod(_chapter_for)
    permission = "reports.delete_chapter"
    success_message = "Chapter “%(title)s” was removed from the edition."

    def get_success_url(self):
        return _chapters_url(self.object.edition_id)

    def delete_record(self):
        editions.chapter_delete(chapter=self.object)


def _preview(user, chapter: Chapter, title: str, body: str) -> dict:
    """The preview's context: the chapter as a version prints it, or what stops it."""
    try:
        preview = editions.chapter_preview(edition=chapter.edition, by=user, title=title, body=body)
    except DocumentError as error:
        return {"preview_error": str(error)}
    return {"preview": preview}


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


class ChapterUpdateView(RecordMixin, ServiceFormMixin, UpdateView):
    """The chapter's editor. Save keeps a draft; Preview shows the text as a version prints it
    and saves nothing (htmx asks ``ChapterPreviewView`` for it as one types)."""

    template_name = "reports/chapter_form.html"
    form_class = ChapterForm
    context_object_name = "chapter"
    fetch = staticmethod(_chapter_for)
    permission = "reports.change_chapter"
    success_message = "A draft of “%(title)s” was saved."

    def get_context_data(self, **kwargs):
        chapter, user = self.object, self.request.user
        query = _query(self.request)
        history = chapter.history.select_related("history_user").order_by("-history_id")
        context = {
            "edition": chapter.edition,
            "sections": KINDS[chapter.edition.kind].sections,
            "query": query,
            "found": authored.citable(chapter.edition.programme, user, query),
            "history": [(entry, _first_line(entry.body)) for entry in history[:HISTORY_SHOWN]],
            "draft": self._draft(history),
        }
        shown = "preview" in kwargs or "preview_error" in kwargs
        if chapter.authored and not shown:
            # The saved draft, until the author asks for the text they are typing.
            context |= _preview(user, chapter, chapter.title, chapter.body)
        return super().get_context_data(**context, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.object.authored:
            # As one types, the preview pane is posted the form (title and text) to render.
            live = {
                "hx-post": reverse("reports:chapter_preview", args=[self.object.pk]),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#preview",
            }
            for name in ("title", "body"):
                form.fields[name].widget.attrs.update(live)
        return form

    def _draft(self, history):
        """The earlier draft ``?draft=`` names, to read before restoring it."""
        wanted = self.request.GET.get("draft", "")
        if not wanted:
            return None
        return get_object_or_404(history, history_id=parse_id(wanted))

    def form_valid(self, form):
        if "preview" in self.request.POST and self.object.authored:
            data = form.cleaned_data
            context = _preview(self.request.user, self.object, data["title"], data["body"])
            return self.render_to_response(self.get_context_data(form=form, **context))
        return super().form_valid(form)

    def save(self, form):
        data = form.cleaned_data
        return editions.chapter_save(
            chapter=self.object,
            by=self.request.user,
            title=data["title"],
            body=data.get("body", ""),
        )

    def get_success_url(self):
        return reverse("reports:chapter_edit", args=[self.object.pk])


class ChapterPreviewView(RecordMixin, TemplateView):
    """The preview pane alone, posted by htmx from the editor with the text as it stands."""

    template_name = "reports/_chapter_preview.html"
    fetch = staticmethod(_chapter_for)
    permission = "reports.change_chapter"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ChapterForm(request.POST, instance=self.object)
        if form.is_valid():
            data = form.cleaned_data
            context = _preview(request.user, self.object, data["title"], data.get("body", ""))
        else:
            context = {"preview_error": "The preview needs a title and text it can read."}
        return self.render_to_response({**context, "partial": True})


class CitationSearchView(RecordMixin, TemplateView):
    """The records of the edition's programme the user may cite, whose title holds ``q``, as
    buttons that insert their marker (asked by htmx from the editor)."""

    template_name = "reports/_citation_results.html"
    fetch = staticmethod(_edition_for)
    permission = "reports.change_edition"

    def get_context_data(self, **kwargs):
        query = _query(self.request)
        found = authored.citable(self.object.programme, self.request.user, query)
        return super().get_context_data(query=query, found=found, **kwargs)


class ChapterRestoreView(RecordMixin, View):
    """Restores an earlier draft (``history_id``, posted) as the chapter's newest draft."""

    fetch = staticmethod(_chapter_for)
    permission = "reports.change_chapter"

    def post(self, request, *args, **kwargs):
        chapter = self.object
        wanted = parse_id(request.POST.get("history_id"))
        if not chapter.history.filter(history_id=wanted).exists():
            raise Http404("No such draft of this chapter.")
        try:
            editions.chapter_restore(chapter=chapter, by=request.user, history_id=wanted)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "The earlier draft is back, as the newest draft.")
        return redirect("reports:chapter_edit", pk=chapter.pk)


urlpatterns = [
    path("reports/editions/", EditionListView.as_view(), name="edition_list"),
    path(
        "reports/editions/new/<str:kind>/<int:pk>/",
        EditionCreateView.as_view(),
        name="edition_create",
    ),
    path("reports/editions/<int:pk>/", EditionDetailView.as_view(), name="edition_detail"),
    path("reports/editions/<int:pk>/render/", EditionRenderView.as_view(), name="edition_render"),
    path("reports/editions/<int:pk>/delete/", EditionDeleteView.as_view(), name="edition_delete"),
    path("reports/editions/<int:pk>/chapters/new/", ChapterAddView.as_view(), name="chapter_add"),
    path(
        "reports/editions/<int:pk>/citations/",
        CitationSearchView.as_view(),
        name="citation_search",
    ),
    path("reports/chapters/<int:pk>/", ChapterUpdateView.as_view(), name="chapter_edit"),
    path("reports/chapters/<int:pk>/move/", ChapterMoveView.as_view(), name="chapter_move"),
    path(
        "reports/chapters/<int:pk>/preview/", ChapterPreviewView.as_view(), name="chapter_preview"
    ),
    path(
        "reports/chapters/<int:pk>/restore/", ChapterRestoreView.as_view(), name="chapter_restore"
    ),
    path("reports/chapters/<int:pk>/delete/", ChapterDeleteView.as_view(), name="chapter_delete"),
]
