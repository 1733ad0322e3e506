"""``baomi incidents …`` (SUP-2, R-INC-1): each verb tested."""

from __future__ import annotations

from baomi.cli import main
from tests.incidents.factories import open_one


def test_list_and_clock(org, capsys):
    open_one(org, hours_ago=30)
    assert main(["incidents", "list", "--as", "security_officer"]) == 0
    out = capsys.readouterr().out
    assert "已超时" in out and "共 1 起" in out
    assert main(["incidents", "list", "--as", "staff_secret", "--clock", "overdue"]) == 0
    assert "共 0 起" in capsys.readouterr().out
    assert main(["incidents", "clock"]) == 0
    assert "新超时 1 起" in capsys.readouterr().out
    assert main(["incidents", "list", "--as", "nobody"]) == 1
