"""Navigation entries of the publication review (OPS-1); they belong in 监督检查."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    (66, _("Publication review"), "publication:list", "publication_list"),
]
