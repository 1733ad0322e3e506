"""Services of the media and devices register: every change (SUP-6, R-CAR-14).

Identity is validated before anything is written: a USB vendor or product id is four hex
digits; a serial is printable ASCII without spaces, quotes or backslashes (so it can be
written into a USBGuard rule unescaped); a serial is registered once. Maintenance and
destruction by outside bodies rely on ``contractors.services.require_qualified`` (R-SITE-3).
``export_whitelist`` writes the USBGuard rules file the endpoints load (SUP-6: only registered
media exist).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.contractors.services import require_qualified
from baomi.core import levels
from baomi.devices import lifecycle, selectors
from baomi.devices.choices import REMOVABLE_KINDS, CheckResult, DeviceKind, DeviceStatus
from baomi.devices.events import DevicesEvent
from baomi.devices.models import Device, DeviceCheck, Maintenance
from baomi.kit import incidents
from baomi.kit.exports import issue_export
from baomi.kit.service import internal, own_transaction, service
from baomi.registers import checks
from baomi.registers.dates import add_months
from baomi.registers.exports import xlsx_bytes
from baomi.registers.reminders import remind_once

HEX4 = re.compile(r"^[0-9A-Fa-f]{4}$")
# Printable ASCII except space, double quote and backslash: safe inside a USBGuard "..." string.
SERIAL = re.compile(r"^[!#-\[\]-~]{1,64}$")


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


# --- identity (SUP-6) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    serial: str
    usb_vendor: str
    usb_product: str
    key: str


@internal
def parse_identity(kind: str, serial: str, usb_vendor: str = "", usb_product: str = "") -> Identity:
    """Validate and normalise a device's identity (SUP-6); a pure function. Removable media
    need the USB vendor and product id (four hex digits each, stored in lower case) and the
    USB serial (kept as written: USBGuard matches it exactly); other devices need their serial
    (disk or device serial, compared in upper case). Raises ValidationFailed with a Chinese
    message on the field at fault."""
    if kind not in DeviceKind.values:
        checks.fail("kind", _("Choose the kind of device."))
    serial = (serial or "").strip()
    if not serial:
        checks.fail("serial", _("Give the serial number."))
    if not SERIAL.match(serial):
        checks.fail("serial", _("The serial number may only contain letters, digits and the usual symbols, without "
                                "spaces, quotation marks or backslashes, at most 64 characters."))  # fmt: skip
    vendor, product = (usb_vendor or "").strip().lower(), (usb_product or "").strip().lower()
    if kind in REMOVABLE_KINDS:
        for field, value in (("usb_vendor", vendor), ("usb_product", product)):
            if not HEX4.match(value):
                checks.fail(field, _("A USB vendor or product id is four hexadecimal digits, e.g. 0781 or 5567 "
                                     "(see lsusb or usbguard list-devices)."))  # fmt: skip
        return Identity(serial, vendor, product, f"usb:{vendor}:{product}:{serial}")
    if vendor or product:
        checks.fail("usb_vendor", _("Only removable media carry a USB id."))
    return Identity(serial, "", "", f"{kind}:{serial.upper()}")


def _unique(identity: Identity, exclude: int | None = None) -> None:
    same = Device.objects.filter(identity=identity.key)
    other = (same.exclude(pk=exclude) if exclude is not None else same).first()
    if other is not None:
        field = "serial"
        checks.fail(field, _("This serial number is already registered (asset number %(asset)s).")
                    % {"asset": other.asset_number})  # fmt: skip


def _hosts(hosts: Any, device_kind: str) -> list[Device]:
    found = list(hosts or [])
    if found and device_kind not in REMOVABLE_KINDS:
        checks.fail("hosts", _("Only removable media are bound to computers."))
    for h in found:
        if h.kind != DeviceKind.COMPUTER or h.status == DeviceStatus.SCRAPPED:
            checks.fail("hosts", _("Removable media may only be bound to registered computers in use."))
    return found


# --- registration ------------------------------------------------------------------------------------


@service
def register_device(
    actor: Any, *, asset_number: str, kind: str, model_name: str, serial: str, level: str, custodian: Any,
    department: Any, usb_vendor: str = "", usb_product: str = "", place: Any = None, hosts: Any = None,
    procured_on: date | None = None, check_months: int | None = None, note: str = "",
) -> Device:  # fmt: skip
    """Register a medium or device at procurement (SUP-6, R-CAR-14).

    *Requires* ``devices_manage``. *Audits* DEVICE_REGISTERED. *Raises* ValidationFailed for a
    malformed or duplicate serial or USB id, a duplicate asset number, a custodian not cleared
    for the level, a place not designated for the level."""
    policy.require(actor, "devices_manage")
    asset_number = checks.require_text(asset_number, "asset_number", _("Give the asset number."))
    model_name = checks.require_text(model_name, "model_name", _("Give the make and model."))
    ident = parse_identity(kind, serial, usb_vendor, usb_product)
    level = checks.state_secret_level(level)
    policy.check_ceiling(level)
    checks.cleared_for(custodian, level, "custodian",
                       _("The custodian must be an active person cleared for the device's level."))  # fmt: skip
    _place(place, level)
    months = check_months if check_months is not None else settings.DEVICES_CHECK_MONTHS
    if not isinstance(months, int) or not 1 <= months <= 24:
        checks.fail("check_months", _("A device is checked at least every 24 months."))
    checks.not_future(procured_on, "procured_on")
    if Device.objects.filter(asset_number=asset_number).exists():
        checks.fail("asset_number", _("Another device already has this asset number."))
    _unique(ident)
    host_list = _hosts(hosts, kind)
    device = Device(
        asset_number=asset_number, kind=kind, model_name=model_name, serial=ident.serial, usb_vendor=ident.usb_vendor,
        usb_product=ident.usb_product, identity=ident.key, level=level, custodian=custodian, department=department,
        place=place, procured_on=procured_on or timezone.localdate(), check_months=months, note=note.strip(),
        registered_by=actor,
    )  # fmt: skip
    device.save()
    if host_list:
        device.hosts.set(host_list)
    record(actor, DevicesEvent.DEVICE_REGISTERED, device,
           details={"kind": kind, "identity": ident.key, "custodian": custodian.pk, "hosts": [h.pk for h in host_list]})  # fmt: skip
    return device


def _place(place: Any, level: str) -> None:
    from baomi.sites.selectors import is_confirmed_for

    if place is not None and not is_confirmed_for(place, level):
        checks.fail("place", _("The place must be a confirmed key place designated for the device's level."))


@service
def update_device(actor: Any, device: Device, *, custodian: Any, department: Any, place: Any = None,
                  hosts: Any = None, check_months: int | None = None, note: str = "") -> Device:  # fmt: skip
    """Hand a device to another custodian, move it, or change the computers a medium may be used
    on (SUP-6). *Requires* ``manage``. *Audits* DEVICE_UPDATED with the changes."""
    device = _locked(device)
    policy.require(actor, "manage", device)
    if device.status == DeviceStatus.SCRAPPED:
        checks.fail("custodian", _("A scrapped device is not changed."))
    checks.cleared_for(custodian, device.level, "custodian",
                       _("The custodian must be an active person cleared for the device's level."))  # fmt: skip
    _place(place, device.level)
    months = check_months or device.check_months
    if not 1 <= months <= 24:
        checks.fail("check_months", _("A device is checked at least every 24 months."))
    host_list = _hosts(hosts, device.kind)
    before = {"custodian": device.custodian_id, "department": device.department_id, "place": device.place_id,
              "hosts": sorted(device.hosts.values_list("pk", flat=True))}  # fmt: skip
    device.custodian, device.department, device.place = custodian, department, place
    device.check_months, device.note = months, note.strip()
    device.save(update_fields=["custodian", "department", "place", "check_months", "note"])
    device.hosts.set(host_list)
    after = {"custodian": custodian.pk, "department": department.pk, "place": getattr(place, "pk", None),
             "hosts": sorted(h.pk for h in host_list)}  # fmt: skip
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    record(actor, DevicesEvent.DEVICE_UPDATED, device, details={"changed": changed})
    return device


# --- lifecycle ---------------------------------------------------------------------------------------


def _move(actor: Any, device: Device, action: str, fields: list[str], **details: Any) -> Device:
    move = lifecycle.next_move(device.status, action)
    device.status = move.next_state
    device.save(update_fields=["status", *fields])
    record(actor, move.event, device, details=details)
    return device


@service
def commission_device(actor: Any, device: Device, *, on: date | None = None) -> Device:
    """Put a procured device into use; its first periodic check falls due (SUP-6).
    *Requires* ``manage``. *Audits* DEVICE_COMMISSIONED."""
    device = _locked(device)
    policy.require(actor, "manage", device)
    lifecycle.next_move(device.status, "commission")
    day = on or timezone.localdate()
    checks.not_future(day, "on")
    device.commissioned_on, device.next_check_on = day, add_months(day, device.check_months)
    return _move(actor, device, "commission", ["commissioned_on", "next_check_on"], on=day)


@service
def check_device(
    actor: Any, device: Device, *, checked_on: date | None, result: str, note: str = ""
) -> DeviceCheck:
    """Record a periodic check of a device (SUP-6); the next check falls due ``check_months``
    later. A problem needs a note. *Requires* ``check``. *Audits* DEVICE_CHECKED."""
    device = _locked(device)
    policy.require(actor, "check", device)
    if device.status not in (DeviceStatus.IN_USE, DeviceStatus.PROCURED):
        checks.fail("result", _("Only devices in use or in store are checked."))
    if checked_on is None:
        checks.fail("checked_on", _("Give the date of the check."))
    checks.not_future(checked_on, "checked_on")
    if result not in CheckResult.values:
        checks.fail("result", _("Choose the result."))
    if result == CheckResult.PROBLEM and not note.strip():
        checks.fail("note", _("Describe the problem found."))
    chk = DeviceCheck(
        device=device, checked_on=checked_on, result=result, note=note.strip()[:300], checker=actor
    )
    chk.save()
    device.next_check_on = add_months(checked_on, device.check_months)
    device.save(update_fields=["next_check_on"])
    record(actor, DevicesEvent.DEVICE_CHECKED, device,
           details={"check": chk.pk, "result": result, "next_check_on": device.next_check_on})  # fmt: skip
    return chk


@service
def start_maintenance(actor: Any, device: Device, *, contractor: Any, technician: str, supervisor: Any, fault: str,
                      started_on: date | None = None) -> Maintenance:  # fmt: skip
    """Maintain a device on site by a qualified contractor's technician, under a supervisor of
    the unit cleared for the device (SUP-6, R-CAR-8, R-SITE-3). *Requires* ``manage``.
    *Audits* DEVICE_MAINTENANCE_STARTED. *Raises* ValidationFailed when the contractor holds no
    current repair qualification covering the level (an expired one cannot be chosen)."""
    from baomi.contractors.choices import QualificationKind

    device = _locked(device)
    policy.require(actor, "manage", device)
    lifecycle.next_move(device.status, "maintain")
    day = started_on or timezone.localdate()
    checks.not_future(day, "started_on")
    technician = checks.require_text(technician, "technician", _("Name the technician."))
    fault = checks.require_text(fault, "fault", _("Describe the fault."))
    checks.cleared_for(supervisor, device.level, "supervisor",
                       _("The on-site supervisor must be an active person of the unit cleared for the device's "
                         "level."))  # fmt: skip
    qualification = require_qualified(contractor, QualificationKind.REPAIR, device.level, on=day)
    m = Maintenance(device=device, contractor=contractor, qualification=qualification, technician=technician,
                    supervisor=supervisor, fault=fault[:300], started_on=day, recorded_by=actor)  # fmt: skip
    m.save()
    _move(actor, device, "maintain", [], maintenance=m.pk, contractor=contractor.pk, qualification=qualification.pk,
          supervisor=supervisor.pk)  # fmt: skip
    return m


@service
def finish_maintenance(
    actor: Any, device: Device, *, result: str, finished_on: date | None = None
) -> Maintenance:
    """Take a device back from maintenance (SUP-6). *Requires* ``manage``. *Audits*
    DEVICE_MAINTENANCE_FINISHED."""
    device = _locked(device)
    policy.require(actor, "manage", device)
    lifecycle.next_move(device.status, "finish_maintenance")
    result = checks.require_text(result, "result", _("Describe the result."))
    m = Maintenance.objects.select_for_update().filter(device=device, finished_on__isnull=True).latest("id")
    day = finished_on or timezone.localdate()
    checks.not_future(day, "finished_on")
    if day < m.started_on:
        checks.fail("finished_on", _("Maintenance cannot finish before it started."))
    m.finished_on, m.result = day, result[:300]
    m.save(update_fields=["finished_on", "result"])
    _move(actor, device, "finish_maintenance", [], maintenance=m.pk)
    return m


@internal
def live_carriers_on(device: Device) -> int:
    """How many live carriers name ``device`` as the device or medium they live on (none until
    the carrier registry names devices). A predicate for ``scrap_device``."""
    related = getattr(device, "carriers", None)
    if related is None:
        return 0
    return int(related.exclude(status__in=["destroyed", "returned"]).count())


@service
def scrap_device(actor: Any, device: Device, *, sanitised_on: date | None, sanitisation: str, destroyed_by: Any,
                 destruction_ref: str, scrapped_on: date | None = None) -> Device:  # fmt: skip
    """Scrap a device: sanitised (how and when), handed to a destruction body holding a current
    destruction qualification covering its level, with the body's reference (SUP-6, R-SITE-3).
    Refused while a live carrier names the device. *Requires* ``manage``. *Audits*
    DEVICE_SCRAPPED."""
    from baomi.contractors.choices import QualificationKind

    device = _locked(device)
    policy.require(actor, "manage", device)
    lifecycle.next_move(device.status, "scrap")
    held = live_carriers_on(device)
    if held:
        checks.fail("destroyed_by", _("%(count)s live carriers are registered on this device; destroy or move them "
                                      "first.") % {"count": held})  # fmt: skip
    if sanitised_on is None:
        checks.fail("sanitised_on", _("Give the date the device was sanitised."))
    checks.not_future(sanitised_on, "sanitised_on")
    sanitisation = checks.require_text(
        sanitisation, "sanitisation", _("Describe how the device was sanitised.")
    )
    destruction_ref = checks.require_text(destruction_ref, "destruction_ref",
                                          _("Give the destruction body's reference."))  # fmt: skip
    day = scrapped_on or timezone.localdate()
    checks.not_future(day, "scrapped_on")
    if day < sanitised_on:
        checks.fail("scrapped_on", _("A device is sanitised before it is handed over for destruction."))
    qualification = require_qualified(destroyed_by, QualificationKind.DESTRUCTION, device.level, field="destroyed_by",
                                      on=day)  # fmt: skip
    device.sanitised_on, device.sanitisation = sanitised_on, sanitisation[:200]
    device.destroyed_by, device.destruction_ref, device.scrapped_on = destroyed_by, destruction_ref[:100], day
    device.hosts.clear()
    device.media.clear()
    return _move(actor, device, "scrap", ["sanitised_on", "sanitisation", "destroyed_by", "destruction_ref",
                 "scrapped_on"], destroyed_by=destroyed_by.pk, qualification=qualification.pk, reference=destruction_ref)  # fmt: skip


@service
def report_lost(actor: Any, device: Device, *, note: str) -> Device:
    """Report a device lost: it leaves the whitelist and an incident is opened (SUP-6, SUP-2).
    *Requires* ``report_lost`` (the custodian or the security office). *Audits* DEVICE_LOST
    and INCIDENT_OPENED."""
    device = _locked(device)
    policy.require(actor, "report_lost", device)
    lifecycle.next_move(device.status, "report_lost")
    note = checks.require_text(note, "note", _("Say when and where it was last seen."))
    incident = incidents.open_incident(
        actor, sender=Device, title=str(_("Device %(asset)s lost") % {"asset": device.asset_number}),
        description=note, source="device", source_ref=device.asset_number, level=device.level, kind="lost_carrier",
    )  # fmt: skip
    device.incident = incident
    return _move(actor, device, "report_lost", ["incident"], incident=incident.pk)


@service
def found_device(actor: Any, device: Device, *, note: str) -> Device:
    """A lost device turned up and was checked (SUP-6). *Requires* ``manage``. *Audits* DEVICE_FOUND."""
    device = _locked(device)
    policy.require(actor, "manage", device)
    lifecycle.next_move(device.status, "found")
    note = checks.require_text(note, "note", _("Say where it was found and how it was checked."))
    return _move(actor, device, "found", [], note=note[:200], incident=device.incident_id)


# --- the USB whitelist (SUP-6: only registered media exist) ----------------------------------------------


@dataclass
class Whitelist:
    text: str
    media: list[Device]
    number: int
    filename: str


def _rules(media: list[Device], scope: str, actor: Any, number: int) -> str:
    now = timezone.localtime().isoformat(timespec="seconds")
    lines = [
        "# baomi USBGuard whitelist (SUP-6): registered, in-use removable media only; every other",
        "# USB device is blocked by the last rule. Generated by baomi; do not edit by hand.",
        f"# scope: {scope}",
        f"# generated {now} by {actor.username}, export no. {number}, {len(media)} media",
    ]
    for d in media:
        lines.append(f"# {d.asset_number} {d.get_kind_display()} {d.model_name} ({levels.Level(d.level).label}), "
                     f"{d.custodian.full_name or d.custodian.username}")  # fmt: skip
        lines.append(f'allow id {d.usb_vendor}:{d.usb_product} serial "{d.serial}"')
    lines.append("block")
    return "\n".join(lines) + "\n"


def _csv(media: list[Device]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["asset_number", "kind", "vendor_id", "product_id", "serial", "level", "custodian", "department",
                "computers"])  # fmt: skip
    for d in media:
        w.writerow([d.asset_number, d.kind, d.usb_vendor, d.usb_product, d.serial, d.level, d.custodian.username,
                    d.department.code, " ".join(h.asset_number for h in d.hosts.all())])  # fmt: skip
    return buf.getvalue()


@service
def export_whitelist(actor: Any, *, department: Any = None, computer: Device | None = None,
                     fmt: str = "usbguard") -> Whitelist:  # fmt: skip
    """Export the registered, in-use removable media of a department (and its sub-departments)
    or of one computer as a USBGuard rules file (``allow id V:P serial "S"`` per medium, then
    ``block``) or as CSV (SUP-6). *Requires* ``devices_whitelist``. *Audits* WHITELIST_EXPORTED
    with the scope and the assets exported; its number is written into the file."""
    policy.require(actor, "devices_whitelist")
    if (department is None) == (computer is None):
        checks.fail("department", _("Name either a department or a computer."))
    if fmt not in ("usbguard", "csv"):
        checks.fail("fmt", _("The format is usbguard or csv."))
    if computer is not None and computer.kind != DeviceKind.COMPUTER:
        checks.fail("computer", _("The asset named is not a computer."))
    media = list(selectors.whitelist_media(department=department, computer=computer))
    scope = (f"computer {computer.asset_number}" if computer is not None
             else f"department {department.code} ({department.name}) and its sub-departments")  # fmt: skip
    entry = record(actor, DevicesEvent.WHITELIST_EXPORTED, computer,
                   details={"scope": scope, "format": fmt, "media": [d.asset_number for d in media]})  # fmt: skip
    text = _rules(media, scope, actor, entry.pk) if fmt == "usbguard" else _csv(media)
    name = computer.asset_number if computer is not None else department.code
    ext = "conf" if fmt == "usbguard" else "csv"
    return Whitelist(text=text, media=media, number=entry.pk, filename=f"usbguard-{name}.{ext}")


# --- export and reminders ----------------------------------------------------------------------------------


@service
def export_register(
    actor: Any, *, title: str, headers: list[Any], rows: list[list[Any]], register: str
) -> bytes:
    """Export a register page as xlsx (SUP-6): the rows the viewer already sees. *Requires*
    ``devices_browse``. *Audits* DEVICES_EXPORTED (its number is on the sheet)."""
    policy.require(actor, "devices_browse")
    ticket = issue_export(actor, DevicesEvent.DEVICES_EXPORTED, None, document=f"devices.{register}", fmt="xlsx",
                          rows=len(rows), details={"register": register})  # fmt: skip
    return xlsx_bytes(title, headers, rows, actor=actor, number=ticket.number)


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Scheduler: one DEVICES_REMINDED entry per device in use whose check falls due within the
    lead time (SUP-6). Idempotent per due date; no policy (the system acts)."""
    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.REGISTERS_REMINDER_DAYS)
    raised = 0
    for device in Device.objects.filter(status=DeviceStatus.IN_USE, next_check_on__lte=horizon):
        with transaction.atomic():
            raised += remind_once(DevicesEvent.DEVICES_REMINDED, device, "device_check", device.next_check_on)
    return {"reminders": raised}
