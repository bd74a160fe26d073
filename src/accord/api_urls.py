"""REST API, version 1."""

from rest_framework.routers import DefaultRouter

from accord.attention.api import routes as attention_routes
from accord.contracts.api.changes import ROUTES as CHANGE_ROUTES
from accord.contracts.api.views import ContractViewSet, ScopeItemViewSet
from accord.core.api.views import AuditEntryViewSet
from accord.governance.api import routes as governance_routes
from accord.health.api import routes as health_routes
from accord.issues.api import routes as issue_routes
from accord.notes.api.views import NoteViewSet
from accord.parties.api.views import RelationshipViewSet, RoleViewSet
from accord.performance.api.excusals import ExcusalViewSet
from accord.performance.api.private import CostNoteViewSet, CreditForecastViewSet
from accord.performance.api.views import (
    CreditLineViewSet,
    CreditMonthViewSet,
    DataImportViewSet,
    DataSourceViewSet,
    PeriodResultViewSet,
    ScheduleVersionViewSet,
    ScorecardRunViewSet,
    ServiceLevelViewSet,
)
from accord.planning.api import routes as planning_routes

router = DefaultRouter()
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("roles", RoleViewSet, basename="role")
router.register("notes", NoteViewSet, basename="note")
router.register("audit-entries", AuditEntryViewSet, basename="auditentry")
# Contracts and performance (joint, except forecasts: buyer only; cost notes: provider only).
router.register("contracts", ContractViewSet, basename="contract")
router.register("scope-items", ScopeItemViewSet, basename="scope-item")
router.register("schedule-versions", ScheduleVersionViewSet, basename="schedule-version")
router.register("service-levels", ServiceLevelViewSet, basename="service-level")
router.register("data-sources", DataSourceViewSet, basename="data-source")
router.register("imports", DataImportViewSet, basename="data-import")
router.register("scorecard-runs", ScorecardRunViewSet, basename="scorecard-run")
router.register("results", PeriodResultViewSet, basename="result")
router.register("credit-months", CreditMonthViewSet, basename="credit-month")
router.register("credit-lines", CreditLineViewSet, basename="credit-line")
router.register("excusals", ExcusalViewSet, basename="excusal")
router.register("forecasts", CreditForecastViewSet, basename="forecast")
router.register("cost-notes", CostNoteViewSet, basename="cost-note")
# Health: surveys, warning signs and their inputs, the index, the buyer's introspection.
for prefix, viewset, basename in health_routes():
    router.register(prefix, viewset, basename=basename)
# The ways of working: joint plans, forums and meetings, issues, change requests,
# and each person's notifications.
for routes in (planning_routes(), governance_routes(), issue_routes(), CHANGE_ROUTES,
               attention_routes()):  # fmt: skip
    for prefix, viewset, basename in routes:
        router.register(prefix, viewset, basename=basename)

app_name = "api"
urlpatterns = router.urls
