"""Pages for relationship notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from accord.core.choices import Action, Visibility
from accord.core.selectors import permits
from accord.core.views import (
    ConfirmDeleteView,
    ObjectAuditView,
    RestrictedObjectMixin,
    add_form_errors,
    person_of,
)
from accord.core.visibility import can
from accord.notes import services
from accord.notes.forms import NoteForm
from accord.notes.models import Note
from accord.parties.models import Relationship


class NoteListView(RestrictedObjectMixin, View):
    """The notes of a relationship, filterable by visibility (htmx swaps only the rows)."""

    model = Relationship

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship = self.get_object()
        notes = Note.objects.restrict(person_of(request)).filter(relationship=relationship)
        chosen = request.GET.get("visibility", "")
        if chosen in Visibility.values:
            notes = notes.filter(visibility=chosen)
        context = {
            "relationship": relationship,
            "notes": notes.select_related("created_by"),
            "chosen": chosen,
            "visibilities": Visibility.choices_for_side(
                relationship.side_of(person_of(request)) or ""
            ),
            "can_add_note": can(person_of(request), Action.ADD, relationship),
        }
        template = "notes/note_rows.html" if request.htmx else "notes/note_list.html"  # type: ignore[attr-defined]
        return render(request, template, context)


class NoteAddView(RestrictedObjectMixin, View):
    model = Relationship

    def render_form(self, form: NoteForm, relationship: Relationship) -> HttpResponse:
        context = {
            "form": form,
            "title": f"New note on {relationship}",
            "submit_label": "Add note",
            "cancel_url": relationship.get_absolute_url(),
        }
        return render(self.request, "core/form.html", context)

    def get_permitted(self) -> tuple[Relationship, str]:
        relationship = self.get_object()
        side = relationship.side_of(person_of(self.request))
        if side is None or not can(person_of(self.request), Action.ADD, relationship):
            raise PermissionDenied("Your role does not allow adding notes.")
        return relationship, side

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, side = self.get_permitted()
        return self.render_form(NoteForm(side=side), relationship)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        relationship, side = self.get_permitted()
        form = NoteForm(request.POST, side=side)
        if form.is_valid():
            try:
                note = services.note_create(
                    relationship=relationship, actor=person_of(request), **form.cleaned_data
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Note added.")
                return redirect(note)
        return self.render_form(form, relationship)


class NoteDetailView(RestrictedObjectMixin, View):
    model = Note

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = self.get_object()
        user = person_of(request)
        context = {
            "note": note,
            "can_change": permits(user, Action.CHANGE, note),
            "can_delete": permits(user, Action.DELETE, note),
        }
        return render(request, "notes/note_detail.html", context)


class NoteEditView(RestrictedObjectMixin, View):
    model = Note
    action = Action.CHANGE

    def render_form(self, form: NoteForm, note: Note) -> HttpResponse:
        context = {"form": form, "title": f"Edit “{note}”", "cancel_url": note.get_absolute_url()}
        return render(self.request, "core/form.html", context)

    def side(self, note: Note) -> str:
        return note.relationship.side_of(person_of(self.request)) or ""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = self.get_object()
        initial = {
            "title": note.title,
            "body": note.body,
            "visibility": note.visibility,
            "contractual_dispute": note.contractual_dispute,
        }
        return self.render_form(NoteForm(initial=initial, side=self.side(note)), note)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = self.get_object()
        form = NoteForm(request.POST, side=self.side(note))
        if form.is_valid():
            try:
                services.note_update(note=note, actor=person_of(request), **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "Note saved.")
                return redirect(note)
        return self.render_form(form, note)


class NoteDeleteView(ConfirmDeleteView):
    model = Note
    deleted_message = "Note deleted."

    def perform_delete(self, obj: Note, actor: Any) -> None:
        services.note_delete(note=obj, actor=actor)


class NoteAuditView(ObjectAuditView):
    model = Note
