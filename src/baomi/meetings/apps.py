from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class MeetingsConfig(registry.BaomiAppConfig):
    name = "baomi.meetings"
    label = "meetings"
    verbose_name = _("secret meetings")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes")
    event_block = range(1800, 1900)
    demo_after = ("accounts", "classification", "carriers", "sites")
