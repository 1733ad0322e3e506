"""The server stops on a missing key (SEC-3, SEC-4; issue 20 §1), run as an operator would: a
fresh installation with the real `baomi` command, then gunicorn without one of its key files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
GUNICORN = Path(sys.executable).with_name("gunicorn")


def baomi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "baomi.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def serve(env: dict[str, str]) -> subprocess.CompletedProcess:
    """gunicorn as docs/operations.md runs it; with a key missing it must exit by itself."""
    return subprocess.run(
        [str(GUNICORN), "baomi.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture
def site(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOMI_", "DJANGO_"))}
    env.update(BAOMI_DATA_DIR=str(tmp_path / "data"), BAOMI_KEY_DIR=str(tmp_path / "keys"),
               BAOMI_LOG_LEVEL="ERROR", PYTHONPATH=os.pathsep.join(sys.path))  # fmt: skip
    baomi(env, "migrate", "-v", "0")
    baomi(env, "keys", "init")
    baomi(env, "init", "--password", "Init@Pass2026")  # three accounts, audited
    return env


def test_the_server_does_not_start_without_a_key_data_depends_on(site, tmp_path):
    """gunicorn stops ("Worker failed to boot") with the message naming the missing file, for
    the audit key (entries exist) and the Django secret (accounts exist); nothing is generated."""
    keys = tmp_path / "keys"
    check = subprocess.run([sys.executable, "-c", "import baomi.wsgi"], env=site, capture_output=True, text=True,
                           timeout=120)  # fmt: skip
    assert check.returncode == 0, check.stderr  # with every key the application loads
    for key, message in (("audit.key", "审计密钥不可用"), ("django-secret.key", "Django 密钥不可用")):
        shutil.move(keys / key, tmp_path / key)
        proc = serve(site)
        assert proc.returncode != 0
        assert message in proc.stderr and str(keys / key) in proc.stderr
        assert not (keys / key).exists(), "no new key was generated"
        shutil.move(tmp_path / key, keys / key)
