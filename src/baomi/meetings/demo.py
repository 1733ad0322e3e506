"""Demo secret meeting (SUP-12, R-SITE-2), consistent with the carriers demo: the 机密 special
meeting on this year's key projects in the classified meeting room, approved by the unit head;
two copies of the minutes issued to a cleared attendee in their scope — one recovered, one not
yet, so the meeting cannot close and the security officer sees it on the start page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from baomi.carriers import services as carriers
from baomi.classification.models import Item
from baomi.classification.selectors import in_scope
from baomi.core.levels import Level, dominates
from baomi.meetings import services
from baomi.meetings.models import MeetingApproval
from baomi.sites.models import KeyPlace


def load() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    if "secofficer" in users:
        # The carriers demo wrote its storage places before the cabinets were registered: link
        # them, as an office does once its cabinets are in the register (docs/registers.md).
        carriers.link_storage_places(users["secofficer"])
    venue = KeyPlace.objects.filter(code="KP-06").first()
    item = Item.objects.filter(reference="办〔2026〕1号").first()
    if venue is None or item is None or not {"secofficer", "zhangwei"} <= set(users):
        return
    so, head, now = users["secofficer"], users["zhangwei"], timezone.now()
    reader = next((users[n] for n in ("wangfang", "lina", "liuyang") if n in users
                   and dominates(users[n].clearance, item.level) and in_scope(users[n], item)), None)  # fmt: skip
    if reader is None or not dominates(so.clearance, item.level):
        return
    meeting = services.plan_meeting(
        so, title="2026年度重大项目布局专题会议", level=Level.SECRET if item.level != Level.TOP_SECRET else item.level,
        plan="会前核验参会人员身份并进行保密提醒；禁止携带手机等通信设备入场；会议材料编号发放、会后当场清点收回；"
             "会场使用屏蔽设施，不录音录像。",
        venue=venue, starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1),
        equipment="会场屏蔽器、涉密投影仪", remote=False,
    )  # fmt: skip
    attendee = services.add_attendee(so, meeting, user=reader)
    if "lina" in users and users["lina"] != reader and dominates(users["lina"].clearance, meeting.level):
        services.add_attendee(so, meeting, user=users["lina"])
    copies = carriers.register_carrier(so, item=item, kind="paper", custodian=so, copies=2,
                                       storage_place="保密办密件柜B-01", pages=6, originator="本单位办公室")  # fmt: skip
    issues = [services.issue_carrier(so, meeting, carrier=c, attendee=attendee) for c in copies]
    services.approve_meeting(head, MeetingApproval.objects.get(meeting=meeting), reason="同意保密方案")
    services.open_meeting(so, meeting)
    for a in meeting.attendees.all():
        services.check_attendee(so, a)
    for issue in issues:
        services.hand_out(so, issue)
    services.recover_carrier(so, issues[0])  # the second copy is still out
