"""Rules for statistics and the annual report (OPS-3, SUP-14).

Statistics are for the people who answer for the regime: the security officer, the unit head
and the leading group for the unit, a department head for the department. The numbers are the
policy's own (``reports.statistics`` counts through ``visible``), so the action only opens the
page. The annual report is the security officer's to draft, edit and register, and the unit
head's to read.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.reports.models import AnnualReport


def heads_a_department(user: Any) -> bool:
    return bool(user.headed_department_ids())


def may_see_statistics(user: Any) -> bool:
    # OPS-3: the officer and the leadership for the unit; a department head for the department.
    return user.has_role(Role.SECURITY_OFFICER, Role.UNIT_HEAD, Role.LEADING_GROUP) or heads_a_department(
        user
    )


class AnnualReportRule:
    actions = frozenset({"view", "edit", "export", "register"})

    def can(self, user: Any, action: str, obj: AnnualReport) -> bool:
        if action in ("edit", "register"):
            return user.has_role(Role.SECURITY_OFFICER)  # SUP-14: the security office writes it
        return user.has_role(Role.SECURITY_OFFICER, Role.UNIT_HEAD)  # SUP-14: and the unit head reads it

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if self.can(user, action, AnnualReport()):
            return queryset
        return queryset.none()


policy.register(AnnualReport, AnnualReportRule())
policy.register_global("reports.statistics", may_see_statistics)  # OPS-3
policy.register_global(
    "reports.annual", lambda u: u.has_role(Role.SECURITY_OFFICER, Role.UNIT_HEAD)
)  # SUP-14
