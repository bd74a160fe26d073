"""WSGI entry point for production servers (and ``runserver``, which loads it too)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
application = get_wsgi_application()

# The periodic jobs (issue escalation clock, daily digest) run beside the web process.
from accord.core import ticker  # noqa: E402

ticker.start()
