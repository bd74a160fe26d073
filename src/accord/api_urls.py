"""REST API, version 1."""

from rest_framework.routers import DefaultRouter

from accord.core.api.views import AuditEntryViewSet
from accord.notes.api.views import NoteViewSet
from accord.parties.api.views import RelationshipViewSet, RoleViewSet

router = DefaultRouter()
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("roles", RoleViewSet, basename="role")
router.register("notes", NoteViewSet, basename="note")
router.register("audit-entries", AuditEntryViewSet, basename="auditentry")

app_name = "api"
urlpatterns = router.urls
