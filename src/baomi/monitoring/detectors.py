"""The monitoring rules over the audit stream and the incremental engine that applies them
(SEC-5, R-SYS-5).

Pure Python, no database: :class:`Engine` is fed audit rows in chain order (sequence number),
keeps the sliding-window state it needs per (rule, audience, key) and tells a *sink* when to
raise an alert or to add an entry to an alert that is still running. The state is plain JSON,
so the evaluator (``evaluator.py``) stores it with the cursor in the transaction that writes the
alerts: a restart resumes exactly where the last committed batch ended.

Windows are measured on the entries' own times, never on the time of evaluation, so a late run
raises the same alerts as a prompt one. An entry at time ``s`` counts for an entry at ``t`` when
``t - s < window``. When a key reaches the threshold the alert is raised with the entries of the
window; for one window after that, further matching entries are added to the same alert instead
of raising a new one (a running login attack is one alert that grows, not one a minute).

Separation of duties (R-ROLE-2, R-ROLE-5): the audience of an alert follows the *subject* of
the entries. Entries by the system administrator or the security officer go to the auditor,
who watches the administrators; entries by the auditor go to the security officer (nobody reviews
their own actions); everyone else's go to the security officer; findings about the trail itself
(chain, sealer) go to the auditor. The audience is part of the key, so an alert never mixes
entries meant for different recipients.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from django.utils import timezone

from baomi.accounts.choices import Role
from baomi.audit.events import AuditEvent
from baomi.core import levels
from baomi.monitoring.choices import Audience, KeyKind, RuleKind

STATE_VERSION = 1
MAX_TARGETS = 50  # distinct targets kept in an alert's summary
MAX_LINKS = 500  # audit entries linked to one alert; the count goes on beyond it


class _Events:
    """A set of event codes named by their enum member names, across the legacy ``AuditEvent``
    and every app's event enum (``audit.events.event_enums``); resolved at first use, when every
    app has registered its events. Names of events an app has not added yet are simply absent."""

    def __init__(self, *names: str) -> None:
        self.names = frozenset(names)
        self._codes: frozenset[int] | None = None

    def __contains__(self, code: object) -> bool:
        if self._codes is None:
            from baomi.audit.events import event_enums

            self._codes = frozenset(int(m) for enum in event_enums() for m in enum if m.name in self.names)
        return code in self._codes


_events = _Events
LOGIN_FAILURE_EVENTS = _events("LOGIN_FAILED", "TOTP_FAILED")
# Content leaving the system or multiplied: downloads, prints, copies, exports (SEC-5 "bulk").
EXPORT_EVENTS = _events(
    "CONTENT_DOWNLOADED", "CONTENT_COPIED", "CARRIER_PRINTED", "LEDGER_EXPORTED",
    "KNOWLEDGE_RECORD_EXPORTED", "DESTRUCTION_LIST_EXPORTED", "AUDIT_EXPORTED", "STATISTICS_EXPORTED",
    "ANNUAL_REPORT_EXPORTED", "USERS_EXPORTED", "ITEM_REGISTER_EXPORTED", "PERSONNEL_LIST_EXPORTED",
)  # fmt: skip
# Reads of classified content: the knowledge record of R-AUD-4.
READ_EVENTS = _events("ITEM_VIEWED", "CONTENT_VIEWED", "CONTENT_DOWNLOADED", "CONTENT_COPY_READ")
# Not a person acting: session housekeeping does not count as access outside working hours.
PASSIVE_EVENTS = _events("LOGGED_OUT", "SESSION_EXPIRED")
ADMINS = frozenset({str(Role.SYSTEM_ADMINISTRATOR), str(Role.SECURITY_OFFICER), str(Role.AUDITOR)})
# R-ROLE-5: the system administrator and the auditor never read classified content.
NO_CONTENT_ROLES = frozenset({str(Role.SYSTEM_ADMINISTRATOR), str(Role.AUDITOR)})
CARRIER_TYPE = "carriers.carrier"


@dataclass(frozen=True)
class RuleSpec:
    """A rule's fixed parts: defaults, the keys it may count per, and who configures it."""

    kind: str
    threshold: int
    window_minutes: int
    key: str
    keys: tuple[str, ...]
    owner: str  # the role that configures it (Audience value)
    help: str = ""


SPECS: dict[str, RuleSpec] = {
    s.kind: s
    for s in [
        RuleSpec(
            RuleKind.LOGIN_FAILURES,
            5,
            15,
            KeyKind.ACCOUNT,
            (KeyKind.ACCOUNT, KeyKind.DEPARTMENT),
            Audience.SECURITY_OFFICER,
        ),
        RuleSpec(
            RuleKind.BULK_EXPORT,
            20,
            10,
            KeyKind.ACCOUNT,
            (KeyKind.ACCOUNT, KeyKind.DEPARTMENT, KeyKind.CARRIER),
            Audience.SECURITY_OFFICER,
        ),
        RuleSpec(
            RuleKind.OFF_HOURS,
            1,
            120,
            KeyKind.ACCOUNT,
            (KeyKind.ACCOUNT, KeyKind.DEPARTMENT),
            Audience.SECURITY_OFFICER,
        ),
        RuleSpec(
            RuleKind.DENIAL_BURST,
            10,
            10,
            KeyKind.ACCOUNT,
            (KeyKind.ACCOUNT, KeyKind.DEPARTMENT, KeyKind.CARRIER),
            Audience.SECURITY_OFFICER,
        ),
        RuleSpec(
            RuleKind.MANY_ITEMS,
            20,
            60,
            KeyKind.ACCOUNT,
            (KeyKind.ACCOUNT, KeyKind.DEPARTMENT),
            Audience.SECURITY_OFFICER,
        ),
        # The rules that watch the administrators and the trail are the auditor's to configure:
        # the security officer must not be able to switch off what watches the security officer.
        RuleSpec(RuleKind.ADMIN_OUT_OF_ROLE, 1, 60, KeyKind.ACCOUNT, (KeyKind.ACCOUNT,), Audience.AUDITOR),
        RuleSpec(RuleKind.CHAIN_FAILURE, 1, 60, KeyKind.SYSTEM, (KeyKind.SYSTEM,), Audience.AUDITOR),
        # threshold = minutes an entry may wait for its seal; the window is not used.
        RuleSpec(RuleKind.SEALER_LAG, 10, 60, KeyKind.SYSTEM, (KeyKind.SYSTEM,), Audience.AUDITOR),
        # CLS-7, R-CRYPTO-5: a level or mark that fails its MAC goes to the security officer, who
        # keeps the registry; the auditor configures it, so the officer cannot switch it off.
        RuleSpec(RuleKind.INTEGRITY_FAILURE, 1, 60, KeyKind.SYSTEM, (KeyKind.SYSTEM,), Audience.AUDITOR),
    ]
}


@dataclass(frozen=True)
class RuleConfig:
    """A rule in force: the defaults of its spec as changed by its owner."""

    kind: str
    enabled: bool
    threshold: int
    window_minutes: int
    key: str

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.window_minutes)

    @classmethod
    def default(cls, kind: str) -> RuleConfig:
        s = SPECS[kind]
        return cls(kind, True, s.threshold, s.window_minutes, s.key)


class Row(NamedTuple):
    """One sealed audit entry as the evaluator reads it (chain order)."""

    seq: int
    state: str  # seal state: ok, bad, missing
    entry_id: int | None
    time: datetime | None
    actor_id: int | None
    actor_name: str
    actor_roles: str
    event: int
    target_type: str
    target_id: str
    target_label: str
    target_level: str
    outcome: str
    channel: str


@dataclass
class AlertSpec:
    """What the sink needs to raise an alert."""

    rule: str
    audience: str
    key: str
    key_kind: str
    subject_label: str
    subject_user_id: int | None
    subject_department_id: int | None
    subject_level: str
    rows: list[list[Any]]  # the window: [epoch, entry id, ...], oldest first
    time: datetime
    # Compact rows (see _compact) to summarise from; else the sink reads the entries by id.
    details: list[list[Any]] = field(default_factory=list)


class Sink(Protocol):
    def raise_alert(self, spec: AlertSpec) -> int: ...

    def extend_alert(self, alert_id: int, row: list[Any]) -> bool:
        """Add an entry to a running alert; False when the alert was closed meanwhile."""
        ...


class Context(Protocol):
    """What the engine asks of the world: departments of accounts and the working calendar."""

    def department_of(self, actor_id: int | None) -> int | None: ...

    def is_working_time(self, when: datetime) -> bool: ...


def _compact(row: Row) -> list[Any]:
    """An entry as an alert's summary needs it: [epoch, entry id, event, target type, target
    id, target label, target level]."""
    return [row.time.timestamp() if row.time else 0.0, row.entry_id, row.event, row.target_type, row.target_id,
            row.target_label[:60], row.target_level]  # fmt: skip


def audience_for(actor_roles: str) -> str:
    """The recipient of alerts about this actor (R-ROLE-2): see the module docstring."""
    roles = set(filter(None, actor_roles.split(",")))
    if roles & {str(Role.SYSTEM_ADMINISTRATOR), str(Role.SECURITY_OFFICER)}:
        return Audience.AUDITOR
    return Audience.SECURITY_OFFICER


# --- what each rule counts ------------------------------------------------------------------


def _is_admin(row: Row) -> bool:
    return bool(set(row.actor_roles.split(",")) & ADMINS)


def _off_hours(row: Row, ctx: Context) -> bool:
    return (
        row.actor_id is not None
        and row.channel != "job"  # the scheduler works at night by design
        and row.event not in PASSIVE_EVENTS
        and row.time is not None
        and not ctx.is_working_time(row.time)
    )


def _admin_out_of_role(row: Row, ctx: Context) -> bool:
    if not _is_admin(row):
        return False
    if row.outcome == "denied":
        return True  # R-ROLE-5: an administrator tried something the role does not allow
    roles = set(row.actor_roles.split(","))
    return bool(roles & NO_CONTENT_ROLES) and row.event in READ_EVENTS


def _classified_read(row: Row, ctx: Context) -> bool:
    return (
        row.event in READ_EVENTS
        and row.outcome == "ok"
        and row.target_level in levels.STATE_SECRET_LEVELS
        and row.actor_id is not None
    )


MATCHERS: dict[str, Callable[[Row, Context], bool]] = {
    RuleKind.LOGIN_FAILURES: lambda r, c: r.event in LOGIN_FAILURE_EVENTS,
    RuleKind.BULK_EXPORT: lambda r, c: r.event in EXPORT_EVENTS
    and r.outcome == "ok"
    and r.actor_id is not None,
    RuleKind.OFF_HOURS: _off_hours,
    RuleKind.DENIAL_BURST: lambda r, c: r.outcome == "denied",
    RuleKind.MANY_ITEMS: _classified_read,
    RuleKind.ADMIN_OUT_OF_ROLE: _admin_out_of_role,
    RuleKind.CHAIN_FAILURE: lambda r, c: r.state != "ok"
    or (r.event == int(AuditEvent.AUDIT_VERIFIED) and r.outcome == "failed"),
    # CLS-7, R-CRYPTO-5, SEC-3: the access policy found a level or mark that fails its MAC.
    RuleKind.INTEGRITY_FAILURE: lambda r, c: r.event == int(AuditEvent.INTEGRITY_FAILED),
}
DISTINCT = frozenset({RuleKind.MANY_ITEMS})  # counts different targets, not entries
SYSTEM_RULES = frozenset({RuleKind.CHAIN_FAILURE, RuleKind.SEALER_LAG, RuleKind.INTEGRITY_FAILURE})
# System rules whose alerts go to the security officer rather than the auditor (the registry's
# integrity is the security office's to restore, CLS-7).
OFFICER_SYSTEM_RULES = frozenset({RuleKind.INTEGRITY_FAILURE})


@dataclass
class Subject:
    key: str
    label: str
    user_id: int | None = None
    department_id: int | None = None
    level: str = ""


def subject_for(row: Row, key_kind: str, ctx: Context) -> Subject | None:
    """The key an entry counts under, or None when it has none of that kind."""
    if key_kind == KeyKind.SYSTEM:
        return Subject("system", "")
    if key_kind == KeyKind.CARRIER:
        if row.target_type != CARRIER_TYPE or not row.target_id:
            return None
        return Subject(f"c{row.target_id}", row.target_label, level=row.target_level)
    if key_kind == KeyKind.DEPARTMENT:
        dept = ctx.department_of(row.actor_id)
        return Subject(f"d{dept}", "", department_id=dept) if dept else None
    if row.actor_id is not None:
        return Subject(f"u{row.actor_id}", row.actor_name, user_id=row.actor_id)
    # A failed login for a name that is no account: count per name tried.
    name = row.target_label or row.actor_name
    return Subject(f"n:{name}", name) if name else None


# --- the engine -----------------------------------------------------------------------------


@dataclass
class Engine:
    """Applies the rules in force to rows in chain order; ``state`` round-trips through JSON."""

    rules: dict[str, RuleConfig]
    ctx: Context
    sink: Sink
    state: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.state.get("v") != STATE_VERSION:
            self.state = {"v": STATE_VERSION, "keys": {}, "lag": None}
        self._active = [
            (r, MATCHERS[r.kind]) for r in self.rules.values() if r.enabled and r.kind in MATCHERS
        ]

    def feed(self, rows: Iterable[Row]) -> int:
        n = 0
        for row in rows:
            n += 1
            for rule, matches in self._active:
                if matches(row, self.ctx):
                    self._count(rule, row)
        return n

    def _count(self, rule: RuleConfig, row: Row) -> None:
        system = rule.kind in SYSTEM_RULES
        key_kind = KeyKind.SYSTEM if system else rule.key
        subject = subject_for(row, key_kind, self.ctx)
        if subject is None:
            return
        audience = Audience.AUDITOR if system else audience_for(row.actor_roles)
        if rule.kind in OFFICER_SYSTEM_RULES:
            audience = Audience.SECURITY_OFFICER
        state_key = f"{rule.kind}|{audience}|{subject.key}"
        keys = self.state["keys"]
        st = keys.get(state_key)
        if st is None:
            st = keys[state_key] = {"w": []}
        t = row.time.timestamp() if row.time else 0.0
        if "alert" in st:
            if t < st["until"] and self.sink.extend_alert(st["alert"], _compact(row)):
                st["last"] = t  # the running alert grows
                return
            del st["alert"], st["until"]
        # The window: [epoch, entry id] per entry, or [epoch, entry id, target] for distinct
        # targets; at most ``threshold`` items, oldest first.
        window = rule.window.total_seconds()
        w = st["w"]
        drop = 0
        while drop < len(w) and t - w[drop][0] >= window:
            drop += 1
        if drop:
            del w[:drop]
        if rule.kind in DISTINCT:
            token = f"{row.target_type}:{row.target_id}"
            for n, item in enumerate(w):
                if item[2] == token:
                    del w[n]  # the newest read of a target counts
                    break
            w.append([t, row.entry_id, token])
        else:
            w.append([t, row.entry_id])
        if len(w) > rule.threshold:
            del w[: len(w) - rule.threshold]  # older ones can never matter again
        st["last"] = t
        if len(w) >= rule.threshold:
            alert_id = self.sink.raise_alert(
                AlertSpec(
                    rule=rule.kind,
                    audience=audience,
                    key=subject.key,
                    key_kind=key_kind,
                    subject_label=subject.label or row.actor_name,
                    subject_user_id=subject.user_id,
                    subject_department_id=subject.department_id,
                    subject_level=subject.level,
                    rows=list(w),
                    time=row.time or timezone.now(),
                    details=[_compact(row)] if row.entry_id is None else [],
                )
            )
            st["w"] = []
            st["alert"] = alert_id
            st["until"] = t + window

    def prune(self, now: float) -> None:
        """Forget keys whose newest entry and running alert are older than the longest window."""
        longest = max((r.window.total_seconds() for r in self.rules.values()), default=0)
        keys = self.state["keys"]
        for k in [
            k for k, st in keys.items() if now - st.get("last", 0) >= longest and now >= st.get("until", 0)
        ]:
            del keys[k]

    def check_lag(self, oldest_pending: datetime | None, now: datetime) -> None:
        """Sealer lag (SEC-3): an entry waiting longer than the threshold raises one alert; the
        next can come once the sealer has caught up."""
        rule = self.rules.get(RuleKind.SEALER_LAG)
        if rule is None or not rule.enabled:
            return
        lagging = oldest_pending is not None and now - oldest_pending >= timedelta(minutes=rule.threshold)
        if not lagging:
            self.state["lag"] = None
            return
        if self.state.get("lag"):
            return
        minutes = int((now - oldest_pending).total_seconds() // 60) if oldest_pending else 0
        self.state["lag"] = self.sink.raise_alert(
            AlertSpec(
                rule=RuleKind.SEALER_LAG,
                audience=Audience.AUDITOR,
                key="system",
                key_kind=KeyKind.SYSTEM,
                subject_label=str(minutes),
                subject_user_id=None,
                subject_department_id=None,
                subject_level="",
                rows=[],
                time=now,
            )
        )


def summarize(rows: Iterable[list[Any]], summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fold compact rows into an alert's summary: entries per event, the distinct targets (type,
    id, label, level; at most MAX_TARGETS) and the highest level among them."""
    out = summary or {"events": {}, "targets": [], "highest": ""}
    seen = {(t[0], t[1]) for t in out["targets"]}
    for row in rows:
        code = str(row[2])
        out["events"][code] = out["events"].get(code, 0) + 1
        ttype, tid, label, level = row[3], row[4], row[5], row[6]
        if ttype and (ttype, tid) not in seen and len(out["targets"]) < MAX_TARGETS:
            seen.add((ttype, tid))
            out["targets"].append([ttype, tid, label, level])
        if level in levels.RANK and (not out["highest"] or levels.rank(level) > levels.rank(out["highest"])):
            out["highest"] = level
    return out
