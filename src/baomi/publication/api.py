"""REST API of the publication review under /api/v1/publication/ (SUP-3, R-PUB-1..4).

Thin: querysets come from selectors (policy-filtered), writes go to services; serializers check
shape only. A request's representation never carries the screening: the hits have their own
endpoint, ``GET …/requests/{id}/hits/``, which needs ``view_hits`` (never the submitter) and
shows each registry hit only as far as the caller's clearance and need-to-know allow.
Submitting takes JSON (text only) or multipart (text and ``uploads`` files).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.kit.api import parse
from baomi.publication import exports, selectors, services
from baomi.publication.choices import Channel, DeadlineKind, Ground, Outcome, ReferralTo
from baomi.publication.models import Keyword, PublicationRequest

# --- serializers ---------------------------------------------------------------------------------


class PublicationDecisionSerializer(serializers.Serializer):
    stage = serializers.CharField()
    outcome = serializers.CharField()
    ground = serializers.CharField()
    reasons = serializers.CharField()
    reviewer = serializers.CharField(source="decided_by.username")
    decided_at = serializers.DateTimeField()


class PublicationRequestSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    submitter = serializers.CharField(source="submitter.username", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    approved_digest = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta:
        model = PublicationRequest
        fields = ["id", "number", "title", "channel", "channel_detail", "intended_on", "deadline_kind", "formed_on",
                  "due_on", "extension_days", "submitter", "department", "status", "submitted_at", "decided_at",
                  "next_reassess_on", "approved_digest", "decisions"]  # fmt: skip
        read_only_fields = fields

    def get_approved_digest(self, obj: PublicationRequest) -> str | None:
        return obj.approved_version.digest if obj.approved_version_id and obj.approved_version else None

    def get_decisions(self, obj: PublicationRequest) -> list[dict[str, Any]]:
        return PublicationDecisionSerializer(selectors.decisions(obj), many=True).data  # type: ignore[return-value]


class PublicationSubmitIn(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    channel = serializers.ChoiceField(choices=Channel.choices)
    channel_detail = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    intended_on = serializers.DateField()
    formed_on = serializers.DateField()
    deadline_kind = serializers.ChoiceField(choices=DeadlineKind.choices, default=DeadlineKind.NONE)
    text = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)
    uploads = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class PublicationDepartmentIn(serializers.Serializer):
    agree = serializers.BooleanField()
    reasons = serializers.CharField()
    ground = serializers.ChoiceField(choices=Ground.choices, required=False, default="", allow_blank=True)


class PublicationDecideIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[Outcome.APPROVE, Outcome.APPROVE_REDACTED, Outcome.REFUSE])
    reasons = serializers.CharField()
    ground = serializers.ChoiceField(choices=Ground.choices, required=False, default="", allow_blank=True)
    redacted_text = serializers.CharField(required=False, default="", allow_blank=True, trim_whitespace=False)
    redacted_uploads = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class PublicationReferIn(serializers.Serializer):
    referred_to = serializers.ChoiceField(choices=ReferralTo.choices)
    authority = serializers.CharField(max_length=200)
    question = serializers.CharField()
    referred_on = serializers.DateField(required=False, default=None)


class PublicationAnswerIn(serializers.Serializer):
    answer = serializers.CharField()
    reference = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    answered_on = serializers.DateField(required=False, default=None)


class PublicationPublishIn(serializers.Serializer):
    where = serializers.CharField(max_length=300)
    published_on = serializers.DateField()
    digest = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    file = serializers.FileField(required=False, default=None)


class PublicationWithdrawIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class PublicationExtendIn(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=60)
    reason = serializers.CharField(max_length=300)


class PublicationReassessIn(serializers.Serializer):
    release = serializers.BooleanField()
    reasons = serializers.CharField()


class ScreeningHitSerializer(serializers.Serializer):
    """One hit as the caller may see it: a hidden one is ``{"kind": "registry", "visible": false,
    "message": ...}`` and nothing else."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    visible = serializers.BooleanField()
    message = serializers.CharField(required=False)
    level = serializers.CharField(required=False)
    shown = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    mark = serializers.CharField(required=False)
    item = serializers.IntegerField(required=False, allow_null=True)
    carrier = serializers.IntegerField(required=False, allow_null=True)
    where = serializers.CharField(required=False)
    excerpt = serializers.DictField(required=False)


class ScreeningKeywordSerializer(serializers.ModelSerializer):
    class Meta:
        model = Keyword
        fields = ["id", "text", "note", "active"]
        read_only_fields = ["id", "active"]


class KeywordToggleIn(serializers.Serializer):
    active = serializers.BooleanField()


def _file(export: Any) -> HttpResponse:
    response = HttpResponse(export.data, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# --- viewsets ------------------------------------------------------------------------------------


class RequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Publication review requests: one's own, and those one reviews or oversees (SUP-3)."""

    serializer_class = PublicationRequestSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        g = self.request.query_params
        return selectors.requests(self.request.user, status=g.get("status", ""), q=g.get("q", ""),
                                  mine=g.get("mine") == "1").select_related("approved_version")  # fmt: skip

    def get_object(self) -> Any:
        # Through the audited fetcher: a refused read is an ACCESS_DENIED entry (SEC-3, CAR-3).
        return selectors.request_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=PublicationSubmitIn, responses={201: PublicationRequestSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(PublicationSubmitIn, request)
        req = services.submit_request(request.user, **d)
        return Response(PublicationRequestSerializer(req).data, status=201)

    def _req(self, request: Request, pk: Any) -> PublicationRequest:
        return selectors.request_for(request.user, pk)

    def _done(self, request: Request, pk: Any) -> Response:
        return Response(PublicationRequestSerializer(self._req(request, pk)).data)

    @extend_schema(responses=ScreeningHitSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def hits(self, request: Request, pk: Any = None) -> Response:
        req = selectors.request_for(request.user, pk, "view_hits")
        run = selectors.latest_run(req)
        texts = selectors.source_texts(request.user, req, run) if run else {}
        return Response([h.as_dict() for h in selectors.hits_for(request.user, req, run, texts=texts)])

    @extend_schema(request=None, responses={201: ScreeningHitSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def rescreen(self, request: Request, pk: Any = None) -> Response:
        req = self._req(request, pk)
        run = services.rescreen_request(request.user, req)
        return Response([h.as_dict() for h in selectors.hits_for(request.user, req, run)], status=201)

    @extend_schema(request=PublicationDepartmentIn, responses=PublicationRequestSerializer)
    @action(detail=True, methods=["post"], url_path="review-department")
    def review_department(self, request: Request, pk: Any = None) -> Response:
        services.review_department(
            request.user, self._req(request, pk), **parse(PublicationDepartmentIn, request)
        )
        return self._done(request, pk)

    @extend_schema(request=PublicationDecideIn, responses=PublicationRequestSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def decide(self, request: Request, pk: Any = None) -> Response:
        services.decide_request(request.user, self._req(request, pk), **parse(PublicationDecideIn, request))
        return self._done(request, pk)

    @extend_schema(request=PublicationReferIn, responses=PublicationRequestSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: Any = None) -> Response:
        services.refer_request(request.user, self._req(request, pk), **parse(PublicationReferIn, request))
        return self._done(request, pk)

    @extend_schema(request=PublicationAnswerIn, responses=PublicationRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        services.record_referral_answer(
            request.user, self._req(request, pk), **parse(PublicationAnswerIn, request)
        )
        return self._done(request, pk)

    @extend_schema(request=PublicationPublishIn, responses=PublicationRequestSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def publish(self, request: Request, pk: Any = None) -> Response:
        d = parse(PublicationPublishIn, request)
        services.record_publication(request.user, self._req(request, pk), where=d["where"],
                                    published_on=d["published_on"], upload=d["file"], digest=d["digest"])  # fmt: skip
        return self._done(request, pk)

    @extend_schema(request=PublicationWithdrawIn, responses=PublicationRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        services.withdraw_request(
            request.user, self._req(request, pk), **parse(PublicationWithdrawIn, request)
        )
        return self._done(request, pk)

    @extend_schema(request=PublicationExtendIn, responses=PublicationRequestSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: Any = None) -> Response:
        services.extend_deadline(request.user, self._req(request, pk), **parse(PublicationExtendIn, request))
        return self._done(request, pk)

    @extend_schema(request=PublicationReassessIn, responses=PublicationRequestSerializer)
    @action(detail=True, methods=["post"])
    def reassess(self, request: Request, pk: Any = None) -> Response:
        services.reassess_withheld(
            request.user, self._req(request, pk), **parse(PublicationReassessIn, request)
        )
        return self._done(request, pk)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def form(self, request: Request, pk: Any = None) -> HttpResponse:
        return _file(
            exports.export_review_form(request.user, selectors.request_for(request.user, pk, "export"))
        )

    @extend_schema(
        parameters=[OpenApiParameter("status", str), OpenApiParameter("year", int)],
        responses={(200, exports.XLSX): bytes},
    )
    @action(detail=False, methods=["get"])
    def register(self, request: Request) -> HttpResponse:
        year = request.query_params.get("year", "")
        return _file(exports.export_register(request.user, status=request.query_params.get("status", ""),
                                             year=int(year) if year.isdigit() and 1 <= int(year) <= 9999 else None))  # fmt: skip


class KeywordViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The security officer's screening keywords (SUP-3 (e))."""

    serializer_class = ScreeningKeywordSerializer

    def get_queryset(self) -> Any:
        return selectors.keywords(self.request.user)

    def get_object(self) -> Any:
        return selectors.keyword_for(self.request.user, self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = parse(ScreeningKeywordSerializer, request)
        return Response(ScreeningKeywordSerializer(services.add_keyword(request.user, **d)).data, status=201)

    @extend_schema(request=KeywordToggleIn, responses=ScreeningKeywordSerializer)
    @action(detail=True, methods=["post"])
    def toggle(self, request: Request, pk: Any = None) -> Response:
        kw = services.change_keyword(request.user, self.get_object(), **parse(KeywordToggleIn, request))
        return Response(ScreeningKeywordSerializer(kw).data)


router = SimpleRouter()
router.register("publication/requests", RequestViewSet, basename="publication-request")
router.register("publication/keywords", KeywordViewSet, basename="publication-keyword")
urlpatterns = router.urls
