"""The carrier demo loads on top of the accounts demo and shows every state (CAR-1..11)."""

from __future__ import annotations

import pytest

from baomi.carriers.choices import CarrierStatus
from baomi.carriers.models import Carrier


@pytest.mark.django_db
def test_demo_has_carriers_in_every_state(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.accounts import demo as accounts_demo
    from baomi.carriers import demo

    accounts_demo.load()
    demo.load()
    states = set(Carrier.objects.values_list("status", flat=True))
    assert states == set(CarrierStatus.values)


@pytest.mark.django_db
def test_demo_has_the_exchange_with_other_units(settings):
    """Issue 12 §3: the demo shows external units, a dispatch with its receipt, an overdue
    receipt, a dispatch waiting for the department head, and a carrier received (收文)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.accounts import demo as accounts_demo
    from baomi.accounts.models import User
    from baomi.carriers import demo, exchange_queries
    from baomi.carriers.models import Dispatch, ExternalUnit, IncomingCarrier

    accounts_demo.load()
    demo.load()
    so = User.objects.get(username="secofficer")
    assert ExternalUnit.objects.count() == 3
    assert Dispatch.objects.filter(receipt_on__isnull=False).exists()
    assert exchange_queries.overdue_receipts(so).count() == 1
    assert exchange_queries.dispatches_to_decide(User.objects.get(username="lina")).count() == 1
    assert IncomingCarrier.objects.get().their_copy_number == "000005"
