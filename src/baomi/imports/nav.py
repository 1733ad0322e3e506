from django.utils.translation import gettext_lazy as _

# (order, label, url name, global policy action) — see kit/nav.py. The page offers only the
# ledgers whose hand entry the user may do; the entry shows for the registry's keepers.
ITEMS = [
    (39, _("Import ledgers"), "imports:upload", "carriers.register"),
]
