"""Relationship notes: the first record under the visibility rule."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from accord.core.models import RelationshipRecord


class Note(RelationshipRecord):
    """A note on a relationship, in Markdown, kept joint or private to one side."""

    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown. HTML is removed.")
    contractual_dispute = models.BooleanField(
        "cites the contract's letter", default=False,
        help_text="Push-back citing contractual constraints (feeds a warning sign).",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("note_detail", kwargs={"pk": self.pk})
