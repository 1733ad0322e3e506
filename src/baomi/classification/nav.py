from django.utils.translation import gettext_lazy as _

ITEMS = [
    (10, _("Classified items"), "classification:items", "items_menu"),
    (11, _("Approvals"), "classification:queue", "decide_requests"),
    (12, _("My notices"), "classification:notices", "notices_menu"),
]
