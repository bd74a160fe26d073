"""URLs: contracts and the scope register."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.contracts import change_urls, views

urlpatterns: list[URLPattern] = [
    path(
        "relationships/<int:pk>/contract/",
        views.ContractDetailView.as_view(),
        name="contract_detail",
    ),
    path(
        "relationships/<int:pk>/contract/add/",
        views.ContractAddView.as_view(),
        name="contract_add",
    ),
    path("contracts/<int:pk>/edit/", views.ContractEditView.as_view(), name="contract_edit"),
    path("contracts/<int:pk>/audit/", views.ContractAuditView.as_view(), name="contract_audit"),
    path("relationships/<int:pk>/scope/", views.ScopeListView.as_view(), name="scope_list"),
    path("relationships/<int:pk>/scope/add/", views.ScopeAddView.as_view(), name="scope_add"),
    path("scope/<int:pk>/", views.ScopeDetailView.as_view(), name="scope_detail"),
    path("scope/<int:pk>/edit/", views.ScopeEditView.as_view(), name="scope_edit"),
    path("scope/<int:pk>/delete/", views.ScopeDeleteView.as_view(), name="scope_delete"),
    path("scope/<int:pk>/audit/", views.ScopeAuditView.as_view(), name="scope_audit"),
    *change_urls.urlpatterns,
]
