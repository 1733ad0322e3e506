"""Measured checks (SUP-1): each probe against a hand-counted fixture, in ONE query, on SQLite
and PostgreSQL alike (the same tests run in both passes of ``make test``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from baomi.carriers.models import (
    Carrier,
    DestructionRequest,
    InventoryCampaign,
    InventoryEntry,
    LoanRequest,
    Transfer,
)
from baomi.classification.models import Item
from baomi.kit import probes
from baomi.personnel import services as personnel
from baomi.personnel.models import PersonnelFile, Signature, TravelRequest
from tests.personnel.factories import carrier_for, onboarded
from tests.support.assertions import assert_num_queries

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def _dates_of_the_day_the_test_runs() -> None:
    """The day each test runs, not the day the module was collected: a suite that crossed
    midnight counted a pledge that lapsed "yesterday" twice."""
    global TODAY, YESTERDAY, TOMORROW
    TODAY = timezone.localdate()
    YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)


def measured(key):
    with assert_num_queries(1):
        return probes.measure(key, TODAY)


def labels(m):
    return sorted(e["label"] for e in m.exceptions)


def test_every_probe_is_declared_with_an_area_and_a_label():
    keys = set(probes.probes())
    assert keys >= {
        "personnel.pledge_missing", "personnel.rereview_overdue", "personnel.determination_training",
        "personnel.exit_outstanding", "personnel.travel_report_missing", "carriers.loans_overdue",
        "carriers.transfers_unsigned", "carriers.not_inventoried", "carriers.missing",
        "carriers.destroyed_without_witnesses",
        "classification.past_period",
    }  # fmt: skip
    for p in probes.probes().values():
        assert 1 <= p.area <= 13 and str(p.label)


def test_pledge_missing(org):
    so = org.security_officer
    a = onboarded(so, org.staff_secret, "important")
    onboarded(so, org.staff_confidential, "general")
    Signature.objects.filter(file=a).update(valid_until=YESTERDAY)  # A's pledge lapsed yesterday
    m = measured("personnel.pledge_missing")
    assert m.count == 1 and labels(m) == ["staff_secret（staff_secret）"]
    assert m.exceptions[0]["pk"] == a.pk


def test_rereview_overdue(org):
    so = org.security_officer
    a = onboarded(so, org.staff_secret, "important")
    b = onboarded(so, org.staff_confidential, "general")
    PersonnelFile.objects.filter(pk=a.pk).update(next_review_on=YESTERDAY)
    PersonnelFile.objects.filter(pk=b.pk).update(next_review_on=TODAY)  # due today: not yet overdue
    assert measured("personnel.rereview_overdue").count == 1


def test_determination_training(org):
    """Four personas hold 定密 roles (unit head, two authorities, the case handler); one passed
    定密 training: three remain."""
    so = org.security_officer
    session = personnel.create_session(so, title="定密培训", kind="determination", held_on=TODAY)
    personnel.record_attendance(so, session, org.authority_secret)
    m = measured("personnel.determination_training")
    assert m.count == 3
    assert labels(m) == sorted(f"{u}（{u}）" for u in ("unit_head", "authority_top_secret", "case_handler"))


def test_exit_outstanding(org):
    so = org.security_officer
    holder = onboarded(so, org.staff_secret, "important")
    carrier_for(org.staff_secret)
    empty = onboarded(so, org.staff_confidential, "general")
    personnel.start_exit(so, holder, approved_on=TODAY)
    personnel.start_exit(so, empty, approved_on=TODAY)
    m = measured("personnel.exit_outstanding")
    assert m.count == 1 and labels(m) == ["staff_secret（staff_secret）"]


def test_travel_report_missing(org):
    def trip(user, status, **kw):
        return TravelRequest.objects.create(traveller=user, destination="新加坡", purpose="会议", status=status,
                                            departs_on=TODAY - timedelta(days=10), returns_on=kw.pop("returns_on", YESTERDAY),
                                            **kw)  # fmt: skip

    trip(org.staff_secret, "returned", report_due_on=YESTERDAY)  # counted
    trip(org.staff_confidential, "returned", report_due_on=TOMORROW)
    trip(org.case_handler, "departed", returns_on=YESTERDAY)  # counted: still abroad after the return date
    trip(org.dept_head, "departed", returns_on=TOMORROW)
    trip(org.authority_secret, "closed", report_due_on=YESTERDAY)
    assert measured("personnel.travel_report_missing").count == 2


def test_loans_overdue(org):
    c1, c2, c3 = (carrier_for(org.staff_secret) for _ in range(3))
    for carrier, due, status in [
        (c1, YESTERDAY, "approved"),
        (c2, TOMORROW, "approved"),
        (c3, YESTERDAY, "done"),
    ]:
        LoanRequest.objects.create(carrier=carrier, requested_by=org.staff_secret, reason="阅", status=status,
                                   borrower=org.staff_secret, place="会议室", due_on=due)  # fmt: skip
    m = measured("carriers.loans_overdue")
    assert m.count == 1 and labels(m) == [c1.registry_number]


def test_transfers_unsigned(org):
    c1, c2, c3 = (carrier_for(org.staff_secret) for _ in range(3))
    now = timezone.now()
    for carrier, sent, status in [(c1, now - timedelta(days=2), "sent"), (c2, now, "sent"),
                                  (c3, now - timedelta(days=2), "received")]:  # fmt: skip
        Transfer.objects.create(carrier=carrier, sender=org.staff_secret, receiver=org.dept_head,
                                channel="designated_person", envelope_number="E1", status=status, sent_at=sent)  # fmt: skip
    assert measured("carriers.transfers_unsigned").count == 1


def test_not_inventoried(org):
    """The last closed inventory listed c1 (present), c2 (missing, now 丢失), c3 (left unchecked)
    and c5 (damaged, since destroyed); c4 came after it; an older inventory found c3 present.
    Not found present and still held: c3. Missing: c2."""
    c1, c2, c3, _c4, c5 = (carrier_for(org.staff_secret) for _ in range(5))
    Carrier.objects.filter(pk=c2.pk).update(status="missing")
    Carrier.objects.filter(pk=c5.pk).update(status="destroyed")
    started = timezone.now() - timedelta(days=1)
    old = InventoryCampaign.objects.create(title="上次", due_on=TODAY, status="closed", started_by=org.security_officer,
                                           started_at=started - timedelta(days=90), closed_at=started - timedelta(days=80))  # fmt: skip
    InventoryEntry.objects.create(campaign=old, carrier=c3, custodian=org.staff_secret, result="confirmed")
    last = InventoryCampaign.objects.create(title="本次", due_on=TODAY, status="closed", started_by=org.security_officer,
                                            started_at=started, closed_at=timezone.now())  # fmt: skip
    for carrier, result in [(c1, "confirmed"), (c2, "missing"), (c3, "pending"), (c5, "damaged")]:
        InventoryEntry.objects.create(
            campaign=last, carrier=carrier, custodian=org.staff_secret, result=result
        )
    m = measured("carriers.not_inventoried")
    assert m.count == 1 and labels(m) == [c3.registry_number] and m.exceptions[0]["pk"] == c3.pk
    m = measured("carriers.missing")
    assert m.count == 1 and labels(m) == [c2.registry_number]


def test_destroyed_without_witnesses(org):
    d1, d2, d3 = (carrier_for(org.staff_secret) for _ in range(3))
    Carrier.objects.filter(pk__in=[d1.pk, d2.pk, d3.pk]).update(status="destroyed")
    now = timezone.now()
    for carrier, w1, w2 in [(d1, org.dept_head, org.staff_secret), (d2, org.dept_head, org.dept_head)]:
        req = DestructionRequest.objects.create(reason="到期", requested_by=org.staff_secret, status="done",
                                                level="confidential", method="shredding", witness_1=w1, witness_2=w2,
                                                destroyed_on=TODAY, executed_by=org.security_officer, executed_at=now)  # fmt: skip
        req.carriers.add(carrier)
    m = measured("carriers.destroyed_without_witnesses")
    assert m.count == 2 and labels(m) == sorted([d2.registry_number, d3.registry_number])


def test_past_period(org):
    def item(expires, status="determined"):
        return Item.objects.create(title="某事项", level="secret", status=status, duration_kind="period",
                                   duration_value=1, duration_unit="year", department=org.departments["OFFICE"],
                                   proposed_by=org.case_handler, expires_on=expires)  # fmt: skip

    a, b = item(YESTERDAY), item(TODAY)
    item(TOMORROW)
    item(YESTERDAY, status="declassified")
    m = measured("classification.past_period")
    assert m.count == 2 and labels(m) == sorted([f"#{a.pk}", f"#{b.pk}"])


def test_sample_is_limited_but_the_count_is_not(org):
    for _ in range(5):
        c = carrier_for(org.staff_secret)
        Carrier.objects.filter(pk=c.pk).update(status="missing")
    with assert_num_queries(1):
        m = probes.measure("carriers.missing", TODAY, sample=2)
    assert m.count == 5 and len(m.exceptions) == 2
