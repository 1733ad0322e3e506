from django.utils.translation import gettext_lazy as _

ITEMS = [(0, _("Home"), "dashboard:home", None)]
