"""``baomi init``: the three separated administrators instead of ``createsuperuser`` (SEC-2)."""

from __future__ import annotations

from django.db import transaction

from baomi.accounts import services
from baomi.accounts.choices import Role
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record


def create_administrators(*, sysadmin: str, security_officer: str, auditor: str, password: str) -> list[str]:
    """Create the three administrator accounts that do not exist yet; each must change the
    initial password at first login. Returns the usernames created."""
    created = []
    wanted = [
        (sysadmin, "系统管理员", Role.SYSTEM_ADMINISTRATOR),
        (security_officer, "安全保密管理员", Role.SECURITY_OFFICER),
        (auditor, "安全审计员", Role.AUDITOR),
    ]
    with transaction.atomic():
        for username, name, role in wanted:
            if User.objects.filter(username=username).exists():
                continue
            user = services.create_user(
                None,
                username=username,
                full_name=name,
                password=password,
                must_change_password=True,
                bootstrap=True,
            )
            services.assign_role(None, user, role, bootstrap=True)
            created.append(username)
        if created:
            record(None, AuditEvent.SYSTEM_INITIALISED, None, details={"created": created})
    return created
