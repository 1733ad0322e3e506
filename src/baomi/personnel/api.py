"""REST API of the personnel app under /api/v1/personnel/ (PER-1..8).

Thin: querysets come from selectors (policy-filtered), writes go to services; serializers check
shape only. The reporter of a violation report appears only in the security officer's
responses (PER-8).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.access.policy import access_object, can, require
from baomi.kit.api import parse
from baomi.personnel import selectors, services
from baomi.personnel.choices import (
    AgreementKind,
    Category,
    ExitKind,
    Opinion,
    ReportKind,
    ReviewKind,
    ReviewResult,
    SanctionKind,
    TrainingKind,
)
from baomi.personnel.models import (
    AgreementVersion,
    ExitCase,
    PersonnelFile,
    Sanction,
    TrainingSession,
    TravelRequest,
    ViolationReport,
)

# --- serializers ---------------------------------------------------------------------------------


class FileSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    department = serializers.CharField(source="user.department.name", read_only=True, default=None)
    person_type = serializers.CharField(source="user.person_type", read_only=True)
    clearance = serializers.CharField(source="user.clearance", read_only=True)

    class Meta:
        model = PersonnelFile
        fields = ["id", "user", "username", "full_name", "department", "person_type", "secret_post", "category",
                  "status", "clearance", "onboarded_on", "next_review_on"]  # fmt: skip
        read_only_fields = fields


class FileDetailSerializer(FileSerializer):
    checklist = serializers.SerializerMethodField()
    determination_training = serializers.SerializerMethodField()

    class Meta(FileSerializer.Meta):
        fields = [*FileSerializer.Meta.fields, "checklist", "determination_training"]
        read_only_fields = fields

    def get_checklist(self, obj: PersonnelFile) -> list[dict[str, Any]]:
        return [
            {"key": s["key"], "done": s["done"], "when": s["when"]}
            for s in selectors.onboarding_checklist(obj)
        ]

    def get_determination_training(self, obj: PersonnelFile) -> bool:
        return selectors.has_current_determination_training(obj.user)


class OpenFileIn(serializers.Serializer):
    user = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Category.choices)
    secret_post = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class CategoryIn(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ReviewIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    result = serializers.ChoiceField(choices=ReviewResult.choices)
    reviewed_on = serializers.DateField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class SignIn(serializers.Serializer):
    version = serializers.IntegerField()
    signed_on = serializers.DateField()


class ExitIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExitKind.choices, default=ExitKind.EXIT)
    approved_on = serializers.DateField()
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ExitSerializer(serializers.ModelSerializer):
    steps = serializers.SerializerMethodField()
    outstanding = serializers.SerializerMethodField()

    class Meta:
        model = ExitCase
        fields = ["id", "file", "kind", "status", "approved_on", "interview_on", "access_revoked_at",
                  "separation_start", "separation_end", "completed_at", "steps", "outstanding"]  # fmt: skip
        read_only_fields = fields

    def get_steps(self, obj: ExitCase) -> list[dict[str, Any]]:
        return [{"key": s["key"], "done": s["done"]} for s in services.exit_steps(obj)]

    def get_outstanding(self, obj: ExitCase) -> list[str]:
        return list(
            selectors.outstanding_carriers(obj.file.user).values_list("registry_number", flat=True)[:200]
        )


class InterviewIn(serializers.Serializer):
    held_on = serializers.DateField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class SeparationIn(serializers.Serializer):
    years = serializers.IntegerField(min_value=0, max_value=30)
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class AgreementSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=AgreementKind.choices)

    class Meta:
        model = AgreementVersion
        fields = ["id", "kind", "version", "text", "effective_on"]


class SessionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=TrainingKind.choices)

    class Meta:
        model = TrainingSession
        fields = ["id", "title", "kind", "held_on", "hours", "organiser", "has_exam", "pass_mark"]


class AttendIn(serializers.Serializer):
    user = serializers.IntegerField()
    score = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, default=None
    )


class TravelSerializer(serializers.ModelSerializer):
    # The request base calls it ``reason``; the API keeps its name (issue 10).
    purpose = serializers.CharField(source="reason", max_length=300)

    class Meta:
        model = TravelRequest
        fields = ["id", "traveller", "destination", "purpose", "departs_on", "returns_on", "status",
                  "personnel_opinion", "security_opinion", "decided_by", "decided_at", "returned_on",
                  "report_due_on", "reported_on"]  # fmt: skip
        read_only_fields = ["id", "traveller", "status", "personnel_opinion", "security_opinion", "decided_by",
                            "decided_at", "returned_on", "report_due_on", "reported_on"]  # fmt: skip


class OpinionIn(serializers.Serializer):
    side = serializers.ChoiceField(choices=[("personnel", "personnel"), ("security", "security")])
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class DecideIn(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ReturnIn(serializers.Serializer):
    returned_on = serializers.DateField()


class TravelReportIn(serializers.Serializer):
    report = serializers.CharField()


class SanctionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=SanctionKind.choices)

    class Meta:
        model = Sanction
        fields = ["id", "user", "kind", "decided_on", "reason", "incident", "report", "merit"]
        read_only_fields = ["id", "user", "incident", "report"]


class SanctionIn(serializers.Serializer):
    user = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SanctionKind.choices)
    decided_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)
    incident = serializers.IntegerField(required=False, allow_null=True, default=None)
    report = serializers.IntegerField(required=False, allow_null=True, default=None)
    merit = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ReportSerializer(serializers.ModelSerializer):
    """A violation report. ``reporter`` is present only for the security officer (PER-8)."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)

    class Meta:
        model = ViolationReport
        fields = ["id", "kind", "description", "occurred_on", "place", "status", "incident", "created_at"]
        read_only_fields = ["id", "status", "incident", "created_at"]

    def to_representation(self, instance: ViolationReport) -> dict[str, Any]:
        data = super().to_representation(instance)
        viewer = self.context["request"].user
        reporter = selectors.reporter_of(viewer, instance)
        if reporter is not None:
            data["reporter"] = {
                "id": reporter.pk,
                "username": reporter.username,
                "full_name": reporter.full_name,
            }
        return data


class HandleIn(serializers.Serializer):
    open_incident = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


def _person(viewer: Any, pk: int) -> Any:
    return access_object(viewer, selectors.people(), pk, "view")


# --- viewsets ------------------------------------------------------------------------------------


class FileViewSet(viewsets.ReadOnlyModelViewSet):
    """Personnel files: the security officer all, a head the department (summary), a person their own."""

    serializer_class = FileSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        action_name = "view" if self.action == "retrieve" else "view_summary"
        return selectors.files(self.request.user, action=action_name, q=g.get("q", ""),
                               category=g.get("category", ""), status=g.get("status", ""))  # fmt: skip

    def get_serializer_class(self) -> Any:
        return FileDetailSerializer if self.action == "retrieve" else FileSerializer

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(FileDetailSerializer(selectors.get_file(request.user, pk, "view")).data)

    def create(self, request: Request) -> Response:
        d = parse(OpenFileIn, request)
        file = services.open_file(request.user, _person(request.user, d["user"]), category=d["category"],
                                  secret_post=d["secret_post"])  # fmt: skip
        return Response(FileDetailSerializer(file).data, status=201)

    def _file(self, request: Request, pk: Any) -> PersonnelFile:
        return selectors.get_file(request.user, pk, "view")

    @action(detail=True, methods=["post"])
    def category(self, request: Request, pk: Any = None) -> Response:
        d = parse(CategoryIn, request)
        file = services.change_category(
            request.user, self._file(request, pk), d["category"], reason=d["reason"]
        )
        return Response(FileDetailSerializer(file).data)

    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        d = parse(ReviewIn, request)
        services.record_review(request.user, self._file(request, pk), **d)
        return Response(FileDetailSerializer(self._file(request, pk)).data)

    @action(detail=True, methods=["post"])
    def pledge(self, request: Request, pk: Any = None) -> Response:
        d = parse(SignIn, request)
        version = selectors.get_agreement_version(request.user, d["version"])
        services.sign_pledge(request.user, self._file(request, pk), version, signed_on=d["signed_on"])
        return Response(FileDetailSerializer(self._file(request, pk)).data)

    @action(detail=True, methods=["post"])
    def clear(self, request: Request, pk: Any = None) -> Response:
        return Response(
            FileDetailSerializer(services.clear_person(request.user, self._file(request, pk))).data
        )

    @action(detail=True, methods=["post"], url_path="start-exit")
    def start_exit(self, request: Request, pk: Any = None) -> Response:
        d = parse(ExitIn, request)
        case = services.start_exit(request.user, self._file(request, pk), **d)
        return Response(ExitSerializer(case).data, status=201)


class ExitViewSet(viewsets.ReadOnlyModelViewSet):
    """Exit cases with their five steps and outstanding carriers (PER-5)."""

    serializer_class = ExitSerializer

    def get_queryset(self) -> Any:
        return selectors.exit_cases(self.request.user, status=self.request.query_params.get("status", ""))

    def _case(self, request: Request, pk: Any) -> ExitCase:
        return selectors.get_exit_case(request.user, pk)

    def _done(self, case: ExitCase) -> Response:
        case.refresh_from_db()
        return Response(ExitSerializer(case).data)

    @action(detail=True, methods=["post"])
    def interview(self, request: Request, pk: Any = None) -> Response:
        d = parse(InterviewIn, request)
        return self._done(services.record_exit_interview(request.user, self._case(request, pk), **d))

    @action(detail=True, methods=["post"])
    def undertaking(self, request: Request, pk: Any = None) -> Response:
        d = parse(SignIn, request)
        version = selectors.get_agreement_version(request.user, d["version"])
        return self._done(services.record_exit_undertaking(request.user, self._case(request, pk), version,
                                                           signed_on=d["signed_on"]))  # fmt: skip

    @action(detail=True, methods=["post"], url_path="revoke-access")
    def revoke_access(self, request: Request, pk: Any = None) -> Response:
        return self._done(services.revoke_exit_access(request.user, self._case(request, pk)))

    @action(detail=True, methods=["post"])
    def separation(self, request: Request, pk: Any = None) -> Response:
        d = parse(SeparationIn, request)
        return self._done(services.fix_separation(request.user, self._case(request, pk), **d))

    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        return self._done(services.complete_exit(request.user, self._case(request, pk)))


class AgreementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer

    def get_queryset(self) -> Any:
        return selectors.agreement_versions(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(AgreementSerializer, request)
        return Response(
            AgreementSerializer(services.add_agreement_version(request.user, **d)).data, status=201
        )


class SessionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionSerializer

    def get_queryset(self) -> Any:
        year = self.request.query_params.get("year")
        return selectors.training_sessions(
            self.request.user, year=int(year) if year and year.isdigit() else None
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(SessionSerializer, request)
        return Response(SessionSerializer(services.create_session(request.user, **d)).data, status=201)

    @action(detail=True, methods=["post"])
    def attend(self, request: Request, pk: Any = None) -> Response:
        d = parse(AttendIn, request)
        session = selectors.get_session(request.user, pk)
        att = services.record_attendance(
            request.user, session, _person(request.user, d["user"]), score=d["score"]
        )
        return Response({"user": att.user_id, "score": att.score, "passed": att.passed}, status=201)


class TravelViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TravelSerializer

    def get_queryset(self) -> Any:
        return selectors.travel_requests(
            self.request.user, status=self.request.query_params.get("status", "")
        )

    def get_object(self) -> Any:
        # Through the audited fetcher: a refused read is an ACCESS_DENIED entry (SEC-3, CAR-3).
        return selectors.get_travel(self.request.user, self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(TravelSerializer, request)
        d["purpose"] = d.pop("reason")
        t = services.request_travel(request.user, traveller=request.user, **d)
        return Response(TravelSerializer(t).data, status=201)

    def _t(self, request: Request, pk: Any) -> TravelRequest:
        return selectors.get_travel(request.user, pk)

    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, pk: Any = None) -> Response:
        d = parse(OpinionIn, request)
        return Response(
            TravelSerializer(services.give_travel_opinion(request.user, self._t(request, pk), **d)).data
        )

    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        d = parse(DecideIn, request)
        return Response(
            TravelSerializer(services.decide_travel(request.user, self._t(request, pk), **d)).data
        )

    @action(detail=True, methods=["post"])
    def depart(self, request: Request, pk: Any = None) -> Response:
        return Response(TravelSerializer(services.mark_departed(request.user, self._t(request, pk))).data)

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        d = parse(ReturnIn, request)
        return Response(
            TravelSerializer(services.mark_returned(request.user, self._t(request, pk), **d)).data
        )

    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: Any = None) -> Response:
        d = parse(TravelReportIn, request)
        return Response(
            TravelSerializer(services.file_travel_report(request.user, self._t(request, pk), **d)).data
        )


class SanctionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SanctionSerializer

    def get_queryset(self) -> Any:
        return selectors.sanctions(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(SanctionIn, request)
        u = request.user
        require(u, "manage_personnel")
        incident = access_object(u, selectors.incidents(u), d["incident"], "view") if d["incident"] else None
        report = selectors.get_report(u, d["report"]) if d["report"] else None
        s = services.record_sanction(u, user=_person(u, d["user"]), kind=d["kind"], decided_on=d["decided_on"],
                                     reason=d["reason"], incident=incident, report=report, merit=d["merit"])  # fmt: skip
        return Response(SanctionSerializer(s).data, status=201)


class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Violation reports: anyone files; the reporter sees their own; only the security officer
    sees all and who reported (PER-8)."""

    serializer_class = ReportSerializer

    def get_queryset(self) -> Any:
        return selectors.violation_reports(
            self.request.user, status=self.request.query_params.get("status", "")
        )

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(
            ReportSerializer(selectors.get_report(request.user, pk), context={"request": request}).data
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(ReportSerializer, request)
        r = services.file_violation_report(request.user, **d)
        return Response(ReportSerializer(r, context={"request": request}).data, status=201)

    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: Any = None) -> Response:
        d = parse(HandleIn, request)
        r = services.handle_violation_report(request.user, selectors.get_report(request.user, pk), **d)
        return Response(ReportSerializer(r, context={"request": request}).data)


class DeterminationTrainingSerializer(serializers.Serializer):
    """Answer of the R-DET-12 query: the person's account id and whether their 定密 training is
    current."""

    user = serializers.IntegerField(read_only=True)
    current = serializers.BooleanField(read_only=True)


class DeterminationTrainingViewSet(viewsets.ViewSet):
    """``GET /personnel/determination-training/{user}/`` → whether the person has current 定密
    training (R-DET-12); the security officer or the person themself."""

    serializer_class = DeterminationTrainingSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="The person's account id.")
        ],
        responses=DeterminationTrainingSerializer,
    )
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        person = _person(request.user, pk)
        if person.pk != request.user.pk:
            require(request.user, "manage_personnel")
        data = {"user": person.pk, "current": selectors.has_current_determination_training(person)}
        return Response(DeterminationTrainingSerializer(data).data)


router = SimpleRouter()
router.register("personnel/files", FileViewSet, basename="personnel-file")
router.register("personnel/exits", ExitViewSet, basename="personnel-exit")
router.register("personnel/agreements", AgreementViewSet, basename="personnel-agreement")
router.register("personnel/training", SessionViewSet, basename="personnel-training")
router.register("personnel/travel", TravelViewSet, basename="personnel-travel")
router.register("personnel/sanctions", SanctionViewSet, basename="personnel-sanction")
router.register("personnel/reports", ReportViewSet, basename="personnel-report")
router.register("personnel/determination-training", DeterminationTrainingViewSet,
                basename="personnel-determination-training")  # fmt: skip
urlpatterns = router.urls

__all__ = ["can", "router", "urlpatterns"]
