"""What a bench that writes its own items and people straight to its database must do so the
product obeys them, as the services would have (shared by bench/register, bench/nodes and
bench/import):

- bind each item's mark (R-CRYPTO-5): since issue 11 §4 the policy refuses an unbound item and
  every carrier of it, so every registration of those benches was refused;
- hold the people's clearances: no personnel file stands behind them, and a clearance due to be
  derived again (``clearance_check_on``) would drop to the uncleared level on the first request
  (bench/ledger/generate.py does the same for its generated people).
"""

from __future__ import annotations

from typing import Any


def bind_items(items: list[Any]) -> None:
    from baomi.classification.marking import compute_mac
    from baomi.classification.models import Item

    for item in items:
        item.mark_mac = compute_mac(item)
        Item.objects.filter(pk=item.pk).update(mark_mac=item.mark_mac)


def hold_clearances(people: list[Any]) -> None:
    from baomi.accounts.models import User

    User.objects.filter(pk__in=[p.pk for p in people]).update(clearance_check_on=None)
