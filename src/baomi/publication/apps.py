from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class PublicationConfig(registry.BaomiAppConfig):
    name = "baomi.publication"
    label = "publication"
    verbose_name = _("publication review")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes")
    event_block = range(1200, 1300)
    demo_after = ("accounts", "classification", "carriers")
