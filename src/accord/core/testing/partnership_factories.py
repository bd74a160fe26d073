"""factory_boy factories for joint planning, governance, issues, change requests and
notifications (the partnership's ways of working, issue 6).

Rows are created directly (not through the services) so that tests and the
isolation world can build any state cheaply; service tests go through the
services instead.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accord.attention.models import DeliveryPreference, Notification, NotificationKind
from accord.contracts.models import ChangeKind, ChangeRequest, ScopeQuestion
from accord.core.choices import RoleName, Side, Visibility
from accord.core.testing.factories import RelationshipFactory, UserFactory
from accord.core.testing.performance_factories import ContractFactory
from accord.governance.models import (
    ActionItem,
    Attendance,
    Decision,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
    Tier,
)
from accord.issues.models import Category, EventKind, Issue, IssueEvent, IssueOption, Severity
from accord.planning.models import Checkpoint, Objective, PlanningCycle, PlanRevision


class _Joint(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    relationship = factory.SubFactory(RelationshipFactory)
    visibility = Visibility.JOINT


# --- planning ---------------------------------------------------------------
class PlanningCycleFactory(_Joint):
    class Meta:
        model = PlanningCycle

    year = 2026
    title = factory.LazyAttribute(lambda o: f"Joint plan {o.year}")
    session_date = datetime.date(2026, 1, 20)
    buyer_drivers = "Budget restraint; a new payroll regulation."
    provider_drivers = "Margin recovery; staff retention."
    changes_past_year = "A new union agreement."


class _CycleChild(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    cycle = factory.SubFactory(PlanningCycleFactory)
    relationship = factory.SelfAttribute("cycle.relationship")
    visibility = Visibility.JOINT


class ObjectiveFactory(_CycleChild):
    class Meta:
        model = Objective

    statement = factory.Sequence(lambda n: f"Joint objective {n}")
    success_measure = "Both sides agree it is done at the year-end review."
    buyer_owner = factory.SubFactory(UserFactory)
    provider_owner = factory.SubFactory(UserFactory)
    target_date = datetime.date(2026, 12, 31)


class CheckpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkpoint

    objective = factory.SubFactory(ObjectiveFactory)
    relationship = factory.SelfAttribute("objective.relationship")
    visibility = Visibility.JOINT
    label = "Q1 2026"
    due_date = datetime.date(2026, 3, 31)


class PlanRevisionFactory(_CycleChild):
    class Meta:
        model = PlanRevision

    from_version = 1
    to_version = 2
    changes = factory.LazyFunction(
        lambda: [{"what": "Plan", "field": "title", "before": "Old", "after": "New"}]
    )
    voided_sides = factory.LazyFunction(lambda: [Side.BUYER])


# --- governance ---------------------------------------------------------------
class ForumFactory(_Joint):
    class Meta:
        model = Forum

    name = factory.Sequence(lambda n: f"Forum {n}")
    tier = Tier.OPERATIONAL
    terms_of_reference = "Reviews the month's service and open issues."


class _ForumChild(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    forum = factory.SubFactory(ForumFactory)
    relationship = factory.SelfAttribute("forum.relationship")
    visibility = Visibility.JOINT


class ForumMemberFactory(_ForumChild):
    class Meta:
        model = ForumMember

    person = factory.SubFactory(UserFactory)


class MeetingFactory(_ForumChild):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    duration_minutes = 60
    agenda = "1. Service review\n2. Open issues"
    status = MeetingStatus.HELD


class _MeetingChild(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    meeting = factory.SubFactory(MeetingFactory)
    relationship = factory.SelfAttribute("meeting.relationship")
    visibility = Visibility.JOINT


class AttendanceFactory(_MeetingChild):
    class Meta:
        model = Attendance

    person = factory.SubFactory(UserFactory)
    side = Side.BUYER
    level = RoleName.MANAGER


class DecisionFactory(_MeetingChild):
    class Meta:
        model = Decision

    text = "Agreed to review the staffing model next month."


class ActionItemFactory(_MeetingChild):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


# --- issues ---------------------------------------------------------------------
class IssueFactory(_Joint):
    class Meta:
        model = Issue
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Issue {n}")
    description = "Month-end files arrive late."
    category = Category.SERVICE_DELIVERY
    severity = Severity.MEDIUM
    raised_by_side = Side.BUYER
    raised_at = factory.LazyFunction(timezone.now)


class _IssueChild(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    issue = factory.SubFactory(IssueFactory)
    relationship = factory.SelfAttribute("issue.relationship")
    visibility = factory.SelfAttribute("issue.visibility")


class IssueOptionFactory(_IssueChild):
    class Meta:
        model = IssueOption

    text = "Move the cut-off a day later."
    proposed_by_side = Side.PROVIDER


class IssueEventFactory(_IssueChild):
    class Meta:
        model = IssueEvent

    kind = EventKind.RAISED
    at = factory.LazyFunction(timezone.now)


# --- change requests and scope questions ---------------------------------------
class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest
        skip_postgeneration_save = True

    contract = factory.SubFactory(ContractFactory)
    relationship = factory.SelfAttribute("contract.relationship")
    visibility = Visibility.JOINT
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Change {n}")
    kind = ChangeKind.SCOPE
    rationale = "The buyer's new regulation needs a monthly report."
    new_scope_status = "in_scope"
    new_scope_title = "Monthly regulatory report"
    proposed_by_side = Side.BUYER


class ScopeQuestionFactory(_Joint):
    class Meta:
        model = ScopeQuestion

    question = "Is year-end T4 reissue in scope?"
    asked_by_side = Side.PROVIDER


# --- notifications ---------------------------------------------------------------
class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = NotificationKind.ACTION_ASSIGNED
    title = factory.Sequence(lambda n: f"Notification {n}")
    url = "/"


class DeliveryPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryPreference
        django_get_or_create = ("person",)

    person = factory.SubFactory(UserFactory)
