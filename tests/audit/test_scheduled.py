"""The scheduled, incremental verify of the audit chain (SEC-3; issue 20 §2): it starts from the
last signed verification record, checks what came after it plus a rolling window of the older
history, raises a failure as an alert, and shows its result on the auditor's start page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from baomi.audit import chain, services
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditSeal, AuditVerification
from baomi.audit.record import record
from baomi.kit.jobs import load_jobs, run_job
from tests.support.assertions import assert_audited, assert_not_audited, last_audit_id

pytestmark = pytest.mark.django_db


def _write(n: int) -> list:
    return [record(None, AuditEvent.SETTING_CHANGED, ("core.setting", i, f"设置 {i}"), details={"i": i})
            for i in range(n)]  # fmt: skip


def _raw(sql: str, params: list) -> None:
    """Tampering as the tables' owner could do it (on PostgreSQL: triggers off for the moment)."""
    tables = ("audit_auditentry", "audit_auditseal", "audit_auditpending")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in tables:
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            for table in tables:
                cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _seq(entry) -> int:
    return AuditSeal.objects.get(entry_id=entry.pk).seq


def test_the_scheduled_verify_checks_only_what_came_after_the_last_verification(settings):
    """After a full verify, a scheduled run checks the seals written since (here with no rolling
    window): its work follows the new entries, not the history behind them."""
    _write(30)
    full = services.verify(None)
    assert full.ok and AuditVerification.objects.get().kind == "full"
    _write(5)
    settings.AUDIT_VERIFY_SWEEP = 0
    result = services.scheduled_verify()
    assert result.ok and result.kind == "scheduled"
    assert result.from_seq == full.head_seq + 1 and result.checked == result.head_seq - full.head_seq
    assert result.checked <= 6  # the five entries and the AUDIT_VERIFIED of the full run
    record_ = AuditVerification.objects.order_by("-id").first()
    assert (record_.kind, record_.head_seq, record_.ok) == ("scheduled", result.head_seq, True)
    assert chain.keys.mac_equal(chain.record_signature(record_), record_.signature)


def test_without_any_verification_record_it_is_a_full_verify():
    _write(3)
    result = services.scheduled_verify()
    assert result.ok and result.kind == "full" and result.from_seq == 1


def test_a_failure_in_the_new_part_is_raised_as_an_alert_once(settings):
    """A problem after the last verification fails the run: AUDIT_VERIFIED with outcome failed
    (the dashboard's alert) naming the first sequence number; the next run starts after it."""
    _write(3)
    services.verify(None)
    victim = _write(3)[1]
    chain.seal_pending()
    _raw("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["篡改者", victim.pk])
    since = last_audit_id()
    settings.AUDIT_VERIFY_SWEEP = 0
    result = services.scheduled_verify()
    assert not result.ok and result.first.seq == _seq(victim)
    assert result.first.problem == chain.Problem.ENTRY_ALTERED
    entry = assert_audited(AuditEvent.AUDIT_VERIFIED, outcome="failed", since=since)
    assert entry.details["kind"] == "scheduled" and entry.details["findings"][0]["seq"] == _seq(victim)
    assert AuditVerification.objects.order_by("-id").first().first_seq == _seq(victim)
    since = last_audit_id()
    assert services.scheduled_verify().ok  # reported once; the chain after it is intact
    assert_not_audited(AuditEvent.AUDIT_VERIFIED, since=since)


def test_the_rolling_window_finds_tampering_in_the_older_history(settings):
    """Older entries are re-verified a window at a time, wrapping round: an alteration below
    the last verification is found within a cycle of runs."""
    entries = _write(12)
    services.verify(None)
    _raw("UPDATE audit_auditentry SET outcome = 'denied' WHERE id = %s", [entries[9].pk])
    settings.AUDIT_VERIFY_SWEEP = 4
    found = []
    for _ in range(5):
        result = services.scheduled_verify()
        assert result.swept is not None
        found += [f.seq for f in result.findings if f.problem == chain.Problem.ENTRY_ALTERED]
        if found:
            break
    assert found == [_seq(entries[9])]


def test_truncation_below_the_last_verification_is_detected():
    """Deleting the newest seals and entries leaves a self-consistent chain; the signed record of
    the last verification still says how far it reached."""
    _write(5)
    done = services.verify(None)
    _raw("DELETE FROM audit_auditseal WHERE seq >= %s", [done.head_seq - 1])
    result = services.scheduled_verify()
    # The sealer has since sealed the full run's own AUDIT_VERIFIED at the freed number, so the
    # chain now ends just short of the record: truncated from there.
    assert result.first.problem == chain.Problem.TRUNCATED and result.first.seq <= done.head_seq


def test_an_altered_verification_record_is_reported_and_not_trusted():
    """A record moved forward by someone with database access fails its signature: it is
    reported, and the run starts from the last genuine record instead."""
    _write(4)
    genuine = services.verify(None)
    _write(4)
    chain.seal_pending()
    v = AuditVerification.objects.order_by("-id").first()
    _raw("UPDATE audit_auditverification SET head_seq = head_seq + 3 WHERE id = %s", [v.pk])
    result = services.scheduled_verify()
    problems = [f.problem for f in result.findings]
    assert problems == [chain.Problem.RECORD_ALTERED]
    assert AuditVerification.objects.order_by("-id").first().head_seq > genuine.head_seq + 3


def test_an_entry_slipped_past_the_queue_after_the_last_verification_is_detected():
    _write(2)
    services.verify(None)
    (forged,) = _write(1)
    _raw("DELETE FROM audit_auditpending WHERE entry_id = %s", [forged.pk])
    result = services.scheduled_verify()
    assert [(f.problem, f.entry_id) for f in result.findings] == [(chain.Problem.UNCHAINED, forged.pk)]


def test_the_job_runs_every_quarter_of_an_hour_and_reports_its_result():
    _write(2)
    job = load_jobs()["audit_verify"]
    assert job.every == timedelta(minutes=15)
    assert run_job(job, timezone.now()) is True
    entry = assert_audited(AuditEvent.JOB_RAN, ("core.job", "audit_verify"))
    assert entry.details["result"]["ok"] is True


def test_the_auditors_start_page_shows_the_last_verification_and_its_failure(client, org, settings):
    """The result is on the auditor's start page: intact up to a number, or FAILED at one (with
    the failed-verifications task as the alert); a stopped schedule is a warning."""
    client.force_login(org.auditor)
    page = client.get("/").content.decode()
    assert "审计链尚未校验" in page
    services.scheduled_verify()
    page = client.get("/").content.decode()
    last = AuditVerification.objects.order_by("-id").first()
    assert f"完好至序号 {last.head_seq}" in page and "完好" in page
    victim = _write(2)[0]
    chain.seal_pending()
    _raw("UPDATE audit_auditentry SET actor_name = 'x' WHERE id = %s", [victim.pk])
    settings.AUDIT_VERIFY_SWEEP = 0
    services.scheduled_verify()
    page = client.get("/").content.decode()
    assert f"失败, 首个出错序号 {_seq(victim)}" in page
    assert "审计链校验失败 (近 30 天)" in page
    _raw("UPDATE audit_auditverification SET time = %s", [timezone.now() - timedelta(hours=5)])
    assert "已 5 小时未校验审计链" in client.get("/").content.decode()
    client.force_login(org.staff_secret)
    assert "审计链" not in client.get("/").content.decode()
