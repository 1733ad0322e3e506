"""The scheduler (OPS-2): a job runs once per slot, even when several servers race; each run
is audited with channel ``job``; a failing job is recorded and does not stop the others."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.core.models import JobRun
from baomi.kit import jobs
from tests.support.assertions import assert_audited, last_audit_id

NOW = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


@pytest.fixture
def registry(monkeypatch):
    """An isolated job registry holding only what the test registers."""
    monkeypatch.setattr(jobs, "JOBS", {})
    monkeypatch.setattr(jobs, "import_job_modules", lambda: None)
    return jobs.JOBS


def test_the_decorator_registers_a_job(registry):
    @jobs.job("test.noop", every=timedelta(hours=1))
    def noop(now):
        return None

    assert registry["test.noop"].func is noop
    assert jobs.load_jobs() == registry


def test_slots_follow_the_period():
    j = jobs.Job("x", timedelta(hours=1), lambda now: None)
    assert jobs.slot_for(j, NOW) == jobs.slot_for(j, NOW + timedelta(minutes=59))
    assert jobs.slot_for(j, NOW) != jobs.slot_for(j, NOW + timedelta(hours=1))
    tiny = jobs.Job("y", timedelta(0), lambda now: None)
    assert jobs.slot_for(tiny, NOW) == str(int(NOW.timestamp()))


@pytest.mark.django_db
def test_a_job_runs_once_per_slot_and_is_audited(registry):
    calls = []

    @jobs.job("test.count", every=timedelta(hours=1))
    def count(now):
        calls.append(now)
        return {"done": len(calls)}

    since = last_audit_id()
    assert jobs.run_due(NOW) == ["test.count"]
    assert jobs.run_due(NOW + timedelta(minutes=30)) == []
    assert jobs.run_due(NOW + timedelta(hours=1)) == ["test.count"]
    assert len(calls) == 2
    run = JobRun.objects.order_by("id").first()
    assert run.ok is True and run.result == {"done": 1} and run.finished_at is not None
    entry = assert_audited(AuditEvent.JOB_RAN, ("core.job", "test.count"), outcome="ok", since=since)
    assert entry.channel == "job"
    assert entry.details["result"] == {"done": 2}  # the latest run


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_run(registry, caplog):
    @jobs.job("test.fails", every=timedelta(hours=1))
    def fails(now):
        raise RuntimeError("boom")

    @jobs.job("test.works", every=timedelta(hours=1))
    def works(now):
        return None

    since = last_audit_id()
    assert sorted(jobs.run_due(NOW)) == ["test.fails", "test.works"]
    failed = JobRun.objects.get(job="test.fails")
    assert failed.ok is False and failed.result == {"error": "RuntimeError"}
    assert_audited(AuditEvent.JOB_RAN, ("core.job", "test.fails"), outcome="failed", since=since)
    assert JobRun.objects.get(job="test.works").ok is True
    assert "test.fails failed" in caplog.text


@pytest.mark.django_db
def test_quiet_runs_are_audited_only_as_a_heartbeat(registry, settings):
    """Issue 13: a minute job that changes nothing is written once per heartbeat period, not
    each minute; every run that changed something (wrote its own audit entries) or failed is
    written, so no change goes unaudited; every run stays in JobRun."""
    from baomi.audit.record import record

    settings.JOB_HEARTBEAT_MINUTES = 60
    work = {"change": False, "fail": False}

    @jobs.job("test.minute", every=timedelta(minutes=1))
    def minute(now):
        if work["fail"]:
            raise RuntimeError("boom")
        if work["change"]:
            record(None, AuditEvent.JOB_RAN, ("test.thing", 1, "a change the job made"))
            return {"changed": 1}
        return {"changed": 0}

    def ran_entries():
        return AuditEntry.objects.filter(event=int(AuditEvent.JOB_RAN), target_type="core.job").count()

    since = last_audit_id()
    for minute_no in range(120):  # two hours of quiet minutes
        assert jobs.run_job(registry["test.minute"], NOW + timedelta(minutes=minute_no)) is True
    assert JobRun.objects.filter(job="test.minute").count() == 120
    assert ran_entries() == 2  # the first run and one heartbeat an hour later
    assert list(JobRun.objects.filter(audited=True).values_list("slot", flat=True)) == [
        jobs.slot_for(registry["test.minute"], NOW), jobs.slot_for(registry["test.minute"], NOW + timedelta(hours=1))
    ]  # fmt: skip
    work["change"] = True
    jobs.run_job(registry["test.minute"], NOW + timedelta(minutes=121))
    entry = assert_audited(AuditEvent.JOB_RAN, ("core.job", "test.minute"), since=since)
    assert entry.details["changed"] is True and entry.details["result"] == {"changed": 1}
    assert_audited(AuditEvent.JOB_RAN, ("test.thing", 1), since=since)  # the change's own entry
    work.update(change=False, fail=True)
    jobs.run_job(registry["test.minute"], NOW + timedelta(minutes=122))
    assert_audited(AuditEvent.JOB_RAN, ("core.job", "test.minute"), outcome="failed", since=since)
    assert ran_entries() == 4
    work["fail"] = False
    jobs.run_job(registry["test.minute"], NOW + timedelta(minutes=123))  # quiet again: not written
    assert ran_entries() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_schedulers_run_a_job_once(registry):
    """Four schedulers on four connections start the same slot at once: exactly one runs it
    (OPS-2, the unique (job, slot) row is the lock)."""
    assert connection.vendor == "postgresql"
    calls = []
    lock = threading.Lock()

    @jobs.job("test.race", every=timedelta(hours=1))
    def race(now):
        with lock:
            calls.append(now)

    barrier = threading.Barrier(4)
    results: list[bool] = []

    def scheduler():
        try:
            barrier.wait()
            results.append(jobs.run_job(registry["test.race"], NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    assert len(calls) == 1
    assert JobRun.objects.filter(job="test.race").count() == 1
