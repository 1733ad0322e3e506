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
