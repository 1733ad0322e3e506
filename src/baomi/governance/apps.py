from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class GovernanceConfig(registry.BaomiAppConfig):
    name = "baomi.governance"
    label = "governance"
    verbose_name = _("governance records")
    parts = ("rules", "events")
    event_block = range(1300, 1400)
