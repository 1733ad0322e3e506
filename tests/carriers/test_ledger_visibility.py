"""The ledger's SQL visibility filter is exactly the carrier rule (CAR-3, CAR-12)."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.carriers.models import Carrier
from baomi.carriers.rules import CarrierRule, carriers_visible
from tests.carriers.ledger_factories import generate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Personas need passwords, not argon2's cost: these tests are about ledgers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("action", ["view", "read_content"])
def test_visible_equals_can_for_every_persona(org, action):
    """For every persona and a generated registry (every level; person and department scopes,
    expired and future ones; carriers held across departments), ``carriers_visible`` returns
    exactly the carriers ``CarrierRule.can`` allows (CAR-3, CAR-12)."""
    generate(org, n_items=36, per_item=3)
    rule = CarrierRule()
    every = list(Carrier.objects.select_related("item"))
    seen_some = seen_none = 0
    for name, user in org.users.items():
        expected = {c.pk for c in every if rule.can(user, action, c)}
        got = set(carriers_visible(user, Carrier.objects.all(), action).values_list("pk", flat=True))
        assert got == expected, name
        via_policy = set(policy.visible(user, Carrier.objects.all(), action).values_list("pk", flat=True))
        assert via_policy == expected, name
        seen_some += bool(expected)
        seen_none += len(every) - len(expected) > 0
    assert seen_some >= 5 and seen_none >= 5  # the data exercises both sides of the rule


def test_department_head_sees_department_rows_but_not_above_clearance(org):
    """A head sees the department ledger's rows (metadata) within the clearance, not their
    content (CAR-3, CAR-12)."""
    from tests.carriers.ledger_factories import make_carrier, make_item

    head = org.dept_head  # heads OFFICE, cleared 机密
    holder = org.staff_other_dept
    secret = make_carrier(org, make_item(org, "secret", "FIN"), holder, department=org.departments["OFFICE"])
    top = make_carrier(org, make_item(org, "top_secret", "FIN"), holder, department=org.departments["OFFICE"])
    ids = set(carriers_visible(head, Carrier.objects.all(), "view").values_list("pk", flat=True))
    assert secret.pk in ids and top.pk not in ids
    assert not carriers_visible(head, Carrier.objects.all(), "read_content").filter(pk=secret.pk).exists()
