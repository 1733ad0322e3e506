"""The display labels of the personnel audit events (4xx block of ``audit/events.py``), listed
here so that ``makemessages`` extracts them into the personnel catalogue, which translates them;
the audit catalogue belongs to the audit app. Keep in step with the 4xx block."""

from django.utils.translation import gettext_lazy as _

AUDIT_EVENT_LABELS = [
    _("Personnel file opened"),
    _("Personnel category changed"),
    _("Person cleared (onboarding complete)"),
    _("Pre-assignment review or re-review recorded"),
    _("Agreement version added"),
    _("Agreement signed"),
    _("Agreement lapsed"),
    _("Training session recorded"),
    _("Training attendance recorded"),
    _("Exit started"),
    _("Exit reminder interview recorded"),
    _("Access revoked on exit"),
    _("Separation period fixed"),
    _("Exit completed"),
    _("Separation period ended"),
    _("Travel abroad requested"),
    _("Travel opinion given"),
    _("Travel abroad decided"),
    _("Traveller departed"),
    _("Traveller returned"),
    _("Post-trip report filed"),
    _("Reward or penalty recorded"),
    _("Violation reported"),
    _("Violation report handled"),
    _("Personnel reminder raised"),
]
