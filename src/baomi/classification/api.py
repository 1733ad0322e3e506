"""REST API of the classification app under /api/v1/classification/ (STYLE 2.9).

Reads come from selectors (permission-filtered in SQL); writes and every transition go to a
service. Transitions are POST actions: ``/requests/{id}/approve/``, ``/refuse/``,
``/withdraw/``; ``/items/{id}/change/``; ``/items/{id}/scope/``; ``/notices/{id}/acknowledge/``.
Absent and forbidden are both 404 (CAR-3); errors are ``{"error": {...}}`` (SEC-7).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.access import policy
from baomi.classification import selectors, services
from baomi.classification.choices import (
    DurationKind,
    DurationUnit,
    LiftGround,
    Origin,
    RequestKind,
    StartBasis,
)
from baomi.classification.forms import departments, people
from baomi.classification.models import (
    ClassificationRequest,
    GuideEntry,
    Item,
    ItemScope,
    Notice,
    ReviewCampaign,
    ReviewDecision,
)
from baomi.core.levels import Level
from baomi.kit.api import pick_many

# =============================================================================================
# Serializers: shape only


class ItemSerializer(serializers.ModelSerializer):
    mark = serializers.CharField(source="mark_text", read_only=True)
    mark_tampered = serializers.BooleanField(read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = Item
        fields = [
            "id", "reference", "title", "level", "status", "mark", "mark_tampered", "duration_kind",
            "duration_value", "duration_unit", "until_date", "condition", "long_term", "duration_basis",
            "period_start", "start_basis", "expires_on", "guide_entry", "basis_text", "origin",
            "secret_points", "personal_info", "personal_info_sensitive", "department", "external_originator",
            "proposed_by", "determined_by", "created_at", "determined_at", "declassified_at",
            "declassify_reason", "declassify_reference",
        ]  # fmt: skip
        read_only_fields = fields


class ItemListSerializer(ItemSerializer):
    """A row of the item list: everything but the 密点 (R-SCOPE-3, issue 11 §5). A list read is
    not recorded in the items' 知悉记录, so it never carries them; the detail, which records the
    read (ITEM_VIEWED), does."""

    class Meta(ItemSerializer.Meta):
        fields = [f for f in ItemSerializer.Meta.fields if f != "secret_points"]
        read_only_fields = fields


class DurationInput(serializers.Serializer):
    duration_kind = serializers.ChoiceField(
        choices=[("", ""), *DurationKind.choices], required=False, default=""
    )
    duration_value = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    duration_unit = serializers.ChoiceField(
        choices=[("", ""), *DurationUnit.choices], required=False, default=""
    )
    until_date = serializers.DateField(required=False, allow_null=True)
    condition = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    long_term = serializers.BooleanField(required=False, default=False)
    duration_basis = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def duration(self) -> dict[str, Any]:
        d = self.validated_data
        return {k: d.get(k) for k in
                ("duration_kind", "duration_value", "duration_unit", "until_date", "condition", "long_term")}  # fmt: skip


class ProposeInput(DurationInput):
    title = serializers.CharField(max_length=300)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(choices=Level.choices)
    department = serializers.IntegerField()
    origin = serializers.ChoiceField(choices=Origin.choices, default=Origin.ORIGINAL)
    sources = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    guide_entry = serializers.IntegerField(required=False, allow_null=True)
    basis_text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    period_start = serializers.DateField(required=False, allow_null=True)
    start_basis = serializers.ChoiceField(choices=StartBasis.choices, default=StartBasis.MARKED_ISSUE_DATE)
    scope_users = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    scope_departments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    secret_points = serializers.CharField(required=False, allow_blank=True, default="")
    personal_info = serializers.BooleanField(required=False, default=False)
    personal_info_sensitive = serializers.BooleanField(required=False, default=False)
    external_originator = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ChangeInput(DurationInput):
    kind = serializers.ChoiceField(choices=[c for c in RequestKind.choices if c[0] != RequestKind.DETERMINE])
    reason = serializers.CharField()
    level = serializers.ChoiceField(choices=[("", ""), *Level.choices], required=False, default="")
    add_users = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    add_departments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    remove_entries = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    lift_ground = serializers.ChoiceField(choices=[("", ""), *LiftGround.choices], required=False, default="")
    evidence = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RequestSerializer(serializers.ModelSerializer):
    # The request base calls them requested_by / requested_at; the API keeps its names (issue 10).
    proposed_by: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        source="requested_by", read_only=True
    )
    proposed_at = serializers.DateTimeField(source="requested_at", read_only=True)

    class Meta:
        model = ClassificationRequest
        fields = [
            "id", "item", "kind", "status", "level", "duration_kind", "duration_value", "duration_unit",
            "until_date", "condition", "long_term", "duration_basis", "scope_changes", "lift_ground", "evidence",
            "reason", "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_reason",
            "upward_reference",
        ]  # fmt: skip
        read_only_fields = fields


class DecisionInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    upward_reference = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ScopeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemScope
        fields = [
            "id",
            "item",
            "user",
            "department",
            "starts_on",
            "ends_on",
            "granted_by",
            "granted_at",
            "reason",
        ]
        read_only_fields = fields


class ScopeInput(serializers.Serializer):
    user = serializers.IntegerField(required=False, allow_null=True)
    department = serializers.IntegerField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=300)


class GuideEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = GuideEntry
        fields = ["id", "code", "title", "level", "duration_kind", "duration_value", "duration_unit", "scope_note",
                  "basis_ref", "active"]  # fmt: skip
        read_only_fields = ["id"]


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "item", "kind", "old_mark", "new_mark", "note", "created_at", "acknowledged_at"]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCampaign
        fields = ["id", "year", "title", "opened_at", "closed_at"]
        read_only_fields = fields


class PreviousDecisionSerializer(serializers.Serializer):
    """Last year's decision on the same item (CLS-10), from ``selectors.with_previous_decision``."""

    decision = serializers.CharField(source="prev_decision")
    decided_by = serializers.CharField(source="prev_decided_by")
    decided_at = serializers.DateTimeField(source="prev_decided_at")


class ReviewRowSerializer(serializers.ModelSerializer):
    mark = serializers.CharField(source="item.mark_text", read_only=True)
    decided_by = serializers.CharField(source="decided_by.full_name", default="", read_only=True)
    previous = serializers.SerializerMethodField()

    class Meta:
        model = ReviewDecision
        fields = ["id", "item", "mark", "decision", "note", "decided_by", "decided_at", "previous"]
        read_only_fields = fields

    @extend_schema_field(PreviousDecisionSerializer(allow_null=True))
    def get_previous(self, row: ReviewDecision) -> dict[str, Any] | None:
        if not getattr(row, "prev_decision", ""):
            return None
        return dict(PreviousDecisionSerializer(row).data)


def actor(request: Request) -> Any:
    return request.user


def _people(user: Any, ids: list[int], field: str) -> list[Any]:
    return pick_many(people(user), ids, field)


def _departments(user: Any, ids: list[int], field: str) -> list[Any]:
    return pick_many(departments(user), ids, field)


# =============================================================================================
# Viewsets


class ItemViewSet(viewsets.GenericViewSet):
    """Classified items: list, retrieve, propose (create), change/extend/lift, scope."""

    serializer_class = ItemSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.items(self.request.user, level=p.get("level", ""), status=p.get("status", ""),
                               department=p.get("department") or None, q=p.get("q", ""))  # fmt: skip

    @extend_schema(responses=ItemListSerializer(many=True))
    def list(self, request: Request) -> Response:
        # CLS-7, R-CRYPTO-5: a row whose mark fails its MAC is not listed (the security officer
        # sees it flagged); R-SCOPE-3: no 密点 in a list.
        page = policy.screen(request.user, self.paginate_queryset(self.get_queryset()) or [])
        return self.get_paginated_response(ItemListSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        item = selectors.item_for(request.user, pk)
        services.record_item_view(actor(request), item)
        return Response(ItemSerializer(item).data)

    @extend_schema(request=ProposeInput, responses=ItemSerializer)
    def create(self, request: Request) -> Response:
        s = ProposeInput(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        user = actor(request)

        dept = departments(user).filter(pk=d["department"]).first()
        if dept is None:
            raise serializers.ValidationError({"department": [_("Unknown id, or not available to you.")]})
        guide = selectors.guide_entry_for(user, d["guide_entry"]) if d.get("guide_entry") else None
        sources = [selectors.item_for(user, pk) for pk in d["sources"]]
        item = services.propose_item(
            user,
            title=d["title"], reference=d["reference"], level=d["level"], department=dept, duration=s.duration(),
            duration_basis=d["duration_basis"], period_start=d.get("period_start"), start_basis=d["start_basis"],
            guide_entry=guide, basis_text=d["basis_text"], origin=d["origin"], sources=sources,
            secret_points=d["secret_points"], personal_info=d["personal_info"],
            personal_info_sensitive=d["personal_info_sensitive"], scope_users=_people(user, d["scope_users"], "scope_users"),
            scope_departments=_departments(user, d["scope_departments"], "scope_departments"),
            external_originator=d["external_originator"], reason=d["reason"],
        )  # fmt: skip
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChangeInput, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def change(self, request: Request, pk: str) -> Response:
        """Propose a change, an extension or lifting (CLS-8)."""
        item = selectors.item_for(request.user, pk, "request_change")
        s = ChangeInput(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        req = services.propose_change(actor(request), item, kind=d["kind"], reason=d["reason"], level=d["level"],
            duration=s.duration(), duration_basis=d["duration_basis"],
            add_users=_people(request.user, d["add_users"], "add_users"),
            add_departments=_departments(request.user, d["add_departments"], "add_departments"),
            remove_entries=d["remove_entries"], lift_ground=d["lift_ground"], evidence=d["evidence"],
        )  # fmt: skip
        return Response(RequestSerializer(req).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=ScopeSerializer(many=True))
    @extend_schema(methods=["POST"], request=ScopeInput, responses=ScopeSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def scope(self, request: Request, pk: str) -> Response:
        """The item's need-to-know scope; POST grants (security office, CAR-3)."""
        if request.method == "GET":
            item = selectors.item_for(request.user, pk)
            return Response(ScopeSerializer(selectors.scope_of(request.user, item), many=True).data)
        item = selectors.item_for(request.user, pk, "manage_scope")
        s = ScopeInput(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        user = _people(request.user, [d["user"]], "user")[0] if d.get("user") else None
        dept = _departments(request.user, [d["department"]], "department")[0] if d.get("department") else None
        entry = services.grant_scope(actor(request), item, user=user, department=dept, starts_on=d.get("starts_on"),
                                     ends_on=d.get("ends_on"), reason=d["reason"])  # fmt: skip
        return Response(ScopeSerializer(entry).data, status=status.HTTP_201_CREATED)


class RequestViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Classification requests; approve, refuse and withdraw are POST actions (R-DET-2)."""

    serializer_class = RequestSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        p = self.request.query_params
        if p.get("queue") == "1":
            return selectors.approval_queue(self.request.user)
        return selectors.requests(self.request.user, status=p.get("status", ""), kind=p.get("kind", ""))

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(RequestSerializer(selectors.request_for(request.user, pk)).data)

    def _decide(self, request: Request, pk: str, verb: str) -> Response:
        req = selectors.request_for(request.user, pk)
        s = DecisionInput(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if verb == "approve":
            req = services.approve_request(
                actor(request), req, reason=d["reason"], upward_reference=d["upward_reference"]
            )
        elif verb == "refuse":
            req = services.refuse_request(
                actor(request), req, reason=d["reason"], upward_reference=d["upward_reference"]
            )
        else:
            req = services.withdraw_request(actor(request), req)
        return Response(RequestSerializer(req).data)

    @extend_schema(request=DecisionInput, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._decide(request, pk, "approve")

    @extend_schema(request=DecisionInput, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        return self._decide(request, pk, "refuse")

    @extend_schema(request=None, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._decide(request, pk, "withdraw")


class GuideViewSet(viewsets.GenericViewSet):
    """The 一览表: read by handlers and authorities, kept by the security office (CLS-11)."""

    serializer_class = GuideEntrySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.guide_entries(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(GuideEntrySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(GuideEntrySerializer(selectors.guide_entry_for(request.user, pk)).data)

    def create(self, request: Request) -> Response:
        s = GuideEntrySerializer(data=request.data)
        s.is_valid(raise_exception=True)
        entry = services.create_guide_entry(actor(request), **s.validated_data)
        return Response(GuideEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        entry = selectors.guide_entry_for(request.user, pk, "manage")
        s = GuideEntrySerializer(entry, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        entry = services.update_guide_entry(actor(request), entry, **s.validated_data)
        return Response(GuideEntrySerializer(entry).data)


class NoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My written notices; acknowledging one is the proof of delivery (R-SCOPE-4)."""

    serializer_class = NoticeSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.notices(
            self.request.user, unread_only=self.request.query_params.get("unread") == "1"
        )

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        notice = selectors.notice_for(request.user, pk, "acknowledge")
        return Response(NoticeSerializer(services.acknowledge_notice(actor(request), notice)).data)


class CampaignViewSet(viewsets.GenericViewSet):
    """Annual reviews (CLS-10): campaigns, and each campaign's rows with last year's decision."""

    serializer_class = CampaignSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.campaigns(self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CampaignSerializer(selectors.campaign_for(request.user, pk)).data)

    @extend_schema(responses=ReviewRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def rows(self, request: Request, pk: str) -> Response:
        campaign = selectors.campaign_for(request.user, pk)
        page = self.paginate_queryset(selectors.campaign_rows(request.user, campaign))
        return self.get_paginated_response(ReviewRowSerializer(page, many=True).data)


router = SimpleRouter()
router.register("classification/items", ItemViewSet, basename="classification-item")
router.register("classification/requests", RequestViewSet, basename="classification-request")
router.register("classification/guide", GuideViewSet, basename="classification-guide")
router.register("classification/notices", NoticeViewSet, basename="classification-notice")
router.register("classification/reviews", CampaignViewSet, basename="classification-review")
urlpatterns = router.urls
