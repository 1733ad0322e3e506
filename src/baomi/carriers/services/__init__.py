"""Carrier services: registration and every lifecycle move (CAR-1..13).

Every function here follows the same order (STYLE 2.2): lock the rows → ``access.require`` →
lifecycle check (``lifecycle.py``) → mutate → ``save(update_fields=…)`` → ``audit.record``.
Lifecycle events target the carrier itself, so its history is read straight from the audit
trail; details carry ids and numbers, never titles or content (CAR-2).

The services live in one module per lifecycle (``register``, ``lend``, ``copy``, ``download``,
``transfer``, ``print``, ``custody``, ``inventory``, ``destroy``, ``content``; shared steps in
``_common`` and ``requests``); this package re-exports every public name, so callers write
``from baomi.carriers import services`` and ``services.lend(...)`` as before.
"""

from __future__ import annotations

from baomi.carriers.services._common import (
    GONE,
    KIND_CODE,
    LIVE_ITEM_STATES,
    MAX_COPIES,
    format_registry_number,
    relevel_carriers,
)
from baomi.carriers.services.copy import approve_copy, request_copy
from baomi.carriers.services.custody import (
    approve_take_out,
    archive_carrier,
    bring_back,
    close_review_notice,
    finish_repair,
    found_carrier,
    mark_missing,
    request_take_out,
    seal_carrier,
    start_repair,
    unseal_carrier,
)
from baomi.carriers.services.destroy import (
    approve_destruction,
    execute_destruction,
    reject_destruction,
    request_destruction,
)
from baomi.carriers.services.download import approve_download, needs_download_approval, request_download
from baomi.carriers.services.exchange import (
    approve_dispatch,
    create_external_unit,
    needs_approval,
    record_receipt,
    register_incoming,
    reject_dispatch,
    request_dispatch,
    send_dispatch,
    update_external_unit,
    withdraw_dispatch,
)
from baomi.carriers.services.inventory import (
    check_inventory_entry,
    close_inventory,
    close_recall,
    hand_over_inventory,
    hand_over_on_exit,
    launch_recall,
    record_recall_return,
    sign_inventory,
    sign_inventory_in_place,
    start_inventory,
)
from baomi.carriers.services.lend import approve_loan, remind_overdue_loans, request_loan, return_carrier
from baomi.carriers.services.places import link_storage_places
from baomi.carriers.services.print import register_print
from baomi.carriers.services.register import (
    TEXT_LIMITS,
    CarrierRow,
    RowsRefused,
    batch_problems,
    check_registration,
    record_consent,
    record_item_consent,
    register_carrier,
    register_carriers,
    revoke_consent,
)
from baomi.carriers.services.requests import REJECT_EVENTS, reject_request, withdraw_request
from baomi.carriers.services.transfer import receive_carrier, send_carrier

__all__ = [
    "GONE",
    "KIND_CODE",
    "LIVE_ITEM_STATES",
    "MAX_COPIES",
    "REJECT_EVENTS",
    "TEXT_LIMITS",
    "CarrierRow",
    "RowsRefused",
    "approve_copy",
    "approve_destruction",
    "approve_dispatch",
    "approve_download",
    "approve_loan",
    "approve_take_out",
    "archive_carrier",
    "batch_problems",
    "bring_back",
    "check_inventory_entry",
    "check_registration",
    "close_inventory",
    "close_recall",
    "close_review_notice",
    "create_external_unit",
    "execute_destruction",
    "finish_repair",
    "format_registry_number",
    "found_carrier",
    "hand_over_inventory",
    "hand_over_on_exit",
    "launch_recall",
    "link_storage_places",
    "mark_missing",
    "needs_approval",
    "needs_download_approval",
    "receive_carrier",
    "record_consent",
    "record_item_consent",
    "record_recall_return",
    "record_receipt",
    "register_carrier",
    "register_carriers",
    "register_incoming",
    "register_print",
    "reject_destruction",
    "reject_dispatch",
    "reject_request",
    "relevel_carriers",
    "remind_overdue_loans",
    "request_copy",
    "request_destruction",
    "request_dispatch",
    "request_download",
    "request_loan",
    "request_take_out",
    "return_carrier",
    "revoke_consent",
    "seal_carrier",
    "send_carrier",
    "send_dispatch",
    "sign_inventory",
    "sign_inventory_in_place",
    "start_inventory",
    "start_repair",
    "unseal_carrier",
    "update_external_unit",
    "withdraw_dispatch",
    "withdraw_request",
]
