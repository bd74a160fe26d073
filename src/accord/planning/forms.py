"""Forms of the joint plan: the plan, an objective, a checkpoint, the year-end review.

Every choice of people or service levels comes from a restricted queryset the
view hands in; the services check the rules again.
"""

from __future__ import annotations

from typing import Any

from django import forms

from accord.performance.focus import LevelFocus
from accord.planning.models import (
    CheckpointStatus,
    LinkedFigure,
    Objective,
    ObjectiveStatus,
)
from accord.planning.services import CARRY, CLOSE

DATE_ATTRS = {"type": "date"}
TEXT_ROWS = {"rows": 3}


class PlanForm(forms.Form):
    """The plan's own texts (the year is fixed once the plan exists)."""

    year = forms.IntegerField(min_value=2000, max_value=2100)
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="Leave empty for “Joint plan <year>” (or “Relationship launch <year>”).",
    )
    is_launch = forms.BooleanField(
        required=False,
        label="This is the relationship launch",
        help_text="The first planning session of the relationship rather than an annual one.",
    )
    session_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs=DATE_ATTRS), help_text="When both teams met."
    )
    buyer_drivers = forms.CharField(
        required=False,
        label="What drives the buyer this year",
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    provider_drivers = forms.CharField(
        required=False,
        label="What drives the provider this year",
        widget=forms.Textarea(attrs=TEXT_ROWS),
    )
    changes_past_year = forms.CharField(
        required=False,
        label="What changed in the past year",
        widget=forms.Textarea(attrs=TEXT_ROWS),
        help_text="In either side's world: new regulation, budgets, people, technology…",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = f", {obj.job_title}" if obj.job_title else ""
        return f"{obj}{title} ({obj.organisation})"


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class ObjectiveForm(forms.Form):
    """An objective's definition: what both executives sign."""

    statement = forms.CharField(
        widget=forms.Textarea(attrs=TEXT_ROWS),
        help_text=(
            "If nothing else happens, what must we accomplish this year to call it a success?"
        ),
    )
    success_measure = forms.CharField(
        widget=forms.Textarea(attrs=TEXT_ROWS),
        help_text="How both sides will know it was achieved.",
    )
    focus = forms.ChoiceField(
        choices=LevelFocus.choices,
        initial=LevelFocus.OTHER,
        help_text="What the objective is about (a plan only about cost and efficiency is a "
        "warning sign).",
    )
    linked_figure = forms.ChoiceField(
        choices=LinkedFigure.choices,
        required=False,
        label="Measure read by itself from",
        help_text="Progress then shows the latest figure against the target value.",
    )
    service_level = LevelChoiceField(
        queryset=None,
        required=False,
        help_text="A service level of this relationship's contract (for a linked service level).",
    )
    target_value = forms.DecimalField(
        required=False,
        max_digits=12,
        decimal_places=3,
        help_text=(
            "The figure that counts as success (in the level's unit, or 0-100 for the index)."
        ),
    )
    buyer_owner = PersonChoiceField(queryset=None, label="Owner on the buyer's side")
    provider_owner = PersonChoiceField(queryset=None, label="Owner on the provider's side")
    target_date = forms.DateField(widget=forms.DateInput(attrs=DATE_ATTRS))
    checkpoints = forms.BooleanField(
        required=False,
        initial=True,
        label="Create quarterly checkpoints up to the target date",
    )

    def __init__(
        self, *args: Any, buyers: Any, providers: Any, levels: Any, adding: bool = True, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        for name, queryset in (
            ("buyer_owner", buyers),
            ("provider_owner", providers),
            ("service_level", levels),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        if not adding:
            del self.fields["checkpoints"]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("checkpoints", None)
        data["linked_figure"] = data.get("linked_figure") or ""
        return data

    @staticmethod
    def initial_of(objective: Objective) -> dict[str, Any]:
        return {
            "statement": objective.statement,
            "success_measure": objective.success_measure,
            "focus": objective.focus,
            "linked_figure": objective.linked_figure,
            "service_level": objective.service_level_id,
            "target_value": objective.target_value,
            "buyer_owner": objective.buyer_owner_id,
            "provider_owner": objective.provider_owner_id,
            "target_date": objective.target_date,
        }


class ObjectiveStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ObjectiveStatus.choices, label="Status")


class CheckpointForm(forms.Form):
    """The status both sides agree, and the commentary of the person's own side."""

    status = forms.ChoiceField(choices=CheckpointStatus.choices)
    commentary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, side: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commentary"].label = f"The {side}'s commentary"
        self.fields[
            "commentary"
        ].help_text = (
            f"Your side's view; the other side writes its own. Only the {side} side edits this."
        )


DECISION_CHOICES = [(CARRY, "Carry it forward into next year"), (CLOSE, "Close it")]


class ReviewForm(forms.Form):
    """One explicit decision (carry forward or close) per unfinished objective, and a note."""

    def __init__(self, *args: Any, objectives: list[Objective], year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        for objective in objectives:
            self.fields[f"objective_{objective.pk}"] = forms.ChoiceField(
                label=objective.statement,
                choices=[(CARRY, f"Carry it forward into {year + 1}"), (CLOSE, "Close it")],
                widget=forms.RadioSelect,
                required=False,  # the service names what is missing
            )
            self.fields[f"note_{objective.pk}"] = forms.CharField(
                label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def rows(self) -> list[tuple[Objective, Any, Any]]:
        return [(o, self[f"objective_{o.pk}"], self[f"note_{o.pk}"]) for o in self.objectives]

    def decisions(self) -> dict[int, str]:
        data = self.cleaned_data
        return {o.pk: data.get(f"objective_{o.pk}") or "" for o in self.objectives}

    def notes(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data.get(f"note_{o.pk}") or "" for o in self.objectives}
