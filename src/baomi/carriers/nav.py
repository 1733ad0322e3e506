from django.utils.translation import gettext_lazy as _

# (order, label, url name, global policy action) — see kit/nav.py. ``carriers.menu``: only for
# people who can ever have a carrier there (issue 13); the pages stay open to all (``carriers.browse``).
ITEMS = [
    (30, _("Carrier ledgers"), "carriers:ledger", "carriers.menu"),
    (31, _("My carriers"), "carriers:workbench", "carriers.menu"),
    (32, _("Carrier approvals"), "carriers:approvals", "carriers.approvals"),
    (33, _("Transfers"), "carriers:transfers", "carriers.menu"),
    (34, _("Inventories"), "carriers:inventories", "carriers.menu"),
]
