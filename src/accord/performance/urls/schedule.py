"""URLs: a contract's schedule, its versions, one service level's targets, a source's settings."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.performance.views import schedule as views

urlpatterns: list[URLPattern] = [
    path(
        "contracts/<int:pk>/schedule/", views.ScheduleDetailView.as_view(), name="schedule_detail"
    ),
    path(
        "contracts/<int:pk>/schedule/edit/", views.ScheduleEditView.as_view(), name="schedule_edit"
    ),
    path(
        "schedule-versions/<int:pk>/", views.ScheduleVersionView.as_view(), name="schedule_version"
    ),
    path(
        "schedule-versions/<int:pk>/download/",
        views.ScheduleVersionDownloadView.as_view(),
        name="schedule_version_download",
    ),
    path(
        "service-levels/<int:pk>/edit/",
        views.ServiceLevelEditView.as_view(),
        name="service_level_edit",
    ),
    path("sources/<int:pk>/edit/", views.DataSourceEditView.as_view(), name="source_edit"),
]
