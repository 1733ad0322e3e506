"""Acceptance findings for CAR-8..13 (inventory, repair/take-out/recall, sealing/archiving,
destruction, ledgers, marks): each test pins a behaviour the audit found missing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from baomi.audit.events import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import RequestStatus
from baomi.carriers.models import InventoryCampaign, RecallCampaign
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _dates_of_the_day_the_test_runs() -> None:
    """The day each test runs, not the day the module was collected: a suite that crosses
    midnight would otherwise ask for days already past."""
    global TODAY, YESTERDAY
    TODAY = timezone.localdate()
    YESTERDAY = TODAY - dt.timedelta(days=1)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_destruction_decision_note_with_nul_byte_is_refused_with_a_message(org):
    """CAR-11: the approval note of a destruction list goes through its form; a NUL byte (which
    PostgreSQL cannot store) is refused with a Chinese message, never a 500, and nothing is decided."""
    carrier = make_carrier(org)
    req = services.request_destruction(org.security_officer, [carrier], reason="到期")
    r = client_for(org.unit_head).post(
        reverse("carriers:destruction", args=[req.pk]), {"step": "reject", "note": "a\x00b"}
    )
    assert r.status_code == 302
    assert any("空字符" in m for m in _messages(r))
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_review_notice_note_with_nul_byte_is_refused_with_a_message(org):
    """CAR-10: the note on handling an archiving review notice is validated before it is audited;
    a NUL byte gives a Chinese message, not a 500, and the notice stays open."""
    carrier = make_carrier(org)
    review = services.archive_carrier(org.security_officer, carrier, place="档案室")
    r = client_for(org.authority_top_secret).post(
        reverse("carriers:handle-review", args=[review.pk]), {"note": "a\x00b"}
    )
    assert r.status_code == 302
    assert any("空字符" in m for m in _messages(r))
    review.refresh_from_db()
    assert review.handled_at is None


def test_recall_return_with_malformed_entry_id_is_not_found(org):
    """CAR-9: a malformed recall entry id looks like not found, not an English error message."""
    make_carrier(org, originator="省委办公厅")
    campaign = services.launch_recall(org.security_officer, issuer="省委办公厅", title="清退", due_on=TODAY)
    r = client_for(org.security_officer).post(
        reverse("carriers:recall", args=[campaign.pk]), {"entry": "abc"}
    )
    assert r.status_code == 404
    assert campaign.entries.filter(returned_at__isnull=False).count() == 0


def test_top_secret_carrier_cannot_be_taken_abroad(org):
    """CAR-9, R-CAR-12 (5): a 绝密 carrier is not carried abroad — the request is refused in
    Chinese (service and API), while taking it out inside the country still works."""
    top = make_carrier(org, Level.TOP_SECRET, custodian=org.security_officer)
    kw = {"destination": "日内瓦", "protective_measures": "专用密码箱，两人同行", "leaves_on": TODAY,
          "returns_on": TODAY, "reason": "国际会议"}  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        services.request_take_out(org.security_officer, top, abroad=True, **kw)
    assert "abroad" in exc.value.fields
    r = api_for(org.security_officer).post(
        f"/api/v1/carriers/{top.pk}/take-out/", {**kw, "abroad": True, "leaves_on": TODAY.isoformat(),
                                                 "returns_on": TODAY.isoformat()}, format="json")  # fmt: skip
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["abroad"] == ["绝密级载体不得携带出境。"]
    req = services.request_take_out(
        org.security_officer, top, abroad=False, **{**kw, "destination": "市政府"}
    )
    assert req.status == RequestStatus.PENDING


def test_destruction_list_pdf_has_copy_number_on_line_1_and_full_mark_on_line_2(org):
    """CAR-13, R-MARK-5: the 销毁清单 PDF puts a six-digit 份号 (its export's audit number) on
    line 1 and the mark with its period (密级★保密期限) on line 2, top-left, and carries the
    exporter's watermark."""
    carrier = make_carrier(org)
    req = services.request_destruction(org.security_officer, [carrier], reason="到期")
    services.approve_destruction(org.unit_head, req)
    since = last_audit_id()
    r = client_for(org.security_officer).get(reverse("carriers:destruction-pdf", args=[req.pk]))
    text = PdfReader(io.BytesIO(b"".join(r.streaming_content))).pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    entry = assert_audited(AuditEvent.DESTRUCTION_LIST_EXPORTED, req, org.security_officer, since=since)
    assert lines[0] == entry.details["number"]  # the list's own 份号 (issue 12 §4)
    assert lines[1] == "机密★10年"
    assert "security_officer" in text and f"销毁清单#{req.pk}" in text


def test_destruction_list_prints_full_titles_and_breaks_pages(org):
    """Issue 13: the 销毁清单 wraps long titles and document numbers in full (they were cut at
    26 and 14 characters) and breaks pages where the rows stop fitting."""
    long_title = (
        "关于二〇二六年度全市保密工作专项检查发现问题整改落实情况及下一步工作安排意见的报告（征求意见稿）"
    )
    item = make_carrier(org).item
    carriers = services.register_carrier(org.security_officer, item=item, kind="paper", custodian=org.staff_secret,
                                         copies=40, storage_place="保密柜A-01", pages=3, title=long_title)  # fmt: skip
    req = services.request_destruction(org.security_officer, carriers, reason="到期")
    services.approve_destruction(org.unit_head, req)
    r = client_for(org.security_officer).get(reverse("carriers:destruction-pdf", args=[req.pk]))
    pages = PdfReader(io.BytesIO(b"".join(r.streaming_content))).pages
    assert len(pages) >= 3
    text = "".join("".join(p.extract_text().split()) for p in pages)
    assert text.count(long_title) == 40
    assert text.count(item.reference) >= 40 and f"第1/{len(pages)}页" in text and "载体合计：40件" in text


def test_api_unknown_witness_is_reported_in_chinese(org):
    """CAR-11: naming an unknown witness through the API gives a structured error in Chinese."""
    carrier = make_carrier(org)
    req = services.request_destruction(org.security_officer, [carrier], reason="到期")
    services.approve_destruction(org.unit_head, req)
    r = api_for(org.security_officer).post(
        f"/api/v1/carrier-destructions/{req.pk}/execute/",
        {"method": "shredding", "witness_1": 999999, "witness_2": org.staff_secret.pk}, format="json",
    )  # fmt: skip
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["witness_1"] == ["没有此人员，或您无权选择此人员。"]


def test_campaign_deadline_in_the_past_is_refused(org):
    """CAR-8, CAR-9: an inventory or a recall cannot be due before it starts; the form says so
    in Chinese and no campaign is created."""
    make_carrier(org, originator="省委办公厅")
    so = client_for(org.security_officer)
    r = so.post(reverse("carriers:inventories"), {"title": "年度清点", "due_on": YESTERDAY.isoformat()})
    assert r.status_code == 200 and "完成期限不能早于今天。" in r.content.decode()
    r = so.post(
        reverse("carriers:recalls"),
        {"issuer": "省委办公厅", "title": "清退", "due_on": YESTERDAY.isoformat()},
    )
    assert r.status_code == 200 and "完成期限不能早于今天。" in r.content.decode()
    assert not InventoryCampaign.objects.exists() and not RecallCampaign.objects.exists()


def test_crypto_shredding_alone_does_not_destroy_paper_or_media(org):
    """CAR-11, R-CAR-11: information must be made unrecoverable — erasing the data key destroys
    an electronic file, not a paper document or a medium, so that method is refused for them
    and nothing is destroyed."""
    paper = make_carrier(org)
    req = services.request_destruction(org.security_officer, [paper], reason="到期")
    services.approve_destruction(org.unit_head, req)
    with pytest.raises(ValidationFailed) as exc:
        services.execute_destruction(org.security_officer, req, method="crypto_shred", witness_1=org.staff_secret,
                                     witness_2=org.dept_head)  # fmt: skip
    assert "method" in exc.value.fields
    paper.refresh_from_db()
    assert paper.status == "registered"
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED


def test_witnesses_must_be_cleared_for_what_is_destroyed(org):
    """CAR-11: the two witnesses see the carriers destroyed, so each must be cleared for their
    level; the page names the refused witness in Chinese and nothing is destroyed."""
    top = make_carrier(org, Level.TOP_SECRET, custodian=org.security_officer)
    req = services.request_destruction(org.security_officer, [top], reason="到期")
    services.approve_destruction(org.unit_head, req)
    r = client_for(org.security_officer).post(reverse("carriers:destruction", args=[req.pk]), {
        "step": "execute", "method": "facility", "facility": "市保密局销毁中心", "witness_1": org.unit_head.pk,
        "witness_2": org.staff_secret.pk, "destroyed_on": TODAY.isoformat(),
    })  # fmt: skip
    assert r.status_code == 200
    assert r.context["execute_form"].errors["witness_2"] == ["监销人的涉密等级低于所销毁载体的密级。"]
    top.refresh_from_db()
    assert top.status == "registered"


def test_inventory_list_shows_where_a_carrier_out_of_custody_is(org):
    """CAR-8: a custodian's list says which carriers are not in the cabinet (on loan, and with
    whom), so the custodian can account for them instead of guessing."""
    carrier = make_carrier(org, scope=[org.case_handler])
    loan = services.request_loan(org.case_handler, carrier, place="阅文室", due_on=TODAY, reason="学习")
    services.approve_loan(org.unit_head, loan)
    campaign = services.start_inventory(org.security_officer, title="年度清点", due_on=TODAY)
    html = (
        client_for(org.staff_secret).get(reverse("carriers:inventory", args=[campaign.pk])).content.decode()
    )
    mine = html.split("我的清单", 1)[1].split("签字确认我的清单", 1)[0]
    assert "借出" in mine and "case_handler" in mine


def test_executing_a_list_names_the_carrier_that_went_on_loan(org):
    """CAR-11: when one carrier of an approved list has gone on loan since, carrying out the
    list is refused with a Chinese message naming that carrier, and nothing is destroyed."""
    kept = make_carrier(org)
    lent = make_carrier(org, scope=[org.case_handler])
    req = services.request_destruction(org.security_officer, [kept, lent], reason="到期")
    services.approve_destruction(org.unit_head, req)
    loan = services.request_loan(org.case_handler, lent, place="阅文室", due_on=TODAY, reason="核对")
    services.approve_loan(org.unit_head, loan)
    r = client_for(org.security_officer).post(reverse("carriers:destruction", args=[req.pk]), {
        "step": "execute", "method": "shredding", "witness_1": org.staff_secret.pk,
        "witness_2": org.dept_head.pk, "destroyed_on": TODAY.isoformat(),
    })  # fmt: skip
    assert r.status_code == 200
    errors = r.context["execute_form"].non_field_errors()
    assert any(lent.registry_number in e and "借出" in e for e in errors)
    kept.refresh_from_db()
    assert kept.status == "registered"


def test_cli_show_of_a_forbidden_carrier_is_not_found_and_audited(org, capsys):
    """CAR-12, CAR-3: ``baomi carriers show`` of a carrier outside one's ledger says 未找到, as
    for a number that does not exist, and the refusal is audited."""
    from baomi.cli import main

    carrier = make_carrier(org)
    since = last_audit_id()
    assert main(["carriers", "show", "--as", "staff_other_dept", carrier.registry_number]) == 1
    assert "未找到" in capsys.readouterr().err
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_other_dept, outcome="denied", since=since)
    assert main(["carriers", "show", "--as", "staff_other_dept", "2026-纸-999999"]) == 1
    assert "未找到" in capsys.readouterr().err


def test_sealing_date_cannot_be_in_the_future(org):
    """CAR-10: sealing records where and when it was done; a date in the future is refused on
    the page in Chinese and the carrier stays in custody."""
    carrier = make_carrier(org)
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    r = client_for(org.security_officer).post(
        reverse("carriers:action", args=[carrier.pk, "seal"]), {"place": "档案室封存柜", "on": tomorrow}
    )
    assert r.status_code == 200
    assert r.context["form"].errors["on"] == ["日期不能晚于今天。"]
    carrier.refresh_from_db()
    assert carrier.status == "registered"


def test_destruction_date_cannot_precede_the_approval(org):
    """CAR-11, R-CAR-11: count, register, approve, then destroy — a destruction dated before
    its approval is refused and nothing is destroyed."""
    carrier = make_carrier(org)
    req = services.request_destruction(org.security_officer, [carrier], reason="到期")
    services.approve_destruction(org.unit_head, req)
    with pytest.raises(ValidationFailed) as exc:
        services.execute_destruction(org.security_officer, req, method="shredding", witness_1=org.staff_secret,
                                     witness_2=org.dept_head, destroyed_on=YESTERDAY)  # fmt: skip
    assert "destroyed_on" in exc.value.fields
    carrier.refresh_from_db()
    assert carrier.status == "registered"


def test_start_page_reminds_a_custodian_to_sign_a_checked_list(org):
    """CAR-8: once every carrier is checked the list still has to be signed off before the
    inventory can close; the start page keeps reminding the custodian until it is."""
    from baomi.carriers.dashboard import tasks

    make_carrier(org)
    make_carrier(org)
    other = make_carrier(org, custodian=org.case_handler)
    campaign = services.start_inventory(org.security_officer, title="年度清点", due_on=TODAY)

    def to_sign(user) -> int:
        return next(t["count"] for t in tasks(user) if "尚未签字确认" in str(t["label"]))

    assert to_sign(org.staff_secret) == 0  # nothing checked yet: the check task shows instead
    for entry in campaign.entries.filter(custodian=org.staff_secret):
        services.check_inventory_entry(org.staff_secret, entry, result="confirmed")
    assert campaign.entries.get(carrier=other).result == "pending"  # another custodian's list
    assert to_sign(org.staff_secret) == 1
    services.sign_inventory(org.staff_secret, campaign)
    assert to_sign(org.staff_secret) == 0


def test_inventory_through_the_api(org):
    """CAR-8: start an inventory, check each carrier, sign off and close through the API; a
    discrepancy opens an incident; bad input is a structured error in Chinese, another
    custodian's entry is not found and audited."""
    lost = make_carrier(org)
    kept = make_carrier(org)
    so, holder = api_for(org.security_officer), api_for(org.staff_secret)
    r = so.post(
        "/api/v1/carrier-inventories/", {"title": "年度清点", "due_on": TODAY.isoformat()}, format="json"
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = holder.get(f"/api/v1/carrier-inventories/{pk}/")
    entries = {e["carrier"]: e["id"] for e in r.json()["entries"]}
    assert set(entries) == {lost.pk, kept.pk}
    r = holder.post(f"/api/v1/carrier-inventories/{pk}/sign/", format="json")
    assert r.status_code == 400 and r.json()["error"]["message"] == "请先清点清单上的每一件载体再签字确认。"
    r = holder.post(f"/api/v1/carrier-inventory-entries/{entries[lost.pk]}/check/", {"result": "missing"},
                    format="json")  # fmt: skip
    assert r.status_code == 400 and r.json()["error"]["fields"]["note"] == ["请说明情况。"]
    since = last_audit_id()
    r = api_for(org.staff_other_dept).post(f"/api/v1/carrier-inventory-entries/{entries[kept.pk]}/check/",
                                           {"result": "confirmed"}, format="json")  # fmt: skip
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_other_dept, outcome="denied", since=since)
    for carrier, body in ((lost, {"result": "missing", "note": "柜内未见"}), (kept, {"result": "confirmed"})):
        r = holder.post(
            f"/api/v1/carrier-inventory-entries/{entries[carrier.pk]}/check/", body, format="json"
        )
        assert r.status_code == 200, r.content
    assert holder.post(f"/api/v1/carrier-inventories/{pk}/sign/", format="json").status_code == 200
    assert so.post(f"/api/v1/carrier-inventories/{pk}/close/", format="json").status_code == 200
    lost.refresh_from_db()
    assert lost.status == "missing"
    found = {e["carrier"]: e for e in so.get(f"/api/v1/carrier-inventories/{pk}/").json()["entries"]}
    assert found[lost.pk]["incident"] is not None and found[kept.pk]["incident"] is None


def test_recall_through_the_api(org):
    """CAR-9, R-CAR-10: launch a recall by issuer, register a return and close it through the
    API; an unknown entry is not found; a deadline in the past is a structured Chinese error."""
    back = make_carrier(org, originator="省委办公厅")
    kept = make_carrier(org, originator="省委办公厅")
    so = api_for(org.security_officer)
    body = {"issuer": "省委办公厅", "title": "2026年文件清退", "due_on": YESTERDAY.isoformat()}
    r = so.post("/api/v1/carrier-recalls/", body, format="json")
    assert r.status_code == 400 and r.json()["error"]["fields"]["due_on"] == ["完成期限不能早于今天。"]
    r = so.post("/api/v1/carrier-recalls/", {**body, "due_on": TODAY.isoformat()}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    entries = {e["carrier"]: e["id"] for e in so.get(f"/api/v1/carrier-recalls/{pk}/").json()["entries"]}
    assert set(entries) == {back.pk, kept.pk}
    assert (
        so.post(f"/api/v1/carrier-recalls/{pk}/return/", {"entry": 999999}, format="json").status_code == 404
    )
    r = so.post(f"/api/v1/carrier-recalls/{pk}/return/", {"entry": "abc"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["fields"]["entry"]
    assert (
        so.post(
            f"/api/v1/carrier-recalls/{pk}/return/", {"entry": entries[back.pk]}, format="json"
        ).status_code
        == 200
    )
    assert so.post(f"/api/v1/carrier-recalls/{pk}/close/", format="json").status_code == 200
    back.refresh_from_db()
    kept.refresh_from_db()
    assert (back.status, kept.status) == ("returned", "registered")
    assert (
        api_for(org.staff_secret).post(f"/api/v1/carrier-recalls/{pk}/close/", format="json").status_code
        == 404
    )


def test_inventory_page_carries_the_highest_mark_of_the_titles_it_shows(org):
    """CAR-8, CAR-2: the inventory page lists classified titles, so it carries a mark banner
    with the highest level shown to this user; a custodian holding only 机密 sees 机密."""
    make_carrier(org)
    make_carrier(org, Level.TOP_SECRET, custodian=org.security_officer)
    campaign = services.start_inventory(org.security_officer, title="年度清点", due_on=TODAY)
    so = (
        client_for(org.security_officer)
        .get(reverse("carriers:inventory", args=[campaign.pk]))
        .content.decode()
    )
    assert 'class="mark-banner level-top_secret' in so
    mine = (
        client_for(org.staff_secret).get(reverse("carriers:inventory", args=[campaign.pk])).content.decode()
    )
    assert 'class="mark-banner level-secret' in mine and "level-top_secret" not in mine


def test_following_an_export_link_returns_to_the_ledger(org):
    """CAR-12: an export is a POST; a followed or bookmarked export link leads back to the
    filtered ledger instead of a bare "405" page, and exports nothing."""
    make_carrier(org)
    since = last_audit_id()
    r = client_for(org.security_officer).get(
        reverse("carriers:ledger-export", args=["pdf"]) + "?scope=unit&q=请示"
    )
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("carriers:ledger") + "?") and "scope=unit" in r["Location"]
    from baomi.audit.models import AuditEntry

    assert not AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.LEDGER_EXPORTED)).exists()
