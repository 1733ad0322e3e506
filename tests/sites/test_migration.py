"""The place checks' own rectification rows move into the rectification loop with nothing lost
(issue 16 §1, SUP-1 整改): a check with findings under rectification becomes a finding naming
it with an assigned task (its deadline, the place's responsible person as owner); a rectified
one a closed finding whose task was verified on the day recorded, with the note as the report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.support import migrations

MOVE = ("sites", "0002_rectification_into_the_loop")


@pytest.mark.django_db(transaction=True)
def test_rectification_rows_survive_the_move():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets, before = migrations.before(executor.loader.graph, [MOVE])
    executor.migrate(targets)
    try:
        old = executor.loader.project_state(before).apps
        User = old.get_model("accounts", "User")
        Dept = old.get_model("accounts", "Department")
        Place = old.get_model("sites", "KeyPlace")
        Check = old.get_model("sites", "PlaceCheck")
        dept = Dept.objects.create(name="办公室", code="M-OFFICE")
        boss = User.objects.create(username="m-resp", full_name="负责人", department=dept)
        officer = User.objects.create(username="m-officer", full_name="保密员", department=dept)
        place = Place.objects.create(name="档案室", code="KP-M1", kind="archive", department=dept, level="secret",
                                     responsible=boss)  # fmt: skip
        day = dt.date(2026, 3, 2)
        open_ = Check.objects.create(place=place, planned_on=day, status="findings", checked_on=day,
                                     checker=officer, findings="门禁失效", rectify_by=day + dt.timedelta(days=20))  # fmt: skip
        done = Check.objects.create(place=place, planned_on=day, status="rectified", checked_on=day, checker=officer,
                                    findings="柜锁松动", rectify_by=day + dt.timedelta(days=10),
                                    rectified_on=day + dt.timedelta(days=5), rectification="已更换柜锁")  # fmt: skip
        passed = Check.objects.create(
            place=place, planned_on=day, status="passed", checked_on=day, checker=officer
        )
        executor.loader.build_graph()
        executor.migrate(leaves)
        from baomi.inspections.models import Finding
        from baomi.sites.models import PlaceCheck

        rows = {f.origin_id: f for f in Finding.objects.filter(origin="sites.place_check")}
        assert set(rows) == {open_.pk, done.pk}
        a, b = rows[open_.pk], rows[done.pk]
        assert a.run_id is None and a.status == "rectifying" and a.description == "门禁失效"
        assert a.origin_url == f"/sites/checks/{open_.pk}/" and a.recorded_by_id == officer.pk
        [ta] = a.tasks.all()
        assert (
            ta.status == "assigned" and ta.owner_id == boss.pk and ta.deadline == day + dt.timedelta(days=20)
        )
        assert b.status == "closed" and b.closed_at.date() == day + dt.timedelta(days=5)
        [tb] = b.tasks.all()
        assert (
            tb.status == "verified"
            and tb.report == "已更换柜锁"
            and tb.deadline == day + dt.timedelta(days=10)
        )
        assert tb.verified_at.date() == day + dt.timedelta(days=5)
        assert PlaceCheck.objects.get(pk=open_.pk).status == "findings"
        assert PlaceCheck.objects.get(pk=done.pk).status == "rectified"
        assert not Finding.objects.filter(origin_id=passed.pk).exists()
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
