from django.utils.translation import gettext_lazy as _

# (order, label, url name, global policy action) — see core/nav.py. Under 统计报表 (reports).
ITEMS = [
    (70, _("Statistics"), "reports:statistics", "reports.statistics"),
    (71, _("Annual report"), "reports:annual", "reports.annual"),
]
