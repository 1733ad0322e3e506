"""Who is who for the supervision registers' rules (SEC-2, REQUIREMENTS "Users").

- the security officer (保密办) keeps every register;
- the unit head and the leading group oversee them and approve what needs approval;
- a department head sees the records of the departments they head;
- the system administrator runs the information systems (三员分立: not the security officer).
"""

from __future__ import annotations

from typing import Any

from baomi.accounts.choices import Role


def is_officer(user: Any) -> bool:
    return bool(user.has_role(Role.SECURITY_OFFICER))


def is_approver(user: Any) -> bool:
    return bool(user.has_role(Role.UNIT_HEAD, Role.LEADING_GROUP))


def is_unit_head(user: Any) -> bool:
    return bool(user.has_role(Role.UNIT_HEAD))


def is_sysadmin(user: Any) -> bool:
    return bool(user.has_role(Role.SYSTEM_ADMINISTRATOR))


def oversees(user: Any) -> bool:
    """The security officer, the unit head and the leading group see every register row."""
    return is_officer(user) or is_approver(user)
