"""Role-fit navigation (issue 13): a menu entry appears only where the role can ever have
something — the 三员 system administrator and auditor and uncleared staff get no carrier menus
(``"carriers.menu"``), while the pages themselves stay reachable (``carriers.browse``)."""

import pytest

from baomi.access import policy
from baomi.kit.nav import items_for

pytestmark = pytest.mark.django_db


def names(user) -> set[str]:
    return {e["name"] for e in items_for(user)}


def test_carrier_menus_only_for_people_who_can_have_carriers(org):
    for who in ("sysadmin", "auditor", "staff_uncleared", "outsider"):
        user = getattr(org, who)
        assert not policy.can(user, "carriers.menu"), who
        assert "carriers:ledger" not in names(user) and "carriers:workbench" not in names(user), who
        assert policy.can(user, "carriers.browse")
    for who in ("security_officer", "unit_head", "staff_secret", "staff_work_secret"):
        user = getattr(org, who)
        assert policy.can(user, "carriers.menu"), who
        assert {"carriers:ledger", "carriers:workbench"} <= names(user), who
