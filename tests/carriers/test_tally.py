"""The count of carriers by department × level × status that the database keeps (OPS-1 speed,
carriers/tally.py): equal at every step to a count of the registry, whoever wrote — a service,
a factory, a raw UPDATE — and whatever rolled back; folded by the job without changing a sum;
and what the security office's dashboard and statistics read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum

from baomi.carriers import jobs, tally
from baomi.carriers import services as carriers
from baomi.carriers.models import Carrier, CarrierCount, RegistrationCount
from baomi.core.levels import Level
from baomi.reports import statistics
from tests.carriers.ledger_factories import make_carrier, make_item

pytestmark = pytest.mark.django_db

ALL = list(Level.values)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counted() -> dict[tuple[int, str, str], int]:
    rows = Carrier.objects.order_by().values_list("department_id", "level", "status").annotate(n=Count("*"))
    return {(d, lv, st): n for d, lv, st, n in rows}


def registrations() -> dict[tuple[date, str], int]:
    """The registry counted by UTC day of registration and level, in Python."""
    out: dict[tuple[date, str], int] = {}
    for at, level in Carrier.objects.values_list("registered_at", "level"):
        key = (at.astimezone(UTC).date(), level)
        out[key] = out.get(key, 0) + 1
    return out


def kept_registrations() -> dict[tuple[date, str], int]:
    rows = RegistrationCount.objects.order_by().values_list("day", "level").annotate(n=Sum("n"))
    return {(d, lv): n for d, lv, n in rows if n}


def test_the_kept_count_is_the_registrys_count_whoever_writes(org):
    start = tally.counts(ALL)
    assert start == counted()
    secret = make_item(org, "secret", "OFFICE", "计数测试事项")
    confidential = make_item(org, "confidential", "FIN", "计数测试事项二")
    made = [make_carrier(org, secret, org.staff_secret) for _ in range(3)]  # a factory: no service
    made.append(make_carrier(org, confidential, org.staff_other_dept))
    assert tally.counts(ALL) == counted() != start

    # (a series the factory does not number)
    carriers.register_carrier(
        org.security_officer, item=secret, kind="medium", custodian=org.staff_secret, copies=2
    )
    carriers.mark_missing(org.security_officer, made[0], open_incident=False)  # a status moves
    assert tally.counts(ALL) == counted()

    # Any writer: a raw UPDATE moving department, level and status at once; one moving nothing.
    Carrier.objects.filter(pk=made[1].pk).update(
        department=org.departments["FIN"], level="top_secret", status="on_loan"
    )
    Carrier.objects.filter(pk=made[2].pk).update(title="只改标题")
    assert tally.counts(ALL) == counted()
    Carrier.objects.filter(pk=made[3].pk).delete()  # no service deletes a carrier; a raw DELETE still counts
    assert tally.counts(ALL) == counted()

    before = tally.counts(ALL)
    with pytest.raises(RuntimeError), transaction.atomic():  # a change that rolls back leaves no trace
        make_carrier(org, secret, org.staff_secret)
        raise RuntimeError
    assert tally.counts(ALL) == before == counted()

    # Only the levels asked for.
    assert tally.counts(["secret"]) == {k: n for k, n in counted().items() if k[1] == "secret"}
    assert tally.counts([]) == {}
    fin = org.departments["FIN"].pk  # only the departments asked for (a head's whole cells)
    assert tally.counts(ALL, departments=[fin]) == {k: n for k, n in counted().items() if k[0] == fin} != {}
    assert tally.counts(ALL, departments=[]) == {}
    by_level = {}
    for (_d, lv, _st), n in counted().items():
        by_level[(lv,)] = by_level.get((lv,), 0) + n
    assert tally.counts(ALL, ("level",)) == by_level


def test_the_job_folds_the_rows_without_changing_a_sum(org):
    """The job folds each cell that gained rows into one row (a cell back to zero into none) and
    rewrites nothing else: a second run writes nothing."""
    item = make_item(org, "secret", "OFFICE", "折叠测试事项")
    for _ in range(4):
        make_carrier(org, item, org.staff_secret)
    carrier = make_carrier(org, item, org.staff_secret)
    carriers.mark_missing(org.security_officer, carrier, open_incident=False)
    there_and_back = make_carrier(org, item, org.staff_secret)  # on loan and back: a cell of +1, -1
    Carrier.objects.filter(pk=there_and_back.pk).update(status="on_loan")
    Carrier.objects.filter(pk=there_and_back.pk).update(status="registered")
    before = tally.counts(ALL)
    rows = CarrierCount.objects.count()
    result = jobs.compact_count(None)
    assert result["rows_folded"] > result["rows_written"] > 0
    assert rows - result["rows_folded"] + result["rows_written"] == CarrierCount.objects.count()
    assert tally.counts(ALL) == before == counted()
    assert CarrierCount.objects.count() == len(before)  # one row per non-empty cell, none for on_loan
    # The registrations by day fold the same way: one row per day and level, the same sums.
    assert result["registration_rows_folded"] > result["registration_rows_written"] > 0
    assert kept_registrations() == registrations()
    assert RegistrationCount.objects.count() == len(registrations())
    assert jobs.compact_count(None) == {"rows_folded": 0, "rows_written": 0, "registration_rows_folded": 0,
                                        "registration_rows_written": 0}  # nothing new: nothing written  # fmt: skip


def test_the_security_offices_figures_come_from_the_kept_count(org):
    """The officer's grid is read from the count (no pass over the registry), and says the same as
    the policy's count; a department head is still counted through the policy filter."""
    item = make_item(org, "secret", "OFFICE", "统计测试事项")
    for _ in range(3):
        make_carrier(org, item, org.staff_secret)
    officer = org.security_officer
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        grid = statistics._carrier_counts(officer, *statistics.GRID)
    assert any(CarrierCount._meta.db_table in q["sql"] for q in ctx.captured_queries)
    assert not any('FROM "carriers_carrier"' in q["sql"] for q in ctx.captured_queries)
    policy_count = statistics._counts(statistics.carriers(officer), "department", "level", "status")
    assert grid == policy_count
    # A department head: his department's cells from the count, only the rest from the registry.
    head = org.dept_head
    with CaptureQueriesContext(connection) as ctx:
        grid = statistics._carrier_counts(head, *statistics.GRID)
    assert any(CarrierCount._meta.db_table in q["sql"] for q in ctx.captured_queries)
    assert grid == statistics._counts(statistics.carriers(head), *statistics.GRID)
    assert grid[(org.departments["OFFICE"].pk, "secret", "registered")] == 3


def test_whole_cells_and_the_rest_count_exactly_what_each_reader_sees(org):
    """OPS-1, CAR-3, CAR-6, CAR-12: the cut of ``carriers.rules.visible_cells`` (whole cells of
    the departments one heads, from the count; the carriers one's scope reaches elsewhere; those
    one holds outside both) counts, cell by cell, what ``policy.visible`` lets each reader see —
    over a registry with scopes by person and by department (some expired, some not yet valid),
    carriers kept in other departments than their custodian's, carriers on loan across
    departments, a head of two departments, an inactive account."""
    from baomi.accounts.models import Department, User
    from baomi.carriers.rules import visible_cells
    from tests.carriers.ledger_factories import generate

    made = generate(org, n_items=40, per_item=3)
    people = list(User.objects.order_by("pk"))
    for i, carrier in enumerate(made[::4]):  # lent to someone, often of another department
        Carrier.objects.filter(pk=carrier.pk).update(holder=people[(i * 7) % len(people)], status="on_loan")
    Department.objects.filter(code="FIN").update(head=org.dept_head)
    User.objects.filter(pk=org.users["staff_confidential"].pk).update(is_active=False)
    seen = {}
    for user in User.objects.order_by("pk"):  # fresh objects: nothing kept from another reader
        expected = statistics._counts(statistics.carriers(user), *statistics.GRID)
        assert statistics._carrier_counts(user, *statistics.GRID) == expected, user.username
        seen[user.username] = sum(expected.values())
    assert seen["staff_confidential"] == 0 and seen["security_officer"] == Carrier.objects.count()
    assert sum(1 for n in seen.values() if n) >= 8
    head = User.objects.get(pk=org.dept_head.pk)
    cells = visible_cells(head)
    assert sorted(cells.departments) == sorted(
        d.pk for d in Department.objects.filter(code__in=["OFFICE", "FIN"])
    )
    assert all(part.exists() for part in cells.rest)  # both the scope and the held carriers counted


def test_the_kept_registrations_are_the_registrys_whoever_writes(org):
    """OPS-1: registrations by UTC day and level, kept by the triggers of carriers/0016 through a
    factory, a service, a raw UPDATE of the level or of the instant, a DELETE and a rollback."""
    assert kept_registrations() == registrations()
    secret = make_item(org, "secret", "OFFICE", "登记计数事项")
    made = [make_carrier(org, secret, org.staff_secret, at=datetime(2026, 2, 28, 23, 59, tzinfo=UTC)),
            make_carrier(org, secret, org.staff_secret, at=datetime(2026, 3, 1, 0, 0, tzinfo=UTC)),
            make_carrier(org, secret, org.staff_secret)]  # fmt: skip
    carriers.register_carrier(
        org.security_officer, item=secret, kind="medium", custodian=org.staff_secret, copies=2
    )
    assert kept_registrations() == registrations()
    Carrier.objects.filter(pk=made[0].pk).update(level="top_secret")
    Carrier.objects.filter(pk=made[1].pk).update(registered_at=datetime(2025, 12, 31, 16, 0, tzinfo=UTC))
    Carrier.objects.filter(pk=made[2].pk).update(status="on_loan")  # no registration moves
    assert kept_registrations() == registrations()
    Carrier.objects.filter(pk=made[2].pk).delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_carrier(org, secret, org.staff_secret)
        raise RuntimeError
    assert kept_registrations() == registrations()


def test_registrations_per_local_month_count_the_hours_at_either_end(org, settings):
    """OPS-3: a local month (China Standard Time, UTC+8) begins at 16:00 UTC of the day before:
    its first eight hours lie in a UTC day of the month before, its last sixteen in its own last
    UTC day. Those hours are counted from the registry, the whole days from the kept count —
    every carrier in its local month, for every level asked and for a period cut mid-month."""
    settings.TIME_ZONE = "Asia/Shanghai"
    local = ZoneInfo("Asia/Shanghai")
    item = {lv: make_item(org, lv, "OFFICE", f"月界事项{lv}") for lv in ("secret", "confidential")}
    instants = [
        datetime(2026, 2, 28, 23, 59, 59, tzinfo=local),  # February, 15:59:59 UTC
        datetime(2026, 3, 1, 0, 0, tzinfo=local),  # March: its very first instant
        datetime(2026, 3, 1, 7, 59, tzinfo=local),  # March, still on 28 February UTC
        datetime(2026, 3, 15, 12, 0, tzinfo=local),
        datetime(2026, 3, 31, 23, 59, tzinfo=local),  # March, 15:59 UTC of the 31st
        datetime(2026, 4, 1, 0, 0, tzinfo=local),  # April
    ]
    for i, at in enumerate(instants):
        make_carrier(org, item["secret" if i % 2 else "confidential"], org.staff_secret, at=at)
    every = list(Level.values)
    months = [datetime(2026, m, 1, tzinfo=local) for m in (2, 3, 4, 5)]
    ranges = list(pairwise(months))
    by_month = {
        levels: [sum(1 for j, at in enumerate(instants) if lo <= at < hi
                     and ("secret" if j % 2 else "confidential") in levels) for lo, hi in ranges]
        for levels in (tuple(every), ("secret",))
    }  # fmt: skip
    assert by_month[tuple(every)] == [1, 4, 1]
    assert tally.registered(every, ranges) == by_month[tuple(every)]
    assert tally.registered(["secret"], ranges) == by_month[("secret",)] == [0, 2, 1]
    assert tally.registered([], ranges) == [0, 0, 0]
    # Within one UTC day (no whole day inside): the registry alone.
    assert tally.registered(every, [(instants[1], instants[2] + timedelta(minutes=1))]) == [2]

    # The security office's flows per month, a period cut mid-month, against the policy's count.
    period = statistics.Period(date(2026, 3, 1), date(2026, 3, 20))
    table = statistics.flows_by_month(org.security_officer, period)
    assert [r[1].value for r in table.rows] == [3, 3]
    officer = statistics.carriers(org.security_officer)
    start, end = period.bounds()
    assert officer.filter(registered_at__gte=start, registered_at__lt=end).count() == 3
