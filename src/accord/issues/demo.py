"""Demo data: issues at every stage, one escalated by the clock, one resolved with a
shared-interest solution, one kept to the buyer's side.

Every issue is written through the services, step by step at the moment it
happened (the demo's months are 2025-11 to 2026-11, told as of 2026-11-23:
see :mod:`accord.core.demo_time`), and the escalation clock runs before each
step exactly as the ticker would have, so its automatic escalations sit in the
history where they fell due. The stories of November that are still open are
*recent*: they keep their distance from the day the demo is loaded, so their
clocks read the same on any later day.

* ministry-northwind: the 2026 retro pay (escalated by the clock to the
  contract management committee, then resolved there with a shared-interest
  solution and a chosen option), the late bank file of 29 May (resolved),
  the HR priority 1 backlog (both positions written), the off-cycle requests
  raised long enough ago to have been escalated by the clock (still open at
  the committee), and the Ministry's private look at its own late inputs.
* credit-northwind: the overflow threshold (resolved, option chosen), the
  member e-mail costing (options generated), a withdrawn data issue, and a
  freshly raised one.
* credit-harbour: the Aug-Oct disputes of the health story (weekend cover,
  callbacks, weekly transcripts, holiday surge), each where Harbour cited the
  contract's letter (warning sign 6), two of them climbed to the executive
  steering committee and overdue; and Harbour's private attrition issue.

Forums are the governance demo's, looked up by their agreed names; a
relationship without them gets no issues (and with none anywhere, nothing is
created). Idempotent: an issue is found by relationship and title; each one
is created with its whole history in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accord.contracts.models import ScopeItem
from accord.core.choices import Visibility
from accord.core.demo_time import recent_moment
from accord.engine.tz import get_zone
from accord.governance.models import Forum, Tier
from accord.issues import clock, services
from accord.issues.models import Category, Issue, IssueOption, Severity
from accord.parties.demo import RELATIONSHIPS
from accord.parties.models import Relationship, User

FORUM_NAMES = {
    Tier.OPERATIONAL: "Operational service review",
    Tier.MANAGEMENT: "Contract management committee",
    Tier.EXECUTIVE: "Executive steering committee",
}
ZONE = get_zone("America/Vancouver")


def at(text: str) -> dt.datetime:
    """A local moment in Vancouver, e.g. ``2026-05-20 09:30``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE)


def when_of(text: str) -> dt.datetime | dt.timedelta:
    """A local moment, or ``+N``: N days after the issue was raised."""
    if text.startswith("+"):
        return dt.timedelta(days=int(text[1:]))
    return at(text)


@dataclass(frozen=True)
class Step:
    """One step of an issue's story: ``what`` is update, option, resolve, escalate or withdraw.

    ``resolve`` takes ``text`` as the solution and ``option`` as the index of
    the option chosen (or None). ``when`` is a moment, or a time after the raising.
    """

    what: str
    who: str
    when: dt.datetime | dt.timedelta
    text: str = ""
    option: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    relationship: str
    title: str
    who: str
    raised: dt.datetime | None  # None: computed so that the clock escalated it once by today
    description: str
    category: str
    severity: str
    services: tuple[str, ...] = ()
    visibility: str = Visibility.JOINT
    letter: bool = False
    steps: tuple[Step, ...] = ()
    # Told relative to today (see the module's notes): its moments keep their distance from it.
    recent: bool = False


def update(who: str, when: str, **changes: Any) -> Step:
    return Step("update", who, when_of(when), changes=changes)


def option(who: str, when: str, text: str) -> Step:
    return Step("option", who, when_of(when), text=text)


STORIES: tuple[Story, ...] = (
    # ------------------------------------------------------------ ministry-northwind
    Story(
        "ministry-northwind",
        "Retro pay for the 2026 collective agreement: off-cycle run or project?",
        "northwind.lead", at("2026-05-20 09:30"),
        "The new collective agreement was ratified on 12 May with increases back-dated to "
        "1 April 2025: about 30,000 recalculations across fourteen months. Schedule A §2.1(d) "
        "does not say whether a bulk retroactive calculation is an off-cycle run or a project.",
        Category.SCOPE, Severity.HIGH,
        services=("Retroactive pay for the 2026 collective agreement",),
        steps=(
            update("northwind.lead", "2026-05-21 14:00",
                   provider_position="Price it as a project: it is three weeks of work for the "
                   "whole payroll team.",
                   provider_interests="Our team of six cannot absorb the recalculation without "
                   "putting the regular biweekly runs at risk, and a late regular run costs us "
                   "a PAY-TIME credit. We need the regular runs protected and the extra hours "
                   "paid for."),
            update("ministry.manager", "2026-05-22 10:15",
                   buyer_position="Run it as a standard off-cycle run within the base fee.",
                   buyer_interests="Employees were promised the money before the summer; "
                   "Treasury Board gave us no budget line for a project, and the union is "
                   "watching the date."),
            update("ministry.manager", "2026-05-27 16:00",
                   shared_interests="Employees paid correctly before the end of July; regular "
                   "pay runs untouched; no surprise cost for either side."),
            option("northwind.lead", "2026-05-28 11:00",
                   "Northwind runs the retro in three tranches in the weeks between regular "
                   "runs; the Ministry pays the overtime at cost, capped at $60,000."),
            option("ministry.manager", "2026-05-28 15:30",
                   "The Ministry lends two of its payroll analysts for June; Northwind runs the "
                   "retro as an off-cycle run in the base fee."),
            option("northwind.lead", "2026-05-29 09:00",
                   "Defer the retro to September, after the summer leave peak, at no cost."),
            Step("resolve", "ministry.manager", at("2026-05-29 16:00"),
                 "Three tranches in June and July between the regular runs, overtime at cost "
                 "capped at $60,000, funded from the contract's contingency line; Northwind "
                 "reports each tranche's accuracy to the operational review. Both sides get "
                 "what they need: employees paid by July, regular runs protected, the cost "
                 "known in advance.", option=0),
        ),
    ),
    Story(
        "ministry-northwind",
        "Bank deposit file late for the 29 May regular run",
        "ministry.manager", at("2026-05-29 11:40"),
        "The deposit file for the 29 May run reached the bank at 11:25, after the 10:00 "
        "deadline; 2,100 employees were paid a day late.",
        Category.SERVICE_DELIVERY, Severity.CRITICAL,
        services=("Payroll processing for 30,000 employees",),
        steps=(
            update("ministry.manager", "2026-05-29 13:00",
                   buyer_position="Northwind pays the employees' overdraft fees and the miss "
                   "counts against PAY-TIME.",
                   buyer_interests="Employees' trust in their pay, and the Minister's office "
                   "asking what happened."),
            update("northwind.lead", "2026-05-29 15:30",
                   provider_position="The retro increases arrived two business days late; "
                   "the miss should be excused.",
                   provider_interests="We validated the late inputs rather than send a file "
                   "we could not stand behind: we need the cut-offs respected."),
            Step("resolve", "ministry.manager", at("2026-05-30 10:00"),
                 "Northwind reimburses overdraft fees on request (the Ministry communicates "
                 "it); the Ministry's pay changes follow the cut-off calendar, and a late "
                 "change goes to the next run unless both managers agree otherwise. The "
                 "excusal for May is decided on its own merits."),
        ),
    ),
    Story(
        "ministry-northwind",
        "HR priority 1 backlog after the August staffing gap",
        "ministry.manager", at("2026-11-20 10:00"),
        "Priority 1 HR tickets resolved within four hours fell to 82 % in November's first "
        "three weeks; nine tickets waited over a day.",
        Category.SERVICE_DELIVERY, Severity.HIGH, recent=True,
        services=("Employee pay and HR inquiries",),
        steps=(
            update("ministry.manager", "2026-11-20 15:00",
                   buyer_position="Restore priority 1 to four hours now, with a named "
                   "escalation contact.",
                   buyer_interests="Priority 1 is employees not paid or locked out: each one "
                   "reaches a deputy minister's inbox."),
            update("northwind.lead", "2026-11-21 09:30",
                   provider_position="Give us until mid-December to train the two new "
                   "analysts.",
                   provider_interests="Two senior analysts left in August; overtime is not "
                   "sustainable, and new hires need three weeks on the pay rules."),
        ),
    ),
    Story(
        "ministry-northwind",
        "Off-cycle payment requests arriving after the cut-off",
        "northwind.lead", None,
        "Off-cycle payment requests keep arriving on the morning of the run, from branches "
        "that do not use the request form.",
        Category.DATA, Severity.MEDIUM,
        services=("Payroll processing for 30,000 employees",),
        steps=(
            update("northwind.lead", "+1",
                   provider_position="Requests after 16:00 the day before go to the next run.",
                   provider_interests="Same-day requests skip our two-person check, which is "
                   "how the overpayments of March happened."),
        ),
    ),
    Story(
        "ministry-northwind",
        "Are we giving Northwind late inputs?",
        "ministry.manager", at("2026-11-16 11:00"),
        "Before the management committee: how often were our own pay changes late this year, "
        "and by whom?",
        Category.RELATIONSHIP, Severity.MEDIUM, recent=True,
        visibility=Visibility.BUYER,
        steps=(
            update("ministry.manager", "2026-11-16 16:00",
                   buyer_position="Bring our own late-input figures to the committee first.",
                   buyer_interests="Three of this year's PAY-TIME misses started with our "
                   "late files; we want credibility when we ask Northwind for more."),
        ),
    ),
    # ------------------------------------------------------------ credit-northwind
    Story(
        "credit-northwind",
        "Weekday overflow threshold: 120 calls in queue is too late",
        "credit.manager", at("2026-02-10 09:00"),
        "By the time 120 calls are queued, members have waited eight minutes; abandonment "
        "doubled in January.",
        Category.SERVICE_DELIVERY, Severity.MEDIUM,
        services=("Weekday voice overflow",),
        steps=(
            update("credit.manager", "2026-02-10 14:00",
                   buyer_position="Overflow at 60 calls in queue.",
                   buyer_interests="Members abandoning calls is our churn signal; the board "
                   "watches it."),
            update("northwind.exec", "2026-02-11 10:00",
                   provider_position="Keep 120 unless the volume forecast changes.",
                   provider_interests="Staffing is planned on the forecast we were given; a "
                   "lower threshold without notice means idle or overloaded agents."),
            update("credit.manager", "2026-02-12 09:00",
                   shared_interests="Members answered within three minutes, and staffing "
                   "Northwind can plan for."),
            option("northwind.exec", "2026-02-12 15:00",
                   "Threshold 80 with a weekly volume forecast from the credit union."),
            option("credit.manager", "2026-02-13 10:00", "Threshold 60 from March."),
            Step("resolve", "credit.manager", at("2026-02-18 11:00"),
                 "Overflow at 80 calls from 1 March; the credit union sends a weekly forecast "
                 "every Thursday; both sides review abandonment at the operational review.",
                 option=0),
        ),
    ),
    Story(
        "credit-northwind",
        "Member e-mail: costing the move to Northwind",
        "northwind.exec", at("2026-11-09 10:00"),
        "Member e-mail is answered in-house (Sch. A §1.3, reserved). The credit union asked "
        "what moving it would cost.",
        Category.SCOPE, Severity.LOW, recent=True,
        services=("Member e-mail",),
        steps=(
            update("northwind.exec", "2026-11-10 09:00",
                   provider_position="Take e-mail on with six weeks' notice and a per-contact "
                   "price.",
                   provider_interests="Predictable volumes to hire for."),
            update("credit.manager", "2026-11-12 14:00",
                   buyer_position="Only if the cost per contact is below our in-house cost.",
                   buyer_interests="Our e-mail team moves to lending in the spring."),
            option("northwind.exec", "2026-11-16 10:00",
                   "A three-month pilot on general enquiries at a per-contact price."),
            option("credit.manager", "2026-11-17 11:00",
                   "Move all e-mail in April with a fixed monthly fee for the first year."),
        ),
    ),
    Story(
        "credit-northwind",
        "Chat transcripts missing from the weekly export",
        "credit.manager", at("2026-07-06 09:15"),
        "The weekly export had no chat transcripts for 29 June to 5 July.",
        Category.DATA, Severity.MEDIUM,
        steps=(
            Step("withdraw", "credit.manager", at("2026-07-08 10:00"),
                 "Our own export job was misconfigured after the upgrade; nothing for "
                 "Northwind to do."),
        ),
    ),
    Story(
        "credit-northwind",
        "Priority 3 escalations ageing in the back office",
        "credit.manager", at("2026-11-21 10:30"),
        "Fourteen priority 3 member escalations are older than ten business days.",
        Category.SERVICE_DELIVERY, Severity.LOW, recent=True,
        services=("Member escalations back office",),
    ),
    # ------------------------------------------------------------ credit-harbour
    Story(
        "credit-harbour",
        "Sunday cover for members' calls",
        "credit.manager", at("2026-08-10 09:00"),
        "Members call on Sundays and get a closed message; the board asked for seven-day "
        "cover before the holiday season.",
        Category.SCOPE, Severity.HIGH, letter=True,
        services=("Evening and Saturday voice and chat",),
        steps=(
            update("harbour.lead", "2026-08-12 10:00",
                   provider_position="Weekend cover beyond Saturday is outside the contract: "
                   "Schedule A covers evenings and Saturdays. It is a change request.",
                   provider_interests="Our evening agents already work Saturdays; Sunday "
                   "shifts mean new hires we have no price for.",
                   contract_letter_cited=True),
            update("credit.manager", "2026-08-13 09:30",
                   buyer_position="Cover Sundays from September within the fee.",
                   buyer_interests="Members compare us with the banks, which answer on "
                   "Sundays; we lose young members over it."),
            Step("escalate", "credit.exec", at("2026-08-20 09:00"),
                 "No movement at the committee: it needs both executives."),
            update("credit.exec", "2026-08-24 10:00",
                   shared_interests="Members answered seven days a week before the holiday "
                   "season; a price Harbour can staff for; a volume check before committing "
                   "for the year."),
            option("harbour.exec", "2026-08-26 11:00",
                   "A change request: Sunday cover from October at cost for three months, "
                   "then priced on the volumes seen."),
            option("credit.exec", "2026-08-27 09:00",
                   "Sunday cover within the fee in exchange for a longer term."),
            Step("resolve", "credit.exec", at("2026-08-28 16:00"),
                 "Sunday cover from 4 October under a change request at cost for three "
                 "months; both sides review the volumes at the January QBR and agree a price.",
                 option=0),
        ),
    ),
    Story(
        "credit-harbour",
        "Callbacks for members who abandon in the queue",
        "credit.manager", at("2026-09-01 09:00"),
        "Members who hang up after three minutes in the queue get no callback; complaints "
        "about it tripled in August.",
        Category.SERVICE_DELIVERY, Severity.MEDIUM, letter=True,
        services=("Evening and Saturday voice and chat",),
        steps=(
            update("harbour.lead", "2026-09-03 15:00",
                   provider_position="Callbacks are not in the statement of work: section 2.4 "
                   "lists inbound calls and chat only. They need a change order.",
                   provider_interests="Outbound calls need a dialler licence and agents we "
                   "have not budgeted.",
                   contract_letter_cited=True),
            update("credit.manager", "2026-09-04 10:00",
                   buyer_position="A callback is part of answering the member's call.",
                   buyer_interests="Abandoned members call the branch the next morning, and "
                   "the branches are full."),
            option("credit.manager", "2026-09-18 11:00",
                   "Harbour calls back abandoned members within two hours, in the base fee."),
            option("harbour.lead", "2026-09-19 14:00",
                   "A priced callback service, billed per completed callback."),
        ),
    ),
    Story(
        "credit-harbour",
        "Weekly chat transcripts for quality review",
        "credit.manager", at("2026-09-22 10:00"),
        "Our quality team needs chat transcripts weekly to coach on the new product "
        "scripts.",
        Category.DATA, Severity.LOW, letter=True,
        steps=(
            update("harbour.lead", "2026-09-24 11:00",
                   provider_position="Transcripts are due monthly, not weekly: the reporting "
                   "clause says monthly.",
                   provider_interests="Each export is a manual redaction of card numbers.",
                   contract_letter_cited=True),
            update("credit.manager", "2026-09-25 09:00",
                   buyer_position="Weekly until the new scripts settle.",
                   buyer_interests="Coaching a month late does not change behaviour."),
            Step("resolve", "credit.manager", at("2026-10-06 15:00"),
                 "A weekly sample of fifty chats, redacted automatically by Harbour's new "
                 "tool, until the end of the year; full transcripts stay monthly."),
        ),
    ),
    Story(
        "credit-harbour",
        "Holiday surge staffing for November and December",
        "credit.manager", at("2026-10-19 09:00"),
        "The holiday campaign will lift evening volumes about 30 %; Harbour's plan shows no "
        "extra agents.",
        Category.PEOPLE, Severity.HIGH, letter=True,
        services=("Evening and Saturday voice and chat",),
        steps=(
            update("harbour.lead", "2026-10-20 16:00",
                   provider_position="Staffing above the Schedule B volume band is billable: "
                   "holiday surge staffing is a change request.",
                   provider_interests="We are already short after this autumn's leavers; "
                   "agency agents cost a premium we cannot absorb.",
                   contract_letter_cited=True),
            update("credit.manager", "2026-10-21 10:00",
                   buyer_position="The surge is within the annual volume band; staff for it.",
                   buyer_interests="A holiday campaign with members on hold is worse than no "
                   "campaign."),
        ),
    ),
    Story(
        "credit-harbour",
        "Evening shift attrition: keeping the account staffed",
        "harbour.lead", at("2026-11-20 09:00"),
        "Nine leavers in six weeks on the evening shift; exit interviews cite the Sunday "
        "rota and pay.",
        Category.PEOPLE, Severity.HIGH, visibility=Visibility.PROVIDER, recent=True,
        steps=(
            update("harbour.lead", "2026-11-20 15:00",
                   provider_position="Ask the credit union to price the Sunday rota properly "
                   "before we lose more agents.",
                   provider_interests="Our margin on the account is thin and attrition costs "
                   "us two months of training per leaver."),
        ),
    ),
)  # fmt: skip


@contextmanager
def quiet_email() -> Iterator[None]:
    """The demo's notifications stay in the inbox; nothing is e-mailed while loading."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def _ladder_complete(relationship: Relationship) -> bool:
    names = set(
        Forum.objects.filter(relationship=relationship, visibility=Visibility.JOINT).values_list(
            "name", flat=True
        )
    )
    return set(FORUM_NAMES.values()) <= names


def _clock_escalated_start(relationship: Relationship, severity: str) -> dt.datetime:
    """A raising moment that the clock has escalated exactly once by now: past the bottom
    forum's time, and halfway through the next one's."""
    forums = {f.name: f for f in Forum.objects.filter(relationship=relationship)}
    bottom = clock.resolve_days(forums[FORUM_NAMES[Tier.OPERATIONAL]], severity)
    middle = clock.resolve_days(forums[FORUM_NAMES[Tier.MANAGEMENT]], severity)
    return timezone.now() - dt.timedelta(days=bottom + max(1, middle // 2))


def _moment(story: Story, moment: dt.datetime) -> dt.datetime:
    """A moment of the story as told today (recent stories keep their distance from it)."""
    return recent_moment(moment) if story.recent else moment


def _tell(story: Story, relationship: Relationship, people: dict[str, User]) -> None:
    """Create one story's issue and history through the services, the clock running between."""
    if story.raised is None:
        raised = _clock_escalated_start(relationship, story.severity)
    else:
        raised = _moment(story, story.raised)
    scope = ScopeItem.objects.filter(relationship=relationship, title__in=story.services)
    clock.escalate_due(raised)
    issue = services.issue_raise(
        relationship=relationship,
        title=story.title,
        description=story.description,
        category=story.category,
        severity=story.severity,
        visibility=story.visibility,
        services_affected=list(scope),
        contract_letter_cited=story.letter,
        actor=people[story.who],
        at=raised,
    )
    for step in story.steps:
        if isinstance(step.when, dt.datetime):
            when = _moment(story, step.when)
        else:
            when = raised + step.when
        clock.escalate_due(when)
        issue.refresh_from_db()
        actor = people[step.who]
        if step.what == "update":
            services.issue_update(issue=issue, actor=actor, at=when, **step.changes)
        elif step.what == "option":
            services.option_add(issue=issue, text=step.text, actor=actor, at=when)
        elif step.what == "resolve":
            chosen = None
            if step.option is not None:
                chosen = list(IssueOption.objects.filter(issue=issue).order_by("pk"))[step.option]
            services.issue_resolve(
                issue=issue, agreed_solution=step.text, chosen_option=chosen, actor=actor, at=when
            )
        elif step.what == "escalate":
            if clock.next_forum(issue) is None:
                continue  # the clock took it to the top already (a forum's own timings)
            services.issue_escalate(issue=issue, reason=step.text, actor=actor, at=when)
        elif step.what == "withdraw":
            services.issue_withdraw(issue=issue, reason=step.text, actor=actor, at=when)
        else:  # pragma: no cover - a typo in the stories above
            raise ValueError(step.what)


def load_issues_demo() -> int:
    """Load the demo records; return how many were created (issues, options and events)."""
    relationships = {
        key: Relationship.objects.filter(name=name).first()
        for key, _b, _p, name, *_rest in RELATIONSHIPS
    }
    ready = {
        key: rel for key, rel in relationships.items() if rel is not None and _ladder_complete(rel)
    }
    if not ready:
        return 0
    people = {user.username: user for user in User.objects.filter(username__contains=".")}
    created = 0
    with quiet_email():
        for story in STORIES:
            relationship = ready.get(story.relationship)
            if relationship is None:
                continue
            if Issue.objects.filter(relationship=relationship, title=story.title).exists():
                continue
            with transaction.atomic():
                _tell(story, relationship, people)
                issue = Issue.objects.get(relationship=relationship, title=story.title)
                created += 1 + issue.options.count() + issue.events.count()
        # The clock catches everything up to now, as the ticker would on the first tick.
        clock.escalate_due()
    return created
