from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class DashboardConfig(registry.BaomiAppConfig):
    name = "baomi.dashboard"
    label = "dashboard"
    verbose_name = _("dashboard")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "nav")
    url_prefix = ""
    nav_rank = 0  # the start page leads the menu
