"""URLs: the buyer's credit forecasts and the provider's cost-of-quality notes."""

from __future__ import annotations

from django.urls import path

from accord.performance.views import private as views

urlpatterns = [
    path(
        "relationships/<int:pk>/forecasts/", views.ForecastListView.as_view(), name="forecast_list"
    ),
    path(
        "relationships/<int:pk>/forecasts/add/",
        views.ForecastAddView.as_view(),
        name="forecast_add",
    ),
    path("forecasts/<int:pk>/", views.ForecastDetailView.as_view(), name="forecast_detail"),
    path("forecasts/<int:pk>/delete/", views.ForecastDeleteView.as_view(), name="forecast_delete"),
    path("forecasts/<int:pk>/audit/", views.ForecastAuditView.as_view(), name="forecast_audit"),
    path(
        "relationships/<int:pk>/cost-notes/",
        views.CostNoteListView.as_view(),
        name="cost_note_list",
    ),
    path(
        "relationships/<int:pk>/cost-notes/add/",
        views.CostNoteAddView.as_view(),
        name="cost_note_add",
    ),
    path("cost-notes/<int:pk>/", views.CostNoteDetailView.as_view(), name="cost_note_detail"),
    path("cost-notes/<int:pk>/edit/", views.CostNoteEditView.as_view(), name="cost_note_edit"),
    path(
        "cost-notes/<int:pk>/delete/", views.CostNoteDeleteView.as_view(), name="cost_note_delete"
    ),
    path("cost-notes/<int:pk>/audit/", views.CostNoteAuditView.as_view(), name="cost_note_audit"),
]
