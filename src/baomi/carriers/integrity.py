"""The integrity binding of a carrier (CLS-7, R-CRYPTO-5, SEC-3): a MAC under the audit key over
what decides who may hold and read it — its registry number, 份号, kind, item and level — stored
in ``Carrier.mark_mac`` and checked by the access policy on every decision.

A level lowered (or a carrier moved to another item, renumbered) directly in the database no
longer matches its MAC: the policy refuses the carrier to everybody but the security officer,
who sees it flagged, and the check is audited as INTEGRITY_FAILED (an alert). The binding does
not use the row id, so it is computed before the row is inserted (``bulk_create``); the
registry number is unique and permanent instead. Services that set these fields bind again:
registration and ``relevel_carriers``. Migration 0008 bound the rows that existed before.
"""

from __future__ import annotations

from typing import Any

from baomi.core import marks

TARGET = "carriers.carrier"


def _scope(carrier: Any) -> str:
    return f"{carrier.item_id}|{carrier.copy_number}|{carrier.kind}"


def compute_mac(carrier: Any) -> str:
    """The MAC binding the carrier's level to its number, 份号, kind and item (R-CRYPTO-5)."""
    return marks.mark_mac(TARGET, carrier.registry_number, str(carrier.level), scope=_scope(carrier))


def tampered(carrier: Any) -> bool:
    """Whether the stored MAC fails: someone changed the level, number or item outside the
    services, or inserted the row without one."""
    return not marks.verify_mark_mac(
        carrier.mark_mac, TARGET, carrier.registry_number, str(carrier.level), scope=_scope(carrier)
    )
