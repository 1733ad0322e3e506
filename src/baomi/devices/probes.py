"""Measured checks of the media and devices register for inspections (SUP-1;
``baomi.kit.probes``), area 7 of 实施条例 Art 58 (信息系统和信息设备管理)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from baomi.devices import selectors
from baomi.kit.probes import probe


@probe("devices.past_check", area=7, url="devices:device", label=_("Media and devices past their periodic check"),
       help=_("Devices and removable media in use whose periodic check fell due before the day (SUP-6)."))  # fmt: skip
def past_check(on: date) -> QuerySet:
    return selectors.past_check(on).order_by("next_check_on", "id").values_list("pk", "asset_number")
