"""Measured checks of the publication review for inspections (SUP-1, R-SITE-4 area 12
信息公开审查; ``baomi.kit.probes``). Exceptions are ``(request id, "#id")``: the subject of a
request may hold secret words, so it is never a label."""

from __future__ import annotations

from datetime import date

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from baomi.kit.probes import probe
from baomi.publication.choices import OPEN_STATES, RequestStatus
from baomi.publication.models import PublicationRequest


def _label() -> Concat:
    return Concat(Value("#"), Cast("pk", CharField()))


@probe("publication.reviews_overdue", area=12, url="publication:detail",
       label=_("Publication reviews past their deadline"),
       help=_("Open review requests past their deadline in working days (R-PUB-3)."))  # fmt: skip
def reviews_overdue(on: date) -> QuerySet:
    return (
        PublicationRequest.objects.filter(status__in=OPEN_STATES, due_on__lt=on)
        .annotate(label=_label())
        .order_by("due_on", "pk")
        .values_list("pk", "label")
    )


@probe("publication.reassessments_overdue", area=12, url="publication:detail",
       label=_("Withheld information not re-assessed in time"),
       help=_("Withheld information whose periodic re-assessment date has passed (R-PUB-2)."))  # fmt: skip
def reassessments_overdue(on: date) -> QuerySet:
    return (
        PublicationRequest.objects.filter(status=RequestStatus.WITHHELD, next_reassess_on__lt=on)
        .annotate(label=_label())
        .order_by("next_reassess_on", "pk")
        .values_list("pk", "label")
    )
