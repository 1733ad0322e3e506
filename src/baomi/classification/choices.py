from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    """Life of a classified item (CLS-4, CLS-8, CLS-9)."""

    PROPOSED = "proposed", _("Proposed (provisionally protected)")
    PENDING_UPWARD = "pending_upward", _("Pending upward determination")
    DETERMINED = "determined", _("Determined")
    DECLASSIFIED = "declassified", _("Declassified")
    REFUSED = "refused", _("Not classified")


class Origin(models.TextChoices):
    ORIGINAL = "original", _("Original determination")
    DERIVED = "derived", _("Derived determination")
    COMPILED = "compiled", _("Compilation")


class DurationKind(models.TextChoices):
    """The tagged union of R-DUR-2: exactly one of a period, a date, a condition."""

    PERIOD = "period", _("Period")
    UNTIL = "until", _("Declassification date")
    CONDITION = "condition", _("Declassification condition")


class DurationUnit(models.TextChoices):
    YEAR = "year", _("years")
    MONTH = "month", _("months")


class StartBasis(models.TextChoices):
    """Where the period starts (R-DUR-3)."""

    MARKED_ISSUE_DATE = "marked_issue_date", _("Issue date marked on the carrier")
    WRITTEN_NOTICE_DATE = "written_notice_date", _("Date of the written notice")


class DeclassifyReason(models.TextChoices):
    """Why an item stopped being secret (R-DECL-2/3, R-DUR-8)."""

    EXPIRY = "expiry", _("Period or date ended")
    LIFTED = "lifted", _("Lifted early")
    CONDITION = "condition", _("Declassification condition met")
    PUBLICATION = "publication", _("Officially published")


class RequestKind(models.TextChoices):
    """What a classification request asks for (CLS-4, CLS-8, R-CHG-2)."""

    DETERMINE = "determine", _("Determination")
    CHANGE = "change", _("Change")
    EXTEND = "extend", _("Extension")
    LIFT = "lift", _("Lifting")


class RequestStatus(models.TextChoices):
    """Life of a classification request: proposed by a case handler, decided by an authority."""

    PENDING = "pending", _("Awaiting approval")
    PENDING_UPWARD = "pending_upward", _("Reported upward")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LiftGround(models.TextChoices):
    """Grounds for lifting a classification before the period ends (R-DECL-3, R-DUR-8)."""

    NO_LONGER_SECRET = "no_longer_secret", _("No longer harmful if disclosed or scope adjusted")
    CONDITION_MET = "condition_met", _("Declassification condition met")
    PUBLICATION = "publication", _("Officially published")


class NoticeKind(models.TextChoices):
    """Kinds of written notice to the people in scope (R-SCOPE-4, R-DECL-4)."""

    DETERMINED = "determined", _("Classification determined")
    CHANGED = "changed", _("Classification changed")
    DECLASSIFIED = "declassified", _("Declassified")
    SCOPE_GRANTED = "scope_granted", _("Added to the need-to-know scope")
    EXPIRY_REMINDER = "expiry_reminder", _("Period ends soon")
    PROVISIONAL = "provisional", _("Provisional protection")


class MatterKind(models.TextChoices):
    """An unclear matter or a dispute about a determination (CLS-6, R-DET-10/11)."""

    UNCLEAR = "unclear", _("Unclear matter")
    DISPUTE = "dispute", _("Dispute")


class MatterStatus(models.TextChoices):
    OPEN = "open", _("Provisionally protected, report due")
    REPORTED = "reported", _("Reported, decision awaited")
    DECIDED = "decided", _("Decided")


class ReportTo(models.TextChoices):
    """Where an unclear matter is reported (R-DET-10)."""

    NATIONAL = "national", _("National Administration of State Secrets Protection")
    PROVINCIAL = "provincial", _("Provincial secrets protection bureau")


class CalendarDayKind(models.TextChoices):
    """A holiday, or a make-up working day (调休) on a weekend."""

    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up working day")


class CalendarSource(models.TextChoices):
    """Where a calendar day comes from: the State Council's published arrangement (seeded from
    the ``chinesecalendar`` package, replaced by the next seeding) or the security officer (kept
    by every seeding)."""

    PUBLISHED = "published", _("Published arrangement")
    OFFICER = "officer", _("Security officer")


class ReviewDecisionKind(models.TextChoices):
    """The decision per item in the annual review (CLS-10, R-DECL-1)."""

    KEEP = "keep", _("Keep as is")
    CHANGE = "change", _("Change")
    EXTEND = "extend", _("Extend")
    LIFT = "lift", _("Lift")


class ExpansionStatus(models.TextChoices):
    """Life of a need-to-know expansion request (R-SCOPE-2)."""

    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
