"""Measured checks of the carrier registry for inspections (SUP-1; ``baomi.kit.probes``).

Each returns the exceptions as ``(carrier id, registry number)`` rows — the number, never the
title (CAR-2) — linked to the carrier's page, where the carriers policy decides again.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from baomi.carriers.choices import (
    CampaignStatus,
    CarrierStatus,
    InventoryResult,
    RequestStatus,
    TransferStatus,
)
from baomi.carriers.models import (
    Carrier,
    DestructionRequest,
    InventoryCampaign,
    InventoryEntry,
    LoanRequest,
    Transfer,
)
from baomi.kit.probes import probe

# Exceptions over the whole registry are ordered by lower(registry number), which no index
# provides: the planner then filters the table once and sorts the few exceptions, instead of
# walking the registry-number index over a million rows hoping to meet the LIMIT early (the
# window count needs every row anyway; bench/selfcheck measured 3× the time that way).

# Carriers a unit still holds and must count (everything not archived, returned or destroyed).
HELD = [s for s in CarrierStatus.values if s not in (CarrierStatus.ARCHIVED, CarrierStatus.RETURNED,
                                                    CarrierStatus.DESTROYED, CarrierStatus.MISSING,
                                                    CarrierStatus.DISPATCHED)]  # fmt: skip


@probe("carriers.loans_overdue", area=6, url="carriers:detail", label=_("Loans past their due date"),
       help=_("Approved loans not returned by their due date (CAR-6)."))  # fmt: skip
def loans_overdue(on: date) -> QuerySet:
    return (
        LoanRequest.objects.filter(status=RequestStatus.APPROVED, due_on__lt=on)
        .order_by("due_on", "id")
        .values_list("carrier_id", "carrier__registry_number")
    )


@probe("carriers.transfers_unsigned", area=6, url="carriers:detail", label=_("Transfers nobody has signed for"),
       help=_("Carriers sent before the day of the check and not yet signed for by the receiver (CAR-5)."))  # fmt: skip
def transfers_unsigned(on: date) -> QuerySet:
    return (
        Transfer.objects.filter(status=TransferStatus.SENT, sent_at__date__lt=on)
        .order_by("sent_at", "id")
        .values_list("carrier_id", "carrier__registry_number")
    )


@probe("carriers.not_inventoried", area=6, url="carriers:detail",
       label=_("Carriers not found present by the last inventory"),
       help=_("Carriers still held that the last closed inventory listed but did not find present (CAR-8, "
              "账物相符)."))  # fmt: skip
def not_inventoried(on: date) -> QuerySet:
    # An inventory lists every carrier in custody when it starts (services.start_inventory), so
    # its own entries are the population: no anti-join over the whole registry (bench/selfcheck).
    last = InventoryCampaign.objects.filter(status=CampaignStatus.CLOSED).order_by("-closed_at", "-id")
    return (
        InventoryEntry.objects.filter(campaign_id=Subquery(last.values("pk")[:1]), carrier__status__in=HELD)
        .exclude(result=InventoryResult.CONFIRMED)
        .order_by(Lower("carrier__registry_number"), "id")
        .values_list("carrier_id", "carrier__registry_number")
    )


@probe("carriers.missing", area=6, url="carriers:detail", label=_("Carriers reported missing and not found"),
       help=_("Carriers whose status is missing (CAR-8): lost, or not found by an inventory."))  # fmt: skip
def missing(on: date) -> QuerySet:
    return (
        Carrier.objects.filter(status=CarrierStatus.MISSING)
        .order_by(Lower("registry_number"), "id")
        .values_list("pk", "registry_number")
    )


@probe("carriers.destroyed_without_witnesses", area=6, url="carriers:detail",
       label=_("Carriers destroyed without two witnesses"),
       help=_("Destroyed carriers with no executed destruction list signed by two different witnesses "
              "(R-CAR-11)."))  # fmt: skip
def destroyed_without_witnesses(on: date) -> QuerySet:
    witnessed = DestructionRequest.objects.filter(
        carriers=OuterRef("pk"), executed_at__isnull=False, witness_1__isnull=False, witness_2__isnull=False
    ).exclude(witness_1=F("witness_2"))
    return (
        Carrier.objects.filter(status=CarrierStatus.DESTROYED)
        .filter(~Exists(witnessed))
        .order_by(Lower("registry_number"), "id")
        .values_list("pk", "registry_number")
    )


@probe("carriers.unregistered_places", area=9, url="carriers:detail", label=_("Carriers kept in unregistered places"),
       help=_("Live carriers whose storage place is no registered cabinet of a key place (SUP-5, R-CAR-12)."))  # fmt: skip
def unregistered_places(on: date) -> QuerySet:
    from baomi.carriers.queries import unregistered_place_carriers

    return (
        unregistered_place_carriers()
        .order_by(Lower("registry_number"), "id")
        .values_list("pk", "registry_number")
    )
