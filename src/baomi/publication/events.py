"""Audit events of the publication review (SUP-3, R-PUB): the 12xx block."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationEvent(models.IntegerChoices):
    PUBLICATION_SUBMITTED = 1200, _("Publication review requested")
    PUBLICATION_SCREENED = 1201, _("Publication screened against the registry")
    PUBLICATION_FORWARDED = 1202, _("Publication agreed by the department")
    PUBLICATION_DECIDED = 1203, _("Publication review decided")
    PUBLICATION_REFERRED = 1204, _("Publication question referred")
    PUBLICATION_REFERRAL_ANSWERED = 1205, _("Publication referral answered")
    PUBLICATION_PUBLISHED = 1206, _("Publication recorded")
    PUBLICATION_BLOCKED = 1207, _("Publication of an unapproved version refused")
    PUBLICATION_WITHDRAWN = 1208, _("Publication review request withdrawn")
    PUBLICATION_DEADLINE_EXTENDED = 1209, _("Publication deadline extended")
    PUBLICATION_REASSESSED = 1210, _("Withheld information re-assessed")
    PUBLICATION_REMINDED = 1211, _("Publication reminder raised")
    PUBLICATION_REGISTER_EXPORTED = 1212, _("Publication review register exported")
    PUBLICATION_FORM_EXPORTED = 1213, _("Publication review form exported")
    PUBLICATION_HITS_VIEWED = 1214, _("Publication screening hits viewed")
    KEYWORD_ADDED = 1220, _("Screening keyword added")
    KEYWORD_CHANGED = 1221, _("Screening keyword changed")
    MATCHER_BUILT = 1230, _("Screening matcher rebuilt by an operator")


#: Changes nothing a figure counts (``baomi.audit.events.READS``): a read of the screening hits.
READS = (PublicationEvent.PUBLICATION_HITS_VIEWED,)
