from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class SitesConfig(registry.BaomiAppConfig):
    name = "baomi.sites"
    label = "sites"
    verbose_name = _("key departments and places")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes", "signals")
    event_block = range(1400, 1500)
    demo_after = ("accounts", "carriers")
