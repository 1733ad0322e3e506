"""The offline installation bundle (``make bundle``, docs/operations.md "Offline bundle").

Built as the release is, installed into a fresh virtual environment by its own ``install.sh``
with pip unable to reach any index (``--no-index``, ``PIP_NO_INDEX=1`` and a proxy that leads
nowhere), then migrated on a fresh SQLite file: the installed package — not this checkout —
serves the login page in Chinese, with its compiled catalogues and static files.

The dependency wheels are cached under ``var/wheelhouse`` (``BAOMI_WHEELHOUSE_CACHE``): only the
first run downloads them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"

SERVE_LOGIN = """
import os, sys
import django
django.setup()
from django.test import Client
import baomi
client = Client()
login = client.get("/accounts/login/")
css = client.get("/static/baomi/style.css")
print(baomi.__file__)
print(login.status_code, css.status_code)
sys.stdout.write(login.content.decode())
"""


def offline_env(tmp: Path) -> dict[str, str]:
    """The environment of a machine without network, as far as pip and baomi can tell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "BAOMI_", "DJANGO_", "PYTHON"))}
    env.update(
        PIP_NO_INDEX="1",
        PIP_CONFIG_FILE=os.devnull,
        # Anything that still tried the network would go to a closed port and fail.
        HTTP_PROXY="http://127.0.0.1:9",
        HTTPS_PROXY="http://127.0.0.1:9",
        http_proxy="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
        BAOMI_DATA_DIR=str(tmp / "data"),
        BAOMI_KEY_DIR=str(tmp / "keys"),
        BAOMI_ALLOWED_HOSTS="testserver",
        BAOMI_LOG_LEVEL="ERROR",
    )
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> str:
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def test_the_bundle_installs_offline_and_serves_the_chinese_login_page(tmp_path):
    """Issue 19: build the bundle, install it with the network blocked for pip, migrate a fresh
    SQLite database, and get the Chinese login page from the installed package."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    run([sys.executable, str(ROOT / "tools" / "bundle.py"), "--out", str(tmp_path / "dist"),
         "--pythons", PYTHON], env, ROOT)  # fmt: skip
    (archive,) = (tmp_path / "dist").glob("baomi-*-offline.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path / "unpacked", filter="data")
    (top,) = {n.split("/")[0] for n in names}
    assert {f"{top}/install.sh", f"{top}/requirements.lock", f"{top}/deploy/systemd/baomi.service"} <= set(
        names
    )
    assert any(n.startswith(f"{top}/wheelhouse/baomi-") for n in names)

    site = tmp_path / "site"
    site.mkdir()
    env = offline_env(site)
    venv = site / "venv"
    out = run(["sh", str(tmp_path / "unpacked" / top / "install.sh"), str(venv)],
              {**env, "PYTHON": sys.executable}, site)  # fmt: skip
    assert "baomi 已安装" in out
    baomi = str(venv / "bin" / "baomi")
    run([baomi, "migrate", "-v", "0"], env, site)
    run([baomi, "keys", "init"], env, site)
    run([str(venv / "bin" / "gunicorn"), "--check-config", "baomi.wsgi:application"], env, site)

    out = run([str(venv / "bin" / "python"), "-c", SERVE_LOGIN], {**env, "DJANGO_SETTINGS_MODULE": "baomi.settings"},
              site)  # fmt: skip
    location, statuses, page = out.split("\n", 2)
    assert location.startswith(str(venv)), f"baomi was imported from {location}, not the installation"
    assert statuses == "200 200"
    assert "<h1>登录</h1>" in page, "compiled messages are missing from the wheel"
    assert "本系统准许处理的最高密级" in page
