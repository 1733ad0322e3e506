"""REST API of the reports app under /api/v1/ (OPS-3): the statistics as JSON.

``GET /api/v1/statistics/?year=2026`` (or ``date_from``/``date_to``) returns every table the
reader may see: ``[{"key", "title", "headers", "rows": [[value, …], …]}]``.
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from baomi.access import policy
from baomi.core.errors import ValidationFailed
from baomi.reports.annual import snapshot
from baomi.reports.forms import PeriodForm
from baomi.reports.statistics import tables


class StatisticsAPI(APIView):
    def get(self, request: Request) -> Response:
        policy.require(request.user, "reports.statistics")
        form = PeriodForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise ValidationFailed(fields={k: [str(e) for e in v] for k, v in form.errors.items()})
        period = form.period()
        return Response({"from": period.start, "to": period.end,
                         "tables": [snapshot(t) for t in tables(request.user, period)]})  # fmt: skip


router = SimpleRouter()
from django.urls import path  # noqa: E402

urlpatterns = [path("statistics/", StatisticsAPI.as_view(), name="statistics"), *router.urls]
