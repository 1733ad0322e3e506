"""Start-page tasks of the carrier registry (OPS-1): approvals, receipts, overdue loans,
inventory checks, review notices."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.carriers import queries
from baomi.kit import counts


def tasks(user: Any) -> list[dict[str, Any]]:
    queue = queries.approval_queue(user)
    approvals = counts.of(*queue.values())  # a none() queue is not counted
    overdue_mine = counts.of(queries.overdue_loans(user).filter(borrower=user))
    return [
        {"label": _("Carrier requests waiting for your approval"), "count": approvals,
         "url": reverse("carriers:approvals"), "level": "warn"},
        {"label": _("Carriers sent to you to sign for"), "count": counts.of(queries.incoming_transfers(user)),
         "url": reverse("carriers:transfers"), "level": "warn"},
        {"label": _("Borrowed carriers overdue for return"), "count": overdue_mine,
         "url": reverse("carriers:workbench"), "level": "bad"},
        {"label": _("Carriers to check in the inventory"), "count": counts.of(queries.open_inventory_tasks(user)),
         "url": reverse("carriers:inventories"), "level": "warn"},
        {"label": _("Inventory lists checked but not yet signed off"),
         "count": counts.of(queries.inventories_to_sign(user)), "url": reverse("carriers:inventories"), "level": "warn"},
        {"label": _("Destruction lists to carry out"),
         "count": counts.of(queries.destructions_for(user, "execute").filter(status="approved")),
         "url": reverse("carriers:destructions"), "level": "warn"},
        {"label": _("Archived carriers awaiting a declassification review"),
         "count": counts.of(queries.reviews_for(user).filter(handled_at__isnull=True, authority=user)),
         "url": reverse("carriers:workbench"), "level": "warn"},
        *_exchange_tasks(user),
    ]  # fmt: skip


def _exchange_tasks(user: Any) -> list[dict[str, Any]]:
    """发文 (issue 12 §3): returned receipts past their due date, for whoever sees the dispatch."""
    from baomi.carriers import exchange_queries

    return [{"label": _("Dispatches to other units whose receipt is overdue"),
             "count": counts.of(exchange_queries.overdue_receipts(user)),
             "url": reverse("carriers:exchange") + "?status=overdue", "level": "bad"}]  # fmt: skip
