"""Services of the information systems register: every change (SUP-7, R-SYS-1..5).

The grade of a classified system is refused below the highest level registered on it (its
devices, and the live carriers on them once carriers name devices: ``selectors.highest_held``),
and an office system may hold no state secret (R-SYS-4). Going live needs testing and
evaluation and approval first (R-SYS-2, the lifecycle). The next risk assessment is due 12
months (绝密) or 24 months (机密/秘密) after the last, and at once after a change of level, user
scope or environment (R-SYS-3).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.core import levels
from baomi.kit.service import internal, own_transaction, service
from baomi.registers import checks
from baomi.registers.dates import add_months
from baomi.registers.exports import xlsx_bytes
from baomi.registers.reminders import remind_once
from baomi.systems import lifecycle, selectors
from baomi.systems.choices import AssessmentReason, Outcome, ReviewKind, SystemKind, SystemStatus
from baomi.systems.events import SystemsEvent
from baomi.systems.models import InformationSystem, Patch, RecoveryDrill, RiskAssessment, SystemReview

OFFICE_GRADES = (levels.Level.PUBLIC, levels.Level.INTERNAL, levels.Level.WORK_SECRET)


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


@internal
def cadence_months(system: InformationSystem) -> int | None:
    """Months between risk assessments (R-SYS-3): 12 for 绝密, 24 for 机密 and 秘密 (settings
    ``BAOMI_SYSTEMS_TOP_SECRET_MONTHS`` / ``BAOMI_SYSTEMS_OTHER_MONTHS``); None for an office
    system. A pure function."""
    if system.kind != SystemKind.CLASSIFIED:
        return None
    if system.grade == levels.Level.TOP_SECRET:
        return settings.SYSTEMS_TOP_SECRET_MONTHS
    return settings.SYSTEMS_OTHER_MONTHS


def _grade(kind: str, grade: str, devices: list[Any], system: InformationSystem | None) -> str:
    if kind not in SystemKind.values:
        checks.fail("kind", _("Choose the kind of system."))
    if kind == SystemKind.CLASSIFIED:
        grade = checks.state_secret_level(grade, "grade")
    elif grade not in OFFICE_GRADES:
        checks.fail("grade", _("An ordinary office system may not store or process state secrets (R-SYS-4); "
                               "register it as a classified system."))  # fmt: skip
    policy.check_ceiling(grade)
    held = selectors.highest_held(system, devices)
    if held and levels.rank(held) > levels.rank(grade):
        checks.fail("grade", _("The grade is the highest level the system holds: %(held)s is registered on it, so "
                               "the grade cannot be %(grade)s (R-SYS-1).")
                    % {"held": levels.Level(held).label, "grade": levels.Level(grade).label})  # fmt: skip
    return grade


def _admins(system_admin: Any, security_admin: Any, auditor: Any, grade: str) -> None:
    people = [("system_admin", system_admin), ("security_admin", security_admin), ("auditor", auditor)]
    for field, person in people:
        if person is None or not person.is_active:
            checks.fail(field, _("Name the three administrators, active persons of the unit."))
    if len({p.pk for _f, p in people}) != 3:
        checks.fail("auditor", _("The system administrator, the security officer and the auditor of a system are "
                                 "three different people (三员分立)."))  # fmt: skip
    for field, person in people:
        if levels.is_state_secret(grade):
            checks.cleared_for(person, grade, field,
                               _("Each administrator must be cleared for the system's grade."))  # fmt: skip


def _place(place: Any, kind: str, grade: str) -> None:
    from baomi.sites.selectors import is_confirmed_for

    if kind == SystemKind.CLASSIFIED and place is not None and not is_confirmed_for(place, grade):
        checks.fail(
            "place", _("The machine room must be a confirmed key place designated for the system's grade.")
        )


@service
def register_system(
    actor: Any, *, name: str, code: str, kind: str, grade: str, department: Any, isolation: str, users_scope: str,
    system_admin: Any, security_admin: Any, auditor: Any, place: Any = None, user_count: int = 0, devices: Any = (),
    note: str = "",
) -> InformationSystem:  # fmt: skip
    """Register an information system being built (SUP-7, R-SYS-1).

    *Requires* ``systems_manage``. *Audits* SYSTEM_REGISTERED. *Raises* ValidationFailed for a
    duplicate code, a grade below what is registered on it or a state secret on an office
    system, administrators who are not three cleared people, a machine room not designated for
    the grade."""
    policy.require(actor, "systems_manage")
    name = checks.require_text(name, "name", _("Name the system."))
    code = checks.require_text(code, "code", _("Give the system a code."))
    device_list = list(devices or [])
    grade = _grade(kind, grade, device_list, None)
    isolation = checks.require_text(isolation, "isolation", _("Describe the isolation measures."))
    users_scope = checks.require_text(users_scope, "users_scope", _("Describe who uses the system."))
    _admins(system_admin, security_admin, auditor, grade)
    _place(place, kind, grade)
    if InformationSystem.objects.filter(code=code).exists():
        checks.fail("code", _("Another system already has this code."))
    system = InformationSystem(
        name=name, code=code, kind=kind, grade=grade, department=department, place=place, isolation=isolation,
        users_scope=users_scope, user_count=user_count or 0, system_admin=system_admin, security_admin=security_admin,
        auditor=auditor, note=note.strip(), created_by=actor,
    )  # fmt: skip
    system.save()
    if device_list:
        system.devices.set(device_list)
    record(actor, SystemsEvent.SYSTEM_REGISTERED, system,
           details={"kind": kind, "grade": grade, "devices": [d.pk for d in device_list]})  # fmt: skip
    return system


@service
def change_system(
    actor: Any, system: InformationSystem, *, grade: str, isolation: str, users_scope: str, user_count: int,
    system_admin: Any, security_admin: Any, auditor: Any, place: Any = None, devices: Any = (), note: str = "",
) -> InformationSystem:  # fmt: skip
    """Change a system's grade, environment, users, administrators or devices (SUP-7). A change
    of level, user scope or environment makes a new risk assessment due at once (R-SYS-3).
    *Requires* ``manage``. *Audits* SYSTEM_CHANGED (with what changed)."""
    system = _locked(system)
    policy.require(actor, "manage", system)
    if system.status == SystemStatus.RETIRED:
        checks.fail("grade", _("A retired system is not changed."))
    device_list = list(devices or [])
    grade = _grade(system.kind, grade, device_list, system)
    isolation = checks.require_text(isolation, "isolation", _("Describe the isolation measures."))
    users_scope = checks.require_text(users_scope, "users_scope", _("Describe who uses the system."))
    _admins(system_admin, security_admin, auditor, grade)
    _place(place, system.kind, grade)
    triggers = []
    if grade != system.grade:
        triggers.append(AssessmentReason.LEVEL_CHANGE)
    if users_scope != system.users_scope or (user_count or 0) != system.user_count:
        triggers.append(AssessmentReason.USERS_CHANGE)
    before_devices = sorted(system.devices.values_list("pk", flat=True))
    if (
        isolation != system.isolation
        or getattr(place, "pk", None) != system.place_id
        or before_devices != sorted(d.pk for d in device_list)
    ):
        triggers.append(AssessmentReason.ENVIRONMENT_CHANGE)
    system.grade, system.isolation, system.users_scope, system.user_count = (
        grade,
        isolation,
        users_scope,
        user_count or 0,
    )
    system.system_admin, system.security_admin, system.auditor = system_admin, security_admin, auditor
    system.place, system.note = place, note.strip()
    fields = ["grade", "isolation", "users_scope", "user_count", "system_admin", "security_admin", "auditor", "place",
              "note"]  # fmt: skip
    if triggers and system.status == SystemStatus.LIVE and cadence_months(system) is not None:
        today = timezone.localdate()
        system.reassess_since = system.reassess_since or today
        system.next_assessment_on = min(system.next_assessment_on or today, today)
        fields += ["reassess_since", "next_assessment_on"]
    system.save(update_fields=fields)
    system.devices.set(device_list)
    record(actor, SystemsEvent.SYSTEM_CHANGED, system,
           details={"grade": grade, "reassessment_triggers": [str(t) for t in triggers]})  # fmt: skip
    return system


@service
def record_review(actor: Any, system: InformationSystem, *, kind: str, body: str, reference: str, held_on: date | None,
                  outcome: str, note: str = "") -> SystemReview:  # fmt: skip
    """Record the testing and evaluation of a classified system by an authorised body, or the
    保密局's approval (R-SYS-2). A passed evaluation moves it to ``evaluated``, a passed approval
    to ``approved``; a failed one is kept and moves nothing. *Requires* ``manage``. *Audits*
    SYSTEM_EVALUATED / SYSTEM_APPROVED."""
    system = _locked(system)
    policy.require(actor, "manage", system)
    if kind not in ReviewKind.values:
        checks.fail("kind", _("Choose evaluation or approval."))
    if outcome not in Outcome.values:
        checks.fail("outcome", _("Choose the outcome."))
    verb = "evaluate" if kind == ReviewKind.EVALUATION else "approve"
    move = lifecycle.next_move(system.kind, system.status, verb)
    body = checks.require_text(body, "body", _("Name the body."))
    reference = checks.require_text(
        reference, "reference", _("Give the reference of the report or approval.")
    )
    if held_on is None:
        checks.fail("held_on", _("Give the date."))
    checks.not_future(held_on, "held_on")
    review = SystemReview(system=system, kind=kind, body=body, reference=reference, held_on=held_on, outcome=outcome,
                          note=note.strip()[:300], recorded_by=actor)  # fmt: skip
    review.save()
    if outcome != Outcome.FAILED:
        system.status = move.next_state
        system.save(update_fields=["status"])
    record(
        actor, move.event, system, details={"review": review.pk, "outcome": outcome, "reference": reference}
    )
    return review


@service
def go_live(actor: Any, system: InformationSystem, *, on: date | None = None) -> InformationSystem:
    """Put a system into operation: a classified one only once evaluated and approved (R-SYS-2).
    Its first periodic risk assessment falls due on the cadence (R-SYS-3). *Requires*
    ``manage``. *Audits* SYSTEM_LIVE."""
    system = _locked(system)
    policy.require(actor, "manage", system)
    move = lifecycle.next_move(system.kind, system.status, "go_live")
    day = on or timezone.localdate()
    checks.not_future(day, "on")
    months = cadence_months(system)
    system.status, system.live_on = move.next_state, day
    system.next_assessment_on = add_months(day, months) if months else None
    system.save(update_fields=["status", "live_on", "next_assessment_on"])
    record(actor, move.event, system, details={"on": day, "next_assessment_on": system.next_assessment_on})
    return system


@service
def retire_system(actor: Any, system: InformationSystem, *, reason: str) -> InformationSystem:
    """Take a system out of operation (SUP-7). *Requires* ``manage``. *Audits* SYSTEM_RETIRED."""
    system = _locked(system)
    policy.require(actor, "manage", system)
    move = lifecycle.next_move(system.kind, system.status, "retire")
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    system.status, system.next_assessment_on = move.next_state, None
    system.save(update_fields=["status", "next_assessment_on"])
    record(actor, move.event, system, details={"reason": reason[:200]})
    return system


@service
def record_assessment(actor: Any, system: InformationSystem, *, assessed_on: date | None, reason: str, assessor: str,
                      outcome: str, findings: str = "") -> RiskAssessment:  # fmt: skip
    """Record a security risk assessment (R-SYS-3); the next falls due on the cadence from it,
    and a pending reassessment after a change is satisfied. *Requires* ``assess``. *Audits*
    RISK_ASSESSED."""
    system = _locked(system)
    policy.require(actor, "assess", system)
    if system.status == SystemStatus.RETIRED:
        checks.fail("assessed_on", _("A retired system is not assessed."))
    if reason not in AssessmentReason.values:
        checks.fail("reason", _("Choose the reason of the assessment."))
    if outcome not in Outcome.values:
        checks.fail("outcome", _("Choose the outcome."))
    if assessed_on is None:
        checks.fail("assessed_on", _("Give the date of the assessment."))
    checks.not_future(assessed_on, "assessed_on")
    assessor = checks.require_text(assessor, "assessor", _("Name who assessed the system."))
    if outcome != Outcome.PASSED and not findings.strip():
        checks.fail("findings", _("Describe the findings."))
    months = cadence_months(system)
    next_due = add_months(assessed_on, months) if months else None
    ra = RiskAssessment(system=system, assessed_on=assessed_on, reason=reason, assessor=assessor, outcome=outcome,
                        findings=findings.strip(), next_due_on=next_due, recorded_by=actor)  # fmt: skip
    ra.save()
    latest = selectors.last_assessment(system)
    if latest is not None and latest.pk == ra.pk:
        system.next_assessment_on = next_due
        if system.reassess_since and assessed_on >= system.reassess_since:
            system.reassess_since = None
        system.save(update_fields=["next_assessment_on", "reassess_since"])
    record(actor, SystemsEvent.RISK_ASSESSED, system,
           details={"assessment": ra.pk, "reason": reason, "outcome": outcome, "next_due_on": next_due})  # fmt: skip
    return ra


@service
def record_patch(actor: Any, system: InformationSystem, *, applied_on: date | None, reference: str,
                 description: str = "", outcome: str = Outcome.PASSED) -> Patch:  # fmt: skip
    """Record a security patch applied to a system (SUP-7). *Requires* ``maintain`` (the security
    office or the system's administrator). *Audits* PATCH_RECORDED."""
    system = _locked(system)
    policy.require(actor, "maintain", system)
    if applied_on is None:
        checks.fail("applied_on", _("Give the date."))
    checks.not_future(applied_on, "applied_on")
    reference = checks.require_text(reference, "reference", _("Name the patch."))
    if outcome not in Outcome.values:
        checks.fail("outcome", _("Choose the outcome."))
    patch = Patch(system=system, applied_on=applied_on, reference=reference[:100], description=description.strip()[:300],
                  outcome=outcome, applied_by=actor)  # fmt: skip
    patch.save()
    record(
        actor, SystemsEvent.PATCH_RECORDED, system, details={"patch": patch.pk, "reference": reference[:100]}
    )
    return patch


@service
def record_drill(actor: Any, system: InformationSystem, *, held_on: date | None, scenario: str, outcome: str,
                 recovery_minutes: int | None = None, note: str = "") -> RecoveryDrill:  # fmt: skip
    """Record a disaster-recovery drill and its result (SUP-7). *Requires* ``maintain``.
    *Audits* DRILL_RECORDED."""
    system = _locked(system)
    policy.require(actor, "maintain", system)
    if held_on is None:
        checks.fail("held_on", _("Give the date."))
    checks.not_future(held_on, "held_on")
    scenario = checks.require_text(scenario, "scenario", _("Describe the scenario."))
    if outcome not in Outcome.values:
        checks.fail("outcome", _("Choose the outcome."))
    drill = RecoveryDrill(system=system, held_on=held_on, scenario=scenario[:300], outcome=outcome,
                          recovery_minutes=recovery_minutes, note=note.strip()[:300], recorded_by=actor)  # fmt: skip
    drill.save()
    record(actor, SystemsEvent.DRILL_RECORDED, system, details={"drill": drill.pk, "outcome": outcome})
    return drill


@service
def export_register(
    actor: Any, *, title: str, headers: list[Any], rows: list[list[Any]], register: str
) -> bytes:
    """Export the systems register page as xlsx (SUP-7). *Requires* ``systems_browse``.
    *Audits* SYSTEMS_EXPORTED."""
    policy.require(actor, "systems_browse")
    entry = record(
        actor, SystemsEvent.SYSTEMS_EXPORTED, None, details={"register": register, "rows": len(rows)}
    )
    return xlsx_bytes(title, headers, rows, actor=actor, number=entry.pk)


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Scheduler: one SYSTEMS_REMINDED entry per live system whose risk assessment falls due
    within the lead time or is overdue (R-SYS-3). Idempotent per due date; no policy."""
    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.REGISTERS_REMINDER_DAYS)
    raised = 0
    for system in InformationSystem.objects.filter(status=SystemStatus.LIVE, next_assessment_on__lte=horizon):
        with transaction.atomic():
            due = system.next_assessment_on
            kind = "overdue" if due is not None and due < today else "due"
            raised += remind_once(
                SystemsEvent.SYSTEMS_REMINDED, system, f"assessment_{kind}", system.next_assessment_on
            )
    return {"reminders": raised}
