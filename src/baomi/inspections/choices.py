"""Choices of the inspections app (SUP-1, R-SITE-4), with Chinese labels through translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateStatus(models.TextChoices):
    """A template version: a draft is edited; a published version is used by new runs and never
    changes again (a run keeps the version it used); a retired one is kept for old runs."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class PlanKind(models.TextChoices):
    """Kinds of inspection (SUP-1): how often a plan recurs."""

    MONTHLY = "monthly", _("Monthly self-check")
    QUARTERLY = "quarterly", _("Quarterly patrol")
    ANNUAL = "annual", _("Annual self-assessment")
    AD_HOC = "ad_hoc", _("Ad hoc inspection")


# Months between two runs of a plan; an ad hoc plan runs once.
RECURRENCE_MONTHS = {PlanKind.MONTHLY: 1, PlanKind.QUARTERLY: 3, PlanKind.ANNUAL: 12, PlanKind.AD_HOC: 0}


class RunStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Result(models.TextChoices):
    """The answer to one check item (SUP-1)."""

    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RECTIFYING = "rectifying", _("Being rectified")
    CLOSED = "closed", _("Rectified")


class TaskStatus(models.TextChoices):
    """A rectification task (整改): assigned → submitted → verified, or returned and submitted
    again."""

    ASSIGNED = "assigned", _("Assigned")
    SUBMITTED = "submitted", _("Submitted for verification")
    RETURNED = "returned", _("Returned")
    VERIFIED = "verified", _("Verified")
