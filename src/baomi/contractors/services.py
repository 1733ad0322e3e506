"""Services of the contractors register: every change (SUP-13, R-SITE-3).

``require_qualified`` is the check other registers run before outside work on carriers and
devices (repair, destruction): the contractor must be active and hold a current qualification
of that kind whose grade covers the level — an expired one cannot be chosen.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.contractors import lifecycle, selectors
from baomi.contractors.choices import ContractorStatus, QualificationGrade, QualificationKind
from baomi.contractors.events import ContractorsEvent
from baomi.contractors.models import Contractor, Engagement, Qualification
from baomi.core import levels
from baomi.kit.service import internal, own_transaction, service
from baomi.registers import checks
from baomi.registers.exports import xlsx_bytes
from baomi.registers.reminders import remind_once

# GB 32100-2015: 18 characters, digits and capital letters without I, O, Z, S, V.
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _credit_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not CREDIT_CODE.match(code):
        checks.fail("credit_code", _("The unified social credit code has 18 characters: digits and capital letters "
                                     "(no I, O, Z, S or V)."))  # fmt: skip
    return code


# --- contractors ------------------------------------------------------------------------------


@service
def register_contractor(actor: Any, *, name: str, credit_code: str, contact: str = "", phone: str = "",
                        address: str = "", note: str = "") -> Contractor:  # fmt: skip
    """Register a contractor (SUP-13). *Requires* ``contractors_manage``. *Audits*
    CONTRACTOR_REGISTERED. *Raises* ValidationFailed for a missing name, a malformed or
    duplicate credit code, or a duplicate name."""
    policy.require(actor, "contractors_manage")
    name = checks.require_text(name, "name", _("Name the contractor."))
    code = _credit_code(credit_code)
    if Contractor.objects.filter(name=name).exists():
        checks.fail("name", _("A contractor of this name is already registered."))
    if Contractor.objects.filter(credit_code=code).exists():
        checks.fail("credit_code", _("A contractor with this credit code is already registered."))
    c = Contractor(name=name, credit_code=code, contact=contact.strip(), phone=phone.strip(), address=address.strip(),
                   note=note.strip(), created_by=actor)  # fmt: skip
    c.save()
    record(actor, ContractorsEvent.CONTRACTOR_REGISTERED, c, details={"credit_code": code})
    return c


@service
def update_contractor(actor: Any, contractor: Contractor, *, contact: str = "", phone: str = "", address: str = "",
                      note: str = "") -> Contractor:  # fmt: skip
    """Change a contractor's contact details (SUP-13). *Requires* ``manage``. *Audits* CONTRACTOR_UPDATED."""
    contractor = _locked(contractor)
    policy.require(actor, "manage", contractor)
    changed = []
    for field, value in (("contact", contact), ("phone", phone), ("address", address), ("note", note)):
        if getattr(contractor, field) != value.strip():
            setattr(contractor, field, value.strip())
            changed.append(field)
    if changed:
        contractor.save(update_fields=changed)
        record(actor, ContractorsEvent.CONTRACTOR_UPDATED, contractor, details={"changed": changed})
    return contractor


@service
def suspend_contractor(actor: Any, contractor: Contractor, *, reason: str) -> Contractor:
    """Stop engaging a contractor (violation, lost qualification): it can no longer be chosen.
    *Requires* ``manage``. *Audits* CONTRACTOR_SUSPENDED."""
    return _move_contractor(actor, contractor, "suspend", reason)


@service
def reinstate_contractor(actor: Any, contractor: Contractor, *, reason: str) -> Contractor:
    """Allow a suspended contractor again. *Requires* ``manage``. *Audits* CONTRACTOR_REINSTATED."""
    return _move_contractor(actor, contractor, "reinstate", reason)


def _move_contractor(actor: Any, contractor: Contractor, action: str, reason: str) -> Contractor:
    contractor = _locked(contractor)
    policy.require(actor, "manage", contractor)
    move = lifecycle.next_move(lifecycle.CONTRACTOR_TRANSITIONS, contractor.status, action)
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    contractor.status = move.next_state
    contractor.save(update_fields=["status"])
    record(actor, move.event, contractor, details={"reason": reason[:200]})
    return contractor


# --- qualifications (R-SITE-3) ----------------------------------------------------------------------


@service
def add_qualification(actor: Any, contractor: Contractor, *, kind: str, grade: str, number: str, issued_on: date | None,
                      expires_on: date | None, issuer: str = "") -> Qualification:  # fmt: skip
    """Record a contractor's 保密资质: kind, grade, certificate number, validity (R-SITE-3).
    *Requires* ``manage`` on the contractor. *Audits* QUALIFICATION_ADDED. *Raises*
    ValidationFailed for a duplicate number or an expiry not after the issue date."""
    contractor = _locked(contractor)
    policy.require(actor, "manage", contractor)
    if kind not in QualificationKind.values:
        checks.fail("kind", _("Choose the kind of qualification."))
    if grade not in QualificationGrade.values:
        checks.fail("grade", _("Choose the grade of the qualification."))
    number = checks.require_text(number, "number", _("Give the certificate number."))
    if issued_on is None:
        checks.fail("issued_on", _("Give the date of issue."))
    checks.not_future(issued_on, "issued_on")
    if expires_on is None or expires_on <= issued_on:
        checks.fail("expires_on", _("The qualification must expire after it was issued."))
    if Qualification.objects.filter(number=number).exists():
        checks.fail("number", _("A qualification with this certificate number is already recorded."))
    q = Qualification(contractor=contractor, kind=kind, grade=grade, number=number, issuer=issuer.strip(),
                      issued_on=issued_on, expires_on=expires_on)  # fmt: skip
    q.save()
    record(actor, ContractorsEvent.QUALIFICATION_ADDED, q,
           details={"contractor": contractor.pk, "kind": kind, "grade": grade, "expires_on": expires_on})  # fmt: skip
    return q


@service
def revoke_qualification(actor: Any, qualification: Qualification, *, reason: str) -> Qualification:
    """Record that a qualification was withdrawn by its issuer (R-SITE-3); it no longer covers
    any work. *Requires* ``manage``. *Audits* QUALIFICATION_REVOKED."""
    qualification = _locked(qualification)
    policy.require(actor, "manage", qualification)
    if qualification.revoked_at is not None:
        checks.fail("reason", _("This qualification is already revoked."))
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    qualification.revoked_at, qualification.revocation_reason = timezone.now(), reason[:300]
    qualification.save(update_fields=["revoked_at", "revocation_reason"])
    record(actor, ContractorsEvent.QUALIFICATION_REVOKED, qualification, details={"reason": reason[:200]})
    return qualification


@internal
def require_qualified(contractor: Any, kind: str, level: str, *, field: str = "contractor",
                      on: date | None = None) -> Qualification:  # fmt: skip
    """The qualification that lets ``contractor`` do ``kind`` work at ``level`` on ``on``, or a
    ValidationFailed on ``field`` naming why not (R-SITE-3). A predicate run inside the calling
    service (devices, carriers), which has checked its own policy."""
    if contractor is None:
        checks.fail(field, _("Name the contractor that does this work."))
    if contractor.status != ContractorStatus.ACTIVE:
        checks.fail(field, _("This contractor is suspended and cannot be engaged."))
    q = (
        selectors.covering_qualifications(kind, level, on)
        .filter(contractor=contractor)
        .order_by("-expires_on")
        .first()
    )
    if q is None:
        checks.fail(field, _("The contractor holds no current “%(kind)s” qualification covering %(level)s "
                             "(an expired qualification cannot be relied on).")
                    % {"kind": QualificationKind(kind).label, "level": levels.Level(level).label})  # fmt: skip
    return q


# --- engagements (R-SITE-3) -------------------------------------------------------------------------------


@service
def start_engagement(
    actor: Any, contractor: Contractor, *, kind: str, level: str, scope: str, agreement_ref: str,
    agreement_signed_on: date | None, starts_on: date | None, ends_on: date | None, responsible: Any,
) -> Engagement:  # fmt: skip
    """Engage a contractor for 涉密 work: set the level, the scope, the signed 保密协议, and rely
    on a current qualification that covers it (R-SITE-3). *Requires* ``contractors_manage``.
    *Audits* ENGAGEMENT_STARTED. *Raises* ValidationFailed without a covering qualification,
    an agreement, or with dates out of order."""
    policy.require(actor, "contractors_manage")
    contractor = _locked(contractor)
    level = checks.state_secret_level(level)
    policy.check_ceiling(level)
    scope = checks.require_text(scope, "scope", _("Describe the scope of the work."))
    agreement_ref = checks.require_text(agreement_ref, "agreement_ref",
                                        _("Name the confidentiality agreement signed for this work."))  # fmt: skip
    if agreement_signed_on is None:
        checks.fail("agreement_signed_on", _("Give the date the agreement was signed."))
    checks.not_future(agreement_signed_on, "agreement_signed_on")
    if starts_on is None or ends_on is None:
        checks.fail("starts_on", _("Give the start and end dates."))
    if ends_on < starts_on:
        checks.fail("ends_on", _("The engagement cannot end before it starts."))
    if agreement_signed_on > starts_on:
        checks.fail("agreement_signed_on", _("The agreement must be signed before the work starts."))
    checks.cleared_for(responsible, level, "responsible",
                       _("The responsible person must be an active person cleared for this level."))  # fmt: skip
    qualification = require_qualified(contractor, kind, level, on=starts_on)
    e = Engagement(contractor=contractor, qualification=qualification, kind=kind, level=level, scope=scope,
                   agreement_ref=agreement_ref, agreement_signed_on=agreement_signed_on, starts_on=starts_on,
                   ends_on=ends_on, responsible=responsible, created_by=actor)  # fmt: skip
    e.save()
    record(actor, ContractorsEvent.ENGAGEMENT_STARTED, e,
           details={"contractor": contractor.pk, "qualification": qualification.pk, "kind": kind})  # fmt: skip
    return e


@service
def close_engagement(actor: Any, engagement: Engagement, *, result: str) -> Engagement:
    """Close an engagement with its result (R-SITE-3: the whole process managed).
    *Requires* ``manage``. *Audits* ENGAGEMENT_CLOSED."""
    engagement = _locked(engagement)
    policy.require(actor, "manage", engagement)
    move = lifecycle.next_move(lifecycle.ENGAGEMENT_TRANSITIONS, engagement.status, "close")
    result = checks.require_text(result, "result", _("Give the result."))
    engagement.status, engagement.result = move.next_state, result[:300]
    engagement.save(update_fields=["status", "result"])
    record(actor, move.event, engagement, details={"result": result[:200]})
    return engagement


# --- export and reminders ------------------------------------------------------------------------------


@service
def export_register(
    actor: Any, *, title: str, headers: list[Any], rows: list[list[Any]], register: str
) -> bytes:
    """Export a register page as xlsx (SUP-13): the rows the viewer already sees. *Requires*
    ``contractors_browse``. *Audits* CONTRACTORS_EXPORTED (its number is on the sheet)."""
    policy.require(actor, "contractors_browse")
    entry = record(
        actor, ContractorsEvent.CONTRACTORS_EXPORTED, None, details={"register": register, "rows": len(rows)}
    )
    return xlsx_bytes(title, headers, rows, actor=actor, number=entry.pk)


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Scheduler: one CONTRACTORS_REMINDED entry per qualification expiring within the lead
    time, and one when it has expired (SUP-13). Idempotent per date; no policy (the system
    acts); each entry in its own short transaction."""
    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.REGISTERS_REMINDER_DAYS)
    raised = 0
    live = Qualification.objects.filter(revoked_at__isnull=True, contractor__status=ContractorStatus.ACTIVE)
    for q in live.filter(expires_on__lte=horizon, expires_on__gte=today):
        with transaction.atomic():
            raised += remind_once(ContractorsEvent.CONTRACTORS_REMINDED, q, "expiring", q.expires_on)
    for q in live.filter(expires_on__lt=today, expires_on__gte=today - timedelta(days=1)):
        with transaction.atomic():
            raised += remind_once(ContractorsEvent.CONTRACTORS_REMINDED, q, "expired", q.expires_on)
    return {"reminders": raised}
