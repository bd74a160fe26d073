"""``accord load_demo``: load the demo world (idempotent) and print the sign-ins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accord.attention.notify import quiet
from accord.contracts.change_demo import load_changes_demo
from accord.governance.demo import load_governance_demo
from accord.health.demo import load_health_demo
from accord.health.refresh import refreshes_deferred
from accord.issues.demo import load_issues_demo
from accord.parties.demo import DEMO_PASSWORD, load_demo, sign_in_table
from accord.performance.demo import load_performance_demo, tasks_inline
from accord.planning.demo import load_planning_demo


class Command(BaseCommand):
    help = (
        "Load the demo organisations, people, relationships, notes, contracts, schedules and "
        "a year of operational data, surveys, warning signs and the health index (safe to repeat)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        self.stdout.write(
            f"Demo data: {summary.created} records created, {summary.existing} already there."
        )
        # Contracts, schedules, a year of operational data, scorecards and credits.
        performance = load_performance_demo(stdout=self.stdout)
        self.stdout.write(
            f"Demo performance data: {performance.created} records created, "
            f"{performance.existing} already there."
        )
        # The ways of working (before health: meetings, objectives and issues feed the signs).
        # Health is refreshed once at the end of the health demo, not once per record.
        created = 0
        # Nobody is e-mailed about the demo's history; the inboxes still show it.
        with tasks_inline(), refreshes_deferred() as pending, quiet("inbox"):
            for label, loader in (
                ("joint plans", load_planning_demo),
                ("forums, meetings and actions", load_governance_demo),
                ("issues", load_issues_demo),
                ("change requests and scope questions", load_changes_demo),
            ):
                self.stdout.write(f"Loading demo {label}...")
                created += loader()
            pending.clear()
        self.stdout.write(f"Demo plans, governance, issues and changes: {created} records created.")
        # Surveys, warning-sign inputs, the introspection, then signs and index to 2026-10.
        health = load_health_demo(stdout=self.stdout)
        self.stdout.write(
            f"Demo health data: {health.created} records created, {health.existing} already there."
        )
        self.stdout.write("\nSign in at http://127.0.0.1:8000/ as any of these people")
        self.stdout.write(f"(password for all: {DEMO_PASSWORD}):\n")
        for username, organisation, roles in sign_in_table():
            self.stdout.write(f"  {username:<18} {organisation:<32} {roles}")
        self.stdout.write("")
