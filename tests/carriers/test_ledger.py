"""Ledgers (CAR-12): filtered views of the one registry — filters, search, sort, keyset pages,
totals, a fixed number of queries per page, and nothing the policy denies."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baomi.carriers import ledger
from baomi.carriers.models import Carrier
from baomi.core.errors import ValidationFailed
from tests.carriers.ledger_factories import make_carrier, make_item
from tests.support.integrity import bind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Personas need passwords, not argon2's cost: these tests are about ledgers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def page_of(user, query: str = "", **kw):
    return ledger.ledger_page(user, QueryDict(query), **kw)


@pytest.fixture
def registry(org):
    """Sixty carriers held in OFFICE and FIN at several levels, one a minute, newest last."""
    # 09:00 three days ago: the hour of registrations never crosses midnight, whatever the
    # time the test runs (at 23:xx the date filters below found the hour split over two days).
    start = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=3), time(9, 0)))
    office, fin = org.departments["OFFICE"], org.departments["FIN"]
    items = {
        lv: make_item(org, lv, "OFFICE", f"{lv}事项")
        for lv in ("internal", "confidential", "secret", "top_secret")
    }
    titles = [
        "年度财务预算编制方案",
        "保密工作会议纪要",
        "安全检查工作报告",
        "函：关于设备采购事宜",
        "密码设备使用登记",
    ]
    made = []
    for i in range(60):
        lv = ["internal", "confidential", "secret", "top_secret"][i % 4]
        holder = org.staff_secret if i % 3 else org.staff_other_dept
        made.append(make_carrier(
            org, items[lv], holder, title=f"{titles[i % 5]}（{i:02d}）", kind=["paper", "electronic"][i % 2],
            department=office if i % 3 else fin, at=start + timedelta(minutes=i),
            status="on_loan" if i % 10 == 0 else "registered",
        ))  # fmt: skip
    return made


def test_officer_unit_ledger_newest_first_with_exact_total(org, registry):
    """The security officer's unit ledger is the whole registry he is cleared for, newest first (CAR-12)."""
    _, page = page_of(org.security_officer, "scope=unit", size=50)
    assert page.total.exact and page.total.value == 60
    assert [c.pk for c in page.rows] == [c.pk for c in reversed(registry)][:50]
    assert page.next_cursor and page.prev_cursor is None


def test_keyset_pages_walk_forward_and_back_without_gaps(org, registry):
    """Cursor pages cover every row once, and the previous link returns the same page (CAR-12)."""
    seen, cursor, pages = [], None, []
    while True:
        _, page = page_of(org.security_officer, f"cursor={cursor}" if cursor else "", size=7)
        pages.append([c.pk for c in page.rows])
        seen += pages[-1]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [c.pk for c in reversed(registry)]
    _, second = page_of(org.security_officer, "", size=7)
    _, third = page_of(org.security_officer, f"cursor={second.next_cursor}", size=7)
    _, back = page_of(org.security_officer, f"cursor={third.prev_cursor}", size=7)
    assert [c.pk for c in back.rows] == pages[0]
    _, oldest = page_of(org.security_officer, "sort=oldest", size=5)
    assert [c.pk for c in oldest.rows] == [c.pk for c in registry[:5]]


def test_filters_narrow_the_registry(org, registry):
    """Level, kind, status, department, custodian and date filters each narrow the ledger (CAR-12)."""
    officer = org.security_officer
    fin = org.departments["FIN"]
    _, p = page_of(officer, "level=secret&kind=paper")
    assert p.rows and all(c.level == "secret" and c.kind == "paper" for c in p.rows)
    _, p = page_of(officer, "status=on_loan")
    assert p.total.value == 6
    _, p = page_of(officer, f"department={fin.pk}")
    assert p.total.value == 20 and all(c.department_id == fin.pk for c in p.rows)
    _, p = page_of(officer, f"custodian={org.staff_other_dept.pk}")
    assert p.total.value == 20
    day = timezone.localdate(registry[0].registered_at)
    _, p = page_of(officer, f"date_from={day + timedelta(days=1)}")
    assert p.total.value == 0
    _, p = page_of(officer, f"date_from={day}&date_to={day}")
    assert p.total.value == sum(timezone.localdate(c.registered_at) == day for c in registry)


def test_other_sorts_use_page_numbers(org, registry):
    """Sorting by number, level or title pages by number (CAR-12)."""
    _, p = page_of(org.security_officer, "sort=number", size=10)
    numbers = [c.registry_number for c in p.rows]
    assert numbers == sorted(numbers) and p.page == 1 and p.pages == 6
    _, p2 = page_of(org.security_officer, "sort=number&page=2", size=10)
    assert p2.rows[0].registry_number > numbers[-1]
    _, p = page_of(org.security_officer, "sort=level", size=20)
    assert {c.level for c in p.rows[:15]} == {"top_secret"}


@pytest.mark.parametrize(
    ("term", "expected"),
    [("函", 12), ("预算", 12), ("会议纪要", 12), ("安全检查工作", 12), ("（07）", 1)],
)
def test_chinese_substring_search(org, registry, term, expected):
    """Search finds 1-, 2-, 4- and more-character Chinese substrings of titles (CAR-12): trigram
    index for three or more characters, a LIKE scan for one or two."""
    _, p = page_of(org.security_officer, f"q={term}")
    assert p.total.value == expected
    assert all(term in c.title for c in p.rows)


def test_search_by_registry_number(org, registry):
    """Search also matches the registry number, in any letter case (CAR-12)."""
    number = registry[5].registry_number
    _, p = page_of(org.security_officer, "q=" + number.lower())
    assert [c.pk for c in p.rows] == [registry[5].pk]


def test_search_index_follows_changes(org, registry):
    """Renamed and deleted carriers leave the search (the SQLite FTS triggers; GIN on PostgreSQL)."""
    c = registry[3]
    Carrier.objects.filter(pk=c.pk).update(title="台风防御专项预案")
    _, p = page_of(org.security_officer, "q=台风防御")
    assert [r.pk for r in p.rows] == [c.pk]
    _, p = page_of(org.security_officer, "q=会议纪要（03）")
    assert p.total.value == 0


def test_scopes_are_views_of_one_registry(org, registry):
    """Personal = what I hold; department = my department's rows; unit = all I may see (CAR-12)."""
    me = org.staff_secret
    _, personal = page_of(me, "scope=personal&page_size=200", size=200)
    assert {c.custodian_id for c in personal.rows} == {me.pk}
    assert all(c.level != "top_secret" for c in personal.rows)  # no read up even for the custodian
    _, dept = page_of(org.dept_head, "scope=department", size=200)
    assert {c.department_id for c in dept.rows} == {org.departments["OFFICE"].pk}
    _, unit = page_of(org.staff_other_dept, "scope=unit", size=200)
    assert {c.custodian_id for c in unit.rows} == {org.staff_other_dept.pk}
    _, nothing = page_of(org.outsider, "scope=department", size=200)
    assert nothing.rows == [] and nothing.total.value == 0


def test_ledgers_deny_what_the_policy_denies(org, registry):
    """Filtering for someone else's rows shows nothing — forbidden looks like absent (CAR-3)."""
    _, p = page_of(org.outsider, f"custodian={org.staff_secret.pk}")
    assert p.rows == [] and p.total.value == 0
    _, p = page_of(org.staff_work_secret, "level=top_secret")
    assert p.rows == []


def test_bad_filters_are_validation_errors(org):
    """Unknown values and malformed cursors give Chinese field errors, never a 500 (SEC-7)."""
    for query in [
        "scope=everyone",
        "level=ultra",
        "date_from=2026-13-01",
        "sort=x",
        "cursor=%%%",
        "department=abc",
    ]:
        with pytest.raises(ValidationFailed) as exc:
            page_of(org.security_officer, query)
        assert exc.value.fields


def test_count_is_capped_with_an_estimate(org, registry, monkeypatch):
    """Above the cap the total says "more than N" with an estimate, never a made-up exact number."""
    monkeypatch.setattr(ledger, "COUNT_EXACT_MAX", 25)
    _, p = page_of(org.security_officer, "")
    assert not p.total.exact and p.total.value == 25
    if connection.vendor == "postgresql":
        assert p.total.estimate is not None and p.total.estimate > 0


@pytest.mark.parametrize("persona", ["security_officer", "dept_head", "staff_secret"])
def test_constant_number_of_queries_per_page(org, registry, persona):
    """A page costs a fixed number of queries whatever its depth, for every persona: the first
    page counts in the same query as its rows, deeper pages carry the total in the cursor (no
    filtering in Python, CAR-12). On PostgreSQL the first page also reads the change position
    that keys a kept estimate (``ledger.remembered_estimate``): one query more, always."""
    user = org.users[persona]
    counts = []
    cursor = None
    totals = []
    for _ in range(4):
        user.forget_roles()
        with CaptureQueriesContext(connection) as ctx:
            _, p = page_of(user, f"cursor={cursor}" if cursor else "", size=5)
        counts.append(len(ctx.captured_queries))
        totals.append(p.total)
        cursor = p.next_cursor
        assert cursor
    first_extra = 1 if connection.vendor == "postgresql" else 0
    assert counts[0] - first_extra == counts[1] == counts[2] == counts[3] <= 5
    assert all(t == totals[0] for t in totals)  # the first page's total, carried along


def test_wide_scopes_use_a_subquery_with_the_same_result(org, monkeypatch):
    """A scope wider than the literal-list limit is joined in the database; the ledger shows the
    same rows as the rule allows (CAR-3, CAR-12)."""
    from baomi.carriers import rules as rules
    from tests.carriers.ledger_factories import generate

    generate(org, n_items=24, per_item=2)
    narrow = {n: set(page_of(u, "", size=200)[1].rows) for n, u in org.users.items()}
    monkeypatch.setattr(rules, "LITERAL_IDS_MAX", {"sqlite": 0, "postgresql": 0})
    for name, user in org.users.items():
        user.forget_roles()
        assert set(page_of(user, "", size=200)[1].rows) == narrow[name], name


@pytest.mark.parametrize("term", ["函", "预算", "会议纪要", "（07）"])
def test_every_search_plan_finds_the_same_rows(org, registry, monkeypatch, term):
    """However a search is served — testing each visible row, reading the term's index, or
    walking the index of the sort order (``search_plan``) — the pages, their order and the total
    are the same, in every sort order, for the registry and for a reader whose scope is joined
    in the database (CAR-12)."""
    from baomi.carriers import rules as rules

    monkeypatch.setattr(rules, "LITERAL_IDS_MAX", {"sqlite": 0, "postgresql": 0})
    for user in (org.security_officer, org.dept_head, org.staff_secret):
        results = {}
        for plan in ("scan", "index", "walk"):
            user.forget_roles()
            flt = ledger.parse_filters(QueryDict(f"q={term}"))
            first = ledger.fetch_page(ledger.ledger_query(user, flt, plan=plan), flt, size=4)
            pages = [[c.pk for c in first.rows]]
            if first.next_cursor:
                nxt = ledger.fetch_page(
                    ledger.ledger_query(user, flt, plan=plan), flt, cursor=first.next_cursor, size=4
                )
                pages.append([c.pk for c in nxt.rows])
            results[plan] = (pages, first.total)
            for sort in ("number", "-number", "title", "level"):
                by = ledger.parse_filters(QueryDict(f"q={term}&sort={sort}"))
                sorted_pages = [
                    [
                        c.pk
                        for c in ledger.fetch_page(
                            ledger.ledger_query(user, by, plan=plan), by, page=n, size=4
                        ).rows
                    ]
                    for n in (1, 2)
                ]
                results[plan] += (sorted_pages,)
        assert results["scan"] == results["index"] == results["walk"], (user.username, term)
        expected = [c.pk for c in sorted(registry, key=lambda c: c.registered_at, reverse=True)
                    if term in c.title and rules.CarrierRule().can(user, "view", c)]  # fmt: skip
        assert results["scan"][0][0] == expected[:4]
        assert results["scan"][1].value == len(expected)


def test_search_plan_is_chosen_only_where_it_matters(org, registry):
    """SQLite and readers who see few rows test each visible row; on PostgreSQL the registry
    (security office) gets the index or the walk, whichever the estimates favour (CAR-12)."""
    for user in (org.staff_secret, org.security_officer):
        user.forget_roles()
        ledger.ledger_query(user, ledger.parse_filters(QueryDict("")))
    assert ledger.search_plan(org.staff_secret, "函", "newest") == "scan"
    plan = ledger.search_plan(org.security_officer, "函", "newest")
    if connection.vendor == "postgresql":
        assert plan in ("index", "walk")
        assert ledger.search_plan(org.security_officer, "函", "title") == "index"
    else:
        assert plan == "scan"


def test_declassified_rows_show_the_old_mark_without_a_query_each(org, registry):
    """R-MARK-8, CAR-12: carriers of a declassified item show its old mark with 「解密」 in the
    ledger and its exports, and such rows cost no query each (a page stays a fixed number)."""
    from baomi.carriers import exports
    from baomi.classification.models import MarkRecord

    user = org.security_officer
    user.forget_roles()
    with CaptureQueriesContext(connection) as before:
        page_of(user, "", size=20)
    lifted = {c.item for c in registry[-20:]}
    for item in lifted:
        MarkRecord.objects.create(
            item=item, text=f"{item.get_level_display()}★10年", cancelled_at=timezone.now()
        )
        item.status = "declassified"
        item.save(update_fields=["status"])
        bind(item)  # as the lifting service seals it (R-CRYPTO-5)
    user.forget_roles()
    with CaptureQueriesContext(connection) as after:
        _, p = page_of(user, "", size=20)
        marks = [ledger.row_mark(c) for c in p.rows]
    assert len(after.captured_queries) == len(before.captured_queries)
    assert all(m.endswith("解密") and "★10年" in m for m in marks)
    export = exports.export_ledger(user, QueryDict(""), "xlsx")
    assert export.rows == 60


def test_a_search_read_from_its_index_counts_every_match(org, registry, monkeypatch):
    """A page served from the term's index has read every match to sort them, so its total is
    exact even above the cap, where the other plans say "more than N" (CAR-12)."""
    monkeypatch.setattr(ledger, "COUNT_EXACT_MAX", 5)
    user = org.security_officer
    flt = ledger.parse_filters(QueryDict("q=预算"))
    by_index = ledger.fetch_page(ledger.ledger_query(user, flt, plan="index"), flt, size=4)
    scanned = ledger.fetch_page(ledger.ledger_query(user, flt, plan="scan"), flt, size=4)
    assert (by_index.total.value, by_index.total.exact) == (12, True)
    assert (scanned.total.value, scanned.total.exact) == (5, False)
    assert [c.pk for c in by_index.rows] == [c.pk for c in scanned.rows]
    nxt = ledger.fetch_page(
        ledger.ledger_query(user, flt, plan="index"), flt, cursor=by_index.next_cursor, size=4
    )
    assert nxt.total == by_index.total  # carried in the cursor
