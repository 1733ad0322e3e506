from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of REQUIREMENTS.md "Users". A person may hold several, except that the three
    separated administrators exclude each other (SEC-2, R-ROLE-3)."""

    STAFF = "staff", _("Staff member")
    CASE_HANDLER = "case_handler", _("Case handler")
    CLASSIFICATION_AUTHORITY = "classification_authority", _("Classification authority")
    UNIT_HEAD = "unit_head", _("Unit head")
    LEADING_GROUP = "leading_group", _("Leading group member")
    SECURITY_OFFICER = "security_officer", _("Security officer")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("System administrator")
    AUDITOR = "auditor", _("Auditor")


# 三员分立: no two of these on one person (SEC-2, R-ROLE-3, R-ROLE-5).
SEPARATED_ADMINISTRATORS = frozenset({Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER, Role.AUDITOR})


class PersonType(models.TextChoices):
    """Personnel types (ORG-3); every rule applies to all of them."""

    EMPLOYEE = "employee", _("Regular employee")
    TEMPORARY = "temporary", _("Temporary hire")
    INTERN = "intern", _("Intern")
    SECONDED = "seconded", _("Seconded or outsourced")
