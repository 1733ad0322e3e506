"""Inspection services (SUP-1, R-SITE-4): versions kept by runs, plans opening runs per scope,
measured answers confirmed or overridden (audited), completion, scores, rectification and
reminders, the policy on each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.core.errors import ValidationFailed
from baomi.inspections import selectors, services
from baomi.inspections.events import InspectionEvent
from baomi.inspections.models import Run
from tests.inspections.factories import default_template, open_run, small_template, today
from tests.personnel.factories import onboarded
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def test_default_template_has_the_13_areas_of_art_58(org):
    t = default_template()
    titles = list(t.areas.values_list("title", flat=True))
    assert len(titles) == 13 and titles[0] == "保密工作责任制" and titles[-1] == "其他保密管理"
    assert t.status == "published" and t.is_default
    assert t.areas.filter(items__probe="personnel.pledge_missing").exists()


def test_a_run_keeps_the_version_it_used(org):
    officer = org.security_officer
    v1 = small_template(org)
    run = open_run(org, v1)
    v2 = services.copy_template(officer, v1)
    services.add_item(officer, v2.areas.get(number=1), text="新增检查项")
    services.publish_template(officer, v2)
    run.refresh_from_db()
    assert run.template_id == v1.pk and run.answers.count() == 1
    assert open_run(org, v2).answers.count() == 2


def test_plan_opens_one_run_per_department_and_place_then_moves_on(org):
    officer = org.security_officer
    plan = services.create_plan(officer, title="季度巡查", kind="quarterly", template=small_template(org),
                                lead=officer, inspectors=[org.unit_head], due_on=today() + timedelta(days=3),
                                departments=[org.departments["OFFICE"], org.departments["FIN"]], places="档案室；机要室")  # fmt: skip
    assert services.open_due_runs()["runs_opened"] == 4
    plan.refresh_from_db()
    assert plan.due_on.month != (today() + timedelta(days=3)).month or plan.due_on > today() + timedelta(
        days=80
    )
    runs = list(selectors.runs(officer, plan=plan))
    assert {r.scope_label for r in runs} == {"办公室", "财务科", "档案室", "机要室"}
    assert all(r.inspectors.filter(pk=org.unit_head.pk).exists() for r in runs)
    assert services.open_due_runs()["runs_opened"] == 0  # idempotent: the next cycle is months away
    adhoc = services.create_plan(officer, title="专项", kind="ad_hoc", template=small_template(org), lead=officer,
                                 due_on=today())  # fmt: skip
    services.open_plan_runs(officer, adhoc)
    adhoc.refresh_from_db()
    assert not adhoc.active


def test_measured_items_are_pre_answered_and_confirmed_or_overridden_with_audit(org):
    """SUP-1: the run measures at opening; the inspector confirms (audited with the figure) or
    overrides with a reason (audited)."""
    officer = org.security_officer
    onboarded(officer, org.staff_secret, "important")
    run = open_run(org, small_template(org, probe="personnel.rereview_overdue"))
    answer = run.answers.get(item__probe="personnel.rereview_overdue")
    assert answer.measured["count"] == 0 and answer.suggested == answer.result == "compliant"
    assert not answer.confirmed
    since = last_audit_id()
    services.confirm_measured(officer, answer)
    entry = assert_audited(InspectionEvent.ANSWER_CONFIRMED, run, officer, since=since)
    assert entry.details["figure"] == 0
    with pytest.raises(ValidationFailed):
        services.answer_item(officer, answer, result="non_compliant")  # measured: confirm or override
    with pytest.raises(ValidationFailed):
        services.override_measured(officer, answer, result="non_compliant", reason=" ")
    services.override_measured(officer, answer, result="non_compliant", reason="复审记录滞后，实际已逾期")
    entry = assert_audited(InspectionEvent.ANSWER_OVERRIDDEN, run, officer, since=since)
    assert entry.details["suggested"] == "compliant" and entry.details["reason"].startswith("复审")
    answer.refresh_from_db()
    assert answer.result == "non_compliant" and not answer.confirmed


def test_measure_again_refreshes_figures_keeps_overrides(org):
    from baomi.personnel.models import PersonnelFile

    officer = org.security_officer
    file = onboarded(officer, org.staff_secret, "important")
    run = open_run(org, small_template(org, probe="personnel.rereview_overdue"))
    answer = run.answers.get(item__probe="personnel.rereview_overdue")
    PersonnelFile.objects.filter(pk=file.pk).update(next_review_on=today() - timedelta(days=1))
    services.measure_run(officer, run)
    answer.refresh_from_db()
    assert answer.measured["count"] == 1 and answer.result == "non_compliant"
    assert answer.measured["exceptions"][0]["pk"] == file.pk
    links = selectors.exception_links(answer)
    assert links[0]["url"] == f"/personnel/{file.pk}/"
    services.override_measured(officer, answer, result="compliant", reason="已于今日完成复审，记录待补录")
    services.measure_run(officer, run)
    answer.refresh_from_db()
    assert answer.result == "compliant" and answer.measured["count"] == 1


def test_completion_gaps_and_scores(org):
    officer = org.security_officer
    run = open_run(org, small_template(org, probe="personnel.rereview_overdue"))
    plain = run.answers.get(item__probe="")
    with pytest.raises(ValidationFailed) as err:
        services.complete_run(officer, run)
    assert len(err.value.fields["gaps"]) == 1  # the plain item is not answered (the measured one is)
    services.answer_item(officer, plain, result="compliant", note="已锁")
    assert "需要佐证材料" in "".join(services.completion_gaps(run))  # evidence required for compliance
    services.answer_item(officer, plain, result="non_compliant", note="未锁")
    assert "未登记问题" in "".join(services.completion_gaps(run))
    services.record_finding(officer, run, description="保密柜未锁", item=plain.item)
    services.complete_run(officer, run)
    run.refresh_from_db()
    assert (run.score, run.max_score) == (Decimal("6"), Decimal("10"))
    rows = services.area_scores(run)
    assert rows[0]["percent"] == 60


def test_not_applicable_leaves_the_score(org):
    officer = org.security_officer
    run = open_run(org, small_template(org))
    services.answer_item(officer, run.answers.get(), result="not_applicable", note="无保密柜")
    services.complete_run(officer, run)
    run.refresh_from_db()
    assert (run.score, run.max_score) == (0, 0)


def test_evidence_is_encrypted_in_the_vault(org):
    officer = org.security_officer
    run = open_run(org, small_template(org))
    answer = services.answer_item(officer, run.answers.get(), result="compliant", uploads=[b"photo-bytes"])
    blob = answer.evidence.get()
    assert_audited(AuditEvent.BLOB_STORED, answer, officer)
    _b, reader = selectors.open_evidence(officer, "answer", answer.pk, blob.pk)
    assert b"".join(reader) == b"photo-bytes"
    with pytest.raises(AccessDenied):
        selectors.open_evidence(org.staff_other_dept, "answer", answer.pk, blob.pk)


def test_who_may_answer_complete_and_verify(org):
    """Inspectors answer; the head of the inspected department does not; only the lead or the
    security officer completes; nobody verifies their own task."""
    run = open_run(org, small_template(org), lead=org.unit_head, inspectors=[org.dept_head, org.staff_confidential],
                   department=org.departments["OFFICE"])  # fmt: skip
    answer = run.answers.get()
    with pytest.raises(AccessDenied):
        services.answer_item(org.dept_head, answer, result="compliant")  # heads OFFICE
    with pytest.raises(AccessDenied):
        services.answer_item(org.staff_other_dept, answer, result="compliant")
    services.answer_item(org.staff_confidential, answer, result="non_compliant", note="x")
    services.record_finding(org.staff_confidential, run, description="未锁", item=answer.item)
    with pytest.raises(AccessDenied):
        services.complete_run(org.staff_confidential, run)
    services.complete_run(org.unit_head, run)
    finding = run.findings.get()
    task = services.assign_task(
        org.staff_confidential, finding, deadline=today(), measures="加锁", owner=org.dept_head
    )
    with pytest.raises(AccessDenied):
        services.submit_task(org.staff_confidential, task, report="x")
    services.submit_task(org.dept_head, task, report="已加锁")
    with pytest.raises(AccessDenied):
        services.verify_task(org.dept_head, task)
    services.verify_task(org.staff_confidential, task)


def test_default_owner_needs_a_department_head(org):
    run = open_run(org, small_template(org))
    finding = services.record_finding(org.security_officer, run, description="x")
    with pytest.raises(ValidationFailed):
        services.assign_task(org.security_officer, finding, deadline=today(), measures="y")
    with pytest.raises(ValidationFailed):
        services.assign_task(org.security_officer, finding, deadline=today() - timedelta(days=1), measures="y",
                             owner=org.dept_head)  # fmt: skip


def test_reminders_once_a_day(org):
    officer = org.security_officer
    run = open_run(org, small_template(org), due_on=today() + timedelta(days=1))
    finding = services.record_finding(officer, run, description="x")
    task = services.assign_task(officer, finding, deadline=today(), measures="y", owner=org.dept_head)
    since = last_audit_id()
    assert services.raise_reminders() == {"runs": 1, "tasks": 1}
    assert services.raise_reminders() == {"runs": 0, "tasks": 0}
    assert_audited(InspectionEvent.TASK_REMINDED, task, since=since)
    assert_audited(InspectionEvent.INSPECTION_REMINDED, run, since=since)


def test_template_editing_checks_probes_and_scores(org):
    officer = org.security_officer
    draft = services.copy_template(officer, default_template(), name="本单位检查表", new_version=False)
    area = services.add_area(officer, draft, title="新领域")
    with pytest.raises(ValidationFailed):
        services.add_item(officer, area, text="x", probe="no.such.probe")
    with pytest.raises(ValidationFailed):
        services.add_item(officer, area, text="x", score=-1)
    item = services.add_item(officer, area, text="x", probe="carriers.loans_overdue", score=3)
    services.edit_item(officer, item, text="借阅按期归还", probe="carriers.loans_overdue", score=4)
    item.refresh_from_db()
    assert item.text == "借阅按期归还" and item.score == 4
    with pytest.raises(AccessDenied):
        services.add_area(org.unit_head, draft, title="y")
    empty = services.copy_template(officer, small_template(org), name="空表", new_version=False)
    for a in empty.areas.all():
        for i in a.items.all():
            services.remove_item(officer, i)
    with pytest.raises(ValidationFailed):
        services.publish_template(officer, empty)


def test_only_the_officer_plans_and_a_draft_cannot_be_planned(org):
    draft = services.copy_template(org.security_officer, default_template(), name="草稿", new_version=False)
    with pytest.raises(ValidationFailed):
        services.create_plan(org.security_officer, title="x", kind="monthly", template=draft,
                             lead=org.security_officer, due_on=today())  # fmt: skip
    with pytest.raises(AccessDenied):
        services.create_plan(org.unit_head, title="x", kind="monthly", template=default_template(),
                             lead=org.unit_head, due_on=today())  # fmt: skip
    assert not Run.objects.exists()
