"""Demo personnel data (PER-1..8): files in every state — onboarding, cleared, a pledge about
to lapse, exiting with the carriers the carriers demo gave them, in the separation period —
with agreements, training, travel abroad, rewards and penalties and violation reports.

Runs after the accounts, classification and carriers demos (core/demo.py PARTS). The exit case
goes to the staff member who holds the most carriers; without any carriers it goes to the
demo person 钱浩 and simply shows nothing outstanding.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from baomi.accounts import services as accounts
from baomi.accounts.choices import PersonType, Role
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.kit.demo import DEMO_PASSWORD
from baomi.personnel import selectors, services
from baomi.personnel.models import PersonnelFile

ACCOUNTS = [
    ("qianhao", "机要员, 综合科 (涉密人员档案演示: 离岗离职)"),
    ("zhoujie", "原机要秘书 (脱密期内, 账号已停用)"),
]

PLEDGE_TEXT = (
    "本人自愿成为涉密人员，郑重承诺：\n一、认真遵守国家保密法律、法规和规章制度，履行保密义务；\n"
    "二、不违规记录、存储、复制国家秘密信息，不违规留存涉密载体；\n三、不以任何方式泄露所接触和知悉的国家秘密；\n"
    "四、未经单位审查批准，不擅自发表涉及未公开工作内容的文章、著述；\n五、离岗离职时，主动清退涉密载体，接受脱密期管理。\n"
    "违反上述承诺，自愿承担党纪、政纪责任和法律后果。"
)
EXIT_TEXT = (
    "本人已清退全部涉密载体和设备，已接受保密提醒谈话，郑重承诺：\n一、离岗离职后继续履行保密义务，不泄露所知悉的国家秘密；\n"
    "二、在脱密期内遵守就业和出境的有关规定，自觉接受原单位管理；\n三、脱密期满后仍不以任何方式泄露国家秘密，不利用所知悉的国家秘密为任何组织和个人谋取利益。"
)


def _day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _extra_people() -> dict[str, User]:
    dept = Department.objects.filter(code="GENERAL").first() or Department.objects.first()
    office = Department.objects.filter(code="OFFICE").first() or dept
    made = {}
    for username, name, department, post in [
        ("qianhao", "钱浩", dept, "机要员"),
        ("zhoujie", "周洁", office, "原机要秘书"),
    ]:
        user = _user(username) or accounts.create_user(
            None, username=username, full_name=name, password=DEMO_PASSWORD, department=department,
            person_type=PersonType.EMPLOYEE, post=post, bootstrap=True,
        )  # fmt: skip
        accounts.assign_role(None, user, Role.STAFF, bootstrap=True)
        made[username] = user
    return made


def _onboard(so: Any, user: User, category: str, *, pledge: Any, course: Any, reviewed: int, signed: int,
             post: str, clear: bool = True) -> PersonnelFile:  # fmt: skip
    file = services.open_file(so, user, category=category, secret_post=post)
    services.record_review(so, file, kind="pre_assignment", result="passed", reviewed_on=_day(reviewed),
                           note="政治审查、保密审查合格。")  # fmt: skip
    services.record_attendance(so, course, user, score=92)
    services.sign_pledge(so, file, pledge, signed_on=_day(signed))
    if clear:
        services.clear_person(so, file)
    return file


def _exit_candidate(extra: dict[str, User]) -> User:
    """The staff member holding the most carriers (from the carriers demo), else 钱浩."""
    best, most = extra["qianhao"], 0
    for username in ("liuyang", "chenjing"):
        user = _user(username)
        if user is None:
            continue
        held = selectors.outstanding_carriers(user).count()
        if held > most:
            best, most = user, held
    return best


def load() -> None:
    so = _user("secofficer")
    if so is None:
        return
    extra = _extra_people()
    pledge_old = services.add_agreement_version(so, kind="pledge", version="2024版", text=PLEDGE_TEXT,
                                                effective_on=date(2024, 1, 1))  # fmt: skip
    pledge = services.add_agreement_version(so, kind="pledge", version="2026版",
                                            text=PLEDGE_TEXT + "\n六、使用智能终端时严格落实涉密不上网、上网不涉密。",
                                            effective_on=date(2026, 1, 1))  # fmt: skip
    exit_v = services.add_agreement_version(so, kind="exit", version="2026版", text=EXIT_TEXT,
                                            effective_on=date(2026, 1, 1))  # fmt: skip
    year = timezone.localdate().year
    course = services.create_session(so, title=f"{year}年度涉密人员保密教育培训", kind="course", held_on=_day(200),
                                     hours=4, organiser="保密办", has_exam=True, pass_mark=60)  # fmt: skip
    determination = services.create_session(so, title="定密责任人和承办人定密培训", kind="determination",
                                             held_on=_day(120), hours=3, organiser="市国家保密局",
                                             has_exam=True, pass_mark=70)  # fmt: skip
    lecture = services.create_session(so, title="新形势下的保密形势与任务专题讲座", kind="lecture",
                                      held_on=_day(60), hours=2, organiser="保密办")  # fmt: skip
    contest = services.create_session(so, title="保密知识竞赛", kind="contest", held_on=_day(30), hours=1,
                                      organiser="机关党委", has_exam=True)  # fmt: skip
    pre_trip = services.create_session(so, title="出国（境）前保密提醒教育", kind="pre_trip", held_on=_day(40),
                                       hours=1, organiser="保密办")  # fmt: skip

    files: dict[str, PersonnelFile] = {}
    plan = [("zhangwei", "core", "局长", 300, 300), ("lina", "important", "办公室主任", 320, 200),
            ("wangfang", "important", "机要秘书", 360, 352), ("liuyang", "general", "文书", 250, 250),
            ("qianhao", "general", "机要员", 300, 300)]  # fmt: skip
    for username, category, post, reviewed, signed in plan:
        user = _user(username) or extra.get(username)
        if user is None:
            continue
        files[username] = _onboard(so, user, category, pledge=pledge if signed < 365 else pledge_old,
                                   course=course, reviewed=reviewed, signed=signed, post=post)  # fmt: skip
    # 定密 training: the authorities passed; the case handler 王芳 has not (R-DET-12 gap shown).
    for username, score in [("zhangwei", 88), ("lina", 81)]:
        if username in files:
            services.record_attendance(so, determination, files[username].user, score=score)
    for f in files.values():
        services.record_attendance(so, lecture, f.user)
    for username, score in [("lina", 95), ("liuyang", 78), ("wangfang", 90)]:
        if username in files:
            services.record_attendance(so, contest, files[username].user, score=score)
    if "lina" in files:  # re-review due within a month
        services.record_review(so, files["lina"], kind="re_review", result="passed", reviewed_on=_day(350),
                               note="年度复审合格。")  # fmt: skip

    # Onboarding in progress: 陈静 has passed the review; training and pledge are still open.
    chenjing = _user("chenjing")
    if chenjing is not None:
        f = services.open_file(so, chenjing, category="general", secret_post="会计（涉密经费）")  # noqa: S106 - a post name
        services.record_review(so, f, kind="pre_assignment", result="passed", reviewed_on=_day(5),
                               note="拟调整至涉密岗位，审查合格。")  # fmt: skip

    # Exiting, with the carriers still held listed on the exit case.
    leaver = _exit_candidate(extra)
    lf = files.get(leaver.username) or PersonnelFile.objects.get(user=leaver)
    case = services.start_exit(so, lf, kind="exit", approved_on=_day(3), reason="调往其他单位工作")
    services.record_exit_interview(so, case, held_on=_day(2), note="已告知脱密期管理要求及违约责任。")
    services.record_exit_undertaking(so, case, exit_v, signed_on=_day(2))

    # In the separation period: 周洁 left a year ago; account disabled, 脱密期 3 years.
    zj = extra["zhoujie"]
    zf = _onboard(so, zj, "important", pledge=pledge_old, course=course, reviewed=700, signed=400, post="机要秘书",
                  clear=False)  # fmt: skip
    zcase = services.start_exit(so, zf, kind="exit", approved_on=_day(380), reason="辞职")
    services.record_exit_interview(so, zcase, held_on=_day(380))
    services.record_exit_undertaking(so, zcase, exit_v, signed_on=_day(380))
    services.revoke_exit_access(so, zcase)
    services.fix_separation(so, zcase, years=3)
    services.complete_exit(so, zcase)

    # Travel abroad: 李娜 back from a conference, report overdue; 王芳 waiting for opinions.
    zhangwei = _user("zhangwei")
    if "lina" in files and zhangwei is not None:
        lina = files["lina"].user
        services.record_attendance(so, pre_trip, lina)
        t = services.request_travel(lina, traveller=lina, destination="新加坡", purpose="参加国际电子政务研讨会",
                                    departs_on=_day(25), returns_on=_day(20))  # fmt: skip
        services.give_travel_opinion(zhangwei, t, side="personnel", opinion="agree", note="同意")
        services.give_travel_opinion(
            so, t, side="security", opinion="agree", note="同意，出行前完成保密提醒教育"
        )
        services.decide_travel(zhangwei, t, approve=True, note="同意")
        services.mark_departed(lina, t)
        services.mark_returned(lina, t, returned_on=_day(19))
    if "wangfang" in files:
        wf = files["wangfang"].user
        services.request_travel(wf, traveller=wf, destination="日本东京", purpose="因私旅游",
                                departs_on=_day(-23), returns_on=_day(-30))  # fmt: skip
    zt = services.request_travel(so, traveller=zj, destination="加拿大", purpose="探亲", departs_on=_day(-40),
                                 returns_on=_day(-60))  # fmt: skip
    if zhangwei is not None:
        services.give_travel_opinion(zhangwei, zt, side="personnel", opinion="agree")

    # Violation reports and what came of them.
    reporter = _user("liuyang") or extra["qianhao"]
    r1 = services.file_violation_report(reporter, kind="violation", occurred_on=_day(8), place="综合科办公室",
                                        description="有同事将标有密级的文件放在办公桌上过夜，未存入保密柜。")  # fmt: skip
    services.handle_violation_report(so, r1, open_incident=True, note="已约谈当事人，转保密事件处理")
    services.file_violation_report(_user("chenjing") or reporter, kind="leak", occurred_on=_day(1),
                                   place="工作微信群",
                                   description="工作微信群中出现疑似内部文件的照片，请核查。")  # fmt: skip
    if "wangfang" in files:
        services.record_sanction(so, user=files["wangfang"].user, kind="warning", decided_on=_day(4),
                                 reason="涉密文件未按规定存放", report=r1)  # fmt: skip
    services.record_sanction(so, user=files["liuyang"].user if "liuyang" in files else reporter,
                             kind="commendation", decided_on=_day(20), reason="保密知识竞赛一等奖",
                             merit="所在科室连续三年无失泄密事件")  # fmt: skip
    record(None, AuditEvent.DEMO_LOADED, None, details={"part": "personnel"})
