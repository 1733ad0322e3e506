"""Personnel services: every change to personnel records (PER-1..8, R-PER, R-AC-4, R-AC-6).

Each service: lock → ``access.require`` → lifecycle check → change → audit, in one transaction
(``@service``). After any change that can move a person's clearance, ``_sync_clearance`` sets
the clearance the file now gives (``selectors.derived_clearance``) through the accounts
service, so the clearance is derived, never typed, and drops the moment onboarding is undone,
the pledge lapses or an exit starts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import require
from baomi.accounts import services as accounts
from baomi.accounts.choices import Role
from baomi.audit.context import audit_context, current
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.audit.record import record
from baomi.carriers import services as carriers
from baomi.classification import services as classification
from baomi.core.errors import ValidationFailed
from baomi.kit import incidents, requests
from baomi.kit.service import internal, own_transaction, service
from baomi.kit.uploads import limited
from baomi.personnel import selectors
from baomi.personnel.choices import (
    AgreementKind,
    Category,
    ExitKind,
    ExitStatus,
    FileStatus,
    Opinion,
    ReviewKind,
    ReviewResult,
    SanctionKind,
    TrainingKind,
)
from baomi.personnel.lifecycle import FILE_TRANSITIONS, REPORT_TRANSITIONS, TRAVEL_TRANSITIONS, next_move
from baomi.personnel.models import (
    AgreementVersion,
    Attendance,
    CategoryChange,
    ExitCase,
    PersonnelFile,
    Review,
    Sanction,
    Signature,
    TrainingSession,
    TravelRequest,
    ViolationReport,
)
from baomi.vault import services as vault


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _sync_clearance(actor: Any, file: PersonnelFile, *, reason: str, on: date | None = None) -> str:
    """Set the person's clearance to what the file gives now, and the day it must be derived
    again (R-AC-4, R-PER-3: the next request after a pledge runs out re-derives it). The
    security officer's policy check has happened in the calling service (or the system acts in
    a job or at a request); the accounts service audits CLEARANCE_CHANGED with ``actor``."""
    level = selectors.derived_clearance(file, on)
    check_on = selectors.clearance_check_on(file, on)
    user = file.user
    user.refresh_from_db(fields=["clearance", "clearance_check_on"])
    if user.clearance != level or user.clearance_check_on != check_on:
        changed = user.clearance != level
        accounts.derive_clearance(actor, user, level, check_on=check_on, reason=reason)
        user.refresh_from_db(fields=["clearance", "clearance_check_on"])
        if changed:
            record(actor, AuditEvent.CLEARANCE_CHANGED, file, details={"clearance": level, "reason": reason})
    return level


def _move(file: PersonnelFile, action: str) -> Any:
    move = next_move(FILE_TRANSITIONS, file.status, action)
    file.status = move.next_state
    return move


# --- files and onboarding (PER-1, PER-2) --------------------------------------------------------


@service
def open_file(
    actor: Any, user: Any, *, category: str, secret_post: str = "", note: str = ""
) -> PersonnelFile:
    """Open the personnel file of a person (PER-1). The person starts in onboarding with the
    non-classified clearance until 保密准入 is complete.

    *Requires* ``manage_personnel`` (and not one's own). *Audits* PERSONNEL_FILE_OPENED."""
    require(actor, "manage_personnel")
    if user.pk == actor.pk:
        require(actor, "manage", PersonnelFile(user=user))
    if PersonnelFile.objects.filter(user_id=user.pk).exists():
        raise ValidationFailed(_("This person already has a personnel file."), fields={"user": ["duplicate"]})
    file = PersonnelFile(user=user, category=Category(category), secret_post=secret_post, note=note,
                         created_by=actor)  # fmt: skip
    file.save()
    record(actor, AuditEvent.PERSONNEL_FILE_OPENED, file, details={"category": file.category})
    _sync_clearance(actor, file, reason="opened")
    return file


@service
def change_category(actor: Any, file: PersonnelFile, category: str, *, reason: str = "",
                    secret_post: str | None = None) -> PersonnelFile:  # fmt: skip
    """Change the category (and post) of a person; the history is kept and the clearance
    follows the new ceiling (PER-1, R-PER-2). *Requires* ``manage``. *Audits*
    PERSONNEL_CATEGORY_CHANGED."""
    file = _locked(file)
    require(actor, "manage", file)
    category = Category(category)
    before = file.category
    fields = []
    if category != before:
        CategoryChange(file=file, before=before, after=category, reason=reason, changed_by=actor).save()
        file.category = category
        fields.append("category")
    if secret_post is not None and secret_post != file.secret_post:
        file.secret_post = secret_post
        fields.append("secret_post")
    if not fields:
        return file
    file.save(update_fields=fields)
    record(actor, AuditEvent.PERSONNEL_CATEGORY_CHANGED, file, details={"before": before, "after": category})
    _sync_clearance(actor, file, reason="category")
    return file


@service
def record_review(actor: Any, file: PersonnelFile, *, kind: str, result: str, reviewed_on: date, note: str = "",
                  uploads: list[Any] | None = None) -> Review:  # fmt: skip
    """Record a pre-assignment review or a re-review (PER-2, R-PER-3). A passed re-review sets
    the next due date; a failed one sends the person back to onboarding and lowers the
    clearance. Uploaded documents are encrypted into the vault and attached. *Requires*
    ``manage``. *Audits* PERSONNEL_REVIEWED (and BLOB_STORED per attachment)."""
    file = _locked(file)
    require(actor, "manage", file)
    kind, result = ReviewKind(kind), ReviewResult(result)
    if reviewed_on > timezone.localdate():
        raise ValidationFailed(_("The date cannot be in the future."), fields={"reviewed_on": ["future"]})
    if kind == ReviewKind.RE_REVIEW and file.status != FileStatus.ACTIVE:
        raise ValidationFailed(_("Only cleared persons are re-reviewed."), fields={"kind": ["not_active"]})
    review = Review(file=file, kind=kind, result=result, reviewed_on=reviewed_on, reviewer=actor, note=note)
    review.save()
    attachments = [
        vault.store(
            actor,
            limited(upload, "evidence", field="uploads"),
            content_type=getattr(upload, "content_type", "") or "",
            target=review,
        )
        for upload in uploads or []
    ]
    if attachments:
        review.attachments.set(attachments)
    fields = []
    if kind == ReviewKind.RE_REVIEW and result == ReviewResult.PASSED:
        file.next_review_on = selectors.add_months(reviewed_on, settings.PERSONNEL_REVIEW_MONTHS)
        fields.append("next_review_on")
    if kind == ReviewKind.RE_REVIEW and result == ReviewResult.FAILED:
        _move(file, "fail_review")
        fields.append("status")
    if fields:
        file.save(update_fields=fields)
    record(actor, AuditEvent.PERSONNEL_REVIEWED, file,
           details={"review": review.pk, "kind": kind, "result": result, "attachments": len(attachments or [])})  # fmt: skip
    _sync_clearance(actor, file, reason="review")
    return review


@service
def clear_person(actor: Any, file: PersonnelFile) -> PersonnelFile:
    """Complete 保密准入: with the review passed, the training attended and the pledge signed,
    the person is cleared up to the category's ceiling (PER-2, R-PER-3, R-AC-4).

    *Requires* ``manage``. *Audits* PERSONNEL_CLEARED, CLEARANCE_CHANGED. *Raises*
    ValidationFailed naming the missing steps."""
    file = _locked(file)
    require(actor, "manage", file)
    if file.category == Category.NONE:
        raise ValidationFailed(_("A person on a non-classified post is not cleared."),
                               fields={"category": ["none"]})  # fmt: skip
    missing = [str(step["label"]) for step in selectors.onboarding_checklist(file) if not step["done"]]
    if missing:
        raise ValidationFailed(
            _("Onboarding is not complete: %(steps)s.") % {"steps": "、".join(missing)},
            fields={"checklist": missing},
        )
    move = _move(file, "clear")
    review = selectors.passed_pre_assignment_review(file)
    file.onboarded_on = timezone.localdate()
    base = max(review.reviewed_on, file.onboarded_on) if review else file.onboarded_on
    file.next_review_on = selectors.add_months(base, settings.PERSONNEL_REVIEW_MONTHS)
    file.save(update_fields=["status", "onboarded_on", "next_review_on"])
    record(actor, move.event, file, details={"category": file.category})
    _sync_clearance(actor, file, reason="cleared")
    return file


@service
def reopen_file(actor: Any, file: PersonnelFile, *, category: str) -> PersonnelFile:
    """Take a released person back onto a classified post: onboarding starts again (PER-2).
    *Requires* ``manage``. *Audits* PERSONNEL_FILE_OPENED."""
    file = _locked(file)
    require(actor, "manage", file)
    move = _move(file, "reopen")
    before = file.category
    file.category = Category(category)
    if before != file.category:
        CategoryChange(
            file=file, before=before, after=file.category, reason="reopen", changed_by=actor
        ).save()
    file.save(update_fields=["status", "category"])
    record(actor, move.event, file, details={"category": file.category, "reopened": True})
    _sync_clearance(actor, file, reason="reopened")
    return file


# --- agreements (PER-3) ----------------------------------------------------------------------


@service
def add_agreement_version(actor: Any, *, kind: str, version: str, text: str,
                          effective_on: date | None = None) -> AgreementVersion:  # fmt: skip
    """Keep a new version of the pledge or exit-undertaking text (PER-3). *Requires*
    ``manage_personnel``. *Audits* AGREEMENT_VERSION_ADDED."""
    require(actor, "manage_personnel")
    kind = AgreementKind(kind)
    if not version.strip() or not text.strip():
        raise ValidationFailed(_("Version and text are required."), fields={"text": ["required"]})
    if AgreementVersion.objects.filter(kind=kind, version=version).exists():
        raise ValidationFailed(_("This version already exists."), fields={"version": ["duplicate"]})
    av = AgreementVersion(kind=kind, version=version.strip(), text=text,
                          effective_on=effective_on or timezone.localdate(), created_by=actor)  # fmt: skip
    av.save()
    record(actor, AuditEvent.AGREEMENT_VERSION_ADDED, av, details={"kind": kind, "version": av.version})
    return av


def _sign(actor: Any, file: PersonnelFile, version: AgreementVersion, signed_on: date) -> Signature:
    if signed_on > timezone.localdate():
        raise ValidationFailed(_("The date cannot be in the future."), fields={"signed_on": ["future"]})
    valid_until = None
    if version.kind == AgreementKind.PLEDGE:
        valid_until = selectors.add_months(signed_on, settings.PERSONNEL_AGREEMENT_MONTHS) - timedelta(days=1)
    sig = Signature(
        file=file, version=version, signed_on=signed_on, valid_until=valid_until, recorded_by=actor
    )
    sig.save()
    record(actor, AuditEvent.AGREEMENT_SIGNED, file,
           details={"signature": sig.pk, "kind": version.kind, "version": version.version,
                    "valid_until": valid_until})  # fmt: skip
    return sig


@service
def sign_pledge(actor: Any, file: PersonnelFile, version: AgreementVersion, *, signed_on: date) -> Signature:
    """Record that the person signed (or renewed) the 保密承诺书 — who, when, which version —
    valid for the renewal cycle (PER-2, PER-3). A renewal restores a lapsed clearance.
    *Requires* ``manage``. *Audits* AGREEMENT_SIGNED."""
    file = _locked(file)
    require(actor, "manage", file)
    if version.kind != AgreementKind.PLEDGE:
        raise ValidationFailed(
            _("Choose a version of the confidentiality pledge."), fields={"version": ["kind"]}
        )
    if file.status in (FileStatus.EXITING, FileStatus.SEPARATION, FileStatus.RELEASED):
        raise ValidationFailed(_("The person is leaving or has left the classified post."),
                               fields={"file": ["exiting"]})  # fmt: skip
    sig = _sign(actor, file, version, signed_on)
    _sync_clearance(actor, file, reason="pledge")
    return sig


@service
def check_agreement(actor: Any, file: PersonnelFile, *, on: date | None = None) -> str:
    """The immediate check of a pledge (PER-3): if it has lapsed the clearance drops now.
    The scheduled job calls it for every cleared person. *Audits* AGREEMENT_LAPSED once per
    lapse, CLEARANCE_CHANGED."""
    file = _locked(file)
    before = file.user.clearance
    level = _sync_clearance(actor, file, reason="pledge_lapsed", on=on)
    if level != before and file.status == FileStatus.ACTIVE and selectors.current_pledge(file, on) is None:
        sig = selectors.last_pledge(file)
        record(actor, AuditEvent.AGREEMENT_LAPSED, file,
               details={"signature": sig.pk if sig else None, "valid_until": sig.valid_until if sig else None})  # fmt: skip
    return level


# --- training (PER-4, R-DET-12) ---------------------------------------------------------------


@service
def create_session(actor: Any, *, title: str, kind: str, held_on: date, hours: Any = 2, organiser: str = "",
                   has_exam: bool = False, pass_mark: int = 60) -> TrainingSession:  # fmt: skip
    """Record a training session, lecture, contest or 定密 training (PER-4). *Requires*
    ``manage_personnel``. *Audits* TRAINING_RECORDED."""
    require(actor, "manage_personnel")
    if not title.strip():
        raise ValidationFailed(_("A title is required."), fields={"title": ["required"]})
    if not 0 <= int(pass_mark) <= 100:
        raise ValidationFailed(_("The pass mark is between 0 and 100."), fields={"pass_mark": ["range"]})
    session = TrainingSession(title=title.strip(), kind=TrainingKind(kind), held_on=held_on, hours=hours,
                              organiser=organiser, has_exam=has_exam, pass_mark=pass_mark, created_by=actor)  # fmt: skip
    session.save()
    record(actor, AuditEvent.TRAINING_RECORDED, session, details={"kind": session.kind})
    return session


@service
def record_attendance(
    actor: Any, session: TrainingSession, user: Any, *, score: int | None = None
) -> Attendance:
    """Record that a person attended, with the exam score (PER-4). With an exam, the person
    passes at the pass mark. *Requires* ``manage`` on the session and on the person's record —
    never one's own attendance or score (R-ROLE-5). *Audits* ATTENDANCE_RECORDED."""
    require(actor, "manage", session)
    require(actor, "manage", Attendance(session=session, user=user))
    if session.has_exam and score is None:
        raise ValidationFailed(
            _("This session has an exam: enter the score."), fields={"score": ["required"]}
        )
    if score is not None and not 0 <= score <= 100:
        raise ValidationFailed(_("The score is between 0 and 100."), fields={"score": ["range"]})
    passed = score is None or not session.has_exam or score >= session.pass_mark
    att = Attendance.objects.filter(session=session, user_id=user.pk).first()
    if att is None:
        att = Attendance(session=session, user=user, score=score, passed=passed, recorded_by=actor)
        att.save()
    else:
        att.score, att.passed, att.recorded_by = score, passed, actor
        att.save(update_fields=["score", "passed", "recorded_by"])
    record(actor, AuditEvent.ATTENDANCE_RECORDED, session,
           details={"user": user.pk, "score": score, "passed": passed})  # fmt: skip
    return att


# --- exit and post change (PER-5, R-PER-6/7, R-AC-6) -------------------------------------------


@service
def start_exit(actor: Any, file: PersonnelFile, *, kind: str = ExitKind.EXIT, approved_on: date,
               reason: str = "") -> ExitCase:  # fmt: skip
    """Start an exit or post change. The clearance drops at once to the non-classified
    default (PER-5, R-AC-4). *Requires* ``manage``. *Audits* EXIT_STARTED, CLEARANCE_CHANGED."""
    file = _locked(file)
    require(actor, "manage", file)
    move = _move(file, "start_exit")
    case = ExitCase(file=file, kind=ExitKind(kind), approved_on=approved_on, reason=reason, started_by=actor)
    case.save()
    file.save(update_fields=["status"])
    record(actor, move.event, file, details={"case": case.pk, "kind": case.kind})
    _sync_clearance(actor, file, reason="exit")
    _hand_over_inventory(actor, file.user, case)
    return case


def _hand_over_inventory(actor: Any, user: Any, case: ExitCase) -> None:
    """CAR-8, PER-5: the leaver's unsigned inventory lists go to their department head, who
    checks and signs them; without a head (or when the head leaves) the security office assigns
    them or signs in place, so no inventory waits for someone who has gone."""
    dept = user.department
    head = dept.head if dept is not None else None
    if head is None or head.pk == user.pk or not head.is_active:
        return
    carriers.hand_over_on_exit(actor, from_user=user, to_user=head, reason=f"exit:{case.pk}")


def _case(actor: Any, case: ExitCase) -> ExitCase:
    case = _locked(case)
    require(actor, "manage", case)
    if case.status != ExitStatus.OPEN:
        raise ValidationFailed(_("This exit case is already completed."), fields={"case": ["completed"]})
    return case


@service
def record_exit_interview(actor: Any, case: ExitCase, *, held_on: date, note: str = "") -> ExitCase:
    """Step 1: the reminder interview (保密提醒谈话, R-PER-6). *Requires* ``manage``.
    *Audits* EXIT_INTERVIEW_RECORDED."""
    case = _case(actor, case)
    case.interview_on, case.interview_by, case.interview_note = held_on, actor, note
    case.save(update_fields=["interview_on", "interview_by", "interview_note"])
    record(actor, AuditEvent.EXIT_INTERVIEW_RECORDED, case, details={"held_on": held_on})
    return case


@service
def record_exit_undertaking(
    actor: Any, case: ExitCase, version: AgreementVersion, *, signed_on: date
) -> ExitCase:
    """Step 2: the signed 离岗离职保密承诺书 (R-PER-6). *Requires* ``manage``. *Audits* AGREEMENT_SIGNED."""
    case = _case(actor, case)
    if version.kind != AgreementKind.EXIT:
        raise ValidationFailed(_("Choose a version of the exit undertaking."), fields={"version": ["kind"]})
    case.undertaking = _sign(actor, case.file, version, signed_on)
    case.save(update_fields=["undertaking"])
    return case


@service
def revoke_exit_access(actor: Any, case: ExitCase) -> ExitCase:
    """Step 4: revoke all access (R-PER-6, R-AC-6): need-to-know scopes removed, business roles
    and determination authority withdrawn, and for someone leaving the unit the account is
    disabled (``accounts.set_active`` as the system). *Requires* ``manage``. *Audits*
    EXIT_ACCESS_REVOKED (and SCOPE_REVOKED, ROLE_REVOKED, USER_DISABLED)."""
    case = _case(actor, case)
    user = case.file.user
    scopes = classification.revoke_person_from_scopes(actor, user, reason=f"exit:{case.pk}")
    kept = {Role.STAFF} if case.kind == ExitKind.POST_CHANGE else set()
    roles = sorted(user.role_codes() - kept)
    for role in roles:
        accounts.revoke_role(actor, user, role)
    if user.authority_level:
        accounts.set_authority_level(actor, user, "", bootstrap=True)
    if case.kind == ExitKind.EXIT:
        # R-AC-6: disabled automatically when the departure is recorded; the security officer
        # runs the exit, so this is the system acting (EXIT_ACCESS_REVOKED names the case).
        accounts.set_active(actor, user, False, bootstrap=True)
    case.access_revoked_at = timezone.now()
    case.save(update_fields=["access_revoked_at"])
    record(actor, AuditEvent.EXIT_ACCESS_REVOKED, case,
           details={"scopes": scopes, "roles": roles, "disabled": case.kind == ExitKind.EXIT})  # fmt: skip
    return case


@service
def fix_separation(actor: Any, case: ExitCase, *, years: int, reason: str = "") -> ExitCase:
    """Step 5: fix the 脱密期 (separation period — not declassification), counted from the day
    the departure was approved, within the category's range; longer only with a reason
    (PER-5, R-PER-7). *Requires* ``manage``. *Audits* SEPARATION_FIXED."""
    case = _case(actor, case)
    low, high = selectors.separation_range(case.file.category)
    if years < low or (years > high and not reason.strip()):
        raise ValidationFailed(
            _("The separation period for this category is %(low)s to %(high)s years; longer needs a reason.")
            % {"low": low, "high": high},
            fields={"years": ["range"]},
        )
    case.separation_start = case.approved_on
    case.separation_end = selectors.add_months(case.approved_on, 12 * years)
    case.save(update_fields=["separation_start", "separation_end"])
    record(actor, AuditEvent.SEPARATION_FIXED, case,
           details={"years": years, "start": case.separation_start, "end": case.separation_end,
                    "reason": reason[:100]})  # fmt: skip
    return case


@internal
def exit_steps(case: ExitCase) -> list[dict[str, Any]]:
    """The five steps of R-PER-6 with their state, for the exit page and ``complete_exit``."""
    from django.utils.translation import gettext

    outstanding = selectors.outstanding_carriers(case.file.user).count()
    return [
        {"key": "interview", "label": gettext("Reminder interview"), "done": case.interview_on is not None},
        {"key": "undertaking", "label": gettext("Exit undertaking signed"), "done": case.undertaking_id is not None},
        {"key": "carriers", "label": gettext("All carriers and devices returned"), "done": outstanding == 0,
         "outstanding": outstanding},
        {"key": "access", "label": gettext("All access revoked"), "done": case.access_revoked_at is not None},
        {"key": "separation", "label": gettext("Separation period fixed"), "done": case.separation_end is not None},
    ]  # fmt: skip


@service
def complete_exit(actor: Any, case: ExitCase) -> ExitCase:
    """Complete the exit: refused until all five steps are done — in particular while the
    ledger shows any carrier still held (PER-5, R-PER-6). The person enters the separation
    period. *Requires* ``manage``. *Audits* EXIT_COMPLETED."""
    case = _case(actor, case)
    steps = exit_steps(case)
    missing = [str(s["label"]) for s in steps if not s["done"]]
    if missing:
        raise ValidationFailed(
            _("The exit cannot be completed yet: %(steps)s.") % {"steps": "、".join(missing)},
            fields={"steps": missing, "outstanding": [str(steps[2]["outstanding"])]},
        )
    file = _locked(case.file)
    move = _move(file, "complete_exit")
    file.save(update_fields=["status"])
    case.status, case.completed_at = ExitStatus.COMPLETED, timezone.now()
    case.save(update_fields=["status", "completed_at"])
    record(actor, move.event, case, details={"separation_end": case.separation_end})
    _sync_clearance(actor, file, reason="exit_completed")
    return case


@service
def end_separation(actor: Any, file: PersonnelFile, *, on: date | None = None) -> PersonnelFile:
    """Release a person whose separation period has ended (PER-5). The duty of secrecy
    continues (R-PER-8). Run by the scheduled job. *Audits* SEPARATION_ENDED."""
    file = _locked(file)
    case = selectors.last_exit_case(file)
    day = on or timezone.localdate()
    if case is None or case.separation_end is None or case.separation_end > day:
        raise ValidationFailed(_("The separation period has not ended."), fields={"file": ["not_ended"]})
    move = _move(file, "end_separation")
    file.save(update_fields=["status"])
    record(actor, move.event, file, details={"case": case.pk, "ended": case.separation_end})
    return file


@service
def report_separation_breach(actor: Any, case: ExitCase, *, description: str) -> Any:
    """Open an incident when a person leaves without permission or seriously breaches the rules
    during the separation period; the unit must report it to the same-level 保密局 (R-PER-9).
    *Requires* ``manage`` on the case. *Audits* INCIDENT_OPENED (source ``separation_breach``)."""

    case = _locked(case)
    require(actor, "manage", case)
    if not description.strip():
        raise ValidationFailed(_("Describe what happened."), fields={"description": ["required"]})
    return incidents.open_incident(
        actor, sender=ExitCase, title=str(_("Separation-period breach, exit case #%(id)s") % {"id": case.pk}),
        description=description.strip(), source="separation_breach", source_ref=str(case.pk), kind="other",
    )  # fmt: skip


# --- travel abroad (PER-6, R-PER-5, R-PER-8) ---------------------------------------------------


@service
def request_travel(actor: Any, *, traveller: Any, destination: str, purpose: str, departs_on: date,
                   returns_on: date) -> TravelRequest:  # fmt: skip
    """A cleared person — or one in the separation period — asks to travel abroad (PER-6,
    R-PER-5, R-PER-8). The traveller asks for themself; the security officer may file for them.
    *Audits* TRAVEL_REQUESTED."""
    require(actor, "request_travel")
    if traveller.pk != actor.pk:
        require(actor, "manage_personnel")
    if not selectors.is_cleared_person(traveller):
        raise ValidationFailed(_("Only cleared persons and persons in their separation period need this approval."),
                               fields={"traveller": ["not_cleared"]})  # fmt: skip
    if not destination.strip() or not purpose.strip():
        raise ValidationFailed(
            _("Destination and purpose are required."), fields={"destination": ["required"]}
        )
    if returns_on < departs_on:
        raise ValidationFailed(
            _("The return date is before the departure."), fields={"returns_on": ["order"]}
        )
    travel = TravelRequest(traveller=traveller, destination=destination.strip(), reason=purpose.strip(),
                           departs_on=departs_on, returns_on=returns_on, requested_by=actor)  # fmt: skip
    travel.save()
    record(actor, AuditEvent.TRAVEL_REQUESTED, travel, details={"traveller": traveller.pk})
    return travel


def _travel(actor: Any, travel: TravelRequest, action: str) -> tuple[TravelRequest, Any]:
    travel = _locked(travel)
    require(actor, "view", travel)  # forbidden looks like not found, whatever the state
    move = next_move(TRAVEL_TRANSITIONS, travel.status, action)
    require(actor, move.action, travel)
    return travel, move


@service
def give_travel_opinion(
    actor: Any, travel: TravelRequest, *, side: str, opinion: str, note: str = ""
) -> TravelRequest:
    """The personnel side (``side="personnel"``) or the security office (``"security"``) gives
    its opinion (R-PER-5 ¶1). *Requires* ``give_<side>_opinion``. *Audits* TRAVEL_OPINION_GIVEN."""
    if side not in ("personnel", "security"):
        raise ValidationFailed(_("Unknown opinion."), fields={"side": ["invalid"]})
    travel, move = _travel(actor, travel, f"{side}_opinion")
    opinion = Opinion(opinion)
    setattr(travel, f"{side}_opinion", opinion)
    setattr(travel, f"{side}_opinion_by", actor)
    setattr(travel, f"{side}_opinion_note", note[:300])
    travel.save(update_fields=[f"{side}_opinion", f"{side}_opinion_by", f"{side}_opinion_note"])
    record(actor, move.event, travel, details={"side": side, "opinion": opinion})
    return travel


@service
def decide_travel(actor: Any, travel: TravelRequest, *, approve: bool, note: str = "") -> TravelRequest:
    """Approve or refuse, after both opinions (R-PER-5 ¶2). Approval is refused when the
    security office disagrees (R-PER-5: harm to national security; ``TravelRequest.check_decision``).
    The shared request step (``kit.requests.decide``): never the traveller or whoever filed it.
    *Requires* ``decide``. *Audits* TRAVEL_DECIDED."""
    travel, _move = _travel(actor, travel, "approve" if approve else "refuse")
    return requests.decide(  # type: ignore[return-value]  # the TravelRequest it was given
        actor, travel, requests.APPROVE if approve else requests.REJECT, reason=note,
        event=AuditEvent.TRAVEL_DECIDED, details={"approved": approve},
    )  # fmt: skip


@service
def mark_departed(actor: Any, travel: TravelRequest) -> TravelRequest:
    """The traveller leaves — only after a passed pre-departure briefing within
    ``PERSONNEL_PRETRIP_BRIEFING_DAYS`` (default 90) days before departure (R-PER-5 ¶3).
    *Requires* ``report``. *Audits* TRAVEL_DEPARTED."""
    travel, move = _travel(actor, travel, "depart")
    since = travel.departs_on - timedelta(days=settings.PERSONNEL_PRETRIP_BRIEFING_DAYS)
    training = (
        Attendance.objects.filter(user_id=travel.traveller_id, passed=True, session__kind=TrainingKind.PRE_TRIP,
                                  session__held_on__gte=since, session__held_on__lte=timezone.localdate())
        .order_by("-session__held_on").first()
    )  # fmt: skip
    if training is None:
        raise ValidationFailed(_("The traveller has not attended the pre-trip secrecy briefing."),
                               fields={"training": ["missing"]})  # fmt: skip
    travel.status, travel.training = move.next_state, training
    travel.save(update_fields=["status", "training"])
    record(actor, move.event, travel, details={"training": training.session_id})
    return travel


@service
def mark_returned(actor: Any, travel: TravelRequest, *, returned_on: date) -> TravelRequest:
    """The traveller is back: the post-trip report falls due (R-PER-5 ¶4). *Requires* ``report``.
    *Audits* TRAVEL_RETURNED."""
    travel, move = _travel(actor, travel, "return")
    travel.status, travel.returned_on = move.next_state, returned_on
    travel.report_due_on = returned_on + timedelta(days=settings.PERSONNEL_TRAVEL_REPORT_DAYS)
    travel.save(update_fields=["status", "returned_on", "report_due_on"])
    record(actor, move.event, travel, details={"report_due_on": travel.report_due_on})
    return travel


@service
def file_travel_report(actor: Any, travel: TravelRequest, *, report: str) -> TravelRequest:
    """The post-trip report (R-PER-5 ¶4). *Requires* ``report``. *Audits* TRAVEL_REPORTED
    (never the report text)."""
    travel, move = _travel(actor, travel, "report")
    if not report.strip():
        raise ValidationFailed(_("The report is empty."), fields={"report": ["required"]})
    travel.status, travel.report, travel.reported_on = move.next_state, report, timezone.localdate()
    travel.save(update_fields=["status", "report", "reported_on"])
    record(
        actor,
        move.event,
        travel,
        details={"late": travel.reported_on > (travel.report_due_on or travel.reported_on)},
    )
    return travel


# --- rewards and penalties (PER-7) -------------------------------------------------------------


@service
def record_sanction(actor: Any, *, user: Any, kind: str, decided_on: date, reason: str, incident: Any = None,
                    report: ViolationReport | None = None, merit: str = "") -> Sanction:  # fmt: skip
    """Record a commendation or a penalty (警告, 记过, 降级, 开除), linked to the incident,
    violation report or merit it refers to (PER-7). *Requires* ``manage_personnel`` (not for
    oneself). *Audits* SANCTION_RECORDED."""
    require(actor, "manage_personnel")
    if user.pk == actor.pk:
        require(actor, "manage", Sanction(user=user))
    kind = SanctionKind(kind)
    if not reason.strip():
        raise ValidationFailed(_("A reason is required."), fields={"reason": ["required"]})
    if incident is None and report is None and not merit.strip():
        raise ValidationFailed(_("Link the incident, violation report or merit this refers to."),
                               fields={"incident": ["required"]})  # fmt: skip
    if kind != SanctionKind.COMMENDATION and incident is None and report is None:
        raise ValidationFailed(_("A penalty refers to an incident or a violation report."),
                               fields={"incident": ["required"]})  # fmt: skip
    sanction = Sanction(user=user, kind=kind, decided_on=decided_on, reason=reason.strip(), incident=incident,
                        report=report, merit=merit.strip(), recorded_by=actor)  # fmt: skip
    sanction.save()
    record(actor, AuditEvent.SANCTION_RECORDED, sanction,
           details={"user": user.pk, "kind": kind, "incident": getattr(incident, "pk", None),
                    "report": getattr(report, "pk", None)})  # fmt: skip
    return sanction


# --- violation reports (PER-8) -----------------------------------------------------------------


@service
def file_violation_report(actor: Any, *, kind: str, description: str, occurred_on: date | None = None,
                          place: str = "") -> ViolationReport:  # fmt: skip
    """Any staff member reports a violation or a suspected leak (PER-8).

    The reporter is stored on the report, which only the security officer reads. The audit
    entry is written *without* actor and IP so the auditor cannot tell who reported
    (docs/personnel.md "Protecting the reporter"). *Audits* VIOLATION_REPORTED."""
    require(actor, "report_violation")
    if not description.strip():
        raise ValidationFailed(_("Describe what happened."), fields={"description": ["required"]})
    report = ViolationReport(kind=kind, description=description.strip(), occurred_on=occurred_on, place=place,
                             reporter=actor)  # fmt: skip
    report.full_clean(exclude=["reporter", "incident", "handled_by"])
    report.save()
    with audit_context(current().channel, ip=None):
        record(
            None,
            AuditEvent.VIOLATION_REPORTED,
            report,
            details={"kind": report.kind, "reporter": "protected"},
        )
    return report


@service
def handle_violation_report(actor: Any, report: ViolationReport, *, open_incident: bool,
                            note: str = "") -> ViolationReport:  # fmt: skip
    """The security officer opens an incident from a report, or closes it without one (PER-8,
    SUP-2). The incident names the security officer as opener, never the reporter.
    *Requires* ``handle``. *Audits* VIOLATION_REPORT_HANDLED (and INCIDENT_OPENED)."""

    report = _locked(report)
    require(actor, "handle", report)
    move = next_move(REPORT_TRANSITIONS, report.status, "open_incident" if open_incident else "dismiss")
    if open_incident:
        report.incident = incidents.open_incident(
            actor, sender=ViolationReport, title=str(_("Violation report #%(id)s") % {"id": report.pk}),
            description=report.description, source="violation_report", source_ref=str(report.pk),
            kind="suspected_leak" if report.kind == "leak" else "other",
        )  # fmt: skip
    report.status, report.handled_by, report.handling_note = move.next_state, actor, note[:300]
    report.save(update_fields=["status", "incident", "handled_by", "handling_note"])
    record(actor, move.event, report, details={"incident": report.incident_id, "status": report.status})
    return report


# --- scheduled checks (OPS-2) ------------------------------------------------------------------


@own_transaction
def run_checks(now: Any = None) -> dict[str, int]:
    """Idempotent sweep for the scheduler: lapsed pledges lower clearances, ended separation
    periods release persons. Returns counts for the JOB_RAN entry."""
    today = timezone.localdate(now) if now else timezone.localdate()
    lapsed = released = 0
    for file in PersonnelFile.objects.filter(status=FileStatus.ACTIVE).select_related("user"):
        if file.user.clearance != selectors.derived_clearance(file, today):
            check_agreement(None, file, on=today)
            lapsed += 1
    for file in PersonnelFile.objects.filter(status=FileStatus.SEPARATION):
        case = selectors.last_exit_case(file)
        if case and case.separation_end and case.separation_end <= today:
            end_separation(None, file, on=today)
            released += 1
    return {"lapsed": lapsed, "released": released}


__all__ = [name for name in dir() if not name.startswith("_")]


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Audit one PERSONNEL_REMINDED entry per (kind, record, due date) that falls within the
    lead time (OPS-2): renewals, re-reviews, separation ends, post-trip reports. Idempotent:
    a reminder already raised for the same due date is not raised again."""

    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.PERSONNEL_REMINDER_DAYS)
    due: list[tuple[str, Any, Any]] = []
    for file in PersonnelFile.objects.filter(status=FileStatus.ACTIVE).select_related("user"):
        sig = selectors.last_pledge(file)
        if sig and sig.valid_until and sig.valid_until <= horizon:
            due.append(("renewal", file, sig.valid_until))
        if file.next_review_on and file.next_review_on <= horizon:
            due.append(("re_review", file, file.next_review_on))
    for case in ExitCase.objects.filter(status=ExitStatus.COMPLETED, file__status=FileStatus.SEPARATION,
                                        separation_end__lte=horizon):  # fmt: skip
        due.append(("separation_end", case, case.separation_end))
    for travel in TravelRequest.objects.filter(status="returned", report_due_on__lte=horizon):
        due.append(("travel_report", travel, travel.report_due_on))
    raised = 0
    for kind, target, day in due:
        key = f"{kind}:{day.isoformat()}"
        exists = AuditEntry.objects.filter(
            event=int(AuditEvent.PERSONNEL_REMINDED), target_type=target._meta.label_lower,
            target_id=str(target.pk), details__key=key,
        ).exists()  # fmt: skip
        if not exists:
            record(
                None, AuditEvent.PERSONNEL_REMINDED, target, details={"key": key, "kind": kind, "due": day}
            )
            raised += 1
    return {"reminders": raised}
