from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class CarriersConfig(registry.BaomiAppConfig):
    name = "baomi.carriers"
    label = "carriers"
    verbose_name = _("carriers")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "probes", "signals")
    demo_after = ("accounts", "classification", "sites")  # the cabinets its storage places name
