"""The grouped top navigation (OPS-1): entries fall into the sections 定密管理 · 载体管理 · 人员管理 ·
监督检查 · 统计报表 · 系统管理 by their order; a section shows only with an entry for the user."""

from __future__ import annotations

from itertools import pairwise

import pytest

from baomi.kit.nav import SECTIONS, sections_for

pytestmark = pytest.mark.django_db


def test_sections_follow_the_policy(org):
    officer = {g["key"]: g for g in sections_for(org.security_officer)}
    assert {"classification", "supervision", "administration"} <= set(officer)
    labels = [e["label"] for e in officer["supervision"]["items"]]
    assert len(labels) >= 4  # inspections, rectification, incidents, report, checklists
    staff = {g["key"] for g in sections_for(org.staff_uncleared)}
    assert "administration" not in staff and "reports" not in staff  # no empty menu
    auditor = {g["key"]: g for g in sections_for(org.auditor)}
    assert [str(e["label"]) for e in auditor["administration"]["items"]] == ["审计日志"]


def test_home_is_a_plain_link_and_the_current_entry_is_marked(org):
    groups = sections_for(org.security_officer, "/inspections/runs/3/")
    assert groups[0]["label"] is None and groups[0]["items"][0]["url"] == "/"
    current = [g for g in groups if g["current"]]
    assert [g["key"] for g in current] == ["supervision"]
    assert [e["url"] for e in current[0]["items"] if e["current"]] == ["/inspections/"]


def test_section_ranges_do_not_overlap():
    ranges = sorted((a, b) for _k, _l, a, b in SECTIONS)
    assert all(prev[1] < nxt[0] for prev, nxt in pairwise(ranges))
