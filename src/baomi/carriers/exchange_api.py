"""REST API of the exchange with other units under /api/v1/ (issue 12 §3; CAR-4, CAR-5, R-CAR-3):

- ``/api/v1/external-units/`` — the list (GET), add (POST, the security officer), change or take
  out of use (PATCH);
- ``/api/v1/carrier-dispatches/`` — 发文: ``POST`` with a carrier asks (机密+) or sends (秘密);
  ``POST …/{id}/approve/``, ``/reject/``, ``/send/``, ``/withdraw/``, ``/receipt/``;
  ``GET …/overdue-receipts/``;
- ``/api/v1/carrier-incoming/`` — 收文: ``POST`` registers a carrier received from another unit.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.carriers import exchange_queries as q
from baomi.carriers import queries, services
from baomi.carriers.choices import CarrierKind
from baomi.carriers.models import Dispatch, ExternalUnit, IncomingCarrier
from baomi.kit.api import ViewSet, pick

CHANNEL_HELP = "jiyao_jiaotong | jiyao_tongxin | designated_person (ordinary post and courier are refused)"


class ExternalUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalUnit
        fields = ["id", "name", "code", "address", "contact", "active"]
        read_only_fields = ["id"]


class ExternalUnitIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ExternalUnitPatch(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class DispatchSerializer(serializers.ModelSerializer):
    registry_number = serializers.CharField(source="carrier.registry_number", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Dispatch
        fields = ["id", "carrier", "registry_number", "unit", "unit_name", "addressee", "channel",
                  "envelope_number", "escort", "status", "reason", "requested_by", "requested_at", "decided_by",
                  "decided_at", "decision_reason", "sent_by", "sent_at", "receipt_due", "receipt_on",
                  "receipt_signer", "receipt_note"]  # fmt: skip
        read_only_fields = fields


class DispatchIn(serializers.Serializer):
    carrier = serializers.IntegerField()
    unit = serializers.IntegerField()
    channel = serializers.CharField(max_length=20, help_text=CHANNEL_HELP)
    envelope_number = serializers.CharField(max_length=50, allow_blank=True)
    reason = serializers.CharField(max_length=300, allow_blank=True)
    addressee = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    escort = serializers.IntegerField(required=False, allow_null=True, default=None)


class DispatchReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReceiptIn(serializers.Serializer):
    returned_on = serializers.DateField()
    signer = serializers.CharField(max_length=100, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class IncomingSerializer(serializers.ModelSerializer):
    registry_number = serializers.CharField(source="carrier.registry_number", read_only=True)
    carrier_status = serializers.CharField(source="carrier.status", read_only=True)

    class Meta:
        model = IncomingCarrier
        fields = ["id", "carrier", "registry_number", "carrier_status", "unit", "their_number", "their_copy_number",
                  "channel", "envelope_number", "received_on", "received_by", "received_at"]  # fmt: skip
        read_only_fields = fields


class IncomingIn(serializers.Serializer):
    unit = serializers.IntegerField()
    their_number = serializers.CharField(max_length=100, allow_blank=True)
    their_copy_number = serializers.CharField(max_length=20, allow_blank=True)
    item = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CarrierKind.choices)
    custodian = serializers.IntegerField()
    channel = serializers.CharField(max_length=20, help_text=CHANNEL_HELP)
    received_on = serializers.DateField()
    envelope_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    pages = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    storage_place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _unit(actor: Any, pk: Any) -> Any:
    return pick(q.units(actor, active_only=True), pk, "unit",
                missing=_("Choose an external unit from the list kept by the security office."))  # fmt: skip


def _person(actor: Any, pk: Any, field: str, required: bool = True) -> Any:
    return pick(queries.people(actor), pk, field, required=required,
                missing=_("No such person, or not one you can choose."))  # fmt: skip


class ExternalUnitViewSet(ViewSet):
    serializer_class = ExternalUnitSerializer

    def get_queryset(self) -> Any:
        return q.units(self.actor)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ExternalUnitSerializer(page, many=True).data)

    @extend_schema(request=ExternalUnitIn, responses=ExternalUnitSerializer)
    def create(self, request: Request) -> Response:
        unit = services.create_external_unit(self.actor, **self.input(ExternalUnitIn))
        return Response(ExternalUnitSerializer(unit).data, status=201)

    @extend_schema(request=ExternalUnitPatch, responses=ExternalUnitSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        unit = q.unit_for(self.actor, pk, "manage")
        unit = services.update_external_unit(self.actor, unit, **self.input(ExternalUnitPatch))
        return Response(ExternalUnitSerializer(unit).data)


class DispatchViewSet(ViewSet):
    serializer_class = DispatchSerializer

    def get_queryset(self) -> Any:
        return q.dispatches(self.actor)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(q.dispatches(self.actor, status=request.query_params.get("status", "")))
        return self.get_paginated_response(DispatchSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(DispatchSerializer(q.dispatch_for(self.actor, pk)).data)

    @extend_schema(request=DispatchIn, responses=DispatchSerializer)
    def create(self, request: Request) -> Response:
        d = self.input(DispatchIn)
        carrier = q.dispatchable_carrier(self.actor, d.pop("carrier"))
        d["unit"] = _unit(self.actor, d["unit"])
        d["escort"] = _person(self.actor, d["escort"], "escort", required=False)
        return Response(
            DispatchSerializer(services.request_dispatch(self.actor, carrier, **d)).data, status=201
        )

    def _decide(self, pk: Any, call: Any) -> Response:
        dispatch = q.dispatch_for(self.actor, pk, "decide")
        return Response(DispatchSerializer(call(self.actor, dispatch, **self.input(DispatchReasonIn))).data)

    @extend_schema(request=DispatchReasonIn, responses=DispatchSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._decide(pk, services.approve_dispatch)

    @extend_schema(request=DispatchReasonIn, responses=DispatchSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self._decide(pk, services.reject_dispatch)

    @extend_schema(request=None, responses=DispatchSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: Any = None) -> Response:
        dispatch = q.dispatch_for(self.actor, pk, "complete")
        return Response(DispatchSerializer(services.send_dispatch(self.actor, dispatch)).data)

    @extend_schema(request=None, responses=DispatchSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        dispatch = q.dispatch_for(self.actor, pk, "withdraw")
        return Response(DispatchSerializer(services.withdraw_dispatch(self.actor, dispatch)).data)

    @extend_schema(request=ReceiptIn, responses=DispatchSerializer)
    @action(detail=True, methods=["post"])
    def receipt(self, request: Request, pk: Any = None) -> Response:
        dispatch = q.dispatch_for(self.actor, pk, "record_receipt")
        return Response(
            DispatchSerializer(services.record_receipt(self.actor, dispatch, **self.input(ReceiptIn))).data
        )

    @extend_schema(request=None, responses=DispatchSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="overdue-receipts")
    def overdue_receipts(self, request: Request) -> Response:
        """Dispatched carriers whose returned receipt is past its due date (CAR-5)."""
        page = self.paginate_queryset(q.overdue_receipts(self.actor).order_by("receipt_due", "pk"))
        return self.get_paginated_response(DispatchSerializer(page, many=True).data)


class IncomingViewSet(ViewSet):
    serializer_class = IncomingSerializer

    def get_queryset(self) -> Any:
        return q.incoming(self.actor)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(IncomingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(IncomingSerializer(q.incoming_for(self.actor, pk)).data)

    @extend_schema(request=IncomingIn, responses=IncomingSerializer)
    def create(self, request: Request) -> Response:
        d = self.input(IncomingIn)
        d["unit"] = _unit(self.actor, d["unit"])
        d["item"] = pick(queries.registrable_items(self.actor), d["item"], "item",
                         missing=_("No such classified item, or not one you can register."))  # fmt: skip
        d["custodian"] = _person(self.actor, d["custodian"], "custodian")
        return Response(IncomingSerializer(services.register_incoming(self.actor, **d)).data, status=201)


router = SimpleRouter()
router.register("external-units", ExternalUnitViewSet, basename="external-unit")
router.register("carrier-dispatches", DispatchViewSet, basename="carrier-dispatch")
router.register("carrier-incoming", IncomingViewSet, basename="carrier-incoming")
urlpatterns = router.urls
