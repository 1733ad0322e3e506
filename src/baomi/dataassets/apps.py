from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class DataAssetsConfig(registry.BaomiAppConfig):
    """Data assets. Named ``dataassets``, not ``data``: "data" is the name of countless local
    variables and attributes (``serializer.data``, ``form.data``) and of the data directory."""

    name = "baomi.dataassets"
    label = "dataassets"
    verbose_name = _("data assets")
    # The parts this app plugs in (baomi.kit.registry; docs/adding-an-entity.md).
    parts = ("urls", "api", "nav", "dashboard", "jobs", "demo", "rules", "events", "probes")
    event_block = range(1700, 1800)
    url_prefix = "data/"
    demo_after = ("accounts", "systems")
