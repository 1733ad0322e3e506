"""Measured checks of the secret meetings register for inspections (SUP-1; ``baomi.kit.probes``),
area 11 of 实施条例 Art 58 (涉密会议活动管理)."""

from __future__ import annotations

import datetime as dt
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.kit.probes import probe
from baomi.meetings import selectors


@probe("meetings.unrecovered_carriers", area=11, url="carriers:detail", label=_("Meeting carriers not recovered"),
       help=_("Carriers issued at meetings that have ended and were not recovered (R-SITE-2)."))  # fmt: skip
def unrecovered_carriers(on: date) -> QuerySet:
    moment = min(timezone.now(), timezone.make_aware(dt.datetime.combine(on, dt.time.max)))
    return (
        selectors.unrecovered_carriers(moment)
        .order_by("carrier__registry_number", "id")
        .values_list("carrier_id", "carrier__registry_number")
    )
