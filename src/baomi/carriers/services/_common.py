"""Helpers shared by the carrier services: locking, the transition step, registry numbers (CAR-1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import integrity, lifecycle
from baomi.carriers.choices import CarrierKind, CarrierStatus
from baomi.carriers.models import Carrier, RegistrySequence
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.kit.service import internal

# The kind letter of a registry number: 纸 paper, 电 electronic, 介 medium, 设 device, 品 密品.
KIND_CODE = {
    CarrierKind.PAPER: "纸",
    CarrierKind.ELECTRONIC: "电",
    CarrierKind.MEDIUM: "介",
    CarrierKind.DEVICE: "设",
    CarrierKind.SECRET_PRODUCT: "品",
}
MAX_COPIES = 999
# Carriers that no longer sit in anyone's custody: no inventory, no recall.
GONE = (CarrierStatus.DESTROYED, CarrierStatus.ARCHIVED, CarrierStatus.RETURNED, CarrierStatus.MISSING,
        CarrierStatus.DISPATCHED)  # fmt: skip
LIVE_ITEM_STATES = ("proposed", "pending_upward", "determined")


@internal
def format_registry_number(year: int, kind: str, sequence: int) -> str:
    """The registry number: ``<year>-<kind letter>-<6-digit sequence>``, e.g. ``2026-纸-000123``
    (CAR-1). The series is per year and kind inside this unit; one deployment is one unit.
    A pure formatter: no policy, no writes."""
    return f"{year}-{KIND_CODE[CarrierKind(kind)]}-{sequence:06d}"


@internal
def relevel_carriers(item: Any) -> int:
    """Keep every carrier's ``level`` equal to its item's after a determination, change or
    lifting (CLS-2: every carrier shows the item's mark). Called inside the classification
    service's transaction, which has already checked policy and writes the audit entry: the
    cross-app seam of docs/architecture.md, not a service itself. Each carrier is bound again
    under its new level (R-CRYPTO-5) — unless its binding had already failed: a tampered carrier
    stays flagged rather than be laundered under a fresh MAC."""
    rows = list(
        Carrier.objects.filter(item_id=item.pk).exclude(level=item.level)
        .only("pk", "registry_number", "copy_number", "kind", "item_id", "level", "mark_mac")
    )  # fmt: skip
    for carrier in rows:
        intact = not integrity.tampered(carrier)
        carrier.level = item.level
        if intact:
            carrier.mark_mac = integrity.compute_mac(carrier)
    Carrier.objects.bulk_update(rows, ["level", "mark_mac"], batch_size=500)
    return len(rows)


# --- helpers ---------------------------------------------------------------------------------


def _lock(carrier: Carrier | int) -> Carrier:
    pk = carrier.pk if isinstance(carrier, Carrier) else carrier
    return Carrier.objects.select_for_update().select_related("item").get(pk=pk)


def _lock_row(model: Any, obj: Any) -> Any:
    return model.objects.select_for_update().get(pk=obj.pk)


def _details(carrier: Carrier, **extra: Any) -> dict[str, Any]:
    """Audit details of a carrier event: the item id lets the 知悉记录 be derived (CAR-2)."""
    return {"item_id": carrier.item_id, "registry_number": carrier.registry_number, **extra}


def _cleared(user: Any, level: str) -> bool:
    return bool(user is not None and user.is_active and levels.dominates(user.clearance, level))


def _move(
    actor: Any,
    carrier: Carrier,
    action: str,
    *,
    fields: Iterable[str] = (),
    request: Any = None,
    **details: Any,
) -> Carrier:
    """Apply one row of the transition table to a locked carrier: policy, state, save, audit.

    A move that carries out an approved ``request`` is authorised by ``approve`` on that request
    (which knows whose request it is and sends a unit head's own request up to the leading
    group, R-ROLE-5); every other move by the carrier action of the transition."""
    if request is not None:
        policy.require(actor, "approve", request)
    else:
        policy.require(actor, lifecycle.policy_action_for(action), carrier)
    move = lifecycle.next_state(carrier.status, action)
    before = carrier.status
    carrier.status = move.next_state
    carrier.save(update_fields=["status", *fields])
    record(
        actor,
        move.event,
        carrier,
        details=_details(carrier, **{"from": before, "to": move.next_state}, **details),
    )
    return carrier


def _require_future(day: dt.date, field: str) -> None:
    """A campaign's deadline is today or later (CAR-8, CAR-9)."""
    if day < timezone.localdate():
        msg = _("The deadline cannot be in the past.")
        raise ValidationFailed(msg, fields={field: [msg]})


def _require_text(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [message]})
    return value


def _next_copy_number(item_id: int) -> int:
    top = Carrier.objects.filter(item_id=item_id).aggregate(m=Max("copy_number"))["m"]
    return int(top or 0) + 1


def _allocate(year: int, kind: str, count: int) -> int:
    """Take ``count`` consecutive sequence numbers for (year, kind); return the first.

    The ``RegistrySequence`` row is locked (``select_for_update``) for the rest of the
    transaction, so concurrent registrations queue and numbers stay unique and gapless; a
    rolled-back registration gives its numbers back with the rollback (CAR-1).
    """
    seq = RegistrySequence.objects.select_for_update().filter(year=year, kind=kind).first()
    if seq is None:
        try:
            with transaction.atomic():
                RegistrySequence.objects.create(year=year, kind=kind, last=0)
        except IntegrityError:
            pass  # another registration created it first; lock theirs below
        seq = RegistrySequence.objects.select_for_update().get(year=year, kind=kind)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return first


def _new_carriers(
    actor: Any, *, item: Any, kind: str, title: str, custodian: Any, count: int, parent: Carrier | None = None,
    **fields: Any,
) -> list[Carrier]:  # fmt: skip
    # Lock order everywhere: the item, then the sequence row. The item lock keeps 份号 unique
    # when carriers of different kinds of one item are registered at once.
    type(item).objects.select_for_update().filter(pk=item.pk).first()
    year = (fields.get("made_on") or timezone.localdate()).year
    first = _allocate(year, kind, count)
    first_copy = _next_copy_number(item.pk)
    department = fields.pop("department", None) or custodian.department
    made = []
    for i in range(count):
        carrier = Carrier(
            registry_number=format_registry_number(year, kind, first + i), year=year, kind=kind,
            sequence=first + i, copy_number=f"{first_copy + i:06d}", item=item, level=item.level,
            title=title, custodian=custodian, department=department, parent=parent, registered_by=actor, **fields,
        )  # fmt: skip
        carrier.mark_mac = integrity.compute_mac(carrier)  # R-CRYPTO-5
        carrier.save(force_insert=True)
        record(actor, AuditEvent.CARRIER_REGISTERED, carrier,
               details=_details(carrier, copy_number=carrier.copy_number, kind=kind,
                                parent_id=parent.pk if parent else None))  # fmt: skip
        made.append(carrier)
    return made
