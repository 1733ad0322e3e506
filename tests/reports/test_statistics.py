"""Statistics (OPS-3): counts by level, department, kind and state, flows per month, personnel;
numbers are the policy's; every figure links to the list it counts; exports re-read."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from baomi.access import policy
from baomi.accounts import services as accounts
from baomi.carriers import services as carriers
from baomi.reports import services
from baomi.reports.events import ReportEvent
from baomi.reports.statistics import FLOWS, Period, tables
from tests.carriers.factories import make_carrier, make_item
from tests.support.assertions import assert_audited, assert_denied, last_audit_id

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def registry(org):
    """Hand-counted: 办公室 holds 3 秘密 paper and 2 机密 electronic carriers, 财务科 1 机密 paper
    carrier; one 秘密 carrier of 办公室 is lent out."""
    office = org.departments["OFFICE"]
    fin = org.departments["FIN"]
    secret_item = make_item(org, "confidential", scope=[org.staff_secret, org.staff_confidential])
    made = carriers.register_carrier(org.security_officer, item=secret_item, kind="paper",
                                     custodian=org.staff_secret, copies=3, storage_place="A")  # fmt: skip
    make_carrier(org, "secret", kind="electronic", copies=2)
    fin_carrier = make_carrier(org, "secret", custodian=org.staff_other_dept)
    from baomi.carriers.models import Carrier

    Carrier.objects.filter(pk=fin_carrier.pk).update(department=fin)  # lint: allow (test set-up)
    loan = carriers.request_loan(org.staff_confidential, made[0], place="保密室",
                                 due_on=timezone.localdate() + timezone.timedelta(days=3), reason="阅")  # fmt: skip
    carriers.approve_loan(org.unit_head, loan)
    accounts.set_department_officers(None, office, head=org.dept_head, secrecy_officer=org.staff_secret,
                                     bootstrap=True)  # fmt: skip
    return made


def by_key(user, period=None):
    return {t.key: t for t in tables(user, period or Period.year(YEAR))}


def test_the_officer_counts_the_whole_registry(org, registry):
    t = by_key(org.security_officer)
    levels = t["carriers_level_status"]
    assert levels.value("秘密", -1) == 3 and levels.value("机密", -1) == 3
    kinds = t["carriers_kind"]
    assert kinds.value("纸质文件") == 4 and kinds.value("电子文件") == 2
    depts = {r[0].value: r[-1].value for r in t["carriers_department"].rows}
    assert depts == {"办公室": 5, "财务科": 1}
    flows = t["flows_month"].rows[-1]
    assert flows[1].value == 6  # registered this year


def test_every_flow_falls_in_its_month_for_every_reader(org, registry):
    """OPS-3: the monthly flows — counted rows (a loan), a summed column (two copies made in one
    request) — in the month they happened, the same for the security office (whole registry) and
    the head, whose rows pass the policy's filter first; and again once the copies are registered."""
    from django.db.models import Sum

    from baomi.carriers.models import Carrier, CopyRequest, LoanRequest

    month = f"{timezone.localdate():%Y-%m}"
    copy = carriers.request_copy(org.staff_secret, registry[1], copies=2, reason="会议用")
    carriers.approve_copy(org.unit_head, copy)
    seen = {}
    for user in (org.security_officer, org.dept_head, org.unit_head, org.staff_secret):
        expected = (
            policy.visible(user, Carrier.objects.all(), "view").count(),
            policy.visible(user, LoanRequest.objects.filter(lent_at__isnull=False), "view").count(),
            policy.visible(user, CopyRequest.objects.all(), "view").aggregate(n=Sum("copies"))["n"] or 0,
        )
        rows = {r[0].value: [c.value for c in r[1:]] for r in by_key(user)["flows_month"].rows}
        assert tuple(rows[month][:3]) == tuple(rows["合计"][:3]) == expected, user
        seen[user.username] = expected
    # The hand count: everything for the office; the head neither 财务科's carrier nor the copies.
    assert seen["security_officer"] == (8, 1, 2) and seen["dept_head"] == (7, 1, 0)


def test_a_department_head_counts_only_what_the_head_may_see(org, registry):
    """OPS-3: the head of 办公室 counts the department's carriers, not 财务科's."""
    t = by_key(org.dept_head)
    assert {r[0].value: r[-1].value for r in t["carriers_department"].rows} == {"办公室": 5}
    assert "personnel_category" not in t or policy.can(org.dept_head, "personnel_list")


def test_a_staff_member_may_not_open_statistics(org, registry):
    assert not policy.can(org.staff_secret, "reports.statistics")
    since = last_audit_id()
    c = Client()
    c.force_login(org.staff_secret)
    assert_denied(c.get(reverse("reports:statistics")), actor=org.staff_secret, since=since)


def test_every_figure_links_to_the_list_it_counts(org, registry):
    """OPS-1/OPS-3: the ledger behind a number shows that many rows."""
    c = Client()
    c.force_login(org.security_officer)
    import re

    t = by_key(org.security_officer)
    cells = [c_ for key in ("carriers_level_status", "carriers_kind", "carriers_department")
             for row in t[key].rows for c_ in row[1:] if c_.value and c_.url]  # fmt: skip
    assert len(cells) >= 8
    for cell in cells:
        html = c.get(cell.url).content.decode()
        shown = re.search(r'data-testid="ledger-count">\D*(\d+)', html)
        assert shown and int(shown.group(1)) == cell.value, (cell.url, cell.value)


def test_page_shows_tables_and_charts(org, registry):
    c = Client()
    c.force_login(org.security_officer)
    html = c.get(reverse("reports:statistics"), {"year": YEAR}).content.decode()
    assert "按密级和状态统计的载体" in html and "<svg" in html
    assert "请输入" not in html
    bad = c.get(reverse("reports:statistics"), {"year": YEAR, "date_from": "2026-01-01"})
    assert bad.status_code == 200 and "年份或日期范围" in bad.content.decode()


def test_exports_are_audited_and_read_back(org, registry):
    officer = org.security_officer
    data = services.export_statistics(officer, "xlsx", Period.year(YEAR))
    wb = load_workbook(io.BytesIO(data))
    sheet = wb["按密级和状态统计的载体"]
    assert sheet.freeze_panes == "B2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "密级" and {r[0]: r[-1] for r in rows[1:]}["秘密"] == 3
    assert_audited(ReportEvent.STATISTICS_EXPORTED, actor=officer)
    text = services.export_statistics(officer, "csv", Period.year(YEAR)).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    i = lines.index(["按种类统计的载体"])
    assert lines[i + 1] == ["类别", "载体"] and ["纸质文件", "4"] in lines
    c = Client()
    c.force_login(officer)
    r = c.get(reverse("reports:statistics-export", args=["xlsx"]), {"year": YEAR})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert c.get(reverse("reports:statistics-export", args=["pdf"])).status_code == 404


def test_api(org, registry, api_client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.get("/api/v1/statistics/", {"year": YEAR})
    kinds = next(t for t in r.json()["tables"] if t["key"] == "carriers_kind")
    assert ["纸质文件", 4] in kinds["rows"]
    assert api_client.get("/api/v1/statistics/", {"year": "x"}).status_code == 400
    api_client.force_authenticate(org.staff_secret)
    assert api_client.get("/api/v1/statistics/").status_code == 404


def test_flows_fall_in_the_local_month_of_their_instant(org):
    """OPS-3: a month is Beijing's month — a carrier registered at 00:30 on 1 March local time
    (16:30 UTC the day before) counts in March, one at 23:30 on 28 February in February — the same
    for the counted range filters as for the truncation they replaced."""
    from datetime import datetime

    from tests.carriers.ledger_factories import make_carrier as make_dated
    from tests.carriers.ledger_factories import make_item as make_ledger_item

    item = make_ledger_item(org, "secret", "OFFICE", "月份测试事项")
    for moment in [(3, 1, 0, 30), (2, 28, 23, 30), (12, 31, 23, 59), (1, 1, 0, 0)]:
        month, day, hour, minute = moment
        at = timezone.make_aware(datetime(YEAR, month, day, hour, minute))
        make_dated(org, item, org.staff_secret, at=at)
    rows = {r[0].value: r[1].value for r in by_key(org.security_officer)["flows_month"].rows[:-1]}
    assert rows[f"{YEAR}-01"] == 1 and rows[f"{YEAR}-02"] == 1 and rows[f"{YEAR}-03"] == 1
    assert rows[f"{YEAR}-12"] == 1 and sum(rows.values()) == 4
    # Through the head's policy filter too, this year's months and another year's.
    make_dated(org, item, org.staff_secret, at=timezone.make_aware(datetime(YEAR - 1, 12, 31, 23, 59)))
    head = {r[0].value: r[1].value for r in by_key(org.dept_head)["flows_month"].rows[:-1]}
    assert {m: n for m, n in head.items() if n} == {f"{YEAR}-{m}": 1 for m in ("01", "02", "03", "12")}
    last_year = by_key(org.dept_head, Period.year(YEAR - 1))["flows_month"].rows
    assert {r[0].value: r[1].value for r in last_year[:-1] if r[1].value} == {f"{YEAR - 1}-12": 1}


def test_a_destruction_counts_in_the_local_month_it_was_executed(org):
    """OPS-3: the destroyed flow is per carrier, dated by its destruction's execution (the
    newest, ``Max`` over its records) — one executed at 00:30 on 1 March Beijing time counts in
    March, for the security office and through the head's policy filter; the two carriers of
    one destruction count two."""
    from datetime import datetime

    from baomi.carriers.models import DestructionRequest

    paper, other = make_carrier(org, "secret"), make_carrier(org, "secret")
    req = carriers.request_destruction(org.security_officer, [paper, other], reason="到期")
    carriers.approve_destruction(org.unit_head, req)
    carriers.execute_destruction(org.security_officer, req, method="shredding", witness_1=org.staff_secret,
                                 witness_2=org.dept_head)  # fmt: skip
    # Dated into the small hours of 1 March local time (16:30 UTC on 28 February).
    DestructionRequest.objects.filter(pk=req.pk).update(
        executed_at=timezone.make_aware(datetime(YEAR, 3, 1, 0, 30))
    )
    column = FLOWS.index("destroyed") + 1  # after the month
    for user in (org.security_officer, org.dept_head):
        rows = {r[0].value: r[column].value for r in by_key(user)["flows_month"].rows}
        assert {m: n for m, n in rows.items() if n} == {f"{YEAR}-03": 2, "合计": 2}, user


def test_a_heads_counts_are_kept_only_until_the_next_change(org, registry):
    """OPS-3: the head's carriers (his department's cells from the kept count, the rest from the
    registry) are kept on the reader for the tables of one view — and counted again once a
    registration commits; so are this year's registrations."""
    head = org.dept_head
    first = by_key(head)
    assert first["carriers_department"].rows[0][-1].value == 5
    assert first["flows_month"].rows[-1][1].value == 5
    make_carrier(org, "secret", kind="electronic", copies=1)  # through the service: audited
    again = by_key(head)
    assert again["carriers_department"].rows[0][-1].value == 6
    assert again["flows_month"].rows[-1][1].value == 6


def test_the_department_ranking_keeps_the_full_tables_first_rows(org, registry):
    """OPS-1: the dashboard's ranking builds only its top rows — the same rows, in the same order,
    as the head of the full table, ties at the cut included in name order."""
    from baomi.reports.statistics import carriers_by_department

    full = carriers_by_department(org.security_officer).rows
    for top in (1, 2, 5):
        cut = carriers_by_department(org.security_officer, top=top).rows
        assert [[c.value for c in r] for r in cut] == [[c.value for c in r] for r in full[:top]]
    assert [r[0].value for r in carriers_by_department(org.security_officer, top=1).rows] == ["办公室"]


def test_a_count_column_reads_as_a_count_not_a_serial_number(org, registry):
    """SUP-10, OPS-3: the regulations table's figures are headed 数量. Its msgid was "Number",
    which the publication and sites apps translate 编号 (a serial number) — Django merges every
    app's catalogue, and theirs won."""
    from django.utils import translation

    with translation.override("zh-hans"):
        headers = [str(h) for h in by_key(org.security_officer)["regulations"].headers]
    assert headers[-1] == "数量" and "编号" not in headers
