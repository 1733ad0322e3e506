"""Counts read together (OPS-1 speed, ``baomi.kit.counts``): inside a batch every count is the
number ``.count()`` gives, whatever the queryset's shape, and they cost one statement; the start
page's to-dos read that way are the ones each app reports on its own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from baomi.accounts.models import Department, User
from baomi.dashboard.views import tasks_for
from baomi.kit import counts, registry, requests

pytestmark = pytest.mark.django_db


def shapes() -> dict[str, object]:
    """Querysets whose ``count()`` Django computes in different ways."""
    users = User.objects.all()
    return {
        "plain": users.filter(is_active=True),
        # A join that repeats a person once per role, made distinct.
        "distinct over a join": users.filter(role_assignments__isnull=False).distinct(),
        "a join, not distinct": users.filter(role_assignments__isnull=False),
        # Values made distinct: the number of departments with someone in them, not of people.
        "distinct values": users.values("department").distinct(),
        "grouped and filtered": Department.objects.annotate(n=Count("members")).filter(n__gte=2),
        "ordered": users.order_by("-username"),
        "none()": users.none(),
        "a condition that matches nothing": users.filter(pk__in=[]),
        "an OR": users.filter(Q(is_active=False) | Q(username__startswith="staff")),
        "sliced": users.order_by("pk")[:3],
        "combined": users.filter(is_active=True)
        .order_by()
        .union(users.filter(username__startswith="dept").order_by()),
    }


def test_each_count_in_a_batch_is_the_querysets_count(org):
    expected = {name: qs.count() for name, qs in shapes().items()}
    assert expected["distinct over a join"] < expected["a join, not distinct"]  # the shapes differ
    assert expected["distinct values"] < expected["plain"]
    with counts.batch() as batch:
        got = {name: counts.of(qs) for name, qs in shapes().items()}
        assert all(isinstance(v, counts.Deferred) for v in got.values())
        batch.settle()
    assert {name: int(v) for name, v in got.items()} == expected
    # Several querysets in one count: their sum.
    with counts.batch():
        total = counts.of(shapes()["plain"], shapes()["distinct values"], shapes()["none()"])
    assert total == expected["plain"] + expected["distinct values"]


def test_a_batch_is_one_statement_and_outside_one_a_count_is_a_number(org):
    plain = {k: v for k, v in shapes().items() if k not in ("sliced", "combined", "none()")}
    with CaptureQueriesContext(connection) as ctx, counts.batch() as batch:
        got = [counts.of(qs) for qs in plain.values()]
        assert len(ctx.captured_queries) == 0  # nothing read yet
        batch.settle()
    assert len(ctx.captured_queries) == 1
    assert [int(v) for v in got] == [qs.count() for qs in plain.values()]
    assert counts.of(User.objects.all()) == User.objects.count()
    assert isinstance(counts.of(User.objects.all()), int)


def test_a_count_read_before_the_batch_settles_reads_the_whole_batch(org):
    with CaptureQueriesContext(connection) as ctx, counts.batch():
        first, second = counts.of(User.objects.all()), counts.of(Department.objects.all())
        assert bool(first)  # the first look reads both
        assert len(ctx.captured_queries) == 1
        assert second == Department.objects.count()


def test_the_start_pages_to_dos_read_together_are_each_apps_own(org):
    """OPS-1: for every role, the to-dos of ``tasks_for`` (one batch) are the entries each app's
    ``dashboard.tasks`` reports when called on its own, count for count."""
    from tests.carriers.factories import make_carrier

    make_carrier(org, "secret")
    people = [org.security_officer, org.unit_head, org.dept_head, org.auditor, org.staff_secret, org.sysadmin]
    for person in people:
        alone = [t for _app, module in registry.modules("dashboard") for t in module.tasks(person)]
        alone += requests.approval_queue(person)
        expected = [(str(t["label"]), t["count"]) for t in alone if t.get("count")]
        got = [(str(t["label"]), t["count"]) for t in tasks_for(person)]
        assert got == expected, person.username
        assert all(type(count) is int or isinstance(count, str) for _label, count in got)


def test_a_deferred_count_is_never_cached_only_its_number(org):
    """A cached figure (audit/cache.py) is a number: a count still waiting refuses to be pickled
    (pickling would take its queryset along and read every row), and the start page's panels
    are numbers by the time they are cached."""
    import pickle

    from baomi.dashboard.panels import panels_for

    with counts.batch():
        waiting = counts.of(User.objects.all())
        with pytest.raises(TypeError):
            pickle.dumps(waiting)
    _kind, panels = panels_for(org.security_officer)
    values = [f.value for p in panels for f in p.figures]
    assert values and not any(isinstance(v, counts.Deferred) for v in values)
    pickle.dumps(panels)


def aggregate_shapes() -> dict[str, tuple[object, dict[str, object]]]:
    """Querysets and integer figures whose ``aggregate()`` Django writes in different ways."""
    from django.db.models import Sum

    users = User.objects.all()
    figures = {"n": Count("pk"), "active": Count("pk", filter=Q(is_active=True)), "ids": Sum("pk")}
    return {
        "plain": (users, figures),
        "filtered": (users.filter(username__startswith="staff"), figures),
        # A join repeats a person once per role: counted per row, as Django counts it.
        "a join": (
            users.filter(role_assignments__isnull=False),
            {"rows": Count("pk"), "people": Count("pk", distinct=True)},
        ),
        "none()": (users.none(), figures),
        "a condition that matches nothing": (users.filter(pk__in=[]), figures),
        # Shapes Django aggregates over a subquery: read at once, not with the batch.
        "distinct": (users.filter(role_assignments__isnull=False).distinct(), {"n": Count("pk")}),
        "annotated": (Department.objects.annotate(m=Count("members")).filter(m__gte=1), {"n": Count("pk")}),
    }


def test_each_aggregate_in_a_batch_is_the_querysets_aggregate(org):
    """OPS-1: a panel's figures of one set (``counts.aggregate``) are ``.aggregate()``'s, whatever
    the shape — a sum over no rows reads 0 — and the plain ones join the batch's one statement."""
    from django.db.models import Sum

    expected = {
        name: {k: v or 0 for k, v in qs.aggregate(**f).items()}
        for name, (qs, f) in aggregate_shapes().items()
    }
    assert expected["a join"]["rows"] > expected["a join"]["people"]  # the shapes differ
    assert expected["filtered"]["n"] < expected["plain"]["n"] and expected["plain"]["ids"] > 0
    with CaptureQueriesContext(connection) as ctx, counts.batch() as batch:
        plain = {name: counts.aggregate(qs, **f) for name, (qs, f) in aggregate_shapes().items()
                 if name not in ("distinct", "annotated")}  # fmt: skip
        people = counts.of(User.objects.all())
        assert len(ctx.captured_queries) == 0  # nothing read yet
        at_once = {name: counts.aggregate(qs, **f) for name, (qs, f) in aggregate_shapes().items()
                   if name in ("distinct", "annotated")}  # fmt: skip
        assert len(ctx.captured_queries) == 2 and all(
            type(v) is int for d in at_once.values() for v in d.values()
        )
        batch.settle()
    assert len(ctx.captured_queries) == 3  # the counts and the plain aggregates: one statement
    got = {name: {k: int(v) for k, v in row.items()} for name, row in {**plain, **at_once}.items()}
    assert got == expected and people == User.objects.count()
    # Outside a batch: numbers at once; and only integer figures.
    assert counts.aggregate(User.objects.all(), n=Count("pk")) == {"n": User.objects.count()}
    with pytest.raises(TypeError):
        counts.aggregate(User.objects.all(), n=Count("pk"), last=Sum("pk") / 2)  # type: ignore[arg-type]


def test_a_callback_runs_with_the_number_once_it_is_read(org):
    """OPS-1: ``counts.then`` (what caches a shared count) hears the number once the batch is
    read, and at once outside a batch."""
    heard: list[int] = []
    with counts.batch() as batch:
        waiting = counts.then(counts.of(User.objects.all()), heard.append)
        assert heard == []
        batch.settle()
    assert heard == [User.objects.count()] == [waiting]
    counts.then(counts.of(Department.objects.all()), heard.append)  # outside a batch: at once
    assert heard[-1] == Department.objects.count()


def test_a_shared_count_is_read_with_the_batch_and_cached_once_read(org):
    """OPS-1: a count cached under the change position (``audit.cache.cached_count``, the
    personnel figures the panels and the to-dos share) joins the batch on a miss, is cached
    when the batch is read, and a later view reads the number from the cache — until the next
    change."""
    from django.core.cache import cache

    from baomi.audit.cache import cached_count
    from tests.carriers.factories import make_carrier

    cache.clear()
    with CaptureQueriesContext(connection) as ctx, counts.batch() as batch:
        first = cached_count("test:people", lambda: User.objects.all())
        assert isinstance(first, counts.Deferred)
        read_position = len(ctx.captured_queries)
        batch.settle()
    assert first == User.objects.count() and len(ctx.captured_queries) == read_position + 1
    with CaptureQueriesContext(connection) as ctx, counts.batch():
        again = cached_count("test:people", lambda: User.objects.none())
    assert type(again) is int and again == User.objects.count()
    assert len(ctx.captured_queries) == read_position  # the position only: the count came from the cache
    make_carrier(org, "secret")  # a change, audited: the position moves
    assert cached_count("test:people", lambda: User.objects.none()) == 0
