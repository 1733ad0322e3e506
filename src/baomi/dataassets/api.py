"""REST API of the data assets register under /api/v1/data-assets/ (SUP-8, R-DATA)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.dataassets import selectors, services
from baomi.dataassets.choices import DataCategory, DataGrade, DataOutcome
from baomi.dataassets.models import DataAsset
from baomi.kit.api import parse, pick
from baomi.systems.selectors import systems


class DataAssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataAsset
        fields = ["id", "code", "name", "category", "grade", "department", "owner", "officer", "system", "measures",
                  "processors", "records", "personal_information", "aggregation", "aggregation_note", "status",
                  "next_assessment_on", "note"]  # fmt: skip
        read_only_fields = fields


class DataAssetIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=30)
    category = serializers.ChoiceField(choices=DataCategory.choices)
    grade = serializers.ChoiceField(choices=DataGrade.choices)
    department = serializers.IntegerField()
    owner = serializers.IntegerField()
    officer = serializers.IntegerField(required=False, allow_null=True, default=None)
    system = serializers.IntegerField(required=False, allow_null=True, default=None)
    measures = serializers.CharField(max_length=300)
    processors = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    records = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    personal_information = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class DataAssessmentIn(serializers.Serializer):
    assessed_on = serializers.DateField()
    assessor = serializers.CharField(max_length=200)
    outcome = serializers.ChoiceField(choices=DataOutcome.choices)
    findings = serializers.CharField(required=False, default="", allow_blank=True)
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)


class AggregationFlagIn(serializers.Serializer):
    note = serializers.CharField(max_length=300)


class AggregationReviewIn(serializers.Serializer):
    manage_as_secret = serializers.BooleanField()
    note = serializers.CharField(max_length=300)


class DataAssetViewSet(viewsets.ReadOnlyModelViewSet):
    """Data assets with grade, owner, officer and assessment due dates (SUP-8)."""

    serializer_class = DataAssetSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.assets(self.request.user, q=g.get("q", ""), grade=g.get("grade", ""),
                                aggregation=g.get("aggregation", ""))  # fmt: skip

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(DataAssetSerializer(selectors.get_asset(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        d = parse(DataAssetIn, request)
        d["department"] = pick(selectors.departments(), d["department"], "department")
        d["owner"] = pick(selectors.people(), d["owner"], "owner")
        d["officer"] = pick(selectors.people(), d["officer"], "officer", required=False)
        d["system"] = pick(systems(request.user), d["system"], "system", required=False)
        return Response(DataAssetSerializer(services.register_asset(request.user, **d)).data, status=201)

    def _asset(self, pk: Any) -> DataAsset:
        return selectors.get_asset(self.request.user, pk)

    @extend_schema(request=DataAssessmentIn)
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: Any = None) -> Response:
        services.record_assessment(request.user, self._asset(pk), **parse(DataAssessmentIn, request))
        return Response(DataAssetSerializer(self._asset(pk)).data)

    @extend_schema(request=AggregationFlagIn)
    @action(detail=True, methods=["post"], url_path="flag-aggregation")
    def flag_aggregation(self, request: Request, pk: Any = None) -> Response:
        a = services.flag_aggregation(request.user, self._asset(pk), **parse(AggregationFlagIn, request))
        return Response(DataAssetSerializer(a).data)

    @extend_schema(request=AggregationReviewIn)
    @action(detail=True, methods=["post"], url_path="review-aggregation")
    def review_aggregation(self, request: Request, pk: Any = None) -> Response:
        a = services.review_aggregation(request.user, self._asset(pk), **parse(AggregationReviewIn, request))
        return Response(DataAssetSerializer(a).data)


router = SimpleRouter()
router.register("data-assets", DataAssetViewSet, basename="data-asset")
urlpatterns = router.urls
