"""Choices of the personnel app (PER-1..8), with Chinese labels through translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """涉密人员 category (PER-1, R-PER-1); ``none`` is a person outside any 涉密岗位."""

    CORE = "core", _("Core")
    IMPORTANT = "important", _("Important")
    GENERAL = "general", _("General")
    NONE = "none", _("Non-classified post")


class FileStatus(models.TextChoices):
    """Where a personnel file stands (PER-1, PER-2, PER-5)."""

    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Cleared")
    EXITING = "exiting", _("Exit in progress")
    SEPARATION = "separation", _("In separation period")
    RELEASED = "released", _("Released")


class ReviewKind(models.TextChoices):
    PRE_ASSIGNMENT = "pre_assignment", _("Pre-assignment review")
    RE_REVIEW = "re_review", _("Re-review")


class ReviewResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class AgreementKind(models.TextChoices):
    """保密承诺书 on taking the post; 离岗离职保密承诺书 on leaving it (PER-2, PER-5)."""

    PLEDGE = "pledge", _("Confidentiality pledge")
    EXIT = "exit", _("Exit undertaking")


class TrainingKind(models.TextChoices):
    """Kinds of training and assessment (PER-4); ``determination`` is 定密 training (R-DET-12)."""

    COURSE = "course", _("Course")
    LECTURE = "lecture", _("Lecture")
    CONTEST = "contest", _("Knowledge contest")
    DETERMINATION = "determination", _("Determination training")
    PRE_TRIP = "pre_trip", _("Pre-trip briefing")


class ExitKind(models.TextChoices):
    EXIT = "exit", _("Leaving the unit")
    POST_CHANGE = "post_change", _("Leaving the classified post")


class ExitStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    COMPLETED = "completed", _("Completed")


class TravelStatus(models.TextChoices):
    """The travel-abroad request (PER-6, R-PER-5)."""

    SUBMITTED = "submitted", _("Awaiting opinions")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    DEPARTED = "departed", _("Abroad")
    RETURNED = "returned", _("Report due")
    CLOSED = "closed", _("Reported")


class Opinion(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")


class SanctionKind(models.TextChoices):
    """Rewards and penalties (PER-7)."""

    COMMENDATION = "commendation", _("Commendation")
    WARNING = "warning", _("Warning")
    DEMERIT = "demerit", _("Demerit")
    DEMOTION = "demotion", _("Demotion")
    DISMISSAL = "dismissal", _("Dismissal")


class ReportKind(models.TextChoices):
    VIOLATION = "violation", _("Violation of secrecy rules")
    LEAK = "leak", _("Suspected leak")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    INCIDENT = "incident", _("Turned into an incident")
    DISMISSED = "dismissed", _("Closed without incident")
