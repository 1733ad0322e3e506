"""Registering carriers (CAR-1) and the originator consent for 绝密 (R-AC-3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers.choices import CarrierKind
from baomi.carriers.models import Carrier, ContentConsent
from baomi.carriers.services import places
from baomi.carriers.services._common import (
    LIVE_ITEM_STATES,
    MAX_COPIES,
    _cleared,
    _details,
    _lock,
    _new_carriers,
    _require_text,
)
from baomi.core import levels
from baomi.core.errors import CeilingExceeded, ValidationFailed
from baomi.kit.service import service

# --- registration (CAR-1) --------------------------------------------------------------------


@service
def register_carrier(
    actor: Any, *, item: Any, kind: str, custodian: Any, title: str = "", copies: int = 1,
    storage_place: str = "", pages: int | None = None, made_on: dt.date | None = None, produced_at: str = "",
    produced_on_device: str = "", originator: str = "", department: Any = None, cabinet: Any = None,
    device: Any = None,
) -> list[Carrier]:  # fmt: skip
    """Register ``copies`` carriers of an item, 份号 ``000001``… per copy (CAR-1, R-CAR-1).

    *Requires* ``carriers.register`` (the security office) and clearance for the item's level.
    *Audits* CARRIER_REGISTERED per carrier. *Raises* ``CeilingExceeded`` above the
    accreditation ceiling (SEC-8), ``ValidationFailed`` for a bad kind, count or custodian, a
    cabinet or place that may not keep it (R-CAR-12), a device it may not live on (SUP-6).
    """
    policy.require(actor, "carriers.register")
    if not levels.within_ceiling(item.level):
        raise CeilingExceeded()
    if not policy.clearance_dominates(actor, item.level):
        raise AccessDenied(action="register", target=item)
    if kind not in CarrierKind.values:
        raise ValidationFailed(
            _("Choose a kind of carrier."), fields={"kind": [_("Choose a kind of carrier.")]}
        )
    if item.status not in LIVE_ITEM_STATES:
        raise ValidationFailed(_("Carriers can only be registered for a live classified item."))
    if not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        msg: Any = _("The number of copies must be between 1 and %(max)s.") % {"max": MAX_COPIES}
        raise ValidationFailed(msg, fields={"copies": [msg]})
    if pages is not None and pages < 0:
        raise ValidationFailed(
            _("Pages cannot be negative."), fields={"pages": [_("Pages cannot be negative.")]}
        )
    if not _cleared(custodian, item.level):
        msg = _("The custodian's clearance does not reach the level of this item.")
        raise ValidationFailed(msg, fields={"custodian": [msg]})
    if made_on is not None and made_on > timezone.localdate():
        # CAR-1: the date made is a fact of the past; it also fixes the year of the number.
        msg = _("The date made cannot be in the future.")
        raise ValidationFailed(msg, fields={"made_on": [msg]})
    cabinet, storage_place = places.storage_for(item.level, kind, cabinet=cabinet, place=storage_place)
    device = places.device_for(item.level, kind, device)
    return _new_carriers(
        actor, item=item, kind=kind, title=(title or item.title).strip(), custodian=custodian, count=copies,
        storage_place=storage_place, cabinet=cabinet, device=device, pages=pages, made_on=made_on or timezone.localdate(),
        produced_at=produced_at, produced_on_device=produced_on_device, originator=originator,
        department=department,
    )  # fmt: skip


# --- originator consent for 绝密 (R-AC-3) ----------------------------------------------------


@service
def record_consent(
    actor: Any, carrier: Carrier, *, download: bool = False, copy: bool = False, print_: bool = False,
    originator: str, reference: str,
) -> ContentConsent:  # fmt: skip
    """Record the originator's consent that unlocks download, copy or print of a 绝密 item
    (R-AC-3, R-CAR-12). *Requires* ``consent`` on one of its carriers. *Audits* CONSENT_RECORDED."""
    carrier = _lock(carrier)
    policy.require(actor, "consent", carrier)
    originator = _require_text(originator, "originator", _("Name the consenting originator."))
    reference = _require_text(reference, "reference", _("Give the reference of the written consent."))
    if not (download or copy or print_):
        raise ValidationFailed(_("Choose at least one use to unlock."))
    consent = ContentConsent(
        item=carrier.item, allow_download=download, allow_copy=copy, allow_print=print_,
        originator=originator, reference=reference, recorded_by=actor,
    )  # fmt: skip
    consent.save(force_insert=True)
    record(actor, AuditEvent.CONSENT_RECORDED, carrier,
           details=_details(carrier, consent_id=consent.pk, download=download, copy=copy, print=print_))  # fmt: skip
    return consent


@service
def revoke_consent(actor: Any, consent: ContentConsent) -> ContentConsent:
    """Revoke a consent; 绝密 uses are blocked again (R-AC-3). *Audits* CONSENT_REVOKED."""
    consent = ContentConsent.objects.select_for_update().select_related("item").get(pk=consent.pk)
    policy.require(actor, "revoke", consent)
    if consent.revoked_at is not None:
        raise ValidationFailed(_("This consent was already revoked."))
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    record(actor, AuditEvent.CONSENT_REVOKED, consent.item, details={"consent_id": consent.pk})
    return consent
