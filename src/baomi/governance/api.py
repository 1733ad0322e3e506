"""REST API of the governance records under /api/v1/governance/ (ORG-2, SUP-9..11).

Thin: querysets come from selectors (policy-filtered), writes go to services; serializers check
shape only; people and records named in a body are picked among the selectors' choices
(``kit.api.pick``). ``GET /api/v1/governance/checks/`` gives the self-inspection figures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.access.policy import require
from baomi.governance import selectors, services
from baomi.governance.choices import Body, EventKind, PlanKind, Position, ReviewOutcome
from baomi.governance.models import (
    Campaign,
    EducationEvent,
    EmergencyPlan,
    Membership,
    Regulation,
    RegulationVersion,
    ResponsibilityStatement,
)
from baomi.kit.api import parse, pick, pick_many

# --- serializers ---------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "body", "user", "username", "position", "duties", "started_on", "ended_on", "reference",
                  "end_reason"]  # fmt: skip
        read_only_fields = fields


class AppointIn(serializers.Serializer):
    body = serializers.ChoiceField(choices=Body.choices)
    user = serializers.IntegerField()
    position = serializers.ChoiceField(choices=Position.choices)
    duties = serializers.CharField(required=False, default="", allow_blank=True)
    started_on = serializers.DateField(required=False, default=None)
    reference = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class MemberChangeIn(serializers.Serializer):
    position = serializers.ChoiceField(choices=Position.choices)
    duties = serializers.CharField(required=False, default="", allow_blank=True)
    on = serializers.DateField(required=False, default=None)
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class MemberEndIn(serializers.Serializer):
    on = serializers.DateField(required=False, default=None)
    reason = serializers.CharField(max_length=300)


class StatementSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    signed = serializers.BooleanField(read_only=True)

    class Meta:
        model = ResponsibilityStatement
        fields = ["id", "department", "department_name", "year", "text", "department_signatory",
                  "department_signed_on", "unit_signatory", "unit_signed_on", "signed"]  # fmt: skip
        read_only_fields = fields


class StatementIn(serializers.Serializer):
    department = serializers.IntegerField()
    year = serializers.IntegerField()
    text = serializers.CharField(required=False, default="", allow_blank=True)


class StatementSignIn(serializers.Serializer):
    side = serializers.ChoiceField(choices=[("department", "department"), ("unit", "unit")])
    signed_on = serializers.DateField()
    signatory = serializers.IntegerField(required=False, default=None, allow_null=True)


class RegulationVersionSerializer(serializers.ModelSerializer):
    approved_by = serializers.CharField(source="approved_by.username", read_only=True)

    class Meta:
        model = RegulationVersion
        fields = [
            "id",
            "version",
            "text",
            "filename",
            "effective_on",
            "approved_by",
            "approved_on",
            "change_note",
        ]
        read_only_fields = fields


class RegulationSerializer(serializers.ModelSerializer):
    versions = RegulationVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Regulation
        fields = ["id", "code", "title", "category", "status", "next_review_on", "repealed_on", "versions"]
        read_only_fields = fields


class RegulationIn(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    category = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    version = serializers.CharField(max_length=40)
    effective_on = serializers.DateField()
    approved_by = serializers.IntegerField()
    approved_on = serializers.DateField(required=False, default=None)
    text = serializers.CharField(required=False, default="", allow_blank=True)
    upload = serializers.FileField(required=False, default=None)
    next_review_on = serializers.DateField(required=False, default=None)


class RegulationReviseIn(serializers.Serializer):
    version = serializers.CharField(max_length=40)
    effective_on = serializers.DateField()
    approved_by = serializers.IntegerField()
    change_note = serializers.CharField()
    text = serializers.CharField(required=False, default="", allow_blank=True)
    upload = serializers.FileField(required=False, default=None)


class RegulationReviewIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    reviewed_on = serializers.DateField(required=False, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    next_review_on = serializers.DateField(required=False, default=None)


class GovernanceReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class EmergencyPlanSerializer(serializers.ModelSerializer):
    drills = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyPlan
        fields = ["id", "kind", "title", "drill_interval_months", "next_drill_on", "status", "drills"]
        read_only_fields = fields

    def get_drills(self, obj: EmergencyPlan) -> list[dict[str, Any]]:
        return [{"id": d.pk, "held_on": d.held_on, "scenario": d.scenario, "findings": d.findings,
                 "participants": [p.username for p in d.participants.all()]} for d in obj.drills.all()]  # fmt: skip


class EmergencyPlanIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    title = serializers.CharField(max_length=200)
    version = serializers.CharField(max_length=40)
    effective_on = serializers.DateField()
    approved_by = serializers.IntegerField()
    drill_interval_months = serializers.IntegerField(min_value=1, max_value=60, required=False, default=None)
    text = serializers.CharField(required=False, default="", allow_blank=True)


class DrillIn(serializers.Serializer):
    held_on = serializers.DateField()
    scenario = serializers.CharField(max_length=300)
    findings = serializers.CharField()
    participants = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    other_participants = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class GovernanceCampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "title", "description", "starts_on", "ends_on"]


class EducationEventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    attended = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = EducationEvent
        fields = ["id", "campaign", "kind", "title", "held_on", "hours", "place", "counts_as_training",
                  "training_session", "attended"]  # fmt: skip
        read_only_fields = ["id", "training_session", "attended"]


class EventAttendIn(serializers.Serializer):
    user = serializers.IntegerField()
    score = serializers.IntegerField(
        min_value=0, max_value=100, required=False, default=None, allow_null=True
    )


class GovernanceFiguresSerializer(serializers.Serializer):
    on = serializers.DateField()
    statements = serializers.DictField(child=serializers.IntegerField())
    regulation_reviews = serializers.DictField(child=serializers.IntegerField())
    drills = serializers.DictField(child=serializers.IntegerField())


# --- viewsets ------------------------------------------------------------------------------------


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and 1 <= int(value) <= 9999 else None


def _person(pk: Any, field: str) -> Any:
    return pick(selectors.people(), pk, field)


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """The leading group and the security office, current seats and (``?history=1``) past ones (ORG-2)."""

    serializer_class = MembershipSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.members(self.request.user, body=g.get("body", ""), current=g.get("history") != "1")

    @extend_schema(request=AppointIn, responses={201: MembershipSerializer})
    def create(self, request: Request) -> Response:
        d = parse(AppointIn, request)
        require(request.user, "manage_governance")
        d["user"] = _person(d["user"], "user")
        return Response(MembershipSerializer(services.appoint_member(request.user, **d)).data, status=201)

    @extend_schema(request=MemberChangeIn, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: Any = None) -> Response:
        m = selectors.membership_for(request.user, pk, "manage")
        return Response(
            MembershipSerializer(
                services.change_member(request.user, m, **parse(MemberChangeIn, request))
            ).data
        )

    @extend_schema(request=MemberEndIn, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        m = selectors.membership_for(request.user, pk, "manage")
        return Response(
            MembershipSerializer(services.end_membership(request.user, m, **parse(MemberEndIn, request))).data
        )


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    """Yearly responsibility statements (ORG-2): the security office, oversight, the department's head."""

    serializer_class = StatementSerializer

    def get_queryset(self) -> Any:
        return selectors.statements(self.request.user, year=_year(self.request.query_params.get("year", "")))

    def get_object(self) -> Any:
        return selectors.statement_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=StatementIn, responses={201: StatementSerializer})
    def create(self, request: Request) -> Response:
        d = parse(StatementIn, request)
        require(request.user, "manage_governance")
        d["department"] = pick(selectors.departments(), d["department"], "department")
        return Response(StatementSerializer(services.issue_statement(request.user, **d)).data, status=201)

    @extend_schema(request=StatementSignIn, responses=StatementSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: Any = None) -> Response:
        st = selectors.statement_for(request.user, pk, "manage")
        d = parse(StatementSignIn, request)
        signatory = _person(d["signatory"], "signatory") if d["signatory"] else None
        st = services.record_statement_signature(request.user, st, side=d["side"], signed_on=d["signed_on"],
                                                 signatory=signatory)  # fmt: skip
        return Response(StatementSerializer(st).data)


class RegulationViewSet(viewsets.ReadOnlyModelViewSet):
    """Regulations with their versions (SUP-10); ``?status=repealed`` or ``all``."""

    serializer_class = RegulationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        status = self.request.query_params.get("status", "effective")
        return selectors.regulations(
            self.request.user, status="" if status == "all" else status
        ).prefetch_related("versions__approved_by")

    def get_object(self) -> Any:
        return selectors.regulation_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=RegulationIn, responses={201: RegulationSerializer})
    def create(self, request: Request) -> Response:
        d = parse(RegulationIn, request)
        require(request.user, "manage_governance")
        d["approved_by"] = pick(selectors.approvers(), d["approved_by"], "approved_by")
        return Response(RegulationSerializer(services.create_regulation(request.user, **d)).data, status=201)

    def _reg(self, request: Request, pk: Any) -> Regulation:
        return selectors.regulation_for(request.user, pk, "manage")

    @extend_schema(request=RegulationReviseIn, responses=RegulationSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: Any = None) -> Response:
        reg = self._reg(request, pk)
        d = parse(RegulationReviseIn, request)
        d["approved_by"] = pick(selectors.approvers(), d["approved_by"], "approved_by")
        services.revise_regulation(request.user, reg, **d)
        return Response(RegulationSerializer(self.get_object()).data)

    @extend_schema(request=RegulationReviewIn, responses=RegulationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        services.review_regulation(request.user, self._reg(request, pk), **parse(RegulationReviewIn, request))
        return Response(RegulationSerializer(self.get_object()).data)

    @extend_schema(request=GovernanceReasonIn, responses=RegulationSerializer)
    @action(detail=True, methods=["post"])
    def repeal(self, request: Request, pk: Any = None) -> Response:
        services.repeal_regulation(request.user, self._reg(request, pk), **parse(GovernanceReasonIn, request))
        return Response(RegulationSerializer(self.get_object()).data)


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Emergency plans and their drills (SUP-9)."""

    serializer_class = EmergencyPlanSerializer

    def get_queryset(self) -> Any:
        return selectors.plans(self.request.user, active_only=False).prefetch_related("drills__participants")

    def get_object(self) -> Any:
        return selectors.plan_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=EmergencyPlanIn, responses={201: EmergencyPlanSerializer})
    def create(self, request: Request) -> Response:
        d = parse(EmergencyPlanIn, request)
        require(request.user, "manage_governance")
        d["approved_by"] = pick(selectors.approvers(), d["approved_by"], "approved_by")
        return Response(EmergencyPlanSerializer(services.create_plan(request.user, **d)).data, status=201)

    @extend_schema(request=DrillIn, responses=EmergencyPlanSerializer)
    @action(detail=True, methods=["post"])
    def drill(self, request: Request, pk: Any = None) -> Response:
        plan = selectors.plan_for(request.user, pk, "manage")
        d = parse(DrillIn, request)
        d["participants"] = pick_many(selectors.people(), d["participants"], "participants")
        services.record_drill(request.user, plan, **d)
        return Response(EmergencyPlanSerializer(self.get_object()).data)


class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Publicity campaigns (SUP-11)."""

    serializer_class = GovernanceCampaignSerializer

    def get_queryset(self) -> Any:
        return selectors.campaigns(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(GovernanceCampaignSerializer, request)
        return Response(
            GovernanceCampaignSerializer(services.create_campaign(request.user, **d)).data, status=201
        )


class EventViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Education events with attendance; those counting as training reach the training records (SUP-11)."""

    serializer_class = EducationEventSerializer

    def get_queryset(self) -> Any:
        return selectors.events(self.request.user, year=_year(self.request.query_params.get("year", "")))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(EducationEventSerializer, request)
        if d.get("campaign") is not None:
            d["campaign"] = pick(selectors.campaigns(request.user), d["campaign"].pk, "campaign")
        return Response(EducationEventSerializer(services.record_event(request.user, **d)).data, status=201)

    @extend_schema(request=EventAttendIn, responses={201: EventAttendIn})
    @action(detail=True, methods=["post"])
    def attend(self, request: Request, pk: Any = None) -> Response:
        event = selectors.event_for(request.user, pk, "manage")
        d = parse(EventAttendIn, request)
        att = services.record_event_attendance(
            request.user, event, _person(d["user"], "user"), score=d["score"]
        )
        return Response({"user": att.user_id, "score": att.score}, status=201)


class ChecksViewSet(viewsets.ViewSet):
    """``GET /governance/checks/?on=YYYY-MM-DD``: the self-inspection figures (R-SITE-4)."""

    serializer_class = GovernanceFiguresSerializer
    single_answer = True  # one set of figures, not a list (kit.schema.AutoSchema)

    @extend_schema(parameters=[OpenApiParameter("on", date)], responses=GovernanceFiguresSerializer)
    def list(self, request: Request) -> Response:
        require(request.user, "statements_list")
        raw = request.query_params.get("on", "")
        try:
            on = date.fromisoformat(raw) if raw else None
        except ValueError:
            from baomi.core.errors import ValidationFailed

            raise ValidationFailed(fields={"on": ["YYYY-MM-DD"]}) from None
        from django.utils import timezone

        on = on or timezone.localdate()
        return Response(GovernanceFiguresSerializer({
            "on": on, "statements": selectors.statement_figures(on),
            "regulation_reviews": selectors.regulation_review_figures(on), "drills": selectors.drill_figures(on),
        }).data)  # fmt: skip


router = SimpleRouter()
router.register("governance/members", MembershipViewSet, basename="governance-member")
router.register("governance/statements", StatementViewSet, basename="governance-statement")
router.register("governance/regulations", RegulationViewSet, basename="governance-regulation")
router.register("governance/plans", PlanViewSet, basename="governance-plan")
router.register("governance/campaigns", CampaignViewSet, basename="governance-campaign")
router.register("governance/events", EventViewSet, basename="governance-event")
router.register("governance/checks", ChecksViewSet, basename="governance-checks")
urlpatterns = router.urls
