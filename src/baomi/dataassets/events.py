"""Audit events of the data assets register (block 1700–1799); codes never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataAssetsEvent(models.IntegerChoices):
    DATA_ASSET_REGISTERED = 1700, _("Data asset registered")
    DATA_ASSET_CHANGED = 1701, _("Data asset changed")
    DATA_ASSET_RETIRED = 1702, _("Data asset retired")
    DATA_RISK_ASSESSED = 1710, _("Data risk assessment recorded")
    AGGREGATION_FLAGGED = 1720, _("Aggregation risk flagged for review")
    AGGREGATION_REVIEWED = 1721, _("Aggregation risk reviewed")
    DATA_REMINDED = 1740, _("Data risk assessment reminder raised")
    DATA_EXPORTED = 1750, _("Data assets register exported")
