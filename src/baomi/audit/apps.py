from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class AuditConfig(registry.BaomiAppConfig):
    name = "baomi.audit"
    label = "audit"
    verbose_name = _("audit")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "cli", "nav", "dashboard", "jobs", "rules")
