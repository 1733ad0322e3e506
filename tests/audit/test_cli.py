"""``baomi audit verify`` and ``baomi audit checkpoint`` (SEC-3): exit codes, messages, audit."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.utils import timezone

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditSeal
from baomi.audit.record import record
from baomi.cli import main
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def _write(n: int) -> None:
    for i in range(n):
        record(None, AuditEvent.SETTING_CHANGED, ("core.setting", i, f"设置 {i}"))


def test_verify_exits_0_when_intact_and_is_audited(capsys):
    """SEC-3: an intact chain verifies with exit 0; the run is an AUDIT_VERIFIED entry (channel cli)."""
    _write(3)
    since = last_audit_id()
    assert main(["audit", "verify"]) == 0
    assert "审计链完好" in capsys.readouterr().out
    entry = assert_audited(AuditEvent.AUDIT_VERIFIED, outcome="ok", since=since)
    assert entry.channel == "cli" and entry.details["ok"] is True


def test_verify_exits_1_naming_the_first_failing_sequence_number(capsys):
    """SEC-3: after a row is altered, verify exits 1 and names its sequence number."""
    _write(4)
    assert main(["audit", "seal"]) == 0
    victim = AuditSeal.objects.order_by("seq")[2]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        cur.execute("UPDATE audit_auditentry SET target_label = 'x' WHERE id = %s", [victim.entry_id])
    capsys.readouterr()
    since = last_audit_id()
    assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"首个出错序号: {victim.seq}" in err and f"序号 {victim.seq}" in err and "篡改" in err
    assert_audited(AuditEvent.AUDIT_VERIFIED, outcome="failed", since=since)


def test_checkpoint_to_file_then_verify_detects_truncation(tmp_path, capsys):
    """SEC-3: a checkpoint kept elsewhere detects deletion of the newest entries (exit 1)."""
    _write(3)
    cp_file = tmp_path / "cp.json"
    since = last_audit_id()
    assert main(["audit", "checkpoint", "--output", str(cp_file)]) == 0
    cp = json.loads(cp_file.read_text())
    assert cp["seq"] >= 3 and len(cp["mac"]) == 64
    assert_audited(AuditEvent.AUDIT_CHECKPOINTED, ("audit.chain", cp["seq"]), since=since)
    assert main(["audit", "verify", "--checkpoint", str(cp_file)]) == 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in ("audit_auditentry", "audit_auditseal"):
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cur.execute("DELETE FROM audit_auditentry WHERE id IN (SELECT entry_id FROM audit_auditseal WHERE seq >= %s)",
                    [cp["seq"]])  # fmt: skip
        cur.execute("DELETE FROM audit_auditseal WHERE seq >= %s", [cp["seq"]])
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0  # the shortened chain is consistent in itself
    assert main(["audit", "verify", "--checkpoint", str(cp_file)]) == 1
    assert f"首个出错序号: {cp['seq']}" in capsys.readouterr().err


def test_checkpoint_to_stdout_and_unusable_checkpoint_exits_2(tmp_path, capsys):
    _write(1)
    assert main(["audit", "checkpoint"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["format"] == "baomi-audit-checkpoint/1"
    bad = tmp_path / "bad.json"
    bad.write_text(out.replace('"seq": ', '"seq": 9'))
    assert main(["audit", "verify", "--checkpoint", str(bad)]) == 2
    assert "检查点文件无法使用" in capsys.readouterr().err
    assert main(["audit", "verify", "--checkpoint", str(tmp_path / "missing.json")]) == 2


def test_seal_job_is_registered_and_idempotent():
    """SEC-3: the scheduler seals every minute; a second run in the same slot does nothing."""
    from baomi.kit.jobs import load_jobs, run_job

    _write(2)
    jobs = load_jobs()
    assert jobs["audit_seal"].every.total_seconds() == 60
    now = timezone.now()
    assert run_job(jobs["audit_seal"], now) is True
    assert run_job(jobs["audit_seal"], now) is False  # same slot: already ran
    entry = assert_audited(AuditEvent.JOB_RAN, ("core.job", "audit_seal"))
    assert entry.details["result"]["sealed"] >= 2
