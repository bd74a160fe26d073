"""The issues pages."""

from __future__ import annotations

from django.urls import path

from accord.issues import views

urlpatterns = [
    path("relationships/<int:pk>/issues/", views.IssueListView.as_view(), name="issue_list"),
    path("relationships/<int:pk>/issues/add/", views.IssueAddView.as_view(), name="issue_add"),
    path("issues/<int:pk>/", views.IssueDetailView.as_view(), name="issue_detail"),
    path("issues/<int:pk>/edit/", views.IssueEditView.as_view(), name="issue_edit"),
    path(
        "issues/<int:pk>/options/add/",
        views.IssueOptionAddView.as_view(),
        name="issue_option_add",
    ),
    path("issues/<int:pk>/resolve/", views.IssueResolveView.as_view(), name="issue_resolve"),
    path("issues/<int:pk>/escalate/", views.IssueEscalateView.as_view(), name="issue_escalate"),
    path("issues/<int:pk>/withdraw/", views.IssueWithdrawView.as_view(), name="issue_withdraw"),
    path("issues/<int:pk>/reopen/", views.IssueReopenView.as_view(), name="issue_reopen"),
    path("issues/<int:pk>/audit/", views.IssueAuditView.as_view(), name="issue_audit"),
]
