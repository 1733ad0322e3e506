"""Reads of the audit trail for the UI, the API and the export (SEC-3).

Every read goes through ``access.policy.visible``: the auditor sees every entry, anyone else
nothing. Filters run in SQL.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry, AuditPending, AuditSeal, AuditVerification

STALE_MINUTES = 10  # the sealer runs every minute: ten minutes unsealed means it has stopped
VERIFY_STALE_HOURS = 2  # the scheduled verify runs every 15 minutes


def entries(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[AuditEntry]:
    """The entries ``user`` may read, newest first, narrowed by the cleaned filter values."""
    qs = policy.visible(user, AuditEntry.objects.all(), "view").order_by("-id")
    return apply_filters(qs, filters or {})


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries_per_day(user: Any, first: date) -> dict[date, int]:
    """The entries ``user`` may read, by local day, from ``first`` on (OPS-1: the auditor's
    start page). Chosen from ``first``'s first instant — a range on the index of ``time`` — not
    by each entry's local date, a test that read the whole trail, which grows with every read."""
    qs = entries(user).filter(time__gte=_day_start(first)).order_by().annotate(d=TruncDate("time"))
    return dict(qs.values("d").annotate(n=Count("id")).values_list("d", "n"))


def apply_filters(qs: QuerySet[AuditEntry], f: dict[str, Any]) -> QuerySet[AuditEntry]:
    if f.get("actor"):
        qs = qs.filter(actor_name__icontains=f["actor"])
    if f.get("event") is not None and f.get("event") != "":
        qs = qs.filter(event=int(f["event"]))
    if f.get("target_type"):
        qs = qs.filter(target_type__icontains=f["target_type"])
    if f.get("target_id"):
        qs = qs.filter(target_id=f["target_id"])
    if f.get("target"):
        qs = qs.filter(target_label__icontains=f["target"])
    for name in ("target_level", "outcome", "channel"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("date_from"):
        qs = qs.filter(time__gte=_day_start(f["date_from"]))
    if f.get("date_to"):
        qs = qs.filter(time__lt=_day_start(f["date_to"] + timedelta(days=1)))
    if f.get("q"):
        text = f["q"]
        # Details are JSON: match the text itself and its JSON-escaped form (quotes, backslashes).
        escaped = json.dumps(text, ensure_ascii=False)[1:-1]
        qs = qs.filter(Q(details__icontains=text) | Q(details__icontains=escaped))
    return qs


def entry(user: Any, pk: Any) -> AuditEntry:
    """One entry; absent and forbidden raise the same not-found error, and a refusal is audited."""
    return policy.access_object(user, AuditEntry.objects.all(), pk, "view")


def seal_of(entry: AuditEntry) -> AuditSeal | None:
    """The entry's place in the chain, or None while it waits for the sealer."""
    return AuditSeal.objects.filter(entry_id=entry.pk).first()


def counts_for_dashboard(user: Any) -> dict[str, int]:
    """What the auditor should look at: recent denials, failed verifications, a stalled sealer."""
    now = timezone.now()
    qs = policy.visible(user, AuditEntry.objects.all(), "view")
    return {
        "denied_7d": qs.filter(outcome="denied", time__gte=now - timedelta(days=7)).count(),
        "verify_failed_30d": qs.filter(
            event=int(AuditEvent.AUDIT_VERIFIED), outcome="failed", time__gte=now - timedelta(days=30)
        ).count(),
        "unsealed_stale": qs.filter(
            id__in=AuditPending.objects.values("entry_id"), time__lt=now - timedelta(minutes=STALE_MINUTES)
        ).count(),
    }


def last_verification(user: Any) -> AuditVerification | None:
    """The newest verify run (scheduled or full) for the auditor's start page; None for anyone
    who may not read the trail, or when the chain was never verified."""
    if not policy.can(user, "read_audit"):
        return None
    return AuditVerification.objects.order_by("-id").first()


def trail_is_empty() -> bool:
    return not AuditEntry.objects.exists()
