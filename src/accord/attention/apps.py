from django.apps import AppConfig


class AttentionConfig(AppConfig):
    name = "accord.attention"
    label = "attention"
    verbose_name = "Needs my attention"
