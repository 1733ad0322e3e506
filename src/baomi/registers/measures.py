"""The measured checks the supervision registers give the inspection template (SUP-1; SUP-5,
SUP-6, SUP-7, SUP-8, SUP-12, SUP-13): each one aggregate query over the whole unit, returning
``{"count": n, ...}`` (``count`` is the finding: zero means the check passes).

They are plain selector functions; the inspections app registers them as probes where it
keeps a probe registry (see docs/registers.md). They take no viewer: an inspection measures the
unit, and the inspector's own policy decides who runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    requirement: str
    func: Callable[[], dict[str, int]]


def measures() -> list[Measure]:
    from baomi.contractors.selectors import measure_expired_qualifications
    from baomi.dataassets.selectors import measure_overdue_assessments as data_overdue
    from baomi.devices.selectors import measure_past_check
    from baomi.meetings.selectors import measure_unrecovered_carriers
    from baomi.sites.selectors import measure_unregistered_places
    from baomi.systems.selectors import measure_overdue_assessments as systems_overdue

    return [
        Measure("sites.unregistered_places", _("Carriers kept in unregistered places"), "SUP-5",
                measure_unregistered_places),
        Measure("devices.past_check", _("Media and devices past their periodic check"), "SUP-6", measure_past_check),
        Measure("systems.overdue_assessments", _("System risk assessments overdue"), "R-SYS-3", systems_overdue),
        Measure("dataassets.overdue_assessments", _("Important data risk assessments overdue"), "R-DATA-4",
                data_overdue),
        Measure("contractors.expired_qualifications", _("Expired contractor qualifications"), "SUP-13",
                measure_expired_qualifications),
        Measure("meetings.unrecovered_carriers", _("Meeting carriers not recovered"), "R-SITE-2",
                measure_unrecovered_carriers),
    ]  # fmt: skip
