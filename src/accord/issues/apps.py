from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "accord.issues"
    label = "issues"
    verbose_name = "Issues and escalation"
