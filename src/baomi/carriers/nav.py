from django.utils.translation import gettext_lazy as _

# (order, label, url name, global policy action) — see kit/nav.py.
ITEMS = [
    (30, _("Carrier ledgers"), "carriers:ledger", "carriers.browse"),
    (31, _("My carriers"), "carriers:workbench", "carriers.browse"),
    (32, _("Carrier approvals"), "carriers:approvals", "carriers.approvals"),
    (33, _("Transfers"), "carriers:transfers", "carriers.browse"),
    (34, _("Inventories"), "carriers:inventories", "carriers.browse"),
    (35, _("Exchange with other units"), "carriers:exchange", "carriers.exchange"),
]
