"""The attention pages: "Needs my attention", notifications, e-mail preferences."""

from __future__ import annotations

from django.urls import path

from accord.attention import views

urlpatterns = [
    path("attention/", views.InboxView.as_view(), name="attention_inbox"),
    path(
        "attention/notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path(
        "attention/notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notification_read_all",
    ),
    path("attention/preferences/", views.PreferencesView.as_view(), name="attention_preferences"),
]
