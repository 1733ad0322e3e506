"""Measured checks of the information systems register for inspections (SUP-1;
``baomi.kit.probes``), area 7 of 实施条例 Art 58 (信息系统和信息设备管理)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from baomi.kit.probes import probe
from baomi.systems import selectors


@probe("systems.overdue_assessments", area=7, url="systems:system", label=_("System risk assessments overdue"),
       help=_("Systems in operation whose risk assessment (绝密 yearly, 机密/秘密 every two years, and after a "
              "change of level, users or environment) is overdue (R-SYS-3)."))  # fmt: skip
def overdue_assessments(on: date) -> QuerySet:
    return selectors.overdue_systems(on).order_by("next_assessment_on", "id").values_list("pk", "code")
