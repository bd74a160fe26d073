from django.urls import path

from accord.parties import views

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path(
        "relationships/<int:pk>/",
        views.RelationshipDetailView.as_view(),
        name="relationship_detail",
    ),
    path(
        "relationships/<int:pk>/audit/",
        views.RelationshipAuditView.as_view(),
        name="relationship_audit",
    ),
    path("relationships/<int:pk>/roles/add/", views.RoleAddView.as_view(), name="role_add"),
    path("roles/<int:pk>/delete/", views.RoleDeleteView.as_view(), name="role_delete"),
    path("organisation/", views.organisation_detail, name="organisation_detail"),
    path("organisation/people/add/", views.PersonAddView.as_view(), name="person_add"),
    path("organisation/people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("organisation/audit/", views.OrganisationAuditView.as_view(), name="organisation_audit"),
    path("account/tokens/", views.TokenListView.as_view(), name="token_list"),
    path("account/tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
]
