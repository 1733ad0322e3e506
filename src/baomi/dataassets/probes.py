"""Measured checks of the data assets register for inspections (SUP-1; ``baomi.kit.probes``),
area 13 of 实施条例 Art 58 (其他保密管理: data security)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from baomi.dataassets import selectors
from baomi.kit.probes import probe


@probe("dataassets.overdue_assessments", area=13, url="dataassets:asset",
       label=_("Important data risk assessments overdue"),
       help=_("Important and core data sets whose yearly risk assessment is overdue (R-DATA-4)."))  # fmt: skip
def overdue_assessments(on: date) -> QuerySet:
    return selectors.overdue_assets(on).order_by("next_assessment_on", "id").values_list("pk", "code")
