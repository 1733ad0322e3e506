"""Demo registry of classified items (CLS-1..11): every level, every status, the guide, a
dispute and an unclear matter, a holiday calendar, an annual review and notices.

Everything goes through the services with the demo people of ``accounts/demo.py``: 王芳
(wangfang) proposes, 李娜 (lina, 机密 authority) and 张伟 (zhangwei, unit head, 绝密 authority)
decide, 周敏 (secofficer) keeps the guide, the calendar and the scope. Each item has a unique
``reference`` (document number) so the carriers demo can find it: see ``REFERENCES``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from baomi.accounts import services as accounts
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import services, workdays
from baomi.classification.models import ClassificationRequest, GuideEntry, Item, Notice
from baomi.classification.services import determine
from baomi.core import levels
from baomi.core.levels import Level

GUIDE = [
    # code, matter, level, kind, value, unit, usual scope, 保密事项范围 reference
    ("BGS-01", "本单位党组会、局务会涉及重大决策的会议纪要及讨论情况", Level.SECRET, "period", 10, "year",
     "党组成员、列席人员", "本系统国家秘密及其密级具体范围 第三条第（一）项"),
    ("BGS-02", "尚未公布的干部任免、调整方案及考察材料", Level.SECRET, "condition", None, "",
     "党组成员、组织人事部门经办人员", "本系统国家秘密及其密级具体范围 第三条第（四）项"),
    ("BGS-03", "重大突发事件应急处置方案中的敏感内容", Level.TOP_SECRET, "period", 20, "year",
     "应急指挥部成员", "本系统国家秘密及其密级具体范围 第二条第（二）项"),
    ("CWS-01", "尚未批复的年度部门预算草案中涉及专项资金的内容", Level.CONFIDENTIAL, "period", 1, "year",
     "财务科、分管领导", "本系统国家秘密及其密级具体范围 第四条第（二）项"),
    ("ZCS-01", "正在研究制定、尚未公布的重要政策文件草案", Level.CONFIDENTIAL, "condition", None, "",
     "起草组成员", "本系统国家秘密及其密级具体范围 第五条第（一）项"),
    ("ZCS-02", "涉及国家安全的专项执法检查计划", Level.SECRET, "period", 5, "year",
     "执法检查组成员", "本系统国家秘密及其密级具体范围 第五条第（三）项"),
]  # fmt: skip

# (reference, title, level, duration, department, scope users, scope departments, guide code, status wish)
# duration: ("period", n, unit) | ("until", date) | ("condition", text) | None
ITEMS: list[tuple[Any, ...]] = [
    ("办〔2026〕1号", "关于2026年度重大项目布局的党组会议纪要", Level.SECRET, ("period", 10, "year"), "OFFICE",
     ["wangfang", "liuyang"], [], "BGS-01", "determined"),
    ("办〔2026〕2号", "市级领导干部调整方案（讨论稿）", Level.SECRET, ("condition", "任免决定正式公布后"), "OFFICE",
     ["wangfang"], [], "BGS-02", "determined"),
    ("办〔2026〕3号", "重大突发公共事件应急处置预案（敏感部分）", Level.TOP_SECRET, ("period", 20, "year"), "ORG",
     ["secofficer"], [], "BGS-03", "determined"),
    ("财〔2026〕1号", "2026年部门预算草案专项资金安排", Level.CONFIDENTIAL, ("period", 1, "year"), "FINANCE",
     ["chenjing", "liuyang"], ["FINANCE"], "CWS-01", "determined"),
    ("政〔2026〕1号", "关于优化营商环境若干措施（征求意见稿）", Level.CONFIDENTIAL,
     ("condition", "文件正式印发后"), "POLICY", ["wangfang"], ["POLICY"], "ZCS-01", "determined"),
    ("政〔2026〕2号", "2026年度专项执法检查计划", Level.SECRET, ("until", date(2027, 6, 30)), "POLICY",
     ["wangfang"], [], "ZCS-02", "determined"),
    ("办〔2026〕4号", "办公室年度工作要点（内部掌握）", Level.WORK_SECRET, None, "OFFICE", [], ["OFFICE"], None,
     "determined"),
    ("办〔2026〕5号", "机关内部通讯录", Level.INTERNAL, None, "OFFICE", [], [], None, "determined"),
    ("办〔2026〕6号", "关于开展保密宣传月活动的通知", Level.PUBLIC, None, "SECRECY", [], [], None, "determined"),
    ("办〔2026〕7号", "关于调整机关办公用房的请示（拟定密）", Level.CONFIDENTIAL, ("period", 2, "year"), "OFFICE",
     ["wangfang", "liuyang"], [], None, "proposed"),
    ("办〔2026〕8号", "涉外合作项目谈判底线方案", Level.TOP_SECRET, ("period", 10, "year"), "OFFICE",
     ["wangfang"], [], None, "pending_upward"),
    ("办〔2026〕9号", "机关食堂招标评分细则", Level.CONFIDENTIAL, ("period", 6, "month"), "GENERAL",
     ["liuyang"], [], None, "refused"),
    ("财〔2025〕12号", "2025年度预算执行情况分析（已届满）", Level.CONFIDENTIAL, ("period", 1, "year"), "FINANCE",
     ["chenjing"], [], "CWS-01", "expired"),
    ("政〔2025〕8号", "关于规范行政执法的实施意见（征求意见稿）", Level.CONFIDENTIAL,
     ("condition", "文件正式印发后"), "POLICY", ["wangfang"], [], "ZCS-01", "published"),
    ("办〔2025〕15号", "2025年度重点工作督查通报", Level.CONFIDENTIAL, ("period", 3, "year"), "OFFICE",
     ["wangfang", "liuyang"], [], None, "lifted"),
    ("办〔2026〕10号", "关于落实重大项目布局的工作方案", Level.SECRET, None, "OFFICE", ["liuyang"], [], None,
     "derived"),
    ("办〔2026〕11号", "2026年度保密工作要点", Level.CONFIDENTIAL, ("period", 2, "year"), "SECRECY",
     ["secofficer", "wangfang"], [], None, "extend_pending"),
]  # fmt: skip

REFERENCES = [row[0] for row in ITEMS]


def _duration(spec: Any) -> dict[str, Any] | None:
    if spec is None:
        return None
    if spec[0] == "period":
        return {"duration_kind": "period", "duration_value": spec[1], "duration_unit": spec[2]}
    if spec[0] == "until":
        return {"duration_kind": "until", "until_date": spec[1]}
    return {"duration_kind": "condition", "condition": spec[1]}


def load() -> None:
    """The demo register is history entered at once: before the training records (personnel's
    demo, which loads later, enters them — the authorities trained, the handler 王芳 not, so
    her new proposals are refused until she is, R-DET-12), and with items whose period has run
    out since (which a new proposal may not be, issue 12 §5)."""
    from django.conf import settings

    history = {"CLASSIFICATION_TRAINING_REQUIRED": False, "CLASSIFICATION_REFUSE_BORN_EXPIRED": False}
    saved = {name: getattr(settings, name) for name in history}
    for name, value in history.items():
        setattr(settings, name, value)
    try:
        _load()
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)


def _load() -> None:
    users = {u.username: u for u in User.objects.all()}
    depts = {d.code: d for d in Department.objects.all()}
    handler, lina, zhangwei, sec = users["wangfang"], users["lina"], users["zhangwei"], users["secofficer"]
    # CLS-4, CAR-3: the secretary drafts the unit's 绝密 papers below, so she is cleared for 绝密
    # (a handler may only propose levels within their own clearance).
    if not levels.dominates(handler.clearance, Level.TOP_SECRET):
        accounts.set_clearance(None, handler, Level.TOP_SECRET, bootstrap=True)
        handler.refresh_from_db()
    today = timezone.localdate()

    guide: dict[str, GuideEntry] = {}
    for code, title, level, kind, value, unit, scope, ref in GUIDE:
        guide[code] = services.create_guide_entry(
            sec, code=code, title=title, level=level, duration_kind=kind, duration_value=value, duration_unit=unit,
            scope_note=scope, basis_ref=ref, active=True,
        )  # fmt: skip

    # The year's holidays and make-up working days (调休) as the State Council published them
    # (the chinesecalendar package), for CLS-6 deadlines; the officer amends them on the calendar.
    for year in (today.year, today.year + 1):
        if workdays.published_covers(year):
            services.seed_calendar(sec, year)

    items: dict[str, Item] = {}
    for ref, title, level, spec, dept, scope_u, scope_d, code, wish in ITEMS:
        start = today - timedelta(days=30)
        if wish == "expired":
            start = today - timedelta(days=400)
        kwargs: dict[str, Any] = {}
        if wish == "derived":
            kwargs = {"origin": "derived", "sources": [items["办〔2026〕1号"]]}
        authority = zhangwei if level == Level.TOP_SECRET else lina
        with transaction.atomic():
            item = services.propose_item(
                handler, title=title, reference=ref, level=level, department=depts[dept], duration=_duration(spec),
                period_start=start if level not in (Level.PUBLIC, Level.INTERNAL) else None,
                guide_entry=guide.get(code or ""), basis_text="" if code or level in (
                    Level.PUBLIC, Level.INTERNAL, Level.WORK_SECRET) or wish == "derived"
                else "本系统国家秘密及其密级具体范围 第六条",
                scope_users=[users[u] for u in scope_u], scope_departments=[depts[d] for d in scope_d],
                reason="按一览表确定" if code else "承办人拟定", **kwargs,
            )  # fmt: skip
            req = item.requests.get()
            if wish == "pending_upward":
                determine._refer_upward(handler, item, req)  # R-DET-5: reported to the superior organ
            elif wish == "refused":
                services.refuse_request(lina, req, reason="不属于本系统保密事项范围，按工作秘密管理")
            elif wish != "proposed":
                services.approve_request(authority, req, reason="同意")
        items[ref] = item

    # Declassification: lifted early, published (R-DUR-8), expired (R-DECL-2).
    req = services.propose_change(
        handler, items["办〔2025〕15号"], kind="lift", reason="通报已在系统内公开，无需继续保密"
    )
    services.approve_request(lina, req, reason="同意解除")
    req = services.propose_change(handler, items["政〔2025〕8号"], kind="lift", reason="文件已正式印发",
                                  lift_ground="publication", evidence="市政府网站 2026年3月1日 政发〔2026〕3号")  # fmt: skip
    services.approve_request(lina, req, reason="同意")
    services.expire_items(today)

    # A change (level lowered) and a pending extension.
    req = services.propose_change(handler, items["财〔2026〕1号"], kind="change", reason="增加预算编审人员",
                                  add_users=[users["lina"]])  # fmt: skip
    services.approve_request(lina, req, reason="同意")
    services.propose_change(handler, items["办〔2026〕11号"], kind="extend", reason="年度工作延续",
                            duration={"duration_kind": "period", "duration_value": 3, "duration_unit": "year"})  # fmt: skip

    # An expansion request for the unit head and an approved one.
    x = services.request_expansion(handler, items["办〔2026〕1号"], person=users["chenjing"], reason="预算编制需要了解项目布局",
                                   ends_on=today + timedelta(days=90))  # fmt: skip
    _ = x
    y = services.request_expansion(handler, items["政〔2026〕2号"], person=users["liuyang"], reason="参加执法检查",
                                   starts_on=today, ends_on=today + timedelta(days=60))  # fmt: skip
    services.decide_expansion(zhangwei, y, approve=True, reason="同意，限检查期间")

    # A dispute (highest claim applies) and an unclear matter overdue for report.
    # The carriers demo relies on 财〔2026〕1号 staying 秘密: the dispute is about the work plan.
    dispute = services.open_matter(
        sec, items["办〔2026〕11号"], kind="dispute", description="对密级存在争议，争议期间按最高主张保护",
        claims=[{"party": "保密办", "level": Level.CONFIDENTIAL}, {"party": "上级机关", "level": Level.SECRET}],
    )  # fmt: skip
    _ = dispute
    unclear = services.open_matter(sec, items["政〔2026〕1号"], kind="unclear",
                                   description="保密事项范围未明确列举，已采取临时保密措施",
                                   set_on=today - timedelta(days=20))  # fmt: skip
    _ = unclear

    # The annual review with a few decisions already taken.
    campaign = services.open_review(sec, year=today.year, title=f"{today.year}年度定密事项审核")
    for row in campaign.decisions.select_related("item")[:2]:
        services.decide_review(lina if row.item.level != Level.TOP_SECRET else zhangwei, row, choice="keep",
                               note="仍需保密")  # fmt: skip

    # Some notices acknowledged, some not.

    for notice in Notice.objects.filter(recipient=users["liuyang"])[:2]:
        services.acknowledge_notice(users["liuyang"], notice)
    assert ClassificationRequest.objects.exists()
    record(None, AuditEvent.DEMO_LOADED, None, details={"part": "classification", "items": len(items)})
