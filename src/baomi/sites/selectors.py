"""Reads of the key departments and places register for UI, API and CLI (SUP-5), narrowed by
``access.policy.visible``; and the questions other registers ask (is this a confirmed key
place for a level, who approves a visit to it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import Department, User
from baomi.core import levels
from baomi.kit import rectification
from baomi.sites.choices import CabinetStatus, SiteStatus
from baomi.sites.models import Cabinet, KeyDepartment, KeyPlace, PlaceCheck


def key_departments(viewer: Any, *, status: str = "") -> QuerySet[KeyDepartment]:
    qs = visible(viewer, KeyDepartment.objects.select_related("department", "responsible"), "view")
    return qs.filter(status=status) if status else qs


def get_key_department(viewer: Any, pk: Any, action: str = "view") -> KeyDepartment:
    return access_object(
        viewer, KeyDepartment.objects.select_related("department", "responsible"), pk, action
    )


def places(viewer: Any, *, q: str = "", status: str = "", kind: str = "", level: str = "",
           department: str = "", action: str = "view") -> QuerySet[KeyPlace]:  # fmt: skip
    qs = visible(viewer, KeyPlace.objects.select_related("department", "responsible"), action)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(location__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if department.isdigit():
        qs = qs.filter(department_id=int(department))
    return qs.annotate(
        cabinet_count=Count("cabinets", filter=Q(cabinets__status=CabinetStatus.IN_USE))
    ).order_by("code")


def get_place(viewer: Any, pk: Any, action: str = "view") -> KeyPlace:
    return access_object(viewer, KeyPlace.objects.select_related("department", "responsible"), pk, action)


def cabinets(
    viewer: Any, *, place: KeyPlace | None = None, q: str = "", status: str = ""
) -> QuerySet[Cabinet]:
    qs = visible(viewer, Cabinet.objects.select_related("place", "custodian"), "view")
    if place is not None:
        qs = qs.filter(place=place)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(name__icontains=q))
    if status:
        qs = qs.filter(status=status)
    return qs


def get_cabinet(viewer: Any, pk: Any, action: str = "view") -> Cabinet:
    return access_object(viewer, Cabinet.objects.select_related("place", "custodian"), pk, action)


def place_checks(viewer: Any, *, place: KeyPlace | None = None, status: str = "") -> QuerySet[PlaceCheck]:
    qs = visible(viewer, PlaceCheck.objects.select_related("place", "checker"), "view")
    if place is not None:
        qs = qs.filter(place=place)
    return qs.filter(status=status) if status else qs


def get_check(viewer: Any, pk: Any, action: str = "view") -> PlaceCheck:
    return access_object(viewer, PlaceCheck.objects.select_related("place", "checker"), pk, action)


def checks_due(viewer: Any, on: date | None = None) -> QuerySet[KeyPlace]:
    """Places whose periodic check is due by ``on`` (today) and not yet done (SUP-5)."""
    day = on or timezone.localdate()
    return places(viewer, action="check").exclude(status=SiteStatus.REVOKED).filter(next_check_on__lte=day)


#: the origin key of a place check in the rectification loop (``baomi.kit.rectification``)
CHECK_ORIGIN = "sites.place_check"


def rectification_tasks(checks: Any) -> dict[int, list[dict[str, Any]]]:
    """The loop's rectification tasks of these checks, by check, in one query (SUP-1 整改)."""
    return rectification.tasks_of(CHECK_ORIGIN, [c.pk for c in checks])


# --- questions other registers ask ---------------------------------------------------------------------


def usable_places(viewer: Any, *, level: str | None = None) -> QuerySet[KeyPlace]:
    """Confirmed key places (at or above ``level``) for choosing a venue, a device's place or
    a visit's area (SUP-4, SUP-6, SUP-12)."""
    qs = visible(viewer, KeyPlace.objects.select_related("department"), "view").filter(
        status=SiteStatus.CONFIRMED
    )
    if level:
        allowed = [lv for lv in levels.Level.values if levels.rank(lv) >= levels.rank(level)]
        qs = qs.filter(level__in=allowed)
    return qs


def all_places() -> QuerySet[KeyPlace]:
    """Every key place that is not revoked, for choosing visit areas (the choice itself is
    not sensitive; approvals follow the places' responsible persons, SUP-4)."""
    return KeyPlace.objects.exclude(status=SiteStatus.REVOKED).select_related("responsible")


def in_use_cabinets(viewer: Any) -> QuerySet[Cabinet]:
    return cabinets(viewer, status=CabinetStatus.IN_USE)


def is_confirmed_for(place: KeyPlace, level: str) -> bool:
    """Whether ``place`` is a confirmed key place designated for ``level`` or above."""
    return place.status == SiteStatus.CONFIRMED and levels.rank(place.level) >= levels.rank(level)


# --- choices for forms -----------------------------------------------------------------------------


def departments() -> QuerySet[Department]:
    return Department.objects.all()


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("department").order_by("department__sort_order",
                                                                                      "username")  # fmt: skip


def departments_without_key(viewer: Any) -> QuerySet[Department]:
    return Department.objects.filter(key_department__isnull=True)


# --- the carrier registry's questions (SUP-5, R-CAR-12) --------------------------------------------


def storage_key(text: str) -> str:
    """Storage words compared without spaces or case."""
    return "".join((text or "").split()).upper()


def cabinet_map() -> dict[str, Cabinet]:
    """Every in-use cabinet by its name and by its number (spaces and case ignored), in one
    query: the lookup a registration (or a batch of them) names cabinets with."""
    found: dict[str, Cabinet] = {}
    for cab in Cabinet.objects.filter(status=CabinetStatus.IN_USE).select_related("place"):
        found.setdefault(storage_key(cab.name), cab)
        found.setdefault(storage_key(cab.number), cab)
    return found


def cabinet_named(text: str) -> Cabinet | None:
    """The in-use cabinet whose name or number is ``text`` (spaces and case ignored), if any."""
    key = storage_key(text)
    return cabinet_map().get(key) if key else None


def cabinet_register_kept() -> bool:
    """Whether the unit keeps a register of cabinets (any cabinet in use): from then on a 绝密
    carrier must name one in a place confirmed for 绝密 (R-CAR-12)."""
    return Cabinet.objects.filter(status=CabinetStatus.IN_USE).exists()


def carriers_in(viewer: Any, cabinet: Cabinet) -> QuerySet:
    """The carriers kept in a cabinet that ``viewer`` may see in the registry (the carrier
    registry names the cabinet, ``Carrier.cabinet``: read through the reverse relation, so this
    register does not depend on the carriers app)."""
    return (
        visible(viewer, cabinet.carriers.all(), "view")
        .select_related("custodian")
        .order_by("registry_number")
    )


# --- measured check for inspections (SUP-1, SUP-5): one aggregate query ----------------------------


def places_past_check(on: date) -> QuerySet[KeyPlace]:
    """Key places (not revoked) whose periodic check fell due before ``on`` (SUP-5)."""
    return KeyPlace.objects.exclude(status=SiteStatus.REVOKED).filter(next_check_on__lt=on)
