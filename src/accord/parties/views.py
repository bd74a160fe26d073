"""Pages for the portfolio, relationships, roles, organisation admin and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from accord.core.choices import Action
from accord.core.models import AuditEntry
from accord.core.views import RestrictedObjectMixin, add_form_errors, audit_page, person_of
from accord.core.visibility import can
from accord.notes.models import Note
from accord.parties import services
from accord.parties.forms import PersonEditForm, PersonForm, RoleForm, TokenForm
from accord.parties.models import ApiToken, Relationship, Role, User


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """My relationships, with my side and role on each."""
    user = person_of(request)
    relationships = (
        Relationship.objects.restrict(user)
        .select_related("buyer", "provider")
        .prefetch_related(Prefetch("roles", Role.objects.filter(person_id=user.pk), "my_roles"))
    )
    rows = [
        {
            "relationship": r,
            "side": r.side_of(user),
            "counterparty": r.provider if r.buyer_id == user.organisation_id else r.buyer,
            "role": r.my_roles[0].get_role_display() if r.my_roles else "Organisation admin",
        }
        for r in relationships
    ]
    return render(request, "parties/portfolio.html", {"rows": rows})


class RelationshipDetailView(RestrictedObjectMixin, View):
    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        user = person_of(request)
        side = relationship.side_of(user)
        roles = Role.objects.restrict(user).filter(relationship=relationship)
        context = {
            "relationship": relationship,
            "side": side,
            "roles": roles.select_related("person__organisation"),
            "notes": Note.objects.restrict(user)
            .filter(relationship=relationship)
            .select_related("created_by")[:20],
            "can_add_note": bool(side) and can(user, Action.ADD, relationship),
            "can_manage_roles": user.is_org_admin,
            "recent_audit": AuditEntry.objects.restrict(user).filter(
                relationship_id=relationship.pk
            )[:5],
        }
        return render(request, "parties/relationship_detail.html", context)


class RelationshipAuditView(RestrictedObjectMixin, View):
    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        entries = AuditEntry.objects.restrict(person_of(request)).filter(
            relationship_id=relationship.pk
        )
        page = audit_page(request, entries)
        context = {"subject": relationship, "entries": page.object_list, "entries_page": page}
        return render(request, "core/audit_list.html", context)


class RoleAddView(RestrictedObjectMixin, View):
    """An organisation admin gives one of their people a role on the relationship."""

    model = Relationship

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not person_of(request).is_org_admin:
            self.get_object()  # 404 first when hidden
            raise PermissionDenied("Only an organisation admin assigns roles.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def render_form(self, form: RoleForm, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "title": f"Give a role on {relationship}",
            "submit_label": "Assign role",
            "cancel_url": relationship.get_absolute_url(),
        }
        return render(self.request, "core/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        return self.render_form(RoleForm(actor=person_of(request)), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        form = RoleForm(request.POST, actor=person_of(request))
        if form.is_valid():
            try:
                role = services.role_assign(
                    relationship=relationship,
                    person=form.cleaned_data["person"],
                    role=form.cleaned_data["role"],
                    actor=person_of(request),
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"{role.person} is now {role.get_role_display()}.")
                return redirect(relationship)
        return self.render_form(form, relationship)


class RoleDeleteView(RestrictedObjectMixin, View):
    model = Role
    action = Action.DELETE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        role = self.get_object()
        context = {"object": role, "cancel_url": role.relationship.get_absolute_url()}
        return render(request, "core/confirm_delete.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        role = self.get_object()
        relationship = role.relationship
        services.role_remove(role=role, actor=person_of(request))
        messages.success(request, "Role removed.")
        return redirect(relationship)


@login_required
def organisation_detail(request: HttpRequest) -> HttpResponse:
    """Your organisation: its people and relationships; admins manage people here."""
    user = person_of(request)
    if user.organisation is None:
        return render(request, "parties/no_organisation.html")
    people = User.objects.restrict(user).filter(organisation_id=user.organisation_id)
    context = {
        "organisation": user.organisation,
        "people": people,
        "relationships": Relationship.objects.restrict(user).select_related("buyer", "provider"),
        "is_admin": user.is_org_admin,
    }
    return render(request, "parties/organisation_detail.html", context)


class OrgAdminMixin(LoginRequiredMixin):
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not person_of(request).is_org_admin:
            raise PermissionDenied("Only an organisation admin may manage people.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]


class PersonAddView(OrgAdminMixin, View):
    def render_form(self, form: PersonForm) -> HttpResponse:
        context = {
            "form": form,
            "title": "Add a person",
            "submit_label": "Add person",
            "cancel_url": reverse("organisation_detail"),
        }
        return render(self.request, "core/form.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(PersonForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                person = services.person_create(
                    organisation=person_of(request).organisation,  # type: ignore[arg-type]
                    actor=person_of(request),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"{person.username} added.")
                return redirect("organisation_detail")
        return self.render_form(form)


class PersonEditView(RestrictedObjectMixin, View):
    model = User
    action = Action.CHANGE

    def render_form(self, form: PersonEditForm, person: User) -> HttpResponse:
        context = {
            "form": form,
            "title": f"Edit {person.username}",
            "cancel_url": reverse("organisation_detail"),
        }
        return render(self.request, "core/form.html", context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        initial = {name: getattr(person, name) for name in PersonEditForm.base_fields}
        return self.render_form(PersonEditForm(initial=initial), person)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        form = PersonEditForm(request.POST)
        if form.is_valid():
            try:
                services.person_update(person=person, actor=person_of(request), **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, f"{person.username} updated.")
                return redirect("organisation_detail")
        return self.render_form(form, person)


class OrganisationAuditView(OrgAdminMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        entries = AuditEntry.objects.restrict(person_of(request)).filter(
            organisation_id=person_of(request).organisation_id
        )
        page = audit_page(request, entries)
        context = {
            "subject": person_of(request).organisation,
            "entries": page.object_list,
            "entries_page": page,
        }
        return render(request, "core/audit_list.html", context)


class TokenListView(LoginRequiredMixin, View):
    """Your API tokens; a new token's key is shown once, right after it is made."""

    def render_page(self, form: TokenForm, new_key: str | None = None) -> HttpResponse:
        tokens = ApiToken.objects.restrict(person_of(self.request))
        context = {"form": form, "tokens": tokens, "new_key": new_key}
        return render(self.request, "parties/token_list.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        _token, key = services.token_create(
            user=person_of(request), name=form.cleaned_data["name"], actor=person_of(request)
        )
        return self.render_page(TokenForm(), new_key=key)


class TokenRevokeView(RestrictedObjectMixin, View):
    model = ApiToken
    action = Action.CHANGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = self.get_object()
        services.token_revoke(token=token, actor=person_of(request))
        messages.success(request, f"Token “{token.name}” revoked.")
        return redirect("token_list")
