"""Registry numbers, read for the publication screening (SUP-3): a read-only seam.

The screening finds strings shaped like a registry number with a regular expression and asks
here which of them are real carriers of items that are still secret — one indexed lookup, so a
million carriers cost no memory in the matcher. Who may *see* such a hit is decided by the
policy on the carrier when it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from baomi.carriers.models import Carrier
from baomi.classification.registry_terms import LIVE, SCREENED_LEVELS


def carriers_by_number(numbers: Iterable[str]) -> dict[str, tuple[int, str]]:
    """``{registry number: (carrier id, level)}`` for the numbers that name a carrier of a
    live item at 工作秘密 or above."""
    numbers = sorted(set(numbers))
    if not numbers:
        return {}
    rows = Carrier.objects.filter(
        registry_number__in=numbers, level__in=SCREENED_LEVELS, item__status__in=LIVE
    ).values_list("registry_number", "id", "level")
    return {number: (pk, level) for number, pk, level in rows}
