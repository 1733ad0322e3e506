"""The USB whitelist (SUP-6: only registered media exist): registered, in-use removable media of
a department or a computer as USBGuard rules (``allow id V:P serial "S"``, then ``block``) and
as CSV — checked by parsing the file back, and with usbguard's own rule parser."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest

from baomi.cli import main
from baomi.devices import services
from baomi.devices.events import DevicesEvent
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.registers import device
from tests.support.tools import tool

pytestmark = pytest.mark.django_db
RULE = re.compile(r'^allow id ([0-9a-f]{4}):([0-9a-f]{4}) serial "([^"\\]*)"$')


def parse_rules(text: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The allow rules and every other non-comment line of a rules file."""
    allows, others = [], []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = RULE.match(line)
        if m:
            allows.append(m.groups())
        else:
            others.append(line)
    return allows, others


@pytest.fixture
def media(org):
    pc = device(org, asset="PC-7", kind="computer", serial="WD-7")
    bound = device(org, asset="U-1", serial="4C530001", vendor="0781", product="5567", hosts=[pc])
    free = device(org, asset="U-2", serial="AA-01.x/1", vendor="0951", product="1666")
    other_pc = device(org, asset="U-3", serial="ZZ9", vendor="0951", product="1667", hosts=[])
    services.update_device(org.security_officer, other_pc, custodian=org.staff_secret,
                           department=org.departments["OFFICE"], hosts=[device(org, asset="PC-8", kind="computer",
                                                                                 serial="WD-8")])  # fmt: skip
    stored = device(org, asset="U-4", serial="STORE1", vendor="0951", product="1668", commission=False)
    lost = device(org, asset="U-5", serial="LOST1", vendor="0951", product="1669")
    services.report_lost(org.security_officer, lost, note="遗失")
    fin = device(org, asset="U-6", serial="FIN1", vendor="0951", product="1670", department="FIN",
                 custodian=org.staff_other_dept)  # fmt: skip
    return {
        "pc": pc,
        "bound": bound,
        "free": free,
        "other_pc": other_pc,
        "stored": stored,
        "lost": lost,
        "fin": fin,
    }


def test_department_whitelist_allows_exactly_its_in_use_media_then_blocks(org, media):
    since = last_audit_id()
    wl = services.export_whitelist(org.security_officer, department=org.departments["OFFICE"])
    allows, others = parse_rules(wl.text)
    assert sorted(allows) == [
        ("0781", "5567", "4C530001"),
        ("0951", "1666", "AA-01.x/1"),
        ("0951", "1667", "ZZ9"),
    ]
    assert others == ["block"] and wl.text.rstrip().endswith("block")
    entry = assert_audited(DevicesEvent.WHITELIST_EXPORTED, actor=org.security_officer, since=since)
    assert entry.details["media"] == ["U-1", "U-2", "U-3"] and f"export no. {entry.pk}" in wl.text


def test_computer_whitelist_has_its_bound_and_its_departments_unbound_media(org, media):
    wl = services.export_whitelist(org.security_officer, computer=media["pc"])
    allows, _ = parse_rules(wl.text)
    assert sorted(a[2] for a in allows) == ["4C530001", "AA-01.x/1"]  # not U-3 (bound to PC-8), not U-6 (FIN)


def test_csv_parses_back(org, media):
    wl = services.export_whitelist(org.security_officer, department=org.departments["OFFICE"], fmt="csv")
    rows = list(csv.DictReader(io.StringIO(wl.text)))
    assert [(r["asset_number"], r["vendor_id"], r["product_id"], r["serial"]) for r in rows] == [
        ("U-1", "0781", "5567", "4C530001"), ("U-2", "0951", "1666", "AA-01.x/1"), ("U-3", "0951", "1667", "ZZ9")]  # fmt: skip
    assert rows[0]["computers"] == "PC-7"


def test_only_the_security_officer_exports(org, media):
    from baomi.access.errors import AccessDenied

    with pytest.raises(AccessDenied):
        services.export_whitelist(org.sysadmin, department=org.departments["OFFICE"])


def test_usbguard_itself_parses_the_file(org, media, tmp_path):
    """usbguard's own parser (Debian package ``usbguard``) reads every rule of the file."""
    parser = tool("usbguard-rule-parser", "usbguard")
    wl = services.export_whitelist(org.security_officer, department=org.departments["OFFICE"])
    path = tmp_path / "rules.conf"
    path.write_text(wl.text, encoding="utf-8")
    out = subprocess.run([parser, "-f", str(path)], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    outputs = [
        line.removeprefix("OUTPUT: ") for line in out.stdout.splitlines() if line.startswith("OUTPUT: ")
    ]
    assert [o for o in outputs if o] == [
        line for line in wl.text.splitlines() if line and not line.startswith("#")
    ]


def test_cli_writes_the_rules_file(org, media, tmp_path, capsys):
    out = tmp_path / "office.conf"
    assert main(["devices", "whitelist", "--as", "security_officer", "--department", "OFFICE", "--output",
                 str(out)]) == 0  # fmt: skip
    allows, others = parse_rules(out.read_text(encoding="utf-8"))
    assert len(allows) == 3 and others == ["block"]
    assert (
        main(["devices", "whitelist", "--as", "security_officer", "--computer", "PC-7", "--format", "csv"])
        == 0
    )
    assert "U-1,usb_drive,0781,5567,4C530001" in capsys.readouterr().out
    assert main(["devices", "whitelist", "--as", "sysadmin", "--department", "OFFICE"]) == 1
    assert main(["devices", "whitelist", "--as", "security_officer", "--department", "NOPE"]) == 1


def test_api_and_page_download(org, media, api_client, client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.get("/api/v1/devices/whitelist/", {"department": org.departments["OFFICE"].pk})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain")
    assert len(parse_rules(r.content.decode())[0]) == 3
    r = api_client.get("/api/v1/devices/whitelist/", {})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
    api_client.force_authenticate(org.sysadmin)
    assert (
        api_client.get("/api/v1/devices/whitelist/", {"department": org.departments["OFFICE"].pk}).status_code
        == 404
    )
    client.force_login(org.security_officer)
    r = client.post("/devices/whitelist/", {"computer": media["pc"].pk, "fmt": "usbguard"})
    assert r.status_code == 200 and len(parse_rules(r.content.decode())[0]) == 2
