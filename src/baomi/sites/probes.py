"""Measured checks of the key places register for inspections (SUP-1; ``baomi.kit.probes``),
area 9 of 实施条例 Art 58 (保密要害部门部位管理)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from baomi.kit.probes import probe
from baomi.sites import selectors


@probe("sites.places_past_check", area=9, url="sites:place", label=_("Key places past their periodic check"),
       help=_("Key places whose periodic check fell due before the day of the inspection (SUP-5)."))  # fmt: skip
def places_past_check(on: date) -> QuerySet:
    return selectors.places_past_check(on).order_by("next_check_on", "id").values_list("pk", "code")
