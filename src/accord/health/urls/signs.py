"""Health pages: the warning signs and their inputs (owned by the signs area)."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.health.views import inputs as input_views
from accord.health.views import signs as views


def _input_routes(kind: input_views.InputKind, plural: str, single: str) -> list[URLPattern]:
    """list/add under the relationship, detail/edit/delete/audit under the record."""
    v = input_views.views_for(kind)
    name = kind.route
    return [
        path(f"relationships/<int:pk>/health/{plural}/", v["list"], name=f"{name}_list"),
        path(f"relationships/<int:pk>/health/{plural}/add/", v["add"], name=f"{name}_add"),
        path(f"health/{single}/<int:pk>/", v["detail"], name=f"{name}_detail"),
        path(f"health/{single}/<int:pk>/edit/", v["edit"], name=f"{name}_edit"),
        path(f"health/{single}/<int:pk>/delete/", v["delete"], name=f"{name}_delete"),
        path(f"health/{single}/<int:pk>/audit/", v["audit"], name=f"{name}_audit"),
    ]


urlpatterns: list[URLPattern] = [
    path("relationships/<int:pk>/health/signs/", views.SignBoardView.as_view(), name="sign_board"),
    path(
        "relationships/<int:pk>/health/signs/readings.csv",
        views.SignReadingExportView.as_view(),
        name="sign_reading_export",
    ),
    path(
        "relationships/<int:pk>/health/signs/refresh/",
        views.SignRefreshView.as_view(),
        name="sign_refresh",
    ),
    path(
        "relationships/<int:pk>/health/signs/<slug:sign>/",
        views.SignDetailView.as_view(),
        name="sign_detail",
    ),
    path(
        "relationships/<int:pk>/health/signs/<slug:sign>/thresholds/",
        views.SignThresholdEditView.as_view(),
        name="sign_threshold_edit",
    ),
    path(
        "relationships/<int:pk>/health/signs/<slug:sign>/thresholds/reset/",
        views.SignThresholdResetView.as_view(),
        name="sign_threshold_reset",
    ),
    path(
        "health/sign-thresholds/<int:pk>/audit/",
        views.SignThresholdAuditView.as_view(),
        name="sign_threshold_audit",
    ),
    path(
        "health/sign-readings/<int:pk>/",
        views.SignReadingDetailView.as_view(),
        name="sign_reading_detail",
    ),
    path(
        "health/service-levels/<int:pk>/focus/",
        views.LevelFocusEditView.as_view(),
        name="level_focus_edit",
    ),
    path(
        "relationships/<int:pk>/health/workforce/import/",
        input_views.WorkforceImportView.as_view(),
        name="workforce_import",
    ),
    *_input_routes(input_views.WORKFORCE, "workforce", "workforce"),
    *_input_routes(input_views.MEETINGS, "meetings", "meetings"),
    *_input_routes(input_views.PROPOSALS, "proposals", "proposals"),
    *_input_routes(input_views.FINANCES, "finances", "finances"),
]
