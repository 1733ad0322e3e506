"""Importing the carrier ledger an office already keeps (issue 19; CAR-1, CAR-12, SEC-3).

Every row goes through the carriers services (numbering, 份号, marks from the item, one audit
entry per carrier); nothing is committed unless every row passes, or the officer chooses the
rows that pass; each refused row is reported with its reason in an xlsx; the old number and 份号
are kept as the carrier's former number and found by the ledger search. The dirty spreadsheet
holds what real ledgers hold: a bad level, an unknown department, a duplicate number, a date in
the future, merged cells and 20,000 characters in a cell.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.carriers.models import Carrier, RegistrySequence
from baomi.cli import main
from baomi.imports import services
from baomi.imports.events import ImportEvent
from tests.carriers.factories import make_item
from tests.support.assertions import last_audit_id

HEADERS = [
    "原编号",
    "原份号",
    "定密事项",
    "载体类型",
    "密级",
    "标题",
    "责任人",
    "部门",
    "制作日期",
    "存放地点",
    "页数",
]


def workbook(rows: list[list[object]], *, merge: str = "") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(item, number: str, copy: str = "1", **kw: object) -> list[object]:
    values = {"former": number, "copy": copy, "item": item.reference, "kind": "纸质文件", "level": "机密",
              "title": "", "custodian": "staff_secret", "department": "办公室", "made_on": dt.date(2019, 3, 5),
              "place": "保密柜B-02", "pages": 8, **kw}  # fmt: skip
    return list(values.values())


@pytest.fixture
def item(org):
    return make_item(org, "secret", reference="办〔2019〕12号", title="2019年度保密工作要点")


def reasons(report: bytes) -> dict[int, str]:
    """Row number → reason, from the error report."""
    sheet = openpyxl.load_workbook(io.BytesIO(report)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[-2:] == ["行号", "原因"], header
    assert header[: len(HEADERS)] == HEADERS
    return {r[-2]: r[-1] for r in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_template_has_the_chinese_headers(org, tmp_path, capsys):
    """A downloadable template with Chinese headers; required ones are marked."""
    assert main(["import", "carriers", "--template", str(tmp_path / "t.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers[:4] == ["原编号", "原份号", "定密事项*", "载体类型*"]
    assert "责任人*" in headers and "存放地点*" in headers and "密级" in headers
    assert book.sheetnames == ["涉密载体台账", "填写说明"]


def test_a_clean_ledger_is_imported_through_the_services(org, item, tmp_path, capsys):
    """CAR-1: numbers and 份号 allocated as for a hand entry, one audit entry per carrier; the
    old number is the former number and the ledger search finds it (CAR-12)."""
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook([row(item, "机要(2019)012", "1"), row(item, "机要(2019)012", "2"),
                               row(item, "机要(2019)013", "", title="另一个标题", custodian="staff_other_dept",
                                   department="")]))  # fmt: skip
    since = last_audit_id()
    assert main(["import", "carriers", str(path), "--as", "security_officer"]) == 0
    assert "已导入 3 条记录" in capsys.readouterr().out
    made = list(Carrier.objects.order_by("sequence"))
    assert [c.former_number for c in made] == ["机要(2019)012/1", "机要(2019)012/2", "机要(2019)013"]
    assert [c.registry_number[:4] for c in made] == ["2019"] * 3  # the year the carrier was made
    assert [c.copy_number for c in made] == ["000001", "000002", "000003"]
    assert made[0].title == item.title and made[2].title == "另一个标题"
    assert made[0].level == "secret" and made[0].department == org.departments["OFFICE"]
    assert made[2].department == org.departments["FIN"]  # the custodian's department
    entries = AuditEntry.objects.filter(pk__gt=since)
    registered = entries.filter(event=AuditEvent.CARRIER_REGISTERED)
    assert sorted(registered.values_list("target_id", flat=True)) == sorted(str(c.pk) for c in made)
    assert all(e.actor_name == "security_officer" for e in registered)
    imported = entries.get(event=ImportEvent.LEDGER_IMPORTED)
    assert imported.details["imported"] == 3 and imported.details["refused"] == 0
    assert "标题" not in str(imported.details) and item.title not in str(imported.details)

    client = org_client(org.security_officer)
    page = client.get(reverse("carriers:ledger"), {"q": "机要(2019)013"})
    assert made[2].registry_number in page.content.decode()
    assert made[0].registry_number not in page.content.decode()


def org_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def dirty_rows(item) -> list[list[object]]:
    future = timezone.localdate() + dt.timedelta(days=30)
    return [
        row(item, "A-001"),                                   # 2: good
        row(item, "A-002", level="特级"),                      # 3: bad level
        row(item, "A-003", department="不存在的处室"),          # 4: unknown department
        row(item, "A-001"),                                   # 5: duplicate number (of row 2)
        row(item, "A-005", made_on=future),                   # 6: date in the future
        row(item, "A-006"),                                   # 7: merged with row 8
        row(item, "A-007"),                                   # 8: merged with row 7
        row(item, "A-008", title="密" * 20_000),                # 9: 20,000 characters
        row(item, "A-009"),                                   # 10: good
    ]  # fmt: skip


def test_a_dirty_spreadsheet_is_refused_whole_with_a_reason_per_row(org, item, tmp_path, capsys):
    """Nothing half-imported: one bad row and no carrier is registered, no number is taken;
    the report names each refused row with its reason."""
    path, report = tmp_path / "dirty.xlsx", tmp_path / "report.xlsx"
    path.write_bytes(workbook(dirty_rows(item), merge="J7:J8"))
    since = last_audit_id()
    code = main(["import", "carriers", str(path), "--as", "security_officer", "--report", str(report)])
    out = capsys.readouterr().out
    assert code == 1 and "未导入任何数据: 7 行未通过" in out
    assert not Carrier.objects.exists() and not RegistrySequence.objects.exists()
    assert not AuditEntry.objects.filter(pk__gt=since, event=AuditEvent.CARRIER_REGISTERED).exists()
    failed = AuditEntry.objects.get(pk__gt=since, event=ImportEvent.LEDGER_IMPORTED)
    assert failed.outcome == "failed" and failed.details["refused"] == 7

    found = reasons(report.read_bytes())
    assert sorted(found) == [3, 4, 5, 6, 7, 8, 9]
    assert "密级: 无法识别的值: 特级" in found[3]
    assert "没有部门 不存在的处室" in found[4]
    assert "原编号 A-001/1 重复出现" in found[5]
    assert "制作日期不能晚于今天" in found[6]
    assert "合并单元格 (J7:J8)" in found[7] and "合并单元格" in found[8]
    assert "标题: 20000 个字符" in found[9]
    assert "密" * 300 not in found[9], "the report does not repeat the long cell"


def test_the_officer_may_import_the_valid_rows_and_keep_the_report(org, item, tmp_path, capsys):
    path = tmp_path / "dirty.xlsx"
    path.write_bytes(workbook(dirty_rows(item), merge="J7:J8"))
    rows = services.read("carriers", path.read_bytes())
    dry = services.import_ledger(org.security_officer, "carriers", rows, dry_run=True)
    assert dry.imported == 0 and len(dry.refused) == 7 and not Carrier.objects.exists()

    code = main(["import", "carriers", str(path), "--as", "security_officer", "--valid-only"])
    assert code == 1
    assert "已导入 2 条记录" in capsys.readouterr().out
    assert sorted(Carrier.objects.values_list("former_number", flat=True)) == ["A-001/1", "A-009/1"]


def test_only_the_registry_keepers_may_import(org, item, tmp_path, capsys):
    """The hand entry's policy: a member of staff cannot import (forbidden looks like absent)."""
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook([row(item, "B-001")]))
    assert main(["import", "carriers", str(path), "--as", "staff_secret"]) == 1
    assert not Carrier.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.ACCESS_DENIED, actor_name="staff_secret").exists()


def test_the_upload_page(org, item):
    """The security officer's page: templates, upload, the result and the report; others see
    the ordinary 404."""
    officer = org_client(org.security_officer)
    page = officer.get(reverse("imports:upload"))
    assert page.status_code == 200 and "导入台账" in page.content.decode()
    template = officer.get(reverse("imports:template", args=["carriers"]))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")

    dirty = io.BytesIO(workbook(dirty_rows(item), merge="J7:J8"))
    dirty.name = "dirty.xlsx"
    result = officer.post(reverse("imports:upload"), {"kind": "carriers", "mode": "all", "file": dirty})
    text = result.content.decode()
    assert result.status_code == 200 and "未导入任何数据" in text and "没有部门 不存在的处室" in text
    assert not Carrier.objects.exists()
    report = officer.get(reverse("imports:report"))
    assert sorted(reasons(report.content)) == [3, 4, 5, 6, 7, 8, 9]

    good = io.BytesIO(workbook([row(item, "C-001")]))
    good.name = "good.xlsx"
    result = officer.post(reverse("imports:upload"), {"kind": "carriers", "mode": "all", "file": good})
    assert "已导入 1 条记录" in result.content.decode()
    assert Carrier.objects.get().former_number == "C-001/1"

    notxlsx = io.BytesIO(b"not a workbook")
    notxlsx.name = "x.xlsx"
    result = officer.post(reverse("imports:upload"), {"kind": "carriers", "mode": "check", "file": notxlsx})
    assert result.status_code == 200 and "这不是 Excel 工作簿" in result.content.decode()

    staff = org_client(org.staff_secret)
    assert staff.get(reverse("imports:upload")).status_code == 404
    assert staff.get(reverse("imports:template", args=["carriers"])).status_code == 404
