"""Start-page tasks of the carrier registry (OPS-1): approvals, receipts, overdue loans,
inventory checks, review notices."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.carriers import queries


def tasks(user: Any) -> list[dict[str, Any]]:
    queue = queries.approval_queue(user)
    approvals = sum(
        qs.count() for qs in queue.values() if not qs.query.is_empty()
    )  # none(): nothing to count
    overdue_mine = queries.overdue_loans(user).filter(borrower=user).count()
    return [
        {"label": _("Carrier requests waiting for your approval"), "count": approvals,
         "url": reverse("carriers:approvals"), "level": "warn"},
        {"label": _("Carriers sent to you to sign for"), "count": queries.incoming_transfers(user).count(),
         "url": reverse("carriers:transfers"), "level": "warn"},
        {"label": _("Borrowed carriers overdue for return"), "count": overdue_mine,
         "url": reverse("carriers:workbench"), "level": "bad"},
        {"label": _("Carriers to check in the inventory"), "count": queries.open_inventory_tasks(user).count(),
         "url": reverse("carriers:inventories"), "level": "warn"},
        {"label": _("Inventory lists checked but not yet signed off"),
         "count": queries.inventories_to_sign(user).count(), "url": reverse("carriers:inventories"), "level": "warn"},
        {"label": _("Destruction lists to carry out"),
         "count": queries.destructions_for(user, "execute").filter(status="approved").count(),
         "url": reverse("carriers:destructions"), "level": "warn"},
        {"label": _("Archived carriers awaiting a declassification review"),
         "count": queries.reviews_for(user).filter(handled_at__isnull=True, authority=user).count(),
         "url": reverse("carriers:workbench"), "level": "warn"},
        *_exchange_tasks(user),
    ]  # fmt: skip


def _exchange_tasks(user: Any) -> list[dict[str, Any]]:
    """发文 (issue 12 §3): returned receipts past their due date, for whoever sees the dispatch."""
    from baomi.carriers import exchange_queries

    return [{"label": _("Dispatches to other units whose receipt is overdue"),
             "count": exchange_queries.overdue_receipts(user).count(),
             "url": reverse("carriers:exchange") + "?status=overdue", "level": "bad"}]  # fmt: skip
