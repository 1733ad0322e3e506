"""PostgreSQL only: several evaluators at once, and entries that commit out of id order (SEC-5)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from baomi.accounts import services as accounts
from baomi.audit import chain
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.kit import jobs
from baomi.monitoring import services
from baomi.monitoring.choices import RuleKind
from baomi.monitoring.models import Alert, AlertEntry, MonitorCursor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_thread(fn, errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            fn()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


def test_two_schedulers_at_once_raise_each_alert_once(org, clock):
    """SEC-5, OPS-2: two evaluators running together (two servers, or the job beside the CLI)
    take turns on the cursor's row lock: every entry is read once, every alert raised once."""
    for name in ("staff_secret", "staff_confidential", "case_handler"):
        for _ in range(5):
            accounts.register_login_failure(name)
            clock.advance(seconds=20)
    for i in range(300):
        record(None, AuditEvent.SETTING_CHANGED, ("core.setting", str(i), "noise"))
    chain.seal_pending()
    errors: list[BaseException] = []
    threads = [_in_thread(lambda: services.evaluate(batch=50), errors) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Alert.objects.filter(rule=RuleKind.LOGIN_FAILURES).count() == 3
    assert all(a.count == 5 for a in Alert.objects.filter(rule=RuleKind.LOGIN_FAILURES))
    assert MonitorCursor.objects.get().seq == chain.head()[0]
    links = list(AlertEntry.objects.values_list("alert_id", "entry_id"))
    assert len(links) == len(set(links)) == 15


def test_the_job_slot_claim_runs_one_evaluator_per_slot(org, clock):
    """OPS-2: two schedulers asking for the same slot: one runs, the other skips."""
    job = jobs.load_jobs()["monitoring.evaluate"]
    now = clock.now
    ran: list[bool] = []
    errors: list[BaseException] = []
    threads = [_in_thread(lambda: ran.append(jobs.run_job(job, now)), errors) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sorted(ran) == [False, True]


def test_an_entry_that_commits_after_a_later_one_is_not_missed(org, clock):
    """SEC-5: on PostgreSQL ids are handed out before commit. An entry with a lower id that
    commits after the evaluator has read past a higher one is still read: the cursor follows
    the chain's sequence numbers, not the ids."""
    chain.seal_pending()
    started, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow() -> None:
        with transaction.atomic():
            for _ in range(5):
                record(org.staff_other_dept, AuditEvent.LOGIN_FAILED, org.staff_other_dept, outcome="failed")
            started.set()
            release.wait(10)

    t = _in_thread(slow, errors)
    t.start()
    started.wait(10)
    record(None, AuditEvent.SETTING_CHANGED, ("core.setting", "late", "later id, earlier commit"))
    services.evaluate()
    assert not Alert.objects.exists()
    release.set()
    t.join()
    clock.advance(minutes=1)
    services.evaluate()
    assert not errors
    [alert] = Alert.objects.filter(rule=RuleKind.LOGIN_FAILURES)
    assert alert.subject_user == org.staff_other_dept and alert.count == 5
