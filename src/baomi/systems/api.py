"""REST API of the information systems register under /api/v1/ (SUP-7, R-SYS): selectors read,
services write (grade, go-live and cadence rules are the services')."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.devices.selectors import devices as device_list
from baomi.kit.api import parse, pick, pick_many
from baomi.sites.selectors import usable_places
from baomi.systems import selectors, services
from baomi.systems.choices import AssessmentReason, Outcome, ReviewKind, SystemKind
from baomi.systems.models import InformationSystem, RiskAssessment


class SystemSerializer(serializers.ModelSerializer):
    devices: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = InformationSystem
        fields = ["id", "code", "name", "kind", "grade", "department", "place", "isolation", "users_scope",
                  "user_count", "system_admin", "security_admin", "auditor", "devices", "status", "live_on",
                  "next_assessment_on", "reassess_since", "note"]  # fmt: skip
        read_only_fields = fields


class SystemIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    code = serializers.CharField(max_length=30)
    kind = serializers.ChoiceField(choices=SystemKind.choices)
    grade = serializers.CharField()
    department = serializers.IntegerField()
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    isolation = serializers.CharField(max_length=300)
    users_scope = serializers.CharField(max_length=300)
    user_count = serializers.IntegerField(min_value=0, required=False, default=0)
    system_admin = serializers.IntegerField()
    security_admin = serializers.IntegerField()
    auditor = serializers.IntegerField()
    devices = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class SystemChangeIn(SystemIn):
    name = None  # type: ignore[assignment]  # fixed at registration
    code = None  # type: ignore[assignment]
    kind = None  # type: ignore[assignment]
    department = None  # type: ignore[assignment]


class SystemReviewIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    body = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=100)
    held_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class SystemGoLiveIn(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)


class SystemAssessmentIn(serializers.Serializer):
    assessed_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=AssessmentReason.choices)
    assessor = serializers.CharField(max_length=200)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    findings = serializers.CharField(required=False, default="", allow_blank=True)


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskAssessment
        fields = ["id", "system", "assessed_on", "reason", "assessor", "outcome", "findings", "next_due_on"]
        read_only_fields = fields


class SystemPatchIn(serializers.Serializer):
    applied_on = serializers.DateField()
    reference = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, default=Outcome.PASSED)


class SystemDrillIn(serializers.Serializer):
    held_on = serializers.DateField()
    scenario = serializers.CharField(max_length=300)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    recovery_minutes = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class SystemReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class SystemViewSet(viewsets.ReadOnlyModelViewSet):
    """Information systems (SUP-7); ``?status=live``, ``?kind=classified``."""

    serializer_class = SystemSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.systems(self.request.user, q=g.get("q", ""), kind=g.get("kind", ""),
                                 status=g.get("status", "")).prefetch_related("devices")  # fmt: skip

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(SystemSerializer(selectors.get_system(request.user, pk)).data)

    def _people(self, d: dict[str, Any]) -> dict[str, Any]:
        u = self.request.user
        for name in ("system_admin", "security_admin", "auditor"):
            d[name] = pick(selectors.people(), d[name], name)
        d["place"] = pick(usable_places(u), d["place"], "place", required=False)
        d["devices"] = pick_many(device_list(u), d["devices"], "devices")
        return d

    def create(self, request: Request) -> Response:
        d = self._people(parse(SystemIn, request))
        d["department"] = pick(selectors.departments(), d["department"], "department")
        return Response(SystemSerializer(services.register_system(request.user, **d)).data, status=201)

    def _system(self, pk: Any) -> InformationSystem:
        return selectors.get_system(self.request.user, pk)

    def _ok(self, pk: Any) -> Response:
        return Response(SystemSerializer(self._system(pk)).data)

    @extend_schema(request=SystemChangeIn)
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: Any = None) -> Response:
        services.change_system(request.user, self._system(pk), **self._people(parse(SystemChangeIn, request)))
        return self._ok(pk)

    @extend_schema(request=SystemReviewIn)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        services.record_review(request.user, self._system(pk), **parse(SystemReviewIn, request))
        return self._ok(pk)

    @extend_schema(request=SystemGoLiveIn)
    @action(detail=True, methods=["post"], url_path="go-live")
    def go_live(self, request: Request, pk: Any = None) -> Response:
        services.go_live(request.user, self._system(pk), **parse(SystemGoLiveIn, request))
        return self._ok(pk)

    @extend_schema(request=SystemAssessmentIn, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: Any = None) -> Response:
        ra = services.record_assessment(request.user, self._system(pk), **parse(SystemAssessmentIn, request))
        return Response(AssessmentSerializer(ra).data, status=201)

    @extend_schema(request=SystemPatchIn)
    @action(detail=True, methods=["post"])
    def patches(self, request: Request, pk: Any = None) -> Response:
        services.record_patch(request.user, self._system(pk), **parse(SystemPatchIn, request))
        return self._ok(pk)

    @extend_schema(request=SystemDrillIn)
    @action(detail=True, methods=["post"])
    def drill(self, request: Request, pk: Any = None) -> Response:
        services.record_drill(request.user, self._system(pk), **parse(SystemDrillIn, request))
        return self._ok(pk)

    @extend_schema(request=SystemReasonIn)
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: Any = None) -> Response:
        services.retire_system(request.user, self._system(pk), **parse(SystemReasonIn, request))
        return self._ok(pk)


router = SimpleRouter()
router.register("information-systems", SystemViewSet, basename="information-system")
urlpatterns = router.urls
