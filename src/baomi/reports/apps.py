from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class ReportsConfig(registry.BaomiAppConfig):
    name = "baomi.reports"
    label = "reports"
    verbose_name = _("reports")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "demo", "rules", "events")
    event_block = range(2200, 2300)
    demo_after = (
        "accounts",
        "classification",
        "carriers",
        "personnel",
        "inspections",
        "incidents",
        "publication",
        "governance",
        "monitoring",
        # The annual report counts the supervision registers too (statistics.TABLES).
        "sites",
        "devices",
        "systems",
        "dataassets",
        "meetings",
        "visitors",
        "contractors",
    )
