"""What a programme still needs before its people can work in it: the steps of "Set up your
programme", each with what it has made so far and where to do it.

The steps are data (``STEPS``): each counts what it made with one annotation on the programme,
so the whole checklist of one programme, or of all a manager's programmes, is one query. An
app adds its own step with ``add_step``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, Expression, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse

from accounts.models import Role
from accounts.rules import permitted
from car_programme.selectors import subquery_count
from sites.models import CaseSite, Organisation, Programme, ProposedProject, Theme


@dataclass(frozen=True)
class SetupStep:
    """One step: ``made(user)`` is an annotation on programmes, above 0 once the step is done
    (for ``user``, who sets the programme up); ``url_name`` the page that does it, given the
    programme's id as its argument (``url_arg``) or as ``?programme=``."""

    key: str
    title: str
    missing: str
    made: Callable[..., Expression]
    url_name: str
    action: str
    url_arg: bool = True

    def url(self, programme: Programme) -> str:
        if self.url_arg:
            return reverse(self.url_name, args=[programme.pk])
        return f"{reverse(self.url_name)}?programme={programme.pk}"


def _described(user) -> Expression:
    return Case(
        When(Q(start_date__isnull=False, end_date__isnull=False), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _counting(model, outer: str) -> Callable[..., Expression]:
    return lambda user: subquery_count(model.objects.all(), outer)


def _other_people(user) -> Expression:
    others = Role.objects.exclude(user=user) if user.pk else Role.objects.all()
    return subquery_count(others, "programme", field="user", distinct=True)


STEPS: list[SetupStep] = [
    SetupStep(
        key="programme",
        title="Describe the programme",
        missing="Its start and end dates are not recorded yet.",
        made=_described,
        url_name="sites:programme_update",
        action="Edit the programme",
    ),
    SetupStep(
        key="sites",
        title="Add its case sites",
        missing="No case site yet: groups, people and activities are recorded in a site.",
        made=_counting(CaseSite, "programme"),
        url_name="sites:site_create",
        action="Add a case site",
    ),
    SetupStep(
        key="themes",
        title="Set up a theme framework",
        missing="No theme framework yet: records are tagged with its themes and reports "
        "group by them.",
        made=_counting(Theme, "programme"),
        url_name="sites:theme_list",
        action="Theme frameworks",
    ),
    SetupStep(
        key="organisations",
        title="Record the partner organisations",
        missing="No organisation yet: people belong to one.",
        made=_counting(Organisation, "programme"),
        url_name="sites:organisation_create",
        action="Record an organisation",
        url_arg=False,
    ),
    SetupStep(
        key="proposed_projects",
        title="List the proposed projects (Table B)",
        missing="No proposed project yet: add them on each site's page, under Table B.",
        made=_counting(ProposedProject, "site__programme"),
        url_name="sites:site_list",
        action="Case sites",
        url_arg=False,
    ),
    SetupStep(
        key="people",
        title="Invite the people who will use it",
        missing="Nobody but you holds a role in the programme yet.",
        made=_other_people,
        url_name="accounts:user_list",
        action="Users and roles",
    ),
]


def add_step(step: SetupStep, *, replace: bool = True) -> None:
    """Add ``step`` at the end, or in place of the step of the same key."""
    for index, known in enumerate(STEPS):
        if known.key == step.key:
            if replace:
                STEPS[index] = step
            return
    STEPS.append(step)


@dataclass
class StepState:
    step: SetupStep
    made: int
    url: str

    @property
    def done(self) -> bool:
        return self.made > 0


@dataclass
class Checklist:
    programme: Programme
    steps: list[StepState]

    @property
    def missing(self) -> list[StepState]:
        return [state for state in self.steps if not state.done]

    @property
    def complete(self) -> bool:
        return not self.missing


def _with_steps(programmes: QuerySet[Programme], user) -> QuerySet[Programme]:
    return programmes.annotate(**{f"setup_{step.key}": step.made(user) for step in STEPS})


def _checklist(programme: Programme) -> Checklist:
    return Checklist(
        programme=programme,
        steps=[
            StepState(
                step=step, made=getattr(programme, f"setup_{step.key}"), url=step.url(programme)
            )
            for step in STEPS
        ],
    )


def programme_checklist(*, programme: Programme, user) -> Checklist:
    """The setup steps of ``programme`` as ``user`` sets it up, in one query."""
    return _checklist(_with_steps(Programme.objects.filter(pk=programme.pk), user).get())


def checklists_to_finish(*, user) -> list[Checklist]:
    """The checklists of the open programmes ``user`` may set up that miss a step, in one
    query: what "My work" points at."""
    programmes = _with_steps(
        permitted(user, "sites.change_programme").filter(archived_at__isnull=True).order_by("name"),
        user,
    )
    return [checklist for p in programmes if not (checklist := _checklist(p)).complete]
