"""Nobody decides, signs or witnesses for themselves (R-ROLE-5, CAR-4, CAR-5, CAR-6, R-CAR-2;
issue 11 §2): the person who asks, hands over or benefits is never the one who approves or
signs. Each pair is refused through the service and the page, and audited (CAR-3, SEC-3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.carriers import services
from baomi.carriers.choices import CarrierStatus, RequestStatus, TransferChannel
from baomi.carriers.models import LoanRequest, Transfer
from baomi.core.errors import ValidationFailed
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_denied, assert_hidden, assert_visible, last_audit_id

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def loan_to_head(org):
    """The custodian files a loan naming the department head as borrower (the attack of §2)."""
    carrier = make_carrier(org, scope=[org.dept_head])
    return services.request_loan(
        org.staff_secret, carrier, place="阅文室", due_on=TOMORROW, reason="审阅", borrower=org.dept_head
    )


def test_department_head_cannot_approve_a_loan_to_herself(org, loan_to_head):
    """R-ROLE-5, CAR-6: the department head is the borrower — she may not approve it (neither
    ``can`` nor the approval queue's SQL), the service refuses; the unit head above approves."""
    assert_hidden(org.dept_head, loan_to_head, "approve")
    with pytest.raises(AccessDenied):
        services.approve_loan(org.dept_head, loan_to_head)
    assert LoanRequest.objects.get(pk=loan_to_head.pk).status == RequestStatus.PENDING
    # The borrower still sees her own request.
    assert policy.can(org.dept_head, "view", loan_to_head)
    # The next authority up decides.
    assert_visible(org.unit_head, loan_to_head, "approve")
    services.approve_loan(org.unit_head, loan_to_head)
    assert LoanRequest.objects.get(pk=loan_to_head.pk).status == RequestStatus.APPROVED


def test_department_head_rejecting_a_loan_to_herself_is_not_found_and_audited(org, loan_to_head, client):
    """R-ROLE-5, CAR-3: through the page the borrower's own decision is a 404 and audited."""
    client.force_login(org.dept_head)
    since = last_audit_id()
    for verb in ("approve", "reject"):
        response = client.post(reverse("carriers:decide", args=["loan", loan_to_head.pk, verb]))
        assert_denied(response, actor=org.dept_head, since=since)
    assert LoanRequest.objects.get(pk=loan_to_head.pk).status == RequestStatus.PENDING


def test_security_officer_cannot_transfer_a_carrier_to_himself(org):
    """R-ROLE-5, CAR-5: the registry may send a carrier it does not hold, but not to itself."""
    carrier = make_carrier(org, pages=3)
    with pytest.raises(ValidationFailed) as exc:
        services.send_carrier(org.security_officer, carrier, receiver=org.security_officer,
                              channel=TransferChannel.CONFIDENTIAL_MAIL, envelope_number="JY-1")  # fmt: skip
    assert "receiver" in exc.value.fields
    carrier.refresh_from_db()
    assert carrier.status == CarrierStatus.REGISTERED and carrier.custodian == org.staff_secret


def test_the_sender_never_signs_the_receipt(org):
    """R-CAR-2, R-ROLE-5: a transfer whose receiver is its sender (a row from before the rule)
    cannot be signed by him: ``receive`` is refused on the transfer and on the carrier."""
    carrier = make_carrier(org, pages=3)
    transfer = services.send_carrier(org.security_officer, carrier, receiver=org.case_handler,
                                     channel=TransferChannel.CONFIDENTIAL_MAIL, envelope_number="JY-2")  # fmt: skip
    Transfer.objects.filter(pk=transfer.pk).update(receiver=org.security_officer)
    transfer.refresh_from_db()
    assert_hidden(org.security_officer, transfer, "receive")
    assert not policy.can(org.security_officer, "receive", carrier)
    with pytest.raises(AccessDenied):
        services.receive_carrier(org.security_officer, transfer, counted=3)
    carrier.refresh_from_db()
    assert carrier.custodian == org.staff_secret


def test_wrong_count_at_receipt_does_not_tell_the_registered_count(org):
    """R-CAR-2 (签收): the receiver counts blind — a wrong count is refused and the message does
    not reveal the registered number of pages; the right count signs."""
    carrier = make_carrier(org, pages=6)
    transfer = services.send_carrier(org.staff_secret, carrier, receiver=org.case_handler,
                                     channel=TransferChannel.CONFIDENTIAL_MAIL, envelope_number="JY-3")  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        services.receive_carrier(org.case_handler, transfer, counted=5)
    said = str(exc.value.message) + " ".join(str(m) for ms in exc.value.fields.values() for m in ms)
    assert "6" not in said and "清点" in said
    services.receive_carrier(org.case_handler, transfer, counted=6)
