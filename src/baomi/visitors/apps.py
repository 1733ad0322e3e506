from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class VisitorsConfig(registry.BaomiAppConfig):
    name = "baomi.visitors"
    label = "visitors"
    verbose_name = _("visitors")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "nav", "dashboard", "jobs", "demo", "rules", "events")
    event_block = range(1900, 2000)
    demo_after = ("accounts", "sites")
