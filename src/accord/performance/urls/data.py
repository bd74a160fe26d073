"""URLs: operational data (sources, uploads, imports)."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.performance.views import data as views

urlpatterns: list[URLPattern] = [
    path("relationships/<int:pk>/data/", views.DataOverviewView.as_view(), name="data_overview"),
    path("sources/<int:pk>/import/", views.ImportAddView.as_view(), name="import_add"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/delete/", views.ImportDeleteView.as_view(), name="import_delete"),
]
