"""Choices of the contractors register (SUP-13, R-SITE-3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.core.levels import Level


class QualificationKind(models.TextChoices):
    """What a 保密资质 covers (R-SITE-3): carrier production, copying, repair and destruction,
    and classified-system integration."""

    PRODUCTION = "production", _("Carrier production (printing)")
    COPYING = "copying", _("Carrier copying")
    REPAIR = "repair", _("Carrier and device repair")
    DESTRUCTION = "destruction", _("Carrier destruction")
    INTEGRATION = "integration", _("Classified system integration")


class QualificationGrade(models.TextChoices):
    """甲级 covers 绝密, 机密 and 秘密; 乙级 covers 机密 and 秘密."""

    GRADE_A = "grade_a", _("Grade A")
    GRADE_B = "grade_b", _("Grade B")


# The highest level each grade may undertake.
GRADE_CEILING = {QualificationGrade.GRADE_A: Level.TOP_SECRET, QualificationGrade.GRADE_B: Level.SECRET}


class ContractorStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class EngagementStatus(models.TextChoices):
    OPEN = "open", _("Under way")
    CLOSED = "closed", _("Closed")
