"""Classification services: determination, change, extension, lifting, expiry, scope, notices,
the guide, disputes, the calendar and the annual review (CLS-1..11, R-DET, R-CHG, R-DECL,
R-SCOPE, R-MARK-7/8).

Every service takes the acting user first and follows STYLE 2.2: lock → policy → lifecycle →
mutate → save(update_fields) → audit, in one transaction (``@service``). Whenever an item's level
changes the item's carriers are re-levelled in the same transaction (CLS-2). Audit details carry
ids and codes, never titles (CAR-2).

The services live in one module per lifecycle (``determine``, ``change``, ``scope``,
``notices``, ``matters``, ``review``, ``existing`` — determinations recorded from a ledger; shared checks in ``_common``); this package re-exports
every public name, so callers write ``services.propose_item(...)`` as before.
"""

from __future__ import annotations

from baomi.classification.services._common import (
    DURATION_FIELDS,
    EMPTY_DURATION,
    build_duration,
    duration_columns,
    scope_people,
    unit_authority_covers,
    validate,
)
from baomi.classification.services.change import (
    due_for_expiry,
    expire_items,
    propose_change,
    reminder_lead_days,
    send_expiry_reminders,
)
from baomi.classification.services.determine import (
    approve_request,
    propose_item,
    refuse_request,
    withdraw_request,
)
from baomi.classification.services.existing import record_existing_determination
from baomi.classification.services.matters import (
    GUIDE_FIELDS,
    add_claim,
    create_guide_entry,
    decide_matter,
    default_report_to,
    open_matter,
    remove_calendar_day,
    report_matter,
    seed_calendar,
    set_calendar_day,
    update_guide_entry,
)
from baomi.classification.services.notices import acknowledge_notice
from baomi.classification.services.review import close_review, decide_review, open_review
from baomi.classification.services.scope import (
    decide_expansion,
    designate_expansion_approver,
    grant_scope,
    record_item_view,
    request_expansion,
    request_expansion_by_reference,
    revoke_expansion_designee,
    revoke_person_from_scopes,
    revoke_scope,
)

__all__ = [
    "DURATION_FIELDS",
    "EMPTY_DURATION",
    "GUIDE_FIELDS",
    "acknowledge_notice",
    "add_claim",
    "approve_request",
    "build_duration",
    "close_review",
    "create_guide_entry",
    "decide_expansion",
    "decide_matter",
    "decide_review",
    "default_report_to",
    "designate_expansion_approver",
    "due_for_expiry",
    "duration_columns",
    "expire_items",
    "grant_scope",
    "open_matter",
    "open_review",
    "propose_change",
    "propose_item",
    "record_existing_determination",
    "record_item_view",
    "refuse_request",
    "reminder_lead_days",
    "remove_calendar_day",
    "report_matter",
    "request_expansion",
    "request_expansion_by_reference",
    "revoke_expansion_designee",
    "revoke_person_from_scopes",
    "revoke_scope",
    "scope_people",
    "seed_calendar",
    "send_expiry_reminders",
    "set_calendar_day",
    "unit_authority_covers",
    "update_guide_entry",
    "validate",
    "withdraw_request",
]
