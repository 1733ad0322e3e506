"""Navigation entries of the personnel app (OPS-1)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    (40, _("Personnel"), "personnel:list", "personnel_list"),
    (41, _("My secrecy file"), "personnel:mine", "own_file_menu"),
    (42, _("Travel abroad"), "personnel:travel-list", "travel_menu"),
    # Anyone may report a violation (PER-8): filed beside 报告保密事件 under 监督检查, so that 人员管理
    # shows only for whom it can hold something (issue 13, role-fit navigation).
    (63, _("Report a violation"), "personnel:report-new", "report_violation"),
]
