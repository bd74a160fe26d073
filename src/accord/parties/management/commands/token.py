"""``accord token create USERNAME [--name NAME]``: print a new personal API token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.parties.models import User
from accord.parties.services import token_create


class Command(BaseCommand):
    help = "Create a personal API token for a person and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active person with user name {options['username']!r}.")
        _token, key = token_create(user=user, name=options["name"], actor=None)
        self.stdout.write(key)
