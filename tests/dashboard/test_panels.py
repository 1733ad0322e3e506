"""Role dashboards (OPS-1): each role's figures, counted as the policy allows, each linking to
its list; cached figures change as soon as the records do."""

from __future__ import annotations

import pytest
from django.test import Client

from baomi.carriers import services as carriers
from baomi.dashboard.panels import panels_for
from baomi.reports.cache import audit_position
from tests.carriers.factories import make_carrier, make_item

pytestmark = pytest.mark.django_db


def figures(user) -> dict[str, dict[str, object]]:
    _kind, panels = panels_for(user)
    return {p.title: {f.label: f.value for f in p.figures} for p in panels}


def test_each_role_gets_its_dashboard(org):
    assert panels_for(org.security_officer)[0] == "regime"
    assert panels_for(org.auditor)[0] == "audit"
    assert panels_for(org.unit_head)[0] == "summary"
    assert panels_for(org.dept_head)[0] == "department"
    assert panels_for(org.staff_confidential) == ("staff", [])


def test_the_officer_sees_the_registry_the_head_the_department(org):
    make_carrier(org, "secret", copies=2)
    other = make_carrier(org, "confidential", custodian=org.staff_other_dept)
    from baomi.carriers.models import Carrier

    Carrier.objects.filter(pk=other.pk).update(department=org.departments["FIN"])  # lint: allow (set-up)
    officer = figures(org.security_officer)["按密级统计的载体"]
    assert officer["机密"] == 2 and officer["秘密"] == 1
    head = figures(org.dept_head)["本部门载体"]
    assert head["机密"] == 2 and "秘密" not in head


def test_cached_figures_follow_every_change(org):
    """OPS-1: figures are cached under the audit position; a registration moves it, so the next
    view counts the new carrier."""
    make_carrier(org, "secret")
    before = audit_position()
    assert figures(org.security_officer)["按密级统计的载体"]["机密"] == 1
    item = make_item(org, "secret", scope=[org.staff_secret])
    carriers.register_carrier(
        org.security_officer, item=item, kind="paper", custodian=org.staff_secret, copies=1
    )
    assert audit_position() != before
    assert figures(org.security_officer)["按密级统计的载体"]["机密"] == 2


def test_every_figure_links_somewhere_that_answers(org):
    make_carrier(org, "secret")
    c = Client()
    c.force_login(org.security_officer)
    _kind, panels = panels_for(org.security_officer)
    urls = {f.url for p in panels for f in p.figures if f.url}
    assert len(urls) >= 10
    for url in urls:
        assert c.get(url).status_code == 200, url


def test_home_renders_for_every_role(org):
    for user in (
        org.security_officer,
        org.auditor,
        org.unit_head,
        org.dept_head,
        org.staff_secret,
        org.sysadmin,
    ):
        c = Client()
        c.force_login(user)
        r = c.get("/")
        assert r.status_code == 200 and b"data-dashboard" in r.content
