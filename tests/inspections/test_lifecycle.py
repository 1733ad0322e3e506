"""Lifecycles of templates, runs, findings and rectification tasks (SUP-1): every row of each
table, the refusal of every other pair, and each transition through its service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.access import policy
from baomi.core.errors import InvalidTransition
from baomi.inspections import lifecycle, services
from baomi.inspections.models import Finding, RectificationTask, Run, Template
from tests.inspections.factories import answer_all, default_template, open_run, small_template, today

MODELS = {"template": Template, "run": Run, "finding": Finding, "task": RectificationTask}
ROWS = [(name, s, a) for name, (table, _c) in lifecycle.TABLES.items() for (s, a) in table]
OTHERS = [
    (name, s, a)
    for name, (table, states) in lifecycle.TABLES.items()
    for s in states.values
    for a in sorted({a for _s, a in table})
    if (s, a) not in table
]


@pytest.mark.parametrize(("name", "state", "action"), ROWS)
def test_every_row(name, state, action):
    table, states = lifecycle.TABLES[name]
    move = lifecycle.next_move(table, state, action)
    assert move.next_state in states.values
    assert move.action in policy.rule_for(MODELS[name]).actions


@pytest.mark.parametrize(("name", "state", "action"), OTHERS)
def test_every_other_pair_is_refused(name, state, action):
    with pytest.raises(InvalidTransition):
        lifecycle.next_move(lifecycle.TABLES[name][0], state, action)


@pytest.mark.django_db
def test_template_draft_published_retired(org):
    """A new version starts as a draft, publishing retires the previous one; a published or
    retired version refuses edits (a run keeps the version it used)."""
    officer = org.security_officer
    v1 = default_template()
    v2 = services.copy_template(officer, v1)
    assert (v2.family, v2.version, v2.status) == (v1.family, v1.version + 1, "draft")
    with pytest.raises(Exception, match=r"draft|草稿"):
        services.copy_template(officer, v1)  # one draft at a time
    item = v1.areas.first().items.first()
    with pytest.raises(InvalidTransition):
        services.edit_item(officer, item, text="改")
    services.publish_template(officer, v2)
    v1.refresh_from_db()
    assert v1.status == "retired"
    with pytest.raises(InvalidTransition):
        services.publish_template(officer, v2)
    services.retire_template(officer, v2)
    with pytest.raises(InvalidTransition):
        services.retire_template(officer, v2)


@pytest.mark.django_db
def test_run_open_completed_and_refusals_after(org):
    run = open_run(org, small_template(org))
    answer_all(org, run)
    services.complete_run(org.security_officer, run, summary="良好")
    run.refresh_from_db()
    assert run.status == "completed"
    answer = run.answers.first()
    for call in (lambda: services.answer_item(org.security_officer, answer, result="compliant"),
                 lambda: services.measure_run(org.security_officer, run),
                 lambda: services.record_finding(org.security_officer, run, description="x"),
                 lambda: services.complete_run(org.security_officer, run),
                 lambda: services.cancel_run(org.security_officer, run, reason="x")):  # fmt: skip
        with pytest.raises(InvalidTransition):
            call()


@pytest.mark.django_db
def test_run_cancelled(org):
    run = open_run(org, small_template(org))
    services.cancel_run(org.security_officer, run, reason="机构调整")
    run.refresh_from_db()
    assert run.status == "cancelled"
    with pytest.raises(InvalidTransition):
        services.complete_run(org.security_officer, run)


@pytest.mark.django_db
def test_finding_and_task_lifecycle(org):
    """open → rectifying → closed; assigned → submitted → returned → submitted → verified."""
    officer, head = org.security_officer, org.dept_head
    run = open_run(org, small_template(org), department=org.departments["OFFICE"])
    finding = services.record_finding(officer, run, description="保密柜未上锁", severity="serious")
    task = services.assign_task(
        officer, finding, deadline=today() + timedelta(days=5), measures="加锁并建立检查记录"
    )
    finding.refresh_from_db()
    assert finding.status == "rectifying" and task.owner == head  # the department head by default
    with pytest.raises(InvalidTransition):
        services.verify_task(officer, task)  # nothing submitted yet
    services.submit_task(head, task, report="已加锁")
    services.return_task(officer, task, reason="缺检查记录")
    with pytest.raises(InvalidTransition):
        services.verify_task(officer, task)
    services.submit_task(head, task, report="已加锁并建立检查记录")
    second = services.assign_task(officer, finding, deadline=today() + timedelta(days=5), measures="全员提醒")
    services.verify_task(officer, task)
    finding.refresh_from_db()
    assert finding.status == "rectifying"  # one task still open
    services.submit_task(head, second, report="已提醒")
    services.verify_task(officer, second)
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.closed_at is not None
    with pytest.raises(InvalidTransition):
        services.assign_task(officer, finding, deadline=today(), measures="x")
    with pytest.raises(InvalidTransition):
        services.submit_task(head, second, report="again")
