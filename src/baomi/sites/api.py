"""REST API of the key departments and places register under /api/v1/ (SUP-5).

Thin: querysets come from selectors (policy-filtered), writes go to services; serializers check
shape only. Errors are the common envelope (``core.api``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.kit.api import RectificationTaskRef, parse, pick
from baomi.sites import selectors, services
from baomi.sites.choices import PlaceKind
from baomi.sites.models import Cabinet, KeyDepartment, KeyPlace, PlaceCheck


class KeyDepartmentSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = KeyDepartment
        fields = ["id", "department", "department_name", "level", "responsible", "reason", "status",
                  "confirmed_on", "confirmation_ref", "note"]  # fmt: skip
        read_only_fields = fields


class KeyDepartmentIn(serializers.Serializer):
    department = serializers.IntegerField()
    level = serializers.CharField()
    responsible = serializers.IntegerField()
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class SiteConfirmIn(serializers.Serializer):
    confirmed_on = serializers.DateField()
    reference = serializers.CharField(max_length=100)


class SiteReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class KeyPlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyPlace
        fields = ["id", "code", "name", "kind", "department", "level", "responsible", "location", "access_control",
                  "cctv", "alarm", "shielding", "status", "confirmed_on", "confirmation_ref", "check_months",
                  "next_check_on", "note"]  # fmt: skip
        read_only_fields = fields


class KeyPlaceIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    code = serializers.CharField(max_length=30)
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    department = serializers.IntegerField()
    level = serializers.CharField()
    responsible = serializers.IntegerField()
    location = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    access_control = serializers.BooleanField(required=False, default=False)
    cctv = serializers.BooleanField(required=False, default=False)
    alarm = serializers.BooleanField(required=False, default=False)
    shielding = serializers.BooleanField(required=False, default=False)
    check_months = serializers.IntegerField(required=False, default=None, allow_null=True)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class CabinetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cabinet
        fields = ["id", "number", "name", "place", "custodian", "level", "status", "note"]
        read_only_fields = fields


class CabinetIn(serializers.Serializer):
    number = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=100)
    custodian = serializers.IntegerField()
    level = serializers.CharField(required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class PlaceCheckSerializer(serializers.ModelSerializer):
    rectification_tasks = serializers.SerializerMethodField()

    class Meta:
        model = PlaceCheck
        fields = [
            "id",
            "place",
            "planned_on",
            "status",
            "checked_on",
            "checker",
            "findings",
            "rectification_tasks",
        ]
        read_only_fields = fields

    @extend_schema_field(RectificationTaskRef(many=True))
    def get_rectification_tasks(self, obj: PlaceCheck) -> list[dict[str, Any]]:
        """The tasks of the rectification loop (inspections) that rectify its findings."""
        if not obj.findings:
            return []
        tasks = selectors.rectification_tasks([obj]).get(obj.pk, [])
        return list(RectificationTaskRef(tasks, many=True).data)


class PlaceCheckPlanIn(serializers.Serializer):
    planned_on = serializers.DateField()


class PlaceCheckRecordIn(serializers.Serializer):
    checked_on = serializers.DateField()
    findings = serializers.CharField(required=False, default="", allow_blank=True)
    rectify_by = serializers.DateField(required=False, default=None, allow_null=True)


class KeyDepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Key departments (保密要害部门, R-SITE-1)."""

    serializer_class = KeyDepartmentSerializer

    def get_queryset(self) -> Any:
        return selectors.key_departments(
            self.request.user, status=self.request.query_params.get("status", "")
        )

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(KeyDepartmentSerializer(selectors.get_key_department(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        d = parse(KeyDepartmentIn, request)
        dept = pick(selectors.departments(), d.pop("department"), "department")
        kd = services.designate_department(request.user, department=dept, level=d.pop("level"),
                                           responsible=pick(selectors.people(), d.pop("responsible"), "responsible"), **d)  # fmt: skip
        return Response(KeyDepartmentSerializer(kd).data, status=201)

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        d = parse(SiteConfirmIn, request)
        kd = services.confirm_department(request.user, selectors.get_key_department(request.user, pk), **d)
        return Response(KeyDepartmentSerializer(kd).data)

    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        d = parse(SiteReasonIn, request)
        kd = services.revoke_department(request.user, selectors.get_key_department(request.user, pk), **d)
        return Response(KeyDepartmentSerializer(kd).data)


class KeyPlaceViewSet(viewsets.ReadOnlyModelViewSet):
    """Key places (保密要害部位, R-SITE-1) with their cabinets and checks."""

    serializer_class = KeyPlaceSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.places(self.request.user, q=g.get("q", ""), status=g.get("status", ""),
                                kind=g.get("kind", ""), level=g.get("level", ""))  # fmt: skip

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(KeyPlaceSerializer(selectors.get_place(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        d = parse(KeyPlaceIn, request)
        d["department"] = pick(selectors.departments(), d["department"], "department")
        d["responsible"] = pick(selectors.people(), d["responsible"], "responsible")
        place = services.register_place(request.user, **d)
        return Response(KeyPlaceSerializer(place).data, status=201)

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        d = parse(SiteConfirmIn, request)
        return Response(KeyPlaceSerializer(services.confirm_place(request.user, selectors.get_place(request.user, pk),
                                                                  **d)).data)  # fmt: skip

    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        d = parse(SiteReasonIn, request)
        return Response(KeyPlaceSerializer(services.revoke_place(request.user, selectors.get_place(request.user, pk),
                                                                 **d)).data)  # fmt: skip

    @action(detail=True, methods=["post"])
    def cabinets(self, request: Request, pk: Any = None) -> Response:
        d = parse(CabinetIn, request)
        d["custodian"] = pick(selectors.people(), d["custodian"], "custodian")
        cab = services.add_cabinet(request.user, place=selectors.get_place(request.user, pk), **d)
        return Response(CabinetSerializer(cab).data, status=201)

    @action(detail=True, methods=["post"], url_path="plan-check")
    def plan_check(self, request: Request, pk: Any = None) -> Response:
        d = parse(PlaceCheckPlanIn, request)
        chk = services.plan_check(request.user, selectors.get_place(request.user, pk), **d)
        return Response(PlaceCheckSerializer(chk).data, status=201)


class CabinetViewSet(viewsets.ReadOnlyModelViewSet):
    """Secrecy cabinets (保密柜) of key places."""

    serializer_class = CabinetSerializer

    def get_queryset(self) -> Any:
        return selectors.cabinets(self.request.user, q=self.request.query_params.get("q", ""))

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(CabinetSerializer(selectors.get_cabinet(request.user, pk)).data)

    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: Any = None) -> Response:
        d = parse(SiteReasonIn, request)
        return Response(CabinetSerializer(services.retire_cabinet(request.user, selectors.get_cabinet(
            request.user, pk), **d)).data)  # fmt: skip


class PlaceCheckViewSet(viewsets.ReadOnlyModelViewSet):
    """Periodic checks of key places with their findings (SUP-5); the findings are rectified in
    the rectification loop (``/api/v1/inspections/tasks/``, SUP-1 整改)."""

    serializer_class = PlaceCheckSerializer

    def get_queryset(self) -> Any:
        return selectors.place_checks(self.request.user, status=self.request.query_params.get("status", ""))

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(PlaceCheckSerializer(selectors.get_check(request.user, pk)).data)

    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: Any = None) -> Response:
        d = parse(PlaceCheckRecordIn, request)
        return Response(PlaceCheckSerializer(services.record_check(request.user, selectors.get_check(
            request.user, pk), **d)).data)  # fmt: skip


router = SimpleRouter()
router.register("key-departments", KeyDepartmentViewSet, basename="key-department")
router.register("key-places", KeyPlaceViewSet, basename="key-place")
router.register("cabinets", CabinetViewSet, basename="cabinet")
router.register("place-checks", PlaceCheckViewSet, basename="place-check")
urlpatterns = router.urls
