"""Demo data: a signed joint plan per relationship with objectives at different statuses.

Through the services, as people of both sides would do it:

* ministry-northwind: the 2025 plan, signed, assessed every quarter and
  reviewed at year end (the self-service objective carried forward into
  2026, the off-cycle runs one closed); the 2026 plan with the carried
  objective, payment accuracy linked to PAY-ACC, priority-1 inquiries to
  HR-P1 and the relationship's health index.
* credit-northwind: the 2026 plan, member-focused, signed, then revised at
  mid-year (first-contact resolution's target lowered: both executives
  signed again, and the revision shows what changed); satisfaction linked
  to CC-CSAT and resolution to CC-FCR.
* credit-harbour: the relationship launch (it started 2025-11), objectives
  leaning on cost and efficiency (the relationship is drifting: warning
  sign 3 counts objective focus); handle time linked to CC-AHT.

Each plan is co-signed by the executives of both sides, and its objectives'
checkpoints Q1-Q3 (Q1-Q4 for 2025) carry both sides' commentary.

Idempotent: plans are found by relationship and year, objectives by
statement, checkpoints by label; a signature, a revision, an assessment or
the review is made only when it is missing.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any

from django.test.utils import override_settings

from accord.core import signing
from accord.parties.demo import RELATIONSHIPS
from accord.parties.models import Relationship, User
from accord.performance.focus import LevelFocus
from accord.performance.models import ServiceLevel
from accord.planning import services
from accord.planning.models import (
    Checkpoint,
    CheckpointStatus,
    LinkedFigure,
    Objective,
    PlanningCycle,
    PlanRevision,
)

ON, RISK, OFF, DONE, NOT = (
    CheckpointStatus.ON_TRACK,
    CheckpointStatus.AT_RISK,
    CheckpointStatus.OFF_TRACK,
    CheckpointStatus.ACHIEVED,
    CheckpointStatus.NOT_ASSESSED,
)


@dataclass(frozen=True)
class DemoObjective:
    statement: str
    measure: str
    focus: str
    owners: tuple[str, str]  # buyer's and provider's usernames
    target_date: str
    # Per quarter: (checkpoint status, buyer's commentary, provider's commentary).
    progress: tuple[tuple[str, str, str], ...] = ()
    level: str = ""  # a service level code: the measure reads its monthly result
    health_index: bool = False
    target_value: str | None = None
    carried: bool = False  # created by the previous year's review, not added here
    revise: dict[str, Any] = field(default_factory=dict)  # a mid-year edit after signing


@dataclass(frozen=True)
class DemoPlan:
    relationship: str  # key in accord.parties.demo.RELATIONSHIPS
    year: int
    title: str
    session: str
    buyer_drivers: str
    provider_drivers: str
    changes: str
    executives: tuple[str, str]
    writers: tuple[str, str]  # who edits and comments for the buyer and the provider
    objectives: tuple[DemoObjective, ...]
    is_launch: bool = False
    review: dict[str, str] = field(default_factory=dict)  # statement -> carry / close


SELF_SERVICE = "Move routine HR inquiries to the employee self-service portal"
OFF_CYCLE = "Halve the number of off-cycle pay runs"

MINISTRY_2025 = DemoPlan(
    relationship="ministry-northwind",
    year=2025,
    title="Joint plan 2025",
    session="2025-01-22",
    buyer_drivers="A flat budget for corporate services; a new collective agreement coming "
    "in 2026; ministers' attention on pay errors after the 2024 transition.",
    provider_drivers="Stabilise the service after transition; grow HR advisory work; keep "
    "the payroll team together through the first full year.",
    changes="Go-live of the outsourced payroll in April 2024; three pay-error incidents in "
    "the autumn; a new deputy minister.",
    executives=("ministry.exec", "northwind.exec"),
    writers=("ministry.manager", "northwind.lead"),
    objectives=(
        DemoObjective(
            "Stabilise pay accuracy after the 2024 transition",
            "Payment accuracy at or above the expected 99.85 % for six months in a row.",
            LevelFocus.QUALITY,
            ("ministry.manager", "northwind.lead"),
            "2025-12-31",
            (
                (ON, "Error backlog cleared.", "Root causes of the autumn errors fixed."),
                (ON, "Four months above target.", "Double-check on retro pay in place."),
                (ON, "Holding steady.", "Audit sample clean."),
                (DONE, "Six months in a row: achieved.", "Achieved; controls stay in place."),
            ),
        ),
        DemoObjective(
            SELF_SERVICE,
            "Half of routine inquiries (address, tax forms, leave balance) raised in the portal.",
            LevelFocus.CUSTOMER,
            ("ministry.manager", "northwind.lead"),
            "2025-12-31",
            (
                (ON, "Portal pilot chosen.", "Pilot with two departments."),
                (RISK, "Pilot departments slow to adopt.", "Portal login issues with SSO."),
                (OFF, "SSO fix not scheduled by IT.", "Waiting on the ministry's SSO change."),
                (OFF, "22 % in the portal; not there yet.", "Ready to roll out once SSO works."),
            ),
        ),
        DemoObjective(
            "Agree one monthly reporting pack for both sides",
            "One pack, agreed format, out by the 10th working day each month.",
            LevelFocus.OTHER,
            ("ministry.manager", "northwind.lead"),
            "2025-06-30",
            (
                (ON, "Draft format reviewed.", "First pack sent on day 9."),
                (DONE, "Agreed and on time since April.", "Achieved."),
            ),
        ),
        DemoObjective(
            OFF_CYCLE,
            "Off-cycle runs down from 40 to 20 a month.",
            LevelFocus.EFFICIENCY,
            ("ministry.manager", "northwind.lead"),
            "2025-12-31",
            (
                (ON, "Cut-off dates communicated.", "Late changes now batched."),
                (RISK, "Departments still send late changes.", "31 off-cycle runs in June."),
                (RISK, "Little change.", "Needs the ministry's cut-off policy."),
                (RISK, "Policy change moved to the 2026 agreement.", "Down to 28 a month."),
            ),
        ),
        DemoObjective(
            "Run a joint continuous-improvement session each quarter",
            "Four sessions held, each with at least one improvement agreed.",
            LevelFocus.OTHER,
            ("ministry.exec", "northwind.exec"),
            "2025-12-31",
            (
                (ON, "First session held.", "Three ideas logged."),
                (ON, "Second session held.", "Retro-pay checklist agreed."),
                (ON, "Third session held.", "Portal FAQ agreed."),
                (DONE, "Four sessions held.", "Achieved."),
            ),
        ),
    ),
    review={
        SELF_SERVICE: services.CARRY,
        OFF_CYCLE: services.CLOSE,
    },
)

MINISTRY_2026 = DemoPlan(
    relationship="ministry-northwind",
    year=2026,
    title="Joint plan 2026",
    session="2026-01-21",
    buyer_drivers="The new collective agreement's pay rules from October; a 2 % efficiency "
    "target on corporate services; fewer complaints from employees about HR answers.",
    provider_drivers="Keep the payroll team's accuracy; automate manual adjustments; show "
    "value beyond the contract to win the HR advisory extension.",
    changes="The collective agreement was signed in December; the ministry's SSO change is "
    "finally scheduled for March; Northwind opened a second payroll site.",
    executives=("ministry.exec", "northwind.exec"),
    writers=("ministry.manager", "northwind.lead"),
    objectives=(
        DemoObjective(
            SELF_SERVICE,
            "",
            LevelFocus.CUSTOMER,
            ("ministry.manager", "northwind.lead"),
            "2026-12-31",
            (
                (RISK, "SSO change slipped to April.", "Rollout plan ready."),
                (ON, "SSO live; 35 % in the portal.", "Portal adoption growing weekly."),
                (ON, "48 % in the portal.", "On track for 50 % by December."),
            ),
            carried=True,
        ),
        DemoObjective(
            "Keep payment accuracy at 99.9 % or better every month",
            "PAY-ACC's monthly result at or above 99.9 %.",
            LevelFocus.QUALITY,
            ("ministry.manager", "northwind.lead"),
            "2026-12-31",
            (
                (ON, "Above 99.9 % all quarter.", "Controls holding."),
                (ON, "May's late pay changes caused no errors.", "Held through the peak."),
                (ON, "Above target.", "Above target; retro-pay checks automated."),
            ),
            level="PAY-ACC",
            target_value="99.9",
        ),
        DemoObjective(
            "Deliver the new collective agreement's pay rules before the October pay run",
            "The October pay run pays the new rules with no manual adjustment.",
            LevelFocus.COMPLIANCE,
            ("ministry.manager", "northwind.lead"),
            "2026-10-15",
            (
                (ON, "Rules interpreted and signed off.", "Configuration started."),
                (ON, "Parallel run planned.", "Configuration tested."),
                (DONE, "October run paid the new rules.", "Delivered; no manual fixes."),
            ),
        ),
        DemoObjective(
            "Resolve priority-1 HR inquiries within four hours, every month",
            "HR-P1's monthly result at or above 95 %.",
            LevelFocus.TIMELINESS,
            ("ministry.manager", "northwind.lead"),
            "2026-12-31",
            (
                (ON, "Steady.", "Steady."),
                (ON, "Steady.", "On-call rota extended to weekends."),
                (
                    RISK,
                    "August missed the minimum: a credit.",
                    "Two senior advisers left in July; replacements trained by September.",
                ),
            ),
            level="HR-P1",
            target_value="95",
        ),
        DemoObjective(
            "Raise the relationship health index to 80 or more",
            "The health index at 80 or above by the year-end review.",
            LevelFocus.OTHER,
            ("ministry.exec", "northwind.exec"),
            "2026-12-31",
            (
                (
                    RISK,
                    "Survey shows a gap on communication.",
                    "We rate ourselves higher; fair point taken.",
                ),
                (ON, "Monthly executive check-ins started.", "Check-ins help."),
                (ON, "Index above 80 in September.", "Keep the check-ins."),
            ),
            health_index=True,
            target_value="80",
        ),
        DemoObjective(
            "Cut manual pay adjustments by 30 %",
            "Manual adjustments a month down from 600 to 420.",
            LevelFocus.EFFICIENCY,
            ("ministry.manager", "northwind.lead"),
            "2026-12-31",
            (
                (ON, "Baseline agreed: 600 a month.", "Automation backlog sized."),
                (RISK, "Still 560 a month.", "Automation slipped behind the pay-rule work."),
                (
                    OFF,
                    "Still 540: not reachable this year.",
                    "Pay-rule work took the team; we propose carrying it.",
                ),
            ),
        ),
        DemoObjective(
            "Agree a joint workforce plan for the year-end peak",
            "Both sides' staffing for December-January agreed by 15 November.",
            LevelFocus.OTHER,
            ("ministry.manager", "northwind.lead"),
            "2026-12-31",
            (
                (NOT, "", ""),
                (NOT, "", ""),
                (NOT, "Starts in November, after the pay-rule go-live.", "Agreed: November."),
            ),
        ),
    ),
)

CREDIT_NORTHWIND_2026 = DemoPlan(
    relationship="credit-northwind",
    year=2026,
    title="Joint plan 2026",
    session="2026-01-28",
    buyer_drivers="Member growth in the interior branches; members' complaints about "
    "repeat calls; a digital-first strategy approved by the board.",
    provider_drivers="Grow the chat team; reduce overtime; a reference client for member "
    "experience in financial services.",
    changes="Weekday overflow volumes grew 18 %; the credit union moved its core banking "
    "system; Northwind replaced its workforce-management tool.",
    executives=("credit.exec", "northwind.exec"),
    writers=("credit.manager", "northwind.exec"),
    objectives=(
        DemoObjective(
            "Lift member satisfaction to 85 % top-box",
            "CC-CSAT's monthly result at or above 85 %.",
            LevelFocus.CUSTOMER,
            ("credit.manager", "northwind.exec"),
            "2026-12-31",
            (
                (ON, "Coaching on empathy started.", "82 % and rising."),
                (ON, "Above 85 % in May.", "New greeting script helped."),
                (RISK, "Dipped below 85 % in October.", "Core-banking outage calls hurt scores."),
            ),
            level="CC-CSAT",
            target_value="85",
        ),
        DemoObjective(
            "Launch weekend chat coverage",
            "Chat open Saturday and Sunday 9-17 with the CC-CHAT target met.",
            LevelFocus.CUSTOMER,
            ("credit.manager", "northwind.exec"),
            "2026-06-30",
            (
                (ON, "Staffing plan agreed.", "Recruiting six chat agents."),
                (DONE, "Live since May.", "Launched; targets met."),
            ),
        ),
        DemoObjective(
            "Raise first-contact resolution",
            "CC-FCR's monthly result at or above the target value.",
            LevelFocus.QUALITY,
            ("credit.manager", "northwind.exec"),
            "2026-12-31",
            (
                (RISK, "74 %; far from 78 %.", "Knowledge base out of date."),
                (
                    ON,
                    "Target reset to 76 % until the knowledge base is rebuilt.",
                    "Rebuild under way.",
                ),
                (ON, "75 % and rising.", "Rebuild half done."),
            ),
            level="CC-FCR",
            target_value="78",
            revise={"target_value": decimal.Decimal("76")},
        ),
        DemoObjective(
            "Cut repeat escalations to the branches by a third",
            "Escalations to branches down from 300 to 200 a month.",
            LevelFocus.CUSTOMER,
            ("credit.manager", "northwind.exec"),
            "2026-12-31",
            (
                (ON, "Baseline: 300 a month.", "Escalation reasons coded."),
                (RISK, "Still 280.", "Agents lack access to loan status."),
                (OFF, "290 in Q3.", "Needs the credit union's loan-system access."),
            ),
        ),
        DemoObjective(
            "Co-design a member-feedback loop with the branches",
            "A monthly review of member verbatims with branch managers, starting Q4.",
            LevelFocus.OTHER,
            ("credit.exec", "northwind.exec"),
            "2026-12-31",
            ((NOT, "", ""), (NOT, "", ""), (NOT, "Planned for Q4.", "Agreed for Q4.")),
        ),
    ),
)

CREDIT_HARBOUR_2026 = DemoPlan(
    relationship="credit-harbour",
    year=2026,
    title="Relationship launch 2026",
    session="2025-11-20",
    buyer_drivers="Lower the cost of evening and weekend coverage; the board's cost "
    "programme; keep members' satisfaction where it is.",
    provider_drivers="Win volume from the credit union; fill evening shifts; margin on a "
    "new account.",
    changes="The credit union moved evenings and weekends from its own team to Harbour in "
    "November 2025.",
    executives=("credit.exec", "harbour.exec"),
    writers=("credit.manager", "harbour.lead"),
    is_launch=True,
    objectives=(
        DemoObjective(
            "Bring average handle time down to 400 seconds",
            "CC-AHT's monthly result at or below 400 seconds.",
            LevelFocus.EFFICIENCY,
            ("credit.manager", "harbour.lead"),
            "2026-09-30",
            (
                (ON, "430 seconds.", "Call wrap-up shortened."),
                (ON, "380 seconds.", "New desktop helped."),
                (DONE, "Under 400 since May.", "Achieved."),
            ),
            level="CC-AHT",
            target_value="400",
        ),
        DemoObjective(
            "Reduce the cost per contact by 8 %",
            "Cost per contact from $6.40 to $5.90 by December.",
            LevelFocus.EFFICIENCY,
            ("credit.manager", "harbour.lead"),
            "2026-12-31",
            (
                (ON, "Baseline agreed.", "Staffing model reworked."),
                (RISK, "$6.20 only.", "Attrition raised training costs."),
                (RISK, "$6.15.", "Attrition still high."),
            ),
        ),
        DemoObjective(
            "Raise agent occupancy to 85 %",
            "Monthly occupancy at 85 % or more.",
            LevelFocus.EFFICIENCY,
            ("credit.manager", "harbour.lead"),
            "2026-12-31",
            (
                (ON, "80 %.", "Shift patterns tuned."),
                (ON, "83 %.", "Forecasting improved."),
                (ON, "84 %.", "On track."),
            ),
        ),
        DemoObjective(
            "Consolidate evening and weekend shifts into one site",
            "All evening and weekend agents in the Halifax site.",
            LevelFocus.EFFICIENCY,
            ("credit.manager", "harbour.lead"),
            "2026-09-30",
            (
                (ON, "Plan agreed.", "Lease signed."),
                (RISK, "Move delayed a month.", "Fit-out late."),
                (
                    OFF,
                    "Only half moved; people leaving over the move.",
                    "Agents refused the commute; we need to revisit.",
                ),
            ),
        ),
        DemoObjective(
            "Answer 80 % of voice calls within 20 seconds",
            "CC-SL1's monthly result at or above 80 %.",
            LevelFocus.TIMELINESS,
            ("credit.manager", "harbour.lead"),
            "2026-12-31",
            (
                (RISK, "Missed the minimum in April.", "Evening staffing short."),
                (ON, "Back above 80 %.", "Recovered."),
                (RISK, "August's miss was the fourth in a year.", "Attrition again."),
            ),
            level="CC-SL1",
            target_value="80",
        ),
        DemoObjective(
            "Deflect 10 % of calls to IVR self-service",
            "One call in ten answered by the IVR without an agent.",
            LevelFocus.EFFICIENCY,
            ("credit.manager", "harbour.lead"),
            "2026-12-31",
            ((NOT, "", ""), (NOT, "", ""), (NOT, "Waiting for the IVR vendor.", "Not started.")),
        ),
    ),
)

PLANS = (MINISTRY_2025, MINISTRY_2026, CREDIT_NORTHWIND_2026, CREDIT_HARBOUR_2026)


def _relationship(key: str) -> Relationship:
    name = next(row[3] for row in RELATIONSHIPS if row[0] == key)
    return Relationship.objects.get(name=name)


def _person(username: str) -> User:
    return User.objects.get(username=username)


class _Loader:
    def __init__(self) -> None:
        self.created = 0

    def plan(self, spec: DemoPlan) -> PlanningCycle:
        relationship = _relationship(spec.relationship)
        buyer_writer = _person(spec.writers[0])
        fields: dict[str, Any] = {
            "title": spec.title,
            "is_launch": spec.is_launch,
            "session_date": dt.date.fromisoformat(spec.session),
            "buyer_drivers": spec.buyer_drivers,
            "provider_drivers": spec.provider_drivers,
            "changes_past_year": spec.changes,
        }
        cycle = PlanningCycle.objects.filter(relationship=relationship, year=spec.year).first()
        if cycle is None:
            cycle = services.plan_create(
                relationship=relationship, year=spec.year, actor=buyer_writer, **fields
            )
            self.created += 1
        elif not signing.signed_sides(cycle):
            # Started by last year's review: fill in this year's session.
            cycle = services.plan_update(cycle=cycle, actor=buyer_writer, **fields)
        for objective in spec.objectives:
            self.objective(cycle, objective, buyer_writer)
        cycle.refresh_from_db()
        revisions = [o for o in spec.objectives if o.revise]
        if revisions and not PlanRevision.objects.filter(cycle=cycle).exists():
            self.sign(cycle, spec)
            for objective in revisions:
                found = Objective.objects.get(cycle=cycle, statement=objective.statement)
                services.objective_update(objective=found, actor=buyer_writer, **objective.revise)
            cycle.refresh_from_db()
        self.sign(cycle, spec)
        for objective in spec.objectives:
            self.progress(cycle, objective, spec)
        if spec.review and cycle.reviewed_at is None:
            decisions = {
                Objective.objects.get(cycle=cycle, statement=statement).pk: decision
                for statement, decision in spec.review.items()
            }
            services.year_end_review(
                cycle=cycle,
                decisions=decisions,
                notes={
                    pk: "Carried: the portal rollout waited on the ministry's SSO change."
                    if decision == services.CARRY
                    else "Closed: the cut-off policy moves into the 2026 collective agreement."
                    for pk, decision in decisions.items()
                },
                actor=_person(spec.executives[0]),
            )
        return cycle

    def objective(self, cycle: PlanningCycle, spec: DemoObjective, actor: User) -> None:
        if spec.carried or cycle.objectives.filter(statement=spec.statement).exists():
            return
        level = None
        if spec.level:
            level = ServiceLevel.objects.get(
                contract__relationship_id=cycle.relationship_id, code=spec.level
            )
        linked = (
            LinkedFigure.SERVICE_LEVEL
            if level
            else LinkedFigure.HEALTH_INDEX
            if spec.health_index
            else LinkedFigure.NONE
        )
        services.objective_add(
            cycle=cycle,
            actor=actor,
            statement=spec.statement,
            success_measure=spec.measure,
            focus=spec.focus,
            linked_figure=linked,
            service_level=level,
            target_value=decimal.Decimal(spec.target_value) if spec.target_value else None,
            buyer_owner=_person(spec.owners[0]),
            provider_owner=_person(spec.owners[1]),
            target_date=dt.date.fromisoformat(spec.target_date),
        )
        self.created += 1

    def sign(self, cycle: PlanningCycle, spec: DemoPlan) -> None:
        cycle.refresh_from_db()
        for side, username in zip(("buyer", "provider"), spec.executives, strict=True):
            if side not in signing.signed_sides(cycle):
                services.plan_sign(cycle=cycle, actor=_person(username))
                self.created += 1

    def progress(self, cycle: PlanningCycle, spec: DemoObjective, plan: DemoPlan) -> None:
        objective = Objective.objects.get(cycle=cycle, statement=spec.statement)
        checkpoints = list(Checkpoint.objects.filter(objective=objective).order_by("due_date"))
        buyer, provider = (_person(username) for username in plan.writers)
        for checkpoint, (status, buyer_text, provider_text) in zip(
            checkpoints, spec.progress, strict=False
        ):
            if checkpoint.status != status or checkpoint.buyer_commentary != buyer_text:
                services.checkpoint_update(
                    checkpoint=checkpoint, actor=buyer, status=status, commentary=buyer_text
                )
            if checkpoint.provider_commentary != provider_text:
                services.checkpoint_update(
                    checkpoint=checkpoint, actor=provider, commentary=provider_text
                )


def load_planning_demo() -> int:
    """Load the demo plans; return how many plans, objectives and signatures were created.

    The demo's notifications go to the inbox only: its people are not e-mailed.
    """
    loader = _Loader()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for spec in PLANS:
            loader.plan(spec)
    return loader.created
