"""URL wiring: each app's UI under its own prefix, its API under /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from baomi.core import views as core_views

APPS = [
    "accounts",
    "audit",
    "vault",
    "classification",
    "carriers",
    "personnel",
    "supervision",
    "sites",
    "contractors",
    "devices",
]

urlpatterns = [
    path("", include("baomi.dashboard.urls")),
    *[path(f"{app}/", include(f"baomi.{app}.urls")) for app in APPS],
    path("api/v1/", include([path("", include(f"baomi.{app}.api")) for app in [*APPS, "dashboard"]])),
    path("api/v1/marks/", include("baomi.core.marks_api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", core_views.RedocView.as_view(url_name="schema"), name="api-redoc"),
    path("healthz", core_views.healthz, name="healthz"),
]

handler400 = "baomi.core.views.bad_request"
handler403 = "baomi.core.views.not_found"
handler404 = "baomi.core.views.not_found"
handler500 = "baomi.core.views.server_error"
