"""The carrier policy matrix for the records' own actions (STYLE 2.10): ``withdraw`` on loan
requests (CAR-6), ``export_list`` on destruction requests (CAR-11), ``sign`` on inventories (CAR-8),
``revoke`` on originator consents (R-AC-3) and the screens ``carriers.register``,
``carriers.campaigns``, ``carriers.browse``, ``carriers.approvals`` (CAR-1, CAR-4, CAR-8, CAR-9,
CAR-12). Each persona is allowed or refused; a refusal through a service or a page looks like not
found and is audited (CAR-3, SEC-3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.carriers import services
from baomi.carriers.choices import InventoryResult, RequestStatus
from baomi.carriers.models import ContentConsent, InventoryCampaign, LoanRequest, RecallCampaign
from baomi.core.levels import Level
from tests.carriers.factories import make_carrier
from tests.support.assertions import (
    assert_audited,
    assert_denied,
    assert_hidden,
    assert_not_audited,
    assert_visible,
    last_audit_id,
)
from tests.support.personas import PERSONAS

ALL = sorted(PERSONAS)
TOMORROW = timezone.localdate() + dt.timedelta(days=1)


# -- withdraw (CAR-6) -------------------------------------------------------------------------------


@pytest.fixture
def loan(org):
    carrier = make_carrier(org, scope=[org.case_handler])
    return services.request_loan(
        org.case_handler, carrier, place="阅文室", due_on=TOMORROW, reason="起草回复"
    )


# CarrierRequestRule.visible lets the registry and the carrier's department head through for
# ``withdraw`` though ``can`` refuses them (reported): the pages decide by ``can`` after the SQL
# (access_object), so only ``can`` is asserted for these two.
WITHDRAW_SQL_TOO_WIDE = {"security_officer", "dept_head"}


@pytest.mark.parametrize("persona", ALL)
def test_withdraw_loan_request_is_for_the_requester_only(org, loan, persona):
    """CAR-6: the requester withdraws a request while it waits; the approvers (department head,
    unit head), the security office, the custodian and everyone else are refused."""
    me = getattr(org, persona)
    if persona == "case_handler":
        assert_visible(me, loan, "withdraw")
    elif persona in WITHDRAW_SQL_TOO_WIDE:
        assert not policy.can(me, "withdraw", loan)
    else:
        assert_hidden(me, loan, "withdraw")


def test_withdrawing_someone_elses_loan_request_is_not_found_and_audited(org, loan, client):
    """CAR-6, CAR-3: the department head who may approve the loan cannot withdraw it — 404, an
    ACCESS_DENIED entry, the request still pending; the requester's withdrawal is audited."""
    client.force_login(org.dept_head)
    since = last_audit_id()
    response = client.post(reverse("carriers:decide", args=["loan", loan.pk, "withdraw"]))
    assert_denied(response, actor=org.dept_head, since=since)
    assert LoanRequest.objects.get(pk=loan.pk).status == RequestStatus.PENDING
    services.withdraw_request(org.case_handler, loan)
    assert LoanRequest.objects.get(pk=loan.pk).status == RequestStatus.WITHDRAWN
    assert_audited(AuditEvent.LOAN_REJECTED, loan.carrier, org.case_handler, since=since)


# -- export_list (CAR-11) ---------------------------------------------------------------------------


@pytest.fixture
def destruction(org):
    carrier = make_carrier(org, custodian=org.case_handler)
    return services.request_destruction(org.security_officer, [carrier], reason="保密期限届满, 无保存价值")


# CAR-11: the security office prepares and carries out the list; the unit head approves it.
EXPORT_LIST = {"security_officer", "unit_head"}


@pytest.mark.parametrize("persona", ALL)
def test_export_list_is_for_the_registry_the_unit_head_and_the_requester(org, destruction, persona):
    """CAR-11: the 销毁清单 is exported by the security office (which prepared it here) and the
    unit head who approves it; the custodian, department heads, auditors and staff are refused."""
    me = getattr(org, persona)
    if persona in EXPORT_LIST:
        assert_visible(me, destruction, "export_list")
    else:
        assert_hidden(me, destruction, "export_list")


def test_export_list_needs_clearance_for_the_lists_level(org):
    """CAR-11, CAR-3: a list that names a 绝密 carrier is hidden from a requester cleared lower."""
    carrier = make_carrier(org, Level.TOP_SECRET, custodian=org.unit_head)
    req = services.request_destruction(org.unit_head, [carrier], reason="到期")
    assert_visible(org.unit_head, req, "export_list")
    assert_hidden(org.authority_secret, req, "export_list")


def test_exporting_the_destruction_list_refused_is_not_found_and_audited(org, destruction, client):
    """CAR-11, CAR-3: the custodian asking for the PDF gets 404 and an ACCESS_DENIED entry, no
    export is recorded; the unit head's export is audited DESTRUCTION_LIST_EXPORTED."""
    client.force_login(org.case_handler)
    since = last_audit_id()
    assert_denied(client.get(reverse("carriers:destruction-pdf", args=[destruction.pk])), actor=org.case_handler,
                  since=since)  # fmt: skip
    assert_not_audited(AuditEvent.DESTRUCTION_LIST_EXPORTED, destruction, since=since)
    client.force_login(org.unit_head)
    response = client.get(reverse("carriers:destruction-pdf", args=[destruction.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert_audited(AuditEvent.DESTRUCTION_LIST_EXPORTED, actor=org.unit_head, since=since)


# -- sign (CAR-8, CAR-9) ----------------------------------------------------------------------------


@pytest.fixture
def inventory(org):
    make_carrier(org, custodian=org.staff_secret)
    return services.start_inventory(org.security_officer, title="2026年上半年清点", due_on=TOMORROW)


@pytest.mark.parametrize("persona", ALL)
def test_sign_inventory_is_for_listed_custodians_and_the_registry(org, inventory, persona):
    """CAR-8: each custodian signs their own list; the security office runs the campaign; a person
    with nothing listed — the unit head included — is refused."""
    me = getattr(org, persona)
    if persona in {"staff_secret", "security_officer"}:
        assert_visible(me, inventory, "sign")
    else:
        assert_hidden(me, inventory, "sign")


@pytest.mark.parametrize("persona", ALL)
def test_sign_recall_is_for_the_registry_only(org, persona):
    """CAR-9, R-CAR-10: recalls are the security office's alone — no custodian signs one."""
    make_carrier(org, custodian=org.staff_secret, originator="省委办公厅")
    recall = services.launch_recall(org.security_officer, issuer="省委办公厅", title="清退", due_on=TOMORROW)
    me = getattr(org, persona)
    if persona == "security_officer":
        assert_visible(me, recall, "sign")
    else:
        assert_hidden(me, recall, "sign")
    assert isinstance(recall, RecallCampaign)


def test_signing_an_inventory_one_is_not_listed_in_is_not_found_and_audited(org, inventory, client):
    """CAR-8, CAR-3: a person with nothing on the inventory posting a sign-off gets 404 and an
    ACCESS_DENIED entry; the listed custodian signs and it is audited INVENTORY_SIGNED."""
    client.force_login(org.staff_other_dept)
    since = last_audit_id()
    assert_denied(client.post(reverse("carriers:inventory-sign", args=[inventory.pk])), actor=org.staff_other_dept,
                  since=since)  # fmt: skip
    assert_not_audited(AuditEvent.INVENTORY_SIGNED, inventory, since=since)
    for entry in inventory.entries.all():
        services.check_inventory_entry(org.staff_secret, entry, result=InventoryResult.CONFIRMED)
    services.sign_inventory(org.staff_secret, InventoryCampaign.objects.get(pk=inventory.pk))
    assert_audited(AuditEvent.INVENTORY_SIGNED, inventory, org.staff_secret, since=since)


# -- revoke a consent (R-AC-3) ----------------------------------------------------------------------


@pytest.fixture
def consent(org):
    carrier = make_carrier(
        org, Level.TOP_SECRET, custodian=org.unit_head
    )  # determined by authority_top_secret
    return services.record_consent(org.unit_head, carrier, copy=True, originator="国务院办公厅",
                                   reference="国办函〔2026〕1号")  # fmt: skip


# R-AC-3: the consent is recorded and revoked by the unit head or the item's own authority.
REVOKE_CONSENT = {"unit_head", "authority_top_secret"}


@pytest.mark.parametrize("persona", ALL)
def test_revoke_consent_is_for_the_unit_head_and_the_items_authority(org, consent, persona):
    """R-AC-3: the unit head or the authority who determined the 绝密 item revokes the consent;
    the security office (which sees consents as part of the registry), staff, the auditor and
    other authorities are refused."""
    me = getattr(org, persona)
    if persona in REVOKE_CONSENT:
        assert_visible(me, consent, "revoke")
    else:
        assert_hidden(me, consent, "revoke")
    if persona == "security_officer":
        assert_visible(me, consent, "view")  # CAR-1: it sees the consent, but may not revoke it


def test_revoking_a_consent_refused_is_audited_and_changes_nothing(org, consent):
    """R-AC-3, SEC-3: a staff member's revocation is refused (not found) and audited, the consent
    stays; the unit head's revocation is audited CONSENT_REVOKED."""
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.revoke_consent(org.staff_secret, consent)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_secret, outcome="denied", since=since)
    assert ContentConsent.objects.get(pk=consent.pk).revoked_at is None
    services.revoke_consent(org.unit_head, consent)
    assert_audited(AuditEvent.CONSENT_REVOKED, consent.item, org.unit_head, since=since)


# -- screens (global actions) -----------------------------------------------------------------------

GLOBAL_ALLOWED = {
    "carriers.register": {"security_officer"},  # CAR-1: the security office keeps the registry
    "carriers.campaigns": {"security_officer"},  # CAR-8, CAR-9: it starts inventories and recalls
    "carriers.browse": set(ALL),  # CAR-12: one's own carriers, transfers and inventories
    # CAR-4, CAR-6: the unit head, department heads (loans) and the security office approve.
    "carriers.approvals": {"security_officer", "unit_head", "dept_head"},
}


@pytest.mark.parametrize("action", sorted(GLOBAL_ALLOWED))
@pytest.mark.parametrize("persona", ALL)
def test_carrier_screens(org, action, persona):
    """CAR-1, CAR-4, CAR-8, CAR-12: who may open each carrier screen; a disabled account opens
    none (SEC-1)."""
    me = getattr(org, persona)
    assert policy.can(me, action) is (persona in GLOBAL_ALLOWED[action])
    me.is_active = False
    assert policy.can(me, action) is False


@pytest.mark.parametrize("persona", ["staff_secret", "unit_head", "sysadmin"])
def test_registering_without_carriers_register_is_not_found_and_audited(org, client, persona):
    """CAR-1, CAR-3: the registry page and the register service refuse everyone but the security
    office — 404 and ACCESS_DENIED; the security officer opens the page."""
    me = getattr(org, persona)
    client.force_login(me)
    since = last_audit_id()
    assert_denied(client.get(reverse("carriers:register")), actor=me, since=since)
    carrier = make_carrier(org, custodian=org.staff_secret)
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.register_carrier(me, item=carrier.item, kind="paper", custodian=org.staff_secret, copies=1,
                                  storage_place="保密柜A-01", pages=3)  # fmt: skip
    assert_audited(AuditEvent.ACCESS_DENIED, actor=me, outcome="denied", since=since)
    client.force_login(org.security_officer)
    assert client.get(reverse("carriers:register")).status_code == 200


def test_campaigns_refused_are_not_found_and_audited(org, client):
    """CAR-8, CAR-9, CAR-3: a staff member cannot open the recalls page nor start an inventory
    (404 and ACCESS_DENIED each time); the security officer starts one."""
    client.force_login(org.staff_secret)
    since = last_audit_id()
    assert_denied(client.get(reverse("carriers:recalls")), actor=org.staff_secret, since=since)
    since = last_audit_id()
    response = client.post(reverse("carriers:inventories"), {"title": "清点", "due_on": TOMORROW.isoformat()})
    assert_denied(response, actor=org.staff_secret, since=since)
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.start_inventory(org.unit_head, title="清点", due_on=TOMORROW)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.unit_head, outcome="denied", since=since)
    assert not InventoryCampaign.objects.exists()
    services.start_inventory(org.security_officer, title="清点", due_on=TOMORROW)
    assert_audited(AuditEvent.INVENTORY_STARTED, actor=org.security_officer, since=since)


def test_browse_and_approvals_show_only_ones_own_work(org, loan, client):
    """CAR-12, CAR-6: every account opens its workbench and approvals page, but a loan request is
    listed only for its requester and its approvers — not for a staff member of another
    department."""
    client.force_login(org.staff_other_dept)
    assert client.get(reverse("carriers:workbench")).status_code == 200
    page = client.get(reverse("carriers:approvals"))
    assert page.status_code == 200
    assert loan not in list(page.context["queue"]["loan"]) and loan not in list(page.context["mine"]["loan"])
    client.force_login(org.dept_head)
    assert loan in list(client.get(reverse("carriers:approvals")).context["queue"]["loan"])
    client.force_login(org.case_handler)
    assert loan in list(client.get(reverse("carriers:approvals")).context["mine"]["loan"])
