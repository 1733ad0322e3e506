from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class GovernanceConfig(registry.BaomiAppConfig):
    name = "baomi.governance"
    label = "governance"
    verbose_name = _("governance records")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes")
    event_block = range(1300, 1400)
    demo_after = ("accounts", "personnel")
