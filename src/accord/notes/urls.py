from django.urls import path

from accord.notes import views

urlpatterns = [
    path("relationships/<int:pk>/notes/", views.NoteListView.as_view(), name="note_list"),
    path("relationships/<int:pk>/notes/add/", views.NoteAddView.as_view(), name="note_add"),
    path("notes/<int:pk>/", views.NoteDetailView.as_view(), name="note_detail"),
    path("notes/<int:pk>/edit/", views.NoteEditView.as_view(), name="note_edit"),
    path("notes/<int:pk>/delete/", views.NoteDeleteView.as_view(), name="note_delete"),
    path("notes/<int:pk>/audit/", views.NoteAuditView.as_view(), name="note_audit"),
]
