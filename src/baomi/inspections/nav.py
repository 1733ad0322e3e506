"""Navigation entries of the inspections app (OPS-1), in the 监督检查 section."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    (60, _("Inspections"), "inspections:list", "inspection_list"),
    (61, _("Rectification"), "inspections:tasks", "rectification_list"),
    (64, _("Checklists and plans"), "inspections:templates", "manage_inspections"),
]
