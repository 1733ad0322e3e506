"""Recall campaigns (CAR-9, R-CAR-10) and inventory campaigns (CAR-8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import lifecycle
from baomi.carriers.choices import CampaignStatus, InventoryResult
from baomi.carriers.models import (
    Carrier,
    InventoryCampaign,
    InventoryEntry,
    InventorySignOff,
    RecallCampaign,
    RecallEntry,
)
from baomi.carriers.services._common import (
    GONE,
    _details,
    _lock,
    _lock_row,
    _move,
    _require_future,
    _require_text,
)
from baomi.carriers.services.custody import _open_incident
from baomi.core.errors import ValidationFailed
from baomi.kit.service import internal, service

# --- recall campaigns (CAR-9, R-CAR-10) ------------------------------------------------------


@service
def launch_recall(actor: Any, *, issuer: str, title: str, due_on: dt.date) -> RecallCampaign:
    """Recall every carrier from one issuer still held here (清退, R-CAR-10). *Requires*
    ``carriers.campaigns``. *Audits* RECALL_LAUNCHED."""
    policy.require(actor, "carriers.campaigns")
    issuer = _require_text(issuer, "issuer", _("Name the issuer."))
    title = _require_text(title, "title", _("Give a title."))
    _require_future(due_on, "due_on")
    carriers = policy.visible(
        actor, Carrier.objects.filter(originator=issuer).exclude(status__in=GONE), "view"
    )
    ids = list(carriers.values_list("pk", flat=True))
    if not ids:
        raise ValidationFailed(
            _("No carriers from this issuer are held here."), fields={"issuer": [_("No carriers.")]}
        )
    campaign = RecallCampaign(issuer=issuer, title=title, due_on=due_on, launched_by=actor)
    campaign.save(force_insert=True)
    RecallEntry.objects.bulk_create([RecallEntry(campaign=campaign, carrier_id=pk) for pk in ids])
    record(actor, AuditEvent.RECALL_LAUNCHED, campaign, details={"issuer": issuer, "carriers": len(ids)})
    return campaign


@service
def record_recall_return(actor: Any, entry: RecallEntry) -> RecallEntry:
    """One recalled carrier is handed back to its issuer (R-CAR-10). *Requires* ``recall`` on
    the carrier. *Audits* CARRIER_RECALLED."""
    entry = RecallEntry.objects.select_for_update().select_related("campaign").get(pk=entry.pk)
    carrier = _lock(entry.carrier_id)
    policy.require(actor, "recall", carrier)
    if entry.campaign.status != CampaignStatus.OPEN or entry.returned_at is not None:
        raise ValidationFailed(_("This recall entry is already closed."))
    lifecycle.next_state(carrier.status, "recall")
    entry.returned_at = timezone.now()
    entry.received_by = actor
    entry.save(update_fields=["returned_at", "received_by"])
    _move(actor, carrier, "recall", campaign_id=entry.campaign_id)
    return entry


@service
def close_recall(actor: Any, campaign: RecallCampaign) -> RecallCampaign:
    """Close a recall; what was not returned stays listed. *Requires* ``manage``. *Audits* RECALL_CLOSED."""
    campaign = _lock_row(RecallCampaign, campaign)
    policy.require(actor, "manage", campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationFailed(_("This campaign is already closed."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    outstanding = campaign.entries.filter(returned_at__isnull=True).count()
    record(actor, AuditEvent.RECALL_CLOSED, campaign, details={"not_returned": outstanding})
    return campaign


# --- inventory campaigns (CAR-8) -------------------------------------------------------------


@service
def start_inventory(actor: Any, *, title: str, due_on: dt.date) -> InventoryCampaign:
    """Start an inventory: every carrier in custody is listed under its custodian (CAR-8).
    *Requires* ``carriers.campaigns``. *Audits* INVENTORY_STARTED."""
    policy.require(actor, "carriers.campaigns")
    title = _require_text(title, "title", _("Give a title."))
    _require_future(due_on, "due_on")
    if InventoryCampaign.objects.filter(status=CampaignStatus.OPEN).exists():
        raise ValidationFailed(_("Another inventory is still open; close it first."))
    held = Carrier.objects.exclude(status__in=GONE).values_list("pk", "custodian_id")
    campaign = InventoryCampaign(title=title, due_on=due_on, started_by=actor)
    campaign.save(force_insert=True)
    InventoryEntry.objects.bulk_create(
        [InventoryEntry(campaign=campaign, carrier_id=pk, custodian_id=cust) for pk, cust in held],
        batch_size=1000,
    )
    record(actor, AuditEvent.INVENTORY_STARTED, campaign, details={"carriers": len(held)})
    return campaign


@service
def check_inventory_entry(
    actor: Any, entry: InventoryEntry, *, result: str, note: str = ""
) -> InventoryEntry:
    """Record what was found for one carrier: present, missing or damaged (CAR-8). *Requires*
    ``check`` (its custodian or the security office). *Audits* INVENTORY_CHECKED."""
    entry = InventoryEntry.objects.select_for_update().select_related("carrier", "campaign").get(pk=entry.pk)
    policy.require(actor, "check", entry)
    if entry.campaign.status != CampaignStatus.OPEN:
        raise ValidationFailed(_("This inventory is closed."))
    if InventorySignOff.objects.filter(campaign=entry.campaign, custodian_id=entry.custodian_id).exists():
        raise ValidationFailed(_("This list has already been signed off."))
    if result not in (InventoryResult.CONFIRMED, InventoryResult.MISSING, InventoryResult.DAMAGED):
        raise ValidationFailed(_("Choose present, missing or damaged."))
    if result != InventoryResult.CONFIRMED and not note.strip():
        msg = _("Describe what is wrong.")
        raise ValidationFailed(msg, fields={"note": [msg]})
    entry.result = result
    entry.note = note.strip()[:300]
    entry.checked_at = timezone.now()
    entry.save(update_fields=["result", "note", "checked_at"])
    record(actor, AuditEvent.INVENTORY_CHECKED, entry.carrier,
           details=_details(entry.carrier, campaign_id=entry.campaign_id, result=result))  # fmt: skip
    return entry


@service
def sign_inventory(actor: Any, campaign: InventoryCampaign, *, custodian: Any = None) -> InventorySignOff:
    """A custodian signs their list (CAR-8). Every discrepancy opens an incident; a missing
    carrier becomes ``missing`` (账物相符). *Requires* ``sign``. *Audits* INVENTORY_SIGNED,
    INCIDENT_OPENED and CARRIER_MISSING."""
    campaign = _lock_row(InventoryCampaign, campaign)
    policy.require(actor, "sign", campaign)
    custodian = custodian or actor
    if custodian.pk != actor.pk:
        raise AccessDenied(action="sign", target=campaign)
    return _sign_off(actor, campaign, custodian)


@service
def sign_inventory_in_place(
    actor: Any, campaign: InventoryCampaign, *, custodian: Any, reason: str, witness: Any
) -> InventorySignOff:
    """The security office signs the list of a custodian who cannot (left, disabled, on long
    leave), with the reason and a witness present, after checking every carrier on it, so the
    inventory can always be finished (CAR-8). *Requires* ``manage``. *Audits*
    INVENTORY_SIGNED_IN_PLACE (and what signing audits)."""
    campaign = _lock_row(InventoryCampaign, campaign)
    policy.require(actor, "manage", campaign)
    reason = _require_text(reason, "reason", _("Give the reason why the custodian does not sign."))
    if witness is None:
        msg = _("Name the witness present when signing in place.")
        raise ValidationFailed(msg, fields={"witness": [msg]})
    if witness.pk in (actor.pk, custodian.pk) or not witness.is_active:
        msg = _("The witness is another active person than the signer and the custodian.")
        raise ValidationFailed(msg, fields={"witness": [msg]})
    sign = _sign_off(actor, campaign, custodian, signed_by=actor, witness=witness, reason=reason[:300])
    record(actor, AuditEvent.INVENTORY_SIGNED_IN_PLACE, campaign,
           details={"custodian_id": custodian.pk, "witness_id": witness.pk, "reason": reason[:300]})  # fmt: skip
    return sign


def _sign_off(actor: Any, campaign: InventoryCampaign, custodian: Any, **in_place: Any) -> InventorySignOff:
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationFailed(_("This inventory is closed."))
    entries = list(campaign.entries.select_for_update().select_related("carrier").filter(custodian=custodian))
    if not entries:
        raise ValidationFailed(_("Nothing is listed for you in this inventory."))
    if any(e.result == InventoryResult.PENDING for e in entries):
        raise ValidationFailed(_("Check every carrier on your list before signing."))
    if InventorySignOff.objects.filter(campaign=campaign, custodian=custodian).exists():
        raise ValidationFailed(_("This list has already been signed off."))
    sign = InventorySignOff(campaign=campaign, custodian=custodian, **in_place)
    sign.save(force_insert=True)
    problems = 0
    for entry in entries:
        if entry.result == InventoryResult.CONFIRMED:
            continue
        problems += 1
        carrier = _lock(entry.carrier_id)
        entry.incident = _open_incident(
            actor,
            carrier,
            entry.get_result_display(),
            "inventory",
            str(campaign.pk),
            lost=entry.result == InventoryResult.MISSING,
        )
        entry.save(update_fields=["incident"])
        if entry.result == InventoryResult.MISSING and lifecycle.permits(carrier.status, "mark_missing"):
            # The custodian reports; the registry row changes under the inventory's authority (CAR-8).
            move = lifecycle.next_state(carrier.status, "mark_missing")
            before = carrier.status
            carrier.status = move.next_state
            carrier.save(update_fields=["status"])
            record(actor, move.event, carrier,
                   details=_details(carrier, campaign_id=campaign.pk, incident_id=entry.incident_id,
                                    **{"from": before, "to": move.next_state}))  # fmt: skip
    record(actor, AuditEvent.INVENTORY_SIGNED, campaign,
           details={"custodian_id": custodian.pk, "carriers": len(entries), "discrepancies": problems})  # fmt: skip
    return sign


@service
def hand_over_inventory(actor: Any, *, from_user: Any, to_user: Any, reason: str) -> int:
    """Hand the unsigned inventory lists of ``from_user`` (leaving, disabled, absent) to
    ``to_user`` in every open inventory: the new custodian checks and signs them (CAR-8). The
    exit hands them to the department head (PER-5); the security office may assign them to
    anyone. Returns how many carriers moved. *Requires* ``carriers.campaigns``. *Audits*
    INVENTORY_HANDED_OVER per inventory."""
    policy.require(actor, "carriers.campaigns")
    return _hand_over(actor, from_user=from_user, to_user=to_user, reason=reason, strict=True)


@internal
def hand_over_on_exit(actor: Any, *, from_user: Any, to_user: Any, reason: str) -> int:
    """``hand_over_inventory`` without its policy check: a helper inside the exit service
    (``personnel.services.start_exit``, which requires ``manage`` on the personnel file), which
    hands a leaver's lists to the department head (CAR-8, PER-5). Audits as the service does.
    A list the head is not cleared for stays for the security office to hand over or sign."""
    return _hand_over(actor, from_user=from_user, to_user=to_user, reason=reason, strict=False)


def _hand_over(actor: Any, *, from_user: Any, to_user: Any, reason: str, strict: bool) -> int:
    reason = _require_text(reason, "reason", _("Give the reason."))
    if to_user is None or not to_user.is_active or to_user.pk == from_user.pk:
        msg = _("Choose another active person to take over the inventory list.")
        raise ValidationFailed(msg, fields={"to_user": [msg]})
    moved = 0
    # PostgreSQL locks no DISTINCT rows: find the campaigns first, then lock them.
    open_ids = set(
        InventoryEntry.objects.filter(campaign__status=CampaignStatus.OPEN, custodian=from_user).values_list(
            "campaign_id", flat=True
        )
    )
    for campaign in InventoryCampaign.objects.select_for_update().filter(pk__in=open_ids).order_by("pk"):
        if campaign.status != CampaignStatus.OPEN:
            continue  # closed meanwhile
        if InventorySignOff.objects.filter(campaign=campaign, custodian=from_user).exists():
            continue  # signed lists stay with who signed them
        if InventorySignOff.objects.filter(campaign=campaign, custodian=to_user).exists():
            continue  # their own list is closed: the security office signs this one in place
        listed = campaign.entries.filter(custodian=from_user)
        if not all(
            policy.clearance_dominates(to_user, lv)
            for lv in set(listed.values_list("carrier__level", flat=True))
        ):
            # CAR-3: whoever takes the list over must be cleared for what is on it.
            if not strict:
                continue
            uncleared: Any = _("%(name)s is not cleared for every carrier on this list.") % {
                "name": str(to_user)
            }
            raise ValidationFailed(uncleared, fields={"to_user": [uncleared]})
        count = listed.update(custodian=to_user)
        moved += count
        record(actor, AuditEvent.INVENTORY_HANDED_OVER, campaign,
               details={"from_id": from_user.pk, "to_id": to_user.pk, "carriers": count,
                        "reason": reason[:200]})  # fmt: skip
    return moved


@service
def close_inventory(actor: Any, campaign: InventoryCampaign) -> InventoryCampaign:
    """Close an inventory once every custodian has signed (CAR-8). *Requires* ``manage``.
    *Audits* INVENTORY_CLOSED."""
    campaign = _lock_row(InventoryCampaign, campaign)
    policy.require(actor, "manage", campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationFailed(_("This inventory is closed."))
    custodians = set(campaign.entries.values_list("custodian_id", flat=True))
    signed = set(campaign.signoffs.values_list("custodian_id", flat=True))
    if custodians - signed:
        raise ValidationFailed(
            _("%(count)s custodians have not signed yet.") % {"count": len(custodians - signed)}
        )
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    discrepancies = campaign.entries.exclude(result=InventoryResult.CONFIRMED).count()
    record(actor, AuditEvent.INVENTORY_CLOSED, campaign,
           details={"carriers": campaign.entries.count(), "discrepancies": discrepancies})  # fmt: skip
    return campaign
