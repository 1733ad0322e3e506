"""Demo governance records (ORG-2, SUP-9..11): the leading group and the security office with a
change of position in their history; this year's responsibility statements — signed, half
signed, issued only, missing; the nine regulation templates in force, two reviews past due and
one revision; three emergency plans, one drilled, one with its drill overdue; the 保密宣传月 with
a lecture that counts as training, a knowledge contest and a film.

Runs after the accounts and personnel demos (``demo_after``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from baomi.accounts.models import Department, User
from baomi.governance import services


def _u(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _d(code: str) -> Department | None:
    return Department.objects.filter(code=code).first()


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def load() -> None:
    so, zhangwei, lina, wangfang = _u("secofficer"), _u("zhangwei"), _u("lina"), _u("wangfang")
    liuyang, chenjing = _u("liuyang"), _u("chenjing")
    if not all((so, zhangwei, lina, wangfang, liuyang, chenjing)):
        return
    year = timezone.localdate().year

    # The leading group and the security office (ORG-2).
    services.appoint_member(so, body="leading_group", user=zhangwei, position="leader", started_on=_ago(400),
                            duties="对本单位保密工作负总责", reference="党组〔2025〕3号")  # fmt: skip
    m = services.appoint_member(so, body="leading_group", user=lina, position="member", started_on=_ago(400),
                                duties="协助抓好机关保密工作", reference="党组〔2025〕3号")  # fmt: skip
    services.change_member(so, m, position="deputy_leader", duties="分管保密工作，组织保密检查", on=_ago(60),
                           reason="领导分工调整")  # fmt: skip
    services.appoint_member(so, body="leading_group", user=so, position="member", started_on=_ago(400),
                            duties="承担领导小组日常工作")  # fmt: skip
    services.appoint_member(so, body="security_office", user=so, position="director", started_on=_ago(400),
                            duties="主持保密办工作：定密管理、载体管理、保密审查、监督检查")  # fmt: skip
    services.appoint_member(so, body="security_office", user=wangfang, position="staff", started_on=_ago(200),
                            duties="兼职保密员：涉密载体登记、信息公开保密审查初审")  # fmt: skip

    # This year's responsibility statements: signed, half signed, issued only, missing.
    for code, sides in [("OFFICE", 2), ("SECRECY", 2), ("GENERAL", 1), ("FINANCE", 0)]:
        dept = _d(code)
        if dept is None:
            continue
        st = services.issue_statement(so, department=dept, year=year)
        if sides >= 1 and dept.head_id:
            services.record_statement_signature(so, st, side="department", signed_on=timezone.localdate())
        if sides >= 2:
            services.record_statement_signature(
                so, st, side="unit", signed_on=timezone.localdate(), signatory=zhangwei
            )

    # The nine regulation templates, in force for over a year: reviews fell due.
    regs = services.load_template_regulations(so, approved_by=zhangwei, effective_on=_ago(400))
    for reg in regs[:7]:
        services.review_regulation(
            so, reg, outcome="kept", reviewed_on=_ago(20), note="经复审，制度仍然适用。"
        )
    first = regs[2].versions.first() if len(regs) > 2 else None
    if first is not None:
        services.revise_regulation(
            so, regs[2], version="2026年修订", effective_on=_ago(10), approved_by=zhangwei,
            change_note="增加信息公开保密审查“先审后发”和台账比对的要求。",
            text=first.text + "\n第十二条 拟公开信息一律先审后发，提交前须经系统与涉密事项台账比对。",
        )  # fmt: skip

    # Emergency plans: one drilled, one overdue, one new (SUP-9).
    leak = services.create_plan(so, kind="leak", title="泄密事件应急预案", version="2025版", effective_on=_ago(300),
                                approved_by=zhangwei, drill_interval_months=6,
                                text="一、发现泄密或可能泄密，立即采取补救措施；\n二、24小时内报告同级保密行政管理部门和上级主管部门；\n三、配合调查，做好记录。")  # fmt: skip
    services.record_drill(so, leak, held_on=_ago(45), scenario="机要文件传递途中疑似丢失",
                          participants=[lina, wangfang, liuyang], other_participants="办公室全体",
                          findings="报告链条顺畅，24小时内完成上报；载体清点耗时较长，需完善台账。")  # fmt: skip
    services.create_plan(so, kind="cyber", title="网络与数据安全事件应急预案", version="2025版", effective_on=_ago(400),
                         approved_by=zhangwei, drill_interval_months=12,
                         text="一、发现网络攻击或数据泄露立即断网隔离；\n二、保护现场，留存日志；\n三、按规定报告。")  # fmt: skip
    services.create_plan(so, kind="carrier_loss", title="涉密载体丢失应急预案", version="2026版", effective_on=_ago(30),
                         approved_by=lina, drill_interval_months=12,
                         text="一、立即组织查找；\n二、登记丢失情况并报告保密办；\n三、评估可能造成的危害。")  # fmt: skip

    # Publicity and education (SUP-11): the lecture counts as training.
    camp = services.create_campaign(so, title=f"{year}年保密宣传月", starts_on=_ago(20), ends_on=_ago(-10),
                                    description="以“保守国家秘密 维护国家安全”为主题，开展宣讲、竞赛和警示教育。")  # fmt: skip
    lecture = services.record_event(so, kind="lecture", title="保密形势与任务专题讲座", held_on=_ago(15), hours=2,
                                    place="机关三楼会议室", campaign=camp, counts_as_training=True)  # fmt: skip
    for person in (lina, wangfang, liuyang, chenjing):
        services.record_event_attendance(so, lecture, person)
    contest = services.record_event(
        so, kind="contest", title="保密知识竞赛", held_on=_ago(8), hours=1, campaign=camp
    )
    for person, score in ((wangfang, 96), (liuyang, 88), (chenjing, 91)):
        services.record_event_attendance(so, contest, person, score=score)
    services.record_event(so, kind="film", title="警示教育片《泄密之殇》观看", held_on=_ago(3), campaign=camp)
