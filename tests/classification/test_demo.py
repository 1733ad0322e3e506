"""The demo registry loads through the services and covers every level and status (CLS-1..11)."""

from __future__ import annotations

import pytest

from baomi.classification.choices import ItemStatus
from baomi.classification.models import Item, Matter, Notice, ReviewCampaign
from baomi.core.levels import Level

pytestmark = pytest.mark.django_db


def test_demo_loads_every_level_and_status(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.accounts import demo as accounts_demo
    from baomi.classification import demo

    accounts_demo.load()
    demo.load()
    assert set(Item.objects.values_list("level", flat=True)) >= set(Level.values)
    assert set(Item.objects.values_list("status", flat=True)) == set(ItemStatus.values)
    assert Item.objects.filter(reference__in=demo.REFERENCES).count() == len(demo.REFERENCES)
    assert Matter.objects.filter(kind="dispute").exists() and ReviewCampaign.objects.exists()
    assert Notice.objects.filter(acknowledged_at__isnull=True).exists()
    assert not any(i.mark_tampered for i in Item.objects.all())
