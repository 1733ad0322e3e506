"""Audit events of the inspections app (SUP-1, R-SITE-4), block 1000-1099."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionEvent(models.IntegerChoices):
    TEMPLATE_CREATED = 1000, _("Checklist template created")
    TEMPLATE_UPDATED = 1001, _("Checklist template edited")
    TEMPLATE_PUBLISHED = 1002, _("Checklist template published")
    TEMPLATE_RETIRED = 1003, _("Checklist template retired")
    PLAN_CREATED = 1010, _("Inspection plan created")
    PLAN_UPDATED = 1011, _("Inspection plan changed")
    PLAN_CLOSED = 1012, _("Inspection plan ended")
    RUN_OPENED = 1020, _("Inspection opened")
    RUN_MEASURED = 1021, _("Measured checks computed")
    ANSWER_RECORDED = 1022, _("Check item answered")
    ANSWER_CONFIRMED = 1023, _("Measured answer confirmed")
    ANSWER_OVERRIDDEN = 1024, _("Measured answer overridden")
    RUN_COMPLETED = 1025, _("Inspection completed")
    RUN_CANCELLED = 1026, _("Inspection cancelled")
    RUN_EXPORTED = 1027, _("Inspection report exported")
    INSPECTION_REMINDED = 1028, _("Inspection reminder raised")
    FINDING_RECORDED = 1030, _("Finding recorded")
    FINDING_CLOSED = 1031, _("Finding closed")
    TASK_ASSIGNED = 1040, _("Rectification task assigned")
    TASK_SUBMITTED = 1041, _("Rectification submitted")
    TASK_VERIFIED = 1042, _("Rectification verified")
    TASK_RETURNED = 1043, _("Rectification returned")
    TASK_REMINDED = 1044, _("Rectification reminder raised")
    RECTIFICATION_EXPORTED = 1045, _("Rectification list exported")
