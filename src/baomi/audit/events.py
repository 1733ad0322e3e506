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
    RECOVERY_CODES_REGENERATED = 138, _("Recovery codes regenerated")
    DEPARTMENT_CREATED = 140, _("Department created")
    DEPARTMENT_UPDATED = 141, _("Department updated")
    SETTING_CHANGED = 150, _("Setting changed")

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

    # --- 3xx carriers ---------------------------------------------------------------------

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
