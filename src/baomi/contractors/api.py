"""REST API of the contractors register under /api/v1/ (SUP-13, R-SITE-3): selectors read,
services write, serializers check shape only."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.contractors import selectors, services
from baomi.contractors.choices import QualificationGrade, QualificationKind
from baomi.contractors.models import Contractor, Engagement, Qualification
from baomi.kit.api import parse, pick


class ContractorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contractor
        fields = ["id", "name", "credit_code", "contact", "phone", "address", "status", "note"]
        read_only_fields = ["id", "status"]


class QualificationSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = Qualification
        fields = ["id", "contractor", "kind", "grade", "number", "issuer", "issued_on", "expires_on", "revoked_at",
                  "state"]  # fmt: skip
        read_only_fields = fields

    def get_state(self, obj: Qualification) -> str:
        return obj.state()


class QualificationIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=QualificationKind.choices)
    grade = serializers.ChoiceField(choices=QualificationGrade.choices)
    number = serializers.CharField(max_length=60)
    issuer = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()


class EngagementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Engagement
        fields = ["id", "contractor", "qualification", "kind", "level", "scope", "agreement_ref",
                  "agreement_signed_on", "starts_on", "ends_on", "responsible", "status", "result"]  # fmt: skip
        read_only_fields = fields


class EngagementIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=QualificationKind.choices)
    level = serializers.CharField()
    scope = serializers.CharField(max_length=300)
    agreement_ref = serializers.CharField(max_length=100)
    agreement_signed_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    responsible = serializers.IntegerField()


class ContractorReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class EngagementResultIn(serializers.Serializer):
    result = serializers.CharField(max_length=300)


class ContractorViewSet(viewsets.ReadOnlyModelViewSet):
    """Contractors with their 保密资质 (SUP-13)."""

    serializer_class = ContractorSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.contractors(self.request.user, q=g.get("q", ""), status=g.get("status", ""))

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ContractorSerializer(selectors.get_contractor(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        s = ContractorSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        c = services.register_contractor(request.user, **s.validated_data)
        return Response(ContractorSerializer(c).data, status=201)

    @action(detail=True, methods=["post"])
    def qualifications(self, request: Request, pk: Any = None) -> Response:
        d = parse(QualificationIn, request)
        q = services.add_qualification(request.user, selectors.get_contractor(request.user, pk), **d)
        return Response(QualificationSerializer(q).data, status=201)

    @action(detail=True, methods=["post"])
    def engagements(self, request: Request, pk: Any = None) -> Response:
        d = parse(EngagementIn, request)
        d["responsible"] = pick(selectors.people(), d["responsible"], "responsible")
        e = services.start_engagement(request.user, selectors.get_contractor(request.user, pk), **d)
        return Response(EngagementSerializer(e).data, status=201)

    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: Any = None) -> Response:
        d = parse(ContractorReasonIn, request)
        c = services.suspend_contractor(request.user, selectors.get_contractor(request.user, pk), **d)
        return Response(ContractorSerializer(c).data)


class QualificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Secrecy qualifications; ``?state=valid|expired|revoked``."""

    serializer_class = QualificationSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.qualifications(self.request.user, state=g.get("state", ""), kind=g.get("kind", ""))

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(QualificationSerializer(selectors.get_qualification(request.user, pk)).data)

    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        d = parse(ContractorReasonIn, request)
        q = services.revoke_qualification(request.user, selectors.get_qualification(request.user, pk), **d)
        return Response(QualificationSerializer(q).data)


class EngagementViewSet(viewsets.ReadOnlyModelViewSet):
    """Engagements: scope, level, agreement and the qualification relied on (R-SITE-3)."""

    serializer_class = EngagementSerializer

    def get_queryset(self) -> Any:
        return selectors.engagements(self.request.user, status=self.request.query_params.get("status", ""))

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(EngagementSerializer(selectors.get_engagement(request.user, pk)).data)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        d = parse(EngagementResultIn, request)
        e = services.close_engagement(request.user, selectors.get_engagement(request.user, pk), **d)
        return Response(EngagementSerializer(e).data)


router = SimpleRouter()
router.register("contractors", ContractorViewSet, basename="contractor")
router.register("qualifications", QualificationViewSet, basename="qualification")
router.register("engagements", EngagementViewSet, basename="engagement")
urlpatterns = router.urls
