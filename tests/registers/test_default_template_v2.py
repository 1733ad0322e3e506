"""Version 2 of the shipped default checklist carries the registers' measured checks (SUP-1,
issue 16 §8): a new campaign on the default checklist measures them against the hand-counted
fixture of tests/registers/test_measures.py (on SQLite and on PostgreSQL); version 1 stays as
it was and the runs opened on it keep it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from baomi.inspections import services
from baomi.inspections.default_template import AREAS, REGISTER_ITEMS
from baomi.inspections.models import CheckItem, Template
from baomi.kit import probes
from tests.inspections.factories import default_template
from tests.registers.test_measures import PROBES, fixture  # noqa: F401  (the hand-counted fixture)
from tests.support.registers import today

pytestmark = pytest.mark.django_db


def _items(template):
    return [(i.area.number, i.number, i.text, i.probe, i.score)
            for i in CheckItem.objects.filter(area__template=template).select_related("area")]  # fmt: skip


def test_version_2_adds_the_register_checks_and_version_1_stays(org):
    v2 = default_template()
    v1 = Template.objects.get(family=v2.family, version=1)
    assert (v2.version, v2.status, v2.is_default, v2.based_on_id) == (2, "published", True, v1.pk)
    assert v1.status == "retired" and v1.is_default
    shipped = [(n, i, text, probe, score) for n, (_title, items) in enumerate(AREAS, 1)
               for i, (text, _how, score, _ev, probe) in enumerate(items, 1)]  # fmt: skip
    assert [(a, n, t, p, int(s)) for a, n, t, p, s in _items(v1)] == shipped  # unchanged
    old = {(a, n, t, p) for a, n, t, p, _s in _items(v1)}
    added = [row for row in _items(v2) if (row[0], row[1], row[2], row[3]) not in old]
    assert {(area, probe) for area, _n, _t, probe, _s in added} == {(a, p) for a, *_r, p in REGISTER_ITEMS}
    for area, _n, _t, probe, _s in added:
        assert probes.get(probe).area == area  # each in its probe's Art 58 area


def test_a_new_campaign_on_the_default_checklist_measures_the_registers(fixture):  # noqa: F811
    org = fixture
    officer = org.security_officer
    plan = services.create_plan(officer, title="年度自查自评", kind="annual", template=default_template(),
                                lead=officer, due_on=today())  # fmt: skip
    [run] = services.open_plan_runs(officer, plan)
    assert run.template.version == 2
    measured = {a.item.probe: a for a in run.answers.select_related("item") if a.item.probe}
    for key, count in PROBES.items():
        assert measured[key].measured["count"] == count, key
        assert measured[key].suggested == "non_compliant", key
    assert measured["sites.places_past_check"].measured["count"] == 0
    assert measured["sites.places_past_check"].suggested == "compliant"


@pytest.mark.django_db(transaction=True)
def test_runs_on_version_1_keep_it_across_the_migration():
    """A campaign run on version 1 before the upgrade keeps version 1 and its answers."""
    node = ("inspections", "0004_default_template_v2")
    default_template()  # shipped (recreated if an earlier transactional test emptied the tables)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    before = [parent.key for parent in executor.loader.graph.node_map[node].parents]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        T, Run, Answer, Item = (
            old.get_model("inspections", m) for m in ("Template", "Run", "Answer", "CheckItem")
        )
        User, Dept = old.get_model("accounts", "User"), old.get_model("accounts", "Department")
        v1 = T.objects.get(is_default=True)
        assert v1.status == "published" and not T.objects.filter(family=v1.family, version=2).exists()
        lead = User.objects.create(username="m-lead", full_name="检查员",
                                   department=Dept.objects.create(name="保密办", code="M-SEC"))  # fmt: skip
        run = Run.objects.create(template=v1, kind="annual", title="去年自查", lead=lead, due_on=today())
        Answer.objects.bulk_create(Answer(run=run, item=i) for i in Item.objects.filter(area__template=v1))
        executor.loader.build_graph()
        executor.migrate(leaves)
        from baomi.inspections.models import Run as NewRun

        kept = NewRun.objects.get(pk=run.pk)
        assert kept.template_id == v1.pk and kept.template.status == "retired"
        assert kept.answers.count() == CheckItem.objects.filter(area__template_id=v1.pk).count()
        assert default_template().version == 2
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
