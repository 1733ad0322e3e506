from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class OpsConfig(registry.BaomiAppConfig):
    name = "baomi.ops"
    label = "ops"
    verbose_name = _("ops")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("cli",)
