"""Ledger URLs (CAR-12): the pages under /carriers/ledger/ (``ledger_urlpatterns``, added to
carriers/urls.py, so the names are "carriers:ledger", "carriers:ledger-export") and the API under
/api/v1/carriers/ledger/ (``api_urlpatterns``, put first in carriers/api.py)."""

from django.urls import path

from baomi.carriers import ledger_views

ledger_urlpatterns = [
    path("ledger/", ledger_views.ledger_view, name="ledger"),
    path("ledger/export/<str:fmt>/", ledger_views.ledger_export, name="ledger-export"),
]

api_urlpatterns = [
    path("carriers/ledger/", ledger_views.LedgerAPI.as_view(), name="carriers-ledger"),
    path(
        "carriers/ledger/export/<str:fmt>/",
        ledger_views.LedgerExportAPI.as_view(),
        name="carriers-ledger-export",
    ),
]
