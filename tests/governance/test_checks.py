"""The measured checks of the self-inspection (R-SITE-4 areas 1-2, SUP-9, SUP-10, ORG-2): one
aggregate query each, against a hand-counted fixture — on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.accounts import services as accounts
from baomi.governance import selectors, services
from tests.governance.factories import plan, regulation, signed_statement, today
from tests.support.assertions import assert_num_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture(org):
    """Departments needing a statement: OFFICE, SEC, FIN, IT (ORG is the unit itself) = 4.
    Signed this year: OFFICE and SEC = 2; FIN issued but only half signed; IT signed LAST year.
    Regulations in force: 4, of which 2 overdue (review yesterday, and 10 days ago); one more
    overdue but repealed (not counted). Plans in force: 3; one drilled in time, one overdue (its
    first drill was due after a month), one never drilled and not yet due; one retired (overdue
    but not counted)."""
    so, d = org.security_officer, org.departments
    accounts.set_department_officers(
        None, d["SEC"], head=org.security_officer, secrecy_officer=None, bootstrap=True
    )
    accounts.set_department_officers(None, d["IT"], head=org.sysadmin, secrecy_officer=None, bootstrap=True)
    signed_statement(org, d["OFFICE"])
    signed_statement(org, d["SEC"])
    fin = services.issue_statement(so, department=d["FIN"], year=today().year)
    services.record_statement_signature(so, fin, side="unit", signed_on=today(), signatory=org.unit_head)
    signed_statement(org, d["IT"], year=today().year - 1)
    regulation(org, "R1", review_in=30)
    regulation(org, "R2", review_in=0)
    regulation(org, "R3", review_in=-1)
    regulation(org, "R4", review_in=-10)
    gone = regulation(org, "R5", review_in=-20)
    services.repeal_regulation(so, gone, reason="废止")
    p1 = plan(org, "leak", months=1, effective_days_ago=40)
    services.record_drill(so, p1, held_on=today() - timedelta(days=2), scenario="泄密处置", findings="良好",
                          other_participants="保密办全体")  # fmt: skip
    plan(org, "cyber", months=1, effective_days_ago=40)
    plan(org, "carrier_loss", months=12, effective_days_ago=10)
    retired = plan(org, "other", months=1, effective_days_ago=90)
    services.retire_plan(so, retired, reason="并入")
    return org


def test_statement_figures(fixture):
    with assert_num_queries(1):
        figures = selectors.statement_figures(today())
    assert figures == {"total": 4, "ok": 2, "missing": 2}
    with assert_num_queries(1):
        names = [name for _pk, name in selectors.departments_without_statement(today())]
    assert sorted(names) == sorted([fixture.departments["FIN"].name, fixture.departments["IT"].name])


def test_regulation_review_figures(fixture):
    with assert_num_queries(1):
        figures = selectors.regulation_review_figures(today())
    assert figures == {"total": 4, "ok": 2, "missing": 2}
    with assert_num_queries(1):
        codes = [code for _pk, code in selectors.regulations_review_overdue(today())]
    assert codes == ["R4", "R3"]


def test_drill_figures(fixture):
    with assert_num_queries(1):
        figures = selectors.drill_figures(today())
    drilled_this_year = 1 if (today() - timedelta(days=2)).year == today().year else 0
    assert figures == {"total": 3, "ok": 2, "missing": 1, "held": drilled_this_year}
    with assert_num_queries(1):
        titles = [title for _pk, title in selectors.plans_drill_overdue(today())]
    assert titles == ["cyber应急预案"]


def test_the_security_officers_to_dos_are_the_figures_missing(fixture):
    """OPS-1, ORG-2, SUP-9, SUP-10: the start page's governance to-dos count the exceptions the
    figures call missing — on the hand-counted fixture, and read in the page's one statement;
    nobody without the governance registers gets them."""
    from baomi.governance.dashboard import tasks
    from baomi.kit import counts

    with assert_num_queries(1), counts.batch():
        entries = tasks(fixture.security_officer)
    got = {str(t["label"]): int(t["count"]) for t in entries}
    assert got == {
        "本年度未签订保密工作责任书的部门": 2,
        "逾期未复审的保密制度": 2,
        "逾期未演练的应急预案": 1,
    }
    assert [got[k] for k in got] == [f(today())["missing"] for f in (
        selectors.statement_figures, selectors.regulation_review_figures, selectors.drill_figures)]  # fmt: skip
    assert tasks(fixture.staff_secret) == []


@pytest.mark.django_db
def test_empty_registry_gives_zeros(org):
    assert selectors.regulation_review_figures(today()) == {"total": 0, "ok": 0, "missing": 0}
    assert selectors.drill_figures(today())["total"] == 0
    assert selectors.statement_figures(today()) == {"total": 4, "ok": 0, "missing": 4}


# -- the same checks as probes of the inspections app (SUP-1, baomi.kit.probes) -----------------


def measured(key):
    from baomi.kit import probes

    with assert_num_queries(1):
        return probes.measure(key, today())


def test_governance_probes(fixture):
    m = measured("governance.statements_missing")
    assert m.count == 2 and sorted(e["label"] for e in m.exceptions) == sorted(
        [fixture.departments["FIN"].name, fixture.departments["IT"].name]
    )
    m = measured("governance.regulation_reviews_overdue")
    assert m.count == 2 and [e["label"] for e in m.exceptions] == ["R4", "R3"]
    m = measured("governance.drills_overdue")
    assert m.count == 1 and [e["label"] for e in m.exceptions] == ["cyber应急预案"]
    from baomi.kit import probes

    assert {p.area for k, p in probes.probes().items() if k.startswith("governance.")} == {1, 2, 13}
