"""``accord send_digest``: e-mail every pending daily digest now (safe to repeat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accord.attention.digest import send_digests


class Command(BaseCommand):
    help = (
        "E-mail each person who chose a daily digest the notifications not yet e-mailed, "
        "then mark them e-mailed. Running it again sends nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-due",
            action="store_true",
            help="Only people whose digest is due today (after ACCORD_DIGEST_HOUR, none sent yet).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_digests(only_due=options["if_due"])
        self.stdout.write(
            f"Daily digest: {report.sent} e-mail{'s' if report.sent != 1 else ''} sent, "
            f"{report.notifications} notification{'s' if report.notifications != 1 else ''} "
            "listed."
        )
