"""Small helpers shared by the document readers (calendars, schedules)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from accord.engine.errors import Problem, SpecError


def at(place: str, key: str | int) -> str:
    """The place of ``key`` inside ``place``: ``a.b`` for keys, ``a[3]`` for indexes."""
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def kind(value: object) -> str:
    """How a value reads in an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r} ({type(value).__name__})"


def unknown_keys(
    data: Mapping[Any, Any], allowed: Iterable[str], place: str, problems: list[Problem]
) -> None:
    """Report every key of ``data`` not in ``allowed``."""
    names = sorted(allowed)
    for key in data:
        if key not in names:
            problems.append(
                Problem(at(place, str(key)), f"unknown key (expected one of: {', '.join(names)})")
            )


def parse_date(value: object) -> dt.date | None:
    """A date from YAML (a date, or ISO text); None if it is not one."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def parse_decimal(value: object) -> decimal.Decimal | None:
    """A finite decimal from YAML (int, float written in the file, or text); None if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return decimal.Decimal(value)
    if isinstance(value, float):
        # str() gives the digits as written in the file (0.1 -> "0.1"), not the binary value.
        value = str(value)
    if isinstance(value, str):
        try:
            number = decimal.Decimal(value.strip().replace(",", "").replace("_", ""))
        except decimal.InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def parse_yaml(text: str) -> object:
    """The document in YAML ``text``; invalid YAML is a :class:`SpecError` naming the line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise SpecError([Problem(where, f"not valid YAML: {exc}")]) from exc


def read_text(path: Path) -> str:
    """A document file's text; an unreadable file is a :class:`SpecError` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([Problem("", f"cannot read the file: {exc.strerror}")], str(path)) from exc
