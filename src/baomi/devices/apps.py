from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class DevicesConfig(registry.BaomiAppConfig):
    name = "baomi.devices"
    label = "devices"
    verbose_name = _("media and devices")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes")
    event_block = range(1500, 1600)
    demo_after = ("accounts", "sites", "contractors")
