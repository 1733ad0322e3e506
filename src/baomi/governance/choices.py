"""Choices of the governance records (ORG-2, SUP-9..11), with Chinese labels through translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    """The two bodies of the secrecy regime (ORG-2, R-SITE-4 责任制)."""

    LEADING_GROUP = "leading_group", _("Leading group for secrecy work")
    SECURITY_OFFICE = "security_office", _("Security office")


class Position(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY_LEADER = "deputy_leader", _("Deputy leader")
    DIRECTOR = "director", _("Director")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    MEMBER = "member", _("Member")
    STAFF = "staff", _("Staff")


class RegulationStatus(models.TextChoices):
    EFFECTIVE = "effective", _("In force")
    REPEALED = "repealed", _("Repealed")


class ReviewOutcome(models.TextChoices):
    """What a periodic review of a regulation found (SUP-10)."""

    KEPT = "kept", _("Still fit, kept")
    REVISE = "revise", _("To be revised")


class PlanKind(models.TextChoices):
    """Kinds of emergency plan (SUP-9, R-INC-1, R-INC-4)."""

    LEAK = "leak", _("Leak of secrets")
    CYBER = "cyber", _("Network or data security incident")
    CARRIER_LOSS = "carrier_loss", _("Loss of a carrier")
    OTHER = "other", _("Other")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    RETIRED = "retired", _("Retired")


class EventKind(models.TextChoices):
    """Publicity and education events (SUP-11); lectures and contests may count as training."""

    LECTURE = "lecture", _("Lecture")
    CONTEST = "contest", _("Knowledge contest")
    EXHIBITION = "exhibition", _("Exhibition")
    FILM = "film", _("Warning education film")
    TRAINING = "training", _("Training course")
    OTHER = "other", _("Other")
