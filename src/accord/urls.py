"""Top-level URL map."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accord.core.views import permission_denied, server_error

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(extra_context={"submit_label": "Change password"}),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("api/v1/", include("accord.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("", include("accord.parties.urls")),
    path("", include("accord.notes.urls")),
    path("", include("accord.contracts.urls")),
    path("", include("accord.performance.urls")),
    path("", include("accord.health.urls")),
    path("", include("accord.planning.urls")),
    path("", include("accord.governance.urls")),
    path("", include("accord.issues.urls")),
    path("", include("accord.attention.urls")),
]

handler403 = permission_denied
handler500 = server_error
