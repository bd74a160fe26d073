import datetime

from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "accord.issues"
    label = "issues"
    verbose_name = "Issues and escalation"

    def ready(self) -> None:
        from accord.core import ticker
        from accord.issues.clock import escalate_due

        # The escalation clock runs every five minutes in the web process
        # (``accord escalate_issues`` does the same from cron).
        ticker.register("issues.escalate", datetime.timedelta(minutes=5), escalate_due)
