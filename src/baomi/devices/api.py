"""REST API of the media and devices register under /api/v1/ (SUP-6): selectors read, services
write, serializers check shape only (the serial and USB id formats are the services')."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.contractors.selectors import contractors as contractor_list
from baomi.core.errors import ValidationFailed
from baomi.devices import selectors, services
from baomi.devices.choices import CheckResult, DeviceKind
from baomi.devices.models import Device, DeviceCheck, Maintenance
from baomi.kit.api import RectificationTaskRef, parse, pick, pick_many


class DeviceSerializer(serializers.ModelSerializer):
    hosts: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Device
        fields = ["id", "asset_number", "kind", "model_name", "serial", "usb_vendor", "usb_product", "level",
                  "custodian", "department", "place", "hosts", "status", "procured_on", "commissioned_on",
                  "check_months", "next_check_on", "sanitised_on", "destroyed_by", "destruction_ref", "scrapped_on",
                  "incident", "note"]  # fmt: skip
        read_only_fields = fields


class DeviceIn(serializers.Serializer):
    asset_number = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    model_name = serializers.CharField(max_length=100)
    serial = serializers.CharField(max_length=200)
    usb_vendor = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    usb_product = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    level = serializers.CharField()
    custodian = serializers.IntegerField()
    department = serializers.IntegerField()
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    hosts = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    procured_on = serializers.DateField(required=False, allow_null=True, default=None)
    check_months = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class DeviceCheckIn(serializers.Serializer):
    checked_on = serializers.DateField()
    result = serializers.ChoiceField(choices=CheckResult.choices)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    rectify_by = serializers.DateField(required=False, default=None, allow_null=True)


class DeviceCheckSerializer(serializers.ModelSerializer):
    rectification_tasks = serializers.SerializerMethodField()

    class Meta:
        model = DeviceCheck
        fields = ["id", "device", "checked_on", "result", "note", "checker", "rectification_tasks"]
        read_only_fields = fields

    @extend_schema_field(RectificationTaskRef(many=True))
    def get_rectification_tasks(self, obj: DeviceCheck) -> list[dict[str, Any]]:
        """The tasks of the rectification loop (inspections) that rectify its problem."""
        tasks = selectors.rectification_tasks([obj]).get(obj.pk, [])
        return list(RectificationTaskRef(tasks, many=True).data)


class MaintenanceIn(serializers.Serializer):
    contractor = serializers.IntegerField()
    technician = serializers.CharField(max_length=100)
    supervisor = serializers.IntegerField()
    fault = serializers.CharField(max_length=300)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


class MaintenanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Maintenance
        fields = ["id", "device", "contractor", "qualification", "technician", "supervisor", "fault", "started_on",
                  "finished_on", "result"]  # fmt: skip
        read_only_fields = fields


class MaintenanceFinishIn(serializers.Serializer):
    result = serializers.CharField(max_length=300)
    finished_on = serializers.DateField(required=False, allow_null=True, default=None)


class DeviceScrapIn(serializers.Serializer):
    sanitised_on = serializers.DateField()
    sanitisation = serializers.CharField(max_length=200)
    destroyed_by = serializers.IntegerField()
    destruction_ref = serializers.CharField(max_length=100)
    scrapped_on = serializers.DateField(required=False, allow_null=True, default=None)


class DeviceNoteIn(serializers.Serializer):
    note = serializers.CharField()


class DeviceViewSet(viewsets.ReadOnlyModelViewSet):
    """Removable media and devices (SUP-6); ``?kind=removable`` for the media."""

    serializer_class = DeviceSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.devices(self.request.user, q=g.get("q", ""), kind=g.get("kind", ""),
                                 status=g.get("status", ""), level=g.get("level", "")).prefetch_related("hosts")  # fmt: skip

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(DeviceSerializer(selectors.get_device(request.user, pk)).data)

    def _device(self, request: Request, pk: Any) -> Device:
        return selectors.get_device(request.user, pk)

    def _ok(self, request: Request, pk: Any) -> Response:
        return Response(DeviceSerializer(self._device(request, pk)).data)

    def create(self, request: Request) -> Response:
        d = parse(DeviceIn, request)
        u = request.user
        d["custodian"] = pick(selectors.people(), d["custodian"], "custodian")
        d["department"] = pick(selectors.departments(), d["department"], "department")
        if d["place"] is not None:
            from baomi.sites.selectors import usable_places

            d["place"] = pick(usable_places(u), d["place"], "place")
        d["hosts"] = pick_many(selectors.computers(u), d["hosts"], "hosts")
        return Response(DeviceSerializer(services.register_device(u, **d)).data, status=201)

    @action(detail=True, methods=["post"])
    def commission(self, request: Request, pk: Any = None) -> Response:
        services.commission_device(request.user, self._device(request, pk))
        return self._ok(request, pk)

    @extend_schema(request=DeviceCheckIn, responses=DeviceCheckSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: Any = None) -> Response:
        d = parse(DeviceCheckIn, request)
        return Response(DeviceCheckSerializer(services.check_device(request.user, self._device(request, pk), **d)).data,
                        status=201)  # fmt: skip

    @extend_schema(request=MaintenanceIn, responses=MaintenanceSerializer)
    @action(detail=True, methods=["post"])
    def maintain(self, request: Request, pk: Any = None) -> Response:
        d = parse(MaintenanceIn, request)
        d["contractor"] = pick(contractor_list(request.user), d["contractor"], "contractor")
        d["supervisor"] = pick(selectors.people(), d["supervisor"], "supervisor")
        m = services.start_maintenance(request.user, self._device(request, pk), **d)
        return Response(MaintenanceSerializer(m).data, status=201)

    @extend_schema(request=MaintenanceFinishIn, responses=MaintenanceSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, pk: Any = None) -> Response:
        d = parse(MaintenanceFinishIn, request)
        return Response(MaintenanceSerializer(services.finish_maintenance(request.user, self._device(request, pk),
                                                                          **d)).data)  # fmt: skip

    @extend_schema(request=DeviceScrapIn)
    @action(detail=True, methods=["post"])
    def scrap(self, request: Request, pk: Any = None) -> Response:
        d = parse(DeviceScrapIn, request)
        d["destroyed_by"] = pick(contractor_list(request.user), d["destroyed_by"], "destroyed_by")
        services.scrap_device(request.user, self._device(request, pk), **d)
        return self._ok(request, pk)

    @extend_schema(request=DeviceNoteIn)
    @action(detail=True, methods=["post"], url_path="report-lost")
    def report_lost(self, request: Request, pk: Any = None) -> Response:
        d = parse(DeviceNoteIn, request)
        services.report_lost(request.user, self._device(request, pk), **d)
        return self._ok(request, pk)

    @extend_schema(
        parameters=[OpenApiParameter("department", int, required=False), OpenApiParameter("computer", int, required=False),
                    OpenApiParameter("format", str, enum=["usbguard", "csv"], required=False)],
        responses={(200, "text/plain"): OpenApiTypes.STR},
    )  # fmt: skip
    @action(detail=False, methods=["get"])
    def whitelist(self, request: Request) -> HttpResponse:
        """The USBGuard rules file (or CSV) of a department's or a computer's registered, in-use
        removable media; every other USB device is blocked (SUP-6). Audited."""
        g, u = request.query_params, request.user
        department = computer = None
        if g.get("department"):
            department = pick(selectors.departments(), g["department"], "department")
        if g.get("computer"):
            computer = pick(selectors.computers(u), g["computer"], "computer")
        fmt = g.get("format", "usbguard")
        if fmt not in ("usbguard", "csv"):
            raise ValidationFailed(fields={"format": ["usbguard | csv"]})
        wl = services.export_whitelist(u, department=department, computer=computer, fmt=fmt)
        ctype = "text/csv; charset=utf-8" if fmt == "csv" else "text/plain; charset=utf-8"
        response = HttpResponse(wl.text, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{wl.filename}"'
        return response


router = SimpleRouter()
router.register("devices", DeviceViewSet, basename="device")
urlpatterns = router.urls
