"""Relationship health: two-sided surveys, the eight warning signs and their inputs,
the buyer's introspection and the monthly health index.

Visibility, record by record:

* survey instruments belong to an organisation (or ship with Accord) and are
  seen by its people and by whoever holds a role where a round uses them;
* a survey round, its aggregated scores and its comments are joint;
* a survey response and its answers are private to the respondent's side
  (``visibility`` is always the respondent's side);
* workforce figures, meetings, improvement proposals, sign readings,
  thresholds and the health index are joint, except everything about the
  provider's finances (warning sign 8), which is the buyer's alone;
* the introspection and its actions are the buyer's alone, whatever is asked.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accord.core.choices import Action, Side, Visibility
from accord.core.models import (
    AuditedModel,
    ComputedRecord,
    RelationshipRecord,
    SidePrivateRecord,
)
from accord.core.visibility import NOTHING, is_active_person, relationship_q, scoped_q

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def score_field(**options: Any) -> Any:
    """A score or mean with two decimals (a 1-5 mean, a 0-100 index)."""
    return models.DecimalField(max_digits=7, decimal_places=2, **options)


# =========================================================================== surveys


class SurveyInstrument(AuditedModel):
    """A survey questionnaire: dimensions and their statements.

    ``owner`` None is the instrument that ships with Accord (read-only, made by
    a data migration). An organisation adapts it by copying it (``based_on``)
    and editing the copy; an instrument a round has used is frozen, so every
    round's results keep meaning what they meant.
    """

    owner = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="survey_instruments",
    )  # fmt: skip
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adaptations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="survey_instrument_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("survey_instrument_detail", kwargs={"pk": self.pk})

    @property
    def is_default(self) -> bool:
        return self.owner_id is None

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Everyone sees the default and their organisation's; a role on a relationship
        whose rounds use an instrument lets one see it. Organisation admins
        (the vendor management office) add and change their organisation's."""
        if not is_active_person(user):
            return NOTHING
        own = Q(owner_id=user.organisation_id)
        if action != Action.VIEW:
            return own if user.is_org_admin else NOTHING
        used = Q(rounds__in=SurveyRound.objects.filter(relationship_q(user, field="relationship")))
        return Q(owner__isnull=True) | own | used

    def audit_scope(self) -> dict[str, Any]:
        return {"relationship_id": None, "visibility": Visibility.JOINT,
                "organisation_id": self.owner_id}  # fmt: skip


class StatementAbout(models.TextChoices):
    """What a statement asks a respondent to rate."""

    RELATIONSHIP = "relationship", "The relationship (rated once)"
    PARTIES = "parties", "Each side (rated for your side and for the other side)"


class SurveyDimension(AuditedModel):
    """One dimension of an instrument (trust, openness of communication...)."""

    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["instrument", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="survey_dimension_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        return Q(instrument__in=SurveyInstrument.objects.restrict(user, action))

    def audit_scope(self) -> dict[str, Any]:
        return {"relationship_id": None, "visibility": Visibility.JOINT,
                "organisation_id": self.instrument.owner_id}  # fmt: skip


class SurveyStatement(AuditedModel):
    """A statement respondents rate from 1 (strongly disagree) to 5 (strongly agree).

    A statement ``about`` the parties is rated twice: for the respondent's
    own side ("self") and for the other side ("other"); that pair is what
    the perception gap compares.
    """

    dimension = models.ForeignKey(
        SurveyDimension, on_delete=models.CASCADE, related_name="statements"
    )
    text = models.TextField()
    about = models.CharField(max_length=20, choices=StatementAbout.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["dimension__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        return Q(dimension__instrument__in=SurveyInstrument.objects.restrict(user, action))

    def audit_scope(self) -> dict[str, Any]:
        return {"relationship_id": None, "visibility": Visibility.JOINT,
                "organisation_id": self.dimension.instrument.owner_id}  # fmt: skip


class Subject(models.TextChoices):
    """Whom a rating is about, from the respondent's point of view."""

    RELATIONSHIP = "relationship", "The relationship"
    SELF = "self", "Our side"
    OTHER = "other", "The other side"


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open for answers"
    CLOSED = "closed", "Closed, results published"


class SurveyRound(RelationshipRecord):
    """A survey of one relationship for one period, answered by people of both sides.

    Joint. While open, each side sees only how many have answered; closing
    it computes the aggregated scores and comments (``SurveyScore``,
    ``SurveyComment``), which both sides see.
    """

    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    min_respondents = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="A group's score is shown only when at least this many have answered.",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "title"], name="survey_round_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("survey_round_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class SurveyResponse(RelationshipRecord):
    """One person's answers to a round, private to their side.

    ``visibility`` is the respondent's side, always: colleagues see who said
    what; the other side sees only the aggregated results.
    """

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="survey_responses"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "-submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="survey_response_unique"),
            models.CheckConstraint(
                condition=Q(visibility=models.F("side")), name="survey_response_private_to_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} on {self.round}"

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Colleagues of the respondent's side see it; only the respondent (whatever
        their role: a viewer's view counts too) writes it; nobody deletes it."""
        if action == Action.VIEW:
            return scoped_q(user, Action.VIEW)
        if action == Action.DELETE or not is_active_person(user):
            return NOTHING
        return scoped_q(user, Action.VIEW) & Q(respondent_id=user.pk)

    def get_absolute_url(self) -> str:
        return reverse("survey_response_detail", kwargs={"pk": self.pk})


class SurveyAnswer(AuditedModel):
    """One rating (and optional comment) in a response; seen like its response."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(SurveyStatement, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=RATING_VALIDATORS, help_text="Empty: no opinion."
    )
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "statement__dimension__position", "statement__position", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement", "subject"], name="survey_answer_unique"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="survey_answer_rating_1_to_5",
            ),
        ]

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        return Q(response__in=SurveyResponse.objects.restrict(user, action))

    def audit_scope(self) -> dict[str, Any]:
        return self.response.audit_scope()


class SurveyScore(ComputedRecord):
    """The mean rating of one dimension, by one side, about one subject, in a closed round.

    Joint and computed when the round closes. ``mean`` is None (and
    ``suppressed`` true) when fewer than the round's minimum answered, so a
    small group's ratings can never be traced back to a person.
    """

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(SurveyDimension, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices, help_text="Who rated.")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    respondents = models.PositiveIntegerField()
    mean = score_field(null=True, blank=True)
    suppressed = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "dimension__position", "side", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "dimension", "side", "subject"], name="survey_score_unique"
            )
        ]


class SurveyComment(ComputedRecord):
    """A respondent's comment, published without a name when its group met the minimum."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="comments")
    dimension = models.ForeignKey(SurveyDimension, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices, help_text="Who wrote it.")
    subject = models.CharField(max_length=20, choices=Subject.choices)
    text = models.TextField()

    class Meta:
        ordering = ["round", "dimension__position", "side", "subject", "text"]


# =========================================================================== sign inputs


class WorkforceMonth(RelationshipRecord):
    """The provider's workforce on the account in one month (warning sign 2). Joint."""

    month = models.DateField(help_text="First day of the month.")
    headcount = models.PositiveIntegerField(help_text="People on the account at month end.")
    joiners = models.PositiveIntegerField(default=0)
    leavers = models.PositiveIntegerField(default=0, help_text="Left the provider.")
    moved_out = models.PositiveIntegerField(
        default=0, help_text="Moved to other accounts (staff rotation)."
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "month"], name="workforce_month_unique")
        ]

    def __str__(self) -> str:
        return f"Workforce {self.month:%Y-%m}"

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        """Both sides see the figures; the provider, who reports them, writes them."""
        if action == Action.VIEW or not is_active_person(user):
            return scoped_q(user, action)
        return scoped_q(user, action) & Q(relationship__provider_id=user.organisation_id)

    def get_absolute_url(self) -> str:
        return reverse("workforce_detail", kwargs={"pk": self.pk})


class MeetingTier(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    MANAGEMENT = "management", "Management"
    EXECUTIVE = "executive", "Executive / steering"


class MeetingLog(RelationshipRecord):
    """A governance meeting or executive contact, logged on the relationship. Joint.

    Feeds warning signs 5 (too many meetings) and 7 (missing executives)
    until governance forums record attendance themselves.
    """

    held_on = models.DateField()
    title = models.CharField(max_length=200)
    tier = models.CharField(max_length=20, choices=MeetingTier.choices)
    duration_minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    attendees = models.PositiveIntegerField(default=2, validators=[MinValueValidator(1)])
    buyer_executive_present = models.BooleanField(default=False)
    provider_executive_present = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"

    def get_absolute_url(self) -> str:
        return reverse("meeting_log_detail", kwargs={"pk": self.pk})

    @property
    def person_hours(self) -> float:
        return self.duration_minutes * self.attendees / 60


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    DECLINED = "declined", "Declined"


class ImprovementProposal(RelationshipRecord):
    """An improvement or growth initiative put forward by either side (warning sign 4). Joint."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    originated_by = models.CharField(max_length=10, choices=Side.choices)
    proposed_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    expected_benefit = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposal_detail", kwargs={"pk": self.pk})


class FinancialIndicator(SidePrivateRecord):
    """The provider's published financial figures for a period, as the buyer reads them.

    The buyer's alone (warning sign 8): the provider never sees that its
    finances are being watched, in any page, export, API or audit entry.
    """

    private_to = Visibility.BUYER

    period_end = models.DateField(help_text="Last day of the reported period.")
    revenue = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    operating_margin = models.DecimalField(
        "operating margin (%)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    credit_rating = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Annual report, filing...")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "period_end"], name="financial_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Financial figures to {self.period_end}"

    def get_absolute_url(self) -> str:
        return reverse("financial_indicator_detail", kwargs={"pk": self.pk})


# =========================================================================== warning signs


class SignCode(models.TextChoices):
    """The eight warning signs, in the articles' order."""

    CUSTOMER_SATISFACTION = "customer_satisfaction", "Decreasing end-customer satisfaction"
    ATTRITION = "attrition", "Increasing agent attrition or staff rotation"
    SAVINGS_ONLY = "savings_only", "Success measured only by savings"
    NO_GROWTH_INTENT = "no_growth_intent", "No proactive intent to grow"
    TOO_MANY_MEETINGS = "too_many_meetings", "Too many meetings"
    CONTRACT_PUSHBACK = "contract_pushback", "Push-back citing contractual constraints"
    MISSING_EXECUTIVES = "missing_executives", "Missing executives"
    FINANCIAL_EROSION = "financial_erosion", "Eroding financial performance"


# Signs that only the buyer may see (about the provider's finances).
BUYER_ONLY_SIGNS = frozenset({SignCode.FINANCIAL_EROSION})


def sign_visibility(sign: str) -> str:
    return Visibility.BUYER if sign in BUYER_ONLY_SIGNS else Visibility.JOINT


class SignState(models.TextChoices):
    NO_DATA = "no_data", "No data"
    CLEAR = "clear", "Clear"
    WATCH = "watch", "Watch"
    TRIGGERED = "triggered", "Triggered"


class SignThreshold(RelationshipRecord):
    """A relationship's tuning of one warning sign (defaults live in ``health.signs``).

    Joint, except the financial sign's, which is the buyer's.
    """

    sign = models.CharField(max_length=30, choices=SignCode.choices)
    enabled = models.BooleanField(default=True)
    watch_at = models.DecimalField(max_digits=9, decimal_places=2)
    trigger_at = models.DecimalField(max_digits=9, decimal_places=2)
    window_months = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )

    class Meta:
        ordering = ["relationship", "sign"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "sign"], name="sign_threshold_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_sign_display()} thresholds"

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        return scoped_q(user, action) & _sign_matches_visibility()


def _sign_matches_visibility() -> Q:
    """A sign's records carry the sign's visibility; anything else is never shown."""
    return Q(sign__in=BUYER_ONLY_SIGNS, visibility=Visibility.BUYER) | (
        ~Q(sign__in=BUYER_ONLY_SIGNS) & Q(visibility=Visibility.JOINT)
    )


class SignReading(ComputedRecord):
    """One warning sign's state in one month, with the figure and the evidence behind it.

    Computed (``health.signs``), never written by people. ``evidence`` is a
    list of ``{"label", "value", "url"}`` rows the page shows as they are.
    """

    sign = models.CharField(max_length=30, choices=SignCode.choices)
    month = models.DateField(help_text="First day of the month.")
    state = models.CharField(max_length=10, choices=SignState.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    summary = models.TextField()
    evidence = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["relationship", "sign", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "sign", "month"], name="sign_reading_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_sign_display()} {self.month:%Y-%m}: {self.get_state_display()}"

    def get_absolute_url(self) -> str:
        return reverse("sign_reading_detail", kwargs={"pk": self.pk})

    @classmethod
    def visibility_q(cls, user: Any, action: str) -> Q:
        return super().visibility_q(user, action) & _sign_matches_visibility()


# =========================================================================== health index


class HealthIndex(ComputedRecord):
    """The relationship's health in one month, 0-100, from joint inputs only.

    Joint: both sides see the same number. ``components`` lists each input
    with its weight, score and contribution, and a sentence explaining it;
    buyer-only inputs (the provider's finances) never enter it.
    """

    month = models.DateField(help_text="First day of the month.")
    score = score_field(null=True, blank=True)
    components = models.JSONField(default=list)
    triggered_signs = models.JSONField(default=list, help_text="Codes of joint signs triggered.")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["relationship", "month"]
        constraints = [
            models.UniqueConstraint(fields=["relationship", "month"], name="health_index_unique")
        ]

    def __str__(self) -> str:
        return f"Health {self.month:%Y-%m}: {self.score}"

    def get_absolute_url(self) -> str:
        return reverse("health_index_detail", kwargs={"pk": self.pk})


# =========================================================================== introspection


class Introspection(SidePrivateRecord):
    """The buyer's private self-assessment, step one of the reset plan.

    Five questions the articles ask of the buyer, each scored 1 (not at all)
    to 5 (fully) with a note. Never visible to the provider anywhere.
    """

    private_to = Visibility.BUYER

    QUESTIONS: ClassVar[list[tuple[str, str]]] = [
        ("vision", "Are our vision and brand expectations clearly stated to the provider?"),
        ("innovation", "Do we reward innovation and excellence, not only low cost?"),
        ("commercial", "Is the commercial contract win-win rather than lowest-bidder?"),
        ("culture", "Do we work on cultural alignment between the two organisations?"),
        ("stakeholders", "Are our internal stakeholders committed to the partnership?"),
    ]

    title = models.CharField(max_length=200)
    assessed_on = models.DateField()
    vision_score = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    vision_note = models.TextField(blank=True)
    innovation_score = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    innovation_note = models.TextField(blank=True)
    commercial_score = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    commercial_note = models.TextField(blank=True)
    culture_score = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    culture_note = models.TextField(blank=True)
    stakeholders_score = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    stakeholders_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("introspection_detail", kwargs={"pk": self.pk})

    def answers(self) -> list[tuple[str, str, int, str]]:
        """(key, question, score, note) for the five questions, in order."""
        return [
            (key, question, getattr(self, f"{key}_score"), getattr(self, f"{key}_note"))
            for key, question in self.QUESTIONS
        ]

    @property
    def score(self) -> float:
        """The mean of the five scores, 1-5."""
        scores = [score for _key, _q, score, _n in self.answers()]
        return round(sum(scores) / len(scores), 2)


class IntrospectionAction(SidePrivateRecord):
    """An action the buyer takes on itself after an introspection. The buyer's alone."""

    private_to = Visibility.BUYER

    introspection = models.ForeignKey(
        Introspection, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["introspection", "done", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("introspection_detail", kwargs={"pk": self.introspection_id})
