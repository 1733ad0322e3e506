"""Services of the key departments and places register: every change (SUP-5, R-SITE-1).

Each service: lock → ``policy.require`` → lifecycle check → validate → change → audit, in one
transaction (``@service``). Validation failures change nothing and say what is wrong in
Chinese on the field concerned.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.core import levels
from baomi.kit import rectification
from baomi.kit.service import internal, own_transaction, service
from baomi.registers import checks
from baomi.registers.dates import add_months
from baomi.registers.exports import xlsx_bytes
from baomi.registers.reminders import remind_once
from baomi.sites import lifecycle, selectors
from baomi.sites.choices import CabinetStatus, CheckStatus, PlaceKind, SiteStatus
from baomi.sites.events import SitesEvent
from baomi.sites.models import Cabinet, KeyDepartment, KeyPlace, PlaceCheck


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _responsible(user: Any, level: str) -> None:
    checks.cleared_for(user, level, "responsible",
                       _("The responsible person must be an active person cleared for this level."))  # fmt: skip


# --- key departments (R-SITE-1) ------------------------------------------------------------------


@service
def designate_department(actor: Any, *, department: Any, level: str, responsible: Any, reason: str = "",
                         note: str = "") -> KeyDepartment:  # fmt: skip
    """Designate a key department (保密要害部门): it handles 绝密 or larger amounts of 机密/秘密
    (R-SITE-1). It awaits the 保密局's confirmation.

    *Requires* ``sites_manage``. *Audits* KEY_DEPARTMENT_DESIGNATED. *Raises* ValidationFailed
    for a second designation, a level that is not a state secret or an uncleared responsible."""
    policy.require(actor, "sites_manage")
    level = checks.state_secret_level(level)
    policy.check_ceiling(level)
    _responsible(responsible, level)
    if KeyDepartment.objects.filter(department=department).exists():
        checks.fail("department", _("This department is already designated as a key department."))
    kd = KeyDepartment(department=department, level=level, responsible=responsible, reason=reason.strip(),
                       note=note.strip(), created_by=actor)  # fmt: skip
    kd.save()
    record(
        actor,
        SitesEvent.KEY_DEPARTMENT_DESIGNATED,
        kd,
        details={"level": level, "responsible": responsible.pk},
    )
    return kd


@service
def update_department(actor: Any, kd: KeyDepartment, *, level: str, responsible: Any, reason: str = "",
                      note: str = "") -> KeyDepartment:  # fmt: skip
    """Change the level, responsible person or notes of a key department (SUP-5).
    *Requires* ``manage``. *Audits* KEY_DEPARTMENT_UPDATED with the changed fields."""
    kd = _locked(kd)
    policy.require(actor, "manage", kd)
    level = checks.state_secret_level(level)
    policy.check_ceiling(level)
    _responsible(responsible, level)
    changed = _apply(kd, level=level, responsible_id=responsible.pk, reason=reason.strip(), note=note.strip())
    if changed:
        kd.save(update_fields=[f.removesuffix("_id") if f.endswith("_id") else f for f in changed])
        record(actor, SitesEvent.KEY_DEPARTMENT_UPDATED, kd, details={"changed": sorted(changed)})
    return kd


def _apply(obj: Any, **values: Any) -> list[str]:
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _confirm_fields(confirmed_on: date | None, reference: str) -> str:
    if confirmed_on is None:
        checks.fail("confirmed_on", _("Give the date of the 保密局's confirmation."))
    checks.not_future(confirmed_on, "confirmed_on")
    return checks.require_text(reference, "reference", _("Give the reference of the 保密局's confirmation."))


@service
def confirm_department(
    actor: Any, kd: KeyDepartment, *, confirmed_on: date | None, reference: str
) -> KeyDepartment:
    """Record the same-level 保密局's confirmation of a key department (R-SITE-1).
    *Requires* ``manage``. *Audits* KEY_DEPARTMENT_CONFIRMED."""
    kd = _locked(kd)
    policy.require(actor, "manage", kd)
    move = lifecycle.next_move(lifecycle.DEPARTMENT_TRANSITIONS, kd.status, "confirm")
    reference = _confirm_fields(confirmed_on, reference)
    kd.status, kd.confirmed_on, kd.confirmation_ref = move.next_state, confirmed_on, reference
    kd.save(update_fields=["status", "confirmed_on", "confirmation_ref"])
    record(actor, move.event, kd, details={"confirmed_on": confirmed_on, "reference": reference})
    return kd


@service
def revoke_department(actor: Any, kd: KeyDepartment, *, reason: str) -> KeyDepartment:
    """A department is no longer key (R-SITE-1). *Requires* ``manage``. *Audits* KEY_DEPARTMENT_REVOKED."""
    kd = _locked(kd)
    policy.require(actor, "manage", kd)
    move = lifecycle.next_move(lifecycle.DEPARTMENT_TRANSITIONS, kd.status, "revoke")
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    kd.status = move.next_state
    kd.save(update_fields=["status"])
    record(actor, move.event, kd, details={"reason": reason[:200]})
    return kd


# --- key places (R-SITE-1) -------------------------------------------------------------------------


def _place_values(level: str, responsible: Any, check_months: int, kind: str) -> str:
    level = checks.state_secret_level(level)
    policy.check_ceiling(level)
    _responsible(responsible, level)
    if kind not in PlaceKind.values:
        checks.fail("kind", _("Choose a kind of place."))
    if not isinstance(check_months, int) or not 1 <= check_months <= 24:
        checks.fail("check_months", _("A place is checked at least every 24 months."))
    return level


@service
def register_place(
    actor: Any, *, name: str, code: str, kind: str, department: Any, level: str, responsible: Any,
    location: str = "", access_control: bool = False, cctv: bool = False, alarm: bool = False,
    shielding: bool = False, check_months: int | None = None, note: str = "",
) -> KeyPlace:  # fmt: skip
    """Register a key place (保密要害部位) with its level, responsible person and technical
    measures (R-SITE-1). Its first check falls due ``check_months`` from today.

    *Requires* ``sites_manage``. *Audits* KEY_PLACE_REGISTERED. *Raises* ValidationFailed for
    a duplicate code, a missing name, a level that is not a state secret or an uncleared
    responsible person."""
    policy.require(actor, "sites_manage")
    name = checks.require_text(name, "name", _("Name the place."))
    code = checks.require_text(code, "code", _("Give the place a code."))
    months = check_months if check_months is not None else settings.SITES_CHECK_MONTHS
    level = _place_values(level, responsible, months, kind)
    if KeyPlace.objects.filter(code=code).exists():
        checks.fail("code", _("Another key place already has this code."))
    place = KeyPlace(
        name=name, code=code, kind=kind, department=department, level=level, responsible=responsible,
        location=location.strip(), access_control=access_control, cctv=cctv, alarm=alarm, shielding=shielding,
        check_months=months, note=note.strip(), created_by=actor,
        next_check_on=add_months(timezone.localdate(), months),
    )  # fmt: skip
    place.save()
    record(actor, SitesEvent.KEY_PLACE_REGISTERED, place,
           details={"code": code, "level": level, "responsible": responsible.pk, "measures": _measure_keys(place)})  # fmt: skip
    return place


def _measure_keys(place: KeyPlace) -> list[str]:
    return [k for k in ("access_control", "cctv", "alarm", "shielding") if getattr(place, k)]


@service
def update_place(
    actor: Any, place: KeyPlace, *, name: str, kind: str, department: Any, level: str, responsible: Any,
    location: str = "", access_control: bool = False, cctv: bool = False, alarm: bool = False,
    shielding: bool = False, check_months: int = 3, note: str = "",
) -> KeyPlace:  # fmt: skip
    """Change a key place's facts, level, responsible person or measures (SUP-5). Lowering the
    level below a cabinet's is refused; so is lowering it below 绝密 while 绝密 carriers are
    kept there (R-CAR-12). *Requires* ``manage``. *Audits* KEY_PLACE_UPDATED."""
    place = _locked(place)
    policy.require(actor, "manage", place)
    name = checks.require_text(name, "name", _("Name the place."))
    level = _place_values(level, responsible, check_months, kind)
    too_high = [c.number for c in place.cabinets.filter(status=CabinetStatus.IN_USE)
                if levels.rank(c.level) > levels.rank(level)]  # fmt: skip
    if too_high:
        checks.fail("level", _("Cabinets %(numbers)s may hold more than this level; lower them first.")
                    % {"numbers": "、".join(too_high)})  # fmt: skip
    changed = _apply(
        place, name=name, kind=kind, department_id=department.pk, level=level, responsible_id=responsible.pk,
        location=location.strip(), access_control=access_control, cctv=cctv, alarm=alarm, shielding=shielding,
        check_months=check_months, note=note.strip(),
    )  # fmt: skip
    if changed:
        place.save(update_fields=[f.removesuffix("_id") if f.endswith("_id") else f for f in changed])
        record(
            actor, SitesEvent.KEY_PLACE_UPDATED, place, details={"changed": sorted(changed), "level": level}
        )
    return place


@service
def confirm_place(actor: Any, place: KeyPlace, *, confirmed_on: date | None, reference: str) -> KeyPlace:
    """Record the same-level 保密局's confirmation of a key place (R-SITE-1); only then may a
    place designated for 绝密 keep 绝密 carriers (R-CAR-12). *Requires* ``manage``. *Audits*
    KEY_PLACE_CONFIRMED."""
    place = _locked(place)
    policy.require(actor, "manage", place)
    move = lifecycle.next_move(lifecycle.PLACE_TRANSITIONS, place.status, "confirm")
    reference = _confirm_fields(confirmed_on, reference)
    place.status, place.confirmed_on, place.confirmation_ref = move.next_state, confirmed_on, reference
    place.save(update_fields=["status", "confirmed_on", "confirmation_ref"])
    record(actor, move.event, place, details={"confirmed_on": confirmed_on, "reference": reference})
    return place


@service
def revoke_place(actor: Any, place: KeyPlace, *, reason: str) -> KeyPlace:
    """A place is no longer key (R-SITE-1). Refused while a cabinet in it is in use.
    *Requires* ``manage``. *Audits* KEY_PLACE_REVOKED."""
    place = _locked(place)
    policy.require(actor, "manage", place)
    move = lifecycle.next_move(lifecycle.PLACE_TRANSITIONS, place.status, "revoke")
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    if place.cabinets.filter(status=CabinetStatus.IN_USE).exists():
        checks.fail("reason", _("Cabinets of this place are still in use; retire or move them first."))
    place.status = move.next_state
    place.save(update_fields=["status"])
    record(actor, move.event, place, details={"reason": reason[:200]})
    return place


# --- cabinets (SUP-5) ----------------------------------------------------------------------------------


@service
def add_cabinet(actor: Any, *, place: KeyPlace, number: str, name: str, custodian: Any, level: str = "",
                note: str = "") -> Cabinet:  # fmt: skip
    """Register a secrecy cabinet (保密柜) in a key place, with its number and custodian (SUP-5).
    Its level defaults to the place's and may not exceed it.

    *Requires* ``manage`` on the place. *Audits* CABINET_ADDED. *Raises* ValidationFailed for a
    duplicate number, a place that is revoked, or a custodian not cleared for the level."""
    place = _locked(place)
    policy.require(actor, "manage", place)
    if place.status == SiteStatus.REVOKED:
        checks.fail("place", _("This place is no longer a key place."))
    number = checks.require_text(number, "number", _("Give the cabinet a number."))
    name = checks.require_text(name, "name", _("Give the cabinet a name as written on carriers."))
    level = checks.state_secret_level(level or place.level)
    if levels.rank(level) > levels.rank(place.level):
        checks.fail("level", _("A cabinet cannot hold more than its place's level."))
    checks.cleared_for(custodian, level, "custodian",
                       _("The custodian must be an active person cleared for the cabinet's level."))  # fmt: skip
    if Cabinet.objects.filter(number=number).exists():
        checks.fail("number", _("Another cabinet already has this number."))
    cab = Cabinet(number=number, name=name, place=place, custodian=custodian, level=level, note=note.strip())
    cab.save()
    record(
        actor,
        SitesEvent.CABINET_ADDED,
        cab,
        details={"place": place.pk, "custodian": custodian.pk, "level": level},
    )
    return cab


@service
def change_cabinet_custodian(actor: Any, cabinet: Cabinet, *, custodian: Any) -> Cabinet:
    """Hand a cabinet to another custodian (SUP-5). *Requires* ``manage``. *Audits* CABINET_UPDATED."""
    cabinet = _locked(cabinet)
    policy.require(actor, "manage", cabinet)
    lifecycle.next_move(lifecycle.CABINET_TRANSITIONS, cabinet.status, "retire")  # in use only
    checks.cleared_for(custodian, cabinet.level, "custodian",
                       _("The custodian must be an active person cleared for the cabinet's level."))  # fmt: skip
    before = cabinet.custodian_id
    cabinet.custodian = custodian
    cabinet.save(update_fields=["custodian"])
    record(actor, SitesEvent.CABINET_UPDATED, cabinet, details={"custodian": [before, custodian.pk]})
    return cabinet


@service
def retire_cabinet(actor: Any, cabinet: Cabinet, *, reason: str) -> Cabinet:
    """Take a cabinet out of use (SUP-5). Refused while it holds a live carrier.
    *Requires* ``manage``. *Audits* CABINET_RETIRED."""
    cabinet = _locked(cabinet)
    policy.require(actor, "manage", cabinet)
    move = lifecycle.next_move(lifecycle.CABINET_TRANSITIONS, cabinet.status, "retire")
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    held = _live_carriers_in(cabinet)
    if held:
        checks.fail(
            "reason",
            _("This cabinet still holds %(count)s live carriers; move them first.") % {"count": held},
        )
    cabinet.status = move.next_state
    cabinet.save(update_fields=["status"])
    record(actor, move.event, cabinet, details={"reason": reason[:200]})
    return cabinet


def _live_carriers_in(cabinet: Cabinet) -> int:
    """Live carriers kept in the cabinet (none until the carrier registry names cabinets)."""
    related = getattr(cabinet, "carriers", None)
    if related is None:
        return 0
    return int(related.exclude(status__in=["destroyed", "returned"]).count())


# --- place checks (SUP-5) ---------------------------------------------------------------------------


@service
def plan_check(actor: Any, place: KeyPlace, *, planned_on: date | None) -> PlaceCheck:
    """Plan a check of a key place (SUP-5). *Requires* ``check`` on the place. *Audits*
    PLACE_CHECK_PLANNED. *Raises* ValidationFailed for a missing date or a revoked place."""
    place = _locked(place)
    policy.require(actor, "check", place)
    if planned_on is None:
        checks.fail("planned_on", _("Give the planned date."))
    if place.status == SiteStatus.REVOKED:
        checks.fail("place", _("This place is no longer a key place."))
    chk = PlaceCheck(place=place, planned_on=planned_on, planned_by=actor)
    chk.save()
    record(actor, SitesEvent.PLACE_CHECK_PLANNED, chk, details={"place": place.pk, "planned_on": planned_on})
    return chk


@service
def record_check(actor: Any, check: PlaceCheck, *, checked_on: date | None, findings: str = "",
                 rectify_by: date | None = None) -> PlaceCheck:  # fmt: skip
    """Record the result of a place check (SUP-5): with no findings it passes; findings need a
    rectification deadline and go into THE rectification loop (SUP-1 整改,
    ``baomi.kit.rectification``): a finding naming this check and a task for the place's
    responsible person by ``rectify_by``, reminded, verified and closed there — the check is
    rectified when the loop closes it (:func:`close_rectified`). The place's next check falls due
    ``check_months`` after this one.

    *Requires* ``record``. *Audits* PLACE_CHECK_RECORDED (with the task and the place's next due
    date in its details; the loop audits FINDING_RECORDED and TASK_ASSIGNED)."""
    check = _locked(check)
    policy.require(actor, "record", check)
    findings = (findings or "").strip()
    move = lifecycle.next_move(lifecycle.CHECK_TRANSITIONS, check.status, "find" if findings else "pass")
    if checked_on is None:
        checks.fail("checked_on", _("Give the date of the check."))
    checks.not_future(checked_on, "checked_on")
    if findings:
        if rectify_by is None:
            checks.fail("rectify_by", _("Findings need a rectification deadline."))
        if rectify_by < checked_on:
            checks.fail("rectify_by", _("The rectification deadline cannot be before the check."))
    place = _locked(check.place)
    check.status, check.checked_on, check.checker = move.next_state, checked_on, actor
    check.findings = findings
    check.save(update_fields=["status", "checked_on", "checker", "findings"])
    place.next_check_on = add_months(checked_on, place.check_months)
    place.save(update_fields=["next_check_on"])
    task = None
    if findings and rectify_by is not None:  # checked above: findings need a deadline
        task = rectification.open_task(
            actor, origin=selectors.CHECK_ORIGIN, origin_id=check.pk, url=reverse("sites:check", args=[check.pk]),
            label=gettext("Check of %(place)s on %(day)s") % {"place": place.name, "day": checked_on.isoformat()},
            description=findings, measures=findings, department=place.department, place=place.name,
            owner=place.responsible, deadline=rectify_by,
        )  # fmt: skip
    record(actor, move.event, check,
           details={"place": place.pk, "result": check.status, "rectify_by": rectify_by, "task": task,
                    "next_check_on": place.next_check_on})  # fmt: skip
    return check


@internal
def close_rectified(actor: Any, check_id: int, finding: Any) -> PlaceCheck | None:
    """The rectification loop verified every task opened for the check's findings: the check is
    rectified (SUP-5, SUP-1 整改). Runs inside the loop's verifying service, which checked that
    ``actor`` may verify (``sites/signals.py`` receives ``kit.rectification.closed``).
    *Audits* PLACE_CHECK_RECTIFIED."""
    check = PlaceCheck.objects.select_for_update().filter(pk=check_id).first()
    if check is None or check.status != CheckStatus.FINDINGS:
        return None
    move = lifecycle.next_move(lifecycle.CHECK_TRANSITIONS, check.status, "rectify")
    check.status = move.next_state
    check.save(update_fields=["status"])
    record(
        actor, move.event, check, details={"place": check.place_id, "finding": getattr(finding, "pk", None)}
    )
    return check


# --- export and reminders ------------------------------------------------------------------------------


@service
def export_register(
    actor: Any, *, title: str, headers: list[Any], rows: list[list[Any]], register: str
) -> bytes:
    """Export a register page as xlsx (SUP-5). The rows are what the viewer already sees
    (the view built them from the selectors). *Requires* ``sites_browse``. *Audits*
    SITES_EXPORTED (register, row count) — its number is printed on the sheet."""
    policy.require(actor, "sites_browse")
    entry = record(actor, SitesEvent.SITES_EXPORTED, None, details={"register": register, "rows": len(rows)})
    return xlsx_bytes(title, headers, rows, actor=actor, number=entry.pk)


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Scheduler: one SITES_REMINDED entry per key place whose check falls due within the lead
    time (SUP-5); a check's findings are reminded by the rectification loop (inspections).
    Idempotent per due date; no policy (the system acts); each entry in its own short
    transaction."""
    from django.db import transaction

    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.REGISTERS_REMINDER_DAYS)
    raised = 0
    for place in KeyPlace.objects.exclude(status=SiteStatus.REVOKED).filter(next_check_on__lte=horizon):
        with transaction.atomic():
            raised += remind_once(SitesEvent.SITES_REMINDED, place, "place_check", place.next_check_on)
    return {"reminders": raised}
