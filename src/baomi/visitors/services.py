"""Services of the visitors register: every change (SUP-4).

The identity number is validated (a resident identity card's check digit, GB 11643), then
sealed in the vault (SM4-GCM under a fresh data key wrapped by the master key ring, with a
random salt beside the number so the plaintext digest the vault keeps cannot be matched
against guessed numbers); only a masked form is stored in the clear. Reading it back is its
own audited action. A visit that ends before it starts is refused; entering a key place needs
its responsible person's approval, and check-in is refused without it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.core import levels
from baomi.kit import requests
from baomi.kit.service import internal, own_transaction, service
from baomi.registers import checks
from baomi.registers.exports import xlsx_bytes
from baomi.registers.reminders import remind_once
from baomi.registers.roles import is_officer
from baomi.sites.choices import SiteStatus
from baomi.vault import services as vault
from baomi.visitors import lifecycle, selectors
from baomi.visitors.choices import IdentityType, VisitStatus
from baomi.visitors.events import VisitorsEvent
from baomi.visitors.models import Visit, VisitApproval

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_DIGITS = "10X98765432"
DOCUMENT = re.compile(r"^[A-Z0-9]{5,20}$")


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


# --- identity (SUP-4) ----------------------------------------------------------------------------


@internal
def normalise_identity(id_type: str, number: str) -> str:
    """The identity number in canonical form, or ValidationFailed on ``id_number`` (a pure
    function). A resident identity card number has 17 digits and a check digit (GB 11643);
    other documents 5–20 letters and digits."""
    if id_type not in IdentityType.values:
        checks.fail("id_type", _("Choose the kind of identity document."))
    text = re.sub(r"\s", "", number or "").upper()
    if not text:
        checks.fail("id_number", _("Give the identity document number."))
    if id_type == IdentityType.RESIDENT_ID:
        if not re.match(r"^\d{17}[\dX]$", text):
            checks.fail("id_number", _("A resident identity card number has 18 characters: 17 digits and a check "
                                       "digit (a digit or X)."))  # fmt: skip
        total = sum(int(d) * w for d, w in zip(text[:17], WEIGHTS, strict=True))
        if CHECK_DIGITS[total % 11] != text[17]:
            checks.fail("id_number", _("The check digit of this resident identity card number is wrong; check the "
                                       "number against the card."))  # fmt: skip
    elif not DOCUMENT.match(text):
        checks.fail("id_number", _("A document number has 5 to 20 letters and digits."))
    return text


def _masked(number: str) -> str:
    return "*" * (len(number) - 4) + number[-4:]


def _seal(actor: Any, id_type: str, number: str, visit: Visit | None) -> Any:
    payload = json.dumps({"type": id_type, "number": number, "salt": secrets.token_hex(16)}).encode()
    return vault.store(actor, payload, content_type="application/json", target=visit)


# --- registration ------------------------------------------------------------------------------------


@service
def register_visit(
    actor: Any, *, visitor_name: str, id_type: str, id_number: str, organisation: str, host: Any, purpose: str,
    expected_start: dt.datetime | None, expected_end: dt.datetime | None, places: Any = (), other_areas: str = "",
    escort: Any = None, phone: str = "",
) -> Visit:  # fmt: skip
    """Register a visit (SUP-4). Each key place it enters gets an approval request to that
    place's responsible person. The host registers their own visitors; the security office
    registers for any host.

    *Requires* ``register_visit`` (and being the host, unless the security officer).
    *Audits* VISIT_REGISTERED (and BLOB_STORED for the sealed number). *Raises*
    ValidationFailed for a visit that ends before it starts, a bad identity number, a missing
    escort for key places or an escort not cleared for them."""
    policy.require(actor, "register_visit")
    if host is not None and host.pk != actor.pk and not is_officer(actor):
        checks.fail(
            "host", _("You can register only your own visitors; the security office registers for others.")
        )
    visitor_name = checks.require_text(visitor_name, "visitor_name", _("Give the visitor's name."))
    number = normalise_identity(id_type, id_number)
    organisation = checks.require_text(organisation, "organisation", _("Give the visitor's organisation."))
    purpose = checks.require_text(purpose, "purpose", _("Give the purpose of the visit."))
    if host is None or not host.is_active:
        checks.fail("host", _("Name the host, a person of the unit."))
    if expected_start is None or expected_end is None:
        checks.fail("expected_start", _("Give the expected arrival and departure."))
    if expected_end <= expected_start:
        checks.fail(
            "expected_end",
            _("The visit cannot end before it starts: the departure must be after the arrival."),
        )
    place_list = list(places or [])
    for place in place_list:
        if place.status == SiteStatus.REVOKED:
            checks.fail("places", _("%(place)s is no longer a key place.") % {"place": place.name})
    if place_list:
        if escort is None:
            checks.fail("escort", _("A visitor entering a key place is escorted; name the escort."))
        highest = levels.highest([p.level for p in place_list])
        checks.cleared_for(escort, highest, "escort",
                           _("The escort must be an active person cleared for the key places entered."))  # fmt: skip
    visit = Visit(visitor_name=visitor_name, id_type=id_type, id_masked=_masked(number), organisation=organisation,
                  phone=phone.strip(), host=host, purpose=purpose, other_areas=other_areas.strip(), escort=escort,
                  expected_start=expected_start, expected_end=expected_end, registered_by=actor)  # fmt: skip
    visit.identity = _seal(actor, id_type, number, None)
    visit.save()
    if place_list:
        visit.places.set(place_list)
    for place in place_list:
        VisitApproval(visit=visit, place=place, host=host, requested_by=actor, reason=purpose[:300]).save()
    record(actor, VisitorsEvent.VISIT_REGISTERED, visit,
           details={"host": host.pk, "places": [p.pk for p in place_list], "id_type": id_type,
                    "blob": str(visit.identity_id)})  # fmt: skip
    return visit


# --- approvals of key places (SUP-4) ---------------------------------------------------------------------


@service
def approve_visit(actor: Any, approval: VisitApproval, *, reason: str = "") -> VisitApproval:
    """The key place's responsible person lets the visitor in (SUP-4). *Requires* ``decide``
    (never the host or the registrar). *Audits* VISIT_APPROVED."""
    _decidable(approval)
    return requests.decide(actor, approval, requests.APPROVE, reason=reason, event=VisitorsEvent.VISIT_APPROVED,
                           details={"visit": approval.visit_id, "place": approval.place_id})  # type: ignore[return-value]  # fmt: skip


@service
def reject_visit(actor: Any, approval: VisitApproval, *, reason: str) -> VisitApproval:
    """The key place's responsible person refuses entry (SUP-4). *Requires* ``decide``.
    *Audits* VISIT_REJECTED."""
    _decidable(approval)
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    return requests.decide(actor, approval, requests.REJECT, reason=reason, event=VisitorsEvent.VISIT_REJECTED,
                           details={"visit": approval.visit_id, "place": approval.place_id})  # type: ignore[return-value]  # fmt: skip


def _decidable(approval: VisitApproval) -> None:
    if approval.visit.status != VisitStatus.REGISTERED:
        checks.fail("reason", _("The visit is no longer waiting to come in."))


# --- on the day -------------------------------------------------------------------------------------------


@service
def check_in(actor: Any, visit: Visit, *, at: dt.datetime | None = None) -> Visit:
    """Check a visitor in (SUP-4). Refused while any key place of the visit lacks its responsible
    person's approval. *Requires* ``receive`` (the security office, the host or the escort).
    *Audits* VISITOR_CHECKED_IN."""
    visit = _locked(visit)
    policy.require(actor, "receive", visit)
    move = lifecycle.next_move(visit.status, "check_in")
    missing = [
        a.place.name
        for a in visit.approvals.select_related("place")
        if a.status != requests.RequestStatus.APPROVED
    ]
    if missing:
        checks.fail("places", _("Entering a key place needs its responsible person's approval first; not approved: "
                                "%(places)s.") % {"places": "、".join(missing)})  # fmt: skip
    when = at or timezone.now()
    if when > timezone.now():
        checks.fail("at", _("The time cannot be in the future."))
    visit.status, visit.checked_in_at, visit.checked_in_by = move.next_state, when, actor
    visit.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    record(actor, move.event, visit, details={"at": when})
    return visit


@service
def check_out(actor: Any, visit: Visit, *, at: dt.datetime | None = None) -> Visit:
    """Check a visitor out (SUP-4). *Requires* ``receive``. *Audits* VISITOR_CHECKED_OUT.
    *Raises* ValidationFailed for a time before the check-in."""
    visit = _locked(visit)
    policy.require(actor, "receive", visit)
    move = lifecycle.next_move(visit.status, "check_out")
    when = at or timezone.now()
    if when > timezone.now():
        checks.fail("at", _("The time cannot be in the future."))
    if visit.checked_in_at and when < visit.checked_in_at:
        checks.fail("at", _("A visitor cannot leave before arriving: the check-out is before the check-in."))
    visit.status, visit.checked_out_at, visit.checked_out_by = move.next_state, when, actor
    visit.save(update_fields=["status", "checked_out_at", "checked_out_by"])
    record(actor, move.event, visit, details={"at": when})
    return visit


@service
def cancel_visit(actor: Any, visit: Visit, *, reason: str) -> Visit:
    """Cancel a visit that has not begun (SUP-4); its pending approvals leave the approvers'
    queues. *Requires* ``cancel`` (the host, the registrar or the security office). *Audits*
    VISIT_CANCELLED."""
    visit = _locked(visit)
    policy.require(actor, "cancel", visit)
    move = lifecycle.next_move(visit.status, "cancel")
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    visit.status = move.next_state
    visit.save(update_fields=["status"])
    record(actor, move.event, visit, details={"reason": reason[:200]})
    return visit


@service
def reveal_identity(actor: Any, visit: Visit) -> str:
    """Read a visitor's identity number back from the vault (SUP-4; personal information).
    *Requires* ``reveal_identity`` (the security office). *Audits* VISITOR_IDENTITY_REVEALED
    and BLOB_READ."""
    policy.require(actor, "reveal_identity", visit)
    with vault.open_stream(actor, visit.identity, target=visit) as stream:
        payload = json.loads(stream.read())
    record(actor, VisitorsEvent.VISITOR_IDENTITY_REVEALED, visit, details={"id_type": payload["type"]})
    return str(payload["number"])


# --- export and the closing-time check ------------------------------------------------------------------


@service
def export_register(
    actor: Any, *, title: str, headers: list[Any], rows: list[list[Any]], register: str
) -> bytes:
    """Export the visitor register page as xlsx (SUP-4): the rows the viewer sees, identity
    numbers masked. *Requires* ``visitors_browse``. *Audits* VISITORS_EXPORTED."""
    policy.require(actor, "visitors_browse")
    entry = record(
        actor, VisitorsEvent.VISITORS_EXPORTED, None, details={"register": register, "rows": len(rows)}
    )
    return xlsx_bytes(title, headers, rows, actor=actor, number=entry.pk)


@own_transaction
def raise_closing_alerts(now: Any = None) -> dict[str, int]:
    """Scheduler: after closing time, one VISITORS_ON_SITE_AT_CLOSING entry per visitor still on
    site, once per day (SUP-4); the security officer's start page lists them live. No policy
    (the system acts); each entry in its own short transaction."""
    moment = now or timezone.now()
    raised = 0
    for visit in selectors.on_site_at_closing(None, moment):
        with transaction.atomic():
            raised += remind_once(VisitorsEvent.VISITORS_ON_SITE_AT_CLOSING, visit, "closing",
                                  timezone.localdate(moment))  # fmt: skip
    return {"alerts": raised}
