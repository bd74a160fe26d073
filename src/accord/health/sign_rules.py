"""The eight warning-sign rules: each reads joint inputs (or, for the financial sign,
the buyer's figures) and gives a value where higher is worse, a one-line summary and
its evidence. The thresholds turn the value into a state (see :mod:`accord.health.signs`).

Rules read stored records without a person (they are computed records); a joint
sign only ever reads joint records, so nothing private to one side can leak
into what both sides see.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from accord.contracts.models import Contract
from accord.core.choices import Side, Visibility
from accord.governance.attendance import MeetingFact, held_meetings
from accord.health.models import (
    FinancialIndicator,
    ImprovementProposal,
    MeetingLog,
    SignCode,
    WorkforceMonth,
)
from accord.health.refresh import add_months, health_months, month_end
from accord.issues.models import Issue
from accord.notes.models import Note
from accord.parties.models import Relationship
from accord.performance.focus import LevelFocus
from accord.performance.models import PeriodResult, ScorecardRun, ServiceLevel
from accord.performance.scorecards import latest_run
from accord.planning.models import Objective
from accord.planning.progress import objectives_in_force

# A logged contact's tier as a forum tier (for the facts both kinds of meeting share).
LOG_TIERS = {"operational": 1, "management": 2, "executive": 3}

D = decimal.Decimal
HUNDRED = D(100)
CENT = D("0.01")


@dataclass(frozen=True)
class SignDefault:
    """A sign's default tuning and how the page explains it."""

    watch_at: decimal.Decimal
    trigger_at: decimal.Decimal
    window_months: int
    unit: str
    rule: str  # one sentence: how the value is computed
    next_step: str  # one sentence: what to do when it is on watch or triggered
    windowed: bool = True


DEFAULTS: dict[str, SignDefault] = {
    SignCode.CUSTOMER_SATISFACTION: SignDefault(
        D(3), D(8), 3, "%",
        "The worst fall, over the window, of any end-customer service level of the "
        "scorecard in force: (first - last) / first for a level where higher is better.",
        "Look at the end customer's journey together with the provider: which contact "
        "reasons drive the fall, and what would each side change?",
    ),
    SignCode.ATTRITION: SignDefault(
        D(35), D(50), 3, "% a year",
        "Leavers plus people moved to other accounts over the window, divided by the "
        "average headcount, annualised (× 12 / months).",
        "Ask the provider what drives people out and whether the account is a place "
        "people want to work; agree a retention plan both sides fund.",
    ),
    SignCode.SAVINGS_ONLY: SignDefault(
        D(75), D(100), 1, "% of measures",
        "The share of the contract's service levels and of the joint objectives of the "
        "plan in force that are about cost and efficiency only.",
        "Agree at least one objective about the end customer, quality or innovation, "
        "and measure it.",
        windowed=False,
    ),
    SignCode.NO_GROWTH_INTENT: SignDefault(
        D(4), D(6), 1, "months",
        "Months since the provider last put forward an improvement or growth proposal.",
        "Invite the provider to propose improvements, and make clear that good ideas "
        "are rewarded rather than priced down.",
        windowed=False,
    ),
    SignCode.TOO_MANY_MEETINGS: SignDefault(
        D(25), D(50), 3, "% more",
        "Person-hours of forum meetings held (and other contacts logged) in the month, as "
        "a % increase over the average of the months of the window before it.",
        "Review the governance calendar: merge or drop meetings that repeat each other, "
        "and ask why more time is needed to agree.",
    ),
    SignCode.CONTRACT_PUSHBACK: SignDefault(
        D(2), D(4), 3, "citations",
        "Joint issues raised and joint notes written in the window where a side cited "
        "the contract's letter over its spirit.",
        "Talk about the intent behind the contract, not its letter: agree what each "
        "side needs and change the contract if it no longer fits.",
    ),
    SignCode.MISSING_EXECUTIVES: SignDefault(
        D(2), D(3), 1, "months",
        "Months since a meeting (forum attendance or a logged contact) with an executive "
        "present, for the side that has been missing longest.",
        "Put an executive review in the calendar with both sponsors present.",
        windowed=False,
    ),
    SignCode.FINANCIAL_EROSION: SignDefault(
        D(1), D(3), 1, "points",
        "The fall in the provider's operating margin, in percentage points, from its "
        "previous published figures to its latest.",
        "Assess the provider's resilience and what the contract's price does to it; "
        "consider whether the terms are win-win (buyer only).",
        windowed=False,
    ),
}  # fmt: skip


@dataclass
class Outcome:
    value: decimal.Decimal | None
    summary: str
    evidence: list[dict[str, str]] = field(default_factory=list)


def ym(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier``'s month to ``later``'s month."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def q2(value: decimal.Decimal | float) -> decimal.Decimal:
    return D(str(value)).quantize(CENT, rounding=decimal.ROUND_HALF_UP)


def num(value: decimal.Decimal | float) -> str:
    text = f"{q2(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _months(count: decimal.Decimal | int) -> str:
    return f"{num(count)} month{'' if count == 1 else 's'}"


def _aware(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())


class RuleContext:
    """One relationship's inputs, read once per evaluation (no person: computed records)."""

    def __init__(self, relationship: Relationship, months: list[dt.date]) -> None:
        self.relationship = relationship
        self.first_month = min(months) if months else None
        self._objectives: dict[int, list[Objective]] = {}

    @cached_property
    def contract(self) -> Contract | None:
        return Contract.objects.filter(
            relationship=self.relationship, visibility=Visibility.JOINT
        ).first()

    @cached_property
    def levels(self) -> list[ServiceLevel]:
        if self.contract is None:
            return []
        return list(
            ServiceLevel.objects.filter(
                contract=self.contract, retired=False, visibility=Visibility.JOINT
            ).order_by("position", "code")
        )

    @cached_property
    def run(self) -> ScorecardRun | None:
        """The scorecard in force."""
        return latest_run(self.contract) if self.contract is not None else None

    @cached_property
    def customer_results(self) -> dict[int, dict[str, float]]:
        """level pk -> {YYYY-MM: value} of the customer levels in the scorecard in force."""
        levels = [level for level in self.levels if level.focus == LevelFocus.CUSTOMER]
        if self.run is None or not levels:
            return {}
        found: dict[int, dict[str, float]] = {level.pk: {} for level in levels}
        rows = PeriodResult.objects.filter(
            run=self.run, service_level__in=levels, breakdown={}, visibility=Visibility.JOINT
        ).values_list("service_level_id", "period", "value")
        for level_id, period, value in rows:
            if value is not None and len(period) == 7:
                found[level_id][period] = value
        return found

    @cached_property
    def workforce(self) -> dict[dt.date, WorkforceMonth]:
        rows = WorkforceMonth.objects.filter(
            relationship=self.relationship, visibility=Visibility.JOINT
        )
        return {row.month: row for row in rows}

    @cached_property
    def meetings(self) -> list[MeetingFact]:
        """Held forum meetings (from their attendance) and logged contacts, oldest first."""
        logged = [
            MeetingFact(
                held_on=m.held_on,
                title=m.title,
                tier=LOG_TIERS.get(m.tier, 2),
                person_hours=D(m.duration_minutes * m.attendees) / 60,
                buyer_executive_present=m.buyer_executive_present,
                provider_executive_present=m.provider_executive_present,
                url=m.get_absolute_url(),
            )
            for m in MeetingLog.objects.filter(
                relationship=self.relationship, visibility=Visibility.JOINT
            )
        ]
        facts = [*held_meetings(self.relationship), *logged]
        return sorted(facts, key=lambda fact: (fact.held_on, fact.title))

    def objectives_in_force(self, month: dt.date) -> list[Objective]:
        """The objectives of the month's year's joint plan, when both executives signed it."""
        if month.year not in self._objectives:
            self._objectives[month.year] = list(objectives_in_force(self.relationship, month))
        return self._objectives[month.year]

    @cached_property
    def letter_citations(self) -> list[tuple[dt.datetime, str, str]]:
        """(when, what, url) of joint issues raised and joint notes written citing the
        contract's letter. Private ones never count."""
        issues = [
            (issue.raised_at, f"Issue: {issue.title}", issue.get_absolute_url())
            for issue in Issue.objects.filter(
                relationship=self.relationship,
                visibility=Visibility.JOINT,
                contract_letter_cited=True,
            )
        ]
        notes = [
            (note.created_at, f"Note: {note.title}", note.get_absolute_url())
            for note in self.dispute_notes
        ]
        return sorted([*issues, *notes])

    @cached_property
    def provider_proposals(self) -> list[ImprovementProposal]:
        return list(
            ImprovementProposal.objects.filter(
                relationship=self.relationship,
                visibility=Visibility.JOINT,
                originated_by=Side.PROVIDER,
            ).order_by("proposed_on", "pk")
        )

    @cached_property
    def dispute_notes(self) -> list[Note]:
        # Joint notes only: a note one side keeps private never feeds a sign both see.
        return list(
            Note.objects.filter(
                relationship=self.relationship,
                visibility=Visibility.JOINT,
                contractual_dispute=True,
            ).order_by("created_at", "pk")
        )

    @cached_property
    def finances(self) -> list[FinancialIndicator]:
        return list(
            FinancialIndicator.objects.filter(
                relationship=self.relationship,
                visibility=Visibility.BUYER,
                operating_margin__isnull=False,
            ).order_by("period_end", "pk")
        )

    def start_of_history(self) -> dt.date | None:
        """Where "months since" counts from when something never happened."""
        start = self.relationship.start_date
        if start is not None:
            return start.replace(day=1)
        return self.first_month


Rule = Callable[[RuleContext, dt.date, int], Outcome]


def customer_satisfaction(ctx: RuleContext, month: dt.date, window: int) -> Outcome:
    """Sign 1. For each non-retired level focused on the end customer in the latest
    succeeded scorecard run (whole-level monthly results), take its first and last
    values within the window ending at ``month``; deterioration % is
    (first - last) / |first| × 100 where higher is better, (last - first) / |first| × 100
    where lower is better. The value is the worst level's deterioration; no level with
    two values in the window gives no data."""
    periods = [ym(m) for m in health_months(month, window)]
    by_level = {level.pk: level for level in ctx.levels}
    worst: decimal.Decimal | None = None
    worst_level = ""
    evidence: list[dict[str, str]] = []
    for level_id, values in ctx.customer_results.items():
        level = by_level[level_id]
        seen = [(p, values[p]) for p in periods if p in values]
        if len(seen) < 2 or seen[0][1] == 0:
            continue
        (first_period, first), (last_period, last) = seen[0], seen[-1]
        change = (last - first) if level.direction == "lower" else (first - last)
        deterioration = q2(D(str(change)) / D(str(abs(first))) * HUNDRED)
        evidence.append(
            {
                "label": f"{level.code} {level.name}",
                "value": f"{num(first)} ({first_period}) → {num(last)} ({last_period}): "
                f"{num(deterioration)}% worse"
                if deterioration > 0
                else f"{num(first)} ({first_period}) → {num(last)} ({last_period}): "
                f"no deterioration",
                "url": level.get_absolute_url(),
            }
        )
        if worst is None or deterioration > worst:
            worst, worst_level = deterioration, level.code
    if worst is None:
        return Outcome(
            None, "No end-customer service level with two results in the window.", evidence
        )
    if worst <= 0:
        return Outcome(worst, "End-customer service levels are steady or improving.", evidence)
    return Outcome(worst, f"{worst_level} fell {num(worst)}% over {window} months.", evidence)


def attrition(ctx: RuleContext, month: dt.date, window: int) -> Outcome:
    """Sign 2. (leavers + moved out) over the months of the window that have figures,
    divided by their average headcount, × 12 / those months × 100: the annualised % of
    the account's people who left it. No figures or no headcount gives no data."""
    rows = [ctx.workforce[m] for m in health_months(month, window) if m in ctx.workforce]
    evidence = [
        {
            "label": ym(row.month),
            "value": f"headcount {row.headcount}, leavers {row.leavers}, "
            f"moved out {row.moved_out}, joiners {row.joiners}",
            "url": row.get_absolute_url(),
        }
        for row in rows
    ]
    if not rows:
        return Outcome(None, "No workforce figures in the window.", evidence)
    average = D(sum(row.headcount for row in rows)) / len(rows)
    if average == 0:
        return Outcome(None, "Headcount is zero in the window.", evidence)
    gone = sum(row.leavers + row.moved_out for row in rows)
    value = q2(D(gone) / average * 12 / len(rows) * HUNDRED)
    return Outcome(
        value,
        f"{gone} left or moved out in {len(rows)} months of an average {num(average)} "
        f"people: {num(value)}% a year.",
        evidence,
    )


def savings_only(ctx: RuleContext, month: dt.date, window: int) -> Outcome:
    """Sign 3. The % of the measures of success that are about cost and efficiency: the
    contract's non-retired service levels plus the objectives (not dropped) of the month's
    year's joint plan, when both executives have signed its current version. Nothing to
    count gives no data."""
    levels = ctx.levels
    objectives = ctx.objectives_in_force(month)
    if not levels and not objectives:
        return Outcome(None, "No service levels and no joint plan in force to look at.")
    foci = [level.focus for level in levels] + [o.focus for o in objectives]
    efficiency = foci.count(LevelFocus.EFFICIENCY)
    value = q2(D(efficiency) / len(foci) * HUNDRED)
    evidence = [
        {
            "label": f"{level.code} {level.name}",
            "value": level.get_focus_display() or "not set",
            "url": level.get_absolute_url(),
        }
        for level in levels
    ] + [
        {
            "label": f"Objective: {objective.statement[:80]}",
            "value": objective.get_focus_display(),
            "url": objective.get_absolute_url(),
        }
        for objective in objectives
    ]
    plan = f"the {month.year} plan's {len(objectives)} objectives" if objectives else "no plan"
    return Outcome(
        value,
        f"{efficiency} of {len(foci)} measures ({len(levels)} service levels, {plan}) "
        "are about cost and efficiency only.",
        evidence,
    )


def no_growth_intent(ctx: RuleContext, month: dt.date, window: int) -> Outcome:
    """Sign 4. Whole months from the month of the provider's latest improvement proposal
    (proposed on or before the month's end) to ``month``. With none ever, months since
    the relationship started (or since the first month evaluated)."""
    end = month_end(month)
    proposals = [p for p in ctx.provider_proposals if p.proposed_on <= end]
    if proposals:
        latest = proposals[-1]
        value = D(max(0, months_between(latest.proposed_on, month)))
        evidence = [
            {
                "label": f"{p.proposed_on}: {p.title}",
                "value": p.get_status_display(),
                "url": p.get_absolute_url(),
            }
            for p in reversed(proposals[-5:])
        ]
        return Outcome(
            value,
            f"The provider's last proposal, “{latest.title}”, was {_months(value)} ago.",
            evidence,
        )
    start = ctx.start_of_history()
    if start is None:
        return Outcome(None, "No provider proposal, and no start to count from.")
    value = D(max(0, months_between(start, month)))
    return Outcome(
        value,
        f"No provider proposal since {ym(start)}: {_months(value)}.",
        [{"label": "Counted from", "value": ym(start), "url": ""}],
    )


def too_many_meetings(ctx: RuleContext, month: dt.date, window: int) -> Outcome:
    """Sign 5. Person-hours (duration × people present / 60) of the forum meetings held
    and other contacts logged in ``month``, as a % increase over the average of the
    ``window`` months before it. No meeting in those earlier months gives no data."""

    def hours(of: dt.date) -> decimal.Decimal:
        return sum(
            (
                m.person_hours
                for m in ctx.meetings
                if m.held_on.year == of.year and m.held_on.month == of.month
            ),
            D(0),
        )

    before = [add_months(month, -offset) for offset in range(window, 0, -1)]
    earlier = [hours(m) for m in before]
    now = hours(month)
    evidence = [
        {"label": ym(m), "value": f"{num(h)} person-hours", "url": ""}
        for m, h in [*zip(before, earlier, strict=True), (month, now)]
    ]
    total = sum(earlier, D(0))
    if total == 0:
        return Outcome(None, "No meetings logged in the months before to compare with.", evidence)
    average = total / len(earlier)
    value = q2((now - average) / average * HUNDRED)
    return Outcome(
        value,
        f"{num(now)} person-hours of meetings against {num(average)} a month before "
        f"({'+' if value >= 0 else ''}{num(value)}%).",
        evidence,
    )


def contract_pushback(ctx: RuleContext, month: dt.date, window: int) -> Outcome:
    """Sign 6. The number of joint issues raised and joint notes written (created) in the
    window ending at ``month`` where a side cited the contract's letter over its spirit.
    Private issues and notes never count."""
    start = _aware(health_months(month, window)[0])
    stop = _aware(add_months(month, 1))
    cited = [c for c in ctx.letter_citations if start <= c[0] < stop]
    evidence = [
        {
            "label": f"{timezone.localtime(when):%Y-%m-%d}: {what}",
            "value": "cites the contract's letter",
            "url": url,
        }
        for when, what, url in cited
    ]
    value = D(len(cited))
    return Outcome(
        value,
        f"{len(cited)} joint issue{'s' if len(cited) != 1 else ''} or note"
        f"{'s' if len(cited) != 1 else ''} citing the contract's letter in {window} months.",
        evidence,
    )


def missing_executives(ctx: RuleContext, month: dt.date, window: int) -> Outcome:
    """Sign 7. Months from the last meeting (a held forum meeting an executive of the
    side attended, or a logged contact with one present) for the buyer's side and for
    the provider's, to ``month``; the value is the longer of the two. A side never
    present counts from the relationship's start (or the first meeting). No meeting at
    all gives no data."""
    end = month_end(month)
    meetings = [m for m in ctx.meetings if m.held_on <= end]
    if not meetings:
        return Outcome(None, "No meetings logged yet.")
    start = ctx.start_of_history() or meetings[0].held_on.replace(day=1)
    gaps: dict[str, int] = {}
    evidence = []
    for side, attr in (
        (Side.BUYER, "buyer_executive_present"),
        (Side.PROVIDER, "provider_executive_present"),
    ):
        present = [m for m in meetings if getattr(m, attr)]
        if present:
            last = present[-1]
            gaps[side] = max(0, months_between(last.held_on, month))
            evidence.append(
                {
                    "label": f"{side.capitalize()} executive last present",
                    "value": f"{last.held_on}: {last.title} ({gaps[side]} months ago)",
                    "url": last.url,
                }
            )
        else:
            gaps[side] = max(0, months_between(start, month))
            evidence.append(
                {
                    "label": f"{side.capitalize()} executive last present",
                    "value": f"never logged (counted from {ym(start)})",
                    "url": "",
                }
            )
    worst_side = max(gaps, key=lambda s: (gaps[s], s == Side.PROVIDER))
    value = D(gaps[worst_side])
    if value == 0:
        summary = "Both sides' executives attended a meeting this month."
    else:
        summary = f"No {worst_side} executive at a meeting for {_months(value)}."
        if gaps[Side.BUYER] == gaps[Side.PROVIDER]:
            summary = f"No executive of either side at a meeting for {_months(value)}."
    return Outcome(value, summary, evidence)


def financial_erosion(ctx: RuleContext, month: dt.date, window: int) -> Outcome:
    """Sign 8 (buyer only). The fall in operating margin, in percentage points, from the
    previous published figures to the latest ending on or before the month's end;
    revenue change in the evidence. Fewer than two figures with a margin gives no data."""
    end = month_end(month)
    figures = [f for f in ctx.finances if f.period_end <= end]
    if len(figures) < 2:
        return Outcome(None, "Fewer than two periods of the provider's figures recorded.")
    previous, latest = figures[-2], figures[-1]
    assert previous.operating_margin is not None
    assert latest.operating_margin is not None
    fall = q2(previous.operating_margin - latest.operating_margin)
    evidence = [
        {
            "label": f"Operating margin to {f.period_end}",
            "value": f"{num(f.operating_margin or 0)}%",
            "url": f.get_absolute_url(),
        }
        for f in (previous, latest)
    ]
    if previous.revenue and latest.revenue is not None:
        change = q2((latest.revenue - previous.revenue) / previous.revenue * HUNDRED)
        evidence.append(
            {
                "label": "Revenue change",
                "value": f"{'+' if change >= 0 else ''}{num(change)}% "
                f"({num(previous.revenue)} → {num(latest.revenue)})",
                "url": "",
            }
        )
    if fall <= 0:
        summary = (
            f"Operating margin held or rose ({num(previous.operating_margin)}% → "
            f"{num(latest.operating_margin)}%)."
        )
    else:
        summary = (
            f"Operating margin fell {num(fall)} points "
            f"({num(previous.operating_margin)}% → {num(latest.operating_margin)}%)."
        )
    return Outcome(fall, summary, evidence)


RULES: dict[str, Rule] = {
    SignCode.CUSTOMER_SATISFACTION: customer_satisfaction,
    SignCode.ATTRITION: attrition,
    SignCode.SAVINGS_ONLY: savings_only,
    SignCode.NO_GROWTH_INTENT: no_growth_intent,
    SignCode.TOO_MANY_MEETINGS: too_many_meetings,
    SignCode.CONTRACT_PUSHBACK: contract_pushback,
    SignCode.MISSING_EXECUTIVES: missing_executives,
    SignCode.FINANCIAL_EROSION: financial_erosion,
}


def rule_doc(sign: str) -> str:
    """The rule's docstring in one paragraph, for the sign's page."""
    doc = RULES[sign].__doc__ or ""
    return " ".join(doc.split())


__all__ = ["DEFAULTS", "RULES", "Outcome", "RuleContext", "SignDefault", "rule_doc"]
