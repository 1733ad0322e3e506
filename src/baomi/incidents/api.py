"""REST API of the incidents app under /api/v1/incidents/ (SUP-2, R-INC-1..5).

Thin: querysets come from selectors (policy-filtered), writes go to services; serializers check
shape only. The reporter appears only in the security officer's responses (PER-8); the journal,
reports, links and notices only for those who may see the record (``view_record``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.access.policy import can
from baomi.core.levels import Level
from baomi.incidents import selectors, services
from baomi.incidents.choices import Channel, IncidentKind, NoticeAudience, Recipient, ReviewResult
from baomi.incidents.models import Incident
from baomi.kit.api import ViewSet, parse, pick
from baomi.personnel.choices import SanctionKind

# --- serializers ---------------------------------------------------------------------------------


class ClockSerializer(serializers.Serializer):
    state = serializers.CharField()
    deadline = serializers.DateTimeField(allow_null=True)
    remaining_seconds = serializers.IntegerField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())


def _clock(obj: Incident) -> dict[str, Any]:
    c = selectors.clock_of(obj)
    return {"state": c.state, "deadline": c.deadline, "missing": list(c.missing),
            "remaining_seconds": int(c.remaining.total_seconds()) if c.remaining is not None else None}  # fmt: skip


class IncidentSerializer(serializers.ModelSerializer):
    clock = serializers.SerializerMethodField()
    handler = serializers.IntegerField(source="handler_id", read_only=True, allow_null=True)

    class Meta:
        model = Incident
        fields = ["id", "title", "kind", "level", "status", "discovered_at", "opened_at", "deadline_at", "overdue_at",
                  "clock", "handler", "case_number"]  # fmt: skip
        read_only_fields = fields

    @extend_schema(responses=ClockSerializer)
    def get_clock(self, obj: Incident) -> dict[str, Any]:
        return _clock(obj)


class UpwardReportOut(serializers.Serializer):
    recipient = serializers.CharField()
    reported_at = serializers.DateTimeField()
    channel = serializers.CharField()
    reference = serializers.CharField()
    late = serializers.BooleanField()


class EntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    audience = serializers.CharField()


class NoticeOut(serializers.Serializer):
    audience = serializers.CharField()
    notified_at = serializers.DateTimeField()
    channel = serializers.CharField()
    info_types = serializers.CharField()
    cause = serializers.CharField()
    likely_harm = serializers.CharField()
    measures = serializers.CharField()
    remedies = serializers.CharField()
    contact = serializers.CharField()


class IncidentDetailSerializer(IncidentSerializer):
    """The incident; ``record`` (journal, reports, links, notices) only for those who may see
    it, ``reporter`` only for the security officer (PER-8)."""

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "description", "place", "source", "source_ref",
                  "review_result", "conclusion", "concluded_at", "closed_at"]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance: Incident) -> dict[str, Any]:
        data = super().to_representation(instance)
        viewer = self.context["request"].user
        if can(viewer, "view_record", instance):
            data["upward_reports"] = UpwardReportOut(
                selectors.upward_reports_of(viewer, instance), many=True
            ).data
            data["entries"] = EntryOut(selectors.entries_of(viewer, instance), many=True).data
            data["notices"] = NoticeOut(selectors.notices_of(viewer, instance), many=True).data
            data["carriers"] = [{"id": link.carrier_id, "registry_number": link.carrier.registry_number,
                                 "lost": link.lost, "status": link.carrier.status}
                                for link in selectors.carriers_of(viewer, instance)]  # fmt: skip
            data["items"] = [link.item_id for link in selectors.items_of(viewer, instance)]
            data["penalties"] = [{"id": s.pk, "user": s.user_id, "kind": s.kind, "decided_on": s.decided_on,
                                  "reason": s.reason} for s in selectors.sanctions_of(viewer, instance)]  # fmt: skip
            data["closing_gaps"] = services.closing_gaps(instance)
        reporter = selectors.reporter_of(viewer, instance)
        if reporter is not None:
            data["reporter"] = {
                "id": reporter.pk,
                "username": reporter.username,
                "full_name": reporter.full_name,
            }
        return data


class ReportIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    discovered_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    carriers = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                     max_length=200)  # fmt: skip


class AssignIn(serializers.Serializer):
    handler = serializers.IntegerField()


class CorrectIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncidentKind.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class UpwardIn(serializers.Serializer):
    recipient = serializers.ChoiceField(choices=Recipient.choices)
    reported_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    reference = serializers.CharField(max_length=200)


class ActionIn(serializers.Serializer):
    text = serializers.CharField()
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    taken_by = serializers.IntegerField(required=False, allow_null=True, default=None)


class TextIn(serializers.Serializer):
    text = serializers.CharField()


class CaseIn(serializers.Serializer):
    case_number = serializers.CharField(max_length=100)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class ConcludeIn(serializers.Serializer):
    review_result = serializers.ChoiceField(choices=ReviewResult.choices)
    conclusion = serializers.CharField()


class NotifyIn(serializers.Serializer):
    audience = serializers.CharField(max_length=300)
    text = serializers.CharField()
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class NoticeIn(serializers.Serializer):
    audience = serializers.ChoiceField(choices=NoticeAudience.choices)
    notified_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    info_types = serializers.CharField(max_length=300)
    cause = serializers.CharField(max_length=300)
    likely_harm = serializers.CharField(max_length=300)
    measures = serializers.CharField(max_length=300)
    remedies = serializers.CharField(max_length=300)
    contact = serializers.CharField(max_length=200)


class CarrierIn(serializers.Serializer):
    registry_number = serializers.CharField(max_length=40)
    lost = serializers.BooleanField(default=False)


class ItemIn(serializers.Serializer):
    item = serializers.IntegerField()


class PenaltyIn(serializers.Serializer):
    """PER-7: a penalty (警告, 记过, 降级, 开除) decided on someone for this incident."""

    user = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=[c for c in SanctionKind.choices if c[0] != SanctionKind.COMMENDATION]
    )
    decided_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


# --- viewset -------------------------------------------------------------------------------------


class IncidentViewSet(mixins.ListModelMixin, ViewSet):
    """Incidents: anyone reports; the security officer, the unit head and the handler work them."""

    serializer_class = IncidentSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.incidents(self.request.user, status=g.get("status", ""), kind=g.get("kind", ""),
                                   q=g.get("q", ""), clock=g.get("clock", ""))  # fmt: skip

    def get_serializer_class(self) -> Any:
        return IncidentDetailSerializer if self.action != "list" else IncidentSerializer

    def _i(self, pk: Any) -> Incident:
        return selectors.get_incident(self.request.user, pk)

    def _out(self, pk: Any, status: int = 200) -> Response:
        data = IncidentDetailSerializer(self._i(pk), context={"request": self.request}).data
        return Response(data, status=status)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._out(pk)

    @extend_schema(request=ReportIn, responses={201: IncidentDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(ReportIn, request)
        carriers = [selectors.carrier_by_number(request.user, n) for n in d.pop("carriers")]
        incident = services.report_incident(request.user, carriers=carriers, **d)
        return self._out(incident.pk, 201)

    @extend_schema(request=AssignIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        d = parse(AssignIn, request)
        handler = pick(selectors.people(), d["handler"], "handler")
        services.assign_incident(request.user, self._i(pk), handler=handler)
        return self._out(pk)

    @extend_schema(request=CorrectIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: Any = None) -> Response:
        services.correct_incident(request.user, self._i(pk), **parse(CorrectIn, request))
        return self._out(pk)

    @extend_schema(request=UpwardIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="report-upward")
    def report_upward(self, request: Request, pk: Any = None) -> Response:
        services.report_upward(request.user, self._i(pk), **parse(UpwardIn, request))
        return self._out(pk)

    @extend_schema(request=ActionIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="actions")
    def actions(self, request: Request, pk: Any = None) -> Response:
        d = parse(ActionIn, request)
        taken_by = pick(selectors.people(), d["taken_by"], "taken_by", required=False)
        services.record_action(request.user, self._i(pk), text=d["text"], occurred_at=d["occurred_at"],
                               taken_by=taken_by)  # fmt: skip
        return self._out(pk)

    @extend_schema(request=TextIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: Any = None) -> Response:
        services.record_note(request.user, self._i(pk), **parse(TextIn, request))
        return self._out(pk)

    @extend_schema(request=CaseIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="file-case")
    def file_case(self, request: Request, pk: Any = None) -> Response:
        services.file_case(request.user, self._i(pk), **parse(CaseIn, request))
        return self._out(pk)

    @extend_schema(request=ConcludeIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, pk: Any = None) -> Response:
        services.conclude_incident(request.user, self._i(pk), **parse(ConcludeIn, request))
        return self._out(pk)

    @extend_schema(request=NotifyIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request: Request, pk: Any = None) -> Response:
        services.notify_incident(request.user, self._i(pk), **parse(NotifyIn, request))
        return self._out(pk)

    @extend_schema(request=NoticeIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def notices(self, request: Request, pk: Any = None) -> Response:
        services.record_notice(request.user, self._i(pk), **parse(NoticeIn, request))
        return self._out(pk)

    @extend_schema(request=CarrierIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def carriers(self, request: Request, pk: Any = None) -> Response:
        d = parse(CarrierIn, request)
        carrier = selectors.carrier_by_number(request.user, d["registry_number"])
        services.involve_carrier(request.user, self._i(pk), carrier, lost=d["lost"])
        return self._out(pk)

    @extend_schema(request=ItemIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: Any = None) -> Response:
        d = parse(ItemIn, request)
        services.involve_item(request.user, self._i(pk), selectors.item_for(request.user, d["item"]))
        return self._out(pk)

    @extend_schema(request=PenaltyIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def penalties(self, request: Request, pk: Any = None) -> Response:
        """Record a penalty linked to the incident, through the personnel service (PER-7):
        ``manage_personnel``, never on oneself; audited SANCTION_RECORDED."""
        from baomi.personnel.services import record_sanction

        incident = self._i(pk)
        d = parse(PenaltyIn, request)
        person = pick(selectors.people(), d.pop("user"), "user")
        record_sanction(request.user, user=person, incident=incident, **d)
        return self._out(pk)

    @extend_schema(request=None, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        services.close_incident(request.user, self._i(pk))
        return self._out(pk)

    @extend_schema(request=TextIn, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def addenda(self, request: Request, pk: Any = None) -> Response:
        services.add_addendum(request.user, self._i(pk), **parse(TextIn, request))
        return self._out(pk)


router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
urlpatterns = router.urls

__all__ = ["router", "urlpatterns"]
