"""URLs: scorecards, service levels, results, runs and credits."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.performance.views import credits, scorecards

urlpatterns: list[URLPattern] = [
    path(
        "relationships/<int:pk>/scorecard/",
        scorecards.ScorecardView.as_view(),
        name="scorecard",
    ),
    path(
        "relationships/<int:pk>/scorecard/csv/",
        scorecards.ScorecardCsvView.as_view(),
        name="scorecard_csv",
    ),
    path(
        "relationships/<int:pk>/runs/",
        scorecards.RunListView.as_view(),
        name="run_list",
    ),
    path(
        "service-levels/<int:pk>/",
        scorecards.ServiceLevelDetailView.as_view(),
        name="service_level_detail",
    ),
    path("results/<int:pk>/", scorecards.ResultDetailView.as_view(), name="result_detail"),
    path(
        "relationships/<int:pk>/credits/",
        credits.CreditStatementView.as_view(),
        name="credit_statement",
    ),
    path(
        "relationships/<int:pk>/credits/csv/",
        credits.CreditCsvView.as_view(),
        name="credit_csv",
    ),
    path(
        "credit-months/<int:pk>/",
        credits.CreditMonthDetailView.as_view(),
        name="credit_month_detail",
    ),
    path(
        "credit-lines/<int:pk>/",
        credits.CreditLineDetailView.as_view(),
        name="credit_line_detail",
    ),
]
