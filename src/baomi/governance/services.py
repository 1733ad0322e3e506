"""Governance services: every change to the regime's records (ORG-2, SUP-9, SUP-10, SUP-11).

Each service: lock → ``access.require`` → check → change → audit, in one transaction
(``@service``). The security office keeps the records; approvers of regulations and plans are
the unit head or a leading-group member, named on the version; the signatories of a
responsibility statement are the department's head and the unit head. Files go into the vault.
Events that count as training are also recorded as personnel training (PER-4) through the
personnel services, so the training coverage counts them.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import require
from baomi.accounts.choices import Role
from baomi.audit.record import record
from baomi.core.errors import ValidationFailed
from baomi.governance import seed
from baomi.governance.choices import (
    Body,
    EventKind,
    PlanKind,
    PlanStatus,
    Position,
    RegulationStatus,
    ReviewOutcome,
)
from baomi.governance.events import GovernanceEvent
from baomi.governance.models import (
    Campaign,
    Drill,
    EducationEvent,
    EmergencyPlan,
    EventAttendance,
    Material,
    Membership,
    PlanVersion,
    Regulation,
    RegulationReview,
    RegulationVersion,
    ResponsibilityStatement,
)
from baomi.kit import requests, uploads
from baomi.kit.service import internal, own_transaction, service
from baomi.vault import services as vault

STATEMENT_TEXT = (
    "为落实保密工作责任制，按照“谁主管谁负责”的原则，本部门负责人对本部门保密工作负总责：\n"
    "一、组织本部门人员学习保密法律法规和本单位保密制度；\n二、落实涉密人员、涉密载体、涉密设备和信息公开保密审查的管理要求；\n"
    "三、定期开展保密自查，及时整改发现的问题；\n四、发生泄密事件立即报告并采取补救措施。\n"
    "本责任书一式两份，单位和部门各执一份，有效期至当年12月31日。"
)


def _invalid(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


@internal
def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day); pure."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=dom)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 always exists


def _approver(user: Any, field: str, actor: Any) -> None:
    if user is None or not user.has_role(Role.UNIT_HEAD, Role.LEADING_GROUP):
        raise _invalid(field, _("The approver must be the unit head or a member of the leading group."))
    # R-ROLE-5: who drafts the text does not approve it (a drafter who sits in the leading group
    # names another member or the unit head).
    requests.require_other(user, [actor], field=field,
                           message=_("Who records the text cannot also be its approver."))  # fmt: skip


def _store(actor: Any, upload: Any, target: Any) -> tuple[Any, str]:
    name = str(getattr(upload, "name", "") or "file")[:255]
    return vault.store(
        actor, uploads.limited(upload, "governance", field="upload"),
        content_type=getattr(upload, "content_type", "") or "", target=target,
    ), name  # fmt: skip


def _past(day: date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise _invalid(field, _("The date cannot be in the future."))


# --- the leading group and the security office (ORG-2) -------------------------------------------


@service
def appoint_member(actor: Any, *, body: str, user: Any, position: str, duties: str = "",
                   started_on: date | None = None, reference: str = "") -> Membership:  # fmt: skip
    """Seat a person on the leading group or the security office with position and duties
    (ORG-2). *Requires* ``manage_governance``. *Audits* MEMBER_APPOINTED."""
    require(actor, "manage_governance")
    body, position = Body(body), Position(position)
    started_on = started_on or timezone.localdate()
    _past(started_on, "started_on")
    if Membership.objects.filter(body=body, user_id=user.pk, ended_on__isnull=True).exists():
        raise _invalid("user", _("This person already sits on this body; change their position instead."))
    m = Membership(body=body, user=user, position=position, duties=duties.strip(), started_on=started_on,
                   reference=reference.strip()[:200], recorded_by=actor)  # fmt: skip
    m.save()
    record(
        actor,
        GovernanceEvent.MEMBER_APPOINTED,
        m,
        details={"body": body, "user": user.pk, "position": position},
    )
    return m


@service
def change_member(actor: Any, membership: Membership, *, position: str, duties: str, on: date | None = None,
                  reason: str = "") -> Membership:  # fmt: skip
    """Change a member's position or duties: the seat ends and a new one starts the same day, so
    the history stays (ORG-2). *Requires* ``manage``. *Audits* MEMBER_CHANGED."""
    membership = _locked(membership)
    require(actor, "manage", membership)
    if membership.ended_on is not None:
        raise _invalid("membership", _("This seat has already ended."))
    day = on or timezone.localdate()
    _past(day, "on")
    if day < membership.started_on:
        raise _invalid("on", _("The change cannot be before the seat began."))
    membership.ended_on, membership.end_reason = (
        day,
        (reason.strip() or str(_("Position or duties changed")))[:300],
    )
    membership.save(update_fields=["ended_on", "end_reason"])
    new = Membership(body=membership.body, user=membership.user, position=Position(position), duties=duties.strip(),
                     started_on=day, reference=membership.reference, recorded_by=actor)  # fmt: skip
    new.save()
    record(actor, GovernanceEvent.MEMBER_CHANGED, new,
           details={"previous": membership.pk, "before": membership.position, "after": new.position})  # fmt: skip
    return new


@service
def end_membership(actor: Any, membership: Membership, *, on: date | None = None, reason: str) -> Membership:
    """A member leaves the body (ORG-2). *Requires* ``manage``. *Audits* MEMBER_LEFT."""
    membership = _locked(membership)
    require(actor, "manage", membership)
    if membership.ended_on is not None:
        raise _invalid("membership", _("This seat has already ended."))
    if not reason.strip():
        raise _invalid("reason", _("Give the reason."))
    day = on or timezone.localdate()
    _past(day, "on")
    if day < membership.started_on:
        raise _invalid("on", _("The change cannot be before the seat began."))
    membership.ended_on, membership.end_reason = day, reason.strip()[:300]
    membership.save(update_fields=["ended_on", "end_reason"])
    record(actor, GovernanceEvent.MEMBER_LEFT, membership, details={"ended_on": day})
    return membership


# --- responsibility statements (ORG-2) -----------------------------------------------------------


@service
def issue_statement(actor: Any, *, department: Any, year: int, text: str = "") -> ResponsibilityStatement:
    """Issue a department's 保密工作责任书 for a year, to be signed by its head and the unit head
    (ORG-2). *Requires* ``manage_governance``. *Audits* STATEMENT_ISSUED."""
    require(actor, "manage_governance")
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        raise _invalid("year", _("Choose this year or the next."))
    if ResponsibilityStatement.objects.filter(department_id=department.pk, year=year).exists():
        raise _invalid("year", _("This department already has a statement for that year."))
    st = ResponsibilityStatement(department=department, year=int(year), text=text.strip() or STATEMENT_TEXT,
                                 issued_by=actor)  # fmt: skip
    st.save()
    record(
        actor, GovernanceEvent.STATEMENT_ISSUED, st, details={"department": department.pk, "year": st.year}
    )
    return st


#: R-ROLE-5: a statement binds two people; one person never signs both sides alone.
_ONE_SIDE = _("The same person cannot sign both sides of the statement.")


@service
def record_statement_signature(actor: Any, statement: ResponsibilityStatement, *, side: str, signed_on: date,
                               signatory: Any = None) -> ResponsibilityStatement:  # fmt: skip
    """Record that the department head (``side="department"``) or the unit head (``"unit"``)
    signed the statement — who, when — like the 保密承诺书 (ORG-2, PER-3). The department side
    is signed by the department's head as recorded; the unit side by a holder of the unit-head
    role. *Requires* ``manage``. *Audits* STATEMENT_SIGNED."""
    statement = _locked(statement)
    require(actor, "manage", statement)
    _past(signed_on, "signed_on")
    if signed_on.year not in (statement.year, statement.year - 1):
        raise _invalid("signed_on", _("The signing date does not belong to the statement's year."))
    if side == "department":
        head = statement.department.head
        if head is None:
            raise _invalid("side", _("The department has no head on record."))
        if statement.department_signed_on:
            raise _invalid("side", _("This side has already signed."))
        requests.require_other(head, [statement.unit_signatory_id], field="side", message=_ONE_SIDE)
        statement.department_signatory, statement.department_signed_on = head, signed_on
        fields = ["department_signatory", "department_signed_on"]
    elif side == "unit":
        if signatory is None or not signatory.has_role(Role.UNIT_HEAD):
            raise _invalid("signatory", _("The unit side is signed by the unit head."))
        if statement.unit_signed_on:
            raise _invalid("side", _("This side has already signed."))
        requests.require_other(signatory, [statement.department_signatory_id, statement.department.head_id],
                               field="signatory", message=_ONE_SIDE)  # fmt: skip
        statement.unit_signatory, statement.unit_signed_on = signatory, signed_on
        fields = ["unit_signatory", "unit_signed_on"]
    else:
        raise _invalid("side", _("Unknown side."))
    statement.save(update_fields=fields)
    record(actor, GovernanceEvent.STATEMENT_SIGNED, statement,
           details={"side": side, "signed_on": signed_on, "complete": statement.signed})  # fmt: skip
    return statement


# --- regulations (SUP-10) ------------------------------------------------------------------------


def _version_content(actor: Any, text: str, upload: Any, target: Any) -> tuple[str, Any, str]:
    if upload is not None:
        blob, name = _store(actor, upload, target)
        return text.strip(), blob, name
    if not text.strip():
        raise _invalid("text", _("Enter the text or attach the file."))
    return text.strip(), None, ""


@service
def create_regulation(actor: Any, *, code: str, title: str, version: str, effective_on: date, approved_by: Any,
                      approved_on: date | None = None, text: str = "", upload: Any = None, category: str = "",
                      department: Any = None, next_review_on: date | None = None,
                      change_note: str = "") -> Regulation:  # fmt: skip
    """Record a regulation in force with its first version: text or file, effective date and
    approver (SUP-10). The next review is due ``GOVERNANCE_REGULATION_REVIEW_MONTHS`` after it
    takes effect unless given. *Requires* ``manage_governance``. *Audits* REGULATION_CREATED."""
    require(actor, "manage_governance")
    code, title, version = code.strip(), title.strip(), version.strip()
    if not code or not title or not version:
        raise _invalid("code", _("Code, title and version are required."))
    if Regulation.objects.filter(code=code).exists():
        raise _invalid("code", _("A regulation with this code exists."))
    _approver(approved_by, "approved_by", actor)
    approved_on = approved_on or effective_on
    _past(approved_on, "approved_on")
    if approved_on > effective_on:
        raise _invalid("approved_on", _("A version is approved before it takes effect."))
    reg = Regulation(code=code[:40], title=title[:200], category=category.strip()[:100], department=department,
                     next_review_on=next_review_on or add_months(effective_on, settings.GOVERNANCE_REGULATION_REVIEW_MONTHS),
                     created_by=actor)  # fmt: skip
    reg.save()
    body, blob, name = _version_content(actor, text, upload, reg)
    v = RegulationVersion(regulation=reg, version=version[:40], text=body, blob=blob, filename=name,
                          effective_on=effective_on, approved_by=approved_by, approved_on=approved_on,
                          change_note=change_note.strip(), created_by=actor)  # fmt: skip
    v.save()
    record(actor, GovernanceEvent.REGULATION_CREATED, reg,
           details={"version": v.version, "effective_on": effective_on, "approved_by": approved_by.pk,
                    "file": bool(blob)})  # fmt: skip
    return reg


@service
def revise_regulation(actor: Any, regulation: Regulation, *, version: str, effective_on: date, approved_by: Any,
                      change_note: str, approved_on: date | None = None, text: str = "", upload: Any = None,
                      next_review_on: date | None = None) -> RegulationVersion:  # fmt: skip
    """A new version of a regulation, with what changed (SUP-10 revision history); the next
    review moves from the new effective date. *Requires* ``manage``. *Audits* REGULATION_REVISED."""
    regulation = _locked(regulation)
    require(actor, "manage", regulation)
    if regulation.status != RegulationStatus.EFFECTIVE:
        raise _invalid("regulation", _("A repealed regulation is not revised."))
    version = version.strip()
    if not version or regulation.versions.filter(version=version).exists():
        raise _invalid("version", _("Give a new version label."))
    if not change_note.strip():
        raise _invalid("change_note", _("Say what changed."))
    _approver(approved_by, "approved_by", actor)
    approved_on = approved_on or min(effective_on, timezone.localdate())
    _past(approved_on, "approved_on")
    if approved_on > effective_on:
        raise _invalid("approved_on", _("A version is approved before it takes effect."))
    body, blob, name = _version_content(actor, text, upload, regulation)
    v = RegulationVersion(regulation=regulation, version=version[:40], text=body, blob=blob, filename=name,
                          effective_on=effective_on, approved_by=approved_by, approved_on=approved_on,
                          change_note=change_note.strip(), created_by=actor)  # fmt: skip
    v.save()
    regulation.next_review_on = next_review_on or add_months(
        effective_on, settings.GOVERNANCE_REGULATION_REVIEW_MONTHS
    )
    regulation.save(update_fields=["next_review_on"])
    record(actor, GovernanceEvent.REGULATION_REVISED, regulation,
           details={"version": v.version, "effective_on": effective_on, "approved_by": approved_by.pk})  # fmt: skip
    return v


@service
def review_regulation(actor: Any, regulation: Regulation, *, outcome: str, reviewed_on: date | None = None,
                      note: str = "", next_review_on: date | None = None) -> RegulationReview:  # fmt: skip
    """Record the periodic review of a regulation and when the next one is due (SUP-10).
    *Requires* ``manage``. *Audits* REGULATION_REVIEWED."""
    regulation = _locked(regulation)
    require(actor, "manage", regulation)
    if regulation.status != RegulationStatus.EFFECTIVE:
        raise _invalid("regulation", _("A repealed regulation is not reviewed."))
    outcome = ReviewOutcome(outcome)
    day = reviewed_on or timezone.localdate()
    _past(day, "reviewed_on")
    due = next_review_on or add_months(day, settings.GOVERNANCE_REGULATION_REVIEW_MONTHS)
    if due <= day:
        raise _invalid("next_review_on", _("The next review lies after this one."))
    rv = RegulationReview(regulation=regulation, reviewed_on=day, outcome=outcome, note=note.strip(),
                          next_review_on=due, reviewed_by=actor)  # fmt: skip
    rv.save()
    regulation.next_review_on = due
    regulation.save(update_fields=["next_review_on"])
    record(actor, GovernanceEvent.REGULATION_REVIEWED, regulation, details={"outcome": outcome, "next": due})
    return rv


@service
def repeal_regulation(
    actor: Any, regulation: Regulation, *, on: date | None = None, reason: str
) -> Regulation:
    """Repeal a regulation; its versions stay as history (SUP-10). *Requires* ``manage``.
    *Audits* REGULATION_REPEALED."""
    regulation = _locked(regulation)
    require(actor, "manage", regulation)
    if regulation.status != RegulationStatus.EFFECTIVE:
        raise _invalid("regulation", _("Already repealed."))
    if not reason.strip():
        raise _invalid("reason", _("Give the reason."))
    regulation.status, regulation.repealed_on = RegulationStatus.REPEALED, on or timezone.localdate()
    regulation.next_review_on = None
    regulation.save(update_fields=["status", "repealed_on", "next_review_on"])
    record(actor, GovernanceEvent.REGULATION_REPEALED, regulation, details={"reason_given": True})
    return regulation


@service
def load_template_regulations(actor: Any, *, approved_by: Any, effective_on: date | None = None,
                              path: Path | None = None) -> list[Regulation]:  # fmt: skip
    """Load the seed's nine regulation templates as regulations in force (SUP-10), version
    "模板", approved by ``approved_by``; templates whose code exists are skipped.
    *Requires* ``manage_governance``. *Audits* REGULATION_CREATED per regulation."""
    require(actor, "manage_governance")
    day = effective_on or timezone.localdate()
    made = []
    for template in seed.load_file(path):
        if Regulation.objects.filter(code=template.code).exists():
            continue
        made.append(create_regulation(actor, code=template.code, title=template.title, version=str(_("Template")),
                                      effective_on=day, approved_by=approved_by, text=template.text,
                                      category=str(_("Secrecy regulations")),
                                      change_note=str(_("Loaded from the regulation templates."))))  # fmt: skip
    return made


# --- emergency plans and drills (SUP-9) -------------------------------------------------------------


@service
def create_plan(actor: Any, *, kind: str, title: str, version: str, effective_on: date, approved_by: Any,
                text: str = "", upload: Any = None, drill_interval_months: int | None = None) -> EmergencyPlan:  # fmt: skip
    """An emergency plan for one kind of event with its first version (SUP-9); the first drill
    falls due one interval after it takes effect. *Requires* ``manage_governance``.
    *Audits* PLAN_CREATED."""
    require(actor, "manage_governance")
    kind = PlanKind(kind)
    if not title.strip() or not version.strip():
        raise _invalid("title", _("Title and version are required."))
    _approver(approved_by, "approved_by", actor)
    interval = int(drill_interval_months or settings.GOVERNANCE_DRILL_MONTHS)
    if not 1 <= interval <= 60:
        raise _invalid("drill_interval_months", _("A drill every 1 to 60 months."))
    plan = EmergencyPlan(kind=kind, title=title.strip()[:200], drill_interval_months=interval,
                         next_drill_on=add_months(effective_on, interval), created_by=actor)  # fmt: skip
    plan.save()
    body, blob, name = _version_content(actor, text, upload, plan)
    PlanVersion(plan=plan, version=version.strip()[:40], text=body, blob=blob, filename=name, effective_on=effective_on,
                approved_by=approved_by).save()  # fmt: skip
    record(actor, GovernanceEvent.PLAN_CREATED, plan, details={"kind": kind, "interval": interval})
    return plan


@service
def revise_plan(actor: Any, plan: EmergencyPlan, *, version: str, effective_on: date, approved_by: Any,
                change_note: str, text: str = "", upload: Any = None) -> PlanVersion:  # fmt: skip
    """A new version of an emergency plan (SUP-9). *Requires* ``manage``. *Audits* PLAN_REVISED."""
    plan = _locked(plan)
    require(actor, "manage", plan)
    if plan.status != PlanStatus.ACTIVE:
        raise _invalid("plan", _("A retired plan is not revised."))
    if not version.strip() or plan.versions.filter(version=version.strip()).exists():
        raise _invalid("version", _("Give a new version label."))
    if not change_note.strip():
        raise _invalid("change_note", _("Say what changed."))
    _approver(approved_by, "approved_by", actor)
    body, blob, name = _version_content(actor, text, upload, plan)
    v = PlanVersion(plan=plan, version=version.strip()[:40], text=body, blob=blob, filename=name,
                    effective_on=effective_on, approved_by=approved_by, change_note=change_note.strip())  # fmt: skip
    v.save()
    record(actor, GovernanceEvent.PLAN_REVISED, plan, details={"version": v.version})
    return v


@service
def record_drill(actor: Any, plan: EmergencyPlan, *, held_on: date, scenario: str, findings: str,
                 participants: list[Any] | None = None, other_participants: str = "") -> Drill:  # fmt: skip
    """Record a drill held — date, scenario, participants, findings — and move the next one due
    (SUP-9). *Requires* ``manage``. *Audits* DRILL_RECORDED."""
    plan = _locked(plan)
    require(actor, "manage", plan)
    if plan.status != PlanStatus.ACTIVE:
        raise _invalid("plan", _("A retired plan is not drilled."))
    _past(held_on, "held_on")
    if not scenario.strip() or not findings.strip():
        raise _invalid("findings", _("Describe the scenario and the findings."))
    if not participants and not other_participants.strip():
        raise _invalid("participants", _("Name the participants."))
    drill = Drill(plan=plan, held_on=held_on, scenario=scenario.strip()[:300], findings=findings.strip(),
                  other_participants=other_participants.strip()[:300], recorded_by=actor)  # fmt: skip
    drill.save()
    if participants:
        drill.participants.set(participants)
    last = plan.drills.order_by("-held_on").values_list("held_on", flat=True).first() or held_on
    plan.next_drill_on = add_months(last, plan.drill_interval_months)
    plan.save(update_fields=["next_drill_on"])
    record(actor, GovernanceEvent.DRILL_RECORDED, plan,
           details={"drill": drill.pk, "held_on": held_on, "participants": len(participants or [])})  # fmt: skip
    return drill


@service
def retire_plan(actor: Any, plan: EmergencyPlan, *, reason: str) -> EmergencyPlan:
    """Retire a plan (replaced or no longer needed); no drills fall due. *Requires* ``manage``.
    *Audits* PLAN_RETIRED."""
    plan = _locked(plan)
    require(actor, "manage", plan)
    if plan.status != PlanStatus.ACTIVE or not reason.strip():
        raise _invalid("reason", _("Give the reason."))
    plan.status, plan.next_drill_on = PlanStatus.RETIRED, None
    plan.save(update_fields=["status", "next_drill_on"])
    record(actor, GovernanceEvent.PLAN_RETIRED, plan, details={})
    return plan


# --- publicity and education (SUP-11) ---------------------------------------------------------------


@service
def create_campaign(
    actor: Any, *, title: str, starts_on: date, ends_on: date, description: str = ""
) -> Campaign:
    """A publicity and education campaign (SUP-11). *Requires* ``manage_governance``.
    *Audits* CAMPAIGN_CREATED."""
    require(actor, "manage_governance")
    if not title.strip():
        raise _invalid("title", _("A title is required."))
    if ends_on < starts_on:
        raise _invalid("ends_on", _("The end is before the start."))
    c = Campaign(title=title.strip()[:200], starts_on=starts_on, ends_on=ends_on, description=description.strip(),
                 created_by=actor)  # fmt: skip
    c.save()
    record(actor, GovernanceEvent.CAMPAIGN_CREATED, c, details={"starts_on": starts_on, "ends_on": ends_on})
    return c


@service
def add_material(actor: Any, campaign: Campaign, *, title: str, upload: Any) -> Material:
    """A publicity material of a campaign, kept in the vault (SUP-11). *Requires* ``manage``.
    *Audits* MATERIAL_ADDED, BLOB_STORED."""
    campaign = _locked(campaign)
    require(actor, "manage", campaign)
    if not title.strip() or upload is None:
        raise _invalid("upload", _("Give a title and attach the file."))
    blob, name = _store(actor, upload, campaign)
    m = Material(campaign=campaign, title=title.strip()[:200], blob=blob, filename=name,
                 content_type=(getattr(upload, "content_type", "") or "")[:100], added_by=actor)  # fmt: skip
    m.save()
    record(actor, GovernanceEvent.MATERIAL_ADDED, campaign, details={"material": m.pk, "size": blob.size})
    return m


TRAINING_KIND = {EventKind.LECTURE: "lecture", EventKind.CONTEST: "contest"}


@service
def record_event(actor: Any, *, kind: str, title: str, held_on: date, hours: Any = 2, place: str = "",
                 campaign: Campaign | None = None, counts_as_training: bool = False) -> EducationEvent:  # fmt: skip
    """A lecture, contest, exhibition or film showing (SUP-11). When it counts as training, a
    personnel training session is recorded with it (PER-4), so attendance counts there too.
    *Requires* ``manage_governance``. *Audits* EVENT_RECORDED (and TRAINING_RECORDED)."""
    from baomi.personnel import services as personnel

    require(actor, "manage_governance")
    kind = EventKind(kind)
    if not title.strip():
        raise _invalid("title", _("A title is required."))
    event = EducationEvent(campaign=campaign, kind=kind, title=title.strip()[:200], held_on=held_on, hours=hours,
                           place=place.strip()[:200], counts_as_training=bool(counts_as_training), created_by=actor)  # fmt: skip
    if counts_as_training:
        event.training_session = personnel.create_session(
            actor, title=event.title, kind=TRAINING_KIND.get(kind, "course"), held_on=held_on, hours=hours,
            organiser=str(_("Security office")),
        )  # fmt: skip
    event.save()
    record(actor, GovernanceEvent.EVENT_RECORDED, event,
           details={"kind": kind, "training": event.training_session_id, "campaign": getattr(campaign, "pk", None)})  # fmt: skip
    return event


@service
def record_event_attendance(
    actor: Any, event: EducationEvent, user: Any, *, score: int | None = None
) -> EventAttendance:
    """Record that a person attended (with a contest score); when the event counts as training
    the attendance goes into the person's training record as well (SUP-11, PER-4).
    *Requires* ``manage`` on the event. *Audits* EVENT_ATTENDANCE_RECORDED (and ATTENDANCE_RECORDED)."""
    from baomi.personnel import services as personnel

    event = _locked(event)
    require(actor, "manage", event)
    # R-ROLE-5: nobody records their own attendance or contest score.
    requests.require_other(user, [actor], field="user", message=_("Nobody records their own attendance."))
    if score is not None and not 0 <= score <= 100:
        raise _invalid("score", _("The score is between 0 and 100."))
    att = EventAttendance.objects.filter(event=event, user_id=user.pk).first()
    if att is None:
        att = EventAttendance(event=event, user=user, score=score)
        att.save()
    else:
        att.score = score
        att.save(update_fields=["score"])
    if event.training_session is not None:
        personnel.record_attendance(actor, event.training_session, user, score=score)
    record(actor, GovernanceEvent.EVENT_ATTENDANCE_RECORDED, event, details={"user": user.pk, "score": score})
    return att


# --- reminders (SUP-9, SUP-10) -------------------------------------------------------------------


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Audit one GOVERNANCE_REMINDED per (record, due date) for drills and regulation reviews
    due within ``GOVERNANCE_REMINDER_DAYS`` or past (SUP-9, SUP-10). Idempotent; the in-app
    reminder is the start page's task list."""
    from baomi.audit.models import AuditEntry

    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.GOVERNANCE_REMINDER_DAYS)
    due: list[tuple[str, Any, date]] = [
        ("drill", p, p.next_drill_on)
        for p in EmergencyPlan.objects.filter(status=PlanStatus.ACTIVE, next_drill_on__lte=horizon)
        if p.next_drill_on
    ]
    due += [
        ("review", r, r.next_review_on)
        for r in Regulation.objects.filter(status=RegulationStatus.EFFECTIVE, next_review_on__lte=horizon)
        if r.next_review_on
    ]
    raised = 0
    for kind, target, day in due:
        key = f"{kind}:{day.isoformat()}"
        if AuditEntry.objects.filter(event=int(GovernanceEvent.GOVERNANCE_REMINDED), target_type=target._meta.label_lower,
                                     target_id=str(target.pk), details__key=key).exists():  # fmt: skip
            continue
        with transaction.atomic():
            record(
                None,
                GovernanceEvent.GOVERNANCE_REMINDED,
                target,
                details={"key": key, "kind": kind, "due": day},
            )
        raised += 1
    return {"reminders": raised}
