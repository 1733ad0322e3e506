"""Demo publication reviews (SUP-3, R-PUB-1..4): requests in every state — with the department,
with a hit on a 绝密 title the department head (机密) may not see, with the security office,
referred to the secrecy bureau, approved, approved with redactions, published, withheld,
withdrawn, overdue, and a reply deadline extended — plus the security officer's keywords.

Runs after the accounts, classification and carriers demos (``demo_after``); the titles quoted
are the classification demo's items, so the screening finds them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baomi.accounts.models import User
from baomi.publication import services

MINUTES_TITLE = "关于2026年度重大项目布局的党组会议纪要"  # 机密, 办公室 (lina may see it)
TOP_TITLE = "重大突发公共事件应急处置预案（敏感部分）"  # 绝密, 本单位 (lina may not)
PLAN_TITLE = "2026年度专项执法检查计划"  # 机密, 政策法规处


def _u(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _submit(user: Any, title: str, text: str, *, days_ago: int = 0, **kw: Any) -> Any:
    today = timezone.localdate()
    kw.setdefault("channel", "website")
    kw.setdefault("deadline_kind", "proactive")
    return services.submit_request(user, title=title, text=text, intended_on=today + timedelta(days=5),
                                   formed_on=today - timedelta(days=days_ago), **kw)  # fmt: skip


def load() -> None:
    so, lina, wangfang, liuyang, chenjing, zhangwei = (
        _u("secofficer"), _u("lina"), _u("wangfang"), _u("liuyang"), _u("chenjing"), _u("zhangwei"),
    )  # fmt: skip
    if not all((so, lina, wangfang, liuyang, chenjing, zhangwei)):
        return
    for word, note in [
        ("天网工程", "在建项目代号"),
        ("内部掌握", "内部资料用语"),
        ("领导批示", "未公开的批示"),
    ]:
        services.add_keyword(so, text=word, note=note)

    # With the department (lina): a clean notice, and one quoting a 绝密 title lina may not see.
    _submit(
        wangfang,
        "2026年一季度政务服务工作情况通报",
        "一季度，本单位政务服务大厅共受理事项3.2万件，按时办结率99.6%。",
    )
    _submit(wangfang, "应急管理工作情况新闻通稿",
            f"近日，本单位召开应急管理工作会议，研究修订《{TOP_TITLE}》，部署汛期值守工作。")  # fmt: skip
    # Overdue with the department: formed 40 days ago, proactive disclosure due after 20 working days.
    _submit(
        wangfang, "2025年度政府信息公开工作年度报告", "2025年度本单位主动公开政府信息412条。", days_ago=40
    )

    # With the security office: forwarded by the department; a mobile number to look at.
    req = _submit(wangfang, "关于开展保密宣传月活动的通知（网站转载）",
                  "各处室：为增强保密意识，定于5月开展保密宣传月活动。联系人：王芳，13800138000。")  # fmt: skip
    services.review_department(lina, req, agree=True, reasons="内容属实，同意报保密办审查。")

    # A reply to an information request, its deadline extended with the unit head's approval.
    req = _submit(chenjing, "关于某企业申请公开补贴发放情况的答复", "经查，2025年度共向该企业发放稳岗补贴12万元。",
                  channel="info_request", deadline_kind="reply", days_ago=10)  # fmt: skip
    services.extend_deadline(zhangwei, req, days=20, reason="需征求第三方（申请涉及企业）意见。")

    # Referred to the secrecy bureau: it quotes the 机密 inspection plan.
    req = _submit(liuyang, "专项执法检查工作动态", f"根据{PLAN_TITLE}，本月起开展重点领域执法检查。")
    services.refer_request(so, req, referred_to="secrecy_bureau", authority="市国家保密局",
                           question="检查工作动态是否涉及检查计划中的国家秘密事项？")  # fmt: skip

    # Approved, and approved with redactions (an identity card number removed).
    req = _submit(
        chenjing, "2025年度部门决算公开说明", "2025年度本部门决算收入合计1.26亿元，支出合计1.21亿元。"
    )
    services.decide_request(so, req, outcome="approve", reasons="不涉及国家秘密和工作秘密，同意公开。")
    req = _submit(liuyang, "优秀志愿者表彰名单", "刘洋（身份证号11010519491231002X），综合科；陈静，财务科。")
    services.decide_request(so, req, outcome="approve_redacted", reasons="删除个人身份证号码后同意公开（R-PUB-4）。",
                            redacted_text="刘洋，综合科；陈静，财务科。")  # fmt: skip

    # Published: the approved file recorded on the website, by its digest.
    req = _submit(liuyang, "机关开放日活动公告", "本单位定于6月15日举办机关开放日活动，欢迎市民报名参加。",
                  uploads=[SimpleUploadedFile("开放日安排.txt", "上午参观政务服务大厅，下午座谈交流。".encode())])  # fmt: skip
    req = services.decide_request(so, req, outcome="approve", reasons="同意公开。")
    assert req.approved_version is not None
    services.record_publication(liuyang, req, where="门户网站/通知公告", published_on=timezone.localdate(),
                                digest=req.approved_version.digest)  # fmt: skip

    # Withheld: it names a 机密 item; re-assessed once already.
    req = _submit(wangfang, "重大项目推进情况", f"根据《{MINUTES_TITLE}》精神，重大项目已完成选址。")
    services.review_department(lina, req, agree=True, reasons="涉及会议纪要内容，请保密办审定。")
    req = services.decide_request(so, req, outcome="refuse", ground="state_secret",
                                  reasons="内容涉及机密级会议纪要，属于国家秘密，不予公开（R-PUB-2）。")  # fmt: skip
    services.reassess_withheld(so, req, release=False, reasons="项目尚未公布，继续不予公开。")

    # Withdrawn by the submitter.
    req = _submit(chenjing, "财务科人员调整情况", "财务科近期人员调整如下。")
    services.withdraw_request(chenjing, req, reason="内容尚未确定")
