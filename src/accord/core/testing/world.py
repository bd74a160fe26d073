"""The isolation test world: two buyers, one provider serving both, and personas.

::

    Alpha Buyer (A) --R1-- Prime Provider (P) --R2-- Beta Buyer (B)

Personas hold the roles below. Every relationship-scoped record kind is
created once per relationship and visibility and labelled ``R1.joint``,
``R1.buyer``, ``R2.provider``... so that expectations can be written as sets
of labels, by hand, in :mod:`accord.core.testing.expectations`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accord.core.choices import RoleName, Visibility
from accord.core.models import AuditEntry
from accord.core.testing.factories import (
    NoteFactory,
    OrganisationFactory,
    RelationshipFactory,
    RoleFactory,
    UserFactory,
)
from accord.parties.models import ApiToken, User
from accord.parties.services import token_create

ORGS = {
    "A": ("Alpha Buyer", "buyer"),
    "B": ("Beta Buyer", "buyer"),
    "P": ("Prime Provider", "provider"),
}
RELATIONSHIPS = {"R1": ("A", "P"), "R2": ("B", "P")}

# persona -> (organisation, {relationship: role}, organisation admin)
PERSONAS: dict[str, tuple[str, dict[str, str], bool]] = {
    "a_exec": ("A", {"R1": RoleName.EXECUTIVE}, False),
    "a_manager": ("A", {"R1": RoleName.MANAGER}, False),
    "a_contributor": ("A", {"R1": RoleName.CONTRIBUTOR}, False),
    "a_viewer": ("A", {"R1": RoleName.VIEWER}, False),
    "a_admin": ("A", {}, True),
    "p_exec": ("P", {"R1": RoleName.EXECUTIVE, "R2": RoleName.EXECUTIVE}, False),
    "p_manager": ("P", {"R1": RoleName.MANAGER}, False),
    "p_viewer": ("P", {"R1": RoleName.VIEWER}, False),
    "p_r2_manager": ("P", {"R2": RoleName.MANAGER}, False),
    "p_admin": ("P", {}, True),
    "b_manager": ("B", {"R2": RoleName.MANAGER}, False),
}
ANONYMOUS = "anonymous"
ALL_PERSONAS = [*PERSONAS, ANONYMOUS]
SCOPED_LABELS = [f"{rel}.{vis}" for rel in RELATIONSHIPS for vis in Visibility.values]


@dataclass
class World:
    """Everything the isolation tests need, by label."""

    orgs: dict[str, Any] = field(default_factory=dict)
    relationships: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    # record kind -> label -> record
    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    def record(self, kind: str, label: str) -> Any:
        return self.records[kind][label]

    def label_of(self, kind: str, pk: Any) -> str | None:
        for label, obj in self.records[kind].items():
            if str(obj.pk) == str(pk):
                return label
        return None

    def person(self, persona: str) -> User | None:
        return self.people.get(persona)


def build_world() -> World:
    """Create the organisations, relationships, personas and one record of each kind."""
    world = World()
    for key, (name, kind) in ORGS.items():
        world.orgs[key] = OrganisationFactory(name=name, kind=kind)
    for key, (buyer, provider) in RELATIONSHIPS.items():
        world.relationships[key] = RelationshipFactory(
            name=f"{key} {ORGS[buyer][0]} / {ORGS[provider][0]}",
            buyer=world.orgs[buyer],
            provider=world.orgs[provider],
        )
    roles = {}
    for persona, (org, held, is_admin) in PERSONAS.items():
        person = UserFactory(username=persona, organisation=world.orgs[org], is_org_admin=is_admin)
        world.people[persona] = person
        for rel, role in held.items():
            roles[f"{rel}.{persona}"] = RoleFactory(
                relationship=world.relationships[rel], person=person, role=role
            )
    world.records["relationship"] = dict(world.relationships)
    world.records["role"] = roles
    world.records["person"] = dict(world.people)
    world.records["note"] = {
        label: NoteFactory(
            relationship=world.relationships[label.split(".")[0]],
            visibility=label.split(".")[1],
            title=f"Note {label}",
        )
        for label in SCOPED_LABELS
    }
    world.records["audit"] = {
        label: AuditEntry.objects.get(
            action="create", object_type="notes.note", object_id=str(note.pk)
        )
        for label, note in world.records["note"].items()
    }
    tokens: dict[str, ApiToken] = {}
    for persona in ("a_manager", "p_manager"):
        tokens[persona], _key = token_create(
            user=world.people[persona], name=f"{persona} token", actor=None
        )
    world.records["token"] = tokens
    add_performance_records(world)
    add_health_records(world)
    add_partnership_records(world)
    return world


JOINT_LABELS = [f"{rel}.joint" for rel in RELATIONSHIPS]
BUYER_LABELS = [f"{rel}.buyer" for rel in RELATIONSHIPS]
PROVIDER_LABELS = [f"{rel}.provider" for rel in RELATIONSHIPS]


def add_performance_records(world: World) -> None:
    """One contract per relationship with a record of every performance kind.

    Joint kinds are labelled ``R1.joint``/``R2.joint``; the buyer's credit
    forecast ``R1.buyer``/``R2.buyer``; the provider's cost notes
    ``R1.provider``/``R2.provider``.
    """
    from accord.core.testing import performance_factories as pf

    kinds: dict[str, dict[str, Any]] = {
        kind: {}
        for kind in (
            "contract", "scope", "schedule_version", "service_level", "data_source",
            "data_import", "run", "result", "credit_month", "credit_line", "excusal",
            "signature", "forecast", "cost_note",
        )
    }  # fmt: skip
    for label in JOINT_LABELS:
        rel_key = label.split(".")[0]
        relationship = world.relationships[rel_key]
        contract = pf.ContractFactory(relationship=relationship, reference=f"{rel_key}-C")
        version = pf.ScheduleVersionFactory(contract=contract, number=1)
        level = pf.ServiceLevelFactory(contract=contract, code="P1")
        source = pf.DataSourceFactory(contract=contract, name="tickets")
        run = pf.ScorecardRunFactory(contract=contract, schedule_version=version)
        month = pf.CreditMonthFactory(run=run)
        excusal = pf.ExcusalFactory(contract=contract, service_level=level)
        provider_signer = world.people["p_exec"]
        kinds["contract"][label] = contract
        kinds["scope"][label] = pf.ScopeItemFactory(relationship=relationship)
        kinds["schedule_version"][label] = version
        kinds["service_level"][label] = level
        kinds["data_source"][label] = source
        kinds["data_import"][label] = pf.DataImportFactory(source=source)
        kinds["run"][label] = run
        kinds["result"][label] = pf.PeriodResultFactory(run=run, service_level=level)
        kinds["credit_month"][label] = month
        kinds["credit_line"][label] = pf.CreditLineFactory(credit_month=month, service_level=level)
        kinds["excusal"][label] = excusal
        kinds["signature"][label] = pf.SignatureFactory(target=excusal, signer=provider_signer)
        kinds["forecast"][f"{rel_key}.buyer"] = pf.CreditForecastFactory(contract=contract)
        kinds["cost_note"][f"{rel_key}.provider"] = pf.CostOfQualityNoteFactory(
            contract=contract, service_level=level
        )
    world.records.update(kinds)


# Which persona answers the world's survey round for each side of each relationship.
RESPONDENTS = {
    "R1.buyer": "a_manager", "R1.provider": "p_manager",
    "R2.buyer": "b_manager", "R2.provider": "p_r2_manager",
}  # fmt: skip


def add_health_records(world: World) -> None:
    """Survey instruments, rounds, responses and results, sign inputs and readings,
    the health index, and the buyer's introspection and financial figures.

    Instruments are labelled by owner (``default``, ``A``, ``B``, ``P``); R2's
    open round uses Beta's own instrument, so Prime's people on R2 see it.
    Responses and answers carry the respondent's side (``R1.buyer``: by
    ``a_manager``...). Sign thresholds and readings: ``R*.joint`` for a joint
    sign (attrition), ``R*.buyer`` for the provider's finances.
    """
    from accord.core.testing import health_factories as hf
    from accord.health.models import SignCode, Subject

    instruments: dict[str, Any] = {"default": hf.default_instrument()}
    for org in ("A", "B", "P"):
        instruments[org] = hf.SurveyInstrumentFactory(
            owner=world.orgs[org], name=f"{ORGS[org][0]} survey"
        )
    dimensions: dict[str, Any] = {}
    statements: dict[str, Any] = {}
    for label, instrument in instruments.items():
        if label == "default":
            dimensions[label] = instrument.dimensions.order_by("position").first()
            statements[label] = dimensions[label].statements.order_by("position").first()
        else:
            dimensions[label] = hf.SurveyDimensionFactory(instrument=instrument)
            statements[label] = hf.SurveyStatementFactory(dimension=dimensions[label])
    world.records["survey_instrument"] = instruments
    world.records["survey_dimension"] = dimensions
    world.records["survey_statement"] = statements

    kinds: dict[str, dict[str, Any]] = {
        kind: {}
        for kind in (
            "survey_round", "survey_response", "survey_answer", "survey_score",
            "survey_comment", "workforce", "meeting", "proposal", "financial",
            "sign_threshold", "sign_reading", "health_index", "introspection",
            "introspection_action",
        )
    }  # fmt: skip
    for rel_key, relationship in world.relationships.items():
        joint, buyer = f"{rel_key}.joint", f"{rel_key}.buyer"
        instrument = instruments["default"] if rel_key == "R1" else instruments["B"]
        survey = hf.SurveyRoundFactory(
            relationship=relationship, instrument=instrument, title=f"{rel_key} survey"
        )
        kinds["survey_round"][joint] = survey
        for side in ("buyer", "provider"):
            label = f"{rel_key}.{side}"
            response = hf.SurveyResponseFactory(
                round=survey, respondent=world.people[RESPONDENTS[label]], side=side
            )
            kinds["survey_response"][label] = response
            kinds["survey_answer"][label] = hf.SurveyAnswerFactory(
                response=response, subject=Subject.SELF
            )
        kinds["survey_score"][joint] = hf.SurveyScoreFactory(relationship=relationship)
        kinds["survey_comment"][joint] = hf.SurveyCommentFactory(relationship=relationship)
        kinds["workforce"][joint] = hf.WorkforceMonthFactory(relationship=relationship)
        kinds["meeting"][joint] = hf.MeetingLogFactory(relationship=relationship)
        kinds["proposal"][joint] = hf.ImprovementProposalFactory(relationship=relationship)
        kinds["financial"][buyer] = hf.FinancialIndicatorFactory(relationship=relationship)
        for label, sign in ((joint, SignCode.ATTRITION), (buyer, SignCode.FINANCIAL_EROSION)):
            kinds["sign_threshold"][label] = hf.SignThresholdFactory(
                relationship=relationship, sign=sign
            )
            kinds["sign_reading"][label] = hf.SignReadingFactory(
                relationship=relationship, sign=sign
            )
        kinds["health_index"][joint] = hf.HealthIndexFactory(relationship=relationship)
        introspection = hf.IntrospectionFactory(relationship=relationship)
        kinds["introspection"][buyer] = introspection
        kinds["introspection_action"][buyer] = hf.IntrospectionActionFactory(
            introspection=introspection
        )
    world.records.update(kinds)


# Who receives the world's notifications and keeps a delivery preference
# (labelled by persona), and on which relationship.
NOTIFIED = {"a_manager": "R1", "p_manager": "R1", "b_manager": "R2", "p_exec": "R2"}
# The signatory and owners the world's planning and change records use.
OWNERS = {"R1": ("a_manager", "p_manager"), "R2": ("b_manager", "p_r2_manager")}


def add_partnership_records(world: World) -> None:
    """Plans, forums, meetings, issues, change requests and notifications.

    Everything is joint (``R*.joint``) except issues, their options and
    events, which exist at every visibility (an issue may be kept to the
    raiser's side). Notifications and delivery preferences are labelled by
    persona (see :data:`NOTIFIED`).
    """
    from accord.core.testing import partnership_factories as xf

    kinds: dict[str, dict[str, Any]] = {
        kind: {}
        for kind in (
            "plan", "objective", "checkpoint", "plan_revision", "forum", "forum_member",
            "forum_meeting", "attendance", "decision", "action", "issue", "issue_option",
            "issue_event", "change_request", "scope_question", "notification",
            "delivery_preference",
        )
    }  # fmt: skip
    for rel_key, relationship in world.relationships.items():
        joint = f"{rel_key}.joint"
        buyer_owner, provider_owner = (world.people[p] for p in OWNERS[rel_key])
        plan = xf.PlanningCycleFactory(relationship=relationship, title=f"{rel_key} plan")
        objective = xf.ObjectiveFactory(
            cycle=plan, buyer_owner=buyer_owner, provider_owner=provider_owner
        )
        kinds["plan"][joint] = plan
        kinds["objective"][joint] = objective
        kinds["checkpoint"][joint] = xf.CheckpointFactory(objective=objective)
        kinds["plan_revision"][joint] = xf.PlanRevisionFactory(cycle=plan)
        forum = xf.ForumFactory(relationship=relationship, name=f"{rel_key} service review")
        meeting = xf.MeetingFactory(forum=forum, title=f"{rel_key} monthly review")
        kinds["forum"][joint] = forum
        kinds["forum_member"][joint] = xf.ForumMemberFactory(forum=forum, person=buyer_owner)
        kinds["forum_meeting"][joint] = meeting
        kinds["attendance"][joint] = xf.AttendanceFactory(meeting=meeting, person=buyer_owner)
        kinds["decision"][joint] = xf.DecisionFactory(meeting=meeting)
        kinds["action"][joint] = xf.ActionItemFactory(meeting=meeting, owner=provider_owner)
        for visibility in Visibility.values:
            label = f"{rel_key}.{visibility}"
            issue = xf.IssueFactory(
                relationship=relationship,
                visibility=visibility,
                title=f"Issue {label}",
                raised_by_side="provider" if visibility == "provider" else "buyer",
                forum=forum,
            )
            kinds["issue"][label] = issue
            kinds["issue_option"][label] = xf.IssueOptionFactory(issue=issue)
            kinds["issue_event"][label] = xf.IssueEventFactory(issue=issue)
        contract = world.record("contract", joint)
        kinds["change_request"][joint] = xf.ChangeRequestFactory(
            contract=contract, title=f"{rel_key} change"
        )
        kinds["scope_question"][joint] = xf.ScopeQuestionFactory(relationship=relationship)
    for persona, rel_key in NOTIFIED.items():
        kinds["notification"][persona] = xf.NotificationFactory(
            recipient=world.people[persona],
            relationship=world.relationships[rel_key],
            title=f"For {persona}",
        )
        kinds["delivery_preference"][persona] = xf.DeliveryPreferenceFactory(
            person=world.people[persona]
        )
    world.records.update(kinds)
