"""The planning pages: plans, objectives, checkpoints, signatures, the year-end review."""

from __future__ import annotations

from django.urls import path

from accord.planning import views

urlpatterns = [
    path("relationships/<int:pk>/plans/", views.PlanListView.as_view(), name="plan_list"),
    path("relationships/<int:pk>/plans/add/", views.PlanAddView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/sign/", views.PlanSignView.as_view(), name="plan_sign"),
    path("plans/<int:pk>/review/", views.PlanReviewView.as_view(), name="plan_review"),
    path("plans/<int:pk>/audit/", views.PlanAuditView.as_view(), name="plan_audit"),
    path("plans/<int:pk>/objectives/add/", views.ObjectiveAddView.as_view(), name="objective_add"),
    path("objectives/<int:pk>/", views.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.ObjectiveEditView.as_view(), name="objective_edit"),
    path(
        "objectives/<int:pk>/delete/", views.ObjectiveDeleteView.as_view(), name="objective_delete"
    ),
    path(
        "objectives/<int:pk>/status/", views.ObjectiveStatusView.as_view(), name="objective_status"
    ),
    path("objectives/<int:pk>/audit/", views.ObjectiveAuditView.as_view(), name="objective_audit"),
    path("checkpoints/<int:pk>/edit/", views.CheckpointEditView.as_view(), name="checkpoint_edit"),
]
