from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "accord.health"
    label = "health"
    verbose_name = "Relationship health"

    def ready(self) -> None:
        # Inputs in other apps (scorecard runs, notes) ask for a refresh through signals.
        from accord.health import signals  # noqa: F401
