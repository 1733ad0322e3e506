from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class VaultConfig(registry.BaomiAppConfig):
    name = "baomi.vault"
    label = "vault"
    verbose_name = _("vault")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli")
