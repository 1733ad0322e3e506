"""Exchange with other units (issue 12 §3; CAR-4, CAR-5, R-CAR-3): the list of external units,
dispatches (发文) with the department head's approval for 机密 and above, the returned receipt
(回执) and overdue receipts, and carriers received from other units (收文) — through the
services and the API, each refusal told in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baomi.access.errors import AccessDenied
from baomi.carriers import services
from baomi.carriers.events import ExchangeEvent
from baomi.carriers.models import Carrier
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from tests.carriers.factories import make_carrier, make_item
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _dates_of_the_day_the_test_runs() -> None:
    """The day each test runs, not the day the module was collected: a suite that crosses
    midnight would otherwise ask for days already past."""
    global TODAY
    TODAY = timezone.localdate()


def _unit(org, name="省国家保密局"):
    return services.create_external_unit(org.security_officer, name=name, code="11330000", contact="机要室")


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_external_units_are_kept_by_the_security_officer(org):
    """Issue 12 §3: external units are a maintained list — the security officer adds and takes
    them out of use (audited); nobody else may, and names are unique."""
    since = last_audit_id()
    unit = _unit(org)
    assert_audited(ExchangeEvent.EXTERNAL_UNIT_CREATED, unit, org.security_officer, since=since)
    with pytest.raises(AccessDenied):
        services.create_external_unit(org.staff_secret, name="市委办公室")
    with pytest.raises(ValidationFailed) as exc:
        services.create_external_unit(org.security_officer, name="省国家保密局")
    assert "已在名录中" in str(exc.value.fields["name"][0])
    services.update_external_unit(org.security_officer, unit, active=False)
    carrier = make_carrier(org, Level.CONFIDENTIAL)
    with pytest.raises(ValidationFailed) as exc:
        services.request_dispatch(org.staff_secret, carrier, unit=unit, channel="jiyao_tongxin",
                                  envelope_number="JY-1", reason="报送")  # fmt: skip
    assert "unit" in exc.value.fields


@pytest.mark.parametrize("channel", ["ordinary_post", "express", "post"])
def test_ordinary_post_is_refused_for_a_dispatch(org, channel):
    """R-CAR-3: ordinary post and express courier are refused, with the lawful channels named."""
    carrier = make_carrier(org, Level.CONFIDENTIAL)
    with pytest.raises(ValidationFailed) as exc:
        services.request_dispatch(org.staff_secret, carrier, unit=_unit(org), channel=channel,
                                  envelope_number="JY-1", reason="报送")  # fmt: skip
    assert "机要交通" in str(exc.value.fields["channel"][0])
    carrier.refresh_from_db()
    assert carrier.status == "registered"


def test_a_confidential_dispatch_is_sent_at_once_and_its_receipt_recorded(org):
    """CAR-5: a 秘密 carrier goes out at once by 机要通信 with its envelope number; it leaves the
    unit (dispatched); the returned receipt is recorded with its date and signer, once."""
    carrier = make_carrier(org, Level.CONFIDENTIAL)
    since = last_audit_id()
    d = services.request_dispatch(org.staff_secret, carrier, unit=_unit(org), channel="jiyao_tongxin",
                                  envelope_number="JY-2026-0042", reason="按要求报送", addressee="办公室")  # fmt: skip
    carrier.refresh_from_db()
    assert (d.status, carrier.status) == ("done", "dispatched")
    assert d.receipt_due == TODAY + dt.timedelta(days=15)
    entry = assert_audited(ExchangeEvent.CARRIER_DISPATCHED, carrier, org.staff_secret, since=since)
    assert entry.details["envelope_number"] == "JY-2026-0042"
    with pytest.raises(InvalidTransition):  # it has left: nothing moves it here any more
        services.seal_carrier(org.security_officer, carrier, place="密件库")
    with pytest.raises(ValidationFailed) as exc:
        services.record_receipt(org.staff_secret, d, returned_on=TODAY, signer="")
    assert "signer" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.record_receipt(org.staff_secret, d, returned_on=TODAY + dt.timedelta(days=1), signer="王芳")
    d = services.record_receipt(org.staff_secret, d, returned_on=TODAY, signer="王芳", note="完好")
    assert (d.receipt_on, d.receipt_signer) == (TODAY, "王芳")
    assert_audited(ExchangeEvent.RECEIPT_RECORDED, d, org.staff_secret, since=since)
    with pytest.raises(AccessDenied):  # once
        services.record_receipt(org.security_officer, d, returned_on=TODAY, signer="王芳")


def test_a_secret_dispatch_waits_for_the_department_head(org):
    """CAR-4: a 机密 dispatch waits for the head of the carrier's department — never the
    requester themself; once approved it is sent by the requester."""
    carrier = make_carrier(org, Level.SECRET)
    d = services.request_dispatch(org.staff_secret, carrier, unit=_unit(org), channel="jiyao_jiaotong",
                                  envelope_number="JT-7", reason="报送上级")  # fmt: skip
    carrier.refresh_from_db()
    assert (d.status, carrier.status) == ("pending", "registered")
    with pytest.raises(AccessDenied):
        services.approve_dispatch(org.staff_secret, d)  # their own request
    with pytest.raises(AccessDenied):
        services.approve_dispatch(org.staff_confidential, d)  # not the head
    with pytest.raises(AccessDenied):
        services.send_dispatch(org.staff_secret, d)  # not yet approved
    since = last_audit_id()
    services.approve_dispatch(org.dept_head, d, reason="同意")
    assert_audited(ExchangeEvent.DISPATCH_APPROVED, d, org.dept_head, since=since)
    d = services.send_dispatch(org.staff_secret, d)
    carrier.refresh_from_db()
    assert (d.status, carrier.status, d.sent_by) == ("done", "dispatched", org.staff_secret)


def test_top_secret_needs_a_second_person(org):
    """R-CAR-12: a 绝密 dispatch names a cleared second person."""
    carrier = make_carrier(org, Level.TOP_SECRET, custodian=org.unit_head)
    with pytest.raises(ValidationFailed) as exc:
        services.request_dispatch(org.unit_head, carrier, unit=_unit(org), channel="designated_person",
                                  envelope_number="ZR-1", reason="专人送达")  # fmt: skip
    assert "escort" in exc.value.fields


def test_overdue_receipts_are_listed(org, api_client):
    """CAR-5: a receipt not back by its due date is listed (API and dashboard)."""
    carrier = make_carrier(org, Level.CONFIDENTIAL)
    d = services.request_dispatch(org.staff_secret, carrier, unit=_unit(org), channel="jiyao_tongxin",
                                  envelope_number="JY-9", reason="报送")  # fmt: skip
    c = _as(api_client, org.security_officer)
    assert c.get("/api/v1/carrier-dispatches/overdue-receipts/").json()["count"] == 0
    from baomi.carriers.models import Dispatch

    Dispatch.objects.filter(pk=d.pk).update(receipt_due=TODAY - dt.timedelta(days=1))
    rows = c.get("/api/v1/carrier-dispatches/overdue-receipts/").json()["results"]
    assert [r["id"] for r in rows] == [d.pk]
    from baomi.carriers.dashboard import tasks

    [task] = [
        t for t in tasks(org.security_officer) if "回执" in str(t["label"]) or "receipt" in str(t["label"])
    ]
    assert task["count"] == 1


def test_dispatch_through_the_api(org, api_client):
    """Issue 12 §3 via the API: ordinary post is a 400 with the reason in Chinese; a 机密
    dispatch is approved by the department head, sent, and its receipt recorded."""
    carrier = make_carrier(org, Level.SECRET)
    unit = _unit(org)
    c = _as(api_client, org.staff_secret)
    body = {"carrier": carrier.pk, "unit": unit.pk, "channel": "ordinary_post", "envelope_number": "JY-1",
            "reason": "报送"}  # fmt: skip
    r = c.post("/api/v1/carrier-dispatches/", body, format="json")
    assert r.status_code == 400 and "机要交通" in r.json()["error"]["fields"]["channel"][0]
    r = c.post("/api/v1/carrier-dispatches/", {**body, "channel": "jiyao_tongxin"}, format="json")
    assert r.status_code == 201 and r.json()["status"] == "pending"
    pk = r.json()["id"]
    assert c.post(f"/api/v1/carrier-dispatches/{pk}/approve/", {}, format="json").status_code == 404
    h = _as(api_client, org.dept_head)
    assert (
        h.post(f"/api/v1/carrier-dispatches/{pk}/approve/", {"reason": "同意"}, format="json").status_code
        == 200
    )
    c = _as(api_client, org.staff_secret)
    r = c.post(f"/api/v1/carrier-dispatches/{pk}/send/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "done"
    r = c.post(f"/api/v1/carrier-dispatches/{pk}/receipt/", {"returned_on": TODAY.isoformat(), "signer": "王芳"},
               format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["receipt_signer"] == "王芳"
    assert Carrier.objects.get(pk=carrier.pk).status == "dispatched"


def test_incoming_registration_keeps_their_number_and_copy_number(org, api_client):
    """收文 (issue 12 §3, CAR-1): a carrier from another unit gets this unit's registry number,
    keeps the originator's number and 份号, is registered as received and then lives the
    ordinary lifecycle (here: lent). The same copy cannot be registered twice."""
    unit = _unit(org, "市委办公室")
    item = make_item(org, Level.SECRET, scope=[org.staff_secret, org.case_handler],
                     external_originator="市委办公室", reference="市委办〔2026〕12号")  # fmt: skip
    c = _as(api_client, org.security_officer)
    body = {"unit": unit.pk, "their_number": "市委办〔2026〕12号", "their_copy_number": "000017", "item": item.pk,
            "kind": "paper", "custodian": org.staff_secret.pk, "channel": "jiyao_jiaotong",
            "received_on": TODAY.isoformat(), "envelope_number": "JT-88", "pages": 4}  # fmt: skip
    since = last_audit_id()
    r = c.post("/api/v1/carrier-incoming/", body, format="json")
    assert r.status_code == 201, r.content
    got = r.json()
    assert (got["their_number"], got["their_copy_number"], got["carrier_status"]) == (
        "市委办〔2026〕12号",
        "000017",
        "registered",
    )
    carrier = Carrier.objects.get(pk=got["carrier"])
    assert carrier.originator == "市委办公室" and carrier.registry_number.startswith(f"{TODAY.year}-纸-")
    assert_audited(ExchangeEvent.INCOMING_REGISTERED, None, org.security_officer, since=since)
    r = c.post("/api/v1/carrier-incoming/", body, format="json")
    assert r.status_code == 400 and "their_copy_number" in r.json()["error"]["fields"]
    r = c.post("/api/v1/carrier-incoming/", {**body, "their_copy_number": "000018", "channel": "express"},
               format="json")  # fmt: skip
    assert r.status_code == 400 and "channel" in r.json()["error"]["fields"]
    # Someone outside the security office cannot register incoming carriers.
    s = _as(api_client, org.staff_secret)
    assert (
        s.post(
            "/api/v1/carrier-incoming/", {**body, "their_copy_number": "000019"}, format="json"
        ).status_code
        == 404
    )
    # Then the ordinary lifecycle.
    loan = services.request_loan(org.staff_secret, carrier, borrower=org.case_handler, place="阅文室",
                                 due_on=TODAY + dt.timedelta(days=1), reason="阅办")  # fmt: skip
    services.approve_loan(org.dept_head, loan)
    carrier.refresh_from_db()
    assert carrier.status == "on_loan"


def test_exchange_policy(org):
    """Issue 12 §3 policy: only the security officer keeps
    the unit list; the receipt is recorded by whoever sent it or the security office, once the
    carrier is dispatched and until the receipt is in."""
    from baomi.access import policy

    assert policy.can(org.security_officer, "carriers.external_units")
    assert not policy.can(org.staff_secret, "carriers.external_units")
    carrier = make_carrier(org, Level.CONFIDENTIAL)
    d = services.request_dispatch(org.staff_secret, carrier, unit=_unit(org), channel="jiyao_tongxin",
                                  envelope_number="JY-3", reason="报送")  # fmt: skip
    assert policy.can(org.staff_secret, "record_receipt", d)
    assert policy.can(org.security_officer, "record_receipt", d)
    assert not policy.can(org.staff_confidential, "record_receipt", d)
    assert not policy.can(org.dept_head, "record_receipt", d)
