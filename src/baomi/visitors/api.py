"""REST API of the visitors register under /api/v1/ (SUP-4). The identity number is written
once and read back only through ``reveal-identity`` (the security office, audited); every
other response shows it masked."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.kit.api import parse, pick, pick_many
from baomi.visitors import selectors, services
from baomi.visitors.choices import IdentityType
from baomi.visitors.models import Visit, VisitApproval


class VisitApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitApproval
        fields = ["id", "visit", "place", "host", "status", "decided_by", "decided_at", "decision_reason"]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    places: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    approvals = VisitApprovalSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "visitor_name", "id_type", "id_masked", "organisation", "phone", "host", "purpose", "places",
                  "other_areas", "escort", "expected_start", "expected_end", "status", "checked_in_at",
                  "checked_out_at", "approvals"]  # fmt: skip
        read_only_fields = fields


class VisitIn(serializers.Serializer):
    visitor_name = serializers.CharField(max_length=100)
    id_type = serializers.ChoiceField(choices=IdentityType.choices)
    id_number = serializers.CharField(max_length=40)
    organisation = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    host = serializers.IntegerField()
    purpose = serializers.CharField(max_length=300)
    places = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    other_areas = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    escort = serializers.IntegerField(required=False, allow_null=True, default=None)
    expected_start = serializers.DateTimeField()
    expected_end = serializers.DateTimeField()


class VisitReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class VisitDecisionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    """Visits (SUP-4); ``?status=on_site`` for the visitors on site."""

    serializer_class = VisitSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.visits(
            self.request.user, q=g.get("q", ""), status=g.get("status", "")
        ).prefetch_related("places", "approvals")

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(VisitSerializer(selectors.get_visit(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        d = parse(VisitIn, request)
        d["host"] = pick(selectors.people(), d["host"], "host")
        d["escort"] = pick(selectors.people(), d["escort"], "escort", required=False)
        d["places"] = pick_many(selectors.places(), d["places"], "places")
        visit = services.register_visit(request.user, **d)
        return Response(VisitSerializer(visit).data, status=201)

    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: Any = None) -> Response:
        return Response(
            VisitSerializer(services.check_in(request.user, selectors.get_visit(request.user, pk))).data
        )

    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request: Request, pk: Any = None) -> Response:
        return Response(
            VisitSerializer(services.check_out(request.user, selectors.get_visit(request.user, pk))).data
        )

    @extend_schema(request=VisitReasonIn)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        d = parse(VisitReasonIn, request)
        return Response(VisitSerializer(services.cancel_visit(request.user, selectors.get_visit(request.user, pk),
                                                              **d)).data)  # fmt: skip

    @extend_schema(
        request=None, responses=inline_serializer("VisitorIdentity", {"id_number": serializers.CharField()})
    )
    @action(detail=True, methods=["post"], url_path="reveal-identity")
    def reveal_identity(self, request: Request, pk: Any = None) -> Response:
        """The visitor's identity number from the vault (the security office; audited)."""
        number = services.reveal_identity(request.user, selectors.get_visit(request.user, pk))
        return Response({"id_number": number})


class VisitApprovalViewSet(viewsets.ReadOnlyModelViewSet):
    """Approvals of key places for visits, as their responsible persons see them (SUP-4)."""

    serializer_class = VisitApprovalSerializer

    def get_queryset(self) -> Any:
        return selectors.approvals(
            self.request.user, pending=self.request.query_params.get("pending", "1") == "1"
        )

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(VisitApprovalSerializer(selectors.get_approval(request.user, pk)).data)

    @extend_schema(request=VisitDecisionIn)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        d = parse(VisitDecisionIn, request)
        a = services.approve_visit(request.user, selectors.get_approval(request.user, pk), **d)
        return Response(VisitApprovalSerializer(a).data)

    @extend_schema(request=VisitReasonIn)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        d = parse(VisitReasonIn, request)
        a = services.reject_visit(request.user, selectors.get_approval(request.user, pk), **d)
        return Response(VisitApprovalSerializer(a).data)


router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")
router.register("visit-approvals", VisitApprovalViewSet, basename="visit-approval")
urlpatterns = router.urls
