from django.utils.translation import gettext_lazy as _

from baomi.kit import registry


class SupervisionConfig(registry.BaomiAppConfig):
    """Holds only the migration history of the incident stub; the incident lives in
    ``baomi.incidents`` (see this package's docstring). No parts."""

    name = "baomi.supervision"
    label = "supervision"
    verbose_name = _("supervision")
    parts = ()
