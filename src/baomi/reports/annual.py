"""Drafting the annual report from the records (SUP-14, R-SITE-4).

The outline is the 13 areas of 实施条例 Art 58 as the issue lists them. Each area names the
statistics tables it shows and drafts its prose from them; areas whose register has not been
built (none since the sites registers landed) say so plainly, for the officer to fill in; an
area whose register the reader may not see drafts "(请据实填写)" the same way.

The report is a Chinese official document (公文): its text is written in Chinese here, like the
destruction list, not translated from English UI strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from baomi.reports.statistics import Period, Table, tables


def _n(t: dict[str, Table], key: str, label: str, col: int = 1) -> int:
    table = t.get(key)
    return int(table.value(label, col) or 0) if table else 0


def _total(t: dict[str, Table], key: str, col: int) -> int:
    table = t.get(key)
    return table.total(col) if table else 0


def _last_col_total(t: dict[str, Table], key: str) -> int:
    table = t.get(key)
    if not table or not table.rows:
        return 0
    return sum(int(r[-1].value or 0) for r in table.rows)


def _responsibility(t: dict[str, Table], year: int) -> str:
    return (f"{year}年，本单位坚持主要负责人负总责、分管负责人负领导责任、各岗位人员对本岗位保密工作负直接责任的"
            "保密工作责任制，各部门明确了保密责任人。")  # fmt: skip


def _regulations(t: dict[str, Table], year: int) -> str:
    if "regulations" not in t:
        return "本年度保密制度的制定、修订和评审情况：（请据实填写。）"
    in_force, versions, reviews = (int(r[1].value) for r in t["regulations"].rows)
    return (
        f"本单位现行保密制度 {in_force} 项；全年新制定或修订生效 {versions} 项，完成定期评审 {reviews} 次。"
    )


def _inspections(t: dict[str, Table], year: int) -> str:
    table = t.get("inspections")
    if not table:
        return "本年度保密检查和自查自评情况：（请据实填写。）"
    done = table.total(1)
    findings = table.total(2)
    annual = table.rows[2] if len(table.rows) > 2 else None  # PlanKind order: monthly, quarterly, annual
    score = f"，年度自查自评平均得分率 {annual[3].value}%" if annual and annual[1].value else ""
    return f"全年完成保密检查和自查 {done} 次，发现问题 {findings} 个{score}。"


def _rectification(t: dict[str, Table], year: int) -> str:
    table = t.get("findings")
    if not table:
        return "本年度检查发现问题的整改情况：（请据实填写。）"
    total = sum(int(r[-1].value) for r in table.rows)
    closed = sum(int(r[3].value) for r in table.rows)
    overdue = sum(int(r[4].value) for r in table.rows)
    return f"全年检查发现问题 {total} 个，已整改到位 {closed} 个；整改任务逾期未完成 {overdue} 项。"


def _publication(t: dict[str, Table], year: int) -> str:
    table = t.get("publication")
    if not table:
        return "本年度信息公开保密审查情况：（请据实填写。）"
    total = table.total(1)
    return f"全年受理信息公开保密审查 {total} 件，坚持先审后发、逐件审查。"


def _training(t: dict[str, Table], year: int) -> str:
    sessions, hours = _total(t, "training", 1), _total(t, "training", 2)
    attended, passed = _total(t, "training", 3), _total(t, "training", 4)
    return (f"全年组织保密宣传教育培训 {sessions} 场次，共 {hours:g} 学时，参训 {attended} 人次，"
            f"考核通过 {passed} 人次。")  # fmt: skip


def _personnel(t: dict[str, Table], year: int) -> str:
    table = t.get("personnel_category")
    if not table:
        return ""
    core, important, general = (int(table.rows[i][-1].value) for i in range(3))
    return (f"截至报告时，在册涉密人员 {core + important + general} 人，其中核心涉密人员 {core} 人、"
            f"重要涉密人员 {important} 人、一般涉密人员 {general} 人。")  # fmt: skip


def _determination(t: dict[str, Table], year: int) -> str:
    determined = _total(t, "determinations", 1)
    declassified = _total(t, "determinations", 2)
    parts = (
        [f"{r[0].value} {r[1].value} 项" for r in t["determinations"].rows if r[1].value]
        if "determinations" in t
        else []
    )
    detail = f" ({'、'.join(parts)})" if parts else ""
    return f"全年确定国家秘密和工作秘密事项 {determined} 项{detail}，解除 {declassified} 项。"


def _carriers(t: dict[str, Table], year: int) -> str:
    stock = _last_col_total(t, "carriers_level_status")
    flows = t.get("flows_month")
    total = flows.rows[-1] if flows and flows.rows else None
    if total is None:
        return f"截至报告时，在册涉密载体 {stock} 件。"
    reg, lent, copied, sent, destroyed = (int(total[i].value) for i in range(1, 6))
    return (f"截至报告时，台账在册涉密载体 {stock} 件。全年登记 {reg} 件，借阅 {lent} 次，复制 {copied} 份，"
            f"传递 {sent} 次，销毁 {destroyed} 件。")  # fmt: skip


def _key_places(t: dict[str, Table], year: int) -> str:
    table = t.get("key_places")
    if not table:
        return "本年度保密要害部门部位管理情况：（请据实填写。）"
    confirmed = table.rows[1]
    checks = table.rows[-1][2].value
    return (f"经确认的保密要害部门 {confirmed[1].value} 个、要害部位 {confirmed[2].value} 个；"
            f"全年对要害部位开展保密检查 {checks} 次。")  # fmt: skip


def _systems(t: dict[str, Table], year: int) -> str:
    table = t.get("systems_devices")
    if not table:
        return "本年度涉密信息系统和设备管理情况：（请据实填写。）"
    live = table.rows[-1][-1].value
    devices = sum(int(r[-1].value) for r in table.rows[:-1])
    return f"运行中的信息系统 {live} 个；登记在册的涉密设备和存储介质 {devices} 台（件），均实行登记管理。"


def _meetings(t: dict[str, Table], year: int) -> str:
    table = t.get("meetings")
    if table is None:
        return "本年度涉密会议活动保密管理情况：（请据实填写。）"
    total = sum(int(r[-1].value) for r in table.rows)
    return f"全年举办涉密会议 {total} 次，均制定保密方案，落实参会人员、场所和载体管理要求。"


def _incidents(t: dict[str, Table], year: int) -> str:
    incidents = _last_col_total(t, "incidents")
    alerts = _last_col_total(t, "alerts")
    sanctions = _total(t, "sanctions", 1)
    return (f"全年登记保密事件 {incidents} 起；安全监控产生告警 {alerts} 条，均已按程序处置；"
            f"记录奖惩 {sanctions} 人次。")  # fmt: skip


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    tables: tuple[str, ...]
    draft: Callable[[dict[str, Table], int], str]


AREAS: tuple[Area, ...] = (
    Area("responsibility", "保密工作责任制落实情况", (), _responsibility),
    Area("regulations", "保密制度建设情况", ("regulations",), _regulations),
    Area("training", "保密宣传教育培训情况", ("training",), _training),
    Area("personnel", "涉密人员管理情况", ("personnel_category",), _personnel),
    Area("determination", "定密工作情况", ("determinations", "items_level_status"), _determination),
    Area(
        "carriers", "涉密载体管理情况", ("carriers_level_status", "carriers_kind", "flows_month"), _carriers
    ),
    Area("systems", "信息系统和设备保密管理情况", ("systems_devices",), _systems),
    Area("key_places", "保密要害部门部位管理情况", ("key_places",), _key_places),
    Area("meetings", "涉密会议活动保密管理情况", ("meetings",), _meetings),
    Area("publication", "信息公开保密审查情况", ("publication",), _publication),
    Area("inspections", "保密检查和自查自评情况", ("inspections",), _inspections),
    Area("rectification", "问题整改情况", ("findings",), _rectification),
    Area("incidents", "泄密事件查处和奖惩情况", ("incidents", "sanctions", "alerts"), _incidents),
)


def compute(user: Any, year: int) -> tuple[list[dict[str, Any]], list[Table]]:
    """The drafted sections and the figures of ``year``, as ``user`` may see them."""
    period = Period.year(year)
    found = {t.key: t for t in tables(user, period)}
    sections = []
    for area in AREAS:
        text = area.draft(found, year)
        sections.append({"key": area.key, "title": area.title, "tables": [k for k in area.tables if k in found],
                         "draft": text, "text": text})  # fmt: skip
    return sections, list(found.values())


def snapshot(table: Table) -> dict[str, Any]:
    """A table as stored with the report: values only (links are for the page)."""
    return {"key": table.key, "title": table.title, "headers": table.headers,
            "rows": [[c.value for c in row] for row in table.rows]}  # fmt: skip
