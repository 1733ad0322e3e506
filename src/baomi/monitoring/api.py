"""REST API of the monitoring app under /api/v1/ (SEC-5; thin: selectors read, services write).

``GET /api/v1/alerts/?status=open&rule=…`` and ``GET /api/v1/alerts/{id}/`` give what the
reader may see (the same presentation as the page: targets above the reader's clearance masked,
entry ids for the auditor only); ``POST /api/v1/alerts/{id}/acknowledge/``, ``…/close/`` and
``…/escalate/`` move an alert. ``GET /api/v1/monitoring-rules/`` lists the rules in force and
``PUT /api/v1/monitoring-rules/{kind}/`` changes one (its owner only).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from baomi.access import policy
from baomi.core.errors import ValidationFailed
from baomi.kit.api import ViewSet
from baomi.monitoring import selectors, services
from baomi.monitoring.forms import AlertFilterForm
from baomi.monitoring.models import Alert, MonitorRule


def _alert(user: Any, alert: Alert, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": alert.pk, "rule": alert.rule, "rule_label": alert.get_rule_display(), "audience": alert.audience,
        "subject": selectors.subject_text(user, alert), "count": alert.count, "status": alert.status,
        "status_label": alert.get_status_display(), "first_at": alert.first_at, "last_at": alert.last_at,
        "raised_at": alert.raised_at, "threshold": alert.threshold, "window_minutes": alert.window_minutes,
        "note": alert.note, "incident": alert.incident_id,
    }  # fmt: skip
    if full:
        view = selectors.present(user, alert)
        out["events"] = [{"event": label, "count": n} for label, n in view["events"]]
        out["targets"] = [{"label": t.label, "level": t.level, "masked": t.masked} for t in view["targets"]]
        out["entry_ids"] = view["entry_ids"]
    return out


class AlertNoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MonitorRuleIn(serializers.Serializer):
    enabled = serializers.BooleanField()
    threshold = serializers.IntegerField()
    window_minutes = serializers.IntegerField()
    key = serializers.CharField(max_length=20)


class AlertViewSet(ViewSet):
    """Alerts for their recipients (SEC-5)."""

    serializer_class = AlertNoteIn

    def get_queryset(self) -> Any:
        return selectors.alerts(self.request.user)

    def list(self, request: Request) -> Response:
        policy.require(request.user, "monitoring.alerts")
        form = AlertFilterForm(request.query_params or None)
        if form.is_bound and not form.is_valid():
            raise ValidationFailed(fields={k: [str(e) for e in v] for k, v in form.errors.items()})
        qs = selectors.alerts(request.user, form.cleaned_data if form.is_bound else {})
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([_alert(request.user, a) for a in page or []])

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(_alert(request.user, selectors.alert_for(request.user, pk), full=True))

    def _move(self, request: Request, pk: Any, call: Any) -> Response:
        alert = selectors.alert_for(request.user, pk)
        alert = call(self.actor, alert, **self.input(AlertNoteIn))
        return Response(_alert(request.user, alert, full=True))

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, pk, services.acknowledge_alert)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, pk, services.close_alert)

    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, pk, services.escalate_alert)


def _rule(user: Any, rule: MonitorRule) -> dict[str, Any]:
    return {
        "kind": rule.kind, "label": rule.get_kind_display(), "enabled": rule.enabled, "threshold": rule.threshold,
        "window_minutes": rule.window_minutes, "key": rule.key, "owner": rule.owner,
        "can_change": policy.can(user, "change", rule),
    }  # fmt: skip


class MonitorRuleViewSet(ViewSet):
    """The monitoring rules in force; each changed by its owner (SEC-5)."""

    serializer_class = MonitorRuleIn
    pagination_class = None  # the rules in force, a short plain list
    lookup_field = "kind"
    lookup_value_regex = "[a-z_]+"

    def get_queryset(self) -> Any:
        return selectors.stored_rules(self.request.user)

    def list(self, request: Request) -> Response:
        policy.require(request.user, "monitoring.alerts")
        return Response([_rule(request.user, r) for r in selectors.rules_for(request.user)])

    def update(self, request: Request, kind: str = "") -> Response:
        rule = selectors.rule_for(request.user, kind, "change")
        return Response(
            _rule(request.user, services.update_rule(self.actor, rule.kind, **self.input(MonitorRuleIn)))
        )


router = SimpleRouter()
router.register("alerts", AlertViewSet, basename="alert")
router.register("monitoring-rules", MonitorRuleViewSet, basename="monitoring-rule")
urlpatterns = router.urls
