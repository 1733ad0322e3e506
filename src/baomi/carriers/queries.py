"""Permission-filtered reads for the carrier lifecycle: one carrier, its history, approval
queues, transfers, campaigns (CAR-4..11). The registry lists and ledgers live in
``selectors.py``; everything here also goes through ``access.policy``."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from baomi.access import policy
from baomi.audit.models import AuditEntry
from baomi.carriers import lifecycle
from baomi.carriers.choices import PRINTABLE_KINDS, CampaignStatus, RequestStatus, TransferStatus
from baomi.carriers.models import (
    Carrier,
    ContentConsent,
    CopyRequest,
    DeclassificationReview,
    DestructionRequest,
    DownloadRequest,
    InventoryCampaign,
    InventoryEntry,
    InventorySignOff,
    LoanRequest,
    RecallCampaign,
    TakeOutRequest,
    Transfer,
)
from baomi.carriers.selectors import outstanding_for
from baomi.classification.models import Item
from baomi.core import levels

REQUEST_MODELS: dict[str, Any] = {
    "loan": LoanRequest,
    "copy": CopyRequest,
    "download": DownloadRequest,
    "take_out": TakeOutRequest,
}

# Buttons on the carrier page: (policy action, lifecycle action, url name).
ACTIONS = (
    ("lend", "request_loan"),
    ("return", "return"),
    ("copy", "request_copy"),
    ("print", "print"),
    ("download", "request_download"),
    ("transfer", "transfer"),
    ("take_out", "request_take_out"),
    ("bring_back", "bring_back"),
    ("repair", "repair"),
    ("finish_repair", "finish_repair"),
    ("seal", "seal"),
    ("unseal", "unseal"),
    ("archive", "archive"),
    ("mark_missing", "mark_missing"),
    ("found", "found"),
    ("destroy", "request_destruction"),
    ("upload", "upload"),
    ("consent", "consent"),
)


def carrier_for(user: Any, pk: Any, action: str = "view") -> Carrier:
    """One carrier the user may ``action``; absent and forbidden look the same, refusals
    audited (CAR-3)."""
    qs = Carrier.objects.select_related("item", "custodian", "department", "holder", "parent", "blob")
    return policy.access_object(user, qs, pk, action)


def carrier_by_number(user: Any, number: str, action: str = "view") -> Carrier:
    """One carrier by its registry number, like ``carrier_for``: absent and forbidden look the
    same, and a refusal is audited (CAR-3, CAR-12)."""
    pk = Carrier.objects.filter(registry_number=number).values_list("pk", flat=True).first()
    return carrier_for(user, pk if pk is not None else 0, action)


def available_actions(user: Any, carrier: Carrier) -> list[str]:
    """The actions the user may take on the carrier now: policy and state both allow."""
    found = []
    for action, step in ACTIONS:
        if step == "consent":
            if policy.can(user, action, carrier):
                found.append(action)
            continue
        if step == "upload" and (carrier.blob_id or carrier.kind != "electronic"):
            continue
        if step == "print" and carrier.kind not in PRINTABLE_KINDS:
            continue  # CAR-4/CAR-7: a paper copy needs a copy request, not a print
        if lifecycle.permits(carrier.status, step) and policy.can(user, action, carrier):
            found.append(action)
    return found


def history(carrier: Carrier) -> QuerySet[AuditEntry]:
    """The carrier's history, straight from the audit trail (CAR-1..11); the caller has
    already been allowed to see the carrier."""
    return AuditEntry.objects.filter(target_type="carriers.carrier", target_id=str(carrier.pk)).order_by(
        "-id"
    )


def copies_of(user: Any, carrier: Carrier) -> QuerySet[Carrier]:
    return policy.visible(user, Carrier.objects.filter(parent=carrier), "view")


def requests_for(user: Any, kind: str, action: str = "view") -> QuerySet:
    model = REQUEST_MODELS[kind]
    qs = model.objects.select_related("carrier", "carrier__item", "requested_by", "decided_by")
    return policy.visible(user, qs, action)


def request_for(user: Any, kind: str, pk: Any, action: str = "view") -> Any:
    model = REQUEST_MODELS[kind]
    return policy.access_object(user, model.objects.select_related("carrier", "carrier__item"), pk, action)


def approval_queue(user: Any) -> dict[str, QuerySet]:
    """Pending requests the user may decide, by kind (CAR-4/6/9/11)."""
    queue: dict[str, QuerySet] = {
        kind: requests_for(user, kind, "approve").filter(status=RequestStatus.PENDING)
        for kind in REQUEST_MODELS
    }
    queue["destruction"] = destructions_for(user, "approve").filter(status=RequestStatus.PENDING)
    return queue


def my_requests(user: Any) -> dict[str, QuerySet]:
    return {kind: requests_for(user, kind).filter(requested_by=user)[:50] for kind in REQUEST_MODELS}


def open_loans(user: Any) -> QuerySet[LoanRequest]:
    return requests_for(user, "loan").filter(status=RequestStatus.APPROVED)


def overdue_loans(user: Any, today: Any = None) -> QuerySet[LoanRequest]:
    """Loans past their due date and not returned (CAR-6)."""
    return open_loans(user).filter(due_on__lt=today or timezone.localdate())


def transfers_for(user: Any, action: str = "view") -> QuerySet[Transfer]:
    qs = Transfer.objects.select_related("carrier", "sender", "receiver", "escort")
    return policy.visible(user, qs, action)


def transfer_for(user: Any, pk: Any, action: str = "view") -> Transfer:
    return policy.access_object(user, Transfer.objects.select_related("carrier", "carrier__item"), pk, action)


def unsigned_transfers(user: Any) -> QuerySet[Transfer]:
    """Transfers nobody has signed for yet (CAR-5)."""
    return transfers_for(user).filter(status=TransferStatus.SENT)


def incoming_transfers(user: Any) -> QuerySet[Transfer]:
    return transfers_for(user, "receive")


def destructions_for(user: Any, action: str = "view") -> QuerySet[DestructionRequest]:
    qs = DestructionRequest.objects.select_related("requested_by", "decided_by", "executed_by")
    return policy.visible(user, qs, action)


def destruction_for(user: Any, pk: Any, action: str = "view") -> DestructionRequest:
    return policy.access_object(user, DestructionRequest.objects.all(), pk, action)


def inventories_for(user: Any) -> QuerySet[InventoryCampaign]:
    return policy.visible(user, InventoryCampaign.objects.all(), "view")


def inventory_for(user: Any, pk: Any, action: str = "view") -> InventoryCampaign:
    return policy.access_object(user, InventoryCampaign.objects.all(), pk, action)


def inventory_entries(user: Any, campaign: InventoryCampaign) -> QuerySet[InventoryEntry]:
    qs = InventoryEntry.objects.filter(campaign=campaign).select_related(
        "carrier", "carrier__item", "carrier__holder", "custodian"
    )
    return policy.visible(user, qs, "view")


def inventory_custodian(campaign: InventoryCampaign, pk: Any) -> Any:
    """A custodian listed in ``campaign`` (active or not: the absent are the point, CAR-8)."""
    from django.contrib.auth import get_user_model
    from django.http import Http404

    person = get_user_model().objects.filter(pk=pk, pk__in=campaign.entries.values("custodian_id")).first()
    if person is None:
        raise Http404
    return person


def inventory_entries_for(user: Any) -> QuerySet[InventoryEntry]:
    """Every inventory entry the user may see (CAR-8)."""
    return policy.visible(user, InventoryEntry.objects.all(), "view")


def inventory_entry_for(user: Any, pk: Any) -> InventoryEntry:
    return policy.access_object(
        user, InventoryEntry.objects.select_related("carrier", "campaign"), pk, "check"
    )


def open_inventory_tasks(user: Any) -> QuerySet[InventoryEntry]:
    """Carriers the user still has to check in an open inventory (CAR-8)."""
    return InventoryEntry.objects.filter(
        custodian=user, campaign__status=CampaignStatus.OPEN, result="pending"
    ).select_related("campaign")


def inventories_to_sign(user: Any) -> QuerySet[InventoryCampaign]:
    """Open inventories where every carrier on the user's list is checked but the list is not
    signed yet: the campaign cannot close until it is (CAR-8)."""
    mine = InventoryEntry.objects.filter(campaign=OuterRef("pk"), custodian=user)
    signed = InventorySignOff.objects.filter(campaign=OuterRef("pk"), custodian=user)
    # EXISTS tests rather than a join made distinct: one row per campaign, no DISTINCT to count.
    return InventoryCampaign.objects.filter(
        Exists(mine), ~Exists(mine.filter(result="pending")), ~Exists(signed), status=CampaignStatus.OPEN
    )


def recalls_for(user: Any) -> QuerySet[RecallCampaign]:
    return policy.visible(user, RecallCampaign.objects.all(), "view")


def recall_for(user: Any, pk: Any, action: str = "view") -> RecallCampaign:
    return policy.access_object(user, RecallCampaign.objects.all(), pk, action)


def reviews_for(user: Any) -> QuerySet[DeclassificationReview]:
    qs = DeclassificationReview.objects.select_related("item", "carrier")
    return policy.visible(user, qs, "view")


def consents_for(user: Any, carrier: Carrier) -> QuerySet[ContentConsent]:
    return policy.visible(user, ContentConsent.objects.filter(item_id=carrier.item_id), "view")


def consent_for(user: Any, pk: Any, action: str = "revoke") -> ContentConsent:
    return policy.access_object(user, ContentConsent.objects.select_related("item"), pk, action)


def consents(user: Any) -> QuerySet[ContentConsent]:
    """Every consent the user may see (R-AC-3): the unit head's, an authority's own items', the
    registry's — newest first."""
    qs = ContentConsent.objects.select_related("item", "recorded_by").order_by("-recorded_at", "-id")
    return policy.visible(user, qs, "view")


def consent_items(user: Any) -> QuerySet[Any]:
    """The 绝密 items the user may record a consent for (R-AC-3): no scope needed, so the page
    shows their document number and mark, never title or content."""
    from baomi.classification.models import Item

    qs = Item.objects.select_related("department").order_by("-id")
    return policy.visible(user, qs, "record_consent")


def consent_item_for(user: Any, pk: Any) -> Any:
    """One item to record a consent for, or not found (absent and forbidden alike, audited)."""
    from baomi.classification.models import Item

    return policy.access_object(user, Item.objects.select_related("department"), pk, "record_consent")


def people(user: Any) -> QuerySet:
    """Active accounts to pick as borrower, receiver, witness (names only)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True).select_related("department").order_by("username")


def registrable_items(user: Any) -> QuerySet:
    """Live items whose level the user's clearance reaches and the deployment may hold, for
    the registration form (CAR-1, SEC-8)."""

    allowed = [
        lv
        for lv in levels.Level.values
        if policy.clearance_dominates(user, lv)
        and levels.within_ceiling(lv)
        and lv not in levels.NON_SECRET_LEVELS  # CAR-1: non-secrets have no classified carriers
    ]
    return Item.objects.filter(
        status__in=("proposed", "pending_upward", "determined"), level__in=allowed
    ).order_by("-id")


def holdings(user: Any) -> QuerySet[Carrier]:
    """What the person holds now: custody, loans, take-outs (the workbench list)."""

    return policy.visible(user, outstanding_for(user), "view").select_related("item")


def visible_carriers(user: Any) -> QuerySet[Carrier]:
    return policy.visible(user, Carrier.objects.select_related("item"), "view")


def people_by_username(username: str) -> Any:
    return people(None).filter(username=username).first()


def review_for(user: Any, pk: Any, action: str = "handle") -> DeclassificationReview:
    return policy.access_object(
        user, DeclassificationReview.objects.select_related("item", "carrier"), pk, action
    )


# --- the registers a carrier names (SUP-5, SUP-6, SUP-13) ---------------------------------------


def cabinets(user: Any) -> QuerySet:
    """Registered cabinets in use, to choose where a carrier is kept (R-CAR-12 is the service's)."""
    from baomi.sites.selectors import in_use_cabinets

    return in_use_cabinets(user).select_related("place")


def devices(user: Any) -> QuerySet:
    """Registered devices and media in use or in store, to name what an electronic file is on."""
    from baomi.devices.selectors import devices as device_list

    return device_list(user).filter(status__in=["in_use", "procured", "maintenance"])


def qualified_contractors(work: str, level: str) -> QuerySet:
    """Contractors with a current qualification for ``work`` covering ``level`` (R-SITE-3):
    the only ones offered; an expired qualification cannot be chosen."""
    from baomi.contractors.selectors import qualified_contractors as qualified

    return qualified(work, level)


def unregistered_place_carriers() -> QuerySet:
    """Live carriers kept in a place that is no registered cabinet (the words as written, SUP-5)."""
    return (
        Carrier.objects.filter(cabinet__isnull=True)
        .exclude(storage_place="")
        .exclude(status__in=["destroyed", "returned"])
    )


def measure_unregistered_places() -> dict[str, int]:
    """Live carriers kept in a place that is no registered cabinet: how many carriers, and how
    many distinct places they name (words as written). One aggregate query (SUP-1)."""
    from django.db.models import Count

    return unregistered_place_carriers().aggregate(
        count=Count("pk"), places=Count("storage_place", distinct=True)
    )


# --- handing back and loans (issue 13): what a person holds, and how it comes back -------------

#: The steps that bring a held carrier back, in the order they are offered.
HAND_BACK_STEPS = ("return", "bring_back", "transfer")


def hand_back_steps(user: Any, carriers: Any) -> list[tuple[Carrier, list[str]]]:
    """Each carrier with the steps ``user`` may take now to bring it back (registering a loan's
    return, a take-out's bringing back, a custodian's handing over) — policy and state both
    allow; the exit case (PER-5) and the person leaving list them with a link each."""
    out = []
    for carrier in carriers:
        may = set(available_actions(user, carrier))
        out.append((carrier, [s for s in HAND_BACK_STEPS if s in may]))
    return out


def loans_of(user: Any) -> QuerySet:
    """The person's own loans not yet returned, with their due dates (CAR-6): what a borrower
    has to bring back and by when."""
    from baomi.carriers.models import LoanRequest

    return (
        LoanRequest.objects.filter(borrower=user, returned_at__isnull=True)
        .filter(status__in=(RequestStatus.PENDING, RequestStatus.APPROVED))
        .select_related("carrier")
        .order_by("due_on", "pk")
    )
