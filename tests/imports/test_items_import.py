"""Importing the ledger of items the unit determined before baomi (issue 19 §4; CLS-2..4,
R-DET-4/8, R-DUR-1..6, R-DECL-2, R-CRYPTO-5, SEC-3).

Each row is recorded through ``classification.services.record_existing_determination``: held to
the rules of a hand proposal, recorded as determined with the original authority and date in
the item's history (no propose → approve round), the mark bound by MAC, one audit entry per
item. All rows or none; each refused row is reported with its reason; the items' 文号 then name
them in the carriers ledger.
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
from baomi.carriers.models import Carrier
from baomi.classification import marking
from baomi.classification.models import ClassificationRequest, Item, MarkRecord, Notice
from baomi.classification.services import record_existing_determination
from baomi.cli import main
from baomi.core.durations import format_date
from baomi.core.errors import CeilingExceeded, ValidationFailed
from baomi.imports import services
from baomi.imports.events import ImportEvent
from tests.support.assertions import last_audit_id

HEADERS = ["文号", "标题", "密级", "定密类型", "保密期限", "解密条件", "期限起算日", "长期或超期依据",
           "定密依据", "产生部门", "知悉范围（部门）", "定密责任人", "定密日期", "密点", "备注"]  # fmt: skip
TODAY = timezone.localdate()
LAST_YEAR = TODAY - dt.timedelta(days=400)


@pytest.fixture(autouse=True)
def _dates_of_the_day_the_test_runs() -> None:
    """The day each test runs, not the day the module was collected: a suite that crosses
    midnight would otherwise ask for days already past."""
    global TODAY, LAST_YEAR
    TODAY = timezone.localdate()
    LAST_YEAR = TODAY - dt.timedelta(days=400)


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(reference: str, **kw: object) -> list[object]:
    values = {"reference": reference, "title": "关于某专项工作的请示", "level": "机密", "origin": "", "duration": "10年",
              "condition": "", "start": "", "duration_basis": "", "basis": "保密事项范围第三条第（二）项",
              "department": "办公室", "scope": "办公室、财务科", "authority": "张主任", "on": LAST_YEAR,
              "points": "", "note": "", **kw}  # fmt: skip
    return list(values.values())


def reasons(report: bytes) -> dict[int, str]:
    sheet = openpyxl.load_workbook(io.BytesIO(report)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [*HEADERS, "行号", "原因"], header
    return {r[-2]: r[-1] for r in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_template_has_the_chinese_headers(org, tmp_path):
    assert main(["import", "items", "--template", str(tmp_path / "t.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers == [
        h + "*" if h in ("标题", "密级", "产生部门", "定密责任人", "定密日期") else h for h in HEADERS
    ]
    assert book.sheetnames == ["定密事项台账", "填写说明"]


def test_existing_determinations_are_recorded_not_proposed(org, tmp_path, capsys):
    """No propose → approve round: the items are determined, with the ledger's authority and date
    in their history, the mark bound (R-CRYPTO-5), one audit entry each, no notices."""
    path = tmp_path / "items.xlsx"
    path.write_bytes(workbook([
        row("办〔2019〕12号", start=LAST_YEAR - dt.timedelta(days=10), points="第二部分的数字"),
        row("办〔2020〕3号", level="秘密", duration=TODAY + dt.timedelta(days=300), scope=""),
        row("", level="工作秘密", duration="", basis="", scope="FIN", title="内部工作安排"),
        row("财〔2021〕7号", level="秘密", origin="派生定密", duration="", condition="项目验收完成后",
            basis="依据上级来文 国〔2021〕5号"),
    ]))  # fmt: skip
    since = last_audit_id()
    assert main(["import", "items", str(path), "--as", "security_officer"]) == 0
    assert "已导入 4 条记录" in capsys.readouterr().out
    items = list(Item.objects.order_by("pk"))
    assert [i.status for i in items] == ["determined"] * 4
    until = format_date(TODAY + dt.timedelta(days=300))
    assert [i.mark_text() for i in items] == ["机密★10年", f"秘密★{until}", "内部", "秘密★项目验收完成后"]
    first = items[0]
    assert first.period_start == LAST_YEAR - dt.timedelta(days=10) and first.secret_points == "第二部分的数字"
    assert items[1].period_start is None and items[3].origin == "derived"
    assert first.determined_at.date() == LAST_YEAR and first.determined_by is None
    start = first.period_start
    assert first.expires_on == dt.date(start.year + 10, start.month, start.day) + dt.timedelta(days=1)
    assert sorted(first.scope.values_list("department__name", flat=True)) == ["办公室", "财务科"]
    assert not any(marking.mark_is_tampered(i) for i in items)
    assert MarkRecord.objects.get(item=first).text == "机密★10年"
    history = ClassificationRequest.objects.get(item=first)
    assert (history.kind, history.status, history.recorded_authority) == ("determine", "approved", "张主任")
    assert history.decided_at.date() == LAST_YEAR and history.proposed_by == org.security_officer
    assert not Notice.objects.exists(), "the notices went out on paper when the item was determined"

    entries = AuditEntry.objects.filter(pk__gt=since)
    recorded = entries.filter(event=AuditEvent.ITEM_DETERMINATION_RECORDED)
    assert sorted(recorded.values_list("target_id", flat=True)) == sorted(str(i.pk) for i in items)
    assert recorded.get(target_id=str(first.pk)).details["determined_on"] == LAST_YEAR.isoformat()
    assert not entries.filter(event__in=[AuditEvent.ITEM_PROPOSED, AuditEvent.ITEM_DETERMINED]).exists()
    assert "关于某专项工作" not in str(list(entries.values_list("details", flat=True)))
    assert entries.get(event=ImportEvent.LEDGER_IMPORTED).details["ledger"] == "items"

    # The item page names the authority as recorded.
    from django.test import Client

    client = Client()
    client.force_login(org.security_officer)
    page = client.get(reverse("classification:item", args=[first.pk])).content.decode()
    assert "张主任" in page and LAST_YEAR.strftime("%Y-%m-%d") in page

    # The carriers ledger names the imported item by its 文号 (the item column).
    carriers = tmp_path / "carriers.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["原编号", "定密事项", "载体类型", "责任人", "存放地点"])
    book.active.append(["机要-001", "办〔2019〕12号", "纸质文件", "staff_secret", "保密柜B-02"])
    book.save(carriers)
    assert main(["import", "carriers", str(carriers), "--as", "security_officer"]) == 0
    carrier = Carrier.objects.get()
    assert carrier.item == first and carrier.level == "secret" and carrier.former_number == "机要-001"


def dirty_rows() -> list[list[object]]:
    future = TODAY + dt.timedelta(days=30)
    return [
        row("A-1"),                                                  # 2: good
        row("A-2", level="特级"),                                     # 3: bad level
        row("A-3", department="不存在的处室"),                         # 4: unknown department
        row("A-4", scope="办公室、无此科"),                            # 5: unknown department in the scope
        row("A-1"),                                                  # 6: duplicate 文号 (of row 2)
        row("A-6", on=future),                                       # 7: determination date in the future
        row("A-7", title="密" * 20_000),                              # 8: 20,000 characters
        row("A-8", duration="5年", start=TODAY - dt.timedelta(days=6 * 366)),  # 9: ran out (R-DECL-2)
        row("A-9", level="秘密", duration="长期"),                     # 10: 长期 without its basis
        row("A-10", basis=""),                                       # 11: a state secret without basis
        row("A-11", level="内部"),                                    # 12: not a secret
        row("A-12", duration="十年"),                                 # 13: not a duration
        row("A-13"),                                                 # 14: good
    ]  # fmt: skip


def test_a_dirty_ledger_is_refused_whole_with_a_reason_per_row(org, tmp_path, capsys):
    """Nothing half-imported: no item, no request, no mark, no item audit entry."""
    path, report = tmp_path / "dirty.xlsx", tmp_path / "report.xlsx"
    path.write_bytes(workbook(dirty_rows()))
    since = last_audit_id()
    code = main(["import", "items", str(path), "--as", "security_officer", "--report", str(report)])
    out = capsys.readouterr().out
    assert code == 1 and "未导入任何数据: 11 行未通过" in out
    assert not Item.objects.exists() and not ClassificationRequest.objects.exists()
    assert not MarkRecord.objects.exists()
    assert not AuditEntry.objects.filter(pk__gt=since, event=AuditEvent.ITEM_DETERMINATION_RECORDED).exists()
    failed = AuditEntry.objects.get(pk__gt=since, event=ImportEvent.LEDGER_IMPORTED)
    assert failed.outcome == "failed" and failed.details["refused"] == 11

    found = reasons(report.read_bytes())
    assert sorted(found) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert "密级: 无法识别的值: 特级" in found[3]
    assert "没有部门 不存在的处室" in found[4]
    assert "知悉范围（部门）: 没有部门 无此科" in found[5]
    assert "文号 A-1 在文件中出现两次（第 2 行）" in found[6]
    assert "定密日期" in found[7] and "晚于今天" in found[7]
    assert "标题: 20000 个字符" in found[8] and "密" * 300 not in found[8]
    assert "依法解密" in found[9] and "延长" in found[9]
    assert "长期" in found[10] and "依据" in found[10]
    assert "定密依据" in found[11]
    assert "只有国家秘密" in found[12]
    assert "保密期限: 不是期限" in found[13]


def test_an_existing_document_number_and_the_officer_only(org, tmp_path, capsys):
    """The 文号 is unique across the registry; only the security office records past
    determinations (the policy action), and the service refuses everyone else."""
    path = tmp_path / "items.xlsx"
    path.write_bytes(workbook([row("办〔2019〕12号")]))
    assert main(["import", "items", str(path), "--as", "security_officer"]) == 0
    result = services.import_ledger(org.security_officer, "items", services.read("items", path.read_bytes()))
    assert result.imported == 0 and "已存在相同文号的事项" in result.refused[0].errors[0]

    assert main(["import", "items", str(path), "--as", "authority_top_secret"]) == 1
    assert AuditEntry.objects.filter(
        event=AuditEvent.ACCESS_DENIED, actor_name="authority_top_secret"
    ).exists()
    from baomi.access.errors import AccessDenied

    with pytest.raises(AccessDenied):
        record_existing_determination(org.case_handler, title="x", level="secret", department=org.departments[
            "OFFICE"], authority="张主任", determined_on=LAST_YEAR, duration={"duration_kind": "period",
            "duration_value": 5, "duration_unit": "year"}, basis_text="第三条")  # fmt: skip


def test_the_units_authority_and_the_ceiling_hold(org, settings):
    """ORG-4, R-DET-4: an original determination above the unit's 定密权限 is refused (a derived
    one naming its source passes); SEC-8: nothing above the ceiling."""
    settings.UNIT_AUTHORITY = "secret"
    kwargs = {"title": "x", "department": org.departments["OFFICE"], "authority": "张主任",
              "determined_on": LAST_YEAR, "basis_text": "第三条",
              "duration": {"duration_kind": "period", "duration_value": 20, "duration_unit": "year"}}  # fmt: skip
    with pytest.raises(ValidationFailed, match="超出本单位定密权限"):
        record_existing_determination(org.security_officer, level="top_secret", **kwargs)
    item = record_existing_determination(org.security_officer, level="top_secret", origin="derived", **kwargs)
    assert item.mark_text() == "绝密★20年"
    settings.CEILING = "secret"
    with pytest.raises(CeilingExceeded):
        record_existing_determination(org.security_officer, level="top_secret", origin="derived", **kwargs)


def test_the_upload_page_offers_the_items_ledger(org):
    from django.test import Client

    officer = Client()
    officer.force_login(org.security_officer)
    page = officer.get(reverse("imports:upload")).content.decode()
    assert reverse("imports:template", args=["items"]) in page
    assert officer.get(reverse("imports:template", args=["items"])).status_code == 200
    good = io.BytesIO(workbook([row("办〔2019〕12号")]))
    good.name = "items.xlsx"
    result = officer.post(reverse("imports:upload"), {"kind": "items", "mode": "all", "file": good})
    assert "已导入 1 条记录" in result.content.decode()
    assert Item.objects.get().reference == "办〔2019〕12号"

    handler = Client()
    handler.force_login(org.case_handler)
    assert handler.get(reverse("imports:template", args=["items"])).status_code == 404
