"""REST API of the carrier registry under /api/v1/ (thin: selectors for reads, services for
writes). Transitions are POST actions on the carrier, e.g. ``POST /api/v1/carriers/{id}/lend/``;
approvals are POST actions on the request, e.g. ``POST /api/v1/carrier-loans/{id}/approve/``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.carriers import queries, services
from baomi.carriers.choices import CarrierKind, CopyKind, DestructionMethod
from baomi.carriers.ledger_urls import api_urlpatterns as ledger_api_urlpatterns
from baomi.carriers.models import (
    Carrier,
)
from baomi.core.errors import NotFound, ValidationFailed
from baomi.kit.api import ViewSet, parse, pick


class CarrierSerializer(serializers.ModelSerializer):
    mark = serializers.CharField(source="mark_text", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Carrier
        fields = ["id", "registry_number", "year", "kind", "sequence", "copy_number", "item", "level", "mark",
                  "title", "status", "status_label", "custodian", "holder", "department", "storage_place", "cabinet",
                  "device", "pages",
                  "made_on", "produced_at", "produced_on_device", "originator", "parent", "registered_at"]  # fmt: skip
        read_only_fields = fields


def _person(actor: Any, pk: Any, field: str, required: bool = True) -> Any:
    return pick(queries.people(actor), pk, field, required=required,
                missing=_("No such person, or not one you can choose."))  # fmt: skip


class RegisterIn(serializers.Serializer):
    item = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CarrierKind.choices)
    custodian = serializers.IntegerField()
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    copies = serializers.IntegerField(default=1)
    storage_place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    cabinet = serializers.IntegerField(required=False, allow_null=True, default=None)
    device = serializers.IntegerField(required=False, allow_null=True, default=None)
    pages = serializers.IntegerField(required=False, allow_null=True, default=None)
    made_on = serializers.DateField(required=False, allow_null=True, default=None)
    produced_at = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    produced_on_device = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    originator = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LendIn(serializers.Serializer):
    borrower = serializers.IntegerField(required=False, allow_null=True)
    place = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class NoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CopyIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CopyKind.choices, default=CopyKind.COPY)
    copies = serializers.IntegerField(default=1)
    custodian = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=300)


class PrintIn(serializers.Serializer):
    copies = serializers.IntegerField()
    device = serializers.CharField(max_length=200)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class TransferIn(serializers.Serializer):
    receiver = serializers.IntegerField()
    channel = serializers.CharField(
        max_length=20, help_text="jiyao_jiaotong | jiyao_tongxin | designated_person"
    )
    envelope_number = serializers.CharField(max_length=50)
    escort = serializers.IntegerField(required=False, allow_null=True)


class TakeOutIn(serializers.Serializer):
    destination = serializers.CharField(max_length=200)
    abroad = serializers.BooleanField(default=False)
    protective_measures = serializers.CharField(max_length=300)
    leaves_on = serializers.DateField()
    returns_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class RepairIn(serializers.Serializer):
    technician = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=200)
    fault = serializers.CharField(max_length=300)
    outside = serializers.BooleanField(default=False)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    supervisor = serializers.IntegerField(required=False, allow_null=True)
    contractor = serializers.IntegerField(required=False, allow_null=True, default=None)


class ResultIn(serializers.Serializer):
    result = serializers.CharField(max_length=300)


class PlaceIn(serializers.Serializer):
    place = serializers.CharField(max_length=200)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReceiveIn(serializers.Serializer):
    counted = serializers.IntegerField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ExecuteIn(serializers.Serializer):
    method = serializers.ChoiceField(choices=DestructionMethod.choices)
    facility = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contractor = serializers.IntegerField(required=False, allow_null=True, default=None)
    witness_1 = serializers.IntegerField()
    witness_2 = serializers.IntegerField()
    destroyed_on = serializers.DateField(required=False, allow_null=True, default=None)


def _result(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Carrier):
        return CarrierSerializer(obj).data
    if isinstance(obj, list):
        return {"carriers": [CarrierSerializer(c).data for c in obj]}
    return {"id": obj.pk, "type": obj._meta.model_name, "status": getattr(obj, "status", "")}


class CarrierViewSet(ViewSet):
    """One carrier and its lifecycle actions (CAR-1..11)."""

    serializer_class = CarrierSerializer

    def get_queryset(self) -> Any:
        return queries.visible_carriers(self.request.user)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(CarrierSerializer(queries.carrier_for(request.user, pk)).data)

    @extend_schema(request=RegisterIn, responses=CarrierSerializer(many=True))
    def create(self, request: Request) -> Response:
        d = parse(RegisterIn, request)
        item = queries.registrable_items(request.user).filter(pk=d.pop("item")).first()
        if item is None:
            raise ValidationFailed(
                fields={"item": [_("No such classified item, or not one you can register.")]}
            )
        d["custodian"] = _person(request.user, d["custodian"], "custodian")
        d["cabinet"] = pick(queries.cabinets(request.user), d["cabinet"], "cabinet", required=False)
        d["device"] = pick(queries.devices(request.user), d["device"], "device", required=False)
        made = services.register_carrier(request.user, item=item, **d)
        return Response({"carriers": CarrierSerializer(made, many=True).data}, status=201)

    def _act(self, request: Request, pk: Any, name: str, body: type[serializers.Serializer] | None,
             call: Callable[[Any, Carrier, dict[str, Any]], Any]) -> Response:  # fmt: skip
        carrier = queries.carrier_for(request.user, pk)
        data = parse(body, request) if body else {}
        result = call(request.user, carrier, data)
        return Response(_result(result))

    @extend_schema(request=LendIn)
    @action(detail=True, methods=["post"])
    def lend(self, request: Request, pk: Any = None) -> Response:
        def call(u: Any, c: Carrier, d: dict[str, Any]) -> Any:
            borrower = _person(u, d.pop("borrower", None), "borrower", required=False)
            return services.request_loan(u, c, borrower=borrower, **d)

        return self._act(request, pk, "lend", LendIn, call)

    @extend_schema(request=NoteIn)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        return self._act(request, pk, "return", NoteIn, lambda u, c, d: services.return_carrier(u, c, **d))

    @extend_schema(request=CopyIn)
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: Any = None) -> Response:
        def call(u: Any, c: Carrier, d: dict[str, Any]) -> Any:
            d["custodian"] = _person(u, d.pop("custodian", None), "custodian", required=False)
            return services.request_copy(u, c, **d)

        return self._act(request, pk, "copy", CopyIn, call)

    @extend_schema(request=PrintIn)
    @action(detail=True, methods=["post"], url_path="print")
    def print_(self, request: Request, pk: Any = None) -> Response:
        return self._act(request, pk, "print", PrintIn, lambda u, c, d: services.register_print(u, c, **d))

    @extend_schema(request=ReasonIn)
    @action(detail=True, methods=["post"], url_path="request-download")
    def request_download(self, request: Request, pk: Any = None) -> Response:
        return self._act(
            request, pk, "download", ReasonIn, lambda u, c, d: services.request_download(u, c, **d)
        )

    @extend_schema(request=TransferIn)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: Any = None) -> Response:
        def call(u: Any, c: Carrier, d: dict[str, Any]) -> Any:
            d["receiver"] = _person(u, d["receiver"], "receiver")
            d["escort"] = _person(u, d.pop("escort", None), "escort", required=False)
            return services.send_carrier(u, c, **d)

        return self._act(request, pk, "transfer", TransferIn, call)

    @extend_schema(request=TakeOutIn)
    @action(detail=True, methods=["post"], url_path="take-out")
    def take_out(self, request: Request, pk: Any = None) -> Response:
        return self._act(
            request, pk, "take_out", TakeOutIn, lambda u, c, d: services.request_take_out(u, c, **d)
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="bring-back")
    def bring_back(self, request: Request, pk: Any = None) -> Response:
        return self._act(request, pk, "bring_back", None, lambda u, c, d: services.bring_back(u, c))

    @extend_schema(request=RepairIn)
    @action(detail=True, methods=["post"])
    def repair(self, request: Request, pk: Any = None) -> Response:
        def call(u: Any, c: Carrier, d: dict[str, Any]) -> Any:
            d["supervisor"] = _person(u, d.pop("supervisor", None), "supervisor", required=False)
            d["contractor"] = pick(queries.qualified_contractors("repair", c.level), d["contractor"], "contractor",
                                   required=False)  # fmt: skip
            return services.start_repair(u, c, **d)

        return self._act(request, pk, "repair", RepairIn, call)

    @extend_schema(request=ResultIn)
    @action(detail=True, methods=["post"], url_path="finish-repair")
    def finish_repair(self, request: Request, pk: Any = None) -> Response:
        return self._act(
            request, pk, "finish_repair", ResultIn, lambda u, c, d: services.finish_repair(u, c, **d)
        )

    @extend_schema(request=PlaceIn)
    @action(detail=True, methods=["post"])
    def seal(self, request: Request, pk: Any = None) -> Response:
        return self._act(request, pk, "seal", PlaceIn, lambda u, c, d: services.seal_carrier(u, c, **d))

    @extend_schema(request=PlaceIn)
    @action(detail=True, methods=["post"])
    def unseal(self, request: Request, pk: Any = None) -> Response:
        def call(u: Any, c: Carrier, d: dict[str, Any]) -> Any:
            return services.unseal_carrier(u, c, place=d["place"], note=d["note"])

        return self._act(request, pk, "unseal", PlaceIn, call)

    @extend_schema(request=PlaceIn)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: Any = None) -> Response:
        return self._act(request, pk, "archive", PlaceIn, lambda u, c, d: services.archive_carrier(u, c, **d))

    @extend_schema(request=NoteIn)
    @action(detail=True, methods=["post"], url_path="mark-missing")
    def mark_missing(self, request: Request, pk: Any = None) -> Response:
        return self._act(
            request, pk, "mark_missing", NoteIn, lambda u, c, d: services.mark_missing(u, c, **d)
        )

    @extend_schema(request=NoteIn)
    @action(detail=True, methods=["post"])
    def found(self, request: Request, pk: Any = None) -> Response:
        return self._act(request, pk, "found", NoteIn, lambda u, c, d: services.found_carrier(u, c, **d))

    @extend_schema(request=ReasonIn)
    @action(detail=True, methods=["post"])
    def destroy_request(self, request: Request, pk: Any = None) -> Response:
        def call(u: Any, c: Carrier, d: dict[str, Any]) -> Any:
            return services.request_destruction(u, [c], reason=d["reason"])

        return self._act(request, pk, "destroy", ReasonIn, call)


class RequestViewSet(ViewSet):
    """Approval requests of one kind: read, approve, reject (CAR-4/6/9)."""

    kind = ""
    approve_service: Callable[..., Any] = staticmethod(services.approve_loan)
    serializer_class = NoteIn

    def get_queryset(self) -> Any:
        return queries.requests_for(self.request.user, self.kind)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        req = queries.request_for(request.user, self.kind, pk)
        return Response({"id": req.pk, "carrier": req.carrier_id, "status": req.status, "reason": req.reason,
                         "requested_by": req.requested_by_id, "requested_at": req.requested_at})  # fmt: skip

    @extend_schema(request=NoteIn)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        req = queries.request_for(request.user, self.kind, pk, "approve")
        result = type(self).approve_service(request.user, req, note=parse(NoteIn, request)["note"])
        return Response(_result(result))

    @extend_schema(request=NoteIn)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        req = queries.request_for(request.user, self.kind, pk, "approve")
        return Response(
            _result(services.reject_request(request.user, req, note=parse(NoteIn, request)["note"]))
        )


class OverdueLoanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    carrier = serializers.IntegerField(source="carrier_id")
    registry_number = serializers.CharField(source="carrier.registry_number")
    borrower = serializers.IntegerField(source="borrower_id")
    place = serializers.CharField()
    due_on = serializers.DateField()
    lent_at = serializers.DateTimeField(allow_null=True)


class LoanViewSet(RequestViewSet):
    kind = "loan"
    approve_service = staticmethod(services.approve_loan)

    @extend_schema(request=None, responses=OverdueLoanSerializer(many=True))
    @action(detail=False, methods=["get"])
    def overdue(self, request: Request) -> Response:
        """Loans past their due date and not returned, that the caller may see (CAR-6)."""
        rows = queries.overdue_loans(request.user).select_related("carrier").order_by("due_on", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(OverdueLoanSerializer(page, many=True).data)


class CopyRequestViewSet(RequestViewSet):
    kind = "copy"
    approve_service = staticmethod(services.approve_copy)


class DownloadRequestViewSet(RequestViewSet):
    kind = "download"
    approve_service = staticmethod(services.approve_download)


class TakeOutViewSet(RequestViewSet):
    kind = "take_out"
    approve_service = staticmethod(services.approve_take_out)


class UnsignedTransferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    carrier = serializers.IntegerField(source="carrier_id")
    registry_number = serializers.CharField(source="carrier.registry_number")
    sender = serializers.IntegerField(source="sender_id")
    receiver = serializers.IntegerField(source="receiver_id")
    escort = serializers.IntegerField(source="escort_id", allow_null=True)
    channel = serializers.CharField()
    envelope_number = serializers.CharField()
    sent_at = serializers.DateTimeField()


class TransferViewSet(ViewSet):
    serializer_class = ReceiveIn

    def get_queryset(self) -> Any:
        return queries.transfers_for(self.request.user)

    @extend_schema(request=None, responses=UnsignedTransferSerializer(many=True))
    @action(detail=False, methods=["get"])
    def unsigned(self, request: Request) -> Response:
        """Transfers nobody has signed for yet, that the caller may see (CAR-5, R-CAR-2)."""
        rows = queries.unsigned_transfers(request.user).order_by("pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(UnsignedTransferSerializer(page, many=True).data)

    @extend_schema(request=ReceiveIn)
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: Any = None) -> Response:
        transfer = queries.transfer_for(request.user, pk, "receive")
        return Response(
            _result(services.receive_carrier(request.user, transfer, **parse(ReceiveIn, request)))
        )


class DestructionViewSet(ViewSet):
    serializer_class = NoteIn

    def get_queryset(self) -> Any:
        return queries.destructions_for(self.request.user)

    @extend_schema(request=NoteIn)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        req = queries.destruction_for(request.user, pk, "approve")
        note = parse(NoteIn, request)["note"]
        return Response(_result(services.approve_destruction(request.user, req, note=note)))

    @extend_schema(request=NoteIn)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        req = queries.destruction_for(request.user, pk, "approve")
        note = parse(NoteIn, request)["note"]
        return Response(_result(services.reject_destruction(request.user, req, note=note)))

    @extend_schema(request=ExecuteIn)
    @action(detail=True, methods=["post"])
    def execute(self, request: Request, pk: Any = None) -> Response:
        req = queries.destruction_for(request.user, pk, "execute")
        d = parse(ExecuteIn, request)
        d["witness_1"] = _person(request.user, d["witness_1"], "witness_1")
        d["witness_2"] = _person(request.user, d["witness_2"], "witness_2")
        d["contractor"] = pick(queries.qualified_contractors("destruction", req.level), d["contractor"], "contractor",
                               required=False)  # fmt: skip
        return Response(_result(services.execute_destruction(request.user, req, **d)))


class InventoryStartIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class InventoryCheckIn(serializers.Serializer):
    result = serializers.CharField(help_text="confirmed | missing | damaged")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class InventoryHandOverIn(serializers.Serializer):
    from_user = serializers.IntegerField(help_text="the absent custodian's account id")
    to_user = serializers.IntegerField(help_text="who checks and signs the list instead")
    reason = serializers.CharField(max_length=200)


class InventorySignInPlaceIn(serializers.Serializer):
    custodian = serializers.IntegerField(help_text="the absent custodian's account id")
    witness = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class InventoryViewSet(ViewSet):
    """Inventory campaigns (CAR-8): start, read one's list, sign off, close. Checking one
    carrier is ``POST carrier-inventory-entries/{id}/check/``."""

    serializer_class = InventoryStartIn

    def get_queryset(self) -> Any:
        return queries.inventories_for(self.request.user)

    @extend_schema(request=InventoryStartIn)
    def create(self, request: Request) -> Response:
        campaign = services.start_inventory(request.user, **parse(InventoryStartIn, request))
        return Response(_result(campaign), status=201)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        campaign = queries.inventory_for(request.user, pk)
        entries = [
            {"id": e.pk, "carrier": e.carrier_id, "registry_number": e.carrier.registry_number,
             "custodian": e.custodian_id, "result": e.result, "note": e.note, "incident": e.incident_id}
            for e in queries.inventory_entries(request.user, campaign)
        ]  # fmt: skip
        return Response({"id": campaign.pk, "status": campaign.status, "due_on": campaign.due_on,
                         "signed": sorted(campaign.signoffs.values_list("custodian_id", flat=True)),
                         "entries": entries})  # fmt: skip

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: Any = None) -> Response:
        campaign = queries.inventory_for(request.user, pk, "sign")
        services.sign_inventory(request.user, campaign)
        return Response(_result(campaign))

    @extend_schema(request=InventoryHandOverIn)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, pk: Any = None) -> Response:
        """CAR-8: give an absent custodian's unsigned list to someone else (security office)."""
        campaign = queries.inventory_for(request.user, pk, "manage")
        d = parse(InventoryHandOverIn, request)
        absent = queries.inventory_custodian(campaign, d["from_user"])
        moved = services.hand_over_inventory(request.user, from_user=absent, reason=d["reason"],
                                             to_user=_person(request.user, d["to_user"], "to_user"))  # fmt: skip
        return Response({**_result(campaign), "moved": moved})

    @extend_schema(request=InventorySignInPlaceIn)
    @action(detail=True, methods=["post"], url_path="sign-in-place")
    def sign_in_place(self, request: Request, pk: Any = None) -> Response:
        """CAR-8: sign an absent custodian's checked list in their place, with a witness."""
        campaign = queries.inventory_for(request.user, pk, "manage")
        d = parse(InventorySignInPlaceIn, request)
        absent = queries.inventory_custodian(campaign, d["custodian"])
        services.sign_inventory_in_place(request.user, campaign, custodian=absent, reason=d["reason"],
                                         witness=_person(request.user, d["witness"], "witness"))  # fmt: skip
        return Response(_result(campaign))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        campaign = queries.inventory_for(request.user, pk, "manage")
        return Response(_result(services.close_inventory(request.user, campaign)))


class InventoryEntryViewSet(ViewSet):
    serializer_class = InventoryCheckIn

    def get_queryset(self) -> Any:
        return queries.inventory_entries_for(self.request.user)

    @extend_schema(request=InventoryCheckIn)
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: Any = None) -> Response:
        entry = queries.inventory_entry_for(request.user, pk)
        entry = services.check_inventory_entry(request.user, entry, **parse(InventoryCheckIn, request))
        return Response({"id": entry.pk, "type": "inventoryentry", "result": entry.result})


class RecallLaunchIn(serializers.Serializer):
    issuer = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class RecallReturnIn(serializers.Serializer):
    entry = serializers.IntegerField()


class RecallViewSet(ViewSet):
    """Recall campaigns by issuer (清退, CAR-9, R-CAR-10): launch, read, register each return
    to the issuer, close."""

    serializer_class = RecallLaunchIn

    def get_queryset(self) -> Any:
        return queries.recalls_for(self.request.user)

    @extend_schema(request=RecallLaunchIn)
    def create(self, request: Request) -> Response:
        campaign = services.launch_recall(request.user, **parse(RecallLaunchIn, request))
        return Response(_result(campaign), status=201)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        campaign = queries.recall_for(request.user, pk)
        entries = [
            {"id": e.pk, "carrier": e.carrier_id, "registry_number": e.carrier.registry_number,
             "returned_at": e.returned_at}
            for e in campaign.entries.select_related("carrier")
        ]  # fmt: skip
        return Response({"id": campaign.pk, "issuer": campaign.issuer, "status": campaign.status,
                         "due_on": campaign.due_on, "entries": entries})  # fmt: skip

    @extend_schema(request=RecallReturnIn, operation_id="carrier_recalls_return_create")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        campaign = queries.recall_for(request.user, pk)
        entry = campaign.entries.filter(pk=parse(RecallReturnIn, request)["entry"]).first()
        if entry is None:
            raise NotFound()
        entry = services.record_recall_return(request.user, entry)
        return Response({"id": entry.pk, "type": "recallentry", "returned_at": entry.returned_at})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        campaign = queries.recall_for(request.user, pk, "manage")
        return Response(_result(services.close_recall(request.user, campaign)))


class ConsentIn(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    download = serializers.BooleanField(required=False, default=False)
    copy = serializers.BooleanField(required=False, default=False)
    print = serializers.BooleanField(required=False, default=False)
    originator = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=200)


class ConsentOut(serializers.Serializer):
    """A consent as its keepers see it: the item's id, document number and mark, no title."""

    id = serializers.IntegerField()
    item = serializers.IntegerField(source="item_id")
    item_reference = serializers.CharField(source="item.reference")
    mark = serializers.CharField(source="item.mark_text")
    download = serializers.BooleanField(source="allow_download")
    copy = serializers.BooleanField(source="allow_copy")
    print = serializers.BooleanField(source="allow_print")
    originator = serializers.CharField()
    reference = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class ConsentViewSet(ViewSet):
    """Originator consents for 绝密 content (R-AC-3): listed for their keepers; recorded on the
    item by the unit head or its 定密责任人 (no need-to-know scope needed, none granted);
    revoked by the same. Anyone else gets not found."""

    serializer_class = ConsentOut

    def get_queryset(self) -> Any:
        return queries.consents(self.request.user)

    @extend_schema(responses=ConsentOut(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ConsentOut(page, many=True).data)

    @extend_schema(request=ConsentIn, responses={201: ConsentOut})
    def create(self, request: Request) -> Response:
        d = parse(ConsentIn, request)
        item = queries.consent_item_for(request.user, d["item"])
        consent = services.record_item_consent(
            request.user, item, download=d["download"], copy=d["copy"], print_=d["print"],
            originator=d["originator"], reference=d["reference"],
        )  # fmt: skip
        return Response(ConsentOut(consent).data, status=201)

    @extend_schema(request=None, responses=ConsentOut)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        consent = services.revoke_consent(request.user, queries.consent_for(request.user, pk))
        return Response(ConsentOut(consent).data)


router = SimpleRouter()
router.register("carriers", CarrierViewSet, basename="carrier")
router.register("carrier-loans", LoanViewSet, basename="carrier-loan")
router.register("carrier-copy-requests", CopyRequestViewSet, basename="carrier-copy-request")
router.register("carrier-download-requests", DownloadRequestViewSet, basename="carrier-download-request")
router.register("carrier-take-outs", TakeOutViewSet, basename="carrier-take-out")
router.register("carrier-transfers", TransferViewSet, basename="carrier-transfer")
router.register("carrier-destructions", DestructionViewSet, basename="carrier-destruction")
router.register("carrier-inventories", InventoryViewSet, basename="carrier-inventory")
router.register("carrier-inventory-entries", InventoryEntryViewSet, basename="carrier-inventory-entry")
router.register("carrier-recalls", RecallViewSet, basename="carrier-recall")
router.register("carrier-consents", ConsentViewSet, basename="carrier-consent")
urlpatterns = router.urls
urlpatterns[:0] = ledger_api_urlpatterns  # first: carriers/<pk>/ would shadow carriers/ledger/

# 发文 and 收文 (issue 12 §3).
from baomi.carriers.exchange_api import urlpatterns as exchange_urlpatterns  # noqa: E402

urlpatterns += exchange_urlpatterns
