"""Rules for data assets (SUP-8, R-DATA).

- The security officer keeps the register, records assessments and reviews aggregation risk.
- The unit head and the leading group oversee; a department head sees the department's data.
- A data set's owner and its data security officer see it and flag an aggregation risk; the
  officer records its yearly assessment.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.dataassets.models import DataAsset
from baomi.registers.roles import is_officer, oversees


class DataAssetRule:
    actions = frozenset({"view", "manage", "assess", "flag_aggregation", "review_aggregation"})

    def can(self, user: Any, action: str, obj: DataAsset) -> bool:
        named = user.pk in (obj.owner_id, obj.officer_id)
        if action in ("manage", "review_aggregation"):
            return is_officer(user)  # SUP-8, R-DATA-7: the security office
        if action == "assess":
            return is_officer(user) or obj.officer_id == user.pk  # R-DATA-4: the named officer
        if action == "flag_aggregation":
            return is_officer(user) or named  # R-DATA-7: those who know the data flag it
        return oversees(user) or named or obj.department_id in user.headed_department_ids()

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if is_officer(user):
            return queryset
        if action in ("manage", "review_aggregation"):
            return queryset.none()
        if action == "assess":
            return queryset.filter(officer_id=user.pk)
        named = Q(owner_id=user.pk) | Q(officer_id=user.pk)
        if action == "flag_aggregation":
            return queryset.filter(named)
        if oversees(user):
            return queryset
        return queryset.filter(named | Q(department_id__in=user.headed_department_ids()))


def _browses(user: Any) -> bool:
    if oversees(user) or user.headed_department_ids():
        return True
    return DataAsset.objects.filter(Q(owner_id=user.pk) | Q(officer_id=user.pk)).exists()


policy.register(DataAsset, DataAssetRule())
policy.register_global("data_browse", _browses)  # SUP-8
policy.register_global("data_manage", is_officer)  # SUP-8
