"""Pages of issues: the list with its clock, raising, the negotiation guide (detail),
and one page per step (edit, option, resolve, escalate, withdraw, reopen), and the audit.

The step pages are also reached from forms on the issue's page; each answers a
GET with its own form and a POST through the service. A refusal of role is 403;
a refusal of the issue's state re-renders the form naming the error.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View

from accord.contracts.models import Contract, ScopeItem
from accord.core import charts
from accord.core.choices import Action, Side, Visibility
from accord.core.exports import csv_response
from accord.core.views import ObjectAuditView, RestrictedObjectMixin, add_form_errors, person_of
from accord.core.visibility import can
from accord.engine.tz import UnknownTimeZoneError, get_zone
from accord.governance.models import Forum
from accord.issues import clock, services
from accord.issues.forms import (
    PROMPTS,
    IssueEditForm,
    IssueFilterForm,
    IssueRaiseForm,
    OptionForm,
    ReasonForm,
    ResolveForm,
)
from accord.issues.models import OPEN_STATUSES, Issue, IssueEvent, IssueOption, IssueStatus
from accord.parties.models import Relationship

PAGE_SIZE = 25
OPEN_STAGES: list[str] = [IssueStatus.RAISED, IssueStatus.EXPLORING, IssueStatus.OPTIONS]
# The prompts the practices recommend, shown beside each side's column.
NEGOTIATION_PROMPTS = [
    "Help us understand what the challenges are for you.",
    "What would have to be true for this to work for you?",
    "What worries you about the solution we have in mind?",
]


def optional_url(name: str, **kwargs: Any) -> str | None:
    """The URL of another area's page, or None while that page does not exist."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def zone_of(relationship: Relationship, user: Any) -> Any:
    """The relationship's time zone (its contract's), for showing its dates; else the site's."""
    contract = (
        Contract.objects.restrict(user).filter(relationship=relationship).only("timezone").first()
    )
    if contract is not None and contract.timezone:
        try:
            return get_zone(contract.timezone)
        except UnknownTimeZoneError:
            pass
    return settings.TIME_ZONE


def visible_forums(relationship: Relationship, user: Any) -> list[Forum]:
    """The escalation ladder as the person sees it (joint forums, lowest tier first)."""
    return list(
        Forum.objects.restrict(user)
        .filter(relationship=relationship, visibility=Visibility.JOINT)
        .order_by("tier", "pk")
    )


def scope_of(relationship: Relationship, user: Any) -> Any:
    return ScopeItem.objects.restrict(user).filter(relationship=relationship)


def may_raise(user: Any, relationship: Relationship) -> bool:
    side = relationship.side_of(user)
    return side is not None and (
        can(user, Action.ADD, relationship, Visibility.JOINT)
        or can(user, Action.ADD, relationship, side)
    )


# --------------------------------------------------------------------------- list


def _filtered(request: HttpRequest, rows: Any, forums: list[Forum]) -> tuple[Any, IssueFilterForm]:
    form = IssueFilterForm(request.GET or None, forums=forums)
    if form.is_bound and form.is_valid():
        status = form.cleaned_data.get("status")
        if status == "open":
            rows = rows.filter(status__in=OPEN_STATUSES)
        elif status:
            rows = rows.filter(status=status)
        if form.cleaned_data.get("severity"):
            rows = rows.filter(severity=form.cleaned_data["severity"])
        if form.cleaned_data.get("forum"):
            rows = rows.filter(forum_id=form.cleaned_data["forum"])
    return rows, form


CSV_HEADER = [
    "id", "title", "stage", "severity", "category", "visibility", "raised by", "raised at",
    "forum", "due at", "clock", "resolved at", "contract letter cited", "agreed solution",
]  # fmt: skip


def _csv_rows(rows: Any, forums: list[Forum], now: dt.datetime) -> Any:
    for issue in rows.iterator():
        state = clock.read_clock(issue, forums, now)
        yield [
            issue.pk, issue.title, issue.get_status_display(), issue.get_severity_display(),
            issue.get_category_display(), issue.visibility, issue.raised_by_side,
            issue.raised_at.isoformat(), str(issue.forum or ""),
            issue.due_at.isoformat() if issue.due_at else "", state.text,
            issue.resolved_at.isoformat() if issue.resolved_at else "",
            issue.contract_letter_cited, issue.agreed_solution,
        ]  # fmt: skip


def stage_chart(counts: dict[str, int]) -> Any:
    bars = [
        charts.Bar(
            key=stage,
            label=IssueStatus(stage).label,
            amount=decimal.Decimal(counts.get(stage, 0)),
            text=f"{IssueStatus(stage).label}: {counts.get(stage, 0)} open issue(s)",
        )
        for stage in OPEN_STAGES
    ]
    return charts.bar_chart(
        bars,
        title="Open issues by stage",
        description="How many open issues are at each stage of the negotiation: "
        + ", ".join(bar.text for bar in bars)
        + ".",
        chart_id="issues-by-stage",
    )


class IssueListView(RestrictedObjectMixin, View):
    """A relationship's issues: filters, the clock of each, open issues by stage, CSV."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        relationship = self.get_object()
        user = person_of(request)
        forums = visible_forums(relationship, user)
        every = Issue.objects.restrict(user).filter(relationship=relationship)
        rows, form = _filtered(request, every.select_related("forum"), forums)
        now = timezone.now()
        if request.GET.get("format") == "csv":
            return csv_response(
                CSV_HEADER, _csv_rows(rows, forums, now), f"issues-{relationship.pk}.csv"
            )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = [(issue, clock.read_clock(issue, forums, now)) for issue in page.object_list]
        counts = {
            row["status"]: row["n"]
            for row in every.filter(status__in=OPEN_STATUSES)
            .values("status")
            .annotate(n=Count("pk"))
        }
        query = request.GET.copy()
        query.pop("page", None)
        query["format"] = "csv"
        context = {
            "relationship": relationship,
            "rows": shown,
            "page": page,
            "form": form,
            "filtered": bool(form.is_bound and any(form.data.get(k) for k in form.fields)),
            "counts": [(IssueStatus(s).label, counts.get(s, 0)) for s in OPEN_STAGES],
            "open_total": sum(counts.values()),
            "chart": stage_chart(counts) if counts else None,
            "can_add": may_raise(user, relationship),
            "forums": forums,
            "csv_url": f"?{query.urlencode()}",
            "zone": zone_of(relationship, user),
        }
        return render(request, "issues/issue_list.html", context)


# --------------------------------------------------------------------------- raise


class IssueAddView(RestrictedObjectMixin, View):
    """Raise an issue, joint or for the raiser's side only."""

    model = Relationship

    def permitted(self) -> tuple[Relationship, str]:
        relationship = self.get_object()
        user = person_of(self.request)
        if not may_raise(user, relationship):
            raise PermissionDenied("Your role does not allow raising issues here.")
        side = relationship.side_of(user)
        assert side is not None
        return relationship, side

    def render_form(self, form: IssueRaiseForm, relationship: Relationship) -> HttpResponse:
        first = clock.first_forum(relationship.pk)
        where = (
            f"It starts at {first}; if it is still open when that forum's time runs out, "
            "it escalates up the ladder by itself."
            if first
            else "This relationship has no forum yet: the escalation clock starts once it has one."
        )
        context = {
            "form": form,
            "relationship": relationship,
            "title": "Raise an issue",
            "intro": f"Say what is happening; the two sides then work it through their "
            f"interests, not their positions. {where}",
            "submit_label": "Raise the issue",
            "cancel_url": reverse("issue_list", kwargs={"pk": relationship.pk}),
        }
        return render(self.request, "issues/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, side = self.permitted()
        form = IssueRaiseForm(scope=scope_of(relationship, request.user), side=side)
        return self.render_form(form, relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, side = self.permitted()
        form = IssueRaiseForm(request.POST, scope=scope_of(relationship, request.user), side=side)
        if form.is_valid():
            try:
                issue = services.issue_raise(
                    relationship=relationship, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Issue raised.")
                return redirect(issue)
        return self.render_form(form, relationship)


# --------------------------------------------------------------------------- detail


def detail_context(request: HttpRequest, issue: Issue) -> dict[str, Any]:
    user = person_of(request)
    relationship = issue.relationship
    side = relationship.side_of(user)
    forums = visible_forums(relationship, user)
    now = timezone.now()
    options = list(
        IssueOption.objects.restrict(user).filter(issue=issue).select_related("created_by")
    )
    events = list(
        IssueEvent.objects.restrict(user)
        .filter(issue=issue)
        .select_related("actor", "from_forum", "to_forum")
        .order_by("at", "pk")
    )
    state = clock.read_clock(issue, forums, now)
    actions = services.issue_actions(issue, user, forums=forums)
    other = None if side is None else (Side.PROVIDER if side == Side.BUYER else Side.BUYER)
    columns = [
        {
            "side": column_side,
            "label": Side(column_side).label,
            "position": getattr(issue, f"{column_side}_position"),
            "interests": getattr(issue, f"{column_side}_interests"),
            "yours": column_side == side,
            "hidden_from": issue.visibility not in (Visibility.JOINT, column_side),
        }
        for column_side in (Side.BUYER, Side.PROVIDER)
    ]
    current = next((f for f in forums if f.pk == issue.forum_id), None)
    ladder = [
        {
            "forum": forum,
            "current": forum.pk == issue.forum_id,
            "passed": current is not None and forum.tier < current.tier,
            "days": clock.resolve_days(forum, issue.severity),
            "url": optional_url("forum_detail", pk=forum.pk),
        }
        for forum in forums
    ]
    return {
        "issue": issue,
        "relationship": relationship,
        "side": side,
        "other_side": other,
        "columns": columns,
        "prompts": NEGOTIATION_PROMPTS,
        "help": PROMPTS,
        "options": options,
        "chosen": next((o for o in options if o.chosen), None),
        "events": events,
        "clock": state,
        "ladder": ladder,
        "forum_url": optional_url("forum_detail", pk=issue.forum_id) if issue.forum_id else None,
        "stages": [(s, IssueStatus(s).label) for s in [*OPEN_STAGES, IssueStatus.RESOLVED]],
        "stage_index": (
            [*OPEN_STAGES, IssueStatus.RESOLVED].index(issue.status)
            if issue.status != IssueStatus.WITHDRAWN
            else -1
        ),
        "services_affected": list(scope_of(relationship, user).filter(issues=issue)),
        "actions": actions,
        "any_action": any(actions.values()),
        "option_form": OptionForm(),
        "resolve_form": ResolveForm(options=IssueOption.objects.restrict(user).filter(issue=issue)),
        "escalate_form": ReasonForm(prefix="escalate"),
        "withdraw_form": ReasonForm(prefix="withdraw", required=False),
        "reopen_form": ReasonForm(prefix="reopen"),
        "zone": zone_of(relationship, user),
    }


class IssueDetailView(RestrictedObjectMixin, View):
    """The issue laid out as the negotiation guide (see ``issues/issue_detail.html``)."""

    model = Issue

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self.get_object()
        return render(request, "issues/issue_detail.html", detail_context(request, issue))


# --------------------------------------------------------------------------- steps


class _StepView(RestrictedObjectMixin, View):
    """One step on an issue: GET shows its form, POST runs the service.

    ``action`` is the role's action the step needs (404 hidden, 403 not
    permitted); :meth:`check` adds the step's own rule of who may act.
    """

    model = Issue
    action = Action.CHANGE
    title = ""
    intro = ""
    submit_label = "Save"
    done_message = ""
    needs_open = True

    def check(self, issue: Issue) -> None:
        """Refuse (PermissionDenied) whoever may not take this step whatever the state."""
        if issue.relationship.side_of(person_of(self.request)) is None:
            raise PermissionDenied("You act for neither side of this relationship.")

    def make_form(self, issue: Issue, data: Any = None) -> Any:
        raise NotImplementedError

    def perform(self, issue: Issue, form: Any) -> Any:
        raise NotImplementedError

    def get_intro(self, issue: Issue) -> str:
        return self.intro

    def permitted(self) -> Issue:
        issue = self.get_object()
        self.check(issue)
        return issue

    def render_form(self, form: Any, issue: Issue) -> HttpResponse:
        context = {
            "form": form,
            "issue": issue,
            "relationship": issue.relationship,
            "title": f"{self.title}: {issue}",
            "intro": self.get_intro(issue),
            "submit_label": self.submit_label,
            "cancel_url": issue.get_absolute_url(),
        }
        return render(self.request, "issues/form.html", context)

    def wrong_state(self, issue: Issue) -> str:
        """Why the step cannot be taken now ('' when it can)."""
        if self.needs_open and issue.status not in OPEN_STATUSES:
            return f"This issue is {issue.get_status_display().lower()}: reopen it first."
        return ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self.permitted()
        problem = self.wrong_state(issue)
        if problem:
            messages.error(request, problem)
            return redirect(issue)
        return self.render_form(self.make_form(issue), issue)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self.permitted()
        form = self.make_form(issue, request.POST)
        if form.is_valid():
            try:
                self.perform(issue, form)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, self.message(issue))
                return redirect(issue)
        issue.refresh_from_db()
        return self.render_form(form, issue)

    def message(self, issue: Issue) -> str:
        return self.done_message


class IssueEditView(_StepView):
    title = "Edit"
    submit_label = "Save"
    done_message = "Issue saved."

    def get_intro(self, issue: Issue) -> str:
        side = issue.relationship.side_of(person_of(self.request))
        return (
            f"You write for the {side}: its position and the interests behind it. The other "
            "side writes its own. Either side writes the shared interests."
        )

    def make_form(self, issue: Issue, data: Any = None) -> IssueEditForm:
        user = person_of(self.request)
        side = issue.relationship.side_of(user)
        assert side is not None
        initial = {
            name: getattr(issue, name)
            for name in (
                "title", "description", "category", "severity", f"{side}_position",
                f"{side}_interests", "shared_interests", "contract_letter_cited",
            )
        }  # fmt: skip
        initial["services_affected"] = list(issue.services_affected.values_list("pk", flat=True))
        return IssueEditForm(
            data,
            initial=initial,
            scope=scope_of(issue.relationship, user),
            side=side,
            issue=issue,
        )

    def perform(self, issue: Issue, form: IssueEditForm) -> Any:
        return services.issue_update(issue=issue, actor=person_of(self.request), **form.changes())


class IssueOptionAddView(_StepView):
    action = Action.ADD
    title = "Add an option"
    intro = (
        "Options come before choices: add as many as either side can think of that might meet "
        "both sides' interests."
    )
    submit_label = "Add the option"
    done_message = "Option added."

    def make_form(self, issue: Issue, data: Any = None) -> OptionForm:
        return OptionForm(data)

    def perform(self, issue: Issue, form: OptionForm) -> Any:
        return services.option_add(
            issue=issue, text=form.cleaned_data["text"], actor=person_of(self.request)
        )


class IssueResolveView(_StepView):
    title = "Resolve"
    intro = (
        "Record the solution both sides agreed: one that meets the shared interests, not just "
        "one side's position."
    )
    submit_label = "Record the agreed solution"
    done_message = "Issue resolved."

    def make_form(self, issue: Issue, data: Any = None) -> ResolveForm:
        options = IssueOption.objects.restrict(person_of(self.request)).filter(issue=issue)
        return ResolveForm(data, options=options)

    def perform(self, issue: Issue, form: ResolveForm) -> Any:
        return services.issue_resolve(
            issue=issue,
            agreed_solution=form.cleaned_data["agreed_solution"],
            chosen_option=form.cleaned_data["chosen_option"],
            actor=person_of(self.request),
        )


class IssueEscalateView(_StepView):
    title = "Escalate"
    submit_label = "Escalate"
    prefix = "escalate"

    def get_intro(self, issue: Issue) -> str:
        above = clock.next_forum(issue)
        if above is None:
            return "The issue is at the top of the escalation ladder: there is no forum above."
        return (
            f"Take the issue from {issue.forum or 'no forum'} to {above} now, without waiting "
            f"for the clock. Its members are told, and the clock restarts there "
            f"({clock.resolve_days(above, issue.severity)} days for a "
            f"{issue.get_severity_display().lower()} issue)."
        )

    def make_form(self, issue: Issue, data: Any = None) -> ReasonForm:
        return ReasonForm(data, prefix=self.prefix, help_text="Why the issue needs the next forum.")

    def perform(self, issue: Issue, form: ReasonForm) -> Any:
        return services.issue_escalate(
            issue=issue, reason=form.cleaned_data["reason"], actor=person_of(self.request)
        )

    def message(self, issue: Issue) -> str:
        issue.refresh_from_db()
        return f"Escalated to {issue.forum}."


class IssueWithdrawView(_StepView):
    title = "Withdraw"
    intro = "Withdraw the issue your side raised: the clock stops. It can be reopened."
    submit_label = "Withdraw the issue"
    done_message = "Issue withdrawn."
    prefix = "withdraw"

    def check(self, issue: Issue) -> None:
        side = issue.relationship.side_of(person_of(self.request))
        if side != issue.raised_by_side:
            raise PermissionDenied("Only the side that raised the issue may withdraw it.")

    def make_form(self, issue: Issue, data: Any = None) -> ReasonForm:
        return ReasonForm(data, prefix=self.prefix, required=False)

    def perform(self, issue: Issue, form: ReasonForm) -> Any:
        return services.issue_withdraw(
            issue=issue, reason=form.cleaned_data["reason"], actor=person_of(self.request)
        )


class IssueReopenView(_StepView):
    title = "Reopen"
    intro = (
        "Reopen the issue at its forum: the negotiation picks up where it stood and the clock "
        "starts again. The earlier solution stays in the history."
    )
    submit_label = "Reopen the issue"
    done_message = "Issue reopened."
    needs_open = False
    prefix = "reopen"

    def wrong_state(self, issue: Issue) -> str:
        if issue.status in OPEN_STATUSES:
            return "This issue is open already."
        return ""

    def make_form(self, issue: Issue, data: Any = None) -> ReasonForm:
        return ReasonForm(data, prefix=self.prefix)

    def perform(self, issue: Issue, form: ReasonForm) -> Any:
        return services.issue_reopen(
            issue=issue, reason=form.cleaned_data["reason"], actor=person_of(self.request)
        )


class IssueAuditView(ObjectAuditView):
    model = Issue
