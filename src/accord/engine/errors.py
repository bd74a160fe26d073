"""Errors the engine raises about its inputs.

Every problem with a calendar or schedule names its place in the document
(``hours.mon[0]``, ``service_levels[2].expected``) and its cause, so a person
can fix the file without reading the engine's code. Problems are collected and
reported together rather than one per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input document: where it is and what is wrong."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class SpecError(ValueError):
    """A calendar or schedule document is invalid.

    ``problems`` lists every problem found; ``source`` (a file name, when the
    document came from a file) prefixes the message.
    """

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(problem) for problem in self.problems]
        if self.source is not None:
            head = f"{self.source}: " if len(lines) == 1 else f"{self.source}:\n  "
            return head + "\n  ".join(lines)
        return "\n".join(lines)

    def with_source(self, source: str) -> SpecError:
        """The same problems, attributed to ``source`` (e.g. a file name)."""
        return SpecError(self.problems, source=source)


class DataError(ValueError):
    """Operational data cannot be processed (missing column, wrong type, bad value)."""
