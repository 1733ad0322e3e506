"""Measured checks of the personnel records for inspections (SUP-1; ``baomi.kit.probes``).

Exceptions are ``(record id, "name（username）")`` — names are not classified (ORG-1) —
linked to the personnel file, exit case or travel request, whose policy decides again.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from baomi.kit.probes import probe
from baomi.personnel.choices import (
    Category,
    ExitStatus,
    FileStatus,
    TravelStatus,
)
from baomi.personnel.models import ExitCase, PersonnelFile, TravelRequest
from baomi.personnel.selectors import pledges_newest_first, untrained_classification_roles


def _name(prefix: str) -> Concat:
    return Concat(f"{prefix}full_name", Value("（"), f"{prefix}username", Value("）"))


@probe("personnel.pledge_missing", area=4, url="personnel:file",
       label=_("Cleared persons without a current confidentiality pledge"),
       help=_("Cleared persons whose newest pledge is missing or has lapsed (PER-2, PER-3)."))  # fmt: skip
def pledge_missing(on: date) -> QuerySet:
    newest = pledges_newest_first(OuterRef("pk")).filter(signed_on__lte=on)
    return (
        PersonnelFile.objects.filter(status=FileStatus.ACTIVE)
        .exclude(category=Category.NONE)
        .annotate(
            signed=Exists(newest), until=Subquery(newest.values("valid_until")[:1]), who=_name("user__")
        )
        .filter(Q(signed=False) | Q(until__lt=on))
        .order_by("user__username")
        .values_list("pk", "who")
    )


@probe("personnel.rereview_overdue", area=4, url="personnel:file", label=_("Re-reviews overdue"),
       help=_("Cleared persons whose periodic re-review (复审) is past due (PER-2, R-PER-3)."))  # fmt: skip
def rereview_overdue(on: date) -> QuerySet:
    return (
        PersonnelFile.objects.filter(status=FileStatus.ACTIVE, next_review_on__lt=on)
        .annotate(who=_name("user__"))
        .order_by("next_review_on", "id")
        .values_list("pk", "who")
    )


@probe("personnel.determination_training", area=5, url="personnel:file",
       label=_("Classification authorities and case handlers without current determination training"),
       help=_("Active classification authorities and case handlers with no passed 定密 training in the "
              "configured period (R-DET-12)."))  # fmt: skip
def determination_training(on: date) -> QuerySet:
    return (
        untrained_classification_roles(on)
        .annotate(who=_name(""))
        .order_by("username")
        .values_list("personnel_file__id", "who")
    )


@probe("personnel.exit_outstanding", area=4, url="personnel:exit", label=_("Exits with carriers outstanding"),
       help=_("Exits in progress whose person still holds carriers (PER-5, R-PER-6)."))  # fmt: skip
def exit_outstanding(on: date) -> QuerySet:
    from baomi.carriers.models import Carrier
    from baomi.carriers.selectors import CLOSED

    person = OuterRef("file__user_id")
    held = Carrier.objects.filter(Q(custodian_id=person) | Q(holder_id=person)).exclude(status__in=CLOSED)
    return (
        ExitCase.objects.filter(status=ExitStatus.OPEN)
        .filter(Exists(held))
        .annotate(who=_name("file__user__"))
        .order_by("started_at", "id")
        .values_list("pk", "who")
    )


@probe("personnel.travel_report_missing", area=4, url="personnel:travel",
       label=_("Travellers abroad without a post-trip report"),
       help=_("Trips whose post-trip report is past due, and travellers still recorded abroad after their "
              "return date (PER-6, R-PER-5)."))  # fmt: skip
def travel_report_missing(on: date) -> QuerySet:
    late = Q(status=TravelStatus.RETURNED, report_due_on__lt=on) | Q(
        status=TravelStatus.DEPARTED, returns_on__lt=on
    )
    return (
        TravelRequest.objects.filter(late)
        .annotate(who=_name("traveller__"))
        .order_by("returns_on", "id")
        .values_list("pk", "who")
    )
