from django.apps import AppConfig


class AttentionConfig(AppConfig):
    name = "accord.attention"
    label = "attention"
    verbose_name = "Needs my attention"

    def ready(self) -> None:
        from accord.attention.digest import DIGEST_EVERY, digest_job
        from accord.core import ticker

        # Hourly; each person's digest goes out once a day after ACCORD_DIGEST_HOUR.
        ticker.register("attention.daily_digest", DIGEST_EVERY, digest_job)
