from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class SystemsConfig(registry.BaomiAppConfig):
    name = "baomi.systems"
    label = "systems"
    verbose_name = _("information systems")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes")
    event_block = range(1600, 1700)
    demo_after = ("accounts", "sites", "devices", "contractors")
