"""Audit events of the information systems register (block 1600–1699); codes never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SystemsEvent(models.IntegerChoices):
    SYSTEM_REGISTERED = 1600, _("Information system registered")
    SYSTEM_CHANGED = 1601, _("Information system changed")
    SYSTEM_EVALUATED = 1602, _("System testing and evaluation recorded")
    SYSTEM_APPROVED = 1603, _("System approval recorded")
    SYSTEM_LIVE = 1604, _("System put into operation")
    SYSTEM_RETIRED = 1605, _("System retired")
    RISK_ASSESSED = 1610, _("System risk assessment recorded")
    PATCH_RECORDED = 1620, _("System patch recorded")
    DRILL_RECORDED = 1630, _("Disaster-recovery drill recorded")
    SYSTEMS_REMINDED = 1640, _("System risk assessment reminder raised")
    SYSTEMS_EXPORTED = 1650, _("Information systems register exported")
