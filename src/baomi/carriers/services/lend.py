"""Loans (CAR-6, R-CAR-4): request, approval, return, overdue reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import lifecycle
from baomi.carriers.choices import RequestStatus
from baomi.carriers.models import Carrier, LoanRequest
from baomi.carriers.services._common import _cleared, _details, _lock, _move, _require_text
from baomi.carriers.services.requests import _decide, _lock_request
from baomi.classification.selectors import in_scope
from baomi.core.errors import ValidationFailed
from baomi.kit.service import internal, service

# --- loans (CAR-6) ---------------------------------------------------------------------------


@service
def request_loan(
    actor: Any, carrier: Carrier, *, place: str, due_on: dt.date, reason: str, borrower: Any = None
) -> LoanRequest:
    """Ask to borrow a carrier for reading at a named place until a due date (CAR-6, R-CAR-4).

    *Requires* ``lend`` (a person in scope for themselves; the custodian or the security office
    on behalf of a borrower). The borrower must be cleared and in scope. *Audits* LOAN_REQUESTED.
    """
    carrier = _lock(carrier)
    policy.require(actor, "lend", carrier)
    lifecycle.require_state(carrier.status, "request_loan")
    borrower = borrower or actor
    if borrower.pk != actor.pk and not (
        carrier.custodian_id == actor.pk or policy.can(actor, "seal", carrier)
    ):
        raise AccessDenied(action="lend", target=carrier)
    if borrower.pk == carrier.custodian_id:
        raise ValidationFailed(_("The custodian already holds this carrier."))
    if not (_cleared(borrower, carrier.level) and in_scope(borrower, carrier.item)):
        msg = _("The borrower is not cleared for this carrier or not in its need-to-know scope.")
        raise ValidationFailed(msg, fields={"borrower": [msg]})
    place = _require_text(place, "place", _("Name the place of reading."))
    reason = _require_text(reason, "reason", _("Give a reason."))
    if due_on < timezone.localdate():
        msg = _("The due date cannot be in the past.")
        raise ValidationFailed(msg, fields={"due_on": [msg]})
    longest = settings.CARRIERS_LOAN_MAX_DAYS
    if (due_on - timezone.localdate()).days > longest:
        # CAR-6: a loan is for reading, returned within days; a carrier kept longer is a change of
        # custody (transfer), not a loan.
        too_long: Any = _(
            "A loan lasts at most %(days)s days; for longer, transfer the carrier to the person."
        ) % {"days": longest}
        raise ValidationFailed(too_long, fields={"due_on": [too_long]})
    if LoanRequest.objects.filter(
        carrier=carrier, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED]
    ).exists():
        raise ValidationFailed(_("This carrier already has an open loan request."))
    loan = LoanRequest(carrier=carrier, requested_by=actor, borrower=borrower, place=place, due_on=due_on,
                       reason=reason)  # fmt: skip
    loan.save(force_insert=True)
    record(actor, AuditEvent.LOAN_REQUESTED, carrier,
           details=_details(carrier, request_id=loan.pk, borrower_id=borrower.pk, due_on=due_on))  # fmt: skip
    return loan


@service
def approve_loan(actor: Any, loan: LoanRequest, *, note: str = "") -> LoanRequest:
    """Approve a loan; the carrier is lent to the borrower (CAR-6).

    *Requires* ``approve`` on the loan (unit head or head of the carrier's department, never the
    requester). *Audits* LOAN_APPROVED on the carrier."""
    loan = _lock_request(LoanRequest, loan)
    carrier = _lock(loan.carrier)
    policy.require(actor, "approve", loan)
    lifecycle.next_state(carrier.status, "lend")
    if loan.status == RequestStatus.PENDING and loan.due_on < timezone.localdate():
        # CAR-6: a loan approved after its due date would be overdue from the start.
        raise ValidationFailed(
            _("The due date of this loan request has passed; reject it and ask for a new one.")
        )
    _decide(actor, loan, RequestStatus.APPROVED, note)
    loan.lent_at = timezone.now()
    loan.save(update_fields=["lent_at"])
    carrier.holder = loan.borrower
    _move(actor, carrier, "lend", fields=["holder"], request=loan, request_id=loan.pk, borrower_id=loan.borrower_id,
          due_on=loan.due_on)  # fmt: skip
    return loan


@service
def return_carrier(actor: Any, carrier: Carrier, *, note: str = "") -> LoanRequest:
    """Register the return of a lent carrier, counted back by the custodian or the security
    office (CAR-6). *Requires* ``return``. *Audits* CARRIER_RETURNED."""
    carrier = _lock(carrier)
    policy.require(actor, "return", carrier)
    lifecycle.next_state(carrier.status, "return")
    loan = LoanRequest.objects.select_for_update().get(carrier=carrier, status=RequestStatus.APPROVED)
    loan.status = RequestStatus.DONE
    loan.returned_at = timezone.now()
    loan.received_back_by = actor
    loan.save(update_fields=["status", "returned_at", "received_back_by"])
    carrier.holder = None
    late = loan.due_on < timezone.localdate()
    _move(actor, carrier, "return", fields=["holder"], request_id=loan.pk, late=late, note=note[:200])
    return loan


@internal
def remind_overdue_loans(today: dt.date | None = None) -> int:
    """Mark every overdue loan as reminded today, once a day (CAR-6); the borrower and the
    approver see it on their start page. Called by the scheduled job ``carriers.overdue_loans``
    (no person acts, so no policy check; its own transaction). *Audits* LOAN_REMINDED."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        overdue = (
            LoanRequest.objects.select_for_update()
            .select_related("carrier")
            .filter(status=RequestStatus.APPROVED, due_on__lt=today)
            .exclude(reminded_on=today)
        )
        for loan in overdue:
            loan.reminded_on = today
            loan.save(update_fields=["reminded_on"])
            record(None, AuditEvent.LOAN_REMINDED, loan.carrier,
                   details=_details(loan.carrier, request_id=loan.pk, borrower_id=loan.borrower_id,
                                    days_overdue=(today - loan.due_on).days))  # fmt: skip
            count += 1
    return count
