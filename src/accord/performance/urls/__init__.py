"""The performance pages, one module per area."""

from accord.performance.urls import data, excusals, private, schedule, scorecards

urlpatterns = [
    *schedule.urlpatterns,
    *data.urlpatterns,
    *scorecards.urlpatterns,
    *excusals.urlpatterns,
    *private.urlpatterns,
]
