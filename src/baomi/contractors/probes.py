"""Measured checks of the contractors register for inspections (SUP-1; ``baomi.kit.probes``),
area 10 of 实施条例 Art 58 (涉密采购和外包管理)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from baomi.contractors import selectors
from baomi.kit.probes import probe


@probe("contractors.expired_qualifications", area=10, url="contractors:qualification",
       label=_("Expired contractor qualifications"),
       help=_("Secrecy qualifications of active contractors that have expired (SUP-13, R-SITE-3)."))  # fmt: skip
def expired_qualifications(on: date) -> QuerySet:
    return selectors.expired_qualifications(on).order_by("expires_on", "id").values_list("pk", "number")
