"""Health pages: surveys (owned by the surveys area)."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.health.views import surveys as views

urlpatterns: list[URLPattern] = [
    # Instruments and their questions.
    path("health/survey-instruments/", views.InstrumentListView.as_view(),
         name="survey_instrument_list"),
    path("health/survey-instruments/export/", views.InstrumentExportView.as_view(),
         name="survey_instrument_export"),
    path("health/survey-instruments/<int:pk>/", views.InstrumentDetailView.as_view(),
         name="survey_instrument_detail"),
    path("health/survey-instruments/<int:pk>/adapt/", views.InstrumentCopyView.as_view(),
         name="survey_instrument_copy"),
    path("health/survey-instruments/<int:pk>/edit/", views.InstrumentEditView.as_view(),
         name="survey_instrument_edit"),
    path("health/survey-instruments/<int:pk>/audit/", views.InstrumentAuditView.as_view(),
         name="survey_instrument_audit"),
    path("health/survey-instruments/<int:pk>/dimensions/add/", views.DimensionAddView.as_view(),
         name="survey_dimension_add"),
    path("health/survey-dimensions/<int:pk>/edit/", views.DimensionEditView.as_view(),
         name="survey_dimension_edit"),
    path("health/survey-dimensions/<int:pk>/delete/", views.DimensionDeleteView.as_view(),
         name="survey_dimension_delete"),
    path("health/survey-dimensions/<int:pk>/statements/add/", views.StatementAddView.as_view(),
         name="survey_statement_add"),
    path("health/survey-statements/<int:pk>/edit/", views.StatementEditView.as_view(),
         name="survey_statement_edit"),
    path("health/survey-statements/<int:pk>/delete/", views.StatementDeleteView.as_view(),
         name="survey_statement_delete"),
    # Rounds of a relationship.
    path("relationships/<int:pk>/health/surveys/", views.RoundListView.as_view(),
         name="survey_round_list"),
    path("relationships/<int:pk>/health/surveys/export/", views.RoundExportView.as_view(),
         name="survey_round_export"),
    path("relationships/<int:pk>/health/surveys/add/", views.RoundAddView.as_view(),
         name="survey_round_add"),
    path("health/surveys/<int:pk>/", views.RoundDetailView.as_view(), name="survey_round_detail"),
    path("health/surveys/<int:pk>/edit/", views.RoundEditView.as_view(), name="survey_round_edit"),
    path("health/surveys/<int:pk>/delete/", views.RoundDeleteView.as_view(),
         name="survey_round_delete"),
    path("health/surveys/<int:pk>/close/", views.RoundCloseView.as_view(),
         name="survey_round_close"),
    path("health/surveys/<int:pk>/audit/", views.RoundAuditView.as_view(),
         name="survey_round_audit"),
    path("health/surveys/<int:pk>/answer/", views.RespondView.as_view(), name="survey_respond"),
    path("health/surveys/<int:pk>/scores.csv", views.ScoreExportView.as_view(),
         name="survey_score_export"),
    path("health/surveys/<int:pk>/comments.csv", views.CommentExportView.as_view(),
         name="survey_comment_export"),
    path("health/surveys/<int:pk>/our-responses.csv", views.ResponseExportView.as_view(),
         name="survey_response_export"),
    # Responses (the respondent's side only).
    path("health/survey-responses/<int:pk>/", views.ResponseDetailView.as_view(),
         name="survey_response_detail"),
    path("health/survey-responses/<int:pk>/audit/", views.ResponseAuditView.as_view(),
         name="survey_response_audit"),
]  # fmt: skip
