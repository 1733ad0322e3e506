"""Reads of the monitoring app for UI, API, CLI and dashboards (SEC-5).

Alerts are read through ``access.policy.visible``: each recipient sees the alerts addressed to
their role. What an alert shows is cut to what the reader may see (:func:`present`): a target
above the reader's clearance reads as "a carrier above your clearance", and only the auditor
gets links to the audit entries (R-ROLE-5: only the auditor reads the trail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access import policy
from baomi.audit.models import event_label
from baomi.core import levels
from baomi.kit import counts
from baomi.kit.counts import Deferred
from baomi.monitoring.choices import OPEN_STATUSES, Audience, RuleKind
from baomi.monitoring.detectors import CARRIER_TYPE, SPECS, RuleConfig
from baomi.monitoring.models import Alert, AlertEntry, MonitorCursor, MonitorRule


def rules_in_force() -> dict[str, RuleConfig]:
    """Every rule with its settings: the stored row, or the defaults (which ship on)."""
    rows = {r.kind: r for r in MonitorRule.objects.all()}
    out: dict[str, RuleConfig] = {}
    for kind in SPECS:
        row = rows.get(kind)
        out[kind] = (
            RuleConfig(kind, row.enabled, row.threshold, row.window_minutes, row.key)
            if row
            else RuleConfig.default(kind)
        )
    return out


def stored_rules(user: Any) -> QuerySet[MonitorRule]:
    """The stored rule rows ``user`` may see (rules never changed have none)."""
    return policy.visible(user, MonitorRule.objects.all(), "view")


def rules_for(user: Any) -> list[MonitorRule]:
    """The rules ``user`` may see, each a stored row or an unsaved one with the defaults."""
    rows = {r.kind: r for r in MonitorRule.objects.all()}
    out = []
    for kind, spec in SPECS.items():
        row = rows.get(kind) or MonitorRule(
            kind=kind,
            enabled=True,
            threshold=spec.threshold,
            window_minutes=spec.window_minutes,
            key=spec.key,
        )
        if policy.can(user, "view", row):
            out.append(row)
    return out


def rule_for(user: Any, kind: str, action: str = "view") -> MonitorRule:
    """One rule by kind; unknown and forbidden raise the same not-found error (audited)."""
    for row in rules_for(user) if kind in SPECS else []:
        if row.kind == kind and policy.can(user, action, row):
            return row
    raise policy.deny(user, action, ("monitoring.monitorrule", kind, kind))


def alerts(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Alert]:
    """The alerts ``user`` may see, newest first, narrowed by cleaned filter values."""
    f = filters or {}
    qs = policy.visible(user, Alert.objects.all(), "view").select_related(
        "subject_user", "subject_department"
    )
    if f.get("status") == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("rule"):
        qs = qs.filter(rule=f["rule"])
    if f.get("subject"):
        qs = qs.filter(
            Q(subject_label__icontains=f["subject"]) | Q(subject_user__full_name__icontains=f["subject"])
        )
    if f.get("date_from"):
        qs = qs.filter(raised_at__gte=_day_start(f["date_from"]))
    if f.get("date_to"):
        qs = qs.filter(raised_at__lt=_day_start(f["date_to"] + timedelta(days=1)))
    return qs.order_by("-raised_at", "-id")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def alert_for(user: Any, pk: Any, action: str = "view") -> Alert:
    """One alert; absent and forbidden raise the same not-found error, and a refusal is audited."""
    return policy.access_object(
        user, Alert.objects.select_related("subject_user", "subject_department"), pk, action
    )


def open_counts(user: Any) -> dict[str, int | Deferred]:
    """Open alerts the user may see, for every rule (0 for none): for dashboards, read with
    the page's other figures inside a ``kit.counts`` batch."""
    qs = policy.visible(user, Alert.objects.filter(status__in=OPEN_STATUSES), "view")
    per = counts.aggregate(
        qs, **{f"rule_{rule}": Count("pk", filter=Q(rule=rule)) for rule in RuleKind.values}
    )
    return {rule: per[f"rule_{rule}"] for rule in RuleKind.values}


def cursor() -> MonitorCursor | None:
    return MonitorCursor.objects.filter(name="default").first()


# --- presenting an alert to one reader ----------------------------------------------------------


@dataclass
class Target:
    label: str
    level: str
    masked: bool


def _masked_label(ttype: str) -> str:
    if ttype == CARRIER_TYPE:
        return _("a carrier above your clearance")
    return _("an object above your clearance")


def can_see_level(user: Any, level: str) -> bool:
    return not level or level not in levels.RANK or levels.dominates(getattr(user, "clearance", None), level)


def subject_text(user: Any, alert: Alert) -> str:
    """Who or what the alert is about, as ``user`` may read it."""
    if alert.rule == RuleKind.SEALER_LAG:
        return _("Audit sealer (oldest waiting entry: %(minutes)s minutes)") % {
            "minutes": alert.subject_label
        }
    if alert.key_kind == "system":
        return _("The audit trail")
    if alert.key_kind == "carrier":
        if not can_see_level(user, alert.subject_level):
            return _masked_label(CARRIER_TYPE)
        return _("Carrier %(number)s") % {"number": alert.subject_label}
    if alert.subject_department_id:
        return str(alert.subject_department)
    if alert.subject_user_id:
        return str(alert.subject_user)
    return _("Account name tried: %(name)s") % {"name": alert.subject_label}


def present(user: Any, alert: Alert) -> dict[str, Any]:
    """What ``user`` may read of ``alert``: subject, events, targets (masked above the reader's
    clearance), and — for the auditor only — the triggering audit entries."""
    summary = alert.summary or {}
    events = sorted(
        ((event_label(int(code)), n) for code, n in (summary.get("events") or {}).items()),
        key=lambda e: -e[1],
    )
    targets = []
    hidden = 0
    for _ttype, _tid, label, level in summary.get("targets") or []:
        if can_see_level(user, level):
            targets.append(Target(label=label, level=level, masked=False))
        else:
            hidden += 1
    masked = [Target(label=_masked_label(CARRIER_TYPE), level="", masked=True)] * min(hidden, 1)
    entry_ids: list[int] = []
    if alert.pk and policy.can(user, "read_audit"):
        entry_ids = list(
            AlertEntry.objects.filter(alert_id=alert.pk).values_list("entry_id", flat=True)[:200]
        )
    return {
        "subject": subject_text(user, alert),
        "events": events,
        "targets": targets + masked,
        "hidden_targets": hidden,
        "entry_ids": entry_ids,
        "reads_trail": policy.can(user, "read_audit"),
    }


def audience_of(user: Any) -> list[str]:
    """The audiences whose alerts ``user`` receives."""
    out: list[str] = []
    if user.has_role("security_officer"):
        out.append(str(Audience.SECURITY_OFFICER))
    if user.has_role("auditor"):
        out.append(str(Audience.AUDITOR))
    return out
