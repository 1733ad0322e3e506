"""The rules and the incremental engine, fed rows directly with fixed times (SEC-5, R-ROLE-2).

No database: the engine is pure, so thresholds, windows and keys are tested at their
boundaries here; tests/monitoring/test_evaluator.py drives the same engine from the real trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from baomi.audit.events import AuditEvent
from baomi.monitoring.choices import Audience, KeyKind, RuleKind
from baomi.monitoring.detectors import SPECS, AlertSpec, Engine, Row, RuleConfig, audience_for, summarize
from tests.monitoring.conftest import at

T0 = at("2026-11-17 10:00")


@dataclass
class ListSink:
    raised: list[AlertSpec] = field(default_factory=list)
    grown: dict[int, list[Any]] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)

    def raise_alert(self, spec: AlertSpec) -> int:
        self.raised.append(spec)
        return len(self.raised)

    def extend_alert(self, alert_id: int, row: list[Any]) -> bool:
        if alert_id in self.closed:
            return False
        self.grown.setdefault(alert_id, []).append(row)
        return True


@dataclass
class Ctx:
    working: bool = True
    departments: dict[int, int] = field(default_factory=dict)

    def department_of(self, actor_id: int | None) -> int | None:
        return self.departments.get(actor_id or 0)

    def is_working_time(self, when: datetime) -> bool:
        return self.working


_seq = iter(range(1, 10**6))


def row(event: AuditEvent, when: datetime, *, actor: int | None = 7, roles: str = "staff", outcome: str = "ok",
        target: tuple[str, str, str, str] = ("", "", "", ""), channel: str = "web", state: str = "ok") -> Row:  # fmt: skip
    seq = next(_seq)
    return Row(seq, state, seq, when, actor, f"user{actor}" if actor else "", roles, int(event), *target, outcome,
               channel)  # fmt: skip


def engine(
    kind: str, sink: ListSink, ctx: Ctx | None = None, state: dict | None = None, **changes: Any
) -> Engine:
    rule = RuleConfig.default(kind)
    rule = RuleConfig(kind, True, changes.get("threshold", rule.threshold), changes.get("window", rule.window_minutes),
                      changes.get("key", rule.key))  # fmt: skip
    return Engine({kind: rule}, ctx or Ctx(), sink, state or {})


def failures(n: int, start: datetime, every: timedelta, **kw: Any) -> list[Row]:
    return [row(AuditEvent.LOGIN_FAILED, start + i * every, outcome="failed", **kw) for i in range(n)]


def test_login_failures_alert_exactly_at_the_threshold():
    """SEC-5: 4 failures in the window raise nothing; the 5th (the default threshold) raises one."""
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink)
    e.feed(failures(4, T0, timedelta(minutes=1)))
    assert sink.raised == []
    e.feed(failures(1, T0 + timedelta(minutes=4), timedelta(0)))
    assert len(sink.raised) == 1
    alert = sink.raised[0]
    assert (alert.rule, alert.key, alert.audience, len(alert.rows)) == (RuleKind.LOGIN_FAILURES, "u7",
                                                                         Audience.SECURITY_OFFICER, 5)  # fmt: skip


def test_an_entry_exactly_one_window_old_no_longer_counts():
    """SEC-5: the window is half-open: an entry counts while ``t - s < window``."""
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink, threshold=3, window=10)
    e.feed(failures(2, T0, timedelta(minutes=1)))  # 10:00, 10:01
    e.feed([row(AuditEvent.LOGIN_FAILED, T0 + timedelta(minutes=10), outcome="failed")])  # 10:00 drops out
    assert sink.raised == []
    e.feed([row(AuditEvent.LOGIN_FAILED, T0 + timedelta(minutes=10, seconds=59), outcome="failed")])
    assert len(sink.raised) == 1, "10:01, 10:10 and 10:10:59 lie within ten minutes"


def test_the_window_slides():
    """SEC-5: failures spread thinner than the threshold per window never alert, however many."""
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink, threshold=3, window=10)
    e.feed(failures(50, T0, timedelta(minutes=5)))  # two per window at most
    assert sink.raised == []
    e.feed(failures(3, T0 + timedelta(hours=10), timedelta(minutes=4)))  # 0, 4, 8: three in ten minutes
    assert len(sink.raised) == 1


def test_a_running_alert_grows_instead_of_repeating_then_a_new_one_comes():
    """SEC-5: for one window after an alert, matching entries are added to it; after that the
    count starts afresh."""
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink, threshold=3, window=10)
    e.feed(failures(10, T0, timedelta(minutes=1)))  # alert at 10:02, then 10:03..10:09 grow it
    assert len(sink.raised) == 1
    assert len(sink.grown[1]) == 7
    e.feed(failures(3, T0 + timedelta(minutes=12), timedelta(minutes=1)))  # after 10:12 the alert has run out
    assert len(sink.raised) == 2


def test_a_closed_alert_is_not_grown_the_next_entries_raise_a_new_one():
    """SEC-5: once the recipient closed an alert, further activity makes a new alert."""
    sink = ListSink()
    e = engine(RuleKind.OFF_HOURS, sink, ctx=Ctx(working=False))
    e.feed([row(AuditEvent.CONTENT_VIEWED, T0)])
    sink.closed.add(1)
    e.feed([row(AuditEvent.CONTENT_VIEWED, T0 + timedelta(minutes=5))])
    assert len(sink.raised) == 2


def test_keys_are_counted_apart():
    """SEC-5: per account: two accounts with three failures each do not add up to five."""
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink)
    e.feed(failures(3, T0, timedelta(seconds=10), actor=1) + failures(3, T0, timedelta(seconds=10), actor=2))
    assert sink.raised == []


def test_per_department_key_adds_up_the_department_accounts():
    """SEC-5: counted per department, the same six failures do reach the threshold."""
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink, ctx=Ctx(departments={1: 9, 2: 9}), key=KeyKind.DEPARTMENT)
    e.feed(failures(3, T0, timedelta(seconds=10), actor=1) + failures(3, T0, timedelta(seconds=10), actor=2))
    assert [(a.key, a.subject_department_id) for a in sink.raised] == [("d9", 9)]


def test_unknown_account_names_are_counted_per_name_tried():
    """SEC-5: failures for a name that is no account (actor unknown) count under that name."""
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink)
    e.feed(failures(5, T0, timedelta(seconds=5), actor=None, target=("accounts.user", "", "admin", "")))
    assert [a.key for a in sink.raised] == ["n:admin"]


def test_bulk_exports_per_carrier_key():
    """SEC-5: counted per carrier, downloads of one carrier by several people add up; entries
    without a carrier target do not count under that key."""
    sink = ListSink()
    e = engine(RuleKind.BULK_EXPORT, sink, threshold=4, key=KeyKind.CARRIER)
    target = ("carriers.carrier", "42", "JM-2026-00042", "secret")
    e.feed(
        [
            row(AuditEvent.CONTENT_DOWNLOADED, T0 + timedelta(seconds=i), actor=i, target=target)
            for i in range(1, 4)
        ]
    )
    e.feed([row(AuditEvent.LEDGER_EXPORTED, T0 + timedelta(seconds=9))])
    assert sink.raised == []
    e.feed([row(AuditEvent.CARRIER_PRINTED, T0 + timedelta(seconds=10), actor=5, target=target)])
    assert [(a.key, a.subject_level) for a in sink.raised] == [("c42", "secret")]


def test_many_items_counts_different_classified_targets_only():
    """SEC-5: the same item read 30 times is one item; work secrets are not counted."""
    sink = ListSink()
    e = engine(RuleKind.MANY_ITEMS, sink, threshold=3)
    same = ("classification.item", "1", "#1", "secret")
    e.feed([row(AuditEvent.ITEM_VIEWED, T0 + timedelta(seconds=i), target=same) for i in range(30)])
    e.feed([row(AuditEvent.ITEM_VIEWED, T0 + timedelta(minutes=1), target=("classification.item", "2", "#2",
                                                                          "work_secret"))])  # fmt: skip
    assert sink.raised == []
    e.feed([row(AuditEvent.CONTENT_VIEWED, T0 + timedelta(minutes=2), target=("carriers.carrier", "5", "X", "top_secret")),
            row(AuditEvent.ITEM_VIEWED, T0 + timedelta(minutes=3), target=("classification.item", "3", "#3", "confidential"))])  # fmt: skip
    assert len(sink.raised) == 1
    assert [r[2] for r in sink.raised[0].rows] == ["classification.item:1", "carriers.carrier:5",
                                                   "classification.item:3"]  # fmt: skip


def test_denial_bursts():
    sink = ListSink()
    e = engine(RuleKind.DENIAL_BURST, sink)
    e.feed([row(AuditEvent.ACCESS_DENIED, T0 + timedelta(seconds=i), outcome="denied") for i in range(9)])
    assert sink.raised == []
    e.feed([row(AuditEvent.ACCESS_DENIED, T0 + timedelta(seconds=30), outcome="denied")])
    assert len(sink.raised) == 1


def test_off_hours_counts_people_not_jobs():
    """SEC-5: a person's action outside working time alerts; the scheduler's never does."""
    sink = ListSink()
    e = engine(RuleKind.OFF_HOURS, sink, ctx=Ctx(working=False))
    e.feed([row(AuditEvent.JOB_RAN, T0, actor=None, channel="job"), row(AuditEvent.LOGGED_OUT, T0)])
    assert sink.raised == []
    e.feed([row(AuditEvent.LOGIN_SUCCEEDED, T0)])
    assert len(sink.raised) == 1


def test_admin_out_of_role():
    """R-ROLE-5: the system administrator reading classified content, or any administrator
    refused, alerts the auditor; the security officer reading content is within the role."""
    sink = ListSink()
    e = engine(RuleKind.ADMIN_OUT_OF_ROLE, sink)
    e.feed([row(AuditEvent.CONTENT_VIEWED, T0, actor=3, roles="security_officer")])
    assert sink.raised == []
    e.feed([row(AuditEvent.CONTENT_VIEWED, T0, actor=1, roles="system_administrator"),
            row(AuditEvent.ACCESS_DENIED, T0, actor=2, roles="security_officer", outcome="denied")])  # fmt: skip
    assert [(a.key, a.audience) for a in sink.raised] == [("u1", Audience.AUDITOR), ("u2", Audience.AUDITOR)]


def test_alerts_about_the_administrators_go_to_the_auditor_and_about_the_auditor_to_the_officer():
    """R-ROLE-2: the auditor watches the system administrator and the security officer; nobody
    reviews their own actions, so alerts about the auditor go to the security officer."""
    assert audience_for("system_administrator") == Audience.AUDITOR
    assert audience_for("security_officer") == Audience.AUDITOR
    assert audience_for("auditor") == Audience.SECURITY_OFFICER
    assert audience_for("staff,unit_head") == Audience.SECURITY_OFFICER
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink, threshold=2)
    e.feed(failures(2, T0, timedelta(seconds=1), actor=1, roles="system_administrator"))
    e.feed(failures(2, T0, timedelta(seconds=1), actor=2))
    assert [a.audience for a in sink.raised] == [Audience.AUDITOR, Audience.SECURITY_OFFICER]


def test_chain_failures_from_seals_and_from_verify():
    """SEC-3, SEC-5: a seal that records an altered or deleted entry, or a failed verify run,
    alerts the auditor."""
    sink = ListSink()
    e = engine(RuleKind.CHAIN_FAILURE, sink)
    e.feed([row(AuditEvent.AUDIT_VERIFIED, T0, actor=None, outcome="ok")])
    assert sink.raised == []
    e.feed([row(AuditEvent.AUDIT_VERIFIED, T0, actor=None, outcome="failed")])
    e2 = engine(RuleKind.CHAIN_FAILURE, sink)
    e2.feed([Row(999, "missing", 999, None, None, "", "", 0, "", "", "", "", "", "")])
    assert [(a.rule, a.audience) for a in sink.raised] == [(RuleKind.CHAIN_FAILURE, Audience.AUDITOR)] * 2


def test_sealer_lag_alerts_once_until_it_clears():
    sink = ListSink()
    e = engine(RuleKind.SEALER_LAG, sink)
    e.check_lag(T0, T0 + timedelta(minutes=9))
    assert sink.raised == []
    e.check_lag(T0, T0 + timedelta(minutes=10))
    e.check_lag(T0, T0 + timedelta(minutes=30))
    assert len(sink.raised) == 1
    e.check_lag(None, T0 + timedelta(minutes=31))
    e.check_lag(T0 + timedelta(minutes=31), T0 + timedelta(minutes=45))
    assert len(sink.raised) == 2


def test_state_survives_a_json_round_trip_mid_window():
    """SEC-5: the state the evaluator stores is JSON; a restart mid-window continues the count."""
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink)
    e.feed(failures(3, T0, timedelta(minutes=1)))
    saved = json.loads(json.dumps(e.state))
    again = engine(RuleKind.LOGIN_FAILURES, sink, state=saved)
    again.feed(failures(2, T0 + timedelta(minutes=3), timedelta(minutes=1)))
    assert len(sink.raised) == 1 and len(sink.raised[0].rows) == 5


def test_prune_forgets_quiet_keys():
    sink = ListSink()
    e = engine(RuleKind.LOGIN_FAILURES, sink)
    e.feed(failures(2, T0, timedelta(minutes=1)))
    e.prune((T0 + timedelta(minutes=14)).timestamp())
    assert e.state["keys"]
    e.prune((T0 + timedelta(minutes=16)).timestamp())
    assert e.state["keys"] == {}


@pytest.mark.parametrize("kind", list(SPECS))
def test_every_rule_ships_on_with_a_key_it_allows(kind):
    """SEC-5: defaults ship on."""
    rule = RuleConfig.default(kind)
    assert rule.enabled and rule.threshold >= 1 and rule.key in SPECS[kind].keys


def test_a_disabled_rule_raises_nothing():
    sink = ListSink()
    e = Engine({RuleKind.LOGIN_FAILURES: RuleConfig(RuleKind.LOGIN_FAILURES, False, 1, 10, KeyKind.ACCOUNT)},
               Ctx(), sink, {})  # fmt: skip
    e.feed(failures(10, T0, timedelta(seconds=1)))
    assert sink.raised == []


def test_summarize_counts_events_and_finds_the_highest_level():
    rows = [[0, 1, 304, "carriers.carrier", "5", "JM-5", "top_secret"], [0, 2, 304, "carriers.carrier", "5", "JM-5",
            "top_secret"], [0, 3, 208, "classification.item", "3", "#3", "confidential"]]  # fmt: skip
    s = summarize(rows)
    assert s["events"] == {"304": 2, "208": 1} and s["highest"] == "top_secret" and len(s["targets"]) == 2
