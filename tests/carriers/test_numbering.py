"""Registry numbers under concurrent registration on PostgreSQL (CAR-1): no gaps, no
duplicates, no deadlocks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from baomi.carriers import services
from baomi.carriers.models import Carrier, RegistrySequence
from baomi.core.errors import ValidationFailed
from tests.carriers.factories import make_item

THREADS = 8
PER_THREAD = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registration_is_gapless_and_unique(org):
    """CAR-1: 8 threads register at once; the numbers are 1..N exactly, each once."""
    item = make_item(org)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            for _i in range(PER_THREAD):
                services.register_carrier(org.security_officer, item=item, kind="paper",
                                          custodian=org.staff_secret, copies=1 + n % 2)  # fmt: skip
        except BaseException as exc:  # collected and asserted below: a deadlock shows here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    total = sum(PER_THREAD * (1 + n % 2) for n in range(THREADS))
    seqs = sorted(Carrier.objects.filter(kind="paper").values_list("sequence", flat=True))
    assert seqs == list(range(1, total + 1))
    assert len(set(Carrier.objects.values_list("registry_number", flat=True))) == total
    copy_numbers = sorted(Carrier.objects.filter(item=item).values_list("copy_number", flat=True))
    assert copy_numbers == [f"{i:06d}" for i in range(1, total + 1)]
    assert RegistrySequence.objects.get(kind="paper").last == total


@pytest.mark.django_db
def test_rolled_back_registration_returns_its_numbers(org):
    """CAR-1: a refused registration leaves no gap."""
    item = make_item(org)
    services.register_carrier(org.security_officer, item=item, kind="medium", custodian=org.staff_secret)
    with pytest.raises(ValidationFailed):
        services.register_carrier(org.security_officer, item=item, kind="medium", custodian=org.outsider)
    again = services.register_carrier(
        org.security_officer, item=item, kind="medium", custodian=org.staff_secret
    )
    assert again[0].sequence == 2
