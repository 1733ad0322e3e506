"""Rules for the media and devices register (SUP-6).

- The security officer keeps the register: registers, hands over, maintains, scraps, checks,
  and exports the USB whitelist.
- The system administrator sees the register (they run the endpoints that load the whitelist).
- The unit head and the leading group see it all; a department head sees the department's.
- A custodian sees their devices, checks them and reports a loss.
- A device row (asset, serial, level) is registry metadata, not classified content: ``view``
  is exempt from the clearance check; handling the device is not.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.devices.models import Device, DeviceCheck, Maintenance
from baomi.registers.roles import is_officer, is_sysadmin, oversees


def _all(user: Any) -> bool:
    return oversees(user) or is_sysadmin(user)


class DeviceRule:
    actions = frozenset({"view", "manage", "check", "report_lost"})
    clearance_exempt = frozenset({"view"})

    def can(self, user: Any, action: str, obj: Device) -> bool:
        own = obj.custodian_id == user.pk
        if action == "manage":
            return is_officer(user)  # SUP-6: the security office keeps the register
        if action in ("check", "report_lost"):
            return (
                is_officer(user) or own
            )  # SUP-6: custodian or security office; SUP-2 anyone who finds a loss
        # SUP-6: overseers, the system administrator, heads of its department, its custodian.
        return _all(user) or own or obj.department_id in user.headed_department_ids()

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset if is_officer(user) else queryset.none()
        if action in ("check", "report_lost"):
            return queryset if is_officer(user) else queryset.filter(custodian_id=user.pk)
        if _all(user):
            return queryset
        return queryset.filter(Q(custodian_id=user.pk) | Q(department_id__in=user.headed_department_ids()))


class DeviceRecordRule:
    """Checks and maintenance records follow their device's ``view``."""

    actions = frozenset({"view"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return DeviceRule().can(user, "view", obj.device)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if _all(user):
            return queryset
        return queryset.filter(
            Q(device__custodian_id=user.pk) | Q(device__department_id__in=user.headed_department_ids())
        )


def _browses(user: Any) -> bool:
    return _all(user) or bool(user.headed_department_ids()) or bool(user.devices.exists())


policy.register(Device, DeviceRule())
policy.register(DeviceCheck, DeviceRecordRule())
policy.register(Maintenance, DeviceRecordRule())
policy.register_global("devices_browse", _browses)  # SUP-6
policy.register_global("devices_manage", is_officer)  # SUP-6
policy.register_global("devices_whitelist", is_officer)  # SUP-6: the security office issues the whitelist
