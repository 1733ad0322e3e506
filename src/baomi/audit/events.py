"""Audit event types (SEC-3): numeric codes, a block per app.

The stored code is numeric and part of each entry's MAC, so a code never changes meaning.
:class:`AuditEvent` holds the codes of the first apps and of the system — 1xx accounts,
2xx classification, 3xx carriers, 4xx personnel, 5xx supervision, 6xx vault, 9xx system —
and stays as it is (``AuditEvent.CARRIER_REGISTERED`` keeps working everywhere).

Every newer app owns its codes in its own ``events.py``: one ``models.IntegerChoices`` whose
values lie in the block its ``AppConfig`` declares (``event_block``, the ``events`` part of
``baomi.kit.registry``), e.g. ``inspections/events.py``::

    class InspectionEvent(models.IntegerChoices):
        INSPECTION_OPENED = 1000, _("Inspection opened")

and writes ``record(actor, InspectionEvent.INSPECTION_OPENED, obj)``. The registry checks at
start-up that the codes stay inside the block and that no two blocks overlap. Blocks reserved
for the apps being built (docs/architecture.md): 1000-1099 inspections, 1100-1199 incidents,
1200-1299 publication, 1300-1399 governance, 1400-1499 sites, 1500-1599 devices, 1600-1699
systems, 1700-1799 data, 1800-1899 meetings, 1900-1999 visitors, 2000-2099 contractors,
2100-2199 monitoring, 2200-2299 reports, 2300-2399 ops/imports/backup, 2400-2499 exchange
with other units. Names are ``<OBJECT>_<PAST_PARTICIPLE>``; labels are translated for display.
"""

from __future__ import annotations

from types import ModuleType

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.IntegerChoices):
    # --- 1xx accounts ---------------------------------------------------------------------
    LOGIN_SUCCEEDED = 100, _("Login succeeded")
    LOGIN_FAILED = 101, _("Login failed")
    LOGGED_OUT = 102, _("Logged out")
    ACCOUNT_LOCKED = 103, _("Account locked")
    SESSION_EXPIRED = 104, _("Session expired (idle)")
    USER_CREATED = 110, _("User created")
    USER_UPDATED = 111, _("User updated")
    USER_DISABLED = 112, _("User disabled")
    USER_ENABLED = 113, _("User enabled")
    USER_UNLOCKED = 114, _("User unlocked")
    ROLE_ASSIGNED = 120, _("Role assigned")
    ROLE_REVOKED = 121, _("Role revoked")
    CLEARANCE_CHANGED = 122, _("Clearance changed")
    PASSWORD_CHANGED = 130, _("Password changed")
    PASSWORD_RESET = 131, _("Password reset")
    TOTP_ENROLLED = 132, _("Second factor enrolled")
    TOTP_FAILED = 133, _("Second factor failed")
    TOTP_RESET = 134, _("Second factor reset")
    RECOVERY_CODE_USED = 135, _("Recovery code used")
    TOKEN_CREATED = 136, _("API token created")
    TOKEN_REVOKED = 137, _("API token revoked")
    RECOVERY_CODES_REGENERATED = 138, _("Recovery codes regenerated")
    DEPARTMENT_CREATED = 140, _("Department created")
    DEPARTMENT_UPDATED = 141, _("Department updated")
    SETTING_CHANGED = 150, _("Setting changed")
    PASSWORD_HANDED_OVER = 160, _("One-time password handed over in person")
    ORG_CHANGE_PROPOSED = 161, _("Organisation change proposed")
    ORG_CHANGE_CONFIRMED = 162, _("Organisation change confirmed")
    ORG_CHANGE_REFUSED = 163, _("Organisation change refused")
    ORG_CHANGE_WITHDRAWN = 164, _("Organisation change withdrawn")
    USERS_EXPORTED = 165, _("User list exported")

    # --- 2xx classification ---------------------------------------------------------------
    ITEM_PROPOSED = 200, _("Classification proposed")
    ITEM_DETERMINED = 201, _("Classification determined")
    ITEM_NOT_CLASSIFIED = 202, _("Proposed classification refused")
    ITEM_REFERRED_UPWARD = 203, _("Determination reported upward")
    ITEM_CHANGED = 204, _("Classification changed")
    ITEM_EXTENDED = 205, _("Classification period extended")
    ITEM_LIFTED = 206, _("Classification lifted")
    ITEM_EXPIRED = 207, _("Declassified on expiry")
    ITEM_VIEWED = 208, _("Classified item viewed")
    REQUEST_PROPOSED = 210, _("Classification request proposed")
    REQUEST_APPROVED = 211, _("Classification request approved")
    REQUEST_REFUSED = 212, _("Classification request refused")
    REQUEST_WITHDRAWN = 213, _("Classification request withdrawn")
    GUIDE_ENTRY_CREATED = 220, _("Guide entry created")
    GUIDE_ENTRY_UPDATED = 221, _("Guide entry updated")
    SCOPE_GRANTED = 230, _("Need-to-know granted")
    SCOPE_REVOKED = 231, _("Need-to-know revoked")
    EXPANSION_REQUESTED = 232, _("Need-to-know expansion requested")
    EXPANSION_APPROVED = 233, _("Need-to-know expansion approved")
    EXPANSION_REFUSED = 234, _("Need-to-know expansion refused")
    KNOWLEDGE_RECORD_VIEWED = 235, _("Knowledge record viewed")
    KNOWLEDGE_RECORD_EXPORTED = 236, _("Knowledge record exported")
    NOTICE_SENT = 240, _("Written notice sent")
    NOTICE_ACKNOWLEDGED = 241, _("Written notice acknowledged")
    EXPIRY_REMINDED = 242, _("Expiry reminder sent")
    MATTER_OPENED = 250, _("Unclear matter or dispute opened")
    MATTER_REPORTED = 251, _("Unclear matter or dispute reported")
    MATTER_DECIDED = 252, _("Unclear matter or dispute decided")
    MATTER_CLAIM_ADDED = 253, _("Level claim added to a dispute")
    CALENDAR_CHANGED = 260, _("Working-day calendar changed")
    REVIEW_OPENED = 270, _("Annual review opened")
    REVIEW_DECIDED = 271, _("Annual review decision recorded")
    REVIEW_CLOSED = 272, _("Annual review closed")
    EXPANSION_DESIGNEE_SET = 237, _("Expansion approver designated")
    EXPANSION_DESIGNEE_REVOKED = 238, _("Expansion approver designation revoked")
    ITEM_REGISTER_EXPORTED = 280, _("Item register exported")
    ITEM_DETERMINATION_RECORDED = 281, _("Existing determination recorded")

    # --- 3xx carriers ---------------------------------------------------------------------
    CARRIER_REGISTERED = 300, _("Carrier registered")
    CARRIER_UPDATED = 301, _("Carrier details updated")
    CONTENT_UPLOADED = 302, _("Carrier content uploaded")
    CONTENT_VIEWED = 303, _("Carrier content viewed")
    CONTENT_DOWNLOADED = 304, _("Carrier content downloaded")
    CONSENT_RECORDED = 305, _("Originator consent recorded")
    CONSENT_REVOKED = 306, _("Originator consent revoked")
    CONTENT_COPY_READ = 307, _("Carrier content read for a copy")
    CONTENT_COPIED = 308, _("Carrier content copied into a copy")
    LOAN_REQUESTED = 310, _("Loan requested")
    LOAN_APPROVED = 311, _("Loan approved, carrier lent")
    LOAN_REJECTED = 312, _("Loan rejected")
    CARRIER_RETURNED = 313, _("Carrier returned from loan")
    LOAN_REMINDED = 314, _("Overdue loan reminded")
    COPY_REQUESTED = 320, _("Copy requested")
    COPY_APPROVED = 321, _("Copy approved, copies registered")
    COPY_REJECTED = 322, _("Copy rejected")
    DOWNLOAD_REQUESTED = 323, _("Download requested")
    DOWNLOAD_APPROVED = 324, _("Download approved")
    DOWNLOAD_REJECTED = 325, _("Download rejected")
    CARRIER_SENT = 330, _("Carrier sent")
    CARRIER_RECEIVED = 331, _("Carrier received and signed for")
    CARRIER_PRINTED = 340, _("Print registered")
    REPAIR_STARTED = 341, _("Repair started")
    REPAIR_FINISHED = 342, _("Repair finished")
    TAKE_OUT_REQUESTED = 343, _("Take-out requested")
    TAKE_OUT_APPROVED = 344, _("Take-out approved, carrier taken out")
    TAKE_OUT_REJECTED = 345, _("Take-out rejected")
    CARRIER_BROUGHT_BACK = 346, _("Carrier brought back")
    CARRIER_SEALED = 350, _("Carrier sealed")
    CARRIER_UNSEALED = 351, _("Carrier unsealed")
    CARRIER_ARCHIVED = 352, _("Carrier archived")
    REVIEW_RAISED = 353, _("Declassification review raised")
    REVIEW_HANDLED = 354, _("Declassification review handled")
    RECALL_LAUNCHED = 360, _("Recall launched")
    CARRIER_RECALLED = 361, _("Carrier returned to issuer")
    RECALL_CLOSED = 362, _("Recall closed")
    INVENTORY_STARTED = 370, _("Inventory started")
    INVENTORY_CHECKED = 371, _("Inventory entry checked")
    INVENTORY_SIGNED = 372, _("Inventory signed off")
    INVENTORY_CLOSED = 373, _("Inventory closed")
    CARRIER_MISSING = 374, _("Carrier reported missing")
    CARRIER_FOUND = 375, _("Missing carrier found")
    INVENTORY_HANDED_OVER = 376, _("Inventory duties handed over")
    INVENTORY_SIGNED_IN_PLACE = 377, _("Inventory signed in place of an absent custodian")
    DESTRUCTION_REQUESTED = 380, _("Destruction requested")
    DESTRUCTION_APPROVED = 381, _("Destruction approved")
    DESTRUCTION_REJECTED = 382, _("Destruction rejected")
    CARRIER_DESTROYED = 383, _("Carrier destroyed")
    DESTRUCTION_LIST_EXPORTED = 384, _("Destruction list exported")
    # 390-399: ledgers (CAR-12, CAR-13)
    LEDGER_EXPORTED = 390, _("Ledger exported")

    # --- 4xx personnel --------------------------------------------------------------------
    PERSONNEL_FILE_OPENED = 400, _("Personnel file opened")
    PERSONNEL_CATEGORY_CHANGED = 401, _("Personnel category changed")
    PERSONNEL_CLEARED = 402, _("Person cleared (onboarding complete)")
    PERSONNEL_REVIEWED = 403, _("Pre-assignment review or re-review recorded")
    AGREEMENT_VERSION_ADDED = 410, _("Agreement version added")
    AGREEMENT_SIGNED = 411, _("Agreement signed")
    AGREEMENT_LAPSED = 412, _("Agreement lapsed")
    TRAINING_RECORDED = 420, _("Training session recorded")
    ATTENDANCE_RECORDED = 421, _("Training attendance recorded")
    EXIT_STARTED = 430, _("Exit started")
    EXIT_INTERVIEW_RECORDED = 431, _("Exit reminder interview recorded")
    EXIT_ACCESS_REVOKED = 432, _("Access revoked on exit")
    SEPARATION_FIXED = 433, _("Separation period fixed")
    EXIT_COMPLETED = 434, _("Exit completed")
    SEPARATION_ENDED = 435, _("Separation period ended")
    TRAVEL_REQUESTED = 440, _("Travel abroad requested")
    TRAVEL_OPINION_GIVEN = 441, _("Travel opinion given")
    TRAVEL_DECIDED = 442, _("Travel abroad decided")
    TRAVEL_DEPARTED = 443, _("Traveller departed")
    TRAVEL_RETURNED = 444, _("Traveller returned")
    TRAVEL_REPORTED = 445, _("Post-trip report filed")
    SANCTION_RECORDED = 450, _("Reward or penalty recorded")
    VIOLATION_REPORTED = 460, _("Violation reported")
    VIOLATION_REPORT_HANDLED = 461, _("Violation report handled")
    PERSONNEL_REMINDED = 470, _("Personnel reminder raised")
    PERSONNEL_LIST_EXPORTED = 480, _("Personnel list exported")

    # --- 5xx supervision ------------------------------------------------------------------
    INCIDENT_OPENED = 500, _("Incident opened")

    # --- 6xx vault ------------------------------------------------------------------------
    BLOB_STORED = 600, _("Content stored")
    BLOB_READ = 601, _("Content read")
    BLOB_SHREDDED = 602, _("Content destroyed (key shredded)")
    KEYS_ROTATED = 610, _("Master key rotated")
    VAULT_VERIFIED = 611, _("Vault verified")
    KEY_RETIRED = 612, _("Master key retired")
    VAULT_MIGRATED = 613, _("Content moved to another store")
    KEYS_CREATED = 614, _("Keys created")

    # --- 9xx system -----------------------------------------------------------------------
    ACCESS_DENIED = 900, _("Access denied")
    AUDIT_VIEWED = 901, _("Audit trail viewed")
    AUDIT_EXPORTED = 902, _("Audit trail exported")
    AUDIT_VERIFIED = 903, _("Audit chain verified")
    AUDIT_CHECKPOINTED = 904, _("Audit checkpoint exported")
    JOB_RAN = 910, _("Scheduled job ran")
    DEMO_LOADED = 920, _("Demo data loaded")
    SYSTEM_INITIALISED = 921, _("System initialised")
    BACKUP_CREATED = 930, _("Backup created")
    BACKUP_RESTORED = 931, _("Backup restored")
    APPROVAL_FORM_PRINTED = 940, _("Approval form printed")
    # CLS-7, R-CRYPTO-5, SEC-3: a stored MAC no longer matches an object's level, mark or number.
    INTEGRITY_FAILED = 941, _("Integrity check failed")


#: Events that change no record a figure counts: reads, views, logins and refusals. They come
#: in volume (every page that shows a secret writes one), so figures cached until the next
#: *change* (``baomi.audit.cache``) are not thrown away by them. An event belongs here only
#: if every transaction that records it alone changes nothing counted; an entry whose outcome
#: is ``denied`` is never a change either (the refused change rolled back). Apps add theirs as a
#: ``READS`` collection in their ``events`` module.
READS: set[int] = {
    int(AuditEvent.LOGIN_SUCCEEDED), int(AuditEvent.LOGIN_FAILED), int(AuditEvent.LOGGED_OUT),
    int(AuditEvent.SESSION_EXPIRED), int(AuditEvent.ITEM_VIEWED), int(AuditEvent.KNOWLEDGE_RECORD_VIEWED),
    int(AuditEvent.CONTENT_VIEWED), int(AuditEvent.CONTENT_DOWNLOADED), int(AuditEvent.CONTENT_COPY_READ),
    int(AuditEvent.BLOB_READ), int(AuditEvent.ACCESS_DENIED), int(AuditEvent.AUDIT_VIEWED),
}  # fmt: skip


def read_events() -> frozenset[int]:
    """:data:`READS`: the events that change nothing a figure counts."""
    return frozenset(READS)


# --------------------------------------------------------------------------------------------
# Per-app event blocks

#: The codes of :class:`AuditEvent`: no app block may overlap them.
LEGACY_BLOCK = range(100, 1000)
_BLOCKS: dict[str, tuple[range, type[models.IntegerChoices]]] = {}


def register_events(owner: str, block: range, module: ModuleType) -> type[models.IntegerChoices]:
    """Register the event enum of app ``owner`` (the one ``IntegerChoices`` defined in
    ``module``); its codes must lie in ``block``, which overlaps no other block. Called by
    ``BaomiAppConfig.ready`` for apps with an ``events`` part."""
    enums = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, models.IntegerChoices) and v.__module__ == module.__name__
    ]
    if len(enums) != 1:
        raise ValueError(f"{module.__name__} must define exactly one IntegerChoices of audit events")
    enum = enums[0]
    for other, (taken, _enum) in {"audit": (LEGACY_BLOCK, AuditEvent), **_BLOCKS}.items():
        if other != owner and block.start < taken.stop and taken.start < block.stop:
            raise ValueError(f"event block {block} of {owner} overlaps the block of {other}")
    outside = [m.value for m in enum if m.value not in block]
    if outside:
        raise ValueError(f"{owner}: audit event codes {outside} lie outside its block {block}")
    _BLOCKS[owner] = (block, enum)
    READS.update(int(code) for code in getattr(module, "READS", ()))
    return enum


def event_enums() -> list[type[models.IntegerChoices]]:
    """:class:`AuditEvent` and every registered app's event enum."""
    return [AuditEvent, *(enum for _block, enum in _BLOCKS.values())]


def event_choices() -> list[tuple[int, str]]:
    """Every known event as ``(code, label)``, by code (filters, exports)."""
    return sorted((m.value, m.label) for enum in event_enums() for m in enum)


def event_label(code: int) -> str:
    """The translated label of ``code``, or the number if no installed app knows it."""
    for enum in event_enums():
        try:
            return str(enum(code).label)
        except ValueError:
            continue
    return str(code)
