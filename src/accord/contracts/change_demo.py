"""Demo data: an approved and a pending change request per relationship, and scope questions.

Everything goes through the services, as the demo people: the approved
change requests are proposed by one side and signed by the other, so their
change is applied to the scope register with history; the pending ones are
signed by the proposing side only. No demo change touches the service levels
(that would recompute a year of scorecards); the pending price change of
credit-northwind is not applied until the buyer signs it.

Idempotent: change requests are looked up by contract and title, questions
by relationship and text.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from typing import Any

from accord.contracts.changes import change_propose, change_sign
from accord.contracts.models import ChangeRequest, Contract, ScopeItem, ScopeQuestion
from accord.contracts.scope_questions import question_ask, question_resolve
from accord.core.context import acting_as
from accord.parties.demo import RELATIONSHIPS
from accord.parties.models import Relationship, User

D = decimal.Decimal


@dataclass(frozen=True)
class DemoChange:
    """A change request: who proposes it, who (if anyone) signs it for the other side."""

    proposer: str
    title: str
    fields: dict[str, Any]
    approver: str = ""  # empty: pending, signed by the proposing side only
    # Scope items (by title) it touches; ``scope_item`` in ``fields`` is a title too.
    touches: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoQuestion:
    asker: str
    question: str
    answerer: str = ""  # empty: still open
    resolution: str = ""
    answer: str = ""
    rests_on: str = ""  # a scope item's title
    change: str = ""  # a change request's title (out of scope)


@dataclass(frozen=True)
class DemoChanges:
    changes: tuple[DemoChange, ...]
    questions: tuple[DemoQuestion, ...] = field(default=())


DEMO: dict[str, DemoChanges] = {
    "ministry-northwind": DemoChanges(
        changes=(
            DemoChange(
                proposer="ministry.manager",
                approver="northwind.lead",
                title="Year-end T4 reissue service",
                fields={
                    "kind": "scope",
                    "rationale": (
                        "The 2026 collective agreement's retroactive increases change the "
                        "2025 earnings of some 12,000 employees after their T4 slips were "
                        "issued. The Canada Revenue Agency expects amended slips, and "
                        "employees ask for them: the Ministry needs a reissue service every "
                        "year, not a favour."
                    ),
                    "impact_cost": D("38500.00"),
                    "impact_service_levels": (
                        "No schedule level measures reissues; the management forum reviews "
                        "the first season's turnaround before any level is proposed."
                    ),
                    "impact_people": (
                        "Two Northwind payroll analysts for four weeks each February; the "
                        "Ministry's pay office answers employees' questions on the slips."
                    ),
                    "new_scope_status": "in_scope",
                    "new_scope_title": "Year-end T4 reissue",
                    "new_scope_description": (
                        "Amended T4 slips issued within 30 days of a correction to the year's "
                        "earnings, with the XML filing to the Canada Revenue Agency."
                    ),
                },
                touches=("Payroll processing for 30,000 employees",),
            ),
            DemoChange(
                proposer="northwind.lead",
                title="Retroactive pay as a priced project",
                fields={
                    "kind": "scope",
                    "rationale": (
                        "The bulk retroactive pay of the 2026 collective agreement recalculates "
                        "fourteen months for 30,000 employees: it is not the standard off-cycle "
                        "run of Schedule A §2.1(d), which covers up to 200 employees."
                    ),
                    "impact_cost": D("126000.00"),
                    "impact_service_levels": (
                        "PAY-TIME: the retro run is scheduled outside the regular calendar, so "
                        "it does not count against the bank deadlines."
                    ),
                    "impact_people": "A project team of five for ten weeks.",
                    "scope_item": "Retroactive pay for the 2026 collective agreement",
                    "new_scope_status": "in_scope",
                    "new_scope_description": (
                        "The bulk retroactive pay of the 2026 collective agreement, delivered "
                        "as a priced project (fixed fee CAD 126,000) with its own schedule."
                    ),
                },
                touches=("Payroll processing for 30,000 employees",),
            ),
        ),
        questions=(
            DemoQuestion(
                asker="northwind.lead",
                question=(
                    "Are amended T4 slips for corrections made after year-end part of "
                    "payroll processing?"
                ),
                answerer="ministry.manager",
                resolution="in_scope",
                answer="Yes, since CR-1 was approved: the register's “Year-end T4 reissue”.",
                rests_on="Year-end T4 reissue",
            ),
            DemoQuestion(
                asker="ministry.manager",
                question=(
                    "Is the bulk retro-pay calculation for the 2026 collective agreement a "
                    "standard off-cycle run?"
                ),
                answerer="northwind.lead",
                resolution="out_of_scope",
                answer=(
                    "No: Sch. A §2.1(d) covers off-cycle runs of up to 200 employees; the "
                    "retro pay recalculates fourteen months for 30,000. Proposed as CR-2."
                ),
                rests_on="Retroactive pay for the 2026 collective agreement",
                change="Retroactive pay as a priced project",
            ),
            DemoQuestion(
                asker="ministry.manager",
                question="Does the service desk answer pension-plan questions from retirees?",
            ),
        ),
    ),
    "credit-northwind": DemoChanges(
        changes=(
            DemoChange(
                proposer="credit.manager",
                approver="northwind.exec",
                title="Member e-mail moves to Northwind",
                fields={
                    "kind": "scope",
                    "rationale": (
                        "Members' e-mails doubled after the mobile app launch; the in-house "
                        "team answers them in three days. Northwind's weekday overflow agents "
                        "already work in the same knowledge base."
                    ),
                    "impact_cost": D("96000.00"),
                    "impact_service_levels": (
                        "Reported for six months; then a key measurement for e-mails "
                        "answered within one business day."
                    ),
                    "impact_people": (
                        "Four Northwind agents trained on e-mail; two credit union staff "
                        "move to member escalations."
                    ),
                    "scope_item": "Member e-mail",
                    "new_scope_status": "in_scope",
                    "new_scope_description": (
                        "Members' e-mails answered within one business day, 08:00 to 20:00 "
                        "Monday to Friday; lending questions pass to the credit union."
                    ),
                },
            ),
            DemoChange(
                proposer="northwind.exec",
                title="Overflow fee indexation for 2027",
                fields={
                    "kind": "price",
                    "rationale": (
                        "Agents' wages rose 4.2 % under the province's new minimum wage "
                        "schedule; the contract's fee has not moved since 2025."
                    ),
                    "impact_cost": D("64800.00"),
                    "impact_people": "Funds the wage increase for the 38 overflow agents.",
                    "new_monthly_fee": D("185400.00"),
                    "new_fee_from": "2027-01",
                },
            ),
        ),
        questions=(
            DemoQuestion(
                asker="northwind.exec",
                question="Are chat conversations escalated to the back office covered?",
                answerer="credit.manager",
                resolution="in_scope",
                answer="Yes: Sch. A §1.5 covers escalations from every channel, chat included.",
                rests_on="Member escalations back office",
            ),
            DemoQuestion(
                asker="credit.manager",
                question="Do weekday overflow calls include the mortgage renewal line?",
            ),
        ),
    ),
    "credit-harbour": DemoChanges(
        changes=(
            DemoChange(
                proposer="credit.manager",
                approver="harbour.lead",
                title="Weekend chat cover",
                fields={
                    "kind": "scope",
                    "rationale": (
                        "Members now chat more on weekends than on weekday evenings. Harbour "
                        "said in August that weekend cover is outside Schedule A: this change "
                        "brings it in, at a price both sides agreed."
                    ),
                    "impact_cost": D("212000.00"),
                    "impact_service_levels": (
                        "CC-CHAT counts weekend chats from the first full month after approval."
                    ),
                    "impact_people": (
                        "Six chat agents hired for weekend days; two weeks of knowledge "
                        "transfer from the credit union's own team."
                    ),
                    "new_scope_status": "in_scope",
                    "new_scope_title": "Weekend daytime chat",
                    "new_scope_description": (
                        "Members' chats on Saturdays and Sundays, 09:00 to 17:00 Pacific."
                    ),
                },
                touches=("Evening and Saturday voice and chat",),
            ),
            DemoChange(
                proposer="harbour.lead",
                title="Scheduled callbacks for members",
                fields={
                    "kind": "scope",
                    "rationale": (
                        "Members in the evening queue ask to be called back instead of "
                        "waiting; Section 2.4 lists inbound calls and chat only."
                    ),
                    "impact_cost": D("58000.00"),
                    "impact_service_levels": "Fewer abandoned calls on CC-SL1 in the evening.",
                    "impact_people": "Two agents per evening shift for callbacks.",
                    "new_scope_status": "in_scope",
                    "new_scope_title": "Scheduled callbacks",
                    "new_scope_description": (
                        "Callbacks booked by members in the evening queue, made within the "
                        "slot they chose."
                    ),
                },
                touches=("Evening and Saturday voice and chat",),
            ),
        ),
        questions=(
            DemoQuestion(
                asker="harbour.lead",
                question="Is Sunday daytime chat part of the service now?",
                answerer="credit.manager",
                resolution="in_scope",
                answer="Yes: CR-1, approved, added weekend daytime chat to the register.",
                rests_on="Weekend daytime chat",
            ),
            DemoQuestion(
                asker="credit.manager",
                question="Are scheduled callbacks to members part of the inbound service?",
                answerer="harbour.lead",
                resolution="out_of_scope",
                answer=(
                    "No: Section 2.4 lists inbound calls and chat only. Harbour proposed "
                    "callbacks as CR-2."
                ),
                change="Scheduled callbacks for members",
            ),
            DemoQuestion(
                asker="harbour.lead",
                question=(
                    "Is staffing for the holiday surge above the Schedule B volume band billable?"
                ),
            ),
        ),
    ),
}


def _item(relationship: Relationship, title: str) -> ScopeItem:
    return ScopeItem.objects.get(relationship=relationship, title=title)


def _change(contract: Contract, spec: DemoChange, people: dict[str, User]) -> int:
    if ChangeRequest.objects.filter(contract=contract, title=spec.title).exists():
        return 0
    relationship = contract.relationship
    fields = dict(spec.fields)
    if "scope_item" in fields:
        fields["scope_item"] = _item(relationship, fields["scope_item"])
    fields["scope_items"] = [_item(relationship, title) for title in spec.touches]
    change = change_propose(
        contract=contract, actor=people[spec.proposer], title=spec.title, **fields
    )
    if spec.approver:
        change_sign(change=change, actor=people[spec.approver])
    return 1


def _question(relationship: Relationship, spec: DemoQuestion, people: dict[str, User]) -> int:
    if ScopeQuestion.objects.filter(relationship=relationship, question=spec.question).exists():
        return 0
    question = question_ask(
        relationship=relationship, question=spec.question, actor=people[spec.asker]
    )
    if spec.answerer:
        question_resolve(
            question=question,
            resolution=spec.resolution,
            answer=spec.answer,
            scope_item=_item(relationship, spec.rests_on) if spec.rests_on else None,
            change_request=(
                ChangeRequest.objects.get(relationship=relationship, title=spec.change)
                if spec.change
                else None
            ),
            actor=people[spec.answerer],
        )
    return 1


def load_changes_demo() -> int:
    """Load the demo records; return how many were created."""
    people = {user.username: user for user in User.objects.filter(username__contains=".")}
    created = 0
    with acting_as(None, request_id="demo-loader"):
        for key, _buyer, _provider, name, *_rest in RELATIONSHIPS:
            spec = DEMO.get(key)
            relationship = Relationship.objects.filter(name=name).first()
            if spec is None or relationship is None:
                continue
            contract = Contract.objects.filter(relationship=relationship).first()
            if contract is None:
                continue
            for change in spec.changes:
                created += _change(contract, change, people)
            for question in spec.questions:
                created += _question(relationship, question, people)
    return created
