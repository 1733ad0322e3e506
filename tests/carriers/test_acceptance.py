"""Acceptance audit of CAR-1..7: gaps found by trying bad input through the service, the API,
the CLI and the pages — each test here failed before its fix."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baomi.carriers import services
from baomi.carriers.models import Carrier, RegistrySequence
from baomi.classification.models import ItemScope
from baomi.cli import main
from baomi.core.errors import ValidationFailed
from tests.carriers.factories import make_carrier, make_item
from tests.support.integrity import bind

pytestmark = pytest.mark.django_db
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _api(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def _field_error(response, field: str) -> str:
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["code"] == "invalid"
    return str(body["fields"][field][0])


# --- text longer than the column: a structured 400, never a 500 on PostgreSQL ----------------


def test_api_refuses_overlong_registration_text(org, api_client):
    """CAR-1, SEC-7: a title or storage place longer than the register keeps is a 400 naming
    the field (on PostgreSQL it was a DataError and a 500), and nothing is registered."""
    item = make_item(org)
    c = _api(api_client, org.security_officer)
    base = {"item": item.pk, "kind": "paper", "custodian": org.staff_secret.pk}
    assert CHINESE.search(_field_error(c.post("/api/v1/carriers/", {**base, "title": "题" * 301}, format="json"),
                                       "title"))  # fmt: skip
    _field_error(
        c.post("/api/v1/carriers/", {**base, "storage_place": "柜" * 201}, format="json"), "storage_place"
    )
    _field_error(c.post("/api/v1/carriers/", {**base, "produced_on_device": "机" * 201}, format="json"),
                 "produced_on_device")  # fmt: skip
    assert not Carrier.objects.filter(item=item).exists()


def test_api_refuses_overlong_loan_and_transfer_text(org, api_client):
    """CAR-5, CAR-6, SEC-7: an overlong place of reading or envelope number is a 400 with the
    field named, not a 500; the carrier stays in custody."""
    carrier = make_carrier(org, scope=[org.case_handler])
    r = _api(api_client, org.case_handler).post(
        f"/api/v1/carriers/{carrier.pk}/lend/", {"place": "阅" * 201, "due_on": TOMORROW, "reason": "学习"},
        format="json",
    )  # fmt: skip
    _field_error(r, "place")
    r = _api(api_client, org.staff_secret).post(
        f"/api/v1/carriers/{carrier.pk}/transfer/",
        {"receiver": org.case_handler.pk, "channel": "jiyao_tongxin", "envelope_number": "9" * 51}, format="json",
    )  # fmt: skip
    _field_error(r, "envelope_number")
    assert Carrier.objects.get(pk=carrier.pk).status == "registered"


# --- messages of the API are Chinese ---------------------------------------------------------


def test_api_unknown_person_and_item_messages_are_chinese(org, api_client):
    """CAR-1, CAR-5, SEC-7: an unknown receiver, custodian or item is explained in Chinese
    (it was the English "Unknown person." / "Unknown item.")."""
    carrier = make_carrier(org)
    r = _api(api_client, org.staff_secret).post(
        f"/api/v1/carriers/{carrier.pk}/transfer/",
        {"receiver": 999999, "channel": "jiyao_tongxin", "envelope_number": "JY-1"}, format="json",
    )  # fmt: skip
    message = _field_error(r, "receiver")
    assert CHINESE.search(message) and "Unknown" not in message
    c = _api(api_client, org.security_officer)
    r = c.post("/api/v1/carriers/", {"item": 999999, "kind": "paper", "custodian": org.staff_secret.pk},
               format="json")  # fmt: skip
    assert CHINESE.search(_field_error(r, "item"))
    r = c.post("/api/v1/carriers/", {"item": make_item(org).pk, "kind": "paper", "custodian": 999999},
               format="json")  # fmt: skip
    assert CHINESE.search(_field_error(r, "custodian"))


# --- CAR-1: the date made cannot lie in the future -------------------------------------------


def test_registration_refuses_a_date_made_in_the_future(org):
    """CAR-1: the date made is a fact of the past and fixes the year of the registry number; a
    future date (which made numbers like 2099-纸-000001) is refused and uses no number."""
    item = make_item(org)
    future = timezone.localdate() + dt.timedelta(days=400)
    with pytest.raises(ValidationFailed) as exc:
        services.register_carrier(org.security_officer, item=item, kind="paper", custodian=org.staff_secret,
                                  made_on=future)  # fmt: skip
    assert "made_on" in exc.value.fields
    assert not RegistrySequence.objects.filter(year=future.year).exists()
    assert not Carrier.objects.filter(item=item).exists()


def test_register_page_explains_a_future_date_made_in_chinese(org):
    """CAR-1: the registration page keeps the form and shows the Chinese reason at the field."""
    item = make_item(org)
    c = Client()
    c.force_login(org.security_officer)
    r = c.post(reverse("carriers:register"), {
        "item": item.pk, "kind": "paper", "copies": 1, "custodian": org.staff_secret.pk, "storage_place": "保密柜A-01",
        "made_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
    })  # fmt: skip
    assert r.status_code == 200
    assert "制作日期不能晚于今天" in r.content.decode()
    assert not Carrier.objects.filter(item=item).exists()


# --- CAR-3/CAR-4: copies go only to someone in the need-to-know scope -------------------------


def test_copy_custodian_outside_the_scope_is_refused(org):
    """CAR-3, CAR-4, R-SCOPE-2: the custodian of copies holds and may read them, so naming a
    cleared person outside the item's scope is refused (that would widen the scope without an
    expansion request); the requester, the original's custodian and people in scope may hold
    them."""
    carrier = make_carrier(org, scope=[org.case_handler, org.dept_head])
    with pytest.raises(ValidationFailed) as exc:
        services.request_copy(org.case_handler, carrier, reason="分送", custodian=org.staff_other_dept)
    assert "custodian" in exc.value.fields
    assert services.request_copy(org.case_handler, carrier, reason="分送", custodian=org.dept_head).pk
    assert services.request_copy(org.case_handler, carrier, reason="分送", custodian=org.staff_secret).pk


def test_copy_approval_rechecks_the_custodians_scope(org):
    """CAR-3, CAR-4: if the named custodian left the scope after the request, the approval is
    refused and no copy is registered."""
    carrier = make_carrier(org, scope=[org.case_handler, org.dept_head])
    req = services.request_copy(org.case_handler, carrier, reason="分送", custodian=org.dept_head)
    ItemScope.objects.filter(item=carrier.item, user=org.dept_head).delete()
    bind(carrier.item)  # the scope recorded as the services would: refused for the scope, not the MAC
    with pytest.raises(ValidationFailed):
        services.approve_copy(org.unit_head, req)
    assert not Carrier.objects.filter(parent=carrier).exists()


def test_copy_page_refuses_an_outside_custodian_in_chinese(org):
    """CAR-4: the copy form shows the Chinese reason at the custodian field."""
    carrier = make_carrier(org, scope=[org.case_handler])
    c = Client()
    c.force_login(org.case_handler)
    r = c.post(reverse("carriers:action", args=[carrier.pk, "copy"]),
               {"kind": "copy", "copies": 1, "reason": "分送", "custodian": org.staff_other_dept.pk})  # fmt: skip
    assert r.status_code == 200
    assert "知悉范围" in r.content.decode()


# --- CAR-1 through the CLI: date made, place and device of production -----------------------


def test_cli_register_records_date_place_and_device(org, capsys):
    """CAR-1, R-CAR-1: ``baomi carriers register`` records the date made, where and on which
    device the carrier was produced, and a title."""
    item = make_item(org)
    made_on = timezone.localdate() - dt.timedelta(days=2)
    assert main(["carriers", "register", "--as", "security_officer", "--item", str(item.pk), "--kind", "paper",
                 "--custodian", "staff_secret", "--made-on", made_on.isoformat(), "--produced-at", "机要室",
                 "--device", "涉密打印机 P-01", "--title", "会议纪要"]) == 0  # fmt: skip
    carrier = Carrier.objects.get(item=item)
    assert (carrier.made_on, carrier.produced_at, carrier.produced_on_device, carrier.title) == (
        made_on,
        "机要室",
        "涉密打印机 P-01",
        "会议纪要",
    )


def test_cli_register_unknown_item_is_explained_in_chinese(org, capsys):
    """CAR-1, SEC-7: an unknown item is refused with a translated message (exit 1)."""
    assert main(["carriers", "register", "--as", "security_officer", "--item", "999999", "--kind", "paper",
                 "--custodian", "staff_secret"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "错误" in err and CHINESE.search(err.replace("错误", ""))


# --- CAR-7: a print is made from an electronic file, never a paper copy without approval -------


def test_printing_a_paper_document_is_refused(org):
    """CAR-4, CAR-7: registering a "print" of a paper document would make paper copies without
    the unit head's approval; it is refused (use a copy request) and no carrier is made. A
    print of an electronic file or a storage medium is registered as before."""
    paper = make_carrier(org, scope=[org.case_handler])
    with pytest.raises(ValidationFailed):
        services.register_print(org.case_handler, paper, copies=2, device="涉密打印机P-02")
    assert not Carrier.objects.filter(parent=paper).exists()
    medium = make_carrier(org, kind="medium", scope=[org.case_handler])
    rec = services.register_print(org.case_handler, medium, copies=1, device="涉密打印机P-02")
    assert [p.kind for p in rec.prints.all()] == ["paper"]


def test_print_is_not_offered_for_paper_and_the_api_explains_it(org, api_client):
    """CAR-4, CAR-7: the carrier page offers no print button for a paper document, and the API
    answers a structured 400 in Chinese."""
    paper = make_carrier(org, scope=[org.case_handler])
    electronic = make_carrier(org, kind="electronic", scope=[org.case_handler])
    c = Client()
    c.force_login(org.case_handler)
    print_url = reverse("carriers:action", args=[paper.pk, "print"])
    assert print_url not in c.get(reverse("carriers:detail", args=[paper.pk])).content.decode()
    assert (
        reverse("carriers:action", args=[electronic.pk, "print"])
        in c.get(reverse("carriers:detail", args=[electronic.pk])).content.decode()
    )
    r = _api(api_client, org.case_handler).post(
        f"/api/v1/carriers/{paper.pk}/print/", {"copies": 1, "device": "P-02"}, format="json"
    )
    assert r.status_code == 400 and CHINESE.search(r.json()["error"]["message"])


# --- CAR-2, R-SCOPE-3: reading a carrier's content puts the reader on the 知悉记录 --------------


def test_content_reads_appear_on_the_knowledge_record(org):
    """CAR-2, R-SCOPE-3: everyone who reads, downloads or prints a 机密 carrier's content is on
    its item's 知悉记录 (the carriers audit with ``item_id``; the record looked for ``item``
    only, so carrier reads were missing). Approving a download is not a read."""
    import io

    from baomi.carriers.services import content
    from baomi.classification.selectors import knowledge_record
    from tests.carriers.test_content import a_pdf

    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler, org.dept_head])
    content.upload_content(org.staff_secret, carrier, io.BytesIO(a_pdf()), content_type="application/pdf")
    carrier.refresh_from_db()
    content.view_content(org.case_handler, carrier)
    req = services.request_download(org.dept_head, carrier, reason="办文")
    services.approve_download(org.unit_head, req)
    content.download_content(org.dept_head, carrier)
    rows = {row["user_id"]: row for row in knowledge_record(carrier.item)}
    assert "content" in rows[org.case_handler.pk]["how"] and rows[org.case_handler.pk]["reads"] >= 1
    assert "content" in rows[org.dept_head.pk]["how"]
    assert org.unit_head.pk not in rows


# --- CAR-6: a loan is not approved after its due date ----------------------------------------


def test_loan_cannot_be_approved_after_its_due_date(org):
    """CAR-6: approving a request whose due date has passed would lend a carrier that is overdue
    at once; the approval is refused with a Chinese message (on the page too) and the carrier
    stays in custody."""
    from baomi.carriers.models import LoanRequest

    carrier = make_carrier(org, scope=[org.case_handler])
    loan = services.request_loan(org.case_handler, carrier, place="阅文室", due_on=timezone.localdate(),
                                 reason="学习")  # fmt: skip
    LoanRequest.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    loan.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.approve_loan(org.unit_head, loan)
    c = Client()
    c.force_login(org.unit_head)
    r = c.post(reverse("carriers:decide", args=["loan", loan.pk, "approve"]), follow=True)
    assert r.status_code == 200 and "归还期限已过" in r.content.decode()
    assert Carrier.objects.get(pk=carrier.pk).status == "registered"
    assert LoanRequest.objects.get(pk=loan.pk).status == "pending"


# --- CAR-3: a refused look-up through the CLI is audited like one through the pages ----------


def test_cli_show_of_a_carrier_out_of_reach_is_audited(org, capsys):
    """CAR-3: ``baomi carriers show`` of a carrier the operator may not see answers like an
    unknown number (exit 1) and the refusal is audited — it was refused silently."""
    from baomi.audit.events import AuditEvent
    from tests.support.assertions import assert_audited, last_audit_id

    carrier = make_carrier(org)
    since = last_audit_id()
    assert main(["carriers", "show", "--as", "staff_other_dept", carrier.registry_number]) == 1
    assert "未找到" in capsys.readouterr().err
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_other_dept, outcome="denied", since=since)
    since = last_audit_id()
    assert main(["carriers", "show", "--as", "staff_other_dept", "2026-纸-999999"]) == 1
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_other_dept, outcome="denied", since=since)
    assert main(["carriers", "show", "--as", "staff_secret", carrier.registry_number]) == 0


# --- CAR-5/CAR-6 through the API: the unsigned and overdue lists -----------------------------


def test_api_lists_unsigned_transfers_and_overdue_loans(org, api_client):
    """CAR-5, CAR-6: the API lists unsigned transfers and overdue loans (the pages and the CLI
    did; GET on the API answered 404), each filtered by the policy."""
    from baomi.carriers.models import LoanRequest

    sent = make_carrier(org)
    t = services.send_carrier(org.staff_secret, sent, receiver=org.case_handler, channel="jiyao_tongxin",
                              envelope_number="JY-9")  # fmt: skip
    lent = make_carrier(org, scope=[org.case_handler])
    loan = services.request_loan(
        org.case_handler, lent, place="阅文室", due_on=timezone.localdate(), reason="学"
    )
    services.approve_loan(org.unit_head, loan)
    LoanRequest.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    so = _api(api_client, org.security_officer)
    r = so.get("/api/v1/carrier-transfers/unsigned/")
    assert r.status_code == 200, r.content
    rows = r.json()["results"]
    assert [(x["id"], x["envelope_number"], x["registry_number"]) for x in rows] == [
        (t.pk, "JY-9", sent.registry_number)
    ]
    r = so.get("/api/v1/carrier-loans/overdue/")
    assert r.status_code == 200, r.content
    assert [(x["id"], x["place"]) for x in r.json()["results"]] == [(loan.pk, "阅文室")]
    outsider = _api(api_client, org.staff_other_dept)
    assert outsider.get("/api/v1/carrier-transfers/unsigned/").json()["results"] == []
    assert outsider.get("/api/v1/carrier-loans/overdue/").json()["results"] == []
