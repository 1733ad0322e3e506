"""Carrier registration and lifecycle services (CAR-1..11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import CarrierStatus, InventoryResult, RequestStatus, TransferChannel
from baomi.carriers.selectors import outstanding_for
from baomi.core.errors import CeilingExceeded, InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from baomi.incidents.models import Incident
from tests.carriers.factories import make_carrier, make_item
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def test_register_copies_numbers_and_copy_numbers(org):
    """CAR-1: N copies make N carriers, 份号 000001..N, consecutive numbers per year and kind."""
    item = make_item(org)
    made = services.register_carrier(org.security_officer, item=item, kind="paper", custodian=org.staff_secret,
                                     copies=3, pages=5, produced_at="保密办文印室", produced_on_device="涉密打印机P-01")  # fmt: skip
    assert [c.copy_number for c in made] == ["000001", "000002", "000003"]
    year = timezone.localdate().year
    assert [c.registry_number for c in made] == [f"{year}-纸-00000{i}" for i in (1, 2, 3)]
    assert all(c.level == item.level and c.status == CarrierStatus.REGISTERED for c in made)
    more = services.register_carrier(
        org.security_officer, item=item, kind="electronic", custodian=org.staff_secret
    )
    assert more[0].registry_number == f"{year}-电-000001"
    assert more[0].copy_number == "000004"
    entry = assert_audited(AuditEvent.CARRIER_REGISTERED, made[0], org.security_officer)
    assert entry.details["item_id"] == item.pk
    assert item.title not in str(entry.details)


def test_register_refused_for_non_registry_and_above_ceiling(org):
    """CAR-1/SEC-8: only the security office registers; nothing above the ceiling."""
    item = make_item(org)
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.register_carrier(org.staff_secret, item=item, kind="paper", custodian=org.staff_secret)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_secret, since=since)
    with override_settings(CEILING="secret"), pytest.raises(CeilingExceeded):
        services.register_carrier(org.security_officer, item=make_item(org, Level.TOP_SECRET), kind="paper",
                                  custodian=org.unit_head)  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.register_carrier(
            org.security_officer, item=item, kind="paper", custodian=org.staff_confidential
        )
    with pytest.raises(ValidationFailed):
        services.register_carrier(org.security_officer, item=item, kind="paper", custodian=org.staff_secret,
                                  copies=0)  # fmt: skip


def test_loan_request_approve_return(org):
    """CAR-6: request with place and due date, approval by the department head, return."""
    carrier = make_carrier(org, scope=[org.case_handler])
    loan = services.request_loan(
        org.case_handler, carrier, place="第二会议室", due_on=TOMORROW, reason="起草回复"
    )
    with pytest.raises(AccessDenied):
        services.approve_loan(org.case_handler, loan)  # no self-approval
    services.approve_loan(org.dept_head, loan)
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.ON_LOAN and carrier.holder == org.case_handler
    assert carrier in outstanding_for(org.case_handler)
    assert_audited(AuditEvent.LOAN_APPROVED, carrier, org.dept_head)
    services.return_carrier(org.staff_secret, carrier)
    carrier.refresh_from_db()
    loan.refresh_from_db()
    assert carrier.status == CarrierStatus.REGISTERED and carrier.holder is None
    assert loan.status == RequestStatus.DONE and loan.received_back_by == org.staff_secret
    assert carrier not in outstanding_for(org.case_handler)


def test_loan_refused_out_of_scope_and_overdue_reminder(org):
    """CAR-3/CAR-6: an outsider cannot borrow; an overdue loan is reminded once a day."""
    carrier = make_carrier(org, scope=[org.case_handler])
    with pytest.raises(AccessDenied):
        services.request_loan(org.staff_other_dept, carrier, place="x", due_on=TOMORROW, reason="y")
    loan = services.request_loan(org.case_handler, carrier, place="阅文室", due_on=TOMORROW, reason="学习")
    services.approve_loan(org.unit_head, loan)
    later = TOMORROW + dt.timedelta(days=2)
    assert services.remind_overdue_loans(later) == 1
    assert services.remind_overdue_loans(later) == 0
    assert_audited(AuditEvent.LOAN_REMINDED, carrier)


def test_copy_approval_makes_child_carriers(org):
    """CAR-4, R-CAR-5: approved by the unit head; copies keep the mark, get numbers and custodian."""
    carrier = make_carrier(org, scope=[org.case_handler])
    req = services.request_copy(org.case_handler, carrier, copies=2, reason="分送")
    with pytest.raises(AccessDenied):
        services.approve_copy(org.dept_head, req)  # the department head does not approve copies
    made = services.approve_copy(org.unit_head, req)
    assert len(made) == 2
    assert {c.parent_id for c in made} == {carrier.pk}
    assert {c.level for c in made} == {carrier.level}
    assert [c.copy_number for c in made] == ["000002", "000003"]
    assert all(c.custodian == org.case_handler for c in made)
    assert_audited(AuditEvent.COPY_APPROVED, carrier, org.unit_head)


def test_top_secret_copy_blocked_without_consent(org):
    """R-AC-3: 绝密 copy is blocked unless the originator consented for that item."""
    carrier = make_carrier(org, Level.TOP_SECRET, custodian=org.unit_head, scope=[org.authority_top_secret])
    with pytest.raises(AccessDenied):
        services.request_copy(org.authority_top_secret, carrier, reason="需要")
    with pytest.raises(AccessDenied):
        services.record_consent(org.staff_secret, carrier, copy=True, originator="x", reference="y")
    consent = services.record_consent(org.unit_head, carrier, copy=True, originator="国务院办公厅",
                                      reference="国办函〔2026〕5号")  # fmt: skip
    req = services.request_copy(org.authority_top_secret, carrier, reason="需要")
    assert req.pk
    services.revoke_consent(org.unit_head, consent)
    with pytest.raises(AccessDenied):
        services.request_copy(org.authority_top_secret, carrier, reason="再次")


def test_transfer_channels_escort_and_receipt(org):
    """CAR-5, R-CAR-3: post/courier refused; 绝密 needs two people; the receiver counts and signs."""
    carrier = make_carrier(org, pages=7)
    for bad in ("post", "courier", "express"):
        with pytest.raises(ValidationFailed) as exc:
            services.send_carrier(
                org.staff_secret, carrier, receiver=org.case_handler, channel=bad, envelope_number="1"
            )
        assert "机要" in str(exc.value.message)
    t = services.send_carrier(org.staff_secret, carrier, receiver=org.case_handler,
                              channel=TransferChannel.CONFIDENTIAL_MAIL, envelope_number="JY-2026-0042")  # fmt: skip
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.IN_TRANSIT
    with pytest.raises(AccessDenied):
        services.receive_carrier(org.staff_confidential, t, counted=7)
    with pytest.raises(ValidationFailed):
        services.receive_carrier(org.case_handler, t, counted=6)
    services.receive_carrier(org.case_handler, t, counted=7)
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.REGISTERED and carrier.custodian == org.case_handler
    top = make_carrier(org, Level.TOP_SECRET, custodian=org.unit_head)
    with pytest.raises(ValidationFailed):
        services.send_carrier(org.unit_head, top, receiver=org.authority_top_secret,
                              channel=TransferChannel.DESIGNATED_PERSON, envelope_number="J-1")  # fmt: skip
    services.send_carrier(org.unit_head, top, receiver=org.authority_top_secret, escort=org.security_officer,
                          channel=TransferChannel.DESIGNATED_PERSON, envelope_number="J-1")  # fmt: skip


def test_print_registers_paper_carriers(org):
    """CAR-7: each print registered with copies and who printed; prints are carriers."""
    carrier = make_carrier(org, kind="electronic")
    rec = services.register_print(org.staff_secret, carrier, copies=2, device="涉密打印机P-02")
    prints = list(rec.prints.all())
    assert len(prints) == 2 and all(p.kind == "paper" and p.parent_id == carrier.pk for p in prints)
    assert all(p.custodian == org.staff_secret for p in prints)
    assert_audited(AuditEvent.CARRIER_PRINTED, carrier, org.staff_secret)


def test_repair_needs_supervisor_for_outside(org):
    """CAR-9, R-CAR-8: an outside technician works only under a named supervisor."""
    carrier = make_carrier(org, kind="device")
    with pytest.raises(ValidationFailed):
        services.start_repair(org.security_officer, carrier, technician="李工", place="机房", fault="无法开机",
                              outside=True)  # fmt: skip
    services.start_repair(org.security_officer, carrier, technician="李工", place="机房", fault="无法开机",
                          outside=True, company="某服务公司", supervisor=org.staff_secret)  # fmt: skip
    services.finish_repair(org.security_officer, carrier, result="更换电源")
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.REGISTERED


def test_take_out_abroad_with_approval(org):
    """CAR-9, R-CAR-9: taking out (and abroad) needs the unit head's approval first."""
    carrier = make_carrier(org)
    req = services.request_take_out(org.staff_secret, carrier, destination="日内瓦", abroad=True,
                                    protective_measures="专用密码箱, 专人携带", leaves_on=timezone.localdate(),
                                    returns_on=TOMORROW, reason="国际会议")  # fmt: skip
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.REGISTERED
    services.approve_take_out(org.unit_head, req)
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.TAKEN_OUT and carrier.holder == org.staff_secret
    services.bring_back(org.staff_secret, carrier)
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.REGISTERED


def test_archive_raises_declassification_review(org):
    """CAR-10: seal and archive with place and date; archiving raises a review for the authority."""
    carrier = make_carrier(org)
    services.seal_carrier(org.security_officer, carrier, place="密件库3号柜")
    review = services.archive_carrier(org.security_officer, carrier, place="档案室")
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.ARCHIVED and carrier.storage_place == "档案室"
    assert review.authority == carrier.item.determined_by
    assert_audited(AuditEvent.REVIEW_RAISED, carrier.item, org.security_officer)


def test_recall_by_issuer(org):
    """CAR-9, R-CAR-10: a recall lists the issuer's carriers; each return is registered."""
    carrier = make_carrier(org, originator="省委办公厅")
    make_carrier(org, originator="其他单位")
    campaign = services.launch_recall(
        org.security_officer, issuer="省委办公厅", title="2026年清退", due_on=TOMORROW
    )
    entries = list(campaign.entries.all())
    assert [e.carrier_id for e in entries] == [carrier.pk]
    services.record_recall_return(org.security_officer, entries[0])
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.RETURNED
    assert carrier not in outstanding_for(org.staff_secret)
    services.close_recall(org.security_officer, campaign)


def test_inventory_missing_opens_incident(org):
    """CAR-8: each item confirmed/missing/damaged; discrepancy → incident; missing → status missing."""
    a = make_carrier(org)
    b = make_carrier(org)
    campaign = services.start_inventory(org.security_officer, title="2026年上半年清点", due_on=TOMORROW)
    entries = {e.carrier_id: e for e in campaign.entries.all()}
    with pytest.raises(ValidationFailed):
        services.sign_inventory(org.staff_secret, campaign)
    services.check_inventory_entry(org.staff_secret, entries[a.pk], result=InventoryResult.CONFIRMED)
    with pytest.raises(ValidationFailed):
        services.check_inventory_entry(org.staff_secret, entries[b.pk], result=InventoryResult.MISSING)
    services.check_inventory_entry(
        org.staff_secret, entries[b.pk], result=InventoryResult.MISSING, note="柜中未见"
    )
    with pytest.raises(ValidationFailed):
        services.close_inventory(org.security_officer, campaign)
    services.sign_inventory(org.staff_secret, campaign)
    b.refresh_from_db()
    assert b.status == CarrierStatus.MISSING
    assert Incident.objects.filter(source="inventory", source_ref=str(campaign.pk)).count() == 1
    services.close_inventory(org.security_officer, campaign)
    assert_audited(AuditEvent.INVENTORY_CLOSED, campaign, org.security_officer)


def test_destruction_flow(org):
    """CAR-11: request with reason, approval, method, two witnesses, date; the carrier stays."""
    a = make_carrier(org)
    b = make_carrier(org, Level.CONFIDENTIAL)
    req = services.request_destruction(org.security_officer, [a, b], reason="保密期限届满, 无保存价值")
    assert req.level == Level.SECRET
    with pytest.raises(AccessDenied):
        services.approve_destruction(org.security_officer, req)
    services.approve_destruction(org.unit_head, req)
    with pytest.raises(ValidationFailed):
        services.execute_destruction(org.security_officer, req, method="shredding", witness_1=org.staff_secret,
                                     witness_2=org.staff_secret)  # fmt: skip
    services.execute_destruction(org.security_officer, req, method="facility", facility="市保密局销毁中心",
                                 witness_1=org.staff_secret, witness_2=org.dept_head)  # fmt: skip
    a.refresh_from_db()
    assert a.status == CarrierStatus.DESTROYED
    assert_audited(AuditEvent.CARRIER_DESTROYED, a, org.security_officer)
    with pytest.raises(InvalidTransition):
        services.seal_carrier(org.security_officer, a, place="x")


def test_outstanding_for_covers_custody_loans_and_take_outs(org):
    """PER-5: outstanding_for lists custody, loans and take-outs; empty means nothing left."""
    assert not outstanding_for(org.case_handler).exists()
    carrier = make_carrier(org, scope=[org.case_handler])
    req = services.request_take_out(org.case_handler, carrier, destination="区政府", abroad=False,
                                    protective_measures="密码箱", leaves_on=timezone.localdate(),
                                    returns_on=TOMORROW, reason="汇报")  # fmt: skip
    services.approve_take_out(org.unit_head, req)
    assert list(outstanding_for(org.case_handler)) == [carrier]


def test_review_notice_is_handled_by_the_authority(org):
    """CAR-10, R-DECL-4: the item's authority marks the archiving review handled; others cannot."""
    carrier = make_carrier(org)
    review = services.archive_carrier(org.security_officer, carrier, place="档案室")
    from baomi.access import policy

    assert policy.can(org.unit_head, "handle", review) and not policy.can(
        org.security_officer, "handle", review
    )
    with pytest.raises(AccessDenied):
        services.close_review_notice(org.security_officer, review)
    services.close_review_notice(org.authority_top_secret, review, note="经审核，继续保密")
    review.refresh_from_db()
    assert review.handled_at is not None
    assert_audited(AuditEvent.REVIEW_HANDLED, carrier.item, org.authority_top_secret)
    with pytest.raises(ValidationFailed):
        services.close_review_notice(org.authority_top_secret, review)
