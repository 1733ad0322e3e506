"""Account services: every change to users, roles and departments (ORG-1..3, SEC-1, SEC-2).

Each service takes the acting user first, checks the policy, changes the model and writes the
audit entry in the same transaction (STYLE 2.2).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import require
from baomi.accounts.choices import SEPARATED_ADMINISTRATORS, Role
from baomi.accounts.models import Department, RoleAssignment, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from baomi.core.service import service


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
    """Name the head and the secrecy officer of a department (ORG-1).

    *Requires* ``manage_departments``. *Audits* DEPARTMENT_UPDATED.
    """
    if not bootstrap:
        require(actor, "manage_departments")
    before = {"head": dept.head_id, "secrecy_officer": dept.secrecy_officer_id}
    dept.head = head
    dept.secrecy_officer = secrecy_officer
    dept.save(update_fields=["head", "secrecy_officer"])
    after = {"head": dept.head_id, "secrecy_officer": dept.secrecy_officer_id}
    record(actor, AuditEvent.DEPARTMENT_UPDATED, dept, details={"before": before, "after": after})
    return dept


@service
def create_user(
    actor: User | None,
    *,
    username: str,
    full_name: str,
    password: str,
    department: Department | None = None,
    person_type: str = "employee",
    post: str = "",
    bootstrap: bool = False,
) -> User:
    """Create an account (SEC-2: the system administrator's job).

    *Requires* ``manage_accounts`` (``bootstrap`` is for ``baomi init`` and the demo loader
    only, which run from the CLI). *Audits* USER_CREATED.
    """
    if not bootstrap:
        require(actor, "manage_accounts")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("This username is taken."), fields={"username": ["duplicate"]})
    user = User(
        username=username, full_name=full_name, department=department, person_type=person_type, post=post
    )
    _check_password(password, user)
    user.set_password(password)
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
    """Take a role away. *Requires* ``assign_role``. *Audits* ROLE_REVOKED."""
    require(actor, "assign_role", user)
    RoleAssignment.objects.filter(user=user, role=role).delete()
    user.forget_roles()
    record(actor, AuditEvent.ROLE_REVOKED, user, details={"role": str(role)})


@service
def set_clearance(
    actor: User | None, user: User, level: str, *, authority_level: str | None = None, bootstrap: bool = False
) -> User:
    """Set a person's clearance (only the security officer, SEC-2 / R-ROLE-5).

    *Requires* ``set_clearance`` on the user. *Audits* CLEARANCE_CHANGED.
    """
    if not bootstrap:
        require(actor, "set_clearance", user)
    level = Level(level)
    before = {"clearance": user.clearance, "authority_level": user.authority_level}
    user.clearance = level
    if authority_level is not None:
        user.authority_level = Level(authority_level) if authority_level else ""
    user.save(update_fields=["clearance", "authority_level"])
    after = {"clearance": user.clearance, "authority_level": user.authority_level}
    record(actor, AuditEvent.CLEARANCE_CHANGED, user, details={"before": before, "after": after})
    return user


@service
def set_active(actor: User, user: User, active: bool) -> User:
    """Disable or re-enable an account. *Requires* ``manage_accounts``. *Audits* USER_DISABLED/ENABLED."""
    require(actor, "manage_accounts", user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor, AuditEvent.USER_ENABLED if active else AuditEvent.USER_DISABLED, user)
    return user


@service
def change_password(actor: User, *, old_password: str, new_password: str) -> User:
    """A user changes their own password (SEC-1). *Audits* PASSWORD_CHANGED."""
    if not actor.check_password(old_password):
        raise ValidationFailed(_("The current password is wrong."), fields={"old_password": ["wrong"]})
    _check_password(new_password, actor)
    actor.set_password(new_password)
    actor.password_changed_at = timezone.now()
    actor.must_change_password = False
    actor.save(update_fields=["password", "password_changed_at", "must_change_password"])
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
    user.failed_logins += 1
    fields = ["failed_logins"]
    locked = False
    if user.failed_logins >= settings.LOCKOUT_THRESHOLD and not user.is_locked():
        user.locked_until = timezone.now() + timedelta(seconds=settings.LOCKOUT_SECONDS)
        fields.append("locked_until")
        locked = True
    user.save(update_fields=fields)
    record(user, AuditEvent.LOGIN_FAILED, user, outcome="failed", details={"failures": user.failed_logins})
    if locked:
        record(user, AuditEvent.ACCOUNT_LOCKED, user, outcome="failed", details={"until": user.locked_until})
    return user


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
