from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class AccountsConfig(registry.BaomiAppConfig):
    name = "baomi.accounts"
    label = "accounts"
    verbose_name = _("accounts")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "demo", "rules")
