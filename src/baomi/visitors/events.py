"""Audit events of the visitors register (block 1900–1999); codes never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitorsEvent(models.IntegerChoices):
    VISIT_REGISTERED = 1900, _("Visit registered")
    VISIT_APPROVED = 1901, _("Visit to a key place approved")
    VISIT_REJECTED = 1902, _("Visit to a key place refused")
    VISIT_APPROVAL_WITHDRAWN = 1903, _("Visit approval request withdrawn")
    VISITOR_CHECKED_IN = 1910, _("Visitor checked in")
    VISITOR_CHECKED_OUT = 1911, _("Visitor checked out")
    VISIT_CANCELLED = 1912, _("Visit cancelled")
    VISITOR_IDENTITY_REVEALED = 1920, _("Visitor identity number viewed")
    VISITORS_ON_SITE_AT_CLOSING = 1930, _("Visitor still on site at closing time")
    VISITORS_EXPORTED = 1950, _("Visitor register exported")
