from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "accord.parties"
    label = "parties"
    verbose_name = "Organisations, people and relationships"
