"""REST API of the secret meetings register under /api/v1/ (SUP-12, R-SITE-2)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.kit.api import parse, pick
from baomi.meetings import selectors, services
from baomi.meetings.choices import AttendeeRole
from baomi.meetings.models import Attendee, Meeting, MeetingApproval, MeetingCarrier
from baomi.sites.selectors import usable_places


class AttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendee
        fields = ["id", "user", "role", "identity_checked_at", "briefed_at"]
        read_only_fields = fields


class MeetingCarrierSerializer(serializers.ModelSerializer):
    registry_number = serializers.CharField(source="carrier.registry_number", read_only=True)

    class Meta:
        model = MeetingCarrier
        fields = ["id", "carrier", "registry_number", "attendee", "loan", "status", "handed_out_at", "recovered_at",
                  "incident"]  # fmt: skip
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "title", "level", "plan", "venue", "starts_at", "ends_at", "equipment", "remote",
                  "remote_measures", "organiser", "status", "opened_at", "closed_at"]  # fmt: skip
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    attendees = serializers.SerializerMethodField()
    carriers = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "attendees", "carriers"]
        read_only_fields = fields

    def get_attendees(self, obj: Meeting) -> list[dict[str, Any]]:
        return AttendeeSerializer(selectors.attendees_of(self.context["request"].user, obj), many=True).data  # type: ignore[return-value]

    def get_carriers(self, obj: Meeting) -> list[dict[str, Any]]:
        return MeetingCarrierSerializer(
            selectors.carriers_of(self.context["request"].user, obj), many=True
        ).data  # type: ignore[return-value]


class MeetingIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    level = serializers.CharField()
    plan = serializers.CharField()
    venue = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    equipment = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    remote = serializers.BooleanField(required=False, default=False)
    remote_measures = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class AttendeeIn(serializers.Serializer):
    user = serializers.IntegerField()
    role = serializers.ChoiceField(choices=AttendeeRole.choices, default=AttendeeRole.ATTENDEE)


class IssueIn(serializers.Serializer):
    carrier = serializers.IntegerField()
    attendee = serializers.IntegerField()


class MissingIn(serializers.Serializer):
    note = serializers.CharField(max_length=300)


class MeetingDecisionIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class MeetingApprovalSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingApproval
        fields = ["id", "meeting", "status", "requested_by", "decided_by", "decided_at", "decision_reason"]
        read_only_fields = fields


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Secret meetings with their list and the carriers issued (SUP-12)."""

    serializer_class = MeetingSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.meetings(self.request.user, q=g.get("q", ""), status=g.get("status", ""))

    def _meeting(self, pk: Any) -> Meeting:
        return selectors.get_meeting(self.request.user, pk)

    def _ok(self, pk: Any) -> Response:
        return Response(MeetingDetailSerializer(self._meeting(pk), context={"request": self.request}).data)

    @extend_schema(responses=MeetingDetailSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._ok(pk)

    def create(self, request: Request) -> Response:
        d = parse(MeetingIn, request)
        d["venue"] = pick(usable_places(request.user), d["venue"], "venue")
        meeting = services.plan_meeting(request.user, **d)
        return Response(MeetingSerializer(meeting).data, status=201)

    @extend_schema(request=AttendeeIn, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def attendees(self, request: Request, pk: Any = None) -> Response:
        d = parse(AttendeeIn, request)
        d["user"] = pick(selectors.people(), d["user"], "user")
        services.add_attendee(request.user, self._meeting(pk), **d)
        return self._ok(pk)

    @extend_schema(request=IssueIn, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: Any = None) -> Response:
        d = parse(IssueIn, request)
        meeting = self._meeting(pk)
        carrier = pick(selectors.issuable_carriers(request.user, meeting), d["carrier"], "carrier")
        attendee = pick(selectors.attendees_of(request.user, meeting), d["attendee"], "attendee")
        services.issue_carrier(request.user, meeting, carrier=carrier, attendee=attendee)
        return self._ok(pk)

    def _issue(self, pk: Any, issue: Any) -> MeetingCarrier:
        return selectors.get_issue(self.request.user, self._meeting(pk), issue)

    @extend_schema(request=None, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"carriers/(?P<issue>\d+)/hand-out")
    def hand_out(self, request: Request, pk: Any = None, issue: Any = None) -> Response:
        services.hand_out(request.user, self._issue(pk, issue))
        return self._ok(pk)

    @extend_schema(request=None, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"carriers/(?P<issue>\d+)/recover")
    def recover(self, request: Request, pk: Any = None, issue: Any = None) -> Response:
        services.recover_carrier(request.user, self._issue(pk, issue))
        return self._ok(pk)

    @extend_schema(request=MissingIn, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"carriers/(?P<issue>\d+)/missing")
    def missing(self, request: Request, pk: Any = None, issue: Any = None) -> Response:
        services.report_missing(request.user, self._issue(pk, issue), **parse(MissingIn, request))
        return self._ok(pk)

    @extend_schema(request=None, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open_(self, request: Request, pk: Any = None) -> Response:
        services.open_meeting(request.user, self._meeting(pk))
        return self._ok(pk)

    @extend_schema(request=None, responses=MeetingDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        services.close_meeting(request.user, self._meeting(pk))
        return self._ok(pk)


class MeetingApprovalViewSet(viewsets.ReadOnlyModelViewSet):
    """Meetings' secrecy plans awaiting the viewer's approval (R-SITE-2)."""

    serializer_class = MeetingApprovalSerializer

    def get_queryset(self) -> Any:
        return selectors.approvals(self.request.user)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(MeetingApprovalSerializer(selectors.get_approval(request.user, pk)).data)

    @extend_schema(request=MeetingDecisionIn)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        a = services.approve_meeting(request.user, selectors.get_approval(request.user, pk),
                                     **parse(MeetingDecisionIn, request))  # fmt: skip
        return Response(MeetingApprovalSerializer(a).data)

    @extend_schema(request=MissingIn)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        note = parse(MissingIn, request)["note"]
        a = services.reject_meeting(request.user, selectors.get_approval(request.user, pk), reason=note)
        return Response(MeetingApprovalSerializer(a).data)


router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("meeting-approvals", MeetingApprovalViewSet, basename="meeting-approval")
urlpatterns = router.urls
