from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class ContractorsConfig(registry.BaomiAppConfig):
    name = "baomi.contractors"
    label = "contractors"
    verbose_name = _("contractors")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes")
    event_block = range(2000, 2100)
    demo_after = ("accounts",)
