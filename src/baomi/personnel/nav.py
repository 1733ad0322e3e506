"""Navigation entries of the personnel app (OPS-1)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    (40, _("Personnel"), "personnel:list", "personnel_list"),
    (41, _("My secrecy file"), "personnel:mine", None),
    (42, _("Travel abroad"), "personnel:travel-list", "travel_list"),
    (43, _("Report a violation"), "personnel:report-new", "report_violation"),
]
