"""Service credits: what missing a critical service level costs the provider, month by month.

The usual methodology of an outsourcing contract (see the design brief):

* the monthly **at-risk amount** is the at-risk % of that month's fee;
* each critical service level has an **allocation** % of the at-risk amount
  (or, when the contract splits it by **category**, a % within its category:
  category % × level % / 100); the allocations together may not exceed the
  **pool** %;
* a level triggers a **credit** in a month when it misses its minimum, or
  misses its expected level for the Nth time in a rolling window (e.g. the
  4th miss in 12 months; a minimum miss is a miss of expected too);
* credit = allocation % × at-risk amount; a month's credits are **capped** at
  the at-risk amount (each credit then reduced in proportion);
* a miss the buyer caused is **excused** (co-signed by both sides): it
  triggers nothing and does not count towards the rolling rule;
* **earnback**: a non-chronic credit is returned when the level meets its
  expected level in each of the following N months; a credit is chronic when
  the level was also credited in the window - 1 months before it.

Money is :class:`decimal.Decimal`, computed exactly and rounded to the cent
once per reported amount, at the end, with the contract's rounding rule.
Every amount comes with its arithmetic in words, because both parties of the
contract read the report.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from accord.engine._spec import at, kind, parse_decimal, unknown_keys
from accord.engine.errors import Problem
from accord.engine.periods import Month, parse_month
from accord.engine.results import MISSES, Status

if TYPE_CHECKING:
    # schedule.py imports this module, so the import is for type checking only.
    from accord.engine.schedule import ServiceLevel

__all__ = [
    "ROUNDINGS",
    "Allocation",
    "CreditLine",
    "CreditReport",
    "CreditTerms",
    "EarnbackLine",
    "EarnbackRule",
    "ExcusedMiss",
    "MissNote",
    "MissRule",
    "MonthCredits",
    "PendingEarnback",
    "Rounding",
    "Trigger",
    "compute_credits",
    "parse_credit_terms",
]

Rounding = Literal["half_up", "half_even"]
ROUNDINGS: tuple[Rounding, ...] = ("half_up", "half_even")
Trigger = Literal["minimum", "nth_expected_miss"]

_DECIMAL_ROUNDING: dict[Rounding, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
}
_RULE_WORDS: dict[Rounding, str] = {
    "half_up": "half up (a half cent rounds away from zero: 0.005 -> 0.01)",
    "half_even": "half even (a half cent rounds to the even cent: 0.005 -> 0.00, 0.015 -> 0.02)",
}
_CENT = decimal.Decimal("0.01")
_HUNDRED = decimal.Decimal(100)
# Enough digits that products of fees and percents are exact, and the pro-rata
# shares of a capped month are exact far beyond the cent.
_PRECISION = 60
_TOP_KEYS = (
    "monthly_fees",
    "fee_schedule",
    "at_risk_percent",
    "pool_percent",
    "rounding",
    "categories",
    "allocations",
    "expected_miss_rule",
    "earnback",
)
_STATUS_WORDS: dict[str, str] = {
    "met": "met its expected level",
    "missed_expected": "missed its expected level",
    "missed_minimum": "missed its minimum",
    "no_data": "had no data",
    "below_volume": "was below its minimum volume",
}


# --------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class Allocation:
    """The share of the monthly at-risk amount one critical service level carries.

    ``percent`` is the level's %: of the at-risk amount without categories, or
    within its ``category`` (whose % of the at-risk amount is ``category_percent``).
    """

    code: str
    percent: decimal.Decimal
    category: str | None = None
    category_percent: decimal.Decimal | None = None

    @property
    def effective_percent(self) -> decimal.Decimal:
        """The level's % of the at-risk amount: category % × level % / 100, or level %."""
        if self.category_percent is None:
            return self.percent
        with decimal.localcontext(prec=_PRECISION):
            return self.category_percent * self.percent / _HUNDRED

    def describe(self) -> str:
        """The allocation as a factor in words: ``50% (category delivery) × 40% (level)``."""
        if self.category is None or self.category_percent is None:
            return f"{_pct(self.percent)}% (level)"
        category = f"{_pct(self.category_percent)}% (category {self.category})"
        return f"{category} × {_pct(self.percent)}% (level)"


@dataclass(frozen=True)
class MissRule:
    """The ``misses``-th miss of expected within ``months`` rolling months triggers a credit."""

    misses: int
    months: int


@dataclass(frozen=True)
class EarnbackRule:
    """A non-chronic credit is returned after ``months`` following months all met."""

    months: int


@dataclass(frozen=True)
class CreditTerms:
    """The validated ``credits`` section of a schedule.

    Exactly one of ``monthly_fees`` (the same fee every month) and
    ``fee_schedule`` (``(first month, fee)`` steps, sorted) is set.
    ``categories`` maps a category name to its % of the at-risk amount (empty
    when the contract has no categories).
    """

    at_risk_percent: decimal.Decimal
    pool_percent: decimal.Decimal
    allocations: tuple[Allocation, ...]
    expected_miss_rule: MissRule
    monthly_fees: decimal.Decimal | None = None
    fee_schedule: tuple[tuple[Month, decimal.Decimal], ...] = ()
    rounding: Rounding = "half_up"
    categories: Mapping[str, decimal.Decimal] = field(default_factory=dict)
    earnback: EarnbackRule | None = None

    def allocation(self, code: str) -> Allocation | None:
        """The allocation of level ``code``; None when it carries no credit."""
        for allocation in self.allocations:
            if allocation.code == code:
                return allocation
        return None

    def fee_for(self, month: Month) -> decimal.Decimal:
        """The fee of ``month``; ValueError when the fee schedule starts after it."""
        return self._fee(month)[0]

    def _fee(self, month: Month) -> tuple[decimal.Decimal, str]:
        """The fee of ``month`` and where it comes from, in words."""
        if self.monthly_fees is not None:
            return self.monthly_fees, "monthly fees"
        found: tuple[Month, decimal.Decimal] | None = None
        for start, fee in self.fee_schedule:
            if start <= month:
                found = (start, fee)
        if found is None:
            first = self.fee_schedule[0][0] if self.fee_schedule else None
            raise ValueError(
                f"there is no fee for {month}: the fee schedule starts in {first}"
                if first is not None
                else f"there is no fee for {month}"
            )
        return found[1], f"fee schedule, from {found[0]}"

    @property
    def rounding_rule(self) -> str:
        """The rounding rule in words, as the report states it."""
        return _rounding_rule(self.rounding)


# --------------------------------------------------------------------------- parsing


def parse_credit_terms(
    value: object, place: str, levels: Sequence[ServiceLevel], problems: list[Problem]
) -> CreditTerms | None:
    """Validate the ``credits`` section of a schedule against its service ``levels``.

    Every problem is appended to ``problems`` with its place (``place`` is the
    section's own, e.g. ``credits``); None is returned when there is any.
    """
    before = len(problems)
    if not isinstance(value, Mapping):
        problems.append(Problem(place, f"expected a mapping, got {kind(value)}"))
        return None
    unknown_keys(value, _TOP_KEYS, place, problems)
    monthly_fees, fee_schedule = _parse_fees(value, place, problems)
    at_risk = _percent(
        value,
        "at_risk_percent",
        place,
        problems,
        required="the % of the monthly fees at risk",
        zero_allowed=False,
        maximum=_HUNDRED,
    )
    pool = _percent(
        value,
        "pool_percent",
        place,
        problems,
        required="the % of the at-risk amount the allocations may add up to",
        zero_allowed=False,
        maximum=None,
    )
    rounding = value.get("rounding", "half_up")
    if rounding not in ROUNDINGS:
        problems.append(Problem(at(place, "rounding"), f"must be one of: {', '.join(ROUNDINGS)}"))
        rounding = "half_up"
    categories = _parse_categories(value.get("categories"), at(place, "categories"), problems)
    allocations = _parse_allocations(
        value.get("allocations"), at(place, "allocations"), levels, categories, problems
    )
    _check_sums(allocations, categories, pool, place, problems)
    rule = _parse_miss_rule(
        value.get("expected_miss_rule"), at(place, "expected_miss_rule"), problems
    )
    earnback = _parse_earnback(value.get("earnback"), at(place, "earnback"), problems)
    if len(problems) > before:
        return None
    # No problem was reported, so every required part was parsed.
    assert at_risk is not None
    assert pool is not None
    assert rule is not None
    return CreditTerms(
        at_risk_percent=at_risk,
        pool_percent=pool,
        allocations=tuple(allocations),
        expected_miss_rule=rule,
        monthly_fees=monthly_fees,
        fee_schedule=fee_schedule,
        rounding=rounding,
        categories=categories or {},
        earnback=earnback,
    )


def _amount(value: object, place: str, problems: list[Problem]) -> decimal.Decimal | None:
    """A fee: a number, not negative."""
    number = parse_decimal(value)
    if number is None:
        problems.append(Problem(place, f"must be an amount, got {kind(value)}"))
        return None
    if number < 0:
        problems.append(Problem(place, "must not be negative"))
        return None
    return number


def _parse_fees(
    data: Mapping[Any, Any], place: str, problems: list[Problem]
) -> tuple[decimal.Decimal | None, tuple[tuple[Month, decimal.Decimal], ...]]:
    fees = data.get("monthly_fees")
    schedule = data.get("fee_schedule")
    if fees is not None and schedule is not None:
        problems.append(Problem(place, "give monthly_fees or fee_schedule, not both"))
        return None, ()
    if fees is None and schedule is None:
        problems.append(
            Problem(
                place,
                "monthly_fees or fee_schedule is required: the fees the at-risk amount is a % of",
            )
        )
        return None, ()
    if fees is not None:
        return _amount(fees, at(place, "monthly_fees"), problems), ()
    where = at(place, "fee_schedule")
    if not isinstance(schedule, Mapping) or not schedule:
        problems.append(
            Problem(where, "expected a mapping of months (YYYY-MM) to the fee from that month on")
        )
        return None, ()
    steps: list[tuple[Month, decimal.Decimal]] = []
    for key, fee in schedule.items():
        try:
            month = parse_month(str(key))
        except ValueError:
            problems.append(Problem(at(where, str(key)), "is not a month (YYYY-MM)"))
            continue
        amount = _amount(fee, at(where, str(key)), problems)
        if amount is not None:
            steps.append((month, amount))
    return None, tuple(sorted(steps))


def _percent(
    data: Mapping[Any, Any],
    key: str,
    place: str,
    problems: list[Problem],
    *,
    required: str,
    zero_allowed: bool,
    maximum: decimal.Decimal | None,
) -> decimal.Decimal | None:
    where = at(place, key)
    value = data.get(key)
    if value is None:
        problems.append(Problem(where, f"is required: {required}"))
        return None
    number = parse_decimal(value)
    if number is None:
        problems.append(Problem(where, f"must be a number (a %), got {kind(value)}"))
        return None
    low_ok = number >= 0 if zero_allowed else number > 0
    if not low_ok or (maximum is not None and number > maximum):
        problems.append(Problem(where, _range_words(zero_allowed, maximum)))
        return None
    return number


def _range_words(zero_allowed: bool, maximum: decimal.Decimal | None) -> str:
    if maximum is None:
        return "must be more than 0"
    if zero_allowed:
        return f"must be between 0 and {_pct(maximum)}"
    return f"must be more than 0 and at most {_pct(maximum)}"


def _parse_categories(
    value: object, place: str, problems: list[Problem]
) -> dict[str, decimal.Decimal] | None:
    """Category name -> % of the at-risk amount; None when the contract has no categories."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not value:
        problems.append(
            Problem(place, "expected a mapping of category names to their % of the at-risk amount")
        )
        return {}
    categories: dict[str, decimal.Decimal] = {}
    for name, percent in value.items():
        where = at(place, str(name))
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(where, "a category name is text"))
            continue
        number = parse_decimal(percent)
        if number is None:
            problems.append(Problem(where, f"must be a number (a %), got {kind(percent)}"))
        elif not 0 <= number <= _HUNDRED:
            problems.append(Problem(where, "must be between 0 and 100"))
            number = None
        # A category with a bad % is still declared, so that allocations naming it are
        # not reported again; its 0 placeholder is never used (the terms are rejected).
        categories[name] = decimal.Decimal(0) if number is None else number
    return categories


def _parse_allocations(
    value: object,
    place: str,
    levels: Sequence[ServiceLevel],
    categories: Mapping[str, decimal.Decimal] | None,
    problems: list[Problem],
) -> list[Allocation]:
    allocations: list[Allocation] = []
    if value is None:
        problems.append(
            Problem(place, "is required: the critical service levels and their allocation %")
        )
        return allocations
    if not isinstance(value, Mapping):
        problems.append(
            Problem(place, f"expected a mapping of service level codes, got {kind(value)}")
        )
        return allocations
    by_code = {level.code: level for level in levels}
    critical = ", ".join(level.code for level in levels if level.kind == "critical") or "none"
    names = ", ".join(categories or {}) or "none"
    for key, spec in value.items():
        code = str(key)
        where = at(place, code)
        before = len(problems)
        level = by_code.get(code)
        if level is None:
            problems.append(
                Problem(
                    where,
                    f"{code!r} is not a valid service level of this schedule "
                    f"(critical service levels: {critical})",
                )
            )
        elif level.kind != "critical":
            problems.append(
                Problem(
                    where,
                    f"{code!r} is a key measurement: only critical service levels carry "
                    "credits (a change request can promote it to critical)",
                )
            )
        category: object = None
        if isinstance(spec, Mapping):
            unknown_keys(spec, ("percent", "category"), where, problems)
            raw = spec.get("percent")
            category = spec.get("category")
            if raw is None:
                problems.append(Problem(at(where, "percent"), "is required: the level's %"))
        else:
            raw = spec
            if categories:
                problems.append(
                    Problem(
                        where,
                        "needs a category: write {percent: N, category: NAME} "
                        f"(categories: {names})",
                    )
                )
        percent: decimal.Decimal | None = None
        if raw is not None:
            percent = parse_decimal(raw)
            if percent is None:
                problems.append(
                    Problem(at(where, "percent"), f"must be a number (a %), got {kind(raw)}")
                )
            elif not 0 <= percent <= _HUNDRED:
                problems.append(Problem(at(where, "percent"), "must be between 0 and 100"))
                percent = None
        if categories is None:
            if category is not None:
                problems.append(
                    Problem(
                        at(where, "category"),
                        "no categories are declared (declare categories, or leave category out)",
                    )
                )
        elif isinstance(spec, Mapping):
            if category is None:
                problems.append(
                    Problem(at(where, "category"), f"is required (categories: {names})")
                )
            elif not isinstance(category, str) or category not in categories:
                problems.append(
                    Problem(
                        at(where, "category"),
                        f"{kind(category)} is not a declared category (categories: {names})",
                    )
                )
        if len(problems) > before or percent is None:
            continue
        if categories is not None and isinstance(category, str):
            allocations.append(Allocation(code, percent, category, categories[category]))
        else:
            allocations.append(Allocation(code, percent))
    return allocations


def _check_sums(
    allocations: Sequence[Allocation],
    categories: Mapping[str, decimal.Decimal] | None,
    pool: decimal.Decimal | None,
    place: str,
    problems: list[Problem],
) -> None:
    """The allocations fit the pool (and, with categories, each category fits 100%)."""
    if categories is None:
        total = sum((allocation.percent for allocation in allocations), decimal.Decimal(0))
        if pool is not None and total > pool:
            problems.append(
                Problem(
                    at(place, "allocations"),
                    f"the allocations add up to {_pct(total)}%, "
                    f"more than the pool of {_pct(pool)}%",
                )
            )
        return
    total = sum(categories.values(), decimal.Decimal(0))
    if pool is not None and total > pool:
        problems.append(
            Problem(
                at(place, "categories"),
                f"the categories add up to {_pct(total)}%, more than the pool of {_pct(pool)}%",
            )
        )
    for name in categories:
        members = [allocation for allocation in allocations if allocation.category == name]
        within = sum((allocation.percent for allocation in members), decimal.Decimal(0))
        if within > _HUNDRED:
            codes = ", ".join(allocation.code for allocation in members)
            problems.append(
                Problem(
                    at(place, "allocations"),
                    f"the levels of category {name} ({codes}) add up to {_pct(within)}%, "
                    "more than 100%",
                )
            )


def _count(value: object, place: str, problems: list[Problem]) -> int | None:
    if value is None:
        problems.append(Problem(place, "is required"))
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(Problem(place, f"must be a whole number of at least 1, got {kind(value)}"))
        return None
    return value


def _parse_miss_rule(value: object, place: str, problems: list[Problem]) -> MissRule | None:
    if value is None:
        problems.append(
            Problem(
                place,
                "is required: {misses: N, months: M} (the Nth miss of expected "
                "within M rolling months triggers a credit)",
            )
        )
        return None
    if not isinstance(value, Mapping):
        problems.append(Problem(place, "expected {misses: N, months: M}"))
        return None
    unknown_keys(value, ("misses", "months"), place, problems)
    misses = _count(value.get("misses"), at(place, "misses"), problems)
    months = _count(value.get("months"), at(place, "months"), problems)
    if misses is None or months is None:
        return None
    if misses > months:
        problems.append(
            Problem(
                at(place, "misses"),
                f"{misses} misses cannot happen within {months} months",
            )
        )
        return None
    return MissRule(misses, months)


def _parse_earnback(value: object, place: str, problems: list[Problem]) -> EarnbackRule | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problems.append(Problem(place, "expected {months: N}"))
        return None
    unknown_keys(value, ("months",), place, problems)
    months = _count(value.get("months"), at(place, "months"), problems)
    return None if months is None else EarnbackRule(months)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class CreditLine:
    """One level's credit in one month.

    ``amount`` is the exact credit (allocation % × at-risk amount); ``charged``
    is what the provider owes for it after the month's cap (the same unless
    the cap bit). ``earnback`` says what became of it (None without earnback terms).
    """

    code: str
    status: Status
    trigger: Trigger
    allocation: decimal.Decimal  # effective % of the at-risk amount
    amount: decimal.Decimal
    charged: decimal.Decimal
    explanation: str
    earnback: str | None = None

    def to_dict(self, rounding: Rounding) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "status": self.status,
            "trigger": self.trigger,
            "allocation_percent": _pct(self.allocation),
            "amount": _cents_text(self.amount, rounding),
            "charged": _cents_text(self.charged, rounding),
            "explanation": self.explanation,
            "earnback": self.earnback,
        }


@dataclass(frozen=True)
class ExcusedMiss:
    """A miss the buyer caused, excused by both sides: no credit, not counted."""

    code: str
    status: Status
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"code": self.code, "status": self.status, "explanation": self.explanation}


@dataclass(frozen=True)
class MissNote:
    """A miss of expected that did not (yet) trigger a credit under the rolling rule."""

    code: str
    status: Status
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"code": self.code, "status": self.status, "explanation": self.explanation}


@dataclass(frozen=True)
class EarnbackLine:
    """A credit of an earlier month returned; ``amount`` is negative."""

    code: str
    credit_month: Month
    amount: decimal.Decimal
    explanation: str

    def to_dict(self, rounding: Rounding) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "credit_month": str(self.credit_month),
            "amount": _cents_text(self.amount, rounding),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class PendingEarnback:
    """A credit that will be returned if its level meets its expected level in the
    months ``waiting_for`` (not yet evaluated); returned in ``returns_in`` if so."""

    code: str
    credit_month: Month
    amount: decimal.Decimal  # what would be returned (positive)
    met: tuple[Month, ...]
    waiting_for: tuple[Month, ...]
    returns_in: Month
    explanation: str

    def to_dict(self, rounding: Rounding) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "credit_month": str(self.credit_month),
            "amount": _cents_text(self.amount, rounding),
            "met": [str(month) for month in self.met],
            "waiting_for": [str(month) for month in self.waiting_for],
            "returns_in": str(self.returns_in),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class MonthCredits:
    """The credits of one month: what triggered, the cap, earnbacks and the net owed.

    ``net`` = ``total_after_cap`` + the (negative) earnbacks: what the provider
    owes the buyer for the month (negative when earnbacks exceed the credits).
    """

    month: Month
    fee: decimal.Decimal
    at_risk_amount: decimal.Decimal
    at_risk_explanation: str
    lines: tuple[CreditLine, ...]
    excused: tuple[ExcusedMiss, ...]
    misses_not_credited: tuple[MissNote, ...]
    total_before_cap: decimal.Decimal
    cap_applied: bool
    total_after_cap: decimal.Decimal
    cap_explanation: str | None
    earnbacks: tuple[EarnbackLine, ...]
    net: decimal.Decimal
    net_explanation: str

    def to_dict(self, rounding: Rounding) -> dict[str, Any]:
        """JSON-ready form (amounts as text, rounded to the cent)."""
        return {
            "month": str(self.month),
            "fee": _cents_text(self.fee, rounding),
            "at_risk_amount": _cents_text(self.at_risk_amount, rounding),
            "at_risk_explanation": self.at_risk_explanation,
            "lines": [line.to_dict(rounding) for line in self.lines],
            "excused": [line.to_dict() for line in self.excused],
            "misses_not_credited": [note.to_dict() for note in self.misses_not_credited],
            "total_before_cap": _cents_text(self.total_before_cap, rounding),
            "cap_applied": self.cap_applied,
            "total_after_cap": _cents_text(self.total_after_cap, rounding),
            "cap_explanation": self.cap_explanation,
            "earnbacks": [line.to_dict(rounding) for line in self.earnbacks],
            "net": _cents_text(self.net, rounding),
            "net_explanation": self.net_explanation,
        }


@dataclass(frozen=True)
class CreditReport:
    """Service credits for a run of consecutive months, with pending earnbacks.

    Amounts are held exactly; :meth:`cents` and :meth:`to_dict` round them to
    the cent with ``rounding`` (see :attr:`rounding_rule`).
    """

    rounding: Rounding
    months: tuple[MonthCredits, ...]
    pending_earnbacks: tuple[PendingEarnback, ...]

    @property
    def rounding_rule(self) -> str:
        """The rounding rule in words."""
        return _rounding_rule(self.rounding)

    @property
    def total_net(self) -> decimal.Decimal:
        """The exact net of all the reported months."""
        return sum((entry.net for entry in self.months), decimal.Decimal(0))

    def month(self, month: Month) -> MonthCredits:
        """The entry of ``month``; KeyError when it is not reported."""
        for entry in self.months:
            if entry.month == month:
                return entry
        raise KeyError(str(month))

    def cents(self, amount: decimal.Decimal) -> decimal.Decimal:
        """``amount`` rounded to the cent with the report's rule."""
        return _cents(amount, self.rounding)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: months as ``YYYY-MM``, amounts as text such as ``"2000.00"``."""
        return {
            "rounding": self.rounding,
            "rounding_rule": self.rounding_rule,
            "months": [entry.to_dict(self.rounding) for entry in self.months],
            "pending_earnbacks": [
                pending.to_dict(self.rounding) for pending in self.pending_earnbacks
            ],
            "total_net": _cents_text(self.total_net, self.rounding),
        }


# --------------------------------------------------------------------------- computing


@dataclass
class _Credit:
    """A credit while the report is being built (history months included)."""

    code: str
    status: Status
    trigger: Trigger
    allocation: Allocation
    amount: decimal.Decimal
    explanation: str
    charged: decimal.Decimal = decimal.Decimal(0)
    earnback: str | None = None


@dataclass
class _Month:
    month: Month
    reported: bool
    fee: decimal.Decimal | None
    at_risk: decimal.Decimal
    at_risk_explanation: str
    credits: list[_Credit] = field(default_factory=list)
    excused: list[ExcusedMiss] = field(default_factory=list)
    notes: list[MissNote] = field(default_factory=list)
    earnbacks: list[EarnbackLine] = field(default_factory=list)
    total_before_cap: decimal.Decimal = decimal.Decimal(0)
    cap_applied: bool = False
    cap_explanation: str | None = None


def compute_credits(
    terms: CreditTerms,
    statuses: Mapping[str, Mapping[Month, Status]],
    *,
    months: Sequence[Month],
    excused: Collection[tuple[str, Month]] = (),
) -> CreditReport:
    """The service credits of ``months`` (consecutive), from each level's monthly status.

    ``statuses`` maps a level code to its status per month, for the level as a
    whole. Months before ``months[0]`` are history: their misses count for the
    rolling rule and their credits for chronic misses and earnback, but they
    get no report line. Statuses after ``months[-1]`` are not read.
    ``excused`` lists the ``(code, month)`` misses excused by both sides.

    Raises ValueError when ``months`` are not consecutive or a reported month
    has no fee (before the first step of the fee schedule).
    """
    wanted = list(months)
    for previous, current in zip(wanted, wanted[1:], strict=False):
        if current.index != previous.index + 1:
            raise ValueError(f"months must be consecutive: {current} follows {previous}")
    if not wanted:
        return CreditReport(terms.rounding, (), ())
    with decimal.localcontext(prec=_PRECISION):
        return _compute(terms, statuses, wanted, frozenset(excused))


def _compute(
    terms: CreditTerms,
    statuses: Mapping[str, Mapping[Month, Status]],
    wanted: list[Month],
    excused: frozenset[tuple[str, Month]],
) -> CreditReport:
    first, last = wanted[0], wanted[-1]
    rounding = terms.rounding
    rule = terms.expected_miss_rule

    def status(code: str, month: Month) -> Status | None:
        # Months after the last reported one are not evaluated yet, whatever the data holds.
        if month > last:
            return None
        return statuses.get(code, {}).get(month)

    def counted_miss(code: str, month: Month) -> bool:
        return status(code, month) in MISSES and (code, month) not in excused

    # Start from the earliest month any allocated level has a status for: its misses
    # count for the rolling rule, and its credits for chronic misses and earnback.
    start = first
    for allocation in terms.allocations:
        for month in statuses.get(allocation.code, {}):
            start = min(start, month)

    work: dict[Month, _Month] = {}
    credited: dict[str, list[Month]] = {allocation.code: [] for allocation in terms.allocations}
    for index in range(start.index, last.index + 1):
        month = Month.from_index(index)
        entry = _month_entry(terms, month, reported=month >= first)
        work[month] = entry
        for allocation in terms.allocations:
            code = allocation.code
            found = status(code, month)
            if found is None or found not in MISSES:
                continue
            if (code, month) in excused:
                entry.excused.append(
                    ExcusedMiss(
                        code,
                        found,
                        f"{code} {_STATUS_WORDS[found]} in {month}; the miss is excused "
                        "(caused by the buyer, signed by both sides): no credit, and it does "
                        "not count as a miss for the rolling rule.",
                    )
                )
                continue
            window = [month.shift(-back) for back in range(rule.months - 1, -1, -1)]
            misses = [m for m in window if counted_miss(code, m)]
            excused_in_window = [
                m for m in window if status(code, m) in MISSES and (code, m) in excused
            ]
            counting = _window_words(len(misses), window, misses, excused_in_window)
            if found == "missed_minimum":
                trigger: Trigger = "minimum"
                reason = (
                    f"{code} missed its minimum in {month}: a minimum miss triggers a credit "
                    f"(it also counts as the {counting})."
                )
            elif len(misses) >= rule.misses:
                trigger = "nth_expected_miss"
                reason = (
                    f"{code} missed its expected level in {month}: {counting}; "
                    f"the {_ordinal(rule.misses)} and later misses within {rule.months} "
                    "months trigger a credit."
                )
            else:
                entry.notes.append(
                    MissNote(
                        code,
                        found,
                        f"{code} missed its expected level in {month}: {counting}; no credit "
                        f"until the {_ordinal(rule.misses)} miss within {rule.months} months.",
                    )
                )
                continue
            if entry.fee is None:
                # A history month before the fees start: no credit was owed, so none
                # counts as chronic or can be earned back.
                continue
            amount = entry.at_risk * allocation.effective_percent / _HUNDRED
            calculation = (
                f"Credit: {allocation.describe()} × {_money(entry.at_risk, rounding)} at risk "
                f"= {_money(amount, rounding)}."
            )
            entry.credits.append(
                _Credit(code, found, trigger, allocation, amount, f"{reason} {calculation}")
            )
            credited[code].append(month)
        _apply_cap(entry, rounding)

    pending = _earnbacks(terms, work, credited, status, excused, first, last)
    return CreditReport(
        rounding,
        tuple(_finish(work[month], rounding) for month in wanted),
        tuple(pending),
    )


def _month_entry(terms: CreditTerms, month: Month, *, reported: bool) -> _Month:
    try:
        fee, source = terms._fee(month)
    except ValueError:
        if reported:
            raise
        return _Month(month, reported, None, decimal.Decimal(0), "no fee (before the fees start)")
    at_risk = fee * terms.at_risk_percent / _HUNDRED
    words = (
        f"{_pct(terms.at_risk_percent)}% × fee {_money(fee, terms.rounding)} ({source}) "
        f"= {_money(at_risk, terms.rounding)} at risk"
    )
    return _Month(month, reported, fee, at_risk, words)


def _apply_cap(entry: _Month, rounding: Rounding) -> None:
    """Cap the month's credits at its at-risk amount, reducing each credit pro rata."""
    total = sum((credit.amount for credit in entry.credits), decimal.Decimal(0))
    entry.total_before_cap = total
    if total <= entry.at_risk:
        for credit in entry.credits:
            credit.charged = credit.amount
        return
    entry.cap_applied = True
    for credit in entry.credits:
        credit.charged = credit.amount * entry.at_risk / total
        credit.explanation += (
            f" After the month's cap, {_money(credit.charged, rounding)} is charged."
        )
    entry.cap_explanation = (
        f"The credits add up to {_money(total, rounding)} before the cap, more than the "
        f"{_money(entry.at_risk, rounding)} at risk this month; the cap is the at-risk amount, "
        f"so the total after the cap is {_money(entry.at_risk, rounding)} (each credit reduced "
        "in proportion)."
    )


def _earnbacks(
    terms: CreditTerms,
    work: Mapping[Month, _Month],
    credited: Mapping[str, list[Month]],
    status: Callable[[str, Month], Status | None],
    excused: frozenset[tuple[str, Month]],
    first: Month,
    last: Month,
) -> list[PendingEarnback]:
    """Decide each credit's earnback; add returned ones to the month they complete in."""
    pending: list[PendingEarnback] = []
    if terms.earnback is None:
        return pending
    need = terms.earnback.months
    lookback = terms.expected_miss_rule.months - 1
    for entry in work.values():
        for credit in entry.credits:
            code, month = credit.code, entry.month
            earlier = [m for m in credited[credit.code] if month.shift(-lookback) <= m < month]
            if earlier:
                credit.earnback = (
                    f"no earnback: the credit is chronic ({code} was also credited in "
                    f"{_join(earlier)}, within the {lookback} months before)"
                )
                continue
            following = [month.shift(step) for step in range(1, need + 1)]
            returns_in = following[-1]
            met: list[Month] = []
            waiting: list[Month] = []
            broken: tuple[Month, str] | None = None
            for m in following:
                found = status(code, m)
                if found is None:
                    waiting.append(m)
                elif found == "met":
                    met.append(m)
                else:
                    note = " (excused)" if (code, m) in excused else ""
                    broken = (m, f"{_STATUS_WORDS[found]}{note}")
                    break
            amount = credit.charged
            if broken is not None:
                credit.earnback = (
                    f"not returned: {code} {broken[1]} in {broken[0]}; the earnback needs its "
                    f"expected level met in each of the {need} months after the credit"
                )
            elif waiting:
                so_far = f"met in {_join(met)}; " if met else ""
                credit.earnback = (
                    f"pending: {so_far}returned in {returns_in} if {code} meets its expected "
                    f"level in {_join(waiting)}"
                )
                pending.append(
                    PendingEarnback(
                        code,
                        month,
                        amount,
                        tuple(met),
                        tuple(waiting),
                        returns_in,
                        f"The credit of {_money(amount, terms.rounding)} for {code} in {month} "
                        f"is returned in {returns_in} if {code} meets its expected level in "
                        f"{_join(waiting)}" + (f" (met so far: {_join(met)})." if met else "."),
                    )
                )
            else:
                credit.earnback = f"returned in {returns_in}"
                if returns_in >= first:
                    work[returns_in].earnbacks.append(
                        EarnbackLine(
                            code,
                            month,
                            -amount,
                            f"{code} met its expected level in {_join(following)}, the {need} "
                            f"months after its credit of {month}: the "
                            f"{_money(amount, terms.rounding)} charged is returned.",
                        )
                    )
    return pending


def _finish(entry: _Month, rounding: Rounding) -> MonthCredits:
    assert entry.fee is not None  # reported months always have a fee
    after_cap = min(entry.total_before_cap, entry.at_risk)
    returned = sum((line.amount for line in entry.earnbacks), decimal.Decimal(0))
    net = after_cap + returned
    net_words = _net_words(entry, after_cap, returned, net, rounding)
    return MonthCredits(
        month=entry.month,
        fee=entry.fee,
        at_risk_amount=entry.at_risk,
        at_risk_explanation=entry.at_risk_explanation,
        lines=tuple(
            CreditLine(
                credit.code,
                credit.status,
                credit.trigger,
                credit.allocation.effective_percent,
                credit.amount,
                credit.charged,
                credit.explanation,
                credit.earnback,
            )
            for credit in entry.credits
        ),
        excused=tuple(entry.excused),
        misses_not_credited=tuple(entry.notes),
        total_before_cap=entry.total_before_cap,
        cap_applied=entry.cap_applied,
        total_after_cap=after_cap,
        cap_explanation=entry.cap_explanation,
        earnbacks=tuple(entry.earnbacks),
        net=net,
        net_explanation=net_words,
    )


def _net_words(
    entry: _Month,
    after_cap: decimal.Decimal,
    returned: decimal.Decimal,
    net: decimal.Decimal,
    rounding: Rounding,
) -> str:
    if not entry.credits and not entry.earnbacks:
        return "no credits this month"
    owed = (
        "owed to the buyer"
        if net > 0
        else "returned to the provider"
        if net < 0
        else "nothing owed"
    )
    if not entry.earnbacks:
        capped = " after the cap" if entry.cap_applied else ""
        return f"{_money(after_cap, rounding)} in credits{capped}, {owed}"
    credits = "after the cap " if entry.cap_applied else ""
    return (
        f"credits {credits}{_money(after_cap, rounding)} − earnbacks "
        f"{_money(-returned, rounding)} = {_money(net, rounding)}: {owed}"
    )


# --------------------------------------------------------------------------- words


def _cents(amount: decimal.Decimal, rounding: Rounding) -> decimal.Decimal:
    with decimal.localcontext(prec=_PRECISION):
        return amount.quantize(_CENT, rounding=_DECIMAL_ROUNDING[rounding])


def _cents_text(amount: decimal.Decimal, rounding: Rounding) -> str:
    return str(_cents(amount, rounding))


def _money(amount: decimal.Decimal, rounding: Rounding) -> str:
    """``12,345.68``: rounded to the cent with the contract's rule, thousands separated."""
    return format(_cents(amount, rounding), ",f")


def _pct(number: decimal.Decimal) -> str:
    """A percent without trailing zeros or exponent: 40, 12.5."""
    return format(number.normalize(), "f")


def _rounding_rule(rounding: Rounding) -> str:
    return (
        "Amounts are computed exactly and each reported amount is rounded to the cent once, "
        f"at the end, {_RULE_WORDS[rounding]}; a total is rounded from the exact sum, so it "
        "can differ by a cent from the sum of its rounded lines."
    )


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _join(months: Sequence[Month]) -> str:
    return ", ".join(str(month) for month in months)


def _window_words(
    count: int, window: Sequence[Month], misses: Sequence[Month], excused: Sequence[Month]
) -> str:
    """``4th miss of expected in the 12 months 2025-11..2026-10: 2026-02, ...``."""
    words = (
        f"{_ordinal(count)} miss of expected in the {len(window)} months "
        f"{window[0]}..{window[-1]}: {_join(misses)}"
    )
    if excused:
        words += f" ({_join(excused)} excused, not counted)"
    return words
