from django.utils.translation import gettext_lazy as _

# (order, label, url name, global policy action) — see core/nav.py. Under 监督检查 (supervision).
ITEMS = [(62, _("Alerts"), "monitoring:alerts", "monitoring.alerts")]
