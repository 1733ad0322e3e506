from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class CarriersConfig(registry.BaomiAppConfig):
    name = "baomi.carriers"
    label = "carriers"
    verbose_name = _("carriers")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "probes", "signals", "events")
    event_block = range(2400, 2500)  # exchange with other units (发文/收文); the rest is in AuditEvent
    demo_after = ("accounts", "classification")
