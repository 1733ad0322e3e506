"""REST API of the classification app under /api/v1/ (thin: selectors for reads, services for writes)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
urlpatterns = router.urls
