"""URLs: the excusal workflow."""

from __future__ import annotations

from django.urls import path

from accord.performance.views import excusals as views

urlpatterns = [
    path("relationships/<int:pk>/excusals/", views.ExcusalListView.as_view(), name="excusal_list"),
    path(
        "relationships/<int:pk>/excusals/add/", views.ExcusalAddView.as_view(), name="excusal_add"
    ),
    path("excusals/<int:pk>/", views.ExcusalDetailView.as_view(), name="excusal_detail"),
    path("excusals/<int:pk>/edit/", views.ExcusalEditView.as_view(), name="excusal_edit"),
    path("excusals/<int:pk>/sign/", views.ExcusalSignView.as_view(), name="excusal_sign"),
    path("excusals/<int:pk>/decline/", views.ExcusalDeclineView.as_view(), name="excusal_decline"),
    path(
        "excusals/<int:pk>/withdraw/", views.ExcusalWithdrawView.as_view(), name="excusal_withdraw"
    ),
    path("excusals/<int:pk>/audit/", views.ExcusalAuditView.as_view(), name="excusal_audit"),
]
