"""The ``accord`` command: Django's management commands plus ``accord engine``.

``accord engine ...`` runs the pure computation engine without loading Django;
everything else is a management command (``accord migrate``, ``accord
load_demo``, ``accord audit verify``, ``accord token create``...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "engine":
        from accord.engine.cli import main as engine_main

        sys.exit(engine_main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
