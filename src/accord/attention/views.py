"""Pages of "Needs my attention": the inbox, reading notifications, e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from accord.attention import inbox, services
from accord.attention.forms import PreferenceForm
from accord.attention.models import EmailMode, Notification
from accord.core.selectors import get_for
from accord.core.views import add_form_errors, person_of

PAGE_SIZE = 20


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class InboxView(LoginRequiredMixin, View):
    """Actions, signatures and issues waiting for me, and my notifications."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = person_of(request)
        unread_only = request.GET.get("show") == "unread"
        notifications = inbox.notifications_of(user, unread_only)
        page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
        preference = services.delivery_preference_of(user)
        context = {
            "inbox": inbox.inbox_for(user),
            "page": page,
            "notifications": page.object_list,
            "unread_only": unread_only,
            "unread": inbox.notifications_of(user, unread_only=True).count(),
            "email_mode": (
                preference.get_email_display() if preference else EmailMode.IMMEDIATE.label
            ),
            "notifications_csv": f"{reverse('api:notification-list')}?format=csv",
        }
        return render(request, "attention/inbox.html", context)


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one of my notifications read (POST); ``next`` may go on to what it is about."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = person_of(request)
        notification = get_for(user, Notification, pk=pk)
        services.notification_mark_read(notification=notification, actor=user)
        return redirect(_safe_next(request, reverse("attention_inbox")))


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        count = services.notification_mark_all_read(actor=person_of(request))
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
        return redirect("attention_inbox")


class PreferencesView(LoginRequiredMixin, View):
    """How I want my notifications e-mailed."""

    def render_form(self, form: PreferenceForm) -> HttpResponse:
        context = {
            "form": form,
            "title": "E-mail preferences",
            "intro": "Accord tells you when an action is given to you, a signature is asked of "
            "you, an issue reaches a forum you sit on, and more. Choose how you want to hear "
            "of it by e-mail. The daily digest goes out once a day, in the morning.",
            "submit_label": "Save",
            "cancel_url": reverse("attention_inbox"),
        }
        return render(self.request, "attention/form.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        preference = services.delivery_preference_of(person_of(request))
        initial = {"email": preference.email if preference else EmailMode.IMMEDIATE}
        return self.render_form(PreferenceForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.delivery_preference_set(
                    email=form.cleaned_data["email"], actor=person_of(request)
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, "E-mail preference saved.")
                return redirect("attention_inbox")
        return self.render_form(form)
