from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class SupervisionConfig(registry.BaomiAppConfig):
    name = "baomi.supervision"
    label = "supervision"
    verbose_name = _("supervision")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "rules")
