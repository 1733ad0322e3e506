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
