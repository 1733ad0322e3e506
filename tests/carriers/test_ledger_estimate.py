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


@pytest.mark.postgres
def test_the_estimate_is_kept_until_the_next_change(org, registry, monkeypatch):
    """CAR-12, issue 20 §3, at no repeated cost: a reader coming back to the same view gets the same
    "about N" without sampling or counting again — the page is cut in its one statement — while
    people only read; the next committed change, anywhere, samples afresh (audit/cache.py)."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from baomi.carriers import services as carriers

    monkeypatch.setattr(ledger, "COUNT_EXACT_MAX", 5)
    officer = org.security_officer

    def view() -> tuple[ledger.Total, list[str]]:
        officer.forget_roles()
        with CaptureQueriesContext(connection) as ctx:
            _, page = ledger.ledger_page(officer, QueryDict(""))
        return page.total, [q["sql"] for q in ctx.captured_queries]

    def sampled(sqls: list[str]) -> bool:
        return any("TABLESAMPLE" in sql for sql in sqls)

    first, sqls = view()
    assert not first.exact and first.estimate == 36 and sampled(sqls)
    again, sqls = view()
    assert again == first and not sampled(sqls)
    assert not any("ledger_capped" in sql for sql in sqls)  # the rows alone: no count either

    reader = Client()  # a read is audited but changes nothing counted
    reader.force_login(org.staff_secret)
    assert reader.get("/carriers/ledger/").status_code == 200
    kept, sqls = view()
    assert kept == first and not sampled(sqls)

    item = make_item(org, "confidential", "OFFICE", "变更后的事项")
    carriers.register_carrier(officer, item=item, kind="paper", custodian=org.staff_secret, copies=2)
    after, sqls = view()
    assert sampled(sqls) and after.estimate == 38
    # The last "about N" (36) was at least twice the cap: after the change the page skipped
    # counting its first rows, and sampled the same share of pages at once.
    assert not any("ledger_capped" in sql for sql in sqls)
    assert sum("TABLESAMPLE" in sql for sql in sqls) == 1


@pytest.mark.postgres
def test_a_set_that_shrank_after_a_change_is_counted_exactly(org, registry, monkeypatch):
    """CAR-12: the hint of the last "about N" never stands in for the count: when the fresh estimate is
    under twice the cap, the page counts after all, and a set now within the cap is exact."""
    from baomi.carriers import services as carriers
    from baomi.carriers.models import Carrier

    monkeypatch.setattr(ledger, "COUNT_EXACT_MAX", 5)
    head = org.dept_head

    def total() -> ledger.Total:
        head.forget_roles()
        return ledger.ledger_page(head, QueryDict(""))[1].total

    first = total()
    assert not first.exact and first.estimate == 36
    keep = list(Carrier.objects.filter(department=org.departments["OFFICE"]).values_list("pk", flat=True)[:3])
    Carrier.objects.filter(department=org.departments["OFFICE"]).exclude(pk__in=keep).update(
        department=org.departments["FIN"], custodian=org.staff_other_dept
    )  # lint: allow (set-up: 33 carriers leave his department unseen by the position)
    item = make_item(org, "confidential", "FIN", "他部门事项")
    carriers.register_carrier(org.security_officer, item=item, kind="paper", custodian=org.staff_other_dept)
    assert total() == ledger.Total(3, True)
