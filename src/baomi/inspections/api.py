"""REST API of the inspections app under /api/v1/inspections/ (SUP-1, R-SITE-4).

Thin: querysets come from selectors (policy-filtered), writes go to services; serializers check
shape only. Evidence files come as ``multipart/form-data`` (``evidence``, repeatable) with an
answer or a task report; the vault encrypts them, and each output lists its files with the URL
that streams one back (decrypted for whoever may see the answer or task; the vault audits it).
"""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.inspections import selectors, services
from baomi.inspections.choices import PlanKind, Result, Severity
from baomi.inspections.models import Answer, Finding, Plan, RectificationTask, Run, Template
from baomi.kit import probes
from baomi.kit.api import ViewSet, pick, pick_many
from baomi.kit.downloads import content_disposition

#: JSON, or multipart when evidence files come with the request
UPLOADS = [JSONParser, MultiPartParser, FormParser]

# --- serializers ---------------------------------------------------------------------------------


class ItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    text = serializers.CharField()
    how_to_check = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=1)
    evidence_required = serializers.BooleanField()
    probe = serializers.CharField()


class AreaOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    items = ItemOut(many=True, source="items.all")


class TemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Template
        fields = ["id", "family", "version", "name", "status", "is_default", "published_at"]
        read_only_fields = fields


class TemplateDetailSerializer(TemplateSerializer):
    areas = AreaOut(many=True, source="areas.all")

    class Meta(TemplateSerializer.Meta):
        fields = [*TemplateSerializer.Meta.fields, "note", "areas"]
        read_only_fields = fields


class ProbeOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    area = serializers.IntegerField()
    help = serializers.CharField()


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "kind",
            "template",
            "departments",
            "places",
            "lead",
            "inspectors",
            "due_on",
            "active",
        ]
        read_only_fields = fields


class PlanIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    template = serializers.IntegerField()
    departments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    places = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    lead = serializers.IntegerField()
    inspectors = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    due_on = serializers.DateField()


class RunSerializer(serializers.ModelSerializer):
    scope = serializers.CharField(source="scope_label", read_only=True)

    class Meta:
        model = Run
        fields = ["id", "title", "kind", "plan", "template", "department", "place", "scope", "lead", "due_on",
                  "status", "opened_at", "measured_at", "completed_at", "score", "max_score"]  # fmt: skip
        read_only_fields = fields


class EvidenceOut(serializers.Serializer):
    id = serializers.UUIDField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    created_at = serializers.DateTimeField()
    url = serializers.CharField()


def _evidence(obj: Any, kind: str) -> list[dict[str, Any]]:
    return [
        {"id": b.pk, "size": b.size, "content_type": b.content_type, "created_at": b.created_at,
         "url": f"/api/v1/inspections/{kind}/{obj.pk}/evidence/{b.pk}/"}
        for b in obj.evidence.all()
    ]  # fmt: skip


class AnswerOut(serializers.ModelSerializer):
    code = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["id", "item", "code", "result", "note", "measured", "suggested", "confirmed", "override_reason",
                  "answered_by", "answered_at", "evidence"]  # fmt: skip
        read_only_fields = fields

    def get_code(self, obj: Answer) -> str:
        return f"{obj.item.area.number}.{obj.item.number}"

    @extend_schema_field(EvidenceOut(many=True))
    def get_evidence(self, obj: Answer) -> list[dict[str, Any]]:
        return _evidence(obj, "answers")


class ScoreOut(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    score = serializers.DecimalField(max_digits=7, decimal_places=1)
    max = serializers.DecimalField(max_digits=7, decimal_places=1)
    percent = serializers.IntegerField(allow_null=True)


class RunDetailSerializer(RunSerializer):
    answers = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    gaps = serializers.SerializerMethodField()

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "summary", "answers", "scores", "gaps"]
        read_only_fields = fields

    @extend_schema(responses=AnswerOut(many=True))  # type: ignore[arg-type]
    def get_answers(self, obj: Run) -> list[dict[str, Any]]:
        return AnswerOut(selectors.answers_of(obj), many=True).data  # type: ignore[return-value]

    @extend_schema(responses=ScoreOut(many=True))  # type: ignore[arg-type]
    def get_scores(self, obj: Run) -> list[dict[str, Any]]:
        return ScoreOut(services.area_scores(obj), many=True).data  # type: ignore[return-value]

    def get_gaps(self, obj: Run) -> list[str]:
        return services.completion_gaps(obj) if obj.status == "open" else []


class RunIn(serializers.Serializer):
    template = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    title = serializers.CharField(max_length=200)
    lead = serializers.IntegerField()
    inspectors = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    department = serializers.IntegerField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    due_on = serializers.DateField()


class AnswerIn(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    note = serializers.CharField(required=False, default="", allow_blank=True)
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ConfirmIn(serializers.Serializer):
    note = serializers.CharField(required=False, default="", allow_blank=True)


class OverrideIn(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    reason = serializers.CharField(max_length=300)


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "run", "origin", "origin_id", "origin_label", "item", "department", "place", "severity",
                  "description", "status", "recorded_at", "closed_at"]  # fmt: skip
        read_only_fields = fields


class FindingIn(serializers.Serializer):
    description = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.GENERAL)
    item = serializers.IntegerField(required=False, allow_null=True, default=None)
    department = serializers.IntegerField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class TaskSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = RectificationTask
        fields = ["id", "finding", "owner", "deadline", "measures", "status", "report", "submitted_at",
                  "verified_by", "verified_at", "return_reason", "overdue", "evidence"]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, obj: RectificationTask) -> bool:
        return obj.is_overdue()

    @extend_schema_field(EvidenceOut(many=True))
    def get_evidence(self, obj: RectificationTask) -> list[dict[str, Any]]:
        return _evidence(obj, "tasks")


class TaskIn(serializers.Serializer):
    measures = serializers.CharField()
    deadline = serializers.DateField()
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)


class SubmitIn(serializers.Serializer):
    report = serializers.CharField()
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list)


def _uploads(request: Request, d: dict[str, Any]) -> list[Any]:
    """The ``evidence`` files of a multipart body (a JSON body carries none)."""
    d.pop("evidence", None)
    return request.FILES.getlist("evidence") if hasattr(request, "FILES") else []


def _stream_evidence(viewer: Any, kind: str, pk: Any, blob: Any) -> StreamingHttpResponse:
    obj, reader = selectors.open_evidence(viewer, kind, pk, blob)
    response = StreamingHttpResponse(reader, content_type=obj.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(f"evidence-{obj.pk}")
    return response


class ReturnIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CompleteIn(serializers.Serializer):
    summary = serializers.CharField(required=False, default="", allow_blank=True)


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


# --- viewsets ------------------------------------------------------------------------------------


class TemplateViewSet(mixins.ListModelMixin, ViewSet):
    """Checklists: every version, with areas and items."""

    serializer_class = TemplateSerializer

    def get_queryset(self) -> Any:
        return selectors.templates(self.actor, status=self.request.query_params.get("status", ""))

    @extend_schema(responses=TemplateDetailSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(TemplateDetailSerializer(selectors.get_template(self.actor, pk)).data)


class ProbeViewSet(viewsets.ViewSet):
    """The measured checks every installed app declares (``baomi.kit.probes``); not a model,
    so a plain ``ViewSet``."""

    serializer_class = ProbeOut
    queryset = Answer.objects.none()  # lint: allow (schema only: probes are code, not rows)

    @property
    def actor(self) -> Any:
        return self.request.user

    @extend_schema(responses=ProbeOut(many=True))
    def list(self, request: Request) -> Response:
        from baomi.access.policy import require

        require(self.actor, "inspection_list")
        rows = [{"key": p.key, "label": str(p.label), "area": p.area, "help": str(p.help)}
                for p in probes.probes().values()]  # fmt: skip
        return Response(ProbeOut(rows, many=True).data)


class PlanViewSet(mixins.ListModelMixin, ViewSet):
    serializer_class = PlanSerializer

    def get_queryset(self) -> Any:
        return selectors.plans(self.actor)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(PlanSerializer(selectors.get_plan(self.actor, pk)).data)

    @extend_schema(request=PlanIn, responses={201: PlanSerializer})
    def create(self, request: Request) -> Response:
        d = self.input(PlanIn)
        u = self.actor
        plan = services.create_plan(
            u, title=d["title"], kind=d["kind"], template=pick(selectors.published_templates(u), d["template"], "template"),
            lead=pick(selectors.people(), d["lead"], "lead"), due_on=d["due_on"], places=d["places"],
            departments=pick_many(selectors.departments(), d["departments"], "departments"),
            inspectors=pick_many(selectors.people(), d["inspectors"], "inspectors"),
        )  # fmt: skip
        return Response(PlanSerializer(plan).data, status=201)

    @extend_schema(request=None, responses={201: RunSerializer(many=True)})
    @action(detail=True, methods=["post"], pagination_class=None)
    def open(self, request: Request, pk: Any = None) -> Response:
        runs = services.open_plan_runs(self.actor, selectors.get_plan(self.actor, pk))
        return Response(RunSerializer(runs, many=True).data, status=201)


class RunViewSet(mixins.ListModelMixin, ViewSet):
    serializer_class = RunSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.runs(self.actor, status=g.get("status", ""), kind=g.get("kind", ""))

    def _run(self, pk: Any) -> Run:
        return selectors.get_run(self.actor, pk)

    def _out(self, pk: Any, status: int = 200) -> Response:
        return Response(RunDetailSerializer(self._run(pk)).data, status=status)

    @extend_schema(responses=RunDetailSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._out(pk)

    @extend_schema(request=RunIn, responses={201: RunDetailSerializer})
    def create(self, request: Request) -> Response:
        d = self.input(RunIn)
        u = self.actor
        run = services.open_run(
            u, template=pick(selectors.published_templates(u), d["template"], "template"), kind=d["kind"],
            title=d["title"], lead=pick(selectors.people(), d["lead"], "lead"), due_on=d["due_on"],
            inspectors=pick_many(selectors.people(), d["inspectors"], "inspectors"), place=d["place"],
            department=pick(selectors.departments(), d["department"], "department", required=False),
        )  # fmt: skip
        return self._out(run.pk, 201)

    @extend_schema(request=None, responses=RunDetailSerializer)
    @action(detail=True, methods=["post"])
    def measure(self, request: Request, pk: Any = None) -> Response:
        services.measure_run(self.actor, self._run(pk))
        return self._out(pk)

    @extend_schema(request=FindingIn, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request: Request, pk: Any = None) -> Response:
        d = self.input(FindingIn)
        run = self._run(pk)
        item = pick(selectors.items_of(run.template), d["item"], "item", required=False)
        department = pick(selectors.departments(), d["department"], "department", required=False)
        f = services.record_finding(self.actor, run, description=d["description"], severity=d["severity"], item=item,
                                    department=department, place=d["place"])  # fmt: skip
        return Response(FindingSerializer(f).data, status=201)

    @extend_schema(request=CompleteIn, responses=RunDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        services.complete_run(self.actor, self._run(pk), **self.input(CompleteIn))
        return self._out(pk)

    @extend_schema(request=CancelIn, responses=RunDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        services.cancel_run(self.actor, self._run(pk), **self.input(CancelIn))
        return self._out(pk)


class AnswerViewSet(ViewSet):
    """Answers of a run: answer, confirm or override a measured answer (SUP-1)."""

    serializer_class = AnswerOut
    queryset = Answer.objects.none()  # lint: allow (schema only; real rows come from selectors)

    def get_queryset(self) -> Any:
        return selectors.answers(self.actor)

    def _a(self, pk: Any) -> Answer:
        return selectors.get_answer(self.actor, pk)

    @extend_schema(
        request={"application/json": AnswerIn, "multipart/form-data": AnswerIn}, responses=AnswerOut
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOADS)
    def answer(self, request: Request, pk: Any = None) -> Response:
        d = self.input(AnswerIn)
        uploads = _uploads(request, d)
        return Response(AnswerOut(services.answer_item(self.actor, self._a(pk), uploads=uploads, **d)).data)

    @extend_schema(
        parameters=[OpenApiParameter("blob", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"evidence/(?P<blob>[^/.]+)")
    def evidence(self, request: Request, pk: Any = None, blob: Any = None) -> StreamingHttpResponse:
        """One evidence file of the answer, decrypted (the vault audits the read)."""
        return _stream_evidence(self.actor, "answer", pk, blob)

    @extend_schema(request=ConfirmIn, responses=AnswerOut)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        return Response(
            AnswerOut(services.confirm_measured(self.actor, self._a(pk), **self.input(ConfirmIn))).data
        )

    @extend_schema(request=OverrideIn, responses=AnswerOut)
    @action(detail=True, methods=["post"])
    def override(self, request: Request, pk: Any = None) -> Response:
        return Response(
            AnswerOut(services.override_measured(self.actor, self._a(pk), **self.input(OverrideIn))).data
        )


class FindingViewSet(mixins.ListModelMixin, ViewSet):
    serializer_class = FindingSerializer

    def get_queryset(self) -> Any:
        return selectors.findings(self.actor, status=self.request.query_params.get("status", ""))

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(FindingSerializer(selectors.get_finding(self.actor, pk)).data)

    @extend_schema(request=TaskIn, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"])
    def tasks(self, request: Request, pk: Any = None) -> Response:
        d = self.input(TaskIn)
        owner = pick(selectors.people(), d["owner"], "owner", required=False)
        task = services.assign_task(self.actor, selectors.get_finding(self.actor, pk), deadline=d["deadline"],
                                    measures=d["measures"], owner=owner)  # fmt: skip
        return Response(TaskSerializer(task).data, status=201)


class TaskViewSet(mixins.ListModelMixin, ViewSet):
    """The rectification list: ``?mine=1``, ``?overdue=1``, ``?status=``."""

    serializer_class = TaskSerializer

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.tasks(self.actor, status=g.get("status", ""), overdue=bool(g.get("overdue")),
                               mine=bool(g.get("mine")))  # fmt: skip

    def _t(self, pk: Any) -> RectificationTask:
        return selectors.get_task(self.actor, pk)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(TaskSerializer(self._t(pk)).data)

    @extend_schema(
        request={"application/json": SubmitIn, "multipart/form-data": SubmitIn}, responses=TaskSerializer
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOADS)
    def submit(self, request: Request, pk: Any = None) -> Response:
        d = self.input(SubmitIn)
        uploads = _uploads(request, d)
        return Response(
            TaskSerializer(services.submit_task(self.actor, self._t(pk), uploads=uploads, **d)).data
        )

    @extend_schema(
        parameters=[OpenApiParameter("blob", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"evidence/(?P<blob>[^/.]+)")
    def evidence(self, request: Request, pk: Any = None, blob: Any = None) -> StreamingHttpResponse:
        """One evidence file of the task, decrypted (the vault audits the read)."""
        return _stream_evidence(self.actor, "task", pk, blob)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: Any = None) -> Response:
        return Response(TaskSerializer(services.verify_task(self.actor, self._t(pk))).data)

    @extend_schema(request=ReturnIn, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        return Response(
            TaskSerializer(services.return_task(self.actor, self._t(pk), **self.input(ReturnIn))).data
        )


router = SimpleRouter()
router.register("inspections/templates", TemplateViewSet, basename="inspection-template")
router.register("inspections/probes", ProbeViewSet, basename="inspection-probe")
router.register("inspections/plans", PlanViewSet, basename="inspection-plan")
router.register("inspections/runs", RunViewSet, basename="inspection-run")
router.register("inspections/answers", AnswerViewSet, basename="inspection-answer")
router.register("inspections/findings", FindingViewSet, basename="inspection-finding")
router.register("inspections/tasks", TaskViewSet, basename="inspection-task")
urlpatterns = router.urls
