"""Choices of the data assets register (SUP-8, R-DATA)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DataGrade(models.TextChoices):
    """GB/T 43697-2024: 核心数据 > 重要数据 > 一般数据 (R-DATA-2) — never on the 密级 scale."""

    CORE = "core", _("Core data")
    IMPORTANT = "important", _("Important data")
    GENERAL = "general", _("General data")


# Grades that need a named officer and a yearly risk assessment (R-DATA-4; core data is
# managed at least as strictly as important data — 就高从严).
OFFICER_GRADES = frozenset({DataGrade.CORE, DataGrade.IMPORTANT})


class DataCategory(models.TextChoices):
    GOVERNMENT = "government", _("Government affairs data")
    PERSONAL = "personal", _("Personal information")
    BUSINESS = "business", _("Business data")
    STATISTICS = "statistics", _("Statistics")
    GEOGRAPHIC = "geographic", _("Geographic information")
    OTHER = "other", _("Other")


class AssetStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("registers", "In use")
    RETIRED = "retired", _("Retired")


class AggregationReview(models.TextChoices):
    """R-DATA-7: data that becomes a state secret once aggregated is managed as such."""

    NONE = "none", _("Not flagged")
    PENDING = "pending", _("Flagged, awaiting review")
    NOT_SECRET = "not_secret", _("Reviewed: not a state secret")
    MANAGE_AS_SECRET = "manage_as_secret", _("Reviewed: manage as a state secret")


class DataOutcome(models.TextChoices):
    PASSED = "passed", _("No significant risk")
    ISSUES = "issues", _("Risks to remedy")
