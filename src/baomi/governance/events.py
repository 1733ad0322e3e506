"""Audit events of the governance records (ORG-2, SUP-9..11): the 13xx block."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GovernanceEvent(models.IntegerChoices):
    MEMBER_APPOINTED = 1300, _("Leading group or security office member appointed")
    MEMBER_CHANGED = 1301, _("Member's position or duties changed")
    MEMBER_LEFT = 1302, _("Member left the body")
    STATEMENT_ISSUED = 1310, _("Responsibility statement issued")
    STATEMENT_SIGNED = 1311, _("Responsibility statement signature recorded")
    REGULATION_CREATED = 1320, _("Regulation created")
    REGULATION_REVISED = 1321, _("Regulation revised")
    REGULATION_REVIEWED = 1322, _("Regulation reviewed")
    REGULATION_REPEALED = 1323, _("Regulation repealed")
    REGULATION_READ = 1324, _("Regulation file read")
    PLAN_CREATED = 1330, _("Emergency plan created")
    PLAN_REVISED = 1331, _("Emergency plan revised")
    DRILL_RECORDED = 1332, _("Drill recorded")
    PLAN_RETIRED = 1333, _("Emergency plan retired")
    CAMPAIGN_CREATED = 1340, _("Publicity campaign created")
    MATERIAL_ADDED = 1341, _("Publicity material added")
    EVENT_RECORDED = 1342, _("Education event recorded")
    EVENT_ATTENDANCE_RECORDED = 1343, _("Education event attendance recorded")
    GOVERNANCE_REMINDED = 1350, _("Governance reminder raised")
