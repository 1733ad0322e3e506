"""Bulk marking of inventory rows (CAR-8, issue 13): a custodian ticks several rows of their
list and marks them at once; each row goes through the service and is audited."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baomi.carriers import services
from baomi.carriers.models import InventoryEntry
from tests.carriers.factories import make_carrier

pytestmark = pytest.mark.django_db


def test_mark_several_rows_at_once(org):
    carriers = [make_carrier(org, custodian=org.staff_secret) for _ in range(3)]
    campaign = services.start_inventory(org.security_officer, title="年度清点", due_on=timezone.localdate())
    mine = list(InventoryEntry.objects.filter(campaign=campaign, custodian=org.staff_secret))
    assert len(mine) == len(carriers)
    c = Client()
    c.force_login(org.staff_secret)
    page = c.get(reverse("carriers:inventory", args=[campaign.pk])).content.decode()
    assert 'form="bulk-check"' in page
    r = c.post(reverse("carriers:inventory-check-bulk", args=[campaign.pk]),
               {"entry": [e.pk for e in mine[:2]], "result": "confirmed"})  # fmt: skip
    assert r.status_code == 302
    results = dict(InventoryEntry.objects.filter(pk__in=[e.pk for e in mine]).values_list("pk", "result"))
    assert [results[e.pk] for e in mine] == ["confirmed", "confirmed", "pending"]
    # Another custodian's row is not theirs to mark: it looks absent.
    other = make_carrier(org, custodian=org.case_handler)
    assert other
    c2 = Client()
    c2.force_login(org.outsider)
    assert c2.post(reverse("carriers:inventory-check-bulk", args=[campaign.pk]),
                   {"entry": [mine[2].pk], "result": "confirmed"}).status_code == 404  # fmt: skip
