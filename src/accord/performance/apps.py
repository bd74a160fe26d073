from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "accord.performance"
    label = "performance"
    verbose_name = "Service levels, scorecards and credits"

    def ready(self) -> None:
        from accord.core.tasks import on_worker_start
        from accord.performance.imports import fail_interrupted_imports

        on_worker_start(fail_interrupted_imports)
