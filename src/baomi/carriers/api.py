"""REST API of the carriers app under /api/v1/ (thin: selectors for reads, services for writes)."""

from rest_framework.routers import SimpleRouter

from baomi.carriers.ledger_urls import api_urlpatterns as ledger_api_urlpatterns

router = SimpleRouter()
urlpatterns = router.urls
urlpatterns += ledger_api_urlpatterns
