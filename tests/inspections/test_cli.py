"""``baomi inspections …`` (SUP-1): each verb tested."""

from __future__ import annotations

from datetime import timedelta

from baomi.cli import main
from baomi.inspections import services
from tests.inspections.factories import small_template, today


def test_probes_open_due_and_remind(org, capsys):
    assert main(["inspections", "probes", "--as", "security_officer"]) == 0
    out = capsys.readouterr().out
    assert "personnel.pledge_missing" in out and "carriers.loans_overdue" in out
    assert main(["inspections", "probes", "--as", "staff_secret"]) == 1  # not an inspector: not found
    services.create_plan(org.security_officer, title="月度自查", kind="monthly", template=small_template(org),
                         lead=org.security_officer, due_on=today() + timedelta(days=1))  # fmt: skip
    assert main(["inspections", "open-due"]) == 0
    assert "开始检查 1 项" in capsys.readouterr().out
    assert main(["inspections", "remind"]) == 0
    assert "检查提醒 1 条" in capsys.readouterr().out
