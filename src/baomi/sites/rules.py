"""Rules for key departments, key places, cabinets and place checks (SUP-5, R-SITE-1).

- The security officer keeps the register (manages everything).
- The unit head and the leading group see it all.
- A department head sees their department's key department, places, cabinets and checks.
- A responsible person sees their department or place, and checks their place (自查); a
  cabinet's custodian sees the cabinet and its place.
- That a place or cabinet exists, and up to which level, is registry metadata, not the
  classified content kept there: ``view`` is exempt from the clearance check; checking a place
  (going in) is not.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.core.levels import Level
from baomi.registers.roles import is_officer, oversees
from baomi.sites.models import Cabinet, KeyDepartment, KeyPlace, PlaceCheck


class KeyDepartmentRule:
    actions = frozenset({"view", "manage"})
    clearance_exempt = frozenset({"view"})

    def can(self, user: Any, action: str, obj: KeyDepartment) -> bool:
        if action == "manage":
            return is_officer(user)  # SUP-5: the security office keeps the register
        # SUP-5: overseers, the responsible person and the department's head see it.
        return (
            oversees(user)
            or obj.responsible_id == user.pk
            or obj.department_id in user.headed_department_ids()
        )

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset if is_officer(user) else queryset.none()
        if oversees(user):
            return queryset
        return queryset.filter(Q(responsible_id=user.pk) | Q(department_id__in=user.headed_department_ids()))


def _place_reader(prefix: str, user: Any) -> Q:
    """The places a person may see without overseeing: responsible, head, cabinet custodian."""
    return (
        Q(**{f"{prefix}responsible_id": user.pk})
        | Q(**{f"{prefix}department_id__in": user.headed_department_ids()})
        | Q(**{f"{prefix}cabinets__custodian_id": user.pk})
    )


def _reads_place(user: Any, place: KeyPlace) -> bool:
    if (
        oversees(user)
        or place.responsible_id == user.pk
        or place.department_id in user.headed_department_ids()
    ):
        return True
    return bool(place.pk and place.cabinets.filter(custodian_id=user.pk).exists())


class KeyPlaceRule:
    actions = frozenset({"view", "manage", "check"})
    clearance_exempt = frozenset({"view"})

    def can(self, user: Any, action: str, obj: KeyPlace) -> bool:
        if action == "manage":
            return is_officer(user)  # SUP-5
        if action == "check":
            # SUP-5: the security office inspects; the responsible person self-checks.
            return is_officer(user) or obj.responsible_id == user.pk
        return _reads_place(user, obj)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset if is_officer(user) else queryset.none()
        if action == "check":
            return queryset if is_officer(user) else queryset.filter(responsible_id=user.pk)
        if oversees(user):
            return queryset
        return queryset.filter(_place_reader("", user)).distinct()


class CabinetRule:
    actions = frozenset({"view", "manage"})
    clearance_exempt = frozenset({"view"})

    def can(self, user: Any, action: str, obj: Cabinet) -> bool:
        if action == "manage":
            return is_officer(user)  # SUP-5
        return obj.custodian_id == user.pk or _reads_place(user, obj.place)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset if is_officer(user) else queryset.none()
        if oversees(user):
            return queryset
        return queryset.filter(Q(custodian_id=user.pk) | _place_reader("place__", user)).distinct()


class PlaceCheckRule:
    actions = frozenset({"view", "record"})

    def can(self, user: Any, action: str, obj: PlaceCheck) -> bool:
        if action == "record":
            # SUP-5: the security office or the place's responsible person (self-check); the
            # checker must be cleared for the place (going in is not metadata).
            return (is_officer(user) or obj.place.responsible_id == user.pk) and policy.clearance_dominates(
                user, obj.place.level
            )
        return _reads_place(user, obj.place)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "record":
            allowed = [lv for lv in Level.values if policy.clearance_dominates(user, lv)]
            mine = queryset.filter(place__level__in=allowed)
            return mine if is_officer(user) else mine.filter(place__responsible_id=user.pk)
        if oversees(user):
            return queryset
        return queryset.filter(_place_reader("place__", user)).distinct()


def _browses(user: Any) -> bool:
    """Someone with a reason to open the register: overseers, heads, responsible persons and
    custodians (SUP-5)."""
    if oversees(user) or user.headed_department_ids():
        return True
    return bool(user.key_places.exists() or user.key_departments.exists() or user.cabinets.exists())


policy.register(KeyDepartment, KeyDepartmentRule())
policy.register(KeyPlace, KeyPlaceRule())
policy.register(Cabinet, CabinetRule())
policy.register(PlaceCheck, PlaceCheckRule())
policy.register_global("sites_browse", _browses)  # SUP-5
policy.register_global("sites_manage", is_officer)  # SUP-5: the security office keeps the register
