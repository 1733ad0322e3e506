"""Inspection pages: render for the right people in Chinese, refuse others like not found,
and export the run (xlsx, PDF) and the rectification list (xlsx), audited (SUP-1)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from baomi.inspections import services
from baomi.inspections.events import InspectionEvent
from tests.inspections.factories import answer_all, default_template, open_run, small_template, today
from tests.support.assertions import assert_audited, assert_denied, last_audit_id


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _finished(org):
    officer = org.security_officer
    run = open_run(
        org, small_template(org, probe="personnel.rereview_overdue"), department=org.departments["OFFICE"]
    )
    answer_all(org, run)
    finding = services.record_finding(officer, run, description="钥匙管理不规范", severity="minor")
    services.complete_run(officer, run, summary="总体良好")
    task = services.assign_task(officer, finding, deadline=today() + timedelta(days=3), measures="分人保管")
    return run, finding, task


def test_pages_render(org):
    run, finding, task = _finished(org)
    plan = services.create_plan(org.security_officer, title="年度自查自评", kind="annual", template=default_template(),
                                lead=org.security_officer, due_on=today())  # fmt: skip
    annual = services.open_plan_runs(org.security_officer, plan)[0]
    c = client_for(org.security_officer)
    for url in [reverse("inspections:list"), reverse("inspections:run", args=[run.pk]),
                reverse("inspections:run", args=[annual.pk]), reverse("inspections:finding", args=[finding.pk]),
                reverse("inspections:tasks"), reverse("inspections:tasks") + "?overdue=1&mine=1&status=assigned",
                reverse("inspections:task", args=[task.pk]), reverse("inspections:templates"),
                reverse("inspections:template", args=[default_template().pk]), reverse("inspections:plan-new"),
                reverse("inspections:plan", args=[plan.pk])]:  # fmt: skip
        r = c.get(url)
        assert r.status_code == 200, url
        assert "检查" in r.content.decode() or "整改" in r.content.decode(), url
    page = c.get(reverse("inspections:run", args=[annual.pk])).content.decode()
    assert "保密工作责任制" in page and "系统按记录核查" in page


def test_exports_are_audited(org):
    run, _finding, _task = _finished(org)
    c = client_for(org.security_officer)
    since = last_audit_id()
    r = c.get(reverse("inspections:run-export", args=[run.pk, "xlsx"]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = c.get(reverse("inspections:run-export", args=[run.pk, "pdf"]))
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    assert_audited(InspectionEvent.RUN_EXPORTED, run, org.security_officer, since=since)
    r = c.get(reverse("inspections:tasks") + "?export=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert_audited(InspectionEvent.RECTIFICATION_EXPORTED, since=since)
    assert c.get(reverse("inspections:run-export", args=[run.pk, "doc"])).status_code == 404


def test_owner_submits_through_the_form_and_the_officer_verifies(org):
    _run, finding, task = _finished(org)
    head = client_for(org.dept_head)
    assert head.get(reverse("inspections:task", args=[task.pk])).status_code == 200
    r = head.post(reverse("inspections:task-action", args=[task.pk, "submit"]), {"report": "已分人保管"})
    assert r.status_code == 302
    officer = client_for(org.security_officer)
    officer.post(reverse("inspections:task-action", args=[task.pk, "verify"]))
    finding.refresh_from_db()
    assert finding.status == "closed"


def test_answer_and_override_through_the_forms(org):
    run = open_run(org, small_template(org, probe="personnel.rereview_overdue"))
    c = client_for(org.security_officer)
    measured = run.answers.get(item__probe="personnel.rereview_overdue")
    plain = run.answers.get(item__probe="")
    c.post(reverse("inspections:answer-action", args=[measured.pk, "override"]),
           {"result": "non_compliant", "reason": "现场核实有逾期"})  # fmt: skip
    c.post(
        reverse("inspections:answer-action", args=[plain.pk, "answer"]),
        {"result": "compliant", "note": "已锁"},
    )
    measured.refresh_from_db()
    plain.refresh_from_db()
    assert measured.result == "non_compliant" and plain.result == "compliant"
    r = c.post(reverse("inspections:run-action", args=[run.pk, "complete"]), {"summary": ""}, follow=True)
    assert "暂不能完成检查" in r.content.decode()  # a Chinese message, not a 500


def test_strangers_get_not_found(org):
    run, finding, task = _finished(org)
    since = last_audit_id()
    c = client_for(org.staff_other_dept)
    assert_denied(c.get(reverse("inspections:run", args=[run.pk])), actor=org.staff_other_dept, since=since)
    for url in [reverse("inspections:finding", args=[finding.pk]), reverse("inspections:task", args=[task.pk]),
                reverse("inspections:templates"), reverse("inspections:list")]:  # fmt: skip
        assert c.get(url).status_code == 404, url
