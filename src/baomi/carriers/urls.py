from django.urls import path  # noqa: F401

app_name = "carriers"
urlpatterns: list = []

from baomi.carriers.ledger_urls import ledger_urlpatterns  # noqa: E402

urlpatterns += ledger_urlpatterns
