"""``accord escalate_issues``: run the escalation clock once (for cron).

Safe to run as often as you like, late or twice: see :mod:`accord.issues.clock`.
The web process runs the same job every five minutes unless ``ACCORD_TICKER=off``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accord.issues.clock import escalate_due


class Command(BaseCommand):
    help = (
        "Escalate every open issue whose time at its forum has run out to the next forum "
        "(and mark those at the top of the ladder overdue). Idempotent; safe to run late."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            help="Run the clock as at this ISO moment (default: now); never later than now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        at = now
        if options.get("at"):
            try:
                at = dt.datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError(
                    "Give --at as an ISO date and time, e.g. 2026-11-23T09:00Z."
                ) from None
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
            if at > now:
                raise CommandError("--at cannot be in the future: the clock never runs ahead.")
        run = escalate_due(at)
        self.stdout.write(f"Escalation clock at {at:%Y-%m-%d %H:%M %Z}: {run}.")
        if run.failed:
            raise CommandError(f"Issues the clock could not move: {run.failed}")
