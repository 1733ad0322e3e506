"""Rules for supervision records (SUP-2): the security officer runs incidents."""

from __future__ import annotations

from typing import Any

from django.db import models

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.supervision.models import Incident


class IncidentRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Incident) -> bool:
        # SUP-2: incidents are the security office's records; the reporter sees their own.
        if user.has_role(Role.SECURITY_OFFICER):
            return True
        return action == "view" and obj.opened_by_id == user.pk

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if user.has_role(Role.SECURITY_OFFICER):
            return queryset
        if action == "view":
            return queryset.filter(opened_by=user)
        return queryset.none()


policy.register(Incident, IncidentRule())
