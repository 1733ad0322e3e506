"""Rules for the audit trail (SEC-3, R-ROLE-5): only the security auditor (安全审计员) reads it.

Nobody — not the system administrator, not the security officer, not a unit head — reads the
trail but the auditor; nobody at all changes it (there is no write action). The global action
``read_audit`` opens the auditor's screens, the API and the export.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.audit.models import AuditEntry


def is_auditor(user: Any) -> bool:
    return bool(user.has_role(Role.AUDITOR))  # SEC-3, R-ROLE-5: the auditor alone reads the trail


class AuditEntryRule:
    actions = frozenset({"view", "export"})

    def can(self, user: Any, action: str, obj: AuditEntry) -> bool:
        return is_auditor(user)  # SEC-3: view and export alike, every entry, the administrators' too

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if is_auditor(user):
            return queryset  # SEC-3: the auditor sees the whole trail
        return queryset.none()  # everyone else: nothing (R-ROLE-5)


policy.register(AuditEntry, AuditEntryRule())
policy.register_global("read_audit", is_auditor)  # SEC-3, R-ROLE-5 (also set in rules/accounts.py)
