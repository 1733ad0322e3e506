"""REST API of the reports app under /api/v1/ (OPS-3): the statistics as JSON.

``GET /api/v1/statistics/?year=2026`` (or ``date_from``/``date_to``) returns the period and every
table the reader may see: ``{"date_from", "date_to", "tables": [{"key", "title", "headers",
"rows": [[value, …], …]}]}``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from baomi.access import policy
from baomi.core.errors import ValidationFailed
from baomi.reports.annual import snapshot
from baomi.reports.forms import PeriodForm
from baomi.reports.statistics import tables


class StatisticsTableOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())


class StatisticsOut(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    tables = StatisticsTableOut(many=True)


class StatisticsAPI(APIView):
    @extend_schema(
        responses=StatisticsOut,
        parameters=[OpenApiParameter("year", int), OpenApiParameter("date_from", str),
                    OpenApiParameter("date_to", str)],
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        policy.require(request.user, "reports.statistics")
        form = PeriodForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise ValidationFailed(fields={k: [str(e) for e in v] for k, v in form.errors.items()})
        period = form.period()
        return Response({"date_from": period.start, "date_to": period.end,
                         "tables": [snapshot(t) for t in tables(request.user, period)]})  # fmt: skip


router = SimpleRouter()
from django.urls import path  # noqa: E402

urlpatterns = [path("statistics/", StatisticsAPI.as_view(), name="statistics"), *router.urls]
