from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "accord.governance"
    label = "governance"
    verbose_name = "Governance forums and meetings"
