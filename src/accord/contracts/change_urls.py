"""Pages of change requests and scope questions."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.contracts import change_views as views

urlpatterns: list[URLPattern] = [
    path("relationships/<int:pk>/changes/", views.ChangeListView.as_view(), name="change_list"),
    path("relationships/<int:pk>/changes/add/", views.ChangeAddView.as_view(), name="change_add"),
    path("changes/<int:pk>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path("changes/<int:pk>/edit/", views.ChangeEditView.as_view(), name="change_edit"),
    path("changes/<int:pk>/sign/", views.ChangeSignView.as_view(), name="change_sign"),
    path("changes/<int:pk>/decline/", views.ChangeDeclineView.as_view(), name="change_decline"),
    path("changes/<int:pk>/withdraw/", views.ChangeWithdrawView.as_view(), name="change_withdraw"),
    path("changes/<int:pk>/audit/", views.ChangeAuditView.as_view(), name="change_audit"),
    path(
        "relationships/<int:pk>/scope-questions/",
        views.ScopeQuestionListView.as_view(),
        name="scope_question_list",
    ),
    path(
        "relationships/<int:pk>/scope-questions/add/",
        views.ScopeQuestionAddView.as_view(),
        name="scope_question_add",
    ),
    path(
        "scope-questions/<int:pk>/",
        views.ScopeQuestionDetailView.as_view(),
        name="scope_question_detail",
    ),
    path(
        "scope-questions/<int:pk>/resolve/",
        views.ScopeQuestionResolveView.as_view(),
        name="scope_question_resolve",
    ),
    path(
        "scope-questions/<int:pk>/reopen/",
        views.ScopeQuestionReopenView.as_view(),
        name="scope_question_reopen",
    ),
    path(
        "scope-questions/<int:pk>/audit/",
        views.ScopeQuestionAuditView.as_view(),
        name="scope_question_audit",
    ),
]
