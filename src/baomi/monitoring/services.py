"""Services of the monitoring app (SEC-5, R-SYS-5): the evaluator, rule changes, the alert
lifecycle.

The evaluator (:func:`evaluate`) is the only writer of alerts. It reads sealed entries after
its cursor in chain order (``AuditSeal.seq``: gapless, in the order commits were sealed — an
entry that committed late is never skipped), feeds them to the rules (``detectors.Engine``) and
writes the alerts, their audit entries (ALERT_RAISED), the new cursor and the window state in
one transaction under a row lock on the cursor. A crash before the commit loses the batch's
work and the next run repeats it whole; after it, nothing is repeated. Two evaluators at once
(several schedulers, or the CLI beside the job) take turns on the lock; the second finds the
cursor moved and re-reads from there. The evaluator only reads the audit tables: audited writes
never wait for it (on SQLite the rows are read before the write transaction begins).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access import policy
from baomi.accounts.models import User
from baomi.audit import chain
from baomi.audit.models import AuditEntry, AuditPending, AuditSeal
from baomi.audit.record import record
from baomi.core.errors import ValidationFailed
from baomi.core.levels import STATE_SECRET_LEVELS
from baomi.kit.service import internal, own_transaction, service
from baomi.monitoring import lifecycle, selectors
from baomi.monitoring.choices import OPEN_STATUSES
from baomi.monitoring.detectors import MAX_LINKS, SPECS, AlertSpec, Engine, Row, summarize
from baomi.monitoring.events import MonitoringEvent
from baomi.monitoring.models import Alert, AlertEntry, MonitorCursor, MonitorRule
from baomi.monitoring.workcalendar import WorkCalendar

log = logging.getLogger("baomi.monitoring")
# The incident kind an escalated alert opens (SUP-2): content leaving in bulk or read in bulk is
# a suspected leak (the 24-hour clock runs); the rest are looked into as "other".
ESCALATION_KIND = {"bulk_export": "suspected_leak", "many_items": "suspected_leak"}
BATCH = 5000
CURSOR = "default"
_ROW_FIELDS = (
    "seq", "state", "entry_id", "entry__time", "entry__actor_id", "entry__actor_name", "entry__actor_roles",
    "entry__event", "entry__target_type", "entry__target_id", "entry__target_label", "entry__target_level",
    "entry__outcome", "entry__channel",
)  # fmt: skip


# --- the evaluator ------------------------------------------------------------------------------


def _read(after: int, limit: int) -> list[Row]:
    qs = AuditSeal.objects.filter(seq__gt=after).order_by("seq").values_list(*_ROW_FIELDS)[:limit]
    return [
        Row(
            seq,
            state,
            eid,
            t,
            aid,
            an or "",
            ar or "",
            ev or 0,
            tt or "",
            ti or "",
            tl or "",
            lv or "",
            oc or "",
            ch or "",
        )
        for (seq, state, eid, t, aid, an, ar, ev, tt, ti, tl, lv, oc, ch) in qs
    ]


class _Context:
    """Departments of accounts (loaded once per run, only when a rule counts per department)
    and the working calendar (the unit's own days read once per run and year)."""

    def __init__(self) -> None:
        self._departments: dict[int, int | None] | None = None
        self.calendar = WorkCalendar()

    def department_of(self, actor_id: int | None) -> int | None:
        if actor_id is None:
            return None
        if self._departments is None:
            self._departments = dict(User.objects.values_list("id", "department_id"))  # a few thousand
        return self._departments.get(actor_id)

    def is_working_time(self, when: datetime) -> bool:
        return self.calendar.is_working_time(when)


class _Sink:
    """Writes what the engine finds, inside the batch's transaction."""

    def __init__(self, rules: dict[str, Any], now: datetime) -> None:
        self.rules = rules
        self.now = now
        self.raised: list[Alert] = []
        self.grown: dict[int, list[list[Any]]] = defaultdict(list)
        self._open: dict[int, bool] = {}

    def _details(self, spec: AlertSpec) -> list[list[Any]]:
        ids = [r[1] for r in spec.rows if r[1]]
        rows = (
            AuditEntry.objects.filter(id__in=ids)
            .order_by("id")
            .values_list("time", "id", "event", "target_type", "target_id", "target_label", "target_level")
        )
        return [[t.timestamp(), *rest] for t, *rest in rows] + spec.details

    def raise_alert(self, spec: AlertSpec) -> int:
        rule = self.rules[spec.rule]
        details = self._details(spec)
        summary = summarize(details)
        times = [datetime.fromtimestamp(r[0], tz=UTC) for r in spec.rows + spec.details if r[0]]
        alert = Alert(
            rule=spec.rule, audience=spec.audience, key=spec.key[:200], key_kind=spec.key_kind,
            subject_label=spec.subject_label[:200], subject_user_id=spec.subject_user_id,
            subject_department_id=spec.subject_department_id, subject_level=spec.subject_level,
            highest_level=summary["highest"], count=len(spec.rows) or len(spec.details), first_at=min(times, default=spec.time),
            last_at=max(times, default=spec.time), threshold=rule.threshold, window_minutes=rule.window_minutes,
            summary=summary, raised_at=self.now,
        )  # fmt: skip
        alert.save()
        AlertEntry.objects.bulk_create(
            [AlertEntry(alert=alert, entry_id=r[1]) for r in spec.rows if r[1]][:MAX_LINKS],
            ignore_conflicts=True,
        )
        record(None, MonitoringEvent.ALERT_RAISED, alert,
               details={"rule": spec.rule, "audience": spec.audience, "entries": alert.count})  # fmt: skip
        self.raised.append(alert)
        self._open[alert.pk] = True
        return int(alert.pk)

    def extend_alert(self, alert_id: int, row: list[Any]) -> bool:
        if alert_id not in self._open:
            status = Alert.objects.filter(pk=alert_id).values_list("status", flat=True).first()
            self._open[alert_id] = status in OPEN_STATUSES
        if not self._open[alert_id]:
            return False  # closed meanwhile: the engine counts afresh and may raise a new one
        self.grown[alert_id].append(row)
        return True

    def flush(self) -> None:
        for alert_id, rows in self.grown.items():
            alert = Alert.objects.select_for_update().get(pk=alert_id)
            alert.summary = summarize(rows, alert.summary)
            alert.highest_level = alert.summary["highest"]
            alert.count += len(rows)
            alert.last_at = max(alert.last_at, *(datetime.fromtimestamp(r[0], tz=UTC)
                                                 for r in rows if r[0]))  # fmt: skip
            alert.save(update_fields=["summary", "highest_level", "count", "last_at"])
            room = MAX_LINKS - AlertEntry.objects.filter(alert_id=alert_id).count()
            if room > 0:
                AlertEntry.objects.bulk_create(
                    [AlertEntry(alert_id=alert_id, entry_id=r[1]) for r in rows if r[1]][:room],
                    ignore_conflicts=True,
                )


@internal
def raise_alert(spec: AlertSpec, *, now: datetime | None = None) -> Alert:
    """Write one alert found outside the stream (the demo's clock-bound examples) with its
    ALERT_RAISED entry, in the caller's transaction. No policy check: only the system raises
    alerts; the evaluator itself raises through the same sink."""
    sink = _Sink(selectors.rules_in_force(), now or timezone.now())
    sink.raise_alert(spec)
    return sink.raised[0]


def _ensure_cursor() -> None:
    if MonitorCursor.objects.filter(name=CURSOR).exists():
        return
    try:
        with transaction.atomic():
            MonitorCursor.objects.create(name=CURSOR)
    except IntegrityError:  # another evaluator created it first
        pass


def _oldest_pending() -> datetime | None:
    first = AuditPending.objects.order_by("entry_id").values_list("entry_id", flat=True).first()
    if first is None:
        return None
    return AuditEntry.objects.filter(pk=first).values_list("time", flat=True).first()


@own_transaction
def evaluate(
    *, now: datetime | None = None, batch: int = BATCH, seal: bool = True, audit_run: bool = False
) -> dict[str, int]:
    """Evaluate every rule in force over the audit entries sealed since the last run (SEC-5).

    Runs as the scheduled job ``monitoring.evaluate`` and from ``baomi monitoring evaluate``; no
    policy check: it acts for the system, reads only the trail and writes only alerts, each
    audited as ALERT_RAISED in the batch's transaction. Seals what is pending first (so an
    alert comes within one run of its entry); a failing sealer is logged and shows up as sealer
    lag. Returns how many entries were read and alerts raised. ``audit_run`` records the run
    itself as MONITOR_EVALUATED (the CLI; the scheduler audits its runs as JOB_RAN).
    """
    now = now or timezone.now()
    if seal:
        try:
            chain.seal_pending()
        except Exception:  # the lag rule reports it; monitoring must go on
            log.exception("sealing before monitoring failed")
    rules = selectors.rules_in_force()
    ctx = _Context()
    _ensure_cursor()
    read = raised = 0
    while True:
        after = MonitorCursor.objects.filter(name=CURSOR).values_list("seq", flat=True).get()
        rows = _read(after, batch)
        with transaction.atomic():
            cur = MonitorCursor.objects.select_for_update().get(name=CURSOR)
            if cur.seq != after:
                continue  # another evaluator moved on meanwhile: read again from there
            sink = _Sink(rules, now)
            engine = Engine(rules, ctx, sink, cur.state)
            engine.feed(rows)
            last = rows[-1] if rows else None
            done = len(rows) < batch
            if done:
                engine.check_lag(_oldest_pending(), now)
            # The stream's time is the last entry read: windows run on entry times, not on now.
            latest = next((r.time for r in reversed(rows) if r.time), None)
            engine.prune((latest or now).timestamp())
            sink.flush()
            cur.seq = last.seq if last else cur.seq
            cur.state = engine.state
            cur.evaluated_at = now
            cur.entries_read += len(rows)
            cur.save(update_fields=["seq", "state", "evaluated_at", "entries_read"])
            read += len(rows)
            raised += len(sink.raised)
        if done:
            result = {"read": read, "raised": raised, "seq": cur.seq}
            if audit_run:
                with transaction.atomic():
                    record(None, MonitoringEvent.MONITOR_EVALUATED, None, details=result)
            return result


# --- rules --------------------------------------------------------------------------------------


@service
def update_rule(
    actor: Any, kind: str, *, enabled: bool, threshold: int, window_minutes: int, key: str
) -> MonitorRule:
    """Change a rule's threshold, window, key or on/off (SEC-5). *Requires* ``change`` on the
    rule (its owner: the security officer, or the auditor for the rules that watch the
    administrators and the trail). *Audits* MONITOR_RULE_CHANGED with before and after."""
    if kind not in SPECS:
        raise ValidationFailed(
            _("No such monitoring rule."), fields={"kind": [_("No such monitoring rule.")]}
        )
    spec = SPECS[kind]
    rule = MonitorRule.objects.select_for_update().filter(kind=kind).first() or MonitorRule(
        kind=kind, enabled=True, threshold=spec.threshold, window_minutes=spec.window_minutes, key=spec.key
    )
    policy.require(actor, "change", rule)
    errors: dict[str, list[str]] = {}
    if threshold < 1 or threshold > 100000:
        errors["threshold"] = [_("Enter a whole number from 1 to 100000.")]
    if window_minutes < 1 or window_minutes > 7 * 24 * 60:
        errors["window_minutes"] = [_("Enter a number of minutes from 1 to 10080 (one week).")]
    if key not in spec.keys:
        errors["key"] = [_("This rule cannot count per this key.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    before = {"enabled": rule.enabled, "threshold": rule.threshold, "window_minutes": rule.window_minutes,
              "key": rule.key}  # fmt: skip
    rule.enabled, rule.threshold, rule.window_minutes, rule.key = (
        bool(enabled),
        threshold,
        window_minutes,
        key,
    )
    rule.updated_by = actor
    rule.updated_at = timezone.now()
    rule.save()
    after = {"enabled": rule.enabled, "threshold": threshold, "window_minutes": window_minutes, "key": key}
    record(actor, MonitoringEvent.MONITOR_RULE_CHANGED, rule, details={"before": before, "after": after})
    return rule


# --- alert lifecycle ----------------------------------------------------------------------------


def _move(actor: Any, alert: Alert, action: str) -> tuple[Alert, lifecycle.Move]:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    policy.require(actor, "handle", alert)
    return alert, lifecycle.next_state(alert.status, action)


@service
def acknowledge_alert(actor: Any, alert: Alert, *, note: str = "") -> Alert:
    """Acknowledge an alert: seen and being looked into (SEC-5). *Requires* ``handle`` (the
    alert's recipient). *Audits* ALERT_ACKNOWLEDGED."""
    alert, move = _move(actor, alert, "acknowledge")
    alert.status = move.next_state
    alert.acknowledged_by, alert.acknowledged_at = actor, timezone.now()
    if note:
        alert.note = note.strip()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "note"])
    record(actor, move.event, alert, details={"rule": alert.rule})
    return alert


@internal
def require_note(note: str) -> str:
    """A closing or escalating note is required (pure check; the calling service checks policy)."""
    note = (note or "").strip()
    if not note:
        message = _("Say what was found.")
        raise ValidationFailed(message, fields={"note": [message]})
    return note


@service
def close_alert(actor: Any, alert: Alert, *, note: str) -> Alert:
    """Close an alert with a note saying what was found (SEC-5). *Requires* ``handle``.
    *Audits* ALERT_CLOSED."""
    note = require_note(note)
    alert, move = _move(actor, alert, "close")
    alert.status = move.next_state
    alert.closed_by, alert.closed_at, alert.note = actor, timezone.now(), note
    alert.save(update_fields=["status", "closed_by", "closed_at", "note"])
    record(actor, move.event, alert, details={"rule": alert.rule})
    return alert


@service
def escalate_alert(actor: Any, alert: Alert, *, note: str) -> Alert:
    """Escalate an alert into an incident (SEC-5, SUP-2). *Requires* ``handle``. Opens the
    incident through the incidents seam (``incidents.services.open_incident``) with the rule,
    the counts and the times — never the audit details; discovered when the alert was raised, so
    a suspected leak's 24-hour clock counts from then. *Audits* ALERT_ESCALATED (and
    INCIDENT_OPENED)."""
    from baomi.incidents.choices import IncidentKind
    from baomi.incidents.services import open_incident

    note = require_note(note)
    alert, move = _move(actor, alert, "escalate")
    local = timezone.localtime
    description = _(
        "Raised by monitoring rule “%(rule)s”: %(count)d audit entries from %(first)s to %(last)s. Note: %(note)s"
    ) % {
        "rule": alert.get_rule_display(), "count": alert.count,
        "first": local(alert.first_at).strftime("%Y-%m-%d %H:%M"),
        "last": local(alert.last_at).strftime("%Y-%m-%d %H:%M"), "note": note,
    }  # fmt: skip
    incident = open_incident(
        actor,
        title=_("Monitoring alert #%(id)s: %(rule)s") % {"id": alert.pk, "rule": alert.get_rule_display()},
        description=description,
        source="monitoring",
        source_ref=f"alert:{alert.pk}",
        kind=ESCALATION_KIND.get(alert.rule, IncidentKind.OTHER),
        level=alert.highest_level if alert.highest_level in STATE_SECRET_LEVELS else "",
        discovered_at=alert.raised_at,
    )
    alert.status = move.next_state
    alert.incident = incident
    alert.closed_by, alert.closed_at, alert.note = actor, timezone.now(), note
    alert.save(update_fields=["status", "incident", "closed_by", "closed_at", "note"])
    record(actor, move.event, alert, details={"rule": alert.rule, "incident": incident.pk})
    return alert
