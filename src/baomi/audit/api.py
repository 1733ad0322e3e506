"""REST API of the audit trail under /api/v1/audit/ (SEC-3): read-only, auditor only.

``GET /api/v1/audit/entries/`` takes the same filters as the auditor's list (actor, event,
target_type, target_id, target, target_level, outcome, channel, date_from, date_to, q);
``GET /api/v1/audit/entries/{id}/`` one entry with its seal. Anyone but the auditor gets a
404 ``not_found`` error and an ACCESS_DENIED entry. Each call is audited (AUDIT_VIEWED).
"""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.audit import selectors, services
from baomi.audit.forms import FILTER_FIELDS, AuditFilterForm
from baomi.audit.models import AuditEntry
from baomi.core.errors import ValidationFailed


class AuditEntrySerializer(serializers.ModelSerializer):
    event_label = serializers.CharField(source="get_event_display", read_only=True)
    seq = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["id", "seq", "time", "actor_id", "actor_name", "actor_roles", "event", "event_label",
                  "target_type", "target_id", "target_label", "target_level", "outcome", "channel", "ip",
                  "request_id", "details", "mac"]  # fmt: skip
        read_only_fields = fields

    def get_seq(self, obj: AuditEntry) -> int | None:
        """The entry's sequence number in the chain; null while it waits for the sealer."""
        seal = getattr(obj, "seal", None)  # the reverse one-to-one raises an AttributeError when absent
        return seal.seq if seal is not None else None


FILTER_PARAMS = [
    OpenApiParameter(
        name, OpenApiTypes.DATE if name.startswith("date_") else OpenApiTypes.STR, required=False
    )
    for name in FILTER_FIELDS
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMS))
class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.none()  # lint: allow (schema only; real rows come from selectors)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        services.require_reader(request.user)  # not-found for everyone but the auditor, audited

    def _filters(self) -> dict[str, Any]:
        form = AuditFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationFailed(fields=dict(form.errors))
        self._active = form.active()
        return form.cleaned_data

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()  # lint: allow (schema generation)
        filters = self._filters() if self.action == "list" else {}
        return selectors.entries(self.request.user, filters).select_related("seal")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        services.viewed(request.user, filters=getattr(self, "_active", {}))
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = selectors.entry(request.user, kwargs["pk"])
        services.viewed(request.user, entry=entry)
        return Response(self.get_serializer(entry).data)


router = SimpleRouter()
router.register("entries", AuditEntryViewSet, basename="audit-entry")
urlpatterns = [path("audit/", include(router.urls))]
