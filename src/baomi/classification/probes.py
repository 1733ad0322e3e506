"""Measured checks of the classification register for inspections (SUP-1; ``baomi.kit.probes``).

Exceptions are ``(item id, "#id")`` — never the title (CAR-2) — linked to the item's page.
"""

from __future__ import annotations

from datetime import date

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from baomi.classification.choices import ItemStatus
from baomi.classification.models import Item
from baomi.kit.probes import probe


@probe("classification.past_period", area=5, url="classification:item",
       label=_("Items past their period still marked"),
       help=_("Determined items whose period or declassification date has ended and which are still "
              "classified (R-DECL-2)."))  # fmt: skip
def past_period(on: date) -> QuerySet:
    return (
        Item.objects.filter(status=ItemStatus.DETERMINED, expires_on__isnull=False, expires_on__lte=on)
        .annotate(ref=Concat(Value("#"), Cast("pk", CharField())))
        .order_by("expires_on", "id")
        .values_list("pk", "ref")
    )
