from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "accord.notes"
    label = "notes"
    verbose_name = "Relationship notes"
