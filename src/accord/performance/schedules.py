"""From a schedule document (the engine's YAML) and a contract to a validated engine schedule.

The contract is the authority for the commercial terms (currency, fees,
at-risk and pool %) and the time zone: they are put into the document handed
to the engine. A document may state them too (an engine example file does),
but only with the contract's values; a different value is an error on its
line, so there is never a doubt which number counts.

Calendars are inline mappings, or names from the calendar library shipped
with Accord (``calendars/*.yaml`` next to this module); a file path from an
uploaded document is never opened, only its name looked up in the library.
"""

from __future__ import annotations

import decimal
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from accord.engine._spec import parse_yaml
from accord.engine.errors import Problem, SpecError
from accord.engine.schedule import Schedule

if TYPE_CHECKING:
    from accord.contracts.models import Contract

CALENDAR_LIBRARY = Path(__file__).parent / "calendars"
_PLACE_PART = r"[^.\[\]]+|\[\d+\]"


@dataclass(frozen=True)
class LineProblem:
    """A problem in a schedule document, with the line it is on (None if unknown)."""

    place: str
    message: str
    line: int | None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        place = f"{self.place}: " if self.place else ""
        return f"{where}{place}{self.message}"


class ScheduleInvalid(Exception):
    """The document is not a valid schedule for this contract; ``problems`` say where."""

    def __init__(self, problems: list[LineProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def document_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def library_calendars() -> list[str]:
    """Names of the calendars shipped with Accord."""
    return sorted(path.stem for path in CALENDAR_LIBRARY.glob("*.yaml"))


def _place_parts(place: str) -> list[str | int]:
    parts: list[str | int] = []
    for chunk in place.replace("[", ".[").split("."):
        if not chunk:
            continue
        if chunk.startswith("[") and chunk.endswith("]") and chunk[1:-1].isdigit():
            parts.append(int(chunk[1:-1]))
        else:
            parts.append(chunk)
    return parts


def line_of(text: str, place: str) -> int | None:
    """The 1-based line of ``place`` (``service_levels[2].expected``) in YAML ``text``.

    Walks the composed YAML nodes as far as the place goes; a place that does
    not exist in the text (a required key left out) gets its parent's line.
    """
    if place.startswith("line "):
        number = place.split()[1]
        return int(number) if number.isdigit() else None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in _place_parts(place):
        child = None
        if isinstance(part, int) and isinstance(node, yaml.SequenceNode):
            if part < len(node.value):
                child = node.value[part]
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    child = value
                    line = key.start_mark.line + 1
                    break
        if child is None:
            break
        node = child
        if not isinstance(node, yaml.MappingNode | yaml.SequenceNode) or isinstance(part, int):
            line = node.start_mark.line + 1
    return line


def _contract_terms(contract: Contract) -> dict[str, Any]:
    """The keys the contract decides, as the engine's document states them."""
    return {
        "timezone": contract.timezone,
        "currency": contract.currency,
        "credits": {
            **contract.fee_terms(),
            # 12, not 12.000: the terms read as the contract states them.
            "at_risk_percent": f"{decimal.Decimal(contract.at_risk_percent).normalize():f}",
            "pool_percent": f"{decimal.Decimal(contract.pool_percent).normalize():f}",
        },
    }


def _same(stated: Any, decided: Any) -> bool:
    if isinstance(decided, dict):
        if not isinstance(stated, dict) or set(map(str, stated)) != set(decided):
            return False
        return all(_same(stated[k], decided[str(k)]) for k in stated)
    try:
        return decimal.Decimal(str(stated)) == decimal.Decimal(str(decided))
    except decimal.InvalidOperation:
        return str(stated) == str(decided)


def _check_against_contract(
    document: dict[str, Any], contract: Contract, problems: list[Problem]
) -> None:
    terms = _contract_terms(contract)
    for key in ("timezone", "currency"):
        if key in document and not _same(document[key], terms[key]):
            problems.append(
                Problem(
                    key,
                    f"is {document[key]!r} here but {terms[key]!r} on the contract; "
                    "change it on the contract, or leave it out of the schedule",
                )
            )
    credits = document.get("credits")
    if not isinstance(credits, dict):
        return
    fee_keys = {"monthly_fees", "fee_schedule", "at_risk_percent", "pool_percent"}
    for key in sorted(fee_keys & set(credits)):
        decided = terms["credits"].get(key)
        if decided is None or not _same(credits[key], decided):
            on_contract = "not used" if decided is None else repr(decided)
            problems.append(
                Problem(
                    f"credits.{key}",
                    f"is {credits[key]!r} here but {on_contract} on the contract; "
                    "the contract's commercial terms decide (leave it out of the schedule)",
                )
            )


def _resolve_calendars(document: dict[str, Any], problems: list[Problem]) -> None:
    """Replace calendar names with library files; refuse anything else given as text.

    A name outside the library is reported, and a stand-in (the round-the-clock
    library calendar) takes its place so that the rest of the document is still
    checked: the person sees every problem at once, not one per attempt.
    """
    calendars = document.get("calendars")
    if not isinstance(calendars, dict):
        return
    known = library_calendars()
    for name, spec in calendars.items():
        if not isinstance(spec, str):
            continue
        stem = Path(spec).name.removesuffix(".yaml").removesuffix(".yml")
        if stem in known:
            calendars[name] = str(CALENDAR_LIBRARY / f"{stem}.yaml")
        else:
            problems.append(
                Problem(
                    f"calendars.{name}",
                    f"no calendar {spec!r} in Accord's library ({', '.join(known)}); "
                    "name one of those, or define the calendar here (name, timezone, hours, "
                    "holidays)",
                )
            )
            calendars[name] = str(CALENDAR_LIBRARY / f"{STAND_IN_CALENDAR}.yaml")


STAND_IN_CALENDAR = "always-on"


def _prepared(contract: Contract, text: str) -> tuple[dict[str, Any], list[Problem]]:
    """``text`` parsed, with the contract's terms put in, and the problems found so far.

    Terms that differ from the contract's and calendars outside the library are
    problems; the document is still completed (the contract's values, a
    stand-in calendar) so that the engine can check everything else too.
    """
    try:
        document = parse_yaml(text)
    except SpecError as exc:
        raise _with_lines(text, exc.problems) from None
    if not isinstance(document, dict):
        raise ScheduleInvalid([LineProblem("", "a schedule is a mapping of keys", 1)])
    problems: list[Problem] = []
    _check_against_contract(document, contract, problems)
    _resolve_calendars(document, problems)
    terms = _contract_terms(contract)
    document.setdefault("contract", f"{contract.reference} {contract.title}")
    document["timezone"] = terms["timezone"]
    document["currency"] = terms["currency"]
    if isinstance(document.get("credits"), dict):
        # The contract's fees replace whichever form the document used.
        credits = {
            key: value
            for key, value in document["credits"].items()
            if key not in ("monthly_fees", "fee_schedule")
        }
        document["credits"] = {**credits, **terms["credits"]}
    return document, problems


def engine_document(contract: Contract, text: str) -> dict[str, Any]:
    """The document the engine evaluates: ``text`` with the contract's terms put in.

    Raises :class:`ScheduleInvalid` when ``text`` is not YAML, states terms
    that differ from the contract's, or names a calendar outside the library.
    """
    document, problems = _prepared(contract, text)
    if problems:
        raise _with_lines(text, problems)
    return document


def build_schedule(contract: Contract, text: str) -> Schedule:
    """The validated engine schedule of ``text`` for ``contract``, or :class:`ScheduleInvalid`.

    Every problem is reported together, in the order of the lines they are on.
    """
    document, problems = _prepared(contract, text)
    try:
        schedule = Schedule.from_dict(document, base=CALENDAR_LIBRARY)
    except SpecError as exc:
        problems.extend(exc.problems)
    else:
        problems.extend(_too_long(schedule))
    if problems:
        raise _with_lines(text, problems)
    return schedule


# The longest text the app keeps for each name the schedule gives (database columns).
LIMITS = {"code": 40, "name": 200, "unit": 30, "source": 64, "column": 64, "calendar": 64}


def _too_long(schedule: Schedule) -> list[Problem]:
    """Names the engine accepts but the app's records cannot hold, each named by its place."""
    problems = []

    def check(place: str, what: str, value: str | None) -> None:
        if value and len(value) > LIMITS[what]:
            problems.append(Problem(place, f"is {len(value)} characters; at most {LIMITS[what]}"))

    for name, source in schedule.sources.items():
        check(f"sources.{name}", "source", name)
        for column in source.columns:
            check(f"sources.{name}.columns.{column}", "column", column)
    for index, level in enumerate(schedule.service_levels):
        place = f"service_levels[{index}]"
        check(f"{place}.code", "code", level.code)
        check(f"{place}.name", "name", level.name)
        check(f"{place}.unit", "unit", level.unit)
        check(f"{place}.calendar", "calendar", level.calendar)
    return problems


_YAML_SOURCE = re.compile(r'\s*in "<unicode string>", line \d+, column \d+:?')


def _with_lines(text: str, problems: tuple[Problem, ...] | list[Problem]) -> ScheduleInvalid:
    found = []
    for problem in problems:
        line = line_of(text, problem.place)
        place = problem.place
        message = problem.message
        if place.startswith("line "):
            # A YAML syntax error: the place is only its line, said once by LineProblem.
            place = ""
            message = _YAML_SOURCE.sub("", message)
        found.append(LineProblem(place, message, line))
    found.sort(key=lambda p: p.line or 0)
    return ScheduleInvalid(found)


def set_level_fields(text: str, code: str, changes: dict[str, Any]) -> str:
    """``text`` with level ``code``'s top-level fields changed (None removes a field).

    The document is re-written from its parsed form, so its comments are lost;
    the version history keeps every earlier text as written.
    """
    document = parse_yaml(text)
    if not isinstance(document, dict):
        raise ScheduleInvalid([LineProblem("", "a schedule is a mapping of keys", 1)])
    for level in document.get("service_levels") or []:
        if isinstance(level, dict) and level.get("code") == code:
            for key, value in changes.items():
                if value is None:
                    level.pop(key, None)
                else:
                    level[key] = value
            break
    else:
        raise KeyError(code)
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def level_allocation(text: str, code: str) -> decimal.Decimal | None:
    """Level ``code``'s own allocation % as ``text`` states it (before any category %)."""
    try:
        document = parse_yaml(text)
    except SpecError:
        return None
    credits = document.get("credits") if isinstance(document, dict) else None
    allocations = credits.get("allocations") if isinstance(credits, dict) else None
    if not isinstance(allocations, dict) or code not in allocations:
        return None
    spec = allocations[code]
    raw = spec.get("percent") if isinstance(spec, dict) else spec
    try:
        return decimal.Decimal(str(raw))
    except decimal.InvalidOperation:
        return None


def set_allocation(text: str, code: str, percent: decimal.Decimal | None) -> str:
    """``text`` with the credit allocation of level ``code`` set (None removes it)."""
    document = parse_yaml(text)
    assert isinstance(document, dict)
    if percent is None and not isinstance(document.get("credits"), dict):
        return text  # nothing to remove
    credits = document.setdefault("credits", {})
    allocations = credits.setdefault("allocations", {})
    current = allocations.get(code)
    if percent is None:
        allocations.pop(code, None)
    elif isinstance(current, dict):
        current["percent"] = plain_number(percent)
    else:
        allocations[code] = plain_number(percent)
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def plain_number(number: decimal.Decimal) -> int | float:
    """A decimal as YAML writes it plainly (the engine reads it back exactly)."""
    return int(number) if number == number.to_integral_value() else float(number)
