from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class IncidentsConfig(registry.BaomiAppConfig):
    name = "baomi.incidents"
    label = "incidents"
    verbose_name = _("incidents")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "events", "signals")
    event_block = range(1100, 1200)
    demo_after = ("accounts", "classification", "carriers", "personnel")
