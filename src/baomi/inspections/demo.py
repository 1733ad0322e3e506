"""Demo inspections (SUP-1, R-SITE-4): a finished quarterly patrol of 办公室 with findings and
rectification in progress (one task submitted, one returned, one verified), and the annual
self-assessment of the unit in progress, its measured checks computed from the demo records.

Runs after the accounts, classification, carriers, personnel and incidents demos
(``demo_after`` of the app).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from baomi.accounts.models import Department, User
from baomi.inspections import selectors, services
from baomi.inspections.choices import Result
from baomi.inspections.models import RectificationTask


def _evidence(text: str) -> bytes:
    return text.encode("utf-8")


def load() -> None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["secofficer", "zhangwei", "lina", "wangfang"])
    }
    office = Department.objects.filter(code="OFFICE").first()
    template = selectors.default_template()
    if len(users) < 4 or office is None or template is None:
        return
    so, head, lina = users["secofficer"], users["zhangwei"], users["lina"]
    today = timezone.localdate()

    # 1. The quarterly patrol of 办公室, finished three weeks ago.
    patrol = services.create_plan(
        so, title="2026年第二季度保密巡查", kind="quarterly", template=template, lead=so, inspectors=[head],
        departments=[office], due_on=today - timedelta(days=21),
    )  # fmt: skip
    run = services.open_plan_runs(so, patrol)[0]
    problems = {(3, 2): "两名新调入涉密人员上岗前保密教育培训记录缺失。",
                (7, 2): "一台涉密计算机未在设备台账登记，标签缺失。"}  # fmt: skip
    for answer in selectors.answers_of(run):
        code = (answer.item.area.number, answer.item.number)
        if answer.suggested:
            if answer.suggested == Result.COMPLIANT:
                services.confirm_measured(so, answer)
            else:
                services.override_measured(so, answer, result=Result.COMPLIANT,
                                           reason="例外情况已在本次巡查前登记整改，现场核实无误")  # fmt: skip
            continue
        if code in problems:
            services.answer_item(so, answer, result=Result.NON_COMPLIANT, note=problems[code])
            services.record_finding(so, run, description=problems[code], severity="general", item=answer.item)
            continue
        uploads = (
            [_evidence(f"巡查记录：{answer.item.text}（已查阅相关材料）")]
            if answer.item.evidence_required
            else []
        )
        services.answer_item(so, answer, result=Result.COMPLIANT, note="查阅材料，符合要求", uploads=uploads)
    services.record_finding(
        so, run, description="保密柜钥匙与密码由同一人保管，未分人管理。", severity="minor"
    )
    services.complete_run(so, run, summary="办公室保密管理总体规范，发现问题3项，已下达整改。")
    findings = list(selectors.findings(so, run=run).order_by("id"))
    tasks = [services.assign_task(so, f, deadline=today + timedelta(days=d), measures=m)
             for f, d, m in zip(findings, (10, 14, 7), ("组织补训并补齐培训签到记录。",
                                                          "将该计算机登记入账、粘贴标签并开展保密检查。",
                                                          "钥匙与密码分别由两人保管，建立交接记录。"), strict=True)]  # fmt: skip
    services.submit_task(lina, tasks[0], report="已组织两人补训并考试合格，签到表已归档。",
                         uploads=[_evidence("补训签到表")])  # fmt: skip
    services.submit_task(lina, tasks[1], report="已登记入账。")
    services.return_task(so, tasks[1], reason="未附标签照片和保密检查记录，请补充。")
    # demo: the returned task has run past its deadline, so the overdue list and reminders show it
    RectificationTask.objects.filter(pk=tasks[1].pk).update(deadline=today - timedelta(days=3))
    services.submit_task(lina, tasks[2], report="钥匙由王芳保管，密码由李娜掌握，已建立交接记录。")
    services.verify_task(so, tasks[2])

    # 2. The annual self-assessment of the unit, in progress, measured from the records.
    annual = services.create_plan(
        so, title="2026年度保密工作自查自评", kind="annual", template=template, lead=so, inspectors=[head],
        due_on=today + timedelta(days=10),
    )  # fmt: skip
    run = services.open_plan_runs(so, annual)[0]
    for answer in list(selectors.answers_of(run))[:3]:
        if not answer.suggested:
            services.answer_item(so, answer, result=Result.COMPLIANT, note="已查阅领导班子分工文件",
                                 uploads=[_evidence("领导班子分工文件（摘要）")])  # fmt: skip
