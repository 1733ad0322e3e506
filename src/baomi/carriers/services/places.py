"""Where a carrier is kept, what it lives on, and who works on it from outside — the carrier
registry's seam to the key places, devices and contractors registers (SUP-5, SUP-6, SUP-13;
R-CAR-12, R-SITE-3). Each function is a check run inside the calling carrier service, which
has already checked its own policy; each raises ``ValidationFailed`` on the field at fault.

- Storage: a registered cabinet (named, or written as its name or number); a 绝密 carrier only
  in a cabinet of a place confirmed for 绝密 (R-CAR-12), and — once the unit keeps a cabinet
  register — never in an unregistered place. Other words stay as written: an unregistered
  place, shown as such and counted by the measured check.
- Device: an electronic file (or a medium's contents) may name the registered device or medium
  it lives on, in use and of a level at least the carrier's.
- Outside work: repair by an outside technician or destruction at an outside facility names a
  contractor holding a current qualification for it (``contractors.services.require_qualified``);
  before the unit keeps a contractor register, the company's name as written is accepted.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from baomi.carriers.choices import CarrierKind
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.kit.service import internal, service

DEVICE_KINDS = frozenset({CarrierKind.ELECTRONIC, CarrierKind.MEDIUM})


def _fail(field: str, message: Any) -> None:
    raise ValidationFailed(message, fields={field: [message]})


@internal
def storage_for(
    level: str, kind: str, *, cabinet: Any = None, place: str = "", field: str = "storage_place",
    cabinets: dict[str, Any] | None = None,
) -> tuple[Any, str]:  # fmt: skip
    """The cabinet and the words of a carrier's storage place (SUP-5, R-CAR-12); a check run in
    the calling service. Returns ``(cabinet or None, text)``. ``cabinets`` is
    ``sites.selectors.cabinet_map()`` when the caller checks many rows (one query for all)."""
    from baomi.sites import selectors as sites

    text = (place or "").strip()
    lookup = sites.cabinet_map() if cabinets is None else cabinets
    if cabinet is None and text:
        cabinet = lookup.get(sites.storage_key(text))
    if cabinet is not None:
        if cabinet.status != "in_use":
            _fail(field, _("Cabinet %(number)s is retired.") % {"number": cabinet.number})
        if levels.rank(level) > levels.rank(cabinet.level):
            _fail(field, _("Cabinet %(number)s holds carriers up to %(level)s only.")
                  % {"number": cabinet.number, "level": levels.Level(cabinet.level).label})  # fmt: skip
        if level == levels.Level.TOP_SECRET and not cabinet.place.holds_top_secret():
            _fail(field, _("A 绝密 carrier may only be kept in a place confirmed for 绝密 (R-CAR-12); %(place)s is "
                           "not.") % {"place": cabinet.place.name})  # fmt: skip
        return cabinet, cabinet.name
    if level == levels.Level.TOP_SECRET and kind != CarrierKind.ELECTRONIC and lookup:
        _fail(field, _("A 绝密 carrier may only be kept in a registered cabinet of a place confirmed for 绝密 "
                       "(R-CAR-12); choose the cabinet."))  # fmt: skip
    return None, text


@internal
def device_for(level: str, kind: str, device: Any) -> Any:
    """The registered device or medium an electronic carrier lives on, checked (SUP-6); a check
    run in the calling service."""
    if device is None:
        return None
    if kind not in DEVICE_KINDS:
        _fail("device", _("Only electronic files and storage media name the device they are on."))
    if device.status in ("scrapped", "lost"):
        _fail("device", _("Device %(asset)s is scrapped or lost.") % {"asset": device.asset_number})
    if levels.rank(level) > levels.rank(device.level):
        _fail("device", _("Device %(asset)s is registered for %(level)s only.")
              % {"asset": device.asset_number, "level": levels.Level(device.level).label})  # fmt: skip
    return device


@internal
def outside_body(
    work: str, level: str, *, contractor: Any = None, company: str = "", field: str = "contractor"
) -> Any:
    """The contractor doing outside ``work`` (``repair`` or ``destruction``) at ``level``,
    checked against its qualifications (R-SITE-3); a check run in the calling service. Once the
    unit keeps a contractor register, an outside body must be one of its contractors."""
    from baomi.contractors import selectors as contractors
    from baomi.contractors.services import require_qualified

    if contractor is None and company.strip():
        contractor = contractors.contractor_named(company.strip())
    if contractor is not None:
        require_qualified(contractor, work, level, field=field)
        return contractor
    if contractors.register_kept():
        _fail(field, _("Outside work is done only by a registered contractor holding a current qualification for "
                       "it (R-SITE-3); choose the contractor."))  # fmt: skip
    return None


@service
def link_storage_places(actor: Any) -> dict[str, int]:
    """Link the free-text storage places of registered carriers to the registered cabinets they
    name, by name or number with spaces and case ignored (the migration of the old free text,
    SUP-5). A carrier is linked only where it may be kept (the cabinet's level; R-CAR-12 for
    绝密); words naming no cabinet stay as written, shown as an unregistered place — nothing is
    lost. *Requires* ``carriers.register`` (the security office keeps the registry). *Audits*
    STORAGE_PLACES_LINKED with the counts."""
    from baomi.access import policy
    from baomi.audit.record import record
    from baomi.carriers.models import Carrier
    from baomi.sites import selectors as sites
    from baomi.sites.events import SitesEvent

    policy.require(actor, "carriers.register")
    cabinets = sites.cabinet_map()
    linked = skipped = 0
    candidates = (
        Carrier.objects.filter(cabinet__isnull=True)
        .exclude(storage_place="")
        .exclude(status__in=["destroyed", "returned"])
    )
    for carrier in candidates.select_for_update().only("pk", "storage_place", "level"):
        cab = cabinets.get(sites.storage_key(carrier.storage_place))
        if cab is None:
            continue
        fits = levels.rank(carrier.level) <= levels.rank(cab.level) and (
            carrier.level != levels.Level.TOP_SECRET or cab.place.holds_top_secret()
        )
        if not fits:
            skipped += 1
            continue
        carrier.cabinet = cab
        carrier.save(update_fields=["cabinet"])
        linked += 1
    record(actor, SitesEvent.STORAGE_PLACES_LINKED, None, details={"linked": linked, "not_fitting": skipped})
    return {"linked": linked, "not_fitting": skipped}
