"""CLI verbs and scheduled jobs: expiry and reminders (CLS-9, R-DECL-2/4, OPS-2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.classification import services
from baomi.classification.choices import ItemStatus, NoticeKind
from baomi.classification.models import Notice
from baomi.cli import main
from baomi.core.levels import Level
from tests.classification.conftest import determine

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired(org):
    return determine(org, years=1, period_start=timezone.localdate() - timedelta(days=400),
                     scope_users=[org.staff_secret])  # fmt: skip


def test_expire_dry_run_changes_nothing(org, expired, capsys):
    assert main(["classification", "expire", "--dry-run"]) == 0
    assert f"#{expired.pk}" in capsys.readouterr().out
    expired.refresh_from_db()
    assert expired.status == ItemStatus.DETERMINED


def test_expire_declassifies_once_and_audits(org, expired, capsys):
    """Expiry declassifies automatically and is idempotent (R-DECL-2, OPS-2)."""
    assert main(["classification", "expire"]) == 0
    expired.refresh_from_db()
    assert expired.status == ItemStatus.DECLASSIFIED and expired.declassify_reason == "expiry"
    assert expired.level == Level.INTERNAL
    assert expired.mark_text().endswith("解密")
    entry = AuditEntry.objects.filter(event=int(AuditEvent.ITEM_EXPIRED), target_id=str(expired.pk)).get()
    assert entry.channel == "cli"
    assert Notice.objects.filter(
        item=expired, kind=NoticeKind.DECLASSIFIED, recipient=org.staff_secret
    ).exists()
    assert services.expire_items() == []  # idempotent


def test_job_runs_once_per_slot(org, expired):
    from baomi.kit import jobs

    job = jobs.load_jobs()["classification.expire"]
    now = timezone.now()
    assert jobs.run_job(job, now) is True
    assert jobs.run_job(job, now) is False
    expired.refresh_from_db()
    assert expired.status == ItemStatus.DECLASSIFIED
    entry = AuditEntry.objects.filter(event=int(AuditEvent.ITEM_EXPIRED)).get()
    assert entry.channel == "job"


def test_condition_items_never_expire_automatically(org):
    """A condition needs a human trigger with evidence (CLS-9)."""
    item = determine(org, duration={"duration_kind": "condition", "condition": "项目验收后"})
    assert services.expire_items(date(2099, 1, 1)) == []
    item.refresh_from_db()
    assert item.status == ItemStatus.DETERMINED


def test_reminders_ahead_of_expiry(org, settings, capsys):
    """Reminders go out once, the configured lead time ahead (R-DECL-4)."""
    settings.EXPIRY_REMINDER_DAYS = 60
    soon = determine(org, years=1, period_start=timezone.localdate() - timedelta(days=330))
    later = determine(org, years=1, period_start=timezone.localdate(), title="later")
    assert main(["classification", "remind"]) == 0
    assert "1" in capsys.readouterr().out
    assert Notice.objects.filter(
        item=soon, kind=NoticeKind.EXPIRY_REMINDER, recipient=org.security_officer
    ).exists()
    assert not Notice.objects.filter(item=later, kind=NoticeKind.EXPIRY_REMINDER).exists()
    assert services.send_expiry_reminders() == []


@pytest.mark.postgres
def test_concurrent_expiry_is_safe(org, expired, transactional_db):
    """Two runners at once declassify each item once (select_for_update skip_locked, OPS-2)."""
    import threading

    from django.db import connection

    results: list[list[int]] = []

    def run() -> None:
        try:
            results.append(services.expire_items())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(pk for r in results for pk in r) == [expired.pk]
    assert AuditEntry.objects.filter(event=int(AuditEvent.ITEM_EXPIRED)).count() == 1


def test_bad_date_is_a_clear_error(org, capsys):
    """Bad input gives a Chinese message and exit code 1, never a traceback (SEC-7)."""
    assert main(["classification", "expire", "--date", "明天"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
