"""Determination, change, extension and lifting through the services (CLS-4, CLS-5, CLS-8, R-DET-2..6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.classification import selectors, services
from baomi.classification.choices import ItemStatus, NoticeKind, Origin, RequestStatus
from baomi.classification.models import Notice
from baomi.core.errors import CeilingExceeded, InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from tests.classification.conftest import determine, propose
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def test_proposal_protects_at_once(org):
    """A proposed item is protected at the proposed level from the proposal on (CLS-4, R-DET-2)."""
    item = propose(org, level=Level.SECRET, scope_users=[org.staff_secret])
    assert item.status == ItemStatus.PROPOSED
    assert item.mark_text() == "机密★5年"
    assert not item.mark_tampered
    assert selectors.in_scope(org.staff_secret, item)
    assert not selectors.items(org.staff_other_dept).filter(pk=item.pk).exists()
    assert not selectors.items(org.staff_confidential).filter(pk=item.pk).exists()
    assert_audited(AuditEvent.ITEM_PROPOSED, item, org.case_handler)


def test_authority_approves_and_scope_is_notified(org):
    """The authority approves; everyone in scope gets a notice (CLS-4, R-SCOPE-4)."""
    item = propose(org, scope_users=[org.staff_secret])
    req = item.requests.get()
    services.approve_request(org.authority_secret, req, reason="同意")
    item.refresh_from_db()
    assert item.status == ItemStatus.DETERMINED
    assert item.determined_by == org.authority_secret
    assert item.expires_on == date(2031, 1, 16)
    assert Notice.objects.filter(item=item, recipient=org.staff_secret, kind=NoticeKind.DETERMINED).exists()
    assert_audited(AuditEvent.ITEM_DETERMINED, item, org.authority_secret)


def test_proposer_never_approves(org):
    """One person never both proposes and approves (R-DET-2)."""
    item = propose(org, actor=org.case_handler)
    from baomi.accounts import services as acc

    acc.assign_role(None, org.case_handler, "classification_authority", bootstrap=True)
    acc.set_clearance(None, org.case_handler, Level.SECRET, authority_level=Level.SECRET, bootstrap=True)
    org.case_handler.forget_roles()
    with pytest.raises(InvalidTransition):
        services.approve_request(org.case_handler, item.requests.get())


def test_authority_below_level_cannot_approve(org):
    """A 机密 authority cannot approve a 绝密 determination; it looks like not found (R-DET-1, CAR-3)."""
    from baomi.accounts import services as acc

    acc.set_clearance(None, org.case_handler, Level.TOP_SECRET, bootstrap=True)
    item = propose(org, level=Level.TOP_SECRET)
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.approve_request(org.authority_secret, item.requests.get())
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.authority_secret, outcome="denied", since=since)
    item.refresh_from_db()
    assert item.status == ItemStatus.PROPOSED


def test_refusal_needs_reason_and_leaves_item_unclassified(org):
    item = propose(org)
    req = item.requests.get()
    with pytest.raises(ValidationFailed):
        services.refuse_request(org.authority_secret, req, reason=" ")
    services.refuse_request(org.authority_secret, req, reason="不属于国家秘密")
    item.refresh_from_db()
    assert item.status == ItemStatus.REFUSED
    assert_audited(AuditEvent.REQUEST_REFUSED, req, org.authority_secret)


@override_settings(UNIT_AUTHORITY="secret")
def test_original_above_unit_authority_goes_upward(org):
    """Above the unit's authority an original determination is reported upward (ORG-4, R-DET-4/5)."""
    from baomi.accounts import services as acc

    acc.set_clearance(None, org.case_handler, Level.TOP_SECRET, bootstrap=True)
    item = propose(org, level=Level.TOP_SECRET, years=10)
    assert item.status == ItemStatus.PENDING_UPWARD
    req = item.requests.get()
    assert req.status == RequestStatus.PENDING_UPWARD
    with pytest.raises(ValidationFailed):
        services.approve_request(org.security_officer, req)
    services.approve_request(org.security_officer, req, upward_reference="省保密局〔2026〕5号")
    item.refresh_from_db()
    assert item.status == ItemStatus.DETERMINED


@override_settings(UNIT_AUTHORITY="confidential")
def test_derived_takes_highest_level_and_longest_duration_regardless_of_unit_authority(org):
    """派生定密 takes the highest level and longest duration of its sources, not limited by the
    unit's authority (CLS-5, R-DET-6)."""
    with override_settings(UNIT_AUTHORITY="top_secret"):
        a = determine(org, level=Level.SECRET, years=10, scope_users=[org.staff_secret])
        b = determine(org, level=Level.CONFIDENTIAL, years=3, title="b")
    derived = propose(org, level=Level.CONFIDENTIAL, years=1, origin=Origin.DERIVED, sources=[a, b], title="c",
                      basis_text="")  # fmt: skip
    assert derived.level == Level.SECRET
    assert derived.duration_value == 10
    assert derived.status == ItemStatus.PROPOSED
    assert selectors.in_scope(org.staff_secret, derived)


def test_ceiling_refuses_with_clear_message(org):
    """Anything above the accreditation ceiling is refused (SEC-8)."""
    with override_settings(CEILING="work_secret"), pytest.raises(CeilingExceeded) as exc:
        propose(org, level=Level.SECRET)
    assert "工作秘密" in str(exc.value.message) or "Work secret" in str(exc.value.message)


def test_above_cap_needs_basis(org):
    """Above the legal cap only with a recorded basis (CLS-3, R-DUR-6)."""
    with pytest.raises(ValidationFailed):
        propose(org, level=Level.CONFIDENTIAL, years=15)
    item = propose(org, level=Level.CONFIDENTIAL, years=15, duration_basis="保密事项范围 第9条另有规定")
    assert item.duration_value == 15


def test_change_keeps_old_mark_cancelled_and_notifies(org, determined):
    """A change re-marks the item; the old mark stays cancelled in history (CLS-8, R-MARK-7, R-SCOPE-4)."""
    req = services.propose_change(org.case_handler, determined, kind="change", reason="范围调整",
                                  level=Level.CONFIDENTIAL)  # fmt: skip
    services.approve_request(org.authority_secret, req)
    determined.refresh_from_db()
    assert determined.level == Level.CONFIDENTIAL
    texts = list(determined.marks.values_list("text", "cancelled_at"))
    assert texts[0][0] == "机密★5年" and texts[0][1] is not None
    assert texts[-1][0] == "秘密★5年" and texts[-1][1] is None
    notice = Notice.objects.get(item=determined, recipient=org.staff_secret, kind=NoticeKind.CHANGED)
    assert notice.old_mark == "机密★5年" and notice.new_mark == "秘密★5年"
    assert_audited(AuditEvent.ITEM_CHANGED, determined, org.authority_secret)


def test_extension_only_before_expiry(org):
    """Extension must be decided before the period ends (R-CHG-2)."""
    item = determine(org, years=1, period_start=date.today() - timedelta(days=400))
    with pytest.raises(InvalidTransition):
        services.propose_change(org.case_handler, item, kind="extend", reason="延期",
                                duration={"duration_kind": "period", "duration_value": 3, "duration_unit": "year"})  # fmt: skip
    live = determine(org, years=1, period_start=date.today(), title="x")
    req = services.propose_change(org.case_handler, live, kind="extend", reason="延期",
                                  duration={"duration_kind": "period", "duration_value": 3, "duration_unit": "year"})  # fmt: skip
    services.approve_request(org.authority_secret, req)
    live.refresh_from_db()
    assert live.duration_value == 3


def test_lifting_shows_declassified(org, determined):
    """Lifting makes the item 「解密」 with the old mark cancelled (CLS-8, R-MARK-8)."""
    req = services.propose_change(org.case_handler, determined, kind="lift", reason="已无保密必要")
    services.approve_request(org.authority_secret, req)
    determined.refresh_from_db()
    assert determined.status == ItemStatus.DECLASSIFIED
    assert determined.mark_text() == "机密★5年 解密"
    assert not determined.mark_tampered


def test_publication_and_condition_need_evidence(org):
    item = determine(org, duration={"duration_kind": "condition", "condition": "项目验收后"})
    with pytest.raises(ValidationFailed):
        services.propose_change(org.case_handler, item, kind="lift", reason="r", lift_ground="condition_met")
    req = services.propose_change(org.case_handler, item, kind="lift", reason="r", lift_ground="publication",
                                  evidence="政府网站 2026-03-01 公开")  # fmt: skip
    services.approve_request(org.authority_secret, req)
    item.refresh_from_db()
    assert item.declassify_reason == "publication"
    assert item.level == Level.PUBLIC


def test_only_originating_unit_changes(org):
    """Items of another unit cannot be changed here (CLS-8, R-CHG-1)."""
    item = determine(org, external_originator="市发展改革委")
    with pytest.raises(AccessDenied):
        services.propose_change(org.case_handler, item, kind="lift", reason="r")


def test_tampered_mark_is_detected(org, determined):
    """A level changed outside the services breaks the mark MAC (R-CRYPTO-5)."""
    from baomi.classification.models import Item

    Item.objects.filter(pk=determined.pk).update(level=Level.CONFIDENTIAL)
    determined.refresh_from_db()
    assert determined.mark_tampered


def test_revoke_person_from_scopes(org, determined):
    """Exit: every scope entry naming the person goes, audited (PER-5, R-AC-6)."""
    n = services.revoke_person_from_scopes(org.security_officer, org.staff_secret, reason="离职")
    assert n == 1
    assert not selectors.in_scope(org.staff_secret, determined)
    assert_audited(AuditEvent.SCOPE_REVOKED, determined, org.security_officer)
    with pytest.raises(AccessDenied):
        services.revoke_person_from_scopes(org.case_handler, org.staff_secret, reason="x")


def test_expansion_approved_by_unit_head(org, determined):
    """An outsider is added only with the unit head's approval (R-SCOPE-2)."""
    req = services.request_expansion(org.case_handler, determined, person=org.staff_other_dept, reason="会办",
                                     ends_on=date.today() + timedelta(days=30))  # fmt: skip
    with pytest.raises(AccessDenied):
        services.decide_expansion(org.security_officer, req, approve=True)
    services.decide_expansion(org.unit_head, req, approve=True)
    assert selectors.in_scope(org.staff_other_dept, determined)
    assert not selectors.in_scope(org.staff_other_dept, determined, on=date.today() + timedelta(days=31))


def test_expansion_by_unknown_reference_looks_the_same(org):
    assert services.request_expansion_by_reference(org.outsider, reference="不存在", reason="r") is None


def test_acknowledge_notice(org, determined):
    notice = Notice.objects.filter(recipient=org.staff_secret).first()
    services.acknowledge_notice(org.staff_secret, notice)
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    with pytest.raises(AccessDenied):
        services.acknowledge_notice(org.staff_confidential, notice)


def test_knowledge_record_lists_viewers(org, determined):
    """Everyone who came to know a 机密 item is on its knowledge record (R-SCOPE-3)."""
    services.record_item_view(org.staff_secret, determined)
    from baomi.audit.record import record

    record(org.dept_head, AuditEvent.BLOB_READ, ("carriers.carrier", 99, "X-1", "secret"),
           details={"item": determined.pk})  # fmt: skip
    rows = selectors.knowledge_record(determined)
    ids = {r["user_id"] for r in rows}
    assert org.staff_secret.pk in ids and org.dept_head.pk in ids


def test_compilation_takes_highest_level_and_longest_duration(org):
    """A compilation is marked with the highest level and the longest duration of its parts
    (CLS-5, R-MARK-6)."""
    a = determine(org, level=Level.CONFIDENTIAL, years=8, title="a")
    b = determine(org, level=Level.SECRET, years=2, title="b")
    comp = propose(org, level=Level.CONFIDENTIAL, years=1, origin=Origin.COMPILED, sources=[a, b], basis_text="",
                   title="汇编")  # fmt: skip
    assert comp.mark_text() == "机密★8年"


def test_written_notice_start_notifies_the_scope(org):
    """Without a marked issue date the period runs from the written notice, which goes to the
    scope (R-DUR-3)."""
    item = propose(org, start_basis="written_notice_date", period_start=None, scope_users=[org.staff_secret])
    assert item.period_start == date.today()
    assert Notice.objects.filter(item=item, recipient=org.staff_secret, kind=NoticeKind.PROVISIONAL).exists()


def test_non_secret_items_carry_no_duration_or_star(org):
    """Non-secrets never carry ★; a work secret is marked 「内部」 (CLS-7, R-WS-2)."""
    internal = determine(org, level=Level.INTERNAL, years=None, title="通讯录")
    work = determine(org, level=Level.WORK_SECRET, years=None, title="工作要点")
    assert internal.mark_text() == "" and internal.duration_kind == ""
    assert work.mark_text() == "内部"
    # A duration sent along with a non-secret level (the form sends every field) is dropped.
    public = propose(org, level=Level.PUBLIC, title="p",
                     duration={"duration_kind": "period", "duration_value": 1, "duration_unit": "year"})  # fmt: skip
    assert public.duration_kind == "" and public.mark_text() == ""
