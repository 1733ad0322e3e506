"""Per-role navigation (OPS-1): an entry shows only when the policy allows its action."""

from __future__ import annotations

import pytest

from baomi.kit.nav import items_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def nav_items(monkeypatch):
    from baomi.dashboard import nav

    items = [
        (0, "首页", "dashboard:home", None),
        (10, "账号管理", "dashboard:home", "manage_accounts"),
        (20, "未登记的动作", "dashboard:home", "no_such_action"),
        (30, "无此地址", "no-such-url", None),
    ]
    monkeypatch.setattr(nav, "ITEMS", items)
    return items


def test_entries_follow_the_policy(org, nav_items):
    """The system administrator sees account management; a staff member does not (SEC-2)."""
    assert [e["label"] for e in items_for(org.sysadmin)][:2] == ["首页", "账号管理"]
    assert "账号管理" not in [e["label"] for e in items_for(org.staff_secret)]


def test_unregistered_actions_and_urls_hide_the_entry(org, nav_items):
    """A misconfigured entry is hidden, never shown by mistake (the meta-test reports it)."""
    labels = [e["label"] for e in items_for(org.sysadmin)]
    assert "未登记的动作" not in labels and "无此地址" not in labels


def test_entries_are_ordered(org, nav_items):
    orders = [e["order"] for e in items_for(org.sysadmin)]
    assert orders == sorted(orders)
