"""Forms for people, roles and tokens. Choices come through ``restrict``."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from accord.core.choices import Action, RoleName
from accord.parties.models import User


class RoleForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), help_text="Your own people only.")
    role = forms.ChoiceField(choices=RoleName.choices)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = cast(forms.ModelChoiceField, self.fields["person"])
        people.queryset = User.objects.restrict(actor, Action.CHANGE).filter(is_active=True)


class PersonForm(forms.Form):
    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    job_title = forms.CharField(max_length=150, required=False)
    is_org_admin = forms.BooleanField(label="Organisation admin", required=False)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        help_text="Leave empty to create the account without a password for now.",
    )


class PersonEditForm(forms.Form):
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    job_title = forms.CharField(max_length=150, required=False)
    is_org_admin = forms.BooleanField(label="Organisation admin", required=False)
    is_active = forms.BooleanField(label="Active", required=False)


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'nightly export'."
    )
