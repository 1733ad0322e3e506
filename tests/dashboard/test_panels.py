"""Role dashboards (OPS-1): each role's figures, counted as the policy allows, each linking to
its list; cached figures change as soon as the records do."""

from __future__ import annotations

import pytest
from django.test import Client

from baomi.audit.cache import audit_position, change_position
from baomi.audit.chain import seal_pending
from baomi.carriers import services as carriers
from baomi.dashboard.panels import panels_for
from tests.carriers.factories import make_carrier, make_item
from tests.support.integrity import bind

pytestmark = pytest.mark.django_db


def figures(user) -> dict[str, dict[str, object]]:
    _kind, panels = panels_for(user)
    return {p.title: {f.label: f.value for f in p.figures} for p in panels}


def test_each_role_gets_its_dashboard(org):
    assert panels_for(org.security_officer)[0] == "regime"
    assert panels_for(org.auditor)[0] == "audit"
    assert panels_for(org.unit_head)[0] == "summary"
    assert panels_for(org.dept_head)[0] == "department"
    assert panels_for(org.staff_confidential) == ("staff", [])


def test_the_officer_sees_the_registry_the_head_the_department(org):
    make_carrier(org, "secret", copies=2)
    other = make_carrier(org, "confidential", custodian=org.staff_other_dept)
    from baomi.carriers.models import Carrier

    Carrier.objects.filter(pk=other.pk).update(department=org.departments["FIN"])  # lint: allow (set-up)
    officer = figures(org.security_officer)["按密级统计的载体"]
    assert officer["机密"] == 2 and officer["秘密"] == 1
    head = figures(org.dept_head)["本部门载体"]
    assert head["机密"] == 2 and "秘密" not in head


def test_a_heads_panel_counts_the_department_and_links_to_exactly_those_carriers(org):
    """OPS-1 ("a department head sees the same for the department"), CAR-12: 本部门载体 counts
    the carriers of the department the head heads, every one up to the head's clearance (CAR-3),
    and nothing else — not a carrier of another department that his need-to-know scope lets him
    see (his statistics page counts that one, OPS-3). Each figure opens the ledger narrowed to
    the department, and the ledger holds as many rows as the figure says."""
    import re

    from baomi.carriers.models import Carrier
    from baomi.reports.statistics import carriers_by_level_status

    mine = make_carrier(org, "secret", copies=2)
    make_carrier(org, "confidential", custodian=org.staff_other_dept, scope=[org.dept_head])
    elsewhere = Carrier.objects.filter(department=org.departments["OFFICE"], level="confidential")
    elsewhere.update(department=org.departments["FIN"])  # lint: allow (set-up)
    make_carrier(org, "top_secret", custodian=org.authority_top_secret)  # above the head's clearance
    seen = carriers_by_level_status(org.dept_head)
    assert seen.value("秘密", len(seen.headers) - 1) == 1  # he may see it: his statistics count it

    _kind, panels = panels_for(org.dept_head)
    panel = next(p for p in panels if p.title == "本部门载体")
    values = {f.label: f.value for f in panel.figures}
    assert values["机密"] == 2 and "秘密" not in values and "绝密" not in values
    office = org.departments["OFFICE"].pk
    client = Client()
    client.force_login(org.dept_head)
    for figure in panel.figures:
        assert f"department={office}" in figure.url, figure
        page = client.get(figure.url).content.decode()
        rows = set(re.findall(r'href="/carriers/(\d+)/"', page))
        assert len(rows) == figure.value, (figure, rows)
    assert str(mine[0].pk) in rows


def test_cached_figures_follow_every_change(org):
    """OPS-1: figures are cached under the audit position; a registration moves it, so the next
    view counts the new carrier."""
    make_carrier(org, "secret")
    before = audit_position()
    assert figures(org.security_officer)["按密级统计的载体"]["机密"] == 1
    item = make_item(org, "secret", scope=[org.staff_secret])
    carriers.register_carrier(
        org.security_officer, item=item, kind="paper", custodian=org.staff_secret, copies=1
    )
    assert audit_position() != before
    assert figures(org.security_officer)["按密级统计的载体"]["机密"] == 2


def test_reads_and_refusals_leave_the_cached_figures_in_place(org):
    """OPS-1 speed: figures stay cached while people only read. A read of a 机密 item (its
    knowledge record entry) and a refused read are audited — the trail moves — but change no
    figure, so the position the figures are cached under stays; a carrier slipped into the
    table without a service is not counted until a real change commits, which moves it and
    makes the next view count everything; sealing moves nothing."""
    first = make_carrier(org, "secret")
    item = first.item
    assert figures(org.security_officer)["按密级统计的载体"]["机密"] == 1
    entries, changes = audit_position(), change_position()

    reader, outsider = Client(), Client()
    reader.force_login(org.staff_secret)
    outsider.force_login(org.staff_confidential)
    assert reader.get(f"/classification/items/{item.pk}/").status_code == 200
    assert outsider.get(f"/classification/items/{item.pk}/").status_code == 404
    assert audit_position() != entries
    assert change_position() == changes

    slipped = first
    slipped.pk = None
    slipped.registry_number = f"{slipped.registry_number}-X"
    slipped.sequence += 1000
    slipped.save()  # lint: allow (set-up: a row no service wrote, so no audit entry moves)
    bind(slipped)
    assert figures(org.security_officer)["按密级统计的载体"]["机密"] == 1  # still the cached figure

    carriers.register_carrier(
        org.security_officer, item=item, kind="paper", custodian=org.staff_secret, copies=1
    )
    assert change_position() != changes
    after = change_position()
    assert figures(org.security_officer)["按密级统计的载体"]["机密"] == 3
    seal_pending()
    assert change_position() == after


def test_a_first_view_reads_the_change_position_once_and_counts_every_change(org):
    """OPS-1 speed: the home page's panels and the tables cached inside them are keyed by the
    one change position the page read before counting (audit/cache.py), not read again per
    table; the next change still shows on the next view."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_carrier(org, "secret")
    officer = Client()
    officer.force_login(org.security_officer)

    def level_figures() -> dict[str, object]:
        response = officer.get("/")
        panel = next(p for p in response.context["panels"] if p.title == "按密级统计的载体")
        return {f.label: f.value for f in panel.figures}

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert level_figures()["机密"] == 1
    assert sum("audit_sealedchanges" in q["sql"] for q in ctx.captured_queries) == 1
    item = make_item(org, "secret", scope=[org.staff_secret])
    carriers.register_carrier(
        org.security_officer, item=item, kind="paper", custodian=org.staff_secret, copies=1
    )
    assert level_figures()["机密"] == 2


def test_the_auditors_figures_of_the_trail_move_with_every_entry(org):
    """OPS-1: the auditor's page counts the trail itself, so a read (an entry, no change) shows
    in its entries of today."""
    item = make_item(org, "secret", scope=[org.staff_secret])
    auditor = Client()
    auditor.force_login(org.auditor)
    auditor.get("/")
    import re

    def today() -> int:
        page = auditor.get("/").content.decode()
        return int(re.search(r"今日审计记录</span>\s*<a[^>]*>(\d+)<", page).group(1))

    before = today()
    reader = Client()
    reader.force_login(org.staff_secret)
    assert reader.get(f"/classification/items/{item.pk}/").status_code == 200
    assert today() > before


def test_every_figure_links_somewhere_that_answers(org):
    make_carrier(org, "secret")
    c = Client()
    c.force_login(org.security_officer)
    _kind, panels = panels_for(org.security_officer)
    urls = {f.url for p in panels for f in p.figures if f.url}
    assert len(urls) >= 10
    for url in urls:
        assert c.get(url).status_code == 200, url


def test_home_renders_for_every_role(org):
    for user in (
        org.security_officer,
        org.auditor,
        org.unit_head,
        org.dept_head,
        org.staff_secret,
        org.sysadmin,
    ):
        c = Client()
        c.force_login(user)
        r = c.get("/")
        assert r.status_code == 200 and b"data-dashboard" in r.content


def test_an_empty_panel_says_there_is_nothing_to_count(org):
    """OPS-1: a department head whose department holds no carrier sees the panel say so, not an
    empty box."""
    import re

    client = Client()
    client.force_login(org.dept_head)
    html = client.get("/").content.decode()
    panel = re.search(r"<h2>本部门载体</h2>(.*?)</section>", html, re.S)
    assert panel and "暂无可统计的记录。" in panel.group(1)
    make_carrier(org, "secret")
    html = client.get("/").content.decode()
    panel = re.search(r"<h2>本部门载体</h2>(.*?)</section>", html, re.S)
    assert panel and "暂无可统计的记录。" not in panel.group(1)


def test_the_inventory_panel_shows_only_while_an_inventory_is_open(org):
    """OPS-1, CAR-8: the inventory in progress — carriers checked of all listed, and the
    discrepancies — is on the dashboard while an inventory is open, and gone without one (its
    figures are read with the page's other counts before it decides). The security office
    counts every list; a department head the list he signs for, what he holds himself."""
    from django.utils import timezone

    from baomi.carriers.models import InventoryEntry

    for n in range(3):
        make_carrier(org, "secret", copies=1 + n)
    make_carrier(org, "secret", custodian=org.dept_head)
    title = "正在进行的清点"
    assert title not in figures(org.security_officer) and title not in figures(org.dept_head)
    campaign = carriers.start_inventory(
        org.security_officer, title="2026年度清点", due_on=timezone.localdate()
    )
    listed = InventoryEntry.objects.filter(campaign=campaign)
    total = listed.count()
    assert total >= 4 and listed.filter(custodian=org.dept_head).count() == 1
    first, second = listed.exclude(custodian=org.dept_head).order_by("pk")[:2]
    carriers.check_inventory_entry(org.security_officer, first, result="confirmed")
    carriers.check_inventory_entry(org.security_officer, second, result="missing", note="未找到")
    checked, wrong = "已清点载体", "账物不符 (缺失或损坏)"
    assert figures(org.security_officer)[title] == {checked: f"2 / {total}", wrong: 1}
    assert figures(org.dept_head)[title] == {checked: "0 / 1", wrong: 0}


def test_a_figure_of_both_the_panel_and_the_to_dos_is_counted_once_and_follows_changes(org):
    """OPS-1 speed: the exits in progress are in the officer's personnel panel and in his to-dos.
    A first view counts them once (``personnel.selectors.shared_count``, under the one change
    position the page read); an exit started moves the position and shows in both on the next
    view."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baomi.personnel import services as personnel
    from tests.personnel.factories import onboarded, today

    so = org.security_officer
    file = onboarded(so, org.staff_secret, "important")
    officer = Client()
    officer.force_login(so)

    def both() -> tuple[object, object]:
        context = officer.get("/").context
        panel = next(p for p in context["panels"] if p.title == "涉密人员")
        todo = {t["label"]: t["count"] for t in context["tasks"]}
        return {f.label: f.value for f in panel.figures}["办理中的离岗离职"], todo.get("办理中的离岗离职", 0)

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert both() == (0, 0)
    open_exits = 'FROM "personnel_exitcase" WHERE "personnel_exitcase"."status" = \'open\''
    assert sum(open_exits in q["sql"] for q in ctx.captured_queries) == 1
    assert sum("audit_sealedchanges" in q["sql"] for q in ctx.captured_queries) == 1
    personnel.start_exit(so, file, approved_on=today())
    assert both() == (1, 1)


def test_the_auditors_days_read_as_month_and_day_in_two_digits(org, monkeypatch):
    """OPS-1, the product's date style (2026-03-05): the chart of entries per day labels its
    fourteen days 02-20 … 03-05, not 2-20 … 3-5."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    monkeypatch.setattr(
        timezone, "now", lambda: datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    _kind, panels = panels_for(org.auditor)
    chart = str(panels[0].chart)
    assert ">02-20<" in chart and ">03-05<" in chart and ">3-5<" not in chart


def _statements_of(user) -> list[str]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        panels_for(user)
    return [q["sql"] for q in ctx.captured_queries]


def test_the_incident_clocks_list_the_next_deadlines_only_while_one_runs(org):
    """SUP-2, R-INC-1, OPS-1: the incidents panel counts the open incidents, the running
    24-hour clocks and the missed ones, and names the running ones with the hours left. With no
    clock running it names none, and reads no incident's title (its counts come with the
    page's others)."""
    from tests.incidents.factories import open_one

    overdue = open_one(org, hours_ago=30)
    title = "保密事件 (24 小时报告时限)"
    assert figures(org.security_officer)[title] == {"未结保密事件": 1, "待上报": 0, "已超过报告时限": 1}
    assert not [sql for sql in _statements_of(org.security_officer) if '"incidents_incident"."title"' in sql]

    running = open_one(org, hours_ago=4.5)
    got = figures(org.security_officer)[title]
    assert got == {
        "未结保密事件": 2,
        "待上报": 1,
        "已超过报告时限": 1,
        running.title: "距报告时限还剩 19 小时",
    }
    _kind, panels = panels_for(org.security_officer)
    named = next(p for p in panels if p.title == title).figures[-1]
    assert named.url == f"/incidents/{running.pk}/" and overdue.title == running.title


def test_the_alerts_panel_counts_each_rule_with_open_alerts_for_its_recipient(org):
    """SEC-5, OPS-1: open alerts per rule, most first, rules with none left out; a closed
    alert is not counted. The security officer counts the alerts about ordinary users, the
    auditor, under their own title, those about the administrators."""
    from django.utils import timezone

    from baomi.monitoring.models import Alert

    now = timezone.now()

    def alert(rule: str, audience: str = "security_officer", status: str = "new") -> None:
        Alert.objects.create(rule=rule, audience=audience, key="k", key_kind="account", first_at=now,  # lint: allow (set-up)
                             last_at=now, threshold=1, window_minutes=10, status=status)  # fmt: skip

    alert("many_items")
    alert("many_items", status="acknowledged")
    alert("login_failures")
    alert("off_hours", status="closed")
    alert("admin_out_of_role", audience="auditor")
    officer = figures(org.security_officer)["未关闭的安全监控告警"]
    assert officer == {"全部未关闭告警": 3, "短时间内查阅大量不同涉密事项": 2, "登录连续失败": 1}
    assert list(officer) == ["全部未关闭告警", "短时间内查阅大量不同涉密事项", "登录连续失败"]
    assert figures(org.auditor)["涉及三员和审计日志的告警"] == {"全部未关闭告警": 1, "管理员越权操作": 1}
    assert "未关闭的安全监控告警" not in figures(org.dept_head)
    # Counted with the page's other figures, not grouped in a statement of their own.
    assert not [
        sql for sql in _statements_of(org.security_officer) if sql.startswith('SELECT "monitoring_alert"')
    ]


def test_the_findings_panel_names_the_departments_in_its_one_grouped_query(org):
    """SUP-1, OPS-1: open findings by department, the department most concerned first, each
    named — the names read in the same grouped query as the counts."""
    from baomi.inspections import services
    from tests.inspections.factories import open_run

    officer = org.security_officer
    run = open_run(org)
    fin, office = org.departments["FIN"], org.departments["OFFICE"]
    for department in (fin, fin, office):
        services.record_finding(officer, run, description="保密柜未上锁", department=department)
    assert figures(officer)["检查发现问题与整改"] == {
        "未整改完毕的问题": 3, "逾期未完成的整改任务": 0, fin.name: 2, office.name: 1
    }  # fmt: skip
    assert not [sql for sql in _statements_of(officer) if sql.startswith('SELECT "accounts_department"."id"')]
