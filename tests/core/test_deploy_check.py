"""``baomi check --deploy`` (issue 19): Django's deployment checks plus baomi's own, a Chinese
report, exit status 1 on any failure. It passes on the documented production settings
(deploy/baomi.env, with the keys, the scheduler and a backup as docs/operations.md sets them up)
and fails on the demo settings of ``make run``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from baomi.ops import deploycheck

ROOT = Path(__file__).resolve().parent.parent.parent


def documented_env() -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy" / "baomi.env").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def baomi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baomi.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def ok(env: dict[str, str], *args: str) -> str:
    proc = baomi(env, *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.slow
def test_passes_on_the_documented_production_settings_and_fails_on_the_demo(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BAOMI_", "DJANGO_"))}
    prod = {**clean, **documented_env()}
    # This machine's paths and an SQLite file instead of the PostgreSQL server (a warning).
    prod.update(BAOMI_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", BAOMI_DATA_DIR=str(tmp_path / "data"),
                BAOMI_KEY_DIR=str(tmp_path / "keys"), BAOMI_BACKUP_DIR=str(tmp_path / "backups"),
                BAOMI_LOG_LEVEL="ERROR")  # fmt: skip
    (tmp_path / "keys").mkdir(mode=0o700)
    ok(prod, "migrate", "-v", "0")
    ok(prod, "keys", "init")
    before = baomi(prod, "check", "--deploy")
    assert before.returncode == 1
    assert "[未通过] 审计封存" in before.stdout and "[未通过] 备份" in before.stdout

    ok(prod, "scheduler", "--once")  # seals the audit trail
    ok(prod, "backup")  # into BAOMI_BACKUP_DIR
    report = ok(prod, "check", "--deploy")
    assert "[未通过]" not in report
    assert "[通过] 审计封存" in report and "[通过] 备份" in report and "[通过] 演示模式" in report
    assert "[警告] 数据库" in report  # SQLite here
    assert "全部检查通过" in report

    demo = {**clean, "BAOMI_DEMO": "1", "BAOMI_DATABASE_URL": prod["BAOMI_DATABASE_URL"],
            "BAOMI_DATA_DIR": prod["BAOMI_DATA_DIR"], "BAOMI_KEY_DIR": prod["BAOMI_KEY_DIR"]}  # fmt: skip
    ok(demo, "demo")
    failed = baomi(demo, "check", "--deploy")
    assert failed.returncode == 1, failed.stdout
    for expected in ("[未通过] 演示模式", "[未通过] 演示数据", "[未通过] 安全 Cookie", "[未通过] 准许处理的最高密级",
                     "security.W012", "项检查未通过"):  # fmt: skip
        assert expected in failed.stdout, (expected, failed.stdout)


def _status(findings, title_part):
    return [f.status for f in findings if title_part in f.title]


def test_key_files_readable_by_others_or_inside_the_data_directory_fail(tmp_path, settings):
    """Keys outside the data directory, readable only by the service user (STYLE 2.6)."""
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    for name in ("master.key", "audit.key"):
        (keys / name).write_bytes(os.urandom(32))
        (keys / name).chmod(0o600)
    settings.MASTER_KEY_FILE = keys / "master.key"
    settings.AUDIT_KEY_FILE = keys / "audit.key"
    settings.DATA_DIR = tmp_path / "data"
    settings.BLOB_DIR = tmp_path / "data" / "blobs"
    settings.KEY_DIR = keys
    findings = list(deploycheck.check_keys())
    assert _status(findings, "主密钥") == [deploycheck.PASS]

    (keys / "audit.key").chmod(0o644)
    findings = list(deploycheck.check_keys())
    assert _status(findings, "审计密钥") == [deploycheck.FAIL]
    assert "chmod 600" in next(f.detail for f in findings if "审计密钥" in f.title)

    inside = tmp_path / "data" / "master.key"
    inside.parent.mkdir()
    inside.write_bytes(os.urandom(32))
    inside.chmod(0o600)
    settings.MASTER_KEY_FILE = inside
    assert _status(list(deploycheck.check_keys()), "主密钥") == [deploycheck.FAIL]


def test_a_ceiling_above_work_secret_warns_and_a_missing_one_fails(settings, monkeypatch):
    """SEC-8: the ceiling is a decision, never a default."""
    monkeypatch.delenv("BAOMI_CEILING", raising=False)
    assert _status(list(deploycheck.check_settings()), "准许处理的最高密级") == [deploycheck.FAIL]
    monkeypatch.setenv("BAOMI_CEILING", "secret")
    settings.CEILING = "secret"
    assert _status(list(deploycheck.check_settings()), "准许处理的最高密级") == [deploycheck.WARN]
    settings.CEILING = "work_secret"
    assert _status(list(deploycheck.check_settings()), "准许处理的最高密级") == [deploycheck.PASS]
