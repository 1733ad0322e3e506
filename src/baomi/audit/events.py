"""Audit event types (SEC-3): one enum, a numeric block per app.

1xx accounts, 2xx classification, 3xx carriers, 4xx personnel, 5xx supervision,
6xx vault, 9xx system. Names are ``<OBJECT>_<PAST_PARTICIPLE>``; labels are translated for
display, the stored code stays numeric and stable. Add members only inside your app's block.
"""

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
    DEPARTMENT_CREATED = 140, _("Department created")
    DEPARTMENT_UPDATED = 141, _("Department updated")
    SETTING_CHANGED = 150, _("Setting changed")

    # --- 2xx classification ---------------------------------------------------------------

    # --- 3xx carriers ---------------------------------------------------------------------
    CARRIER_REGISTERED = 300, _("Carrier registered")
    CARRIER_UPDATED = 301, _("Carrier details updated")
    CONTENT_UPLOADED = 302, _("Carrier content uploaded")
    CONTENT_VIEWED = 303, _("Carrier content viewed")
    CONTENT_DOWNLOADED = 304, _("Carrier content downloaded")
    CONSENT_RECORDED = 305, _("Originator consent recorded")
    CONSENT_REVOKED = 306, _("Originator consent revoked")
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
    RECALL_LAUNCHED = 360, _("Recall launched")
    CARRIER_RECALLED = 361, _("Carrier returned to issuer")
    RECALL_CLOSED = 362, _("Recall closed")
    INVENTORY_STARTED = 370, _("Inventory started")
    INVENTORY_CHECKED = 371, _("Inventory entry checked")
    INVENTORY_SIGNED = 372, _("Inventory signed off")
    INVENTORY_CLOSED = 373, _("Inventory closed")
    CARRIER_MISSING = 374, _("Carrier reported missing")
    CARRIER_FOUND = 375, _("Missing carrier found")
    DESTRUCTION_REQUESTED = 380, _("Destruction requested")
    DESTRUCTION_APPROVED = 381, _("Destruction approved")
    DESTRUCTION_REJECTED = 382, _("Destruction rejected")
    CARRIER_DESTROYED = 383, _("Carrier destroyed")
    DESTRUCTION_LIST_EXPORTED = 384, _("Destruction list exported")
    # 390-399: ledgers (CAR-12, CAR-13)
    LEDGER_EXPORTED = 390, _("Ledger exported")

    # --- 4xx personnel --------------------------------------------------------------------

    # --- 5xx supervision ------------------------------------------------------------------
    INCIDENT_OPENED = 500, _("Incident opened")

    # --- 6xx vault ------------------------------------------------------------------------
    BLOB_STORED = 600, _("Content stored")
    BLOB_READ = 601, _("Content read")
    BLOB_SHREDDED = 602, _("Content destroyed (key shredded)")
    KEYS_ROTATED = 610, _("Master key rotated")
    VAULT_VERIFIED = 611, _("Vault verified")
    KEY_RETIRED = 612, _("Master key retired")

    # --- 9xx system -----------------------------------------------------------------------
    ACCESS_DENIED = 900, _("Access denied")
    AUDIT_VIEWED = 901, _("Audit trail viewed")
    AUDIT_EXPORTED = 902, _("Audit trail exported")
    AUDIT_VERIFIED = 903, _("Audit chain verified")
    AUDIT_CHECKPOINTED = 904, _("Audit checkpoint exported")
    JOB_RAN = 910, _("Scheduled job ran")
    DEMO_LOADED = 920, _("Demo data loaded")
    SYSTEM_INITIALISED = 921, _("System initialised")
