"""Audit events of the reports app (OPS-3, SUP-14), in its reserved block 2200–2299."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportEvent(models.IntegerChoices):
    STATISTICS_EXPORTED = 2201, _("Statistics exported")
    ANNUAL_REPORT_DRAFTED = 2210, _("Annual report drafted")
    ANNUAL_REPORT_EDITED = 2211, _("Annual report text edited")
    ANNUAL_REPORT_EXPORTED = 2212, _("Annual report downloaded")
    ANNUAL_REPORT_REGISTERED = 2213, _("Annual report registered as a work secret")
