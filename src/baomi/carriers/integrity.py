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

from django.utils.translation import gettext_lazy as _

from baomi.access.errors import INTEGRITY_REASON, AccessDenied
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


class IntegrityHold(AccessDenied):
    """A batch — a destruction list — holds a carrier whose integrity check failed (CLS-7,
    R-CRYPTO-5, issue 11 §4). Never dropped silently from a destruction record: the list is
    refused, with a message that names no carrier, until the security office has dealt with it;
    the security officer, who oversees integrity, gets the list with the carrier flagged. An
    ``AccessDenied`` (reason ``integrity_failed``, target the tampered carrier) so the ``@service``
    decorator audits it as every refusal — ACCESS_DENIED and the INTEGRITY_FAILED alarm — but
    said, not hidden as not found: whoever asks may see the batch."""

    code = "integrity_hold"
    status = 409
    default_message = _(
        "A carrier in this batch failed its integrity check (its level or number no longer matches "
        "its seal). The security office must deal with it before the list can be printed or the "
        "destruction carried out."
    )

    def __init__(self, action: str, target: Any) -> None:
        super().__init__(action=action, target=target, reason=INTEGRITY_REASON)


def hold_tampered(actor: Any, action: str, carriers: list[Any], *, overseer_sees: bool = False) -> list[Any]:
    """The carriers of a batch whose integrity check fails, each alarmed (INTEGRITY_FAILED);
    :class:`IntegrityHold` if there is one — unless ``overseer_sees`` and ``actor`` oversees
    integrity (the security officer), who then gets them to flag. A check inside a service,
    after its policy check."""
    from baomi.access import policy

    tampered = [c for c in carriers if policy.integrity_failed(c)]
    if not tampered:
        return []
    if overseer_sees and policy.oversees_integrity(actor):
        policy.screen(actor, tampered, "view")  # the overseer's view of each, alarmed (outcome ok)
        return tampered
    raise IntegrityHold(action, tampered[0])
