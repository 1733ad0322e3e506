"""Audit events of the key departments and places register (sites block 1400–1500); codes never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SitesEvent(models.IntegerChoices):
    KEY_DEPARTMENT_DESIGNATED = 1400, _("Key department designated")
    KEY_DEPARTMENT_CONFIRMED = 1401, _("Key department confirmed")
    KEY_DEPARTMENT_REVOKED = 1402, _("Key department revoked")
    KEY_DEPARTMENT_UPDATED = 1403, _("Key department updated")
    KEY_PLACE_REGISTERED = 1410, _("Key place registered")
    KEY_PLACE_UPDATED = 1411, _("Key place updated")
    KEY_PLACE_CONFIRMED = 1412, _("Key place confirmed")
    KEY_PLACE_REVOKED = 1413, _("Key place revoked")
    CABINET_ADDED = 1420, _("Cabinet added")
    CABINET_UPDATED = 1421, _("Cabinet updated")
    CABINET_RETIRED = 1422, _("Cabinet retired")
    PLACE_CHECK_PLANNED = 1430, _("Place check planned")
    PLACE_CHECK_RECORDED = 1431, _("Place check recorded")
    PLACE_CHECK_RECTIFIED = 1432, _("Place check findings rectified")
    SITES_REMINDED = 1440, _("Key place reminder raised")
    SITES_EXPORTED = 1450, _("Key places register exported")
    STORAGE_PLACES_LINKED = 1460, _("Carrier storage places linked to cabinets")
