"""What each persona may reach, written out by hand.

These tables are the visibility rule stated as data, independently of the
code that enforces it: a change in ``accord.core.visibility`` that lets one
more record through makes the isolation tests fail here.
"""

from __future__ import annotations

from accord.core.choices import Action
from accord.core.testing.world import ANONYMOUS, PERSONAS, RESPONDENTS

NONE: frozenset[str] = frozenset()
A_SIDE = frozenset({"R1.joint", "R1.buyer"})
P_ON_R1 = frozenset({"R1.joint", "R1.provider"})
P_ON_R2 = frozenset({"R2.joint", "R2.provider"})
B_SIDE = frozenset({"R2.joint", "R2.buyer"})

# Relationship-scoped records (notes and every later record with a visibility).
SCOPED: dict[str, dict[str, frozenset[str]]] = {
    Action.VIEW: {
        "a_exec": A_SIDE, "a_manager": A_SIDE, "a_contributor": A_SIDE, "a_viewer": A_SIDE,
        "a_admin": NONE,
        "p_exec": P_ON_R1 | P_ON_R2, "p_manager": P_ON_R1, "p_viewer": P_ON_R1,
        "p_r2_manager": P_ON_R2, "p_admin": NONE,
        "b_manager": B_SIDE, ANONYMOUS: NONE,
    },
    Action.ADD: {
        "a_exec": A_SIDE, "a_manager": A_SIDE, "a_contributor": A_SIDE, "a_viewer": NONE,
        "a_admin": NONE,
        "p_exec": P_ON_R1 | P_ON_R2, "p_manager": P_ON_R1, "p_viewer": NONE,
        "p_r2_manager": P_ON_R2, "p_admin": NONE,
        "b_manager": B_SIDE, ANONYMOUS: NONE,
    },
    Action.CHANGE: {
        "a_exec": A_SIDE, "a_manager": A_SIDE, "a_contributor": A_SIDE, "a_viewer": NONE,
        "a_admin": NONE,
        "p_exec": P_ON_R1 | P_ON_R2, "p_manager": P_ON_R1, "p_viewer": NONE,
        "p_r2_manager": P_ON_R2, "p_admin": NONE,
        "b_manager": B_SIDE, ANONYMOUS: NONE,
    },
    Action.DELETE: {
        "a_exec": A_SIDE, "a_manager": A_SIDE, "a_contributor": NONE, "a_viewer": NONE,
        "a_admin": NONE,
        "p_exec": P_ON_R1 | P_ON_R2, "p_manager": P_ON_R1, "p_viewer": NONE,
        "p_r2_manager": P_ON_R2, "p_admin": NONE,
        "b_manager": B_SIDE, ANONYMOUS: NONE,
    },
}  # fmt: skip

R1, R2, BOTH = frozenset({"R1"}), frozenset({"R2"}), frozenset({"R1", "R2"})
RELATIONSHIP_VIEW: dict[str, frozenset[str]] = {
    "a_exec": R1, "a_manager": R1, "a_contributor": R1, "a_viewer": R1, "a_admin": R1,
    "p_exec": BOTH, "p_manager": R1, "p_viewer": R1, "p_r2_manager": R2, "p_admin": BOTH,
    "b_manager": R2, ANONYMOUS: NONE,
}  # fmt: skip

ORG_ADMINS = {"a_admin": "A", "p_admin": "P"}


def _held(persona: str) -> set[str]:
    return set(PERSONAS[persona][1]) if persona in PERSONAS else set()


def _org(persona: str) -> str | None:
    return PERSONAS[persona][0] if persona in PERSONAS else None


def role_labels() -> list[str]:
    return [f"{rel}.{persona}" for persona, (_o, held, _a) in PERSONAS.items() for rel in held]


def roles_expected(persona: str, action: str) -> frozenset[str]:
    """Roles: everyone on a relationship sees its roles; only your org admin changes yours."""
    result = set()
    for label in role_labels():
        rel, holder = label.split(".")
        own_admin = persona in ORG_ADMINS and _org(holder) == _org(persona)
        if action == Action.VIEW and (rel in _held(persona) or own_admin):
            result.add(label)
        elif action != Action.VIEW and own_admin:
            result.add(label)
    return frozenset(result)


def people_expected(persona: str, action: str) -> frozenset[str]:
    """People: colleagues, and whoever holds a role where you hold one; admins change colleagues."""
    if persona == ANONYMOUS:
        return NONE
    result = set()
    for other in PERSONAS:
        colleague = _org(other) == _org(persona)
        shares = bool(_held(other) & _held(persona))
        if action == Action.VIEW and (colleague or shares):
            result.add(other)
        elif action != Action.VIEW and colleague and persona in ORG_ADMINS:
            result.add(other)
    return frozenset(result)


def tokens_expected(persona: str, action: str) -> frozenset[str]:
    """Tokens: their owner's alone."""
    return frozenset({persona}) if persona in ("a_manager", "p_manager") else NONE


JOINT = frozenset({"R1.joint", "R2.joint"})
BUYER_ONLY = frozenset({"R1.buyer", "R2.buyer"})
PROVIDER_ONLY = frozenset({"R1.provider", "R2.provider"})
# Record kinds that are always joint: both sides work from the same contract and numbers.
JOINT_KINDS = frozenset(
    {
        "contract", "scope", "schedule_version", "service_level", "data_source", "data_import",
        "run", "result", "credit_month", "credit_line", "excusal", "signature",
    }
)  # fmt: skip
# Records the engine computes: seen like joint records, never written by people.
COMPUTED_KINDS = frozenset({"run", "result", "credit_month", "credit_line", "signature"})

# Health: rounds, meetings, proposals and published results are joint; the
# survey scores, comments, sign readings and the index are computed.
JOINT_KINDS |= {"survey_round", "meeting", "proposal", "survey_score", "survey_comment",
                "health_index"}  # fmt: skip
COMPUTED_KINDS |= {"survey_score", "survey_comment", "sign_reading", "health_index"}
# Joint planning, governance and change requests: joint; plan revisions are computed.
JOINT_KINDS |= {"plan", "objective", "checkpoint", "plan_revision", "forum", "forum_member",
                "forum_meeting", "attendance", "decision", "action", "change_request",
                "scope_question"}  # fmt: skip
COMPUTED_KINDS |= {"plan_revision", "issue_event"}
# Issues may be kept to the raiser's side: they, their options and history follow notes.
ISSUE_KINDS = frozenset({"issue", "issue_option", "issue_event"})
# The buyer's alone, whatever is asked.
BUYER_PRIVATE_KINDS = frozenset({"forecast", "financial", "introspection", "introspection_action"})
SIDED = BUYER_ONLY | PROVIDER_ONLY
INSTRUMENT_KINDS = frozenset({"survey_instrument", "survey_dimension", "survey_statement"})


def instruments_expected(persona: str, action: str) -> frozenset[str]:
    """Instruments (labelled by owner): the default for everyone signed in, an
    organisation's own for its people, and Beta's (used by R2's round) for whoever
    holds a role on R2. Only an organisation's admin adds or changes its own."""
    if persona == ANONYMOUS:
        return NONE
    org = _org(persona)
    if action != Action.VIEW:
        return frozenset({org}) if persona in ORG_ADMINS and org else NONE
    seen = {"default", org}
    if "R2" in _held(persona):
        seen.add("B")
    return frozenset(label for label in seen if label)


def responses_expected(persona: str, action: str) -> frozenset[str]:
    """Survey responses and answers: the respondent's side sees them; only the
    respondent (of any role) writes them; nobody deletes them."""
    if action == Action.VIEW:
        return SCOPED[Action.VIEW][persona] & SIDED
    if action == Action.DELETE:
        return NONE
    return frozenset(label for label, who in RESPONDENTS.items() if who == persona)


def workforce_expected(persona: str, action: str) -> frozenset[str]:
    """Workforce figures: both sides see them; the provider, who reports them, writes them."""
    joint = SCOPED[action][persona] & JOINT
    if action == Action.VIEW or _org(persona) == "P":
        return joint
    return NONE


def own_expected(persona: str, action: str) -> frozenset[str]:
    """Notifications and delivery preferences (labelled by persona): one's own alone."""
    from accord.core.testing.world import NOTIFIED

    return frozenset({persona}) if persona in NOTIFIED else NONE


def expected(kind: str, action: str, persona: str) -> frozenset[str]:
    """Labels of ``kind`` that ``persona`` may ``action``."""
    if kind in ("notification", "delivery_preference"):
        return own_expected(persona, action)
    if kind == "note" or (kind in ISSUE_KINDS and kind not in COMPUTED_KINDS):
        return SCOPED[action][persona]
    if kind in COMPUTED_KINDS and action != Action.VIEW:
        return NONE
    if kind in JOINT_KINDS:
        return SCOPED[action][persona] & JOINT
    if kind in ISSUE_KINDS:  # computed issue history, at the issue's visibility
        return SCOPED[action][persona]
    if kind in BUYER_PRIVATE_KINDS:  # credit forecast, finances, introspection
        return SCOPED[action][persona] & BUYER_ONLY
    if kind in INSTRUMENT_KINDS:
        return instruments_expected(persona, action)
    if kind in ("survey_response", "survey_answer"):
        return responses_expected(persona, action)
    if kind == "workforce":
        return workforce_expected(persona, action)
    if kind in ("sign_threshold", "sign_reading"):  # joint signs, and the buyer's finances sign
        return SCOPED[action][persona] & (JOINT | BUYER_ONLY)
    if kind == "cost_note":  # the provider's private cost-of-quality notes
        return SCOPED[action][persona] & PROVIDER_ONLY
    if kind == "audit":  # the audit entries of notes follow the notes
        return SCOPED[Action.VIEW][persona] if action == Action.VIEW else NONE
    if kind == "relationship":
        if action == Action.VIEW:
            return RELATIONSHIP_VIEW[persona]
        # Adding a record to a relationship: any visibility you may add there.
        return frozenset(label.split(".")[0] for label in SCOPED[action][persona])
    if kind == "role":
        return roles_expected(persona, action)
    if kind == "person":
        return people_expected(persona, action)
    if kind == "token":
        return tokens_expected(persona, action)
    raise KeyError(f"No expectations for record kind {kind!r}")
