"""Account services: every change to users, roles and departments (ORG-1..3, SEC-1, SEC-2).

Each service takes the acting user first, checks the policy, changes the model and writes the
audit entry in the same transaction (STYLE 2.2).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import require
from baomi.accounts import totp
from baomi.accounts.choices import SEPARATED_ADMINISTRATORS, Role
from baomi.accounts.models import (
    ApiToken,
    AuthorityDesignation,
    Department,
    OrgChange,
    OrgChangeKind,
    RecoveryCode,
    RoleAssignment,
    User,
    token_digest,
)
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from baomi.kit import requests
from baomi.kit.service import internal, service


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), fields={"password": exc.messages}) from None


@service
def create_department(
    actor: User | None,
    *,
    name: str,
    code: str,
    parent: Department | None = None,
    sort_order: int = 0,
    bootstrap: bool = False,
) -> Department:
    """Create a department (ORG-1). *Requires* ``manage_departments``. *Audits* DEPARTMENT_CREATED."""
    if not bootstrap:
        require(actor, "manage_departments")
    if Department.objects.filter(code=code).exists():
        raise ValidationFailed(
            _("A department with this code already exists."), fields={"code": ["duplicate"]}
        )
    dept = Department(name=name, code=code, parent=parent, sort_order=sort_order)
    dept.save()
    record(actor, AuditEvent.DEPARTMENT_CREATED, dept, details={"parent": parent.pk if parent else None})
    return dept


@service
def set_department_officers(
    actor: User | None,
    dept: Department,
    *,
    head: User | None,
    secrecy_officer: User | None,
    bootstrap: bool = False,
) -> Department:
    """Name the head and the secrecy officer of a department (ORG-1) directly: only the system
    itself acting (``bootstrap=True``: ``baomi init``, demo and test loaders). An appointment
    gives approval powers and need-to-know, so people go through ``propose_org_change`` and the
    security officer's confirmation (R-ROLE-1..3).

    *Requires* ``appoint_department_officers``, which nobody holds. *Audits* DEPARTMENT_UPDATED.
    """
    if not bootstrap:
        require(actor, "appoint_department_officers", dept)  # always refused: see DepartmentRule
    before = {"head": dept.head_id, "secrecy_officer": dept.secrecy_officer_id}
    # Instances that read their posts before this change must read them again (User._posts).
    people = [dept._state.fields_cache.get(name) for name in ("head", "secrecy_officer")]
    dept.head = head
    dept.secrecy_officer = secrecy_officer
    dept.save(update_fields=["head", "secrecy_officer"])
    for person in (*people, head, secrecy_officer, actor):
        if person is not None:
            person.forget_posts()
    after = {"head": dept.head_id, "secrecy_officer": dept.secrecy_officer_id}
    record(actor, AuditEvent.DEPARTMENT_UPDATED, dept, details={"before": before, "after": after})
    return dept


@service
def create_user(
    actor: User | None,
    *,
    username: str,
    full_name: str,
    password: str = "",
    department: Department | None = None,
    person_type: str = "employee",
    post: str = "",
    must_change_password: bool = False,
    bootstrap: bool = False,
) -> User:
    """Create an account (SEC-2: the system administrator's job).

    *Requires* ``manage_accounts`` (``bootstrap`` is for ``baomi init`` and the demo loader
    only, which run from the CLI, and takes the initial ``password``). An account the system
    administrator creates has no password anybody knows: like after a reset, the security
    officer hands a one-time password to the person in person (R-ROLE-1..3), so ``password``
    must be empty. ``must_change_password`` makes the person choose their own password at
    first login (SEC-1). *Audits* USER_CREATED.
    """
    if not bootstrap:
        require(actor, "manage_accounts")
        if password:
            raise ValidationFailed(
                _("The system administrator sets no password: the security officer hands a one-time password "
                  "to the person in person."),
                fields={"password": ["handover"]},
            )  # fmt: skip
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("This username is taken."), fields={"username": ["duplicate"]})
    user = User(
        username=username, full_name=full_name, department=department, person_type=person_type, post=post
    )
    if bootstrap:
        _check_password(password, user)
        user.set_password(password)
        user.must_change_password = must_change_password
    else:
        user.set_unusable_password()
        user.must_change_password = True
        user.handover_due_since = timezone.now()
    user.password_changed_at = timezone.now()
    user.save()
    record(
        actor, AuditEvent.USER_CREATED, user, details={"department": department.pk if department else None}
    )
    return user


@service
def assign_role(actor: User | None, user: User, role: str, *, bootstrap: bool = False) -> RoleAssignment:
    """Give ``user`` a role, refusing any two of the three separated administrators (SEC-2).

    *Requires* ``assign_role`` on the user (the security officer grants business roles; only
    the system administrator may create the administrator accounts' roles at ``baomi init``).
    *Audits* ROLE_ASSIGNED. *Raises* ValidationFailed on a 三员分立 conflict.
    """
    role = Role(role)
    if not bootstrap:
        require(actor, "assign_role", user)
    held = set(user.role_codes())
    if role in held:
        return RoleAssignment.objects.get(user=user, role=role)
    if role in SEPARATED_ADMINISTRATORS:
        clash = (held & SEPARATED_ADMINISTRATORS) - {role}
        if clash:
            other = Role(next(iter(clash)))
            raise ValidationFailed(
                _(
                    "Separation of the three administrators: %(user)s is already %(other)s and cannot also be %(role)s."
                )
                % {"user": user.full_name or user.username, "other": other.label, "role": role.label},
                fields={"role": ["separated_administrators"]},
            )
    ra = RoleAssignment(user=user, role=role, assigned_by=actor if getattr(actor, "pk", None) else None)
    ra.save()
    user.forget_roles()
    record(actor, AuditEvent.ROLE_ASSIGNED, user, details={"role": str(role)})
    return ra


@service
def revoke_role(actor: User, user: User, role: str) -> None:
    """Take a role away. *Requires* ``assign_role`` (not on oneself). *Audits* ROLE_REVOKED."""
    role = Role(role)
    require(actor, "assign_role", user)
    deleted, _rows = RoleAssignment.objects.filter(user=user, role=role).delete()
    user.forget_roles()
    if deleted:
        record(actor, AuditEvent.ROLE_REVOKED, user, details={"role": str(role)})


@service
def set_clearance(
    actor: User | None,
    user: User,
    level: str,
    *,
    authority_level: str | None = None,
    designation_document: str = "",
    valid_from: date | None = None,
    bootstrap: bool = False,
) -> User:
    """Set a person's clearance directly: only the system itself acting (``bootstrap=True``:
    ``baomi init``, the demo and test loaders, which run from the CLI). Nobody sets it by hand —
    not even the security officer (PER-2, R-PER-2/3, R-AC-4): it derives from the personnel
    file (``derive_clearance``, called by the personnel rules).

    *Requires* ``set_clearance``, which nobody holds. *Audits* CLEARANCE_CHANGED.
    """
    if not bootstrap:
        require(actor, "set_clearance", user)  # always refused: see UserRule
    level = Level(level)
    before = {"clearance": user.clearance, "authority_level": user.authority_level}
    user.clearance = level
    designation = None
    if authority_level is not None:
        new_authority = Level(authority_level) if authority_level else ""
        if new_authority != user.authority_level or designation_document.strip() or valid_from:
            designation = _redesignate(actor, user, new_authority, designation_document, valid_from)
        user.authority_level = new_authority
    user.save(update_fields=["clearance", "authority_level"])
    user.__dict__.pop("_designation_cache", None)
    after = {"clearance": user.clearance, "authority_level": user.authority_level}
    details: dict = {"before": before, "after": after}
    if designation is not None:
        details["designation"] = {"id": designation.pk, "level": designation.level,
                                  "valid_from": designation.valid_from.isoformat(),
                                  "document": designation.document}  # fmt: skip
    record(actor, AuditEvent.CLEARANCE_CHANGED, user, details=details)
    return user


def _redesignate(
    actor: User | None, user: User, level: str, document: str, valid_from: date | None
) -> AuthorityDesignation | None:
    """R-DET-7: end the designation in force and record the new one (none for no authority)."""
    today = timezone.localdate()
    start = valid_from or today
    AuthorityDesignation.objects.filter(user=user, ended_on__isnull=True).update(
        ended_on=start if level else today, ended_by=actor
    )
    if not level:
        return None
    return AuthorityDesignation.objects.create(
        user=user, level=level, designated_by=actor, document=document.strip()[:200], valid_from=start
    )


@service
def derive_clearance(
    actor: User | None, user: User, level: str, *, check_on: date | None, reason: str
) -> User:
    """Store the clearance the personnel file gives now, and the day it must be derived again
    (``check_on``: a pledge runs out), so a change takes effect at the person's next request in
    every session and for every API token (R-AC-4, R-PER-3). Called only by the personnel
    services, which checked their own policy (or by the system in a job): no check here.
    *Audits* CLEARANCE_CHANGED when the level changes."""
    level = Level(level)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.clearance
    user.clearance, user.clearance_check_on = level, check_on
    user.save(update_fields=["clearance", "clearance_check_on"])
    if before != level:
        record(actor, AuditEvent.CLEARANCE_CHANGED, user,
               details={"before": {"clearance": before}, "after": {"clearance": level}, "reason": reason})  # fmt: skip
    return user


@service
def set_authority_level(
    actor: User | None,
    user: User,
    level: str,
    *,
    bootstrap: bool = False,
    designation_document: str = "",
    valid_from: date | None = None,
) -> User:
    """Set or clear (``""``) the authorised determination level of a classification authority
    (SEC-2, R-ROLE-5): the security officer, never on themself; never above the person's
    clearance. ``bootstrap`` is the system acting (an exit withdraws it). *Requires*
    ``set_authority_level``. *Audits* CLEARANCE_CHANGED."""
    if not bootstrap:
        require(actor, "set_authority_level", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    new = Level(level) if level else ""
    if new and not levels.dominates(user.clearance, new):
        raise ValidationFailed(
            _("The authorised determination level cannot be above the person's clearance (%(level)s).")
            % {"level": user.get_clearance_display()},
            fields={"authority_level": ["above_clearance"]},
        )
    before = {"clearance": user.clearance, "authority_level": user.authority_level}
    designation = None
    if new != user.authority_level or designation_document.strip() or valid_from:
        # R-DET-7: the written designation the approval rule reads, its history kept.
        designation = _redesignate(actor, user, new, designation_document, valid_from)
    user.authority_level = new
    user.save(update_fields=["authority_level"])
    user.__dict__.pop("_designation_cache", None)
    after = {"clearance": user.clearance, "authority_level": user.authority_level}
    details: dict = {"before": before, "after": after}
    if designation is not None:
        details["designation"] = {"id": designation.pk, "level": designation.level,
                                  "valid_from": designation.valid_from.isoformat(),
                                  "document": designation.document}  # fmt: skip
    record(actor, AuditEvent.CLEARANCE_CHANGED, user, details=details)
    return user


#: Receivers re-derive a person's clearance when ``clearance_check_on`` has come (the personnel
#: app connects one: its ``signals`` part). Sent with ``user``; a receiver stores the result
#: through ``derive_clearance``.
clearance_due = Signal()


@internal
def clearance_is_due(user: User, today: date | None = None) -> bool:
    """Whether the stored clearance must be derived again before this request (a pure predicate
    on the row every request loads anyway: no query)."""
    return bool(user.clearance_check_on and user.clearance_check_on <= (today or timezone.localdate()))


@service
def refresh_clearance(user: User) -> User:
    """At the start of every request of a person whose clearance is due (session or API token):
    the receivers of ``clearance_due`` re-derive it; if none did, the clearance falls to the
    uncleared level — fail closed (R-AC-4, R-PER-3). The system acting; no policy check.
    *Audits* CLEARANCE_CHANGED (through ``derive_clearance`` or here)."""
    clearance_due.send(sender=User, user=user)
    user.refresh_from_db(fields=["clearance", "clearance_check_on", "authority_level"])
    if clearance_is_due(user):
        derive_clearance(None, user, settings.PERSONNEL_UNCLEARED_LEVEL, check_on=None, reason="due")
        user.refresh_from_db(fields=["clearance", "clearance_check_on"])
    return user


@service
def set_active(actor: User | None, user: User, active: bool, *, bootstrap: bool = False) -> User:
    """Disable or re-enable an account. *Requires* ``manage_accounts``; nobody disables their
    own account. *Audits* USER_DISABLED/ENABLED."""
    if not bootstrap:
        require(actor, "manage_accounts", user)
        if actor is not None and actor.pk == user.pk and not active:
            raise ValidationFailed(_("You cannot disable your own account."), fields={"active": ["self"]})
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor, AuditEvent.USER_ENABLED if active else AuditEvent.USER_DISABLED, user)
    return user


@service
def update_user(
    actor: User, user: User, *, full_name: str, department: Department | None, person_type: str, post: str
) -> User:
    """Change a person's name, type and post (ORG-1..3). A move to another department moves
    need-to-know, so it is refused here: the system administrator proposes it and the security
    officer confirms it (``propose_org_change``, R-ROLE-1..3). *Requires* ``manage_accounts``.
    *Audits* USER_UPDATED with the changed field names."""
    require(actor, "manage_accounts", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.department_id != (department.pk if department else None):
        raise ValidationFailed(
            _("A move to another department takes effect only when the security officer confirms it."),
            fields={"department": ["needs_confirmation"]},
        )
    new = {"full_name": full_name, "department_id": department.pk if department else None,
           "person_type": person_type, "post": post}  # fmt: skip
    changed = [name for name, value in new.items() if getattr(user, name) != value]
    for name, value in new.items():
        setattr(user, name, value)
    if changed:
        user.save(update_fields=[c.removesuffix("_id") for c in changed])
        record(actor, AuditEvent.USER_UPDATED, user, details={"fields": changed})
    return user


@service
def unlock_user(actor: User, user: User) -> User:
    """Lift a lockout before it runs out (SEC-1). *Requires* ``manage_accounts``. *Audits* USER_UNLOCKED."""
    require(actor, "manage_accounts", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    record(actor, AuditEvent.USER_UNLOCKED, user)
    return user


def _separated_other(actor: User | None, user: User) -> bool:
    """Whether ``user`` is one of the three administrators other than ``actor``."""
    return bool(user.role_codes() & SEPARATED_ADMINISTRATORS) and (actor is None or actor.pk != user.pk)


@service
def reset_password(actor: User, user: User) -> User:
    """Reset a forgotten password (SEC-1) without giving anybody a working login (三员分立,
    R-ROLE-1..3): the password becomes unusable, every session ends (Django checks each
    session against the password hash) and every API token is revoked; nothing is returned.
    The security officer then hands a one-time password to the person, in person
    (``hand_over_password``). *Requires* ``manage_accounts``; the system administrator may not
    reset the security officer's or the auditor's password. *Audits* PASSWORD_RESET."""
    require(actor, "manage_accounts", user)
    if _separated_other(actor, user):
        raise ValidationFailed(
            _(
                "Separation of the three administrators: the password of another administrator cannot be "
                "reset here; use the command line (baomi accounts reset-password) on the server."
            ),
            fields={"user": ["separated_administrators"]},
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_unusable_password()
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.handover_due_since = timezone.now()
    user.one_time_until = None
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "handover_due_since",
                             "one_time_until", "failed_logins", "locked_until"])  # fmt: skip
    revoked = _revoke_all_tokens(user)
    record(
        actor, AuditEvent.PASSWORD_RESET, user, details={"handover": "in_person", "tokens_revoked": revoked}
    )
    return user


def _revoke_all_tokens(user: User) -> int:
    """Inside the calling service: every live API token of ``user`` stops working now."""
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


@service
def hand_over_password(actor: User, user: User, *, identity_checked: bool) -> str:
    """The security officer, with the person in front of them and their identity document
    checked, issues the one-time password that ends a reset (R-ROLE-1..3, SEC-1). It is shown
    once, on the officer's screen, to the person; it expires after
    ``BAOMI_PASSWORD_HANDOVER_HOURS``; at its first use the person chooses their own password
    and enrols their own second factor (whatever their clearance). *Requires*
    ``hand_over_password`` (the security officer, not on themself). *Audits*
    PASSWORD_HANDED_OVER."""
    require(actor, "hand_over_password", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.awaiting_handover:
        raise ValidationFailed(_("No password reset of this account awaits a handover."))
    if not identity_checked:
        raise ValidationFailed(
            _("Confirm that you checked the person's identity in person."),
            fields={"identity_checked": ["required"]},
        )
    temporary = temporary_password()
    user.set_password(temporary)
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.handover_due_since = None
    user.one_time_until = timezone.now() + timedelta(hours=settings.PASSWORD_HANDOVER_HOURS)
    user.must_enrol_totp = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "handover_due_since",
                             "one_time_until", "must_enrol_totp"])  # fmt: skip
    record(actor, AuditEvent.PASSWORD_HANDED_OVER, user,
           details={"identity_checked": True, "valid_until": user.one_time_until})  # fmt: skip
    return temporary


@service
def reset_password_from_console(user: User) -> User:
    """``baomi accounts reset-password``: the operator on the server resets any account, the
    three administrators included (the system itself acting) — and learns no password, as in
    the UI (R-ROLE-1..3, issue 11 §1): the password becomes unusable, every session ends, every
    API token is revoked, and the person awaits the security officer's handover in person
    (``hand_over_password``). *Audits* PASSWORD_RESET (``channel: cli``)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_unusable_password()
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.handover_due_since = timezone.now()
    user.one_time_until = None
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "handover_due_since",
                             "one_time_until", "failed_logins", "locked_until"])  # fmt: skip
    revoked = _revoke_all_tokens(user)
    record(None, AuditEvent.PASSWORD_RESET, user,
           details={"channel": "cli", "handover": "in_person", "tokens_revoked": revoked})  # fmt: skip
    return user


@service
def seal_password_letter(user: User) -> str:
    """``baomi accounts reset-password --sealed-letter FILE``: the other out-of-band channel, for
    the account nobody can hand a password to in person (the unit's only security officer, who
    may not hand over to themself). After a console reset, a one-time password is issued for a
    printed letter, sealed and handed to the person; it is never shown on the console. Like a
    handover it expires after ``BAOMI_PASSWORD_HANDOVER_HOURS`` and at its first use the person
    enrols their own second factor and chooses their own password. *Audits*
    PASSWORD_HANDED_OVER (``channel: sealed_letter``)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.awaiting_handover:
        raise ValidationFailed(_("No password reset of this account awaits a handover."))
    temporary = temporary_password()
    user.set_password(temporary)
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.handover_due_since = None
    user.one_time_until = timezone.now() + timedelta(hours=settings.PASSWORD_HANDOVER_HOURS)
    user.must_enrol_totp = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password", "handover_due_since",
                             "one_time_until", "must_enrol_totp"])  # fmt: skip
    record(None, AuditEvent.PASSWORD_HANDED_OVER, user,
           details={"channel": "sealed_letter", "valid_until": user.one_time_until})  # fmt: skip
    return temporary


@internal
def temporary_password() -> str:
    """A random password meeting every class of the policy, long enough for any setting."""
    import secrets
    import string

    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    length = max(settings.PASSWORD_MIN_LENGTH, 12)
    body = "".join(secrets.choice(alphabet) for _ in range(length - 4))
    return "".join([secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase),
                    secrets.choice("23456789"), secrets.choice("@#%+="), body])  # fmt: skip


@internal
def password_expired(user: User, now: object = None) -> bool:
    """Older than ``BAOMI_PASSWORD_MAX_AGE_DAYS`` (0 switches the rule off) (SEC-1, R-AUTH-4)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return False
    changed = user.password_changed_at or user.date_joined
    return changed + timedelta(days=days) < (now or timezone.now())  # type: ignore[operator]


@internal
def must_set_password(user: User) -> bool:
    """Whether the login must stop at the password change (first login, reset, expired)."""
    return user.must_change_password or password_expired(user)


@service
def change_password(actor: User, *, old_password: str, new_password: str) -> User:
    """A user changes their own password (SEC-1). *Audits* PASSWORD_CHANGED."""
    if not actor.check_password(old_password):
        raise ValidationFailed(_("The current password is wrong."), fields={"old_password": ["wrong"]})
    return _set_own_password(actor, new_password)


@service
def set_expired_password(actor: User, *, new_password: str) -> User:
    """The forced change during login, when ``must_set_password`` (the password was checked a
    moment ago by the login). *Audits* PASSWORD_CHANGED."""
    if not must_set_password(actor):
        raise ValidationFailed(_("No password change is due."))
    return _set_own_password(actor, new_password)


def _set_own_password(actor: User, new_password: str) -> User:
    if actor.check_password(new_password):
        raise ValidationFailed(
            _("The new password must differ from the current one."), fields={"new_password": ["same"]}
        )
    _check_password(new_password, actor)
    actor.set_password(new_password)
    actor.password_changed_at = timezone.now()
    actor.must_change_password = False
    actor.one_time_until = None
    actor.save(update_fields=["password", "password_changed_at", "must_change_password", "one_time_until"])
    record(actor, AuditEvent.PASSWORD_CHANGED, actor)
    return actor


# --- login hardening (SEC-1) ----------------------------------------------------------------
# Failures are counted in the database so the lockout holds across several server processes.


@service
def register_login_failure(username: str) -> User | None:
    """Count a failed login; lock the account at the threshold. *Audits* LOGIN_FAILED, ACCOUNT_LOCKED."""
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        record(None, AuditEvent.LOGIN_FAILED, ("accounts.user", "", username), outcome="failed")
        return None
    _count_failure(user, AuditEvent.LOGIN_FAILED, {"stage": "password"})
    return user


def _count_failure(user: User, event: AuditEvent, details: dict) -> None:
    """One more failure on a row locked by the caller; lock at the threshold (SEC-1).
    *Audits* ``event`` and, at the threshold, ACCOUNT_LOCKED."""
    if user.locked_until and not user.is_locked():
        user.failed_logins = 0  # a lock that ran out starts a fresh count
        user.locked_until = None
    user.failed_logins += 1
    record(user, event, user, outcome="failed", details={**details, "failures": user.failed_logins})
    fields = ["failed_logins", "locked_until"]
    locked = False
    if user.failed_logins >= settings.LOCKOUT_THRESHOLD and not user.is_locked():
        user.locked_until = timezone.now() + timedelta(seconds=settings.LOCKOUT_SECONDS)
        locked = True
    user.save(update_fields=fields)
    if locked:
        record(user, AuditEvent.ACCOUNT_LOCKED, user, outcome="failed", details={"until": user.locked_until})


@service
def register_login_success(user: User) -> User:
    """Reset the failure count after a complete login. *Audits* LOGIN_SUCCEEDED."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login = timezone.now()
    user.save(update_fields=["failed_logins", "locked_until", "last_login"])
    record(user, AuditEvent.LOGIN_SUCCEEDED, user)
    return user


@service
def register_logout(user: User, *, idle: bool = False) -> None:
    """*Audits* LOGGED_OUT or SESSION_EXPIRED."""
    record(user, AuditEvent.SESSION_EXPIRED if idle else AuditEvent.LOGGED_OUT, user)


# --- second factor (SEC-1) -------------------------------------------------------------------


@internal
def totp_required(user: User) -> bool:
    """Whether the person must use a second factor: cleared for ``TOTP_REQUIRED_FROM`` (机密 by
    default) or above (SEC-1, R-AUTH-2)."""

    return levels.dominates(user.clearance, settings.TOTP_REQUIRED_FROM)


@service
def begin_totp_enrolment(actor: User) -> str:
    """Create (or keep) the pending secret of one's own second factor; return it in the clear
    for the QR code. Refused while a confirmed factor exists. *Audits* nothing (nothing is in
    force until confirmed)."""

    user = User.objects.select_for_update().get(pk=actor.pk)
    if user.totp_enrolled:
        raise ValidationFailed(_("A second factor is already enrolled."))
    if user.totp_secret:
        return totp.unseal(user.totp_secret, user.pk)
    secret = totp.new_secret()
    user.totp_secret = totp.seal(secret, user.pk)
    user.save(update_fields=["totp_secret"])
    actor.totp_secret = user.totp_secret
    return secret


@service
def confirm_totp(actor: User, code: str) -> list[str] | None:
    """Confirm the pending secret with a first code; return 10 recovery codes (shown once,
    stored as digests), or None when the code is wrong. *Audits* TOTP_ENROLLED or TOTP_FAILED."""

    user = User.objects.select_for_update().get(pk=actor.pk)
    if user.totp_enrolled or not user.totp_secret:
        raise ValidationFailed(_("Start the enrolment again."))
    step = totp.matching_step(totp.unseal(user.totp_secret, user.pk), code, user.totp_last_step)
    if step is None:
        record(user, AuditEvent.TOTP_FAILED, user, outcome="failed", details={"stage": "enrolment"})
        return None
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.must_enrol_totp = False
    user.save(update_fields=["totp_confirmed_at", "totp_last_step", "must_enrol_totp"])
    codes = totp.new_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_digest=totp.recovery_digest(c)) for c in codes]
    )
    record(user, AuditEvent.TOTP_ENROLLED, user)
    _copy_totp(user, actor)
    return codes


@service
def verify_second_factor(user: User, code: str) -> bool:
    """The second login step: a current TOTP code (not replayed) or an unused recovery code.

    A wrong code counts as a failed login towards the lockout (SEC-1). *Audits* TOTP_FAILED
    (and ACCOUNT_LOCKED at the threshold) or RECOVERY_CODE_USED."""

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked() or not user.is_active or not user.totp_enrolled:
        return False
    step = totp.matching_step(totp.unseal(user.totp_secret, user.pk), code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        user.save(update_fields=["totp_last_step"])
        return True
    if totp.looks_like_recovery_code(code):
        rc = (
            RecoveryCode.objects.select_for_update()
            .filter(user=user, code_digest=totp.recovery_digest(code), used_at=None)
            .first()
        )
        if rc is not None:
            rc.used_at = timezone.now()
            rc.save(update_fields=["used_at"])
            left = RecoveryCode.objects.filter(user=user, used_at=None).count()
            record(user, AuditEvent.RECOVERY_CODE_USED, user, details={"left": left})
            return True
    _count_failure(user, AuditEvent.TOTP_FAILED, {"stage": "login"})
    return False


@service
def regenerate_recovery_codes(actor: User, code: str) -> list[str] | None:
    """Replace one's recovery codes with 10 new ones, confirmed by a current TOTP code (a
    recovery code does not do). Returns the codes (shown once), or None on a wrong code, which
    counts towards the lockout. *Audits* RECOVERY_CODES_REGENERATED or TOTP_FAILED."""

    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.totp_enrolled:
        raise ValidationFailed(_("No second factor is enrolled."))
    step = totp.matching_step(totp.unseal(user.totp_secret, user.pk), code, user.totp_last_step)
    if step is None:
        _count_failure(user, AuditEvent.TOTP_FAILED, {"stage": "recovery_codes"})
        return None
    user.totp_last_step = step
    user.save(update_fields=["totp_last_step"])
    codes = totp.new_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_digest=totp.recovery_digest(c)) for c in codes]
    )
    record(user, AuditEvent.RECOVERY_CODES_REGENERATED, user)
    return codes


@internal
def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes a person has left (a read, shown on the own-account page)."""

    return RecoveryCode.objects.filter(user=user, used_at=None).count()


@service
def reset_totp(actor: User, user: User) -> User:
    """Remove a person's second factor (lost phone); they enrol again at the next login.
    *Requires* ``reset_totp`` (the security officer, not on themself). *Audits* TOTP_RESET."""

    require(actor, "reset_totp", user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    RecoveryCode.objects.filter(user=user).delete()
    record(actor, AuditEvent.TOTP_RESET, user)
    return user


@service
def enrol_demo_totp(user: User, secret: str) -> User:
    """Demo loader only (settings.DEMO / ``baomi demo``): pre-enrol a fixed, printed secret so
    the demo accounts cleared for 机密 and above can sign in. *Audits* TOTP_ENROLLED."""

    user = User.objects.select_for_update().get(pk=user.pk)
    user.totp_secret = totp.seal(secret, user.pk)
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    record(None, AuditEvent.TOTP_ENROLLED, user, details={"demo": True})
    return user


def _copy_totp(src: User, dst: User) -> None:
    for name in ("totp_secret", "totp_confirmed_at", "totp_last_step", "must_enrol_totp"):
        setattr(dst, name, getattr(src, name))


# --- API tokens (API-1) ----------------------------------------------------------------------


@service
def create_token(actor: User, *, name: str) -> tuple[ApiToken, str]:
    """A bearer token of one's own; returns the token and its key, shown once (only a SHA-256
    digest is stored). *Audits* TOKEN_CREATED."""
    import secrets

    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the token a name."), fields={"name": ["required"]})
    if ApiToken.objects.filter(user=actor, revoked_at=None).count() >= 20:
        raise ValidationFailed(_("You have too many active tokens; revoke one first."))
    prefix = secrets.token_hex(4)
    key = f"bm_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=actor, name=name[:100], prefix=prefix, key_digest=token_digest(key))
    token.save()
    record(actor, AuditEvent.TOKEN_CREATED, token, details={"prefix": prefix})
    return token, key


@service
def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """*Requires* ``revoke`` on the token (its owner). *Audits* TOKEN_REVOKED."""
    require(actor, "revoke", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, AuditEvent.TOKEN_REVOKED, token, details={"prefix": token.prefix})
    return token


# --- departments (ORG-1) ---------------------------------------------------------------------


@service
def update_department(
    actor: User, dept: Department, *, name: str, parent: Department | None, sort_order: int = 0
) -> Department:
    """Rename or move a department; refuses a move that would make the tree a cycle (ORG-1).
    *Requires* ``manage_departments``. *Audits* DEPARTMENT_UPDATED."""
    require(actor, "manage_departments", dept)
    dept = Department.objects.select_for_update().get(pk=dept.pk)
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == dept.pk:
            raise ValidationFailed(
                _("A department cannot be placed under itself or one of its sub-departments."),
                fields={"parent": ["cycle"]},
            )
        ancestor = ancestor.parent
    before = {"name": dept.name, "parent": dept.parent_id, "sort_order": dept.sort_order}
    dept.name, dept.parent, dept.sort_order = name, parent, sort_order
    dept.save(update_fields=["name", "parent", "sort_order"])
    after = {"name": dept.name, "parent": dept.parent_id, "sort_order": dept.sort_order}
    record(actor, AuditEvent.DEPARTMENT_UPDATED, dept, details={"before": before, "after": after})
    return dept


@service
def unlock_from_console(user: User) -> User:
    """``baomi accounts unlock``: the operator on the server (the system itself acting).
    *Audits* USER_UNLOCKED."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["failed_logins", "locked_until"])
    record(None, AuditEvent.USER_UNLOCKED, user)
    return user


@service
def deactivate_on_exit(actor: User | None, user: User, *, reference: str) -> User:
    """Disable the account of a person who leaves the unit (R-AC-6: disabled automatically when
    the departure is recorded). Called by the personnel exit service, which has checked its own
    policy (the security officer runs the exit); no ``manage_accounts`` check here.
    *Audits* USER_DISABLED with the exit reference."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    record(actor, AuditEvent.USER_DISABLED, user, details={"reason": "exit", "reference": reference})
    return user


# --- organisation changes that move need-to-know or approval powers (R-ROLE-1..3) -------------


def _current_holder(kind: str, person: User | None, department: Department | None) -> int | None:
    if kind == OrgChangeKind.MOVE:
        return person.department_id if person else None
    return getattr(department, f"{kind}_id", None)


def _refuse_administrator(kind: str, person: User | None) -> None:
    if kind != OrgChangeKind.MOVE and person is not None and person.has_role(Role.SYSTEM_ADMINISTRATOR):
        raise ValidationFailed(
            _("Separation of the three administrators: the system administrator cannot be a department head "
              "or secrecy officer."),
            fields={"person": ["separated_administrators"]},
        )  # fmt: skip


@service
def propose_org_change(
    actor: User, *, kind: str, person: User | None, department: Department | None, reason: str = ""
) -> OrgChange:
    """The system administrator proposes a move of a person to another department (``move``)
    or the appointment of a department head (``head``) or 保密责任人 (``secrecy_officer``;
    ``person=None`` leaves the post vacant); it takes effect when the security officer confirms
    it (R-ROLE-1..3). The system administrator is never appointed. *Requires*
    ``manage_accounts`` (moves) or ``manage_departments`` (appointments). *Audits*
    ORG_CHANGE_PROPOSED."""
    kind = OrgChangeKind(kind)
    require(actor, "manage_accounts" if kind == OrgChangeKind.MOVE else "manage_departments")
    if kind == OrgChangeKind.MOVE and person is None:
        raise ValidationFailed(_("Choose the person to move."), fields={"person": ["required"]})
    if kind != OrgChangeKind.MOVE and department is None:
        raise ValidationFailed(_("Choose the department."), fields={"department": ["required"]})
    if kind == OrgChangeKind.MOVE:
        target = department.pk if department else None
    else:
        target = person.pk if person else None
    if _current_holder(kind, person, department) == target:
        raise ValidationFailed(_("This change would change nothing."))
    _refuse_administrator(kind, person)
    change = OrgChange(requested_by=actor, reason=(reason or "").strip()[:300], kind=kind, person=person,
                       department=department)  # fmt: skip
    change.save()
    record(actor, AuditEvent.ORG_CHANGE_PROPOSED, change,
           details={"kind": str(kind), "person": person.pk if person else None,
                    "department": department.pk if department else None})  # fmt: skip
    return change


@service
def decide_org_change(actor: User, change: OrgChange, *, approve: bool, reason: str = "") -> OrgChange:
    """The security officer confirms (and the change takes effect) or refuses a proposed
    organisation change; never one that moves or appoints themself (R-ROLE-1..3, R-ROLE-5).
    *Requires* ``decide``. *Audits* ORG_CHANGE_CONFIRMED or ORG_CHANGE_REFUSED, and
    USER_UPDATED or DEPARTMENT_UPDATED when it takes effect."""
    if approve:
        locked = OrgChange.objects.select_for_update().get(pk=change.pk)
        _refuse_administrator(locked.kind, locked.person)
    event = AuditEvent.ORG_CHANGE_CONFIRMED if approve else AuditEvent.ORG_CHANGE_REFUSED
    decided = requests.decide(actor, change, requests.APPROVE if approve else requests.REJECT, reason=reason,
                              event=event)  # fmt: skip
    assert isinstance(decided, OrgChange)
    if approve:
        _apply_org_change(actor, decided)
        # The instances that read their posts before must read them again (User._posts).
        for person in (
            change._state.fields_cache.get("person"),
            decided._state.fields_cache.get("person"),
            actor,
        ):
            if person is not None:
                person.forget_posts()
    return decided


def _apply_org_change(actor: User, change: OrgChange) -> None:
    """Inside ``decide_org_change``: carry out a confirmed change and audit it."""
    if change.kind == OrgChangeKind.MOVE:
        assert change.person_id is not None  # a move always names the person (propose_org_change)
        user = User.objects.select_for_update().get(pk=change.person_id)
        moved_from = user.department_id
        user.department_id = change.department_id
        user.save(update_fields=["department"])
        record(actor, AuditEvent.USER_UPDATED, user, details={"fields": ["department_id"], "before": moved_from,
                                                              "after": change.department_id, "org_change": change.pk})  # fmt: skip
        return
    assert change.department_id is not None  # an appointment always names the department
    dept = Department.objects.select_for_update().get(pk=change.department_id)
    before = {"head": dept.head_id, "secrecy_officer": dept.secrecy_officer_id}
    setattr(dept, f"{change.kind}_id", change.person_id)
    dept.save(update_fields=[change.kind])
    after = {"head": dept.head_id, "secrecy_officer": dept.secrecy_officer_id}
    record(actor, AuditEvent.DEPARTMENT_UPDATED, dept,
           details={"before": before, "after": after, "org_change": change.pk})  # fmt: skip


@service
def withdraw_org_change(actor: User, change: OrgChange) -> OrgChange:
    """The proposer withdraws a change while it waits. *Requires* ``withdraw``. *Audits*
    ORG_CHANGE_WITHDRAWN."""
    return requests.withdraw(actor, change, event=AuditEvent.ORG_CHANGE_WITHDRAWN)  # type: ignore[return-value]
