"""URL wiring: each app's UI under its own prefix, its API under /api/v1/ — found by the app
registry (``baomi.kit.registry``: the ``urls`` and ``api`` parts), so no list of apps here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from baomi.kit import registry
from baomi.kit import views as kit_views

urlpatterns = [
    *[path(app.mount(), include(f"{app.name}.urls")) for app in registry.with_part("urls")],
    path("api/v1/", include([path("", include(f"{app.name}.api")) for app in registry.with_part("api")])),
    path("api/v1/marks/", include("baomi.kit.marks_api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", kit_views.RedocView.as_view(url_name="schema"), name="api-redoc"),
    path("healthz", kit_views.healthz, name="healthz"),
]

handler400 = "baomi.kit.views.bad_request"
handler403 = "baomi.kit.views.not_found"
handler404 = "baomi.kit.views.not_found"
handler500 = "baomi.kit.views.server_error"
