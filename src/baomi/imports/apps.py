from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class ImportsConfig(registry.BaomiAppConfig):
    name = "baomi.imports"
    label = "imports"
    verbose_name = _("imports")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "cli", "nav", "events", "rules", "jobs")
    event_block = range(2300, 2350)
