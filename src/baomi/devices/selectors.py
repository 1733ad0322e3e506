"""Reads of the media and devices register (SUP-6), narrowed by ``access.policy.visible``; and
the whitelist query the USBGuard export is built from."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import Department, User
from baomi.accounts.selectors import subtree_ids
from baomi.devices.choices import REMOVABLE_KINDS, DeviceKind, DeviceStatus
from baomi.devices.models import Device, DeviceCheck, Maintenance
from baomi.kit import rectification

RELATED = ("custodian", "department", "place")


def devices(viewer: Any, *, q: str = "", kind: str = "", status: str = "", department: str = "",
            level: str = "", action: str = "view") -> QuerySet[Device]:  # fmt: skip
    qs = visible(viewer, Device.objects.select_related(*RELATED), action)
    if q:
        qs = qs.filter(Q(asset_number__icontains=q) | Q(serial__icontains=q) | Q(model_name__icontains=q))
    if kind == "removable":
        qs = qs.filter(kind__in=REMOVABLE_KINDS)
    elif kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if department.isdigit():
        qs = qs.filter(department_id=int(department))
    return qs


def get_device(viewer: Any, pk: Any, action: str = "view") -> Device:
    return access_object(viewer, Device.objects.select_related(*RELATED), pk, action)


def device_by_asset(viewer: Any, asset_number: str, action: str = "view") -> Device | None:
    return (
        visible(viewer, Device.objects.select_related(*RELATED), action)
        .filter(asset_number=asset_number)
        .first()
    )


def checks_of(viewer: Any, device: Device) -> QuerySet[DeviceCheck]:
    return DeviceCheck.objects.filter(device=device).select_related("checker") if _sees(viewer, device) else \
        DeviceCheck.objects.none()  # fmt: skip


#: the origin key of a device check in the rectification loop (``baomi.kit.rectification``)
CHECK_ORIGIN = "devices.device_check"


def rectification_tasks(checks: Any) -> dict[int, list[dict[str, Any]]]:
    """The loop's rectification tasks of these device checks, by check, in one query (SUP-1 整改)."""
    return rectification.tasks_of(CHECK_ORIGIN, [c.pk for c in checks if c.result == "problem"])


def maintenances_of(viewer: Any, device: Device) -> QuerySet[Maintenance]:
    qs = Maintenance.objects.filter(device=device).select_related("contractor", "qualification", "supervisor")
    return qs if _sees(viewer, device) else qs.none()


def _sees(viewer: Any, device: Device) -> bool:
    return visible(viewer, Device.objects.filter(pk=device.pk), "view").exists()


def checks_due(viewer: Any, on: date | None = None) -> QuerySet[Device]:
    """Devices in use whose periodic check is due by ``on`` (SUP-6)."""
    day = on or timezone.localdate()
    return devices(viewer, status=DeviceStatus.IN_USE, action="check").filter(next_check_on__lte=day)


def computers(viewer: Any) -> QuerySet[Device]:
    return devices(viewer, kind=DeviceKind.COMPUTER).exclude(status=DeviceStatus.SCRAPPED)


def whitelist_media(
    *, department: Department | None = None, computer: Device | None = None
) -> QuerySet[Device]:
    """The registered, in-use removable media of a department and its sub-departments, or of a
    computer: those bound to it, and those of its department bound to no computer (SUP-6).
    Lost, scrapped, procured and maintained media are never on it."""
    qs = (
        Device.objects.filter(kind__in=REMOVABLE_KINDS, status=DeviceStatus.IN_USE)
        .select_related("custodian", "department")
        .prefetch_related("hosts")
    )
    if computer is not None:
        qs = qs.filter(Q(hosts=computer) | Q(hosts__isnull=True, department_id=computer.department_id))
    elif department is not None:
        qs = qs.filter(department_id__in=subtree_ids(department))
    return qs.distinct().order_by("asset_number")


def departments() -> QuerySet[Department]:
    return Department.objects.all()


def department_by_code(code: str) -> Department | None:
    return Department.objects.filter(code=code).first()


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("department").order_by("username")


# --- measured check for inspections (SUP-1, SUP-6): one aggregate query ----------------------------


def past_check(on: date) -> QuerySet[Device]:
    """Devices in use whose periodic check fell due before ``on`` (SUP-6)."""
    return Device.objects.filter(status=DeviceStatus.IN_USE, next_check_on__lt=on)


def measure_past_check(on: date | None = None) -> dict[str, int]:
    """Devices in use whose periodic check is overdue on ``on`` (today): all of them, and the
    removable media among them. One aggregate query."""
    from django.db.models import Count

    return past_check(on or timezone.localdate()).aggregate(
        count=Count("pk"), media=Count("pk", filter=Q(kind__in=REMOVABLE_KINDS))
    )
