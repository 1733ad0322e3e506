from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class MonitoringConfig(registry.BaomiAppConfig):
    name = "baomi.monitoring"
    label = "monitoring"
    verbose_name = _("monitoring")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "events")
    event_block = range(2100, 2200)
    demo_after = ("accounts", "classification", "carriers", "personnel")
