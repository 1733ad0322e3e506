"""Progress for long imports (issue 19 §4): a large file is queued, imported by the scheduler's
``imports.run`` job through the same service, and the upload page polls a small JSON status;
only the officer who queued it sees the run."""

from __future__ import annotations

import datetime as dt
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baomi.audit.models import AuditEntry
from baomi.classification.models import Item
from baomi.imports import services
from baomi.imports.events import ImportEvent
from baomi.imports.models import ImportRun
from baomi.kit.jobs import load_jobs, run_job
from tests.imports.test_items_import import reasons, row, workbook


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, rows: list, mode: str = "all"):
    data = io.BytesIO(workbook(rows))
    data.name = "定密事项台账.xlsx"
    return client.post(reverse("imports:upload"), {"kind": "items", "mode": mode, "file": data})


def test_a_large_file_is_imported_by_the_scheduler_with_progress(org, settings):
    settings.IMPORTS_BACKGROUND_BYTES = 0  # every file counts as large
    officer = client_for(org.security_officer)
    response = upload(officer, [row("办〔2019〕12号"), row("办〔2019〕13号")])
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:run", args=[run.pk])
    assert not Item.objects.exists(), "nothing is imported inside the upload request"
    assert bytes(run.source)[:2] == b"v1" and b"PK" not in bytes(run.source)[:20], "the queued file is sealed"
    assert AuditEntry.objects.filter(event=ImportEvent.LEDGER_IMPORT_QUEUED, target_id=str(run.pk)).exists()

    page = officer.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "等待定时任务" in page and "imports/progress.js" in page and 'id="import-phases"' in page
    status = officer.get(reverse("imports:run-status", args=[run.pk]))
    assert status.json() == {"status": "queued", "finished": False}

    # While it runs, the status carries the published progress.
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    services.write_progress(run.pk, "writing", 200, 10_000)
    assert officer.get(reverse("imports:run-status", args=[run.pk])).json() == {
        "status": "running", "finished": False, "phase": "writing", "done": 200, "total": 10_000}  # fmt: skip
    ImportRun.objects.filter(pk=run.pk).update(status="queued")

    assert run_job(load_jobs()["imports.run"])
    run.refresh_from_db()
    assert run.status == "done" and run.result["imported"] == 2 and bytes(run.source) == b""
    assert sorted(Item.objects.values_list("reference", flat=True)) == ["办〔2019〕12号", "办〔2019〕13号"]
    assert services.read_progress(run.pk) == {}
    assert officer.get(reverse("imports:run-status", args=[run.pk])).json() == {
        "status": "done",
        "finished": True,
    }
    assert "已导入 2 条记录" in officer.get(reverse("imports:run", args=[run.pk])).content.decode()
    imported = AuditEntry.objects.get(event=ImportEvent.LEDGER_IMPORTED)
    assert imported.actor_name == "security_officer" and imported.details["imported"] == 2


def test_a_dirty_file_in_the_background_is_refused_whole_with_its_report(org, settings):
    settings.IMPORTS_BACKGROUND_BYTES = 0
    officer = client_for(org.security_officer)
    upload(officer, [row("A-1"), row("A-2", level="特级"), row("A-1")])
    run = ImportRun.objects.get()
    assert services.run_queued_imports() == [run.pk]
    run.refresh_from_db()
    assert run.status == "done" and run.result["imported"] == 0 and run.result["refused"] == 2
    assert not Item.objects.exists()
    page = officer.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "未导入任何数据" in page and "特级" in page
    assert bytes(run.report)[:2] == b"v1" and b"PK" not in bytes(run.report)[:20], (
        "the stored report is sealed"
    )
    report = officer.get(reverse("imports:run-report", args=[run.pk]))
    assert sorted(reasons(report.content)) == [3, 4]

    # A file that is no workbook ends the run as failed, with the reason.
    bad = io.BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    officer.post(reverse("imports:upload"), {"kind": "items", "mode": "check", "file": bad})
    failed = ImportRun.objects.order_by("-pk").first()
    services.run_queued_imports()
    failed.refresh_from_db()
    assert failed.status == "failed" and "不是 Excel 工作簿" in failed.result["error"]
    assert "不是 Excel 工作簿" in officer.get(reverse("imports:run", args=[failed.pk])).content.decode()


def test_only_the_officer_who_queued_it_sees_the_run(org, settings):
    """Forbidden looks like not found (CAR-3), for the page, the status and the report."""
    settings.IMPORTS_BACKGROUND_BYTES = 0
    upload(client_for(org.security_officer), [row("A-1")])
    run = ImportRun.objects.get()
    for persona in ("authority_top_secret", "staff_secret", "auditor"):
        other = client_for(getattr(org, persona))
        for name in ("imports:run", "imports:run-status", "imports:run-report"):
            assert other.get(reverse(name, args=[run.pk])).status_code == 404, (persona, name)


def test_a_run_cut_off_by_a_stopped_scheduler_ends_as_failed(org, settings):
    """Its transaction rolled back; it is not run twice behind the officer's back."""
    settings.IMPORTS_BACKGROUND_BYTES = 0
    upload(client_for(org.security_officer), [row("A-1")])
    long_ago = timezone.now() - dt.timedelta(hours=3)
    ImportRun.objects.update(status="running", started_at=long_ago)
    assert services.run_queued_imports() == []
    run = ImportRun.objects.get()
    assert run.status == "failed" and "中断" in run.result["error"] and bytes(run.source) == b""
    assert not Item.objects.exists()
