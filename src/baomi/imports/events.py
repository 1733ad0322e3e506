"""Audit events of imports (block 2300–2349 of ops/imports/backup; 2350–2399 stay for ops)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportEvent(models.IntegerChoices):
    LEDGER_IMPORTED = 2300, _("Ledger imported")
    LEDGER_IMPORT_QUEUED = 2301, _("Ledger import queued")
