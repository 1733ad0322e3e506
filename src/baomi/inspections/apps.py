from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class InspectionsConfig(registry.BaomiAppConfig):
    name = "baomi.inspections"
    label = "inspections"
    verbose_name = _("inspections")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "events", "signals")
    event_block = range(1000, 1100)
    demo_after = ("accounts", "classification", "carriers", "personnel", "incidents")
