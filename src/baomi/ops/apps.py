from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class OpsConfig(registry.BaomiAppConfig):
    name = "baomi.ops"
    label = "ops"
    verbose_name = _("ops")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("cli",)

    def ready(self) -> None:
        super().ready()
        from baomi.core import keys
        from baomi.ops.keyfiles import ensure_audit_key

        # The audit key is created only while no entry depends on it (SEC-3): the ground asks.
        keys.on_missing_audit_key(ensure_audit_key)
