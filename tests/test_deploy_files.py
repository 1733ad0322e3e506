"""The deployment files of ``deploy/`` are valid for the tools that read them (issue 19).

- the nginx site passes ``nginx -t`` inside a test configuration, with a self-signed certificate
  made here, and keeps its promises: TLS only, HSTS, a request limit on the login path, the
  upload size, no location for the blob directory;
- the systemd units pass ``systemd-analyze verify`` (any warning fails) and score "OK" (exposure
  2.0 or less) in ``systemd-analyze security``;
- the shell scripts parse (``sh -n``).

Without ``nginx`` or ``systemd-analyze`` the checks that need them skip, unless
``BAOMI_REQUIRE_TOOLS=1`` (set by .ci/run, which installs them) makes that a failure.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.tools import tool as system_tool

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer"))


def tool(name: str) -> str:
    return system_tool(name, "nginx systemd")


def self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "baomi.example.gov.cn")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    crt, pem = directory / "baomi.crt", directory / "baomi.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    pem.chmod(0o600)
    return crt, pem


def test_the_nginx_site_keeps_its_promises():
    """What docs/operations.md promises of the site, read from the file itself."""
    site = (DEPLOY / "nginx" / "baomi.conf").read_text(encoding="utf-8")
    assert re.search(r"listen 80;\s+listen \[::\]:80;\s+server_name [^;]+;\s+return 301 https://", site)
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in site
    assert 'Strict-Transport-Security "max-age=31536000" always' in site
    assert re.search(r"limit_req_zone \$binary_remote_addr zone=baomi_login:\S+ rate=\d+r/m;", site)
    login = re.search(r"location /accounts/login/ \{(.*?)\}", site, re.DOTALL)
    assert login and "limit_req zone=baomi_login" in login.group(1)
    assert re.search(r"client_max_body_size \d+m;", site)
    assert "blobs" not in re.sub(r"#.*", "", site).replace(
        "location ~ ^/(blobs|data|keys|var)/ { return 404; }", ""
    )
    proxy = (DEPLOY / "nginx" / "baomi-proxy.conf").read_text(encoding="utf-8")
    assert "proxy_pass http://127.0.0.1:8000;" in proxy and "X-Real-IP $remote_addr" in proxy


def test_nginx_accepts_the_site(tmp_path):
    nginx = tool("nginx")
    crt, key = self_signed(tmp_path)
    site = (DEPLOY / "nginx" / "baomi.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/nginx/tls/baomi.crt", str(crt)).replace("/etc/nginx/tls/baomi.key", str(key))
    site = site.replace("/etc/nginx/baomi-proxy.conf", str(DEPLOY / "nginx" / "baomi-proxy.conf"))
    (tmp_path / "baomi.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/baomi.conf;\n}}\n",
        encoding="utf-8",
    )
    proc = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "test is successful" in proc.stderr
    # Warnings other than the listen-http2 deprecation of nginx 1.25+ (kept for Debian 12's 1.22).
    warnings = [w for w in proc.stderr.splitlines() if "[warn]" in w and "http2" not in w]
    assert not warnings, warnings


@pytest.fixture
def units(tmp_path: Path) -> list[Path]:
    """The units with the virtual environment's programs pointed at stand-ins that exist here
    (verify refuses an ExecStart that is not executable); nothing else is changed."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("gunicorn", "baomi"):
        (bin_dir / program).write_text("#!/bin/sh\n")
        (bin_dir / program).chmod(0o755)
    copies = []
    for unit in UNITS:
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text(encoding="utf-8").replace("/opt/baomi/.venv/bin/", f"{bin_dir}/"))
        copies.append(copy)
    return copies


def test_systemd_accepts_the_units(units, tmp_path):
    analyze = tool("systemd-analyze")
    assert {u.name for u in units} >= {"baomi.service", "baomi-scheduler.service", "baomi-backup.service",
                                       "baomi-backup.timer"}  # fmt: skip
    proc = subprocess.run([analyze, "verify", "--man=no", *map(str, units)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert not proc.stderr.strip(), f"systemd-analyze warned: {proc.stderr}"


def test_the_services_are_hardened(units, tmp_path):
    """Exposure 2.0 or less ("OK") for each service in systemd's own assessment."""
    analyze = tool("systemd-analyze")
    for unit in units:
        if unit.suffix != ".service":
            continue
        proc = subprocess.run([analyze, "security", "--offline=yes", "--threshold=20", str(unit)],
                              capture_output=True, text=True, cwd=tmp_path, timeout=120)  # fmt: skip
        assert proc.returncode == 0, f"{unit.name}: {proc.stdout[-400:]}{proc.stderr}"


@pytest.mark.parametrize("script", ["install.sh", "postgresql-setup.sh"])
def test_the_scripts_parse(script):
    proc = subprocess.run(["sh", "-n", str(DEPLOY / script)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
