"""The ledger's "more than N, about M" (CAR-12, issue 20 §3): M is the ledger's own query counted
over a sample of the carrier table and scaled up, or the exact count when the sample shows the
set is small. The accuracy at a million carriers is measured by bench/ledger (estimate ÷ exact)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from baomi.carriers import ledger
from tests.carriers.ledger_factories import make_carrier, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def registry(org):
    start = timezone.now() - timedelta(days=3)
    items = {lv: make_item(org, lv, "OFFICE", f"{lv}事项") for lv in ("internal", "confidential", "secret")}
    for i in range(36):
        lv = ("internal", "confidential", "secret")[i % 3]
        make_carrier(org, items[lv], org.staff_secret, title=f"估计测试（{i:02d}）",
                     department=org.departments["OFFICE"], at=start + timedelta(minutes=i))  # fmt: skip


def _total(user, query: str = "") -> ledger.Total:
    flt = ledger.parse_filters(QueryDict(query))
    return ledger.count_rows(ledger.ledger_queryset(user, flt))


@pytest.mark.postgres
def test_the_estimate_is_the_ledgers_own_query_over_a_sample_scaled_up(org, registry, monkeypatch):
    """With the whole table as the "sample" the scaled count must be the exact count — for a
    reader who sees everything, one with a department's view, and a search: the sampled query is
    the very query of the ledger."""
    monkeypatch.setattr(ledger, "COUNT_EXACT_MAX", 5)
    with connection.cursor() as cur:  # the table's row count the estimate scales by, up to date
        cur.execute("ANALYZE carriers_carrier")
    monkeypatch.setattr(ledger, "SAMPLE_PERCENT", 100)
    monkeypatch.setattr(ledger, "SAMPLE_MIN_HITS", 1)
    for user, query in [(org.security_officer, ""), (org.dept_head, ""), (org.security_officer, "q=估计")]:
        qs = ledger.ledger_queryset(user, ledger.parse_filters(QueryDict(query)))
        exact = qs.count()
        total = _total(user, query)
        assert exact > 5 and (total.value, total.exact, total.estimate) == (5, False, exact), (user, query)
    # The short search was counted in its per-row form (strpos), not the character-index test.
    flt = ledger.parse_filters(QueryDict("q=估计"))
    assert "ledger_short_grams" in str(ledger.ledger_queryset(org.security_officer, flt).query)


def test_a_set_too_small_to_sample_is_counted_exactly(org, registry, monkeypatch):
    """PostgreSQL: a sample that holds too few visible rows says the set is small, so it is
    counted exactly (still shown as "more than N, about M", M being the true count). SQLite has
    no sampling and no planner estimate: "more than N" without a figure."""
    monkeypatch.setattr(ledger, "COUNT_EXACT_MAX", 5)
    flt = ledger.parse_filters(QueryDict(""))
    exact = ledger.ledger_queryset(org.staff_secret, flt).count()
    expected = exact if connection.vendor == "postgresql" else None
    assert _total(org.staff_secret) == ledger.Total(5, False, expected)
