"""Forms of change requests and scope questions: they parse; the services decide.

The choices they offer (scope items, change requests) are querysets the
views restrict to what the person may see on this relationship.
"""

from __future__ import annotations

from typing import Any

from django import forms

from accord.contracts.changes import KIND_FIELDS
from accord.contracts.models import ChangeKind, ChangeRequest, ScopeQuestion, ScopeStatus

MONTH_ATTRS = {
    "placeholder": "YYYY-MM",
    "pattern": r"\d{4}-\d{2}",
    "inputmode": "numeric",
    "autocomplete": "off",
}
# The fields shown for every kind, in order; each kind's own follow in a group of their own.
COMMON_FIELDS = (
    "title", "kind", "rationale", "impact_cost", "impact_service_levels", "impact_people",
    "scope_items",
)  # fmt: skip
KIND_LEGENDS: dict[str, str] = {
    ChangeKind.SCOPE: "Scope: what approval changes in the register",
    ChangeKind.SERVICE_LEVEL: "Service levels: the schedule approval puts in force",
    ChangeKind.PRICE: "Price: the new monthly fee",
    ChangeKind.TERM: "Term: the contract's new end date",
}


class ScopeItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_status_display().lower()})"


class ScopeItemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.get_status_display().lower()})"


class ChangeRequestForm(forms.Form):
    """A change request: what it is, why, its impact, and what approval will apply."""

    title = forms.CharField(max_length=200, help_text="A few words both sides will recognise.")
    kind = forms.ChoiceField(
        choices=ChangeKind.choices,
        widget=forms.RadioSelect,
        label="What the change is about",
        initial=ChangeKind.SCOPE,
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What changed in either side's world that calls for this change.",
    )
    impact_cost = forms.DecimalField(
        required=False,
        max_digits=14,
        decimal_places=2,
        label="Impact on yearly cost",
        help_text="The change in yearly cost, in the contract's currency (negative for a saving).",
    )
    impact_service_levels = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Impact on service levels",
        help_text="Which service levels move, and how.",
    )
    impact_people = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Impact on people",
        help_text="Staffing, skills, the people of either side the change affects.",
    )
    scope_items = ScopeItemsField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Scope items it touches",
    )
    scope_item = ScopeItemChoiceField(
        queryset=None,
        required=False,
        label="Item to change",
        empty_label="— none: add a new item to the register —",
    )
    new_scope_status = forms.ChoiceField(
        required=False,
        choices=[("", "— keep the item's status —"), *ScopeStatus.choices],
        label="Status once approved",
    )
    new_scope_title = forms.CharField(
        required=False,
        max_length=200,
        label="Title once approved",
        help_text="Required for a new item; for an existing one, empty keeps its title.",
    )
    new_scope_description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Description once approved",
        help_text="What is (or is not) included; for an existing item, empty keeps its text.",
    )
    schedule_document = forms.CharField(
        required=False,
        strip=False,
        label="Schedule once approved (YAML)",
        widget=forms.Textarea(
            attrs={"rows": 20, "spellcheck": "false", "wrap": "off", "class": "mono"}
        ),
        help_text="The whole schedule; it is checked now as a schedule upload is.",
    )
    new_monthly_fee = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, label="New monthly fee"
    )
    new_fee_from = forms.CharField(
        required=False,
        max_length=7,
        label="From month",
        widget=forms.TextInput(attrs=MONTH_ATTRS),
        help_text="YYYY-MM: the first month at the new fee (earlier months keep theirs). "
        "Empty replaces the one monthly fee.",
    )
    new_end_date = forms.DateField(
        required=False,
        label="New end date",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, scope_items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("scope_items", "scope_item"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = scope_items

    @classmethod
    def initial_for(cls, change: ChangeRequest) -> dict[str, Any]:
        names = [n for n in COMMON_FIELDS if n != "scope_items"]
        initial = {name: getattr(change, name) for name in names}
        for fields in KIND_FIELDS.values():
            for name in fields:
                initial[name] = getattr(change, name)
        initial["scope_item"] = change.scope_item_id
        initial["scope_items"] = [item.pk for item in change.scope_items.all()]
        return initial

    def groups(self) -> list[dict[str, Any]]:
        """Each kind's own fields, for the template's fieldsets."""
        return [
            {"kind": kind, "legend": KIND_LEGENDS[kind], "fields": [self[n] for n in names]}
            for kind, names in KIND_FIELDS.items()
        ]

    def common(self) -> list[Any]:
        return [self[name] for name in COMMON_FIELDS]


class ChangeDeclineForm(forms.Form):
    note = forms.CharField(
        label="Why decline?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The side that proposed it sees this note.",
        error_messages={"required": "Say why the change is declined."},
    )


class ScopeQuestionForm(forms.Form):
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is, or is not, in scope? Name the service and the situation.",
    )


class ChangeRequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title} ({obj.get_status_display().lower()})"


class ScopeQuestionResolveForm(forms.Form):
    """The answer: in scope (resting on an in-scope item), out of scope, or to be determined."""

    resolution = forms.ChoiceField(
        choices=ScopeStatus.choices, widget=forms.RadioSelect, label="The answer is"
    )
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The answer in words, and the clause or fact it rests on.",
    )
    scope_item = ScopeItemChoiceField(
        queryset=None,
        required=False,
        label="Register entry it rests on",
        empty_label="— none —",
        help_text="Required for “in scope”: the in-scope item that covers it.",
    )
    change_request = ChangeRequestChoiceField(
        queryset=None,
        required=False,
        label="Change request that follows",
        empty_label="— none yet —",
        help_text="For “out of scope”: the change request that would bring it in. You may "
        "also raise one from the question once it is answered.",
    )

    def __init__(self, *args: Any, scope_items: Any, change_requests: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item_field = self.fields["scope_item"]
        change_field = self.fields["change_request"]
        assert isinstance(item_field, forms.ModelChoiceField)
        assert isinstance(change_field, forms.ModelChoiceField)
        item_field.queryset = scope_items
        change_field.queryset = change_requests

    @classmethod
    def initial_for(cls, question: ScopeQuestion) -> dict[str, Any]:
        return {"scope_item": question.scope_item_id, "change_request": question.change_request_id}
