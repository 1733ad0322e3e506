"""Ledger URLs (CAR-12): the pages under /carriers/ledger/, the API under
/api/v1/carriers/ledger/ (``api_urlpatterns``)."""

from django.urls import include, path

from baomi.carriers import ledger_views

urlpatterns = [
    path("", ledger_views.ledger_view, name="ledger"),
    path("export/<str:fmt>/", ledger_views.ledger_export, name="ledger-export"),
]
# Included by carriers/urls.py, so the names are "carriers:ledger", "carriers:ledger-export".
ledger_urlpatterns = [path("ledger/", include(urlpatterns))]

api_urlpatterns = [
    path("carriers/ledger/", ledger_views.LedgerAPI.as_view(), name="carriers-ledger"),
    path(
        "carriers/ledger/export/<str:fmt>/",
        ledger_views.LedgerExportAPI.as_view(),
        name="carriers-ledger-export",
    ),
]
