"""Every carrier approval screen shows the history of the request (issue 13, CAR-4/5/6/9/11):
who filed it and why, who decided, when and why, and each later step — through the one shared
``kit/history.html`` (``{% request_history %}``); and the transfer list prints its 审批表 like
the other request lists."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baomi.carriers import services
from baomi.kit.requests import history
from tests.carriers.factories import make_carrier


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_approval_queue_shows_who_filed_and_why(org):
    carrier = make_carrier(org, scope=[org.case_handler])
    today = timezone.localdate()
    services.request_loan(org.case_handler, carrier, place="阅文室", due_on=today, reason="起草答复意见")
    services.request_take_out(org.case_handler, carrier, destination="市政府", abroad=False, reason="向市政府汇报",
                              protective_measures="专人携带，密码箱", leaves_on=today, returns_on=today)  # fmt: skip
    page = text_of(client_for(org.unit_head).get(reverse("carriers:approvals")).content.decode())
    assert page.count("办理经过（1 步）") == 2  # one history per request waiting for a decision
    assert "提出申请 case_handler 起草答复意见" in page and "提出申请 case_handler 向市政府汇报" in page


def test_a_decided_loan_shows_each_step_with_names_and_reasons(org):
    carrier = make_carrier(org, scope=[org.case_handler])
    req = services.request_loan(org.case_handler, carrier, place="阅文室", due_on=timezone.localdate(),
                                reason="起草答复意见")  # fmt: skip
    services.approve_loan(org.unit_head, req, note="同意，当日归还")
    services.return_carrier(org.staff_secret, carrier)
    req.refresh_from_db()
    steps = [(str(s["step"]), s["who"].username if s["who"] else None, s["note"]) for s in history(req)]
    assert steps == [("提出申请", "case_handler", "起草答复意见"), ("已批准", "unit_head", "同意，当日归还"),
                     ("交借阅人", "case_handler", ""), ("归还并清点", "staff_secret", "")]  # fmt: skip
    page = text_of(client_for(org.case_handler).get(reverse("carriers:approvals")).content.decode())
    assert "办理经过（4 步）" in page and "已批准 unit_head 同意，当日归还" in page


def test_destruction_and_transfer_screens_show_their_history(org):
    so = org.security_officer
    carrier = make_carrier(org)
    req = services.request_destruction(so, [carrier], reason="到期")
    services.reject_destruction(org.unit_head, req, note="尚在使用")
    page = client_for(so).get(reverse("carriers:destruction", args=[req.pk])).content.decode()
    assert 'id="request-history"' in page
    assert "提出申请 security_officer 到期" in text_of(page) and "已驳回 unit_head 尚在使用" in text_of(page)

    other = make_carrier(org, pages=3)
    t = services.send_carrier(org.staff_secret, other, receiver=org.case_handler, channel="jiyao_tongxin",
                              envelope_number="JY-9")  # fmt: skip
    sign = text_of(client_for(org.case_handler).get(reverse("carriers:sign", args=[t.pk])).content.decode())
    assert "发出 staff_secret" in sign and "JY-9" in sign
    # The transfer list prints the 审批表 of each transfer, like the other request lists.
    listing = client_for(org.case_handler).get(reverse("carriers:transfers")).content.decode()
    assert reverse("carriers:request-form", args=["transfer", t.pk]) in listing
    services.receive_carrier(org.case_handler, t, counted=3, note="完好")
    t.refresh_from_db()
    assert [str(s["step"]) for s in history(t)] == ["发出", "签收"] and history(t)[1]["note"] == "完好"
    listing = client_for(org.staff_secret).get(reverse("carriers:transfers")).content.decode()
    assert reverse("carriers:request-form", args=["transfer", t.pk]) in listing
