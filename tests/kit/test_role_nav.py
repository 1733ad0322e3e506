"""Role-fit navigation (issue 13): a menu entry appears only where the role can ever have
something — the 三员 system administrator and auditor and uncleared staff get no carrier menus
(``"carriers.menu"``), no 定密管理 (``items_menu``, ``notices_menu``) and no 人员管理 unless a
personnel file was opened for them (``own_file_menu``, ``travel_menu``; PER-1, PER-6), while the
pages themselves stay reachable (``carriers.browse``, ``view_items``, ``travel_list``)."""

import pytest
from django.test import Client

from baomi.access import policy
from baomi.kit.nav import items_for, sections_for
from baomi.personnel import services as personnel
from baomi.personnel.choices import Category

pytestmark = pytest.mark.django_db


def names(user) -> set[str]:
    return {e["name"] for e in items_for(user)}


def test_carrier_menus_only_for_people_who_can_have_carriers(org):
    for who in ("sysadmin", "auditor", "staff_uncleared", "outsider"):
        user = getattr(org, who)
        assert not policy.can(user, "carriers.menu"), who
        assert "carriers:ledger" not in names(user) and "carriers:workbench" not in names(user), who
        assert policy.can(user, "carriers.browse")
    for who in ("security_officer", "unit_head", "staff_secret", "staff_work_secret"):
        user = getattr(org, who)
        assert policy.can(user, "carriers.menu"), who
        assert {"carriers:ledger", "carriers:workbench"} <= names(user), who


def sections(user) -> dict[str, set[str]]:
    return {g["key"]: {e["name"] for e in g["items"]} for g in sections_for(user)}


#: What the 三员 and uncleared staff see, exactly: nothing that can only ever be empty for them.
EXPECTED = {
    "sysadmin": {
        "dashboard:home": {"dashboard:home"},
        "supervision": {"incidents:report", "personnel:report-new", "publication:list", "governance:overview",
                        "devices:list", "systems:list", "visitors:list"},
        "administration": {"accounts:users", "accounts:departments", "accounts:org-changes"},
    },
    "auditor": {
        "dashboard:home": {"dashboard:home"},
        "supervision": {"incidents:report", "personnel:report-new", "monitoring:alerts", "publication:list",
                        "governance:overview", "visitors:list"},
        "administration": {"audit:list"},
    },
    "staff_uncleared": {
        "dashboard:home": {"dashboard:home"},
        "supervision": {"incidents:report", "personnel:report-new", "publication:list", "governance:overview",
                        "visitors:list"},
    },
}  # fmt: skip


def test_the_three_administrators_and_uncleared_staff_see_only_menus_they_can_use(org):
    for who, expected in EXPECTED.items():
        assert sections(getattr(org, who)) == expected, who
    assert sections(org.outsider) == EXPECTED["staff_uncleared"]
    # Every entry they are shown opens (no menu leads to a refusal or an error).
    for who in EXPECTED:
        client = Client()
        client.force_login(getattr(org, who))
        for entry in items_for(getattr(org, who)):
            assert client.get(entry["url"]).status_code == 200, (who, entry["url"])
    # The register and the travel list are still reachable by URL: only the menu is role-fit.
    assert policy.can(org.staff_uncleared, "view_items") and policy.can(org.staff_uncleared, "travel_list")


def test_cleared_staff_and_the_office_keep_their_menus(org):
    staff = sections(org.staff_work_secret)
    assert {"classification:items", "classification:notices"} <= staff["classification"]
    officer = sections(org.security_officer)
    assert {"classification", "carriers", "personnel", "supervision", "reports", "administration"} <= set(
        officer
    )
    assert "personnel:list" in officer["personnel"]
    assert "personnel" in sections(org.unit_head)  # gives opinions on travel abroad (PER-6)
    # The menu actions themselves (the pages keep their own: view_items, view_notices, travel_list).
    for who in ("sysadmin", "auditor", "staff_uncleared"):
        user = getattr(org, who)
        assert not any(
            policy.can(user, a) for a in ("items_menu", "notices_menu", "own_file_menu", "travel_menu")
        )
    assert policy.can(org.staff_work_secret, "items_menu") and policy.can(
        org.staff_work_secret, "notices_menu"
    )
    assert policy.can(org.unit_head, "travel_menu") and not policy.can(org.unit_head, "own_file_menu")


def test_a_personnel_file_brings_the_personnel_menu(org):
    """PER-1: once a file is opened — even while the person is still uncleared in onboarding —
    their file and the travel approval they may need are in the menu."""
    assert "personnel" not in sections(org.staff_uncleared)
    personnel.open_file(org.security_officer, org.staff_uncleared, category=Category.GENERAL)
    assert sections(org.staff_uncleared)["personnel"] == {"personnel:mine", "personnel:travel-list"}
