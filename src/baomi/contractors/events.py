"""Audit events of the contractors register (contractors block 2000–2100); codes never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractorsEvent(models.IntegerChoices):
    CONTRACTOR_REGISTERED = 2000, _("Contractor registered")
    CONTRACTOR_UPDATED = 2001, _("Contractor updated")
    CONTRACTOR_SUSPENDED = 2002, _("Contractor suspended")
    CONTRACTOR_REINSTATED = 2003, _("Contractor reinstated")
    QUALIFICATION_ADDED = 2010, _("Secrecy qualification recorded")
    QUALIFICATION_REVOKED = 2011, _("Secrecy qualification revoked")
    ENGAGEMENT_STARTED = 2020, _("Contractor engagement started")
    ENGAGEMENT_CLOSED = 2021, _("Contractor engagement closed")
    CONTRACTORS_REMINDED = 2040, _("Qualification expiry reminder raised")
    CONTRACTORS_EXPORTED = 2050, _("Contractor register exported")
