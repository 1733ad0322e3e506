"""Demo registry: carriers of the demo items in every state, pending requests for the
approvers, an unsigned transfer, a closed inventory with a missing carrier, a destruction list
— so a new user sees a living registry (CAR-1..11).

Uses the classification demo's items (unique ``reference`` values such as ``办〔2026〕1号``)
when they exist; otherwise it creates a few items itself. Every carrier change goes through
the carrier services, so the history and the audit trail are real.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.carriers import services
from baomi.carriers.choices import InventoryResult, TransferChannel
from baomi.carriers.services import content
from baomi.carriers.watermark import _font
from baomi.classification.marking import compute_mac
from baomi.classification.models import Item, ItemScope
from baomi.classification.selectors import in_scope
from baomi.core.levels import Level, dominates

# The classification demo's items this registry uses (same references, levels and scopes), and
# the fallback created here when that demo has not loaded: reference, title, level, years, scope.
ITEMS = [
    ("办〔2026〕1号", "关于2026年度重大项目布局的党组会议纪要", Level.SECRET, 10, ["wangfang", "liuyang"]),
    ("财〔2026〕1号", "2026年部门预算草案专项资金安排", Level.CONFIDENTIAL, 1, ["liuyang"]),
    ("办〔2026〕3号", "重大突发公共事件应急处置预案（敏感部分）", Level.TOP_SECRET, 20, ["secofficer"]),
    ("政〔2026〕2号", "2026年度专项执法检查计划", Level.SECRET, 1, ["wangfang"]),
]


def _users() -> dict[str, Any]:
    return {u.username: u for u in get_user_model().objects.filter(is_active=True)}


def _items(u: dict[str, Any]) -> list[Item]:
    found = []
    for reference, title, level, years, scope in ITEMS:
        item = Item.objects.filter(reference=reference).first()
        if item is None:
            item = Item.objects.create(
                title=title, reference=reference, level=level, duration_kind="period", duration_value=years,
                duration_unit="year", department=u["wangfang"].department, proposed_by=u["wangfang"],
                determined_by=u["zhangwei"], determined_at=timezone.now(), period_start=timezone.localdate(),
            )  # fmt: skip
            Item.objects.filter(pk=item.pk).update(status="determined")
            item.refresh_from_db()
            for name in scope:
                ItemScope.objects.create(
                    item=item, user=u[name], granted_by=u["zhangwei"], reason="承办和审核"
                )
            # R-CRYPTO-5: bind the mark as the classification services do, or the policy refuses it.
            item.mark_mac = compute_mac(item)
            Item.objects.filter(pk=item.pk).update(mark_mac=item.mark_mac)
        found.append(item)
    return found


def _first(item: Item, people: list[Any], *, scope: bool = True) -> Any:
    """The first person cleared for the item (and in its scope when asked): the classification
    demo decides levels and scopes, so the registry adapts to them."""

    for person in people:
        if _reaches(person.clearance, item.level) and (not scope or in_scope(person, item)):
            return person
    return None


def _reaches(clearance: str, level: str) -> bool:
    return dominates(clearance, level)


def _pdf(title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(_font(), 22)
    c.drawCentredString(A4[0] / 2, A4[1] - 260, title)
    c.setFont(_font(), 14)
    for i, line in enumerate(
        ["（演示文件，不含真实涉密信息）", "一、总体要求", "二、主要任务", "三、保障措施"]
    ):
        c.drawString(90, A4[1] - 320 - i * 28, line)
    c.showPage()
    c.save()  # lint: allow — a reportlab canvas, not a model
    return buf.getvalue()


def load() -> None:
    u = _users()
    if not {"secofficer", "zhangwei", "lina", "wangfang", "liuyang"} <= set(u):
        return  # the accounts demo did not load; nothing to attach carriers to
    so, head, lina, wang, liu = u["secofficer"], u["zhangwei"], u["lina"], u["wangfang"], u["liuyang"]
    today = timezone.localdate()
    minutes, budget, plan_ts, inspection = _items(u)
    reg = services.register_carrier
    # Who holds and borrows the budget depends on its level and scope (刘洋 when cleared).
    budget_reader = _first(budget, [liu, wang, lina]) or so
    budget_holder = _first(budget, [liu, wang, lina], scope=False) or so

    # 1. Paper copies of the minutes with 王芳, an electronic original with content, the budget
    #    and the inspection plan with the security office, the top secret plan with the unit head.
    paper = reg(
        so,
        item=minutes,
        kind="paper",
        custodian=wang,
        copies=5,
        storage_place="办公室保密柜A-01",
        pages=6,
        produced_at="办公室文印室",
        produced_on_device="涉密打印机 HP-M403（编号 DY-01）",
        originator="本单位办公室",
    )
    elec = reg(
        so,
        item=minutes,
        kind="electronic",
        custodian=wang,
        storage_place="涉密计算机 PC-07",
        produced_at="办公室",
        produced_on_device="涉密计算机 PC-07",
        originator="本单位办公室",
    )[0]
    content.upload_content(so, elec, io.BytesIO(_pdf(minutes.title)), content_type="application/pdf")
    budget_copies = reg(
        so,
        item=budget,
        kind="paper",
        custodian=so,
        copies=3,
        storage_place="保密办密件柜B-02",
        pages=4,
        produced_at="财务科",
        produced_on_device="涉密打印机 DY-02",
        originator="财政局",
    )
    reg(
        so,
        item=plan_ts,
        kind="paper",
        custodian=head,
        copies=2,
        storage_place="局长室保密柜",
        pages=30,
        produced_at="机要室",
        produced_on_device="涉密打印机 DY-00",
        originator="市应急管理局",
    )
    plan_paper = reg(
        so,
        item=inspection,
        kind="paper",
        custodian=so,
        copies=2,
        storage_place="保密办密件柜B-01",
        pages=8,
        produced_at="政策法规处",
        produced_on_device="涉密打印机 DY-03",
        originator="本单位",
    )
    device = reg(
        so,
        item=inspection,
        kind="device",
        custodian=so,
        storage_place="保密办设备间",
        produced_on_device="涉密笔记本 BJ-03",
        originator="本单位保密办",
    )[0]
    medium = reg(so, item=inspection, kind="medium", custodian=wang, storage_place="办公室保密柜A-02",
                 produced_on_device="专用U盘 U-12", originator="本单位保密办")[0]  # fmt: skip

    # 2. 王芳 has borrowed the inspection plan; 刘洋's loan of the budget is overdue.
    loan = services.request_loan(wang, plan_paper[0], place="办公室阅文室", due_on=today + dt.timedelta(days=7),
                                 reason="起草检查通知")  # fmt: skip
    services.approve_loan(head, loan, note="同意，按期归还")
    late = services.request_loan(
        # Due a day ahead, then made overdue below: ``today`` was read when the demo began, and a
        # demo that crossed midnight asked for a loan due "yesterday", which the service refuses.
        budget_reader,
        budget_copies[1],
        place="综合科阅文室",
        due_on=today + dt.timedelta(days=1),
        reason="核对预算数据",
    )
    services.approve_loan(head, late)
    type(late).objects.filter(pk=late.pk).update(
        due_on=today - dt.timedelta(days=3)
    )  # demo: one overdue loan

    # 3. Pending requests for the approvers' queues.
    services.request_copy(wang, paper[0], copies=2, reason="分送政策法规处两位同志", custodian=wang)
    services.request_loan(wang, plan_paper[1], place="办公室阅文室", due_on=today + dt.timedelta(days=3),
                          reason="对照检查计划")  # fmt: skip
    services.request_download(wang, elec, reason="在涉密计算机上修改定稿")

    # 4. A copy approved earlier (a child carrier with its own number).
    req = services.request_copy(wang, paper[3], copies=1, reason="存档备查", custodian=wang)
    services.approve_copy(head, req, note="同意")

    # 5. In transit by 机要通信, not yet signed for; one transfer signed.
    services.send_carrier(wang, paper[4], receiver=lina, channel=TransferChannel.CONFIDENTIAL_MAIL,
                          envelope_number="JY-2026-0117")  # fmt: skip
    sent = services.send_carrier(so, budget_copies[2], receiver=budget_holder, channel=TransferChannel.DESIGNATED_PERSON,
                                 envelope_number="ZR-2026-0031")  # fmt: skip
    services.receive_carrier(budget_holder, sent, counted=4, note="密封完好")

    # 6. Taken out (approved), under repair with a supervisor, sealed, archived.
    trip = reg(so, item=minutes, kind="paper", custodian=wang, storage_place="办公室保密柜A-01", pages=6,
               originator="本单位办公室")[0]  # fmt: skip
    out = services.request_take_out(wang, trip, destination="市政府第三会议室", abroad=False,
                                    protective_measures="专用密码箱，专人携带，会后当日带回", leaves_on=timezone.localdate(),
                                    returns_on=timezone.localdate() + dt.timedelta(days=1), reason="参加专题会议汇报")  # fmt: skip
    services.approve_take_out(head, out, note="同意")
    services.start_repair(so, device, technician="钱工", place="保密办设备间", fault="硬盘故障", outside=True,
                          company="某涉密资质维修公司", supervisor=so)  # fmt: skip
    services.seal_carrier(so, medium, place="保密办密件库3号柜", note="检查结束封存")
    services.archive_carrier(so, budget_copies[0], place="档案室涉密档案柜", note="办理完毕归档")

    # 7. Destroyed (approved, two witnesses, facility); a pending destruction list.
    extra = reg(
        so,
        item=minutes,
        kind="paper",
        custodian=wang,
        copies=2,
        storage_place="办公室保密柜A-01",
        pages=6,
        produced_at="办公室文印室",
        produced_on_device="涉密打印机 DY-01",
        originator="本单位办公室",
    )
    dreq = services.request_destruction(so, [extra[0]], reason="多余份数，无保存价值")
    services.approve_destruction(head, dreq, note="同意销毁")
    services.execute_destruction(so, dreq, method="facility", facility="市保密局涉密载体销毁中心", witness_1=head,
                                 witness_2=lina, destroyed_on=today)  # fmt: skip
    services.request_destruction(so, [extra[1]], reason="草稿，已定稿")

    # 8. A closed inventory in which one carrier was found missing (an incident is open).
    lost = reg(so, item=budget, kind="medium", custodian=budget_holder, storage_place="综合科保密柜C-02",
               produced_on_device="专用U盘 U-31", originator="财政局")[0]  # fmt: skip
    campaign = services.start_inventory(so, title=f"{today.year}年第一季度涉密载体清点",
                                        due_on=today + dt.timedelta(days=14))  # fmt: skip
    for entry in campaign.entries.select_related("carrier", "custodian").order_by("id"):
        if entry.carrier_id == lost.pk:
            services.check_inventory_entry(
                entry.custodian, entry, result=InventoryResult.MISSING, note="柜内未见，正在查找"
            )
        else:
            services.check_inventory_entry(entry.custodian, entry, result=InventoryResult.CONFIRMED)
    for custodian_id in sorted(set(campaign.entries.values_list("custodian_id", flat=True))):
        services.sign_inventory(get_user_model().objects.get(pk=custodian_id), campaign)
    services.close_inventory(so, campaign)

    # 9. A recall by an issuer: one carrier already handed back, the others outstanding.
    reg(
        so,
        item=budget,
        kind="paper",
        custodian=budget_holder,
        storage_place="综合科保密柜C-02",
        pages=4,
        originator="财政局",
    )
    recall = services.launch_recall(so, issuer="财政局", title="财政局2026年涉密文件清退",
                                    due_on=today + dt.timedelta(days=10))  # fmt: skip
    first = recall.entries.filter(carrier__status="registered").order_by("id").first()
    if first is not None:
        services.record_recall_return(so, first)

    # 10. Exchange with other units (发文 and 收文, issue 12 §3).
    _exchange(so, wang, budget_holder, minutes, budget, today)

    # 11. 财务科 keeps two copies of the office's 工作秘密 work points, so the start page of its
    #     head (cleared for 工作秘密) counts her department's carriers (OPS-1).
    work = Item.objects.filter(reference="办〔2026〕4号", level=Level.WORK_SECRET).first()
    chen = u.get("chenjing")
    if work is not None and chen is not None and _reaches(chen.clearance, work.level):
        reg(so, item=work, kind="paper", custodian=chen, copies=2, storage_place="财务科文件柜F-01", pages=12,
            produced_at="办公室文印室", originator="本单位办公室")  # fmt: skip


def _exchange(so: Any, wang: Any, budget_holder: Any, minutes: Item, budget: Item, today: dt.date) -> None:
    """The list of external units; a 秘密 dispatch with its receipt back, one whose receipt is
    overdue, a 机密 dispatch waiting for 李娜 (head of the office); a carrier received from the
    finance bureau with its number and 份号 kept."""
    from baomi.carriers.models import Dispatch

    units = {
        name: services.create_external_unit(so, name=name, code=code, contact=contact, address=address)
        for name, code, contact, address in [
            ("省国家保密局", "11330000002482", "机要室", "省府路1号"),
            ("市委办公室", "11330100002501", "机要科", "市民中心A座"),
            ("市财政局", "11330100002616", "办公室", "解放路18号"),
        ]
    }  # fmt: skip
    reg = services.register_carrier
    budget_copies = reg(so, item=budget, kind="paper", custodian=budget_holder, copies=2, pages=4,
                        storage_place="综合科保密柜C-02", originator="本单位综合科")  # fmt: skip
    done = services.request_dispatch(so, budget_copies[0], unit=units["市财政局"], channel="jiyao_tongxin",
                                     envelope_number="JY-2026-0031", reason="按要求报送预算执行情况",
                                     addressee="预算处")  # fmt: skip
    services.record_receipt(so, done, returned_on=today, signer="赵敏", note="封装完好")
    late = services.request_dispatch(so, budget_copies[1], unit=units["市委办公室"], channel="jiyao_jiaotong",
                                     envelope_number="JT-2026-0107", reason="报送专项资金安排")  # fmt: skip
    # The receipt has been expected for a while: the overdue list shows it.
    Dispatch.objects.filter(pk=late.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=20), receipt_due=today - dt.timedelta(days=5)
    )
    minutes_copy = reg(so, item=minutes, kind="paper", custodian=wang, pages=8, storage_place="办公室保密柜A-01",
                       originator="本单位办公室")[0]  # fmt: skip
    services.request_dispatch(wang, minutes_copy, unit=units["省国家保密局"], channel="jiyao_jiaotong",
                              envelope_number="JT-2026-0112", reason="按要求报送会议纪要")  # fmt: skip
    services.register_incoming(
        so, unit=units["市财政局"], their_number="财〔2026〕1号", their_copy_number="000005", item=budget,
        kind="paper", custodian=budget_holder, channel="jiyao_tongxin", received_on=today - dt.timedelta(days=2),
        envelope_number="JY-CZ-0419", pages=6, storage_place="综合科保密柜C-02",
    )  # fmt: skip
