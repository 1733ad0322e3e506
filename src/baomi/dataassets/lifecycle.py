"""Transition tables of the data assets register (STYLE 2.5): pure data.

Data asset::  active --retire--> retired
Aggregation risk (R-DATA-7)::

    none --flag--> pending --clear--> not_secret
                   pending --secret--> manage_as_secret
    not_secret --flag--> pending
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.dataassets.choices import AggregationReview as A
from baomi.dataassets.choices import AssetStatus
from baomi.dataassets.events import DataAssetsEvent


class Move(NamedTuple):
    next_state: str
    action: str
    event: DataAssetsEvent


ASSET_TRANSITIONS: dict[tuple[str, str], Move] = {
    (AssetStatus.ACTIVE, "retire"): Move(AssetStatus.RETIRED, "manage", DataAssetsEvent.DATA_ASSET_RETIRED),
}

AGGREGATION_TRANSITIONS: dict[tuple[str, str], Move] = {
    (A.NONE, "flag"): Move(A.PENDING, "flag_aggregation", DataAssetsEvent.AGGREGATION_FLAGGED),
    (A.NOT_SECRET, "flag"): Move(A.PENDING, "flag_aggregation", DataAssetsEvent.AGGREGATION_FLAGGED),
    (A.PENDING, "clear"): Move(A.NOT_SECRET, "review_aggregation", DataAssetsEvent.AGGREGATION_REVIEWED),
    (A.PENDING, "secret"): Move(
        A.MANAGE_AS_SECRET, "review_aggregation", DataAssetsEvent.AGGREGATION_REVIEWED
    ),
}


def next_move(table: dict[tuple[str, str], Move], state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return table[(str(state), action)]
    except KeyError:
        raise InvalidTransition(_("This action is not allowed in the current state.")) from None
