"""Service credits: parsing the credit terms, and the monthly credits, cap, excusals, earnback.

Every expected amount is worked out by hand in a comment next to it.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Mapping
from typing import Any

import pytest

from accord.engine.credits import (
    Allocation,
    CreditReport,
    CreditTerms,
    compute_credits,
    parse_credit_terms,
)
from accord.engine.errors import Problem, SpecError
from accord.engine.periods import Month, parse_month
from accord.engine.results import Status
from accord.engine.schedule import Measure, Schedule, ServiceLevel

D = decimal.Decimal


def _level(code: str, kind: str = "critical") -> ServiceLevel:
    return ServiceLevel(
        code=code,
        name=f"Level {code}",
        kind=kind,  # type: ignore[arg-type]
        source="calls",
        measure=Measure(type="count"),
        unit="calls",
        direction="higher",
        expected=D(90),
        minimum=D(80),
        minimum_volume=0,
        period="month",
    )


LEVELS = [_level("SL1"), _level("SL2"), _level("SL3"), _level("KEY1", "key")]

# Fees 100,000 a month, 10% at risk = 10,000.00 a month.
BASE: dict[str, Any] = {
    "monthly_fees": 100000,
    "at_risk_percent": 10,
    "pool_percent": 200,
    "allocations": {"SL1": 40, "SL2": 30},
    "expected_miss_rule": {"misses": 4, "months": 12},
    "earnback": {"months": 3},
}


def _problems(spec: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    assert parse_credit_terms(spec, "credits", LEVELS, problems) is None
    return problems


def _terms(**changes: Any) -> CreditTerms:
    spec = {**BASE, **changes}
    spec = {key: value for key, value in spec.items() if value is not None}
    problems: list[Problem] = []
    terms = parse_credit_terms(spec, "credits", LEVELS, problems)
    assert problems == []
    assert terms is not None
    return terms


# One character per month: + met, e missed expected, X missed minimum, 0 no data,
# . no status (not evaluated).
_CODES: dict[str, Status] = {
    "+": "met",
    "e": "missed_expected",
    "X": "missed_minimum",
    "0": "no_data",
}


def _series(start: str, marks: str) -> dict[Month, Status]:
    first = parse_month(start)
    return {
        first.shift(i): _CODES[mark] for i, mark in enumerate(marks.replace(" ", "")) if mark != "."
    }


def _months(first: str, last: str) -> list[Month]:
    a, b = parse_month(first), parse_month(last)
    return [Month.from_index(i) for i in range(a.index, b.index + 1)]


def _m(text: str) -> Month:
    return parse_month(text)


def _report(
    terms: CreditTerms,
    statuses: Mapping[str, Mapping[Month, Status]],
    first: str,
    last: str,
    excused: tuple[tuple[str, Month], ...] = (),
) -> CreditReport:
    report = compute_credits(terms, statuses, months=_months(first, last), excused=excused)
    # Whatever the case, the report's JSON form is valid JSON.
    json.dumps(report.to_dict())
    return report


# --------------------------------------------------------------------------- parsing


def test_parses_the_terms_with_decimals_and_effective_allocations() -> None:
    terms = _terms(
        at_risk_percent=12.5,
        categories={"delivery": 60, "member_experience": 40},
        allocations={
            "SL1": {"percent": 40, "category": "delivery"},
            "SL2": {"percent": 30, "category": "member_experience"},
        },
        rounding="half_even",
    )
    # The float 12.5 in the file is read as the decimal 12.5, not its binary value.
    assert terms.at_risk_percent == D("12.5")
    assert isinstance(terms.monthly_fees, D)
    assert terms.rounding == "half_even"
    assert terms.allocations == (
        Allocation("SL1", D(40), "delivery", D(60)),
        Allocation("SL2", D(30), "member_experience", D(40)),
    )
    # 60% x 40% = 24% and 40% x 30% = 12% of the at-risk amount.
    assert terms.allocations[0].effective_percent == D(24)
    assert terms.allocations[1].effective_percent == D(12)
    assert terms.allocation("SL3") is None  # critical without an allocation: allowed
    assert terms.earnback is not None
    assert terms.earnback.months == 3


def test_critical_level_without_allocation_is_not_a_problem() -> None:
    problems: list[Problem] = []
    terms = parse_credit_terms(BASE, "credits", LEVELS, problems)
    assert terms is not None
    assert problems == []
    assert [allocation.code for allocation in terms.allocations] == ["SL1", "SL2"]


def test_allocation_for_an_unknown_code() -> None:
    problems = _problems({**BASE, "allocations": {"SL1": 40, "NOPE": 10}})
    assert problems == [
        Problem(
            "credits.allocations.NOPE",
            "'NOPE' is not a valid service level of this schedule "
            "(critical service levels: SL1, SL2, SL3)",
        )
    ]


def test_allocation_for_a_key_measurement() -> None:
    problems = _problems({**BASE, "allocations": {"SL1": 40, "KEY1": 10}})
    assert problems == [
        Problem(
            "credits.allocations.KEY1",
            "'KEY1' is a key measurement: only critical service levels carry credits "
            "(a change request can promote it to critical)",
        )
    ]


def test_allocations_over_the_pool() -> None:
    # 60 + 50 = 110 > 100
    problems = _problems({**BASE, "pool_percent": 100, "allocations": {"SL1": 60, "SL2": 50}})
    assert problems == [
        Problem("credits.allocations", "the allocations add up to 110%, more than the pool of 100%")
    ]


def test_allocations_equal_to_the_pool_are_fine() -> None:
    terms = _terms(pool_percent=100, allocations={"SL1": 60, "SL2": 40})
    assert sum(allocation.percent for allocation in terms.allocations) == 100


def test_category_sums() -> None:
    problems = _problems(
        {
            **BASE,
            # 120 + 90 = 210 > pool 200; within delivery 70 + 40 = 110 > 100.
            "categories": {"delivery": 120, "experience": 90},
            "allocations": {
                "SL1": {"percent": 70, "category": "delivery"},
                "SL2": {"percent": 40, "category": "delivery"},
                "SL3": {"percent": 100, "category": "experience"},
            },
        }
    )
    assert problems == [
        Problem("credits.categories.delivery", "must be between 0 and 100"),
        Problem(
            "credits.allocations",
            "the levels of category delivery (SL1, SL2) add up to 110%, more than 100%",
        ),
    ]
    problems = _problems(
        {
            **BASE,
            "pool_percent": 150,
            # 100 + 60 = 160 > pool 150.
            "categories": {"delivery": 100, "experience": 60},
            "allocations": {
                "SL1": {"percent": 70, "category": "delivery"},
                "SL2": {"percent": 40, "category": "delivery"},
                "SL3": {"percent": 100, "category": "experience"},
            },
        }
    )
    assert problems == [
        Problem("credits.categories", "the categories add up to 160%, more than the pool of 150%"),
        Problem(
            "credits.allocations",
            "the levels of category delivery (SL1, SL2) add up to 110%, more than 100%",
        ),
    ]


def test_category_of_an_allocation_must_be_declared_and_given() -> None:
    problems = _problems(
        {
            **BASE,
            "categories": {"delivery": 50},
            "allocations": {
                "SL1": {"percent": 40, "category": "quality"},
                "SL2": {"percent": 40},
                "SL3": 20,
            },
        }
    )
    assert problems == [
        Problem(
            "credits.allocations.SL1.category",
            "'quality' is not a declared category (categories: delivery)",
        ),
        Problem("credits.allocations.SL2.category", "is required (categories: delivery)"),
        Problem(
            "credits.allocations.SL3",
            "needs a category: write {percent: N, category: NAME} (categories: delivery)",
        ),
    ]
    problems = _problems({**BASE, "allocations": {"SL1": {"percent": 40, "category": "x"}}})
    assert problems == [
        Problem(
            "credits.allocations.SL1.category",
            "no categories are declared (declare categories, or leave category out)",
        )
    ]


def test_both_monthly_fees_and_fee_schedule() -> None:
    problems = _problems({**BASE, "fee_schedule": {"2026-01": 100000}})
    assert problems == [Problem("credits", "give monthly_fees or fee_schedule, not both")]
    spec = dict(BASE)
    del spec["monthly_fees"]
    assert _problems(spec) == [
        Problem(
            "credits",
            "monthly_fees or fee_schedule is required: the fees the at-risk amount is a % of",
        )
    ]


def test_bad_percents_and_amounts() -> None:
    problems = _problems(
        {
            **BASE,
            "at_risk_percent": 0,
            "pool_percent": "lots",
            "allocations": {"SL1": {"percent": 140}, "SL2": -5, "SL3": "ten"},
            "monthly_fees": -1,
        }
    )
    assert problems == [
        Problem("credits.monthly_fees", "must not be negative"),
        Problem("credits.at_risk_percent", "must be more than 0 and at most 100"),
        Problem("credits.pool_percent", "must be a number (a %), got 'lots'"),
        Problem("credits.allocations.SL1.percent", "must be between 0 and 100"),
        Problem("credits.allocations.SL2.percent", "must be between 0 and 100"),
        Problem("credits.allocations.SL3.percent", "must be a number (a %), got 'ten'"),
    ]
    assert _problems({**BASE, "at_risk_percent": 101}) == [
        Problem("credits.at_risk_percent", "must be more than 0 and at most 100")
    ]


def test_unknown_keys_rules_and_fee_schedule_months() -> None:
    problems = _problems(
        {
            **{key: value for key, value in BASE.items() if key != "monthly_fees"},
            "fee_schedule": {"2026-01": 100000, "January": 5, "2026-13": 1},
            "rounding": "up",
            "bonus": 1,
            "allocations": {"SL1": {"percent": 40, "weight": 2}},
            "expected_miss_rule": {"misses": 13, "months": 12},
            "earnback": {"months": 0},
        }
    )
    assert problems == [
        Problem(
            "credits.bonus",
            "unknown key (expected one of: allocations, at_risk_percent, categories, "
            "earnback, expected_miss_rule, fee_schedule, monthly_fees, pool_percent, rounding)",
        ),
        Problem("credits.fee_schedule.January", "is not a month (YYYY-MM)"),
        Problem("credits.fee_schedule.2026-13", "is not a month (YYYY-MM)"),
        Problem("credits.rounding", "must be one of: half_up, half_even"),
        Problem(
            "credits.allocations.SL1.weight",
            "unknown key (expected one of: category, percent)",
        ),
        Problem("credits.expected_miss_rule.misses", "13 misses cannot happen within 12 months"),
        Problem("credits.earnback.months", "must be a whole number of at least 1, got 0 (int)"),
    ]


def test_credits_section_must_be_a_mapping() -> None:
    problems: list[Problem] = []
    assert parse_credit_terms([1, 2], "credits", LEVELS, problems) is None
    assert problems == [Problem("credits", "expected a mapping, got a list")]


def test_schedule_reports_credit_problems_with_their_place() -> None:
    level = {
        "kind": "critical",
        "source": "calls",
        "unit": "percent",
        "expected": 80,
        "minimum": 70,
        "measure": {"type": "share", "condition": "ok"},
    }
    doc: dict[str, Any] = {
        "contract": "Contact centre",
        "timezone": "America/Vancouver",
        "sources": {
            "calls": {"columns": {"at": "timestamp", "ok": "boolean"}, "time_column": "at"}
        },
        "service_levels": [
            {**level, "code": "CC-SL1", "name": "Answered"},
            {**level, "code": "CC-K1", "name": "Key one", "kind": "key"},
        ],
        "credits": {**BASE, "allocations": {"CC-SL1": 40}},
    }
    schedule = Schedule.from_dict(doc)
    assert schedule.credits is not None
    assert schedule.credits.allocations == (Allocation("CC-SL1", D(40)),)
    doc["credits"]["allocations"] = {"CC-SL1": 140, "CC-K1": 10}
    with pytest.raises(SpecError) as caught:
        Schedule.from_dict(doc)
    assert [str(problem) for problem in caught.value.problems] == [
        "credits.allocations.CC-SL1.percent: must be between 0 and 100",
        "credits.allocations.CC-K1: 'CC-K1' is a key measurement: only critical service "
        "levels carry credits (a change request can promote it to critical)",
    ]


# --------------------------------------------------------------------------- credits


def test_design_worked_example() -> None:
    terms = _terms(
        categories={"delivery": 50, "experience": 50},
        allocations={"SL1": {"percent": 40, "category": "delivery"}},
    )
    report = _report(terms, {"SL1": _series("2026-01", "X")}, "2026-01", "2026-01")
    entry = report.month(_m("2026-01"))
    # at risk 10% x 100,000 = 10,000; credit 50% x 40% x 10,000 = 2,000.
    assert entry.at_risk_amount == D(10000)
    [line] = entry.lines
    assert line.amount == D(2000)
    assert line.allocation == D(20)
    assert line.trigger == "minimum"
    assert "50% (category delivery) × 40% (level) × 10,000.00 at risk = 2,000.00" in (
        line.explanation
    )
    assert entry.net == D(2000)
    data = report.to_dict()
    assert data["months"][0]["lines"][0]["amount"] == "2000.00"
    assert data["months"][0]["at_risk_amount"] == "10000.00"
    assert data["months"][0]["net"] == "2000.00"
    assert data["total_net"] == "2000.00"
    assert data["rounding"] == "half_up"


def test_minimum_miss_triggers_on_its_first_occurrence() -> None:
    terms = _terms()
    report = _report(terms, {"SL1": _series("2026-01", "+X+")}, "2026-01", "2026-03")
    assert [len(entry.lines) for entry in report.months] == [0, 1, 0]
    [line] = report.month(_m("2026-02")).lines
    # 40% x 10,000 = 4,000
    assert (line.code, line.trigger, line.amount) == ("SL1", "minimum", D(4000))
    assert line.explanation.startswith("SL1 missed its minimum in 2026-02")
    assert "40% (level) × 10,000.00 at risk = 4,000.00" in line.explanation


def test_fourth_expected_miss_in_twelve_months_triggers_the_third_does_not() -> None:
    terms = _terms()
    # SL2 misses expected in 2026-01, -03, -05, -07 and -08.
    statuses = {"SL2": _series("2026-01", "e+e+e+ee+")}
    report = _report(terms, statuses, "2026-01", "2026-10")
    credited = {str(entry.month): [line.amount for line in entry.lines] for entry in report.months}
    # 3rd miss (2026-05): nothing. 4th (2026-07) and 5th (2026-08): 30% x 10,000 = 3,000 each.
    assert credited["2026-05"] == []
    assert credited["2026-07"] == [D(3000)]
    assert credited["2026-08"] == [D(3000)]
    assert sum(len(amounts) for amounts in credited.values()) == 2
    [line] = report.month(_m("2026-07")).lines
    assert line.trigger == "nth_expected_miss"
    assert (
        "4th miss of expected in the 12 months 2025-08..2026-07: "
        "2026-01, 2026-03, 2026-05, 2026-07" in line.explanation
    )
    [note] = report.month(_m("2026-05")).misses_not_credited
    assert note.code == "SL2"
    assert "3rd miss of expected" in note.explanation
    assert "no credit until the 4th miss" in note.explanation


def test_misses_older_than_the_window_drop_out() -> None:
    terms = _terms()
    months = ["2026-02"]
    # Misses 2025-01, 2025-06, 2025-12 (history) and 2026-02. The window of 2026-02 is
    # 2025-03..2026-02, so 2025-01 has dropped out: 3 misses, no credit.
    dropped = _series("2025-01", "e++++e+++++e+e")
    report = _report(terms, {"SL2": dropped}, months[0], months[0])
    assert report.month(_m("2026-02")).lines == ()
    assert [entry.month for entry in report.months] == [_m("2026-02")]  # history not reported
    # The same, with the first miss in 2025-03 (inside the window): 4 misses, a credit.
    kept = _series("2025-03", "e++e+++++e+e")
    report = _report(terms, {"SL2": kept}, months[0], months[0])
    [line] = report.month(_m("2026-02")).lines
    assert line.amount == D(3000)
    assert "2025-03..2026-02: 2025-03, 2025-06, 2025-12, 2026-02" in line.explanation


def test_a_minimum_miss_counts_as_a_miss_of_expected() -> None:
    terms = _terms()
    report = _report(terms, {"SL1": _series("2026-01", "Xeee")}, "2026-01", "2026-04")
    triggers = [[line.trigger for line in entry.lines] for entry in report.months]
    # X is the 1st miss; e, e are the 2nd and 3rd; the e of 2026-04 is the 4th.
    assert triggers == [["minimum"], [], [], ["nth_expected_miss"]]


def test_cap_at_the_at_risk_amount() -> None:
    terms = _terms(allocations={"SL1": 60, "SL2": 50, "SL3": 40})
    statuses = {code: _series("2026-01", "X") for code in ("SL1", "SL2", "SL3")}
    report = _report(terms, statuses, "2026-01", "2026-01")
    entry = report.month(_m("2026-01"))
    # 6,000 + 5,000 + 4,000 = 15,000 > 10,000 at risk.
    assert entry.total_before_cap == D(15000)
    assert entry.cap_applied
    assert entry.total_after_cap == D(10000)
    assert entry.net == D(10000)
    assert entry.cap_explanation is not None
    assert "15,000.00 before the cap" in entry.cap_explanation
    assert "the total after the cap is 10,000.00" in entry.cap_explanation
    # Pro rata: 10,000 x 6/15 = 4,000; x 5/15 = 3,333.33...; x 4/15 = 2,666.66...
    assert [line.amount for line in entry.lines] == [D(6000), D(5000), D(4000)]
    assert [report.cents(line.charged) for line in entry.lines] == [
        D("4000.00"),
        D("3333.33"),
        D("2666.67"),
    ]
    data = report.to_dict()["months"][0]
    assert (data["total_before_cap"], data["total_after_cap"], data["net"]) == (
        "15000.00",
        "10000.00",
        "10000.00",
    )
    assert data["cap_applied"] is True
    assert data["net_explanation"] == "10,000.00 in credits after the cap, owed to the buyer"


def test_no_cap_below_the_at_risk_amount() -> None:
    terms = _terms(allocations={"SL1": 60, "SL2": 40})
    statuses = {code: _series("2026-01", "X") for code in ("SL1", "SL2")}
    entry = _report(terms, statuses, "2026-01", "2026-01").month(_m("2026-01"))
    # 6,000 + 4,000 = 10,000: exactly the at-risk amount, so the cap does not bite.
    assert not entry.cap_applied
    assert entry.cap_explanation is None
    assert entry.net == D(10000)


def test_excused_month_gives_no_credit_and_does_not_count() -> None:
    terms = _terms()
    # SL2 misses expected in 2026-01, -03, -05 and -07; 2026-03 is excused.
    statuses = {"SL1": _series("2026-01", "X"), "SL2": _series("2026-01", "e+e+e+e")}
    excused = (("SL1", _m("2026-01")), ("SL2", _m("2026-03")))
    report = _report(terms, statuses, "2026-01", "2026-07", excused)
    # SL1's minimum miss is excused: no credit.
    january = report.month(_m("2026-01"))
    assert january.lines == ()
    [excusal] = january.excused
    assert excusal.code == "SL1"
    assert "excused" in excusal.explanation
    assert "does not count as a miss for the rolling rule" in excusal.explanation
    # Without 2026-03, SL2's miss of 2026-07 is only its 3rd: no credit anywhere.
    assert all(entry.lines == () for entry in report.months)
    assert [excusal.code for excusal in report.month(_m("2026-03")).excused] == ["SL2"]
    [note] = report.month(_m("2026-07")).misses_not_credited
    assert "3rd miss of expected" in note.explanation
    assert "2026-01, 2026-05, 2026-07 (2026-03 excused, not counted)" in note.explanation
    # Not excused, the same data gives a credit in 2026-07 (the 4th miss).
    again = _report(terms, statuses, "2026-01", "2026-07")
    assert [line.code for line in again.month(_m("2026-07")).lines] == ["SL2"]


def test_earnback_after_three_met_months() -> None:
    terms = _terms()
    report = _report(terms, {"SL1": _series("2026-01", "+X+++")}, "2026-01", "2026-05")
    [line] = report.month(_m("2026-02")).lines
    assert line.earnback == "returned in 2026-05"
    may = report.month(_m("2026-05"))
    [earnback] = may.earnbacks
    # The 4,000 credit of 2026-02 comes back in 2026-05, after 03, 04 and 05 met.
    assert (earnback.code, earnback.credit_month, earnback.amount) == (
        "SL1",
        _m("2026-02"),
        D(-4000),
    )
    assert "2026-03, 2026-04, 2026-05" in earnback.explanation
    assert may.net == D(-4000)
    assert may.net_explanation == (
        "credits 0.00 − earnbacks 4,000.00 = -4,000.00: returned to the provider"
    )
    assert report.total_net == 0
    data = report.to_dict()
    assert data["months"][4]["earnbacks"][0]["amount"] == "-4000.00"
    assert data["months"][4]["earnbacks"][0]["credit_month"] == "2026-02"
    assert data["pending_earnbacks"] == []
    assert all(entry.earnbacks == () for entry in report.months[:4])


def test_no_earnback_when_a_month_in_between_misses() -> None:
    terms = _terms()
    report = _report(terms, {"SL1": _series("2026-01", "+X+e+")}, "2026-01", "2026-05")
    assert all(entry.earnbacks == () for entry in report.months)
    assert report.pending_earnbacks == ()
    [line] = report.month(_m("2026-02")).lines
    assert line.earnback is not None
    assert line.earnback.startswith("not returned: SL1 missed its expected level in 2026-04")


def test_no_data_is_not_met_for_earnback() -> None:
    terms = _terms()
    report = _report(terms, {"SL1": _series("2026-01", "X+0+")}, "2026-01", "2026-04")
    assert all(entry.earnbacks == () for entry in report.months)
    assert report.pending_earnbacks == ()


def test_no_earnback_for_a_chronic_credit() -> None:
    terms = _terms()
    # Credits in 2026-01 (returned after 02..04 met) and 2026-06, then 07..09 met.
    statuses = {"SL1": _series("2026-01", "X++++X+++")}
    report = _report(terms, statuses, "2026-01", "2026-09")
    assert [str(line.credit_month) for line in report.month(_m("2026-04")).earnbacks] == ["2026-01"]
    # 2026-06 had a credit 5 months before it: chronic, nothing comes back in 2026-09.
    assert report.month(_m("2026-09")).earnbacks == ()
    [june] = report.month(_m("2026-06")).lines
    assert june.earnback is not None
    assert june.earnback.startswith("no earnback: the credit is chronic")
    assert "credited in 2026-01" in june.earnback
    assert report.total_net == D(4000)  # 4,000 - 4,000 + 4,000


@pytest.mark.parametrize(
    ("history", "chronic"),
    [
        # 2026-02 is 11 months before 2027-01: chronic.
        ("2026-02", True),
        # 2026-01 is 12 months before: outside the 11-month look-back.
        ("2026-01", False),
    ],
)
def test_chronic_look_back_is_window_minus_one_months(history: str, chronic: bool) -> None:
    terms = _terms()
    statuses = {"SL1": {_m(history): "missed_minimum"}}
    statuses["SL1"].update(_series("2027-01", "X+++"))
    report = _report(terms, statuses, "2027-01", "2027-04")
    returned = [line.credit_month for line in report.month(_m("2027-04")).earnbacks]
    assert returned == ([] if chronic else [_m("2027-01")])


def test_earnback_of_a_history_credit_shows_in_the_reported_month() -> None:
    terms = _terms()
    # The credit of 2026-01 is history; its earnback completes in 2026-04, reported.
    report = _report(terms, {"SL1": _series("2026-01", "X+++")}, "2026-03", "2026-04")
    assert [line.amount for line in report.month(_m("2026-04")).earnbacks] == [D(-4000)]
    assert report.total_net == D(-4000)


def test_pending_earnback_when_the_data_ends() -> None:
    terms = _terms()
    # Credit in 2026-05, met in 2026-06; the statuses of 2026-07 exist but are after the
    # last reported month, so they are not evaluated yet.
    statuses = {"SL1": _series("2026-05", "X++")}
    report = _report(terms, statuses, "2026-05", "2026-06")
    assert all(entry.earnbacks == () for entry in report.months)
    [pending] = report.pending_earnbacks
    assert (pending.code, pending.credit_month, pending.amount) == ("SL1", _m("2026-05"), D(4000))
    assert pending.met == (_m("2026-06"),)
    assert pending.waiting_for == (_m("2026-07"), _m("2026-08"))
    assert pending.returns_in == _m("2026-08")
    assert report.to_dict()["pending_earnbacks"] == [
        {
            "code": "SL1",
            "credit_month": "2026-05",
            "amount": "4000.00",
            "met": ["2026-06"],
            "waiting_for": ["2026-07", "2026-08"],
            "returns_in": "2026-08",
            "explanation": "The credit of 4,000.00 for SL1 in 2026-05 is returned in 2026-08 "
            "if SL1 meets its expected level in 2026-07, 2026-08 (met so far: 2026-06).",
        }
    ]


def test_without_earnback_terms_nothing_is_returned() -> None:
    terms = _terms(earnback=None)
    report = _report(terms, {"SL1": _series("2026-01", "X+++")}, "2026-01", "2026-04")
    assert all(entry.earnbacks == () for entry in report.months)
    assert report.pending_earnbacks == ()
    assert report.month(_m("2026-01")).lines[0].earnback is None


def test_fee_schedule_steps() -> None:
    terms = _terms(monthly_fees=None, fee_schedule={"2026-03": 120000, "2026-01": 100000})
    statuses = {"SL1": _series("2026-01", "+X+X")}
    report = _report(terms, statuses, "2026-01", "2026-04")
    # 2026-01, -02: 10% x 100,000 = 10,000; from 2026-03: 10% x 120,000 = 12,000.
    assert [entry.at_risk_amount for entry in report.months] == [
        D(10000),
        D(10000),
        D(12000),
        D(12000),
    ]
    # Credits: 40% x 10,000 = 4,000 in 02; 40% x 12,000 = 4,800 in 04.
    assert report.month(_m("2026-02")).lines[0].amount == D(4000)
    assert report.month(_m("2026-04")).lines[0].amount == D(4800)
    assert "(fee schedule, from 2026-03)" in report.month(_m("2026-04")).at_risk_explanation
    assert terms.fee_for(_m("2030-01")) == D(120000)


def test_fee_schedule_month_before_the_first_step() -> None:
    terms = _terms(monthly_fees=None, fee_schedule={"2026-01": 100000})
    with pytest.raises(ValueError, match="no fee for 2025-12: the fee schedule starts in 2026-01"):
        compute_credits(terms, {}, months=[_m("2025-12"), _m("2026-01")])
    # History months before the fees still count their misses for the rolling rule:
    # 2025-10, 2025-11, 2025-12 and 2026-01 make the 4th miss in 2026-01.
    statuses = {"SL2": _series("2025-10", "eeee")}
    report = _report(terms, statuses, "2026-01", "2026-01")
    assert [line.amount for line in report.month(_m("2026-01")).lines] == [D(3000)]


@pytest.mark.parametrize(
    ("rounding", "line", "net"),
    [
        # Each credit: 50% x 10,000.01 = 5,000.005; the net: 10,000.01 exactly.
        ("half_up", "5000.01", "10000.01"),
        ("half_even", "5000.00", "10000.01"),
    ],
)
def test_rounding_once_at_the_end(rounding: str, line: str, net: str) -> None:
    # Fee 100,000.10: 10% at risk = 10,000.01.
    terms = _terms(monthly_fees="100000.10", rounding=rounding, allocations={"SL1": 50, "SL2": 50})
    statuses = {code: _series("2026-01", "X") for code in ("SL1", "SL2")}
    report = _report(terms, statuses, "2026-01", "2026-01")
    entry = report.month(_m("2026-01"))
    assert [credit.amount for credit in entry.lines] == [D("5000.005"), D("5000.005")]
    data = report.to_dict()
    assert [credit["amount"] for credit in data["months"][0]["lines"]] == [line, line]
    # The net is rounded from the exact sum, not summed from rounded lines.
    assert data["months"][0]["net"] == net
    assert data["rounding"] == rounding
    assert rounding.replace("_", " ") in data["rounding_rule"]


def test_months_must_be_consecutive() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        compute_credits(_terms(), {}, months=[_m("2026-01"), _m("2026-03")])


def test_to_dict_shape() -> None:
    report = _report(_terms(), {"SL1": _series("2026-01", "X")}, "2026-01", "2026-01")
    data = report.to_dict()
    assert set(data) == {"rounding", "rounding_rule", "months", "pending_earnbacks", "total_net"}
    [month] = data["months"]
    assert set(month) == {
        "month",
        "fee",
        "at_risk_amount",
        "at_risk_explanation",
        "lines",
        "excused",
        "misses_not_credited",
        "total_before_cap",
        "cap_applied",
        "total_after_cap",
        "cap_explanation",
        "earnbacks",
        "net",
        "net_explanation",
    }
    assert month["lines"][0] == {
        "code": "SL1",
        "status": "missed_minimum",
        "trigger": "minimum",
        "allocation_percent": "40",
        "amount": "4000.00",
        "charged": "4000.00",
        "explanation": "SL1 missed its minimum in 2026-01: a minimum miss triggers a credit "
        "(it also counts as the 1st miss of expected in the 12 months 2025-02..2026-01: "
        "2026-01). Credit: 40% (level) × 10,000.00 at risk = 4,000.00.",
        "earnback": "pending: returned in 2026-04 if SL1 meets its expected level in "
        "2026-02, 2026-03, 2026-04",
    }
    assert month["at_risk_explanation"] == (
        "10% × fee 100,000.00 (monthly fees) = 10,000.00 at risk"
    )
    assert month["net_explanation"] == "4,000.00 in credits, owed to the buyer"
