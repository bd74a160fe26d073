"""Health pages: the index, the portfolio and the buyer's introspection (the index area)."""

from __future__ import annotations

from django.urls import path

from accord.health.views import index as views
from accord.health.views import introspection as private

urlpatterns = [
    path("health/", views.health_portfolio, name="health_portfolio"),
    path("health/portfolio.csv", views.health_portfolio_csv, name="health_portfolio_csv"),
    path(
        "relationships/<int:pk>/health/index/",
        views.HealthIndexListView.as_view(),
        name="health_index_list",
    ),
    path(
        "relationships/<int:pk>/health/index.csv",
        views.HealthIndexCsvView.as_view(),
        name="health_index_csv",
    ),
    path(
        "relationships/<int:pk>/health/refresh/",
        views.HealthRefreshView.as_view(),
        name="health_refresh",
    ),
    path(
        "health/index/<int:pk>/", views.HealthIndexDetailView.as_view(), name="health_index_detail"
    ),
    # The buyer's introspection: 404 for the provider, list included.
    path(
        "relationships/<int:pk>/health/introspection/",
        private.IntrospectionListView.as_view(),
        name="introspection_list",
    ),
    path(
        "relationships/<int:pk>/health/introspection.csv",
        private.IntrospectionCsvView.as_view(),
        name="introspection_csv",
    ),
    path(
        "relationships/<int:pk>/health/introspection/add/",
        private.IntrospectionAddView.as_view(),
        name="introspection_add",
    ),
    path(
        "health/introspection/<int:pk>/",
        private.IntrospectionDetailView.as_view(),
        name="introspection_detail",
    ),
    path(
        "health/introspection/<int:pk>/edit/",
        private.IntrospectionEditView.as_view(),
        name="introspection_edit",
    ),
    path(
        "health/introspection/<int:pk>/delete/",
        private.IntrospectionDeleteView.as_view(),
        name="introspection_delete",
    ),
    path(
        "health/introspection/<int:pk>/audit/",
        private.IntrospectionAuditView.as_view(),
        name="introspection_audit",
    ),
    path(
        "health/introspection/<int:pk>/actions/add/",
        private.IntrospectionActionAddView.as_view(),
        name="introspection_action_add",
    ),
    path(
        "health/introspection-actions/<int:pk>/edit/",
        private.IntrospectionActionEditView.as_view(),
        name="introspection_action_edit",
    ),
    path(
        "health/introspection-actions/<int:pk>/done/",
        private.IntrospectionActionDoneView.as_view(),
        name="introspection_action_done",
    ),
    path(
        "health/introspection-actions/<int:pk>/delete/",
        private.IntrospectionActionDeleteView.as_view(),
        name="introspection_action_delete",
    ),
]
