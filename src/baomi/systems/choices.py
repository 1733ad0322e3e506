"""Choices of the information systems register (SUP-7, R-SYS)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SystemKind(models.TextChoices):
    CLASSIFIED = "classified", _("Classified information system")
    OFFICE = "office", _("Ordinary office system")


class SystemStatus(models.TextChoices):
    """planning → evaluated (测评) → approved → live → retired (R-SYS-2); an office system goes
    live from planning."""

    PLANNING = "planning", _("Being built")
    EVALUATED = "evaluated", _("Tested and evaluated")
    APPROVED = "approved", _("Approved")
    LIVE = "live", _("In operation")
    RETIRED = "retired", _("Retired")


class ReviewKind(models.TextChoices):
    EVALUATION = "evaluation", _("Testing and evaluation")
    APPROVAL = "approval", _("Approval by the 保密局")


class Outcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    ISSUES = "issues", _("Passed with issues to fix")
    FAILED = "failed", pgettext_lazy("registers", "Failed")


class AssessmentReason(models.TextChoices):
    """Why a risk assessment is held (R-SYS-3)."""

    PERIODIC = "periodic", _("Periodic")
    LEVEL_CHANGE = "level_change", _("Change of level")
    USERS_CHANGE = "users_change", _("Change of user scope")
    ENVIRONMENT_CHANGE = "environment_change", _("Change of environment")
