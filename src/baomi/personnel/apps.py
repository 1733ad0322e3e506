from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class PersonnelConfig(registry.BaomiAppConfig):
    name = "baomi.personnel"
    label = "personnel"
    verbose_name = _("personnel")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "demo", "rules", "probes", "signals")
    demo_after = ("accounts", "classification", "carriers")
