"""Registering carriers (CAR-1) and the originator consent for 绝密 (R-AC-3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import integrity
from baomi.carriers.choices import CarrierKind
from baomi.carriers.models import Carrier, ContentConsent
from baomi.carriers.services import places
from baomi.carriers.services._common import (
    LIVE_ITEM_STATES,
    MAX_COPIES,
    _allocate,
    _cleared,
    _details,
    _lock,
    _new_carriers,
    _require_text,
    format_registry_number,
)
from baomi.core import levels
from baomi.core.errors import CeilingExceeded, ValidationFailed
from baomi.kit.service import internal, service

# --- registration (CAR-1) --------------------------------------------------------------------


@service
def register_carrier(
    actor: Any, *, item: Any, kind: str, custodian: Any, title: str = "", copies: int = 1,
    storage_place: str = "", pages: int | None = None, made_on: dt.date | None = None, produced_at: str = "",
    produced_on_device: str = "", originator: str = "", department: Any = None, former_number: str = "",
    cabinet: Any = None, device: Any = None,
) -> list[Carrier]:  # fmt: skip
    """Register ``copies`` carriers of an item, 份号 ``000001``… per copy (CAR-1, R-CAR-1).

    *Requires* ``carriers.register`` (the security office) and clearance for the item's level.
    *Audits* CARRIER_REGISTERED per carrier. *Raises* ``CeilingExceeded`` above the
    accreditation ceiling (SEC-8), ``ValidationFailed`` for a bad kind, count or custodian, a
    cabinet or place that may not keep it (R-CAR-12), a device it may not live on (SUP-6).
    ``former_number`` keeps the number of a carrier taken over from an earlier ledger.
    """
    policy.require(actor, "carriers.register")
    row = CarrierRow(item=item, kind=kind, custodian=custodian, title=title, copies=copies,
                     storage_place=storage_place, pages=pages, made_on=made_on, produced_at=produced_at,
                     produced_on_device=produced_on_device, originator=originator, department=department,
                     former_number=former_number, cabinet=cabinet, device=device)  # fmt: skip
    check_registration(actor, row)
    if former_number and Carrier.objects.filter(former_number=former_number.strip()).exists():
        raise _duplicate_former_number()
    cabinet, storage_place = places.storage_for(item.level, kind, cabinet=cabinet, place=storage_place)
    device = places.device_for(item.level, kind, device)
    return _new_carriers(
        actor, item=item, kind=kind, title=row.clean_title(), custodian=custodian, count=copies,
        storage_place=storage_place, cabinet=cabinet, device=device, pages=pages, made_on=made_on or timezone.localdate(),
        produced_at=produced_at, produced_on_device=produced_on_device, originator=originator,
        department=department, former_number=former_number.strip(),
    )  # fmt: skip


@dataclass
class CarrierRow:
    """One registration as :func:`register_carrier` takes it (and :func:`register_carriers`, a
    batch of them): the item, custodian and department resolved to rows."""

    item: Any
    kind: str
    custodian: Any
    title: str = ""
    copies: int = 1
    storage_place: str = ""
    pages: int | None = None
    made_on: dt.date | None = None
    produced_at: str = ""
    produced_on_device: str = ""
    originator: str = ""
    department: Any = None
    former_number: str = ""
    cabinet: Any = None  # the registered cabinet it is kept in (SUP-5), when chosen
    device: Any = None  # the registered device an electronic file is on (SUP-6)

    def clean_title(self) -> str:
        return (self.title or self.item.title).strip()


# Longest text of each field (the model's columns): a longer value is refused, never cut.
TEXT_LIMITS = {
    "title": 300, "storage_place": 200, "produced_at": 200, "produced_on_device": 200, "originator": 200,
    "former_number": 60,
}  # fmt: skip


def _duplicate_former_number() -> ValidationFailed:
    msg = _("A carrier with this former number is already registered.")
    return ValidationFailed(msg, fields={"former_number": [msg]})


@internal
def check_registration(actor: Any, row: CarrierRow, *, cabinets: dict[str, Any] | None = None) -> None:
    """The rules of a registration, for one carrier row (CAR-1, SEC-8): what
    :func:`register_carrier` and :func:`register_carriers` both enforce, and what an import's
    dry run reports. Reads only. *Policy*: the actor's clearance must reach the item's level
    (``AccessDenied``); the caller has required ``carriers.register``. *Raises*
    ``CeilingExceeded``, ``AccessDenied``, ``ValidationFailed``.
    """
    item = row.item
    if not levels.within_ceiling(item.level):
        raise CeilingExceeded()
    # CLS-7, R-CRYPTO-5: no carrier of an item whose mark fails its MAC (it would be bound, and
    # kept, under the tampered level); refused like not found, and alarmed.
    policy.require_intact(actor, "register", item)
    if not policy.clearance_dominates(actor, item.level):
        raise AccessDenied(action="register", target=item)
    if row.kind not in CarrierKind.values:
        raise ValidationFailed(
            _("Choose a kind of carrier."), fields={"kind": [_("Choose a kind of carrier.")]}
        )
    if item.status not in LIVE_ITEM_STATES:
        raise ValidationFailed(_("Carriers can only be registered for a live classified item."))
    if item.level in levels.NON_SECRET_LEVELS:
        # CAR-1, R-CLS-3: a 公开 or 内部 (non-secret) item has no 涉密载体 to register.
        not_secret: Any = _(
            "%(item)s is %(level)s, not secret: it has no classified carriers to register."
        ) % {
            "item": item.reference or item.title,
            "level": levels.Level(item.level).label,
        }
        raise ValidationFailed(not_secret, fields={"item": [not_secret]})
    if not isinstance(row.copies, int) or not 1 <= row.copies <= MAX_COPIES:
        msg: Any = _("The number of copies must be between 1 and %(max)s.") % {"max": MAX_COPIES}
        raise ValidationFailed(msg, fields={"copies": [msg]})
    if row.pages is not None and row.pages < 0:
        raise ValidationFailed(
            _("Pages cannot be negative."), fields={"pages": [_("Pages cannot be negative.")]}
        )
    if not _cleared(row.custodian, item.level):
        msg = _("The custodian's clearance does not reach the level of this item.")
        raise ValidationFailed(msg, fields={"custodian": [msg]})
    if row.made_on is not None and row.made_on > timezone.localdate():
        # CAR-1: the date made is a fact of the past; it also fixes the year of the number.
        msg = _("The date made cannot be in the future.")
        raise ValidationFailed(msg, fields={"made_on": [msg]})
    for name, limit in TEXT_LIMITS.items():
        value = row.clean_title() if name == "title" else getattr(row, name)
        if len(value or "") > limit:
            msg = _("At most %(max)s characters.") % {"max": limit}
            raise ValidationFailed(msg, fields={name: [msg]})
    # SUP-5, R-CAR-12: the storage words name a cabinet that may keep it, or no cabinet at all.
    places.storage_for(item.level, row.kind, cabinet=row.cabinet, place=row.storage_place, cabinets=cabinets)
    places.device_for(item.level, row.kind, row.device)


class RowsRefused(ValidationFailed):
    """Some rows of a batch break the rules: ``rows`` maps each row's index to its error."""

    def __init__(self, rows: dict[int, Exception]):
        self.rows = rows
        first = min(rows)
        super().__init__(
            _("%(count)s rows cannot be registered; the first (row %(row)s): %(error)s")
            % {"count": len(rows), "row": first + 1, "error": rows[first]}
        )


@internal
def batch_problems(actor: Any, rows: list[CarrierRow]) -> dict[int, Exception]:
    """The error of every row of a batch that :func:`register_carriers` would refuse (each row
    by :func:`check_registration`, plus former numbers already registered or repeated in the
    batch). Reads only. *Policy*: as :func:`check_registration`."""
    from baomi.sites.selectors import cabinet_map

    cabinets = cabinet_map()
    problems: dict[int, Exception] = {}
    for index, row in enumerate(rows):
        try:
            check_registration(actor, row, cabinets=cabinets)
        except (ValidationFailed, AccessDenied, CeilingExceeded) as exc:
            problems[index] = exc
    numbers = [(i, r.former_number.strip()) for i, r in enumerate(rows) if r.former_number.strip()]
    taken = set(
        Carrier.objects.filter(former_number__in=[n for _i, n in numbers]).values_list(
            "former_number", flat=True
        )
    )
    seen: set[str] = set()
    for index, number in numbers:
        if number in taken:
            problems.setdefault(index, _duplicate_former_number())
        elif number in seen:
            msg = _("The former number %(number)s occurs more than once.") % {"number": number}
            problems.setdefault(index, ValidationFailed(msg, fields={"former_number": [msg]}))
        seen.add(number)
    return problems


@service
def register_carriers(
    actor: Any, rows: list[CarrierRow], *, progress: Callable[[int, int], None] | None = None
) -> list[Carrier]:
    """Register a batch of carriers, all or none (CAR-1): the ledger an office takes over.

    Every row is held to :func:`register_carrier`'s rules (:func:`check_registration`) and
    former numbers must be new; if any row fails nothing is registered and ``RowsRefused``
    names each failing row (an ``AccessDenied`` of a row is raised as such, and audited). The
    numbers of each (year, kind) series are taken in one step and the 份号 of each item run on,
    so a batch costs a fraction of registering its rows one by one. ``progress(done, total)`` is
    called every 500 carriers.

    *Requires* ``carriers.register`` and clearance for every row's level. *Audits*
    CARRIER_REGISTERED per carrier, as :func:`register_carrier` does.
    """
    policy.require(actor, "carriers.register")
    problems = batch_problems(actor, rows)
    for exc in problems.values():
        if isinstance(exc, AccessDenied):
            raise exc
    if problems:
        raise RowsRefused(problems)
    if not rows:
        return []
    items = {r.item.pk: r.item for r in rows}
    # Lock order as everywhere: the items, then the sequence rows.
    list(
        type(next(iter(items.values())))
        .objects.select_for_update()
        .filter(pk__in=sorted(items))
        .values_list("pk")
    )
    from baomi.sites.selectors import cabinet_map

    cabinets = cabinet_map()
    today = timezone.localdate()
    series: dict[tuple[int, str], int] = {}
    for r in rows:
        key = ((r.made_on or today).year, r.kind)
        series[key] = series.get(key, 0) + r.copies
    next_sequence = {key: _allocate(key[0], key[1], count) for key, count in sorted(series.items())}
    next_copy = {
        row["item_id"]: int(row["m"] or 0) + 1
        for row in Carrier.objects.filter(item_id__in=items).values("item_id").annotate(m=Max("copy_number"))
    }
    made: list[Carrier] = []
    for r in rows:
        year = (r.made_on or today).year
        for _copy in range(r.copies):
            sequence = next_sequence[(year, r.kind)]
            next_sequence[(year, r.kind)] += 1
            copy_number = next_copy.get(r.item.pk, 1)
            next_copy[r.item.pk] = copy_number + 1
            made.append(Carrier(
                registry_number=format_registry_number(year, r.kind, sequence), year=year, kind=r.kind,
                sequence=sequence, copy_number=f"{copy_number:06d}", item=r.item, level=r.item.level,
                title=r.clean_title(), custodian=r.custodian, department=r.department or r.custodian.department,
                storage_place=r.storage_place, cabinet=places.storage_for(r.item.level, r.kind, cabinet=r.cabinet, place=r.storage_place,
                                           cabinets=cabinets)[0], device=r.device,
                pages=r.pages, made_on=r.made_on or today, produced_at=r.produced_at,
                produced_on_device=r.produced_on_device, originator=r.originator,
                former_number=r.former_number.strip(), registered_by=actor,
            ))  # fmt: skip
    for carrier in made:
        carrier.mark_mac = integrity.compute_mac(carrier)  # R-CRYPTO-5
    Carrier.objects.bulk_create(made, batch_size=500)
    for done, carrier in enumerate(made, start=1):
        record(actor, AuditEvent.CARRIER_REGISTERED, carrier,
               details=_details(carrier, copy_number=carrier.copy_number, kind=carrier.kind, parent_id=None,
                                former_number=carrier.former_number or None))  # fmt: skip
        if progress is not None and done % 500 == 0:
            progress(done, len(made))
    return made


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
    consent = _new_consent(actor, carrier.item, download=download, copy=copy, print_=print_,
                           originator=originator, reference=reference)  # fmt: skip
    record(actor, AuditEvent.CONSENT_RECORDED, carrier,
           details=_details(carrier, consent_id=consent.pk, download=download, copy=copy, print=print_))  # fmt: skip
    return consent


@service
def record_item_consent(
    actor: Any, item: Any, *, download: bool = False, copy: bool = False, print_: bool = False,
    originator: str, reference: str,
) -> ContentConsent:  # fmt: skip
    """Record the originator's consent for a 绝密 item itself (R-AC-3, issue 11 §5): the unit
    head or the item's 定密责任人 record it without being in the item's need-to-know scope, and
    recording it adds nobody to the scope. *Requires* ``record_consent`` on the item. *Audits*
    CONSENT_RECORDED on the item."""
    item = type(item).objects.select_for_update().get(pk=item.pk)
    policy.require(actor, "record_consent", item)
    consent = _new_consent(actor, item, download=download, copy=copy, print_=print_,
                           originator=originator, reference=reference)  # fmt: skip
    record(actor, AuditEvent.CONSENT_RECORDED, item,
           details={"consent_id": consent.pk, "download": download, "copy": copy, "print": print_})  # fmt: skip
    return consent


@internal
def _new_consent(actor: Any, item: Any, *, download: bool, copy: bool, print_: bool, originator: str,
                 reference: str) -> ContentConsent:  # fmt: skip
    """Validate and write one consent; runs inside ``record_consent`` or ``record_item_consent``,
    which checked the policy and audit the result."""
    originator = _require_text(originator, "originator", _("Name the consenting originator."))
    reference = _require_text(reference, "reference", _("Give the reference of the written consent."))
    if not (download or copy or print_):
        raise ValidationFailed(_("Choose at least one use to unlock."))
    consent = ContentConsent(
        item=item, allow_download=download, allow_copy=copy, allow_print=print_,
        originator=originator, reference=reference, recorded_by=actor,
    )  # fmt: skip
    consent.save(force_insert=True)
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
