"""Rules for monitoring (SEC-5, R-ROLE-2, R-ROLE-5): each alert goes to its recipient role.

The security officer receives the alerts about ordinary users (and about the auditor); the
auditor receives those about the system administrator and the security officer and about the
trail itself. Each handles only their own alerts. A rule is configured by its owner: the
security officer for the rules about users, the auditor for those that watch the administrators
and the trail, so nobody can switch off what watches them.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.monitoring.choices import Audience
from baomi.monitoring.models import Alert, MonitorRule

ROLE_OF = {Audience.SECURITY_OFFICER: Role.SECURITY_OFFICER, Audience.AUDITOR: Role.AUDITOR}


def audiences(user: Any) -> list[str]:
    return [str(a) for a, role in ROLE_OF.items() if user.has_role(role)]


class AlertRule:
    actions = frozenset({"view", "handle"})

    def can(self, user: Any, action: str, obj: Alert) -> bool:
        return obj.audience in audiences(user)  # SEC-5, R-ROLE-2: only the recipient role

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        return queryset.filter(audience__in=audiences(user))  # SEC-5, R-ROLE-2


class MonitorRuleRule:
    actions = frozenset({"view", "change"})

    def can(self, user: Any, action: str, obj: MonitorRule) -> bool:
        if not obj.kind:
            return False
        if action == "view":
            return bool(audiences(user))  # SEC-5: both recipients see every rule in force
        return obj.owner in audiences(user)  # SEC-5, R-ROLE-5: only the rule's owner changes it

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if action == "view":
            return queryset if audiences(user) else queryset.none()
        from baomi.monitoring.detectors import SPECS

        mine = [k for k, s in SPECS.items() if s.owner in audiences(user)]
        return queryset.filter(kind__in=mine)


policy.register(Alert, AlertRule())
policy.register(MonitorRule, MonitorRuleRule())
# SEC-5: the alert list and the rules screen, for the two recipients.
policy.register_global("monitoring.alerts", lambda u: bool(audiences(u)))
