"""The scheduler (OPS-2): a job runs once per slot, even when several servers race; each run
is audited with channel ``job``; a failing job is recorded and does not stop the others."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from baomi.audit.events import AuditEvent
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
