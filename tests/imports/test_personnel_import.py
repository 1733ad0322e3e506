"""Importing the 涉密人员 ledger (issue 19, PER-1): each row opens the personnel file of an
existing account through ``personnel.services.open_file``, all rows or none."""

from __future__ import annotations

import io

import openpyxl

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.imports import services
from baomi.personnel.models import PersonnelFile
from tests.support.assertions import last_audit_id

HEADERS = ["用户名", "姓名", "涉密人员类别", "涉密岗位", "备注"]


def rows_of(values: list[list[object]]) -> list:
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for row in values:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return services.read("personnel", out.getvalue())


def test_personnel_files_are_opened_all_or_none(org):
    officer = org.security_officer
    good = [["staff_secret", "staff_secret", "重要涉密人员", "机要秘书", "2018年起在岗"],
            ["staff_confidential", "", "一般", "", ""]]  # fmt: skip
    bad = [
        ["nobody", "", "核心", "", ""],  # no such account
        ["staff_other_dept", "王五", "核心", "", ""],  # the name does not match
        ["staff_work_secret", "", "特殊", "", ""],  # no such category
        ["staff_secret", "", "一般", "", ""],  # twice in the file
        ["security_officer", "", "核心", "", ""],  # one's own file: the policy refuses
    ]
    since = last_audit_id()
    result = services.import_ledger(officer, "personnel", rows_of(good + bad))
    assert result.imported == 0 and not PersonnelFile.objects.exists()
    found = {r.number: "；".join(r.errors) for r in result.refused}
    assert "没有账号 nobody" in found[4]
    assert "账号 staff_other_dept 是staff_other_dept, 不是王五" in found[5]
    assert "涉密人员类别: 无法识别的值: 特殊" in found[6]
    assert "staff_secret 在文件中出现了两次" in found[7]
    assert "您无权为此人建立涉密人员档案" in found[8]
    denied = AuditEntry.objects.filter(pk__gt=since, event=AuditEvent.ACCESS_DENIED)
    assert denied.count() == 1 and denied.get().details["row"] == 8

    result = services.import_ledger(officer, "personnel", rows_of(good))
    assert result.imported == 2
    files = {f.user.username: f for f in PersonnelFile.objects.select_related("user")}
    assert files["staff_secret"].category == "important" and files["staff_secret"].secret_post == "机要秘书"
    assert files["staff_confidential"].category == "general"
    assert AuditEntry.objects.filter(pk__gt=since, event=AuditEvent.PERSONNEL_FILE_OPENED).count() == 2
