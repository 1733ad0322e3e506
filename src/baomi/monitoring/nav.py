from django.utils.translation import gettext_lazy as _

# (order, label, url name, global policy action) — see kit/nav.py.
ITEMS = [(65, _("Alerts"), "monitoring:alerts", "monitoring.alerts")]
