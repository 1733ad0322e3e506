"""The statistics of the regime (OPS-3), computed as the policy allows the reader to see.

Every count goes through ``access.policy.visible`` for its model: a department head's numbers
count only the carriers, items and people the head may see; the security officer's count the
whole registry up to the officer's clearance. Counts are SQL aggregates (one GROUP BY per table),
never row loops. Each figure carries the URL of the list it counts, filtered the same way, so a
click shows the rows behind the number (OPS-1).

The same functions feed the statistics page, its xlsx and CSV exports, the dashboards and the
annual report (SUP-14), so every figure of the report equals the page for the same year.
Other registers add their tables here as they land (``TABLES``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from baomi.access import policy
from baomi.core.levels import Level
from baomi.kit import counts as kit_counts


@dataclass
class Cell:
    value: Any
    url: str = ""


@dataclass
class Table:
    """One table of figures: a title, column headers and rows of cells (first cell: the label)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    def column(self, index: int) -> list[Any]:
        return [row[index].value for row in self.rows]

    def total(self, index: int) -> int:
        return sum(int(v or 0) for v in self.column(index))

    def value(self, label: str, index: int = 1) -> Any:
        for row in self.rows:
            if str(row[0].value) == str(label):
                return row[index].value
        return 0


@dataclass(frozen=True)
class Period:
    """Dates both included; flows count what happened in it, stocks are counted as they stand."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def bounds(self) -> tuple[datetime, datetime]:
        return (timezone.make_aware(datetime.combine(self.start, time.min)),
                timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min)))  # fmt: skip

    def months(self) -> list[date]:
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(day)
            day = _next_month(day)
        return out

    def label(self) -> str:
        return f"{self.start.isoformat()} — {self.end.isoformat()}"


def _link(name: str, **params: Any) -> str:
    return _linker(name)(**params)


def _linker(name: str) -> Callable[..., str]:
    """``_link`` for many cells of one list: the URL is reversed once (a table of 500
    departments reversed it 2,500 times — 90 ms of a dashboard's first view)."""
    base = reverse(name)

    def link(**params: Any) -> str:
        given = {k: v for k, v in params.items() if v not in (None, "")}
        if all(_PLAIN.fullmatch(str(v)) for v in given.values()):
            # What urlencode would write for ids and codes, without quoting each character.
            query = "&".join(f"{k}={v}" for k, v in given.items())
        else:
            query = urlencode(given)
        return base + (f"?{query}" if query else "")

    return link


_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")  # characters urlencode leaves as they are


def _counts(qs: QuerySet, *fields: str) -> dict[tuple[Any, ...], int]:
    # order_by() clears the model's default ordering, which would otherwise join the GROUP BY.
    # COUNT(*), not COUNT(id): a count over an index's columns can then read the index alone.
    rows = qs.order_by().values(*fields).annotate(n=Count("*")).values_list(*fields, "n")
    return {tuple(r[:-1]): int(r[-1]) for r in rows}


LEVELS = list(Level.values)
STATE_AND_WORK = ["top_secret", "secret", "confidential", "work_secret"]


# --- carriers (CAR-1..13) ---------------------------------------------------------------------------


def carriers(user: Any) -> QuerySet:
    from baomi.carriers.models import Carrier

    return policy.visible(user, Carrier.objects.all(), "view")


GRID = ("department", "level", "status")


def _carrier_counts(user: Any, *by: str) -> dict[tuple[Any, ...], int]:
    """Visible carriers counted by the columns ``by`` (of ``GRID``, in its order). The security
    office sees every cell whole: grouped in the database from the count it keeps
    (``carriers/tally.py``) instead of a pass over every carrier. Anyone else: folded from
    ``_carrier_grid``."""
    from baomi.carriers import tally
    from baomi.carriers.rules import whole_levels

    levels = whole_levels(user)
    if levels is not None:
        return tally.counts(levels, by)
    return _fold(_carrier_grid(user), *(GRID.index(name) for name in by))


def _carrier_grid(user: Any) -> dict[tuple[Any, ...], int]:
    """Visible carriers counted by (department, level, status), cut by the policy into whole
    cells and the rest (``carriers.rules.visible_cells``): a head's departments from the kept
    count, the carriers he sees elsewhere (his scope, his custody) counted from the index on
    item, department, level and status. For the head of the largest department at a million
    carriers that is 80 ms where one pass over what he may see took 500 (his scope reaches
    carriers on nearly every page of the registry).

    Kept on the user object while no change commits (audit/cache.py), so the second table of
    the same view does not count again and a change in between is never missed."""
    from baomi.audit.cache import current_position
    from baomi.carriers import tally
    from baomi.carriers.rules import visible_cells

    key = current_position()
    kept = user.__dict__.get("_stat_carrier_grid")
    if kept is not None and kept[0] == key:
        return kept[1]  # type: ignore[no-any-return]
    cells = visible_cells(user)  # read only when counting: the headed departments are a query
    grid = tally.counts(cells.levels, GRID, departments=cells.departments)
    for part in cells.rest:
        for cell, n in _counts(part, *GRID).items():
            grid[cell] = grid.get(cell, 0) + n
    user.__dict__["_stat_carrier_grid"] = (key, grid)
    return grid


def _month_bounds(months: list[date]) -> list[tuple[datetime, datetime]]:
    """The instants each local month starts and ends (the next one's start)."""
    starts = [timezone.make_aware(datetime.combine(m, time.min)) for m in months]
    if not months:
        return []
    ends = [*starts[1:], timezone.make_aware(datetime.combine(_next_month(months[-1]), time.min))]
    return list(zip(starts, ends, strict=True))


def _fold(grid: dict[tuple[Any, ...], int], *keep: int) -> dict[tuple[Any, ...], int]:
    out: dict[tuple[Any, ...], int] = {}
    for key, n in grid.items():
        short = tuple(key[i] for i in keep)
        out[short] = out.get(short, 0) + n
    return out


def carriers_by_level_status(user: Any, period: Period | None = None) -> Table:
    return _level_status_table(_carrier_counts(user, "level", "status"), {})


def headed_carriers_by_level_status(user: Any) -> Table:
    """The carriers of the departments ``user`` heads, by level and status (OPS-1: a department
    head's dashboard shows "the same for the department"; CAR-12: a head sees every carrier of
    the department ledger up to the head's clearance, CAR-3). Whole cells of the kept count
    (``carriers/tally.py``): the carriers the head may see elsewhere — his need-to-know scope,
    his custody — belong to other departments; his statistics page counts them, this table does
    not (at a million carriers they were 17,500 index probes on every first view). Each cell
    links to the ledger narrowed the same way: the department, or the department ledger when he
    heads several."""
    from baomi.carriers import tally
    from baomi.carriers.rules import visible_cells

    cells = visible_cells(user)
    if cells.departments is None:  # the security office: every department is whole
        return carriers_by_level_status(user)
    heads = cells.departments
    counts = tally.counts(cells.levels, ("level", "status"), departments=heads) if heads else {}
    where: dict[str, Any] = {"department": heads[0]} if len(heads) == 1 else {"scope": "department"}
    return _level_status_table(counts, where)


def _level_status_table(counts: dict[tuple[Any, ...], int], where: dict[str, Any]) -> Table:
    """Carriers by level and status from ``counts`` keyed (level, status); each cell links to
    the ledger narrowed by ``where`` and the cell's own level and status."""
    from baomi.carriers.choices import CarrierStatus

    statuses = list(CarrierStatus.values)
    table = Table("carriers_level_status", _("Carriers by level and status"),
                  [_("Level"), *[str(CarrierStatus(s).label) for s in statuses], _("Total")])  # fmt: skip
    link = _linker("carriers:ledger")
    for lv in reversed(LEVELS):
        cells = [Cell(counts.get((lv, s), 0), link(**where, level=lv, status=s)) for s in statuses]
        total = sum(c.value for c in cells)
        if total:
            table.rows.append([Cell(str(Level(lv).label)), *cells, Cell(total, link(**where, level=lv))])
    return table


def carriers_by_kind(user: Any, period: Period | None = None) -> Table:
    from baomi.carriers.choices import CarrierKind

    counts = _counts(carriers(user), "kind")
    table = Table("carriers_kind", _("Carriers by kind"), [_("Kind"), _("Carriers")])
    for kind in CarrierKind.values:
        table.rows.append([Cell(str(CarrierKind(kind).label)),
                           Cell(counts.get((kind,), 0), _link("carriers:ledger", kind=kind))])  # fmt: skip
    return table


def carriers_by_department(user: Any, period: Period | None = None, *, top: int | None = None) -> Table:
    """Carriers per department and level; ``top``: only the departments holding the most (the
    dashboard's ranking shows ten of 500 — the others' rows are never built)."""
    from baomi.accounts.models import Department
    from baomi.carriers import tally
    from baomi.carriers.rules import whole_levels

    whole = whole_levels(user) if top is not None else None
    if whole is not None:
        # The security office's ranking: the totals per department from the kept count, then the
        # levels of the leaders only (ten rows, not 3,000 folded in Python).
        totals = tally.counts(whole, ("department",))
    else:
        counts = _carrier_counts(user, "department", "level")
        totals = _fold(counts, 0)
    wanted = {d for (d,) in totals}
    if top is not None and len(totals) > top:
        least = sorted(totals.values(), reverse=True)[top - 1]
        wanted = {d for (d,), n in totals.items() if n >= least}  # ties at the cut are named, then sorted
    if whole is not None:
        counts = tally.counts(whole, ("department", "level"), departments=sorted(wanted))
    names = dict(Department.objects.filter(pk__in=wanted).values_list("pk", "name"))
    table = Table("carriers_department", _("Carriers by department"),
                  [_("Department"), *[str(Level(lv).label) for lv in STATE_AND_WORK], _("Total")])  # fmt: skip
    link = _linker("carriers:ledger")
    rows = []
    for dept, name in names.items():
        cells = [Cell(counts.get((dept, lv), 0), link(department=dept, level=lv)) for lv in STATE_AND_WORK]
        rows.append([Cell(name), *cells, Cell(totals.get((dept,), 0), link(department=dept))])
    table.rows = sorted(rows, key=lambda r: (-r[-1].value, r[0].value))[:top]
    return table


FLOWS = ("registered", "lent", "copied", "transferred", "destroyed", "declassified")


def _flow_querysets(user: Any, period: Period) -> dict[str, tuple[QuerySet, str, str | None]]:
    """Per flow: the visible rows, the date field that places them in a month, and the field
    summed (None: rows counted)."""
    from baomi.carriers.choices import CarrierStatus, RequestStatus
    from baomi.carriers.models import Carrier, CopyRequest, LoanRequest, Transfer
    from baomi.classification.models import Item

    start, end = period.bounds()
    visible_carriers = carriers(user)
    return {
        "registered": (visible_carriers.filter(registered_at__gte=start, registered_at__lt=end), "registered_at", None),
        "lent": (policy.visible(user, LoanRequest.objects.filter(lent_at__gte=start, lent_at__lt=end), "view"),
                 "lent_at", None),
        "copied": (policy.visible(user, CopyRequest.objects.filter(
            decided_at__gte=start, decided_at__lt=end, status__in=[RequestStatus.APPROVED, RequestStatus.DONE]),
            "view"), "decided_at", "copies"),
        "transferred": (policy.visible(user, Transfer.objects.filter(sent_at__gte=start, sent_at__lt=end), "view"),
                        "sent_at", None),
        "destroyed": (visible_carriers.filter(status=CarrierStatus.DESTROYED).filter(
            pk__in=Carrier.objects.filter(destructions__executed_at__gte=start, destructions__executed_at__lt=end)
            .values("pk")).annotate(done_at=_destroyed_at()), "done_at", None),
        "declassified": (policy.visible(user, Item.objects.filter(declassified_at__gte=start,
                                                                  declassified_at__lt=end), "view"),
                         "declassified_at", None),
    }  # fmt: skip


def _per_month(qs: QuerySet, field_name: str, summed: str | None, months: list[date]) -> dict[date, Any]:
    """Rows of ``qs`` (or the sum of ``summed``) per local month of ``field_name``: a number per
    month, or inside a ``kit.counts`` batch a figure read with the batch.

    Each month is one range test in a single statement around the rows of the period, so the
    database reads the column's index and compares instants (``registered_at`` this year for
    the security office: 186,000 index entries at a million carriers, 20 ms; truncating each
    row's instant to its month in the local time zone cost 70 ms); the rows' query is compiled
    once and the month tests are written around it. A field computed per row (the execution
    date of a destruction, ``Max`` over its records) is the rows' grouped column, tested the
    same way. The security office's registrations are not counted here but from the kept count
    (``carriers.tally.registered``)."""
    bounds = _month_bounds(months)
    if not months or qs.query.is_empty():
        return {}
    # One compiled statement, bucketed around it: building twelve filtered aggregates through
    # the ORM cost 5-7 ms of Python per flow (a dashboard's first view draws six).
    db = connections[qs.db]
    quote, adapt = db.ops.quote_name, db.ops.adapt_datetimefield_value
    placed = {"placed_at": F(field_name), **({"summed": F(summed)} if summed else {})}
    try:
        inner, params = qs.order_by().values("pk", **placed).query.sql_with_params()
    except EmptyResultSet:
        return {}
    at, value = quote("placed_at"), ("period_rows." + quote("summed") if summed else "1")
    test = f"period_rows.{at} >= %s AND period_rows.{at} < %s"
    names = [f"m{i}" for i in range(len(bounds))]
    buckets = [f"SUM(CASE WHEN {test} THEN {value} ELSE 0 END) AS {quote(name)}" for name in names]
    # Our own compiled, parameterised SQL and column names, not user text. The month bounds
    # come first in the text, so first in the parameters.
    sql = f"SELECT {', '.join(buckets)} FROM ({inner}) period_rows"  # noqa: S608
    got = kit_counts.row(qs.db, sql, [*(adapt(t) for pair in bounds for t in pair), *params], names)
    return dict(zip(months, got, strict=True))


def _registered_per_month(levels: list[str], period: Period, months: list[date]) -> dict[date, int]:
    """Carriers of ``levels`` registered in each local month of ``period`` (cut to its days),
    from the kept count (``carriers.tally.registered``)."""
    from baomi.carriers import tally

    start, end = period.bounds()
    ranges = [(max(lo, start), min(hi, end)) for lo, hi in _month_bounds(months)]
    counts = tally.registered(levels, ranges)
    return {m: n for m, n in zip(months, counts, strict=True) if n}


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _destroyed_at() -> Any:
    from django.db.models import Max

    return Max("destructions__executed_at")


def _flow_label(flow: str) -> str:
    return {
        "registered": _("Carriers registered"), "lent": _("Lent"), "copied": _("Copies made"),
        "transferred": _("Transferred"), "destroyed": _("Destroyed"), "declassified": _("Declassified items"),
    }[flow]  # fmt: skip


def flows_by_month(user: Any, period: Period) -> Table:
    months = period.months()
    per: dict[str, dict[date, int]] = {}
    from baomi.carriers.rules import whole_levels

    # The registry's keeper sees every carrier of its levels: their registrations per month come
    # from the kept count (186,000 index entries this year at a million carriers: 14-31 ms).
    whole = whole_levels(user)
    # The flows' months are read in one statement, with the counts of the batch around this
    # call if there is one (a dashboard's: kit.counts), which is read here, not at its end.
    with kit_counts.batch() as batch:
        for flow, (qs, field_name, summed) in _flow_querysets(user, period).items():
            if flow == "registered" and whole is not None:
                per[flow] = _registered_per_month(whole, period, months)
            else:
                per[flow] = _per_month(qs, field_name, summed, months)
        batch.settle()
    per = {flow: {m: int(n) for m, n in got.items() if int(n)} for flow, got in per.items()}
    table = Table("flows_month", _("Carrier flows per month"), [_("Month"), *[_flow_label(f) for f in FLOWS]])
    for m in months:
        last = _next_month(m) - timedelta(days=1)
        reg_link = _link("carriers:ledger", date_from=m.isoformat(), date_to=last.isoformat())
        cells = [Cell(per[f].get(m, 0), reg_link if f == "registered" else "") for f in FLOWS]
        table.rows.append([Cell(f"{m.year}-{m.month:02d}"), *cells])  # ISO months (GB/T 7408)
    table.rows.append([Cell(_("Total")), *[Cell(sum(per[f].values())) for f in FLOWS]])
    return table


# --- classification (CLS) -------------------------------------------------------------------------


def items_by_level_status(user: Any, period: Period | None = None) -> Table:
    from baomi.classification.choices import ItemStatus
    from baomi.classification.models import Item

    counts = _counts(policy.visible(user, Item.objects.all(), "view"), "level", "status")
    statuses = list(ItemStatus.values)
    table = Table("items_level_status", _("Classified items by level and status"),
                  [_("Level"), *[str(ItemStatus(s).label) for s in statuses], _("Total")])  # fmt: skip
    for lv in reversed(LEVELS):
        cells = [
            Cell(counts.get((lv, s), 0), _link("classification:items", level=lv, status=s)) for s in statuses
        ]
        total = sum(c.value for c in cells)
        if total:
            table.rows.append([Cell(str(Level(lv).label)), *cells,
                               Cell(total, _link("classification:items", level=lv))])  # fmt: skip
    return table


def determinations_in_period(user: Any, period: Period) -> Table:
    """定密 figures of the period (R-SITE-4): determined by level, changed, declassified."""
    from baomi.classification.models import Item

    start, end = period.bounds()
    visible = policy.visible(user, Item.objects.all(), "view")
    determined = _counts(visible.filter(determined_at__gte=start, determined_at__lt=end), "level")
    declassified = _counts(visible.filter(declassified_at__gte=start, declassified_at__lt=end), "level")
    table = Table("determinations", _("Determinations in the period"),
                  [_("Level"), _("Determined"), _("Declassified")])  # fmt: skip
    for lv in ("top_secret", "secret", "confidential", "work_secret"):
        table.rows.append([Cell(str(Level(lv).label)), Cell(determined.get((lv,), 0)),
                           Cell(declassified.get((lv,), 0))])  # fmt: skip
    return table


# --- personnel (PER) ------------------------------------------------------------------------------


def personnel_by_category(user: Any, period: Period | None = None) -> Table:
    from baomi.personnel.choices import Category, FileStatus
    from baomi.personnel.models import PersonnelFile

    counts = _counts(policy.visible(user, PersonnelFile.objects.all(), "view_summary"), "category", "status")
    statuses = list(FileStatus.values)
    table = Table("personnel_category", _("Personnel by category"),
                  [_("Category"), *[str(FileStatus(s).label) for s in statuses], _("Total")])  # fmt: skip
    for cat in Category.values:
        cells = [
            Cell(counts.get((cat, s), 0), _link("personnel:list", category=cat, status=s)) for s in statuses
        ]
        table.rows.append([Cell(str(Category(cat).label)), *cells,
                           Cell(sum(c.value for c in cells), _link("personnel:list", category=cat))])  # fmt: skip
    return table


def training_in_period(user: Any, period: Period) -> Table:
    from baomi.personnel.choices import TrainingKind
    from baomi.personnel.models import Attendance, TrainingSession

    sessions = policy.visible(user, TrainingSession.objects.filter(held_on__gte=period.start,
                                                                   held_on__lte=period.end), "view")  # fmt: skip
    per_kind = {k: (n, h) for k, n, h in sessions.order_by().values("kind").annotate(
        n=Count("id"), h=Sum("hours")).values_list("kind", "n", "h")}  # fmt: skip
    att = policy.visible(user, Attendance.objects.filter(session__in=sessions.values("pk")), "view")
    attended = _counts(att, "session__kind")
    passed = _counts(att.filter(passed=True), "session__kind")
    table = Table("training", _("Training in the period"),
                  [_("Kind"), _("Sessions"), _("Hours"), _("Attendances"), _("Passed")])  # fmt: skip
    for kind in TrainingKind.values:
        n, hours = per_kind.get(kind, (0, 0))
        table.rows.append([Cell(str(TrainingKind(kind).label)), Cell(n, _link("personnel:training-list")),
                           Cell(float(hours or 0)), Cell(attended.get((kind,), 0)),
                           Cell(passed.get((kind,), 0))])  # fmt: skip
    return table


def sanctions_in_period(user: Any, period: Period) -> Table:
    from baomi.personnel.choices import SanctionKind
    from baomi.personnel.models import Sanction

    qs = Sanction.objects.filter(decided_on__gte=period.start, decided_on__lte=period.end)
    counts = _counts(policy.visible(user, qs, "view"), "kind")
    table = Table("sanctions", _("Rewards and penalties in the period"), [_("Kind"), _("Records")])
    for kind in SanctionKind.values:
        table.rows.append([Cell(str(SanctionKind(kind).label)),
                           Cell(counts.get((kind,), 0), _link("personnel:sanctions"))])  # fmt: skip
    return table


# --- supervision: inspections, rectification, incidents, publication, regulations (SUP-1..3, SUP-10) --


def incidents_in_period(user: Any, period: Period) -> Table:
    """Incidents discovered in the period by kind and status, and how many missed the 24-hour
    reporting deadline (SUP-2, R-INC-1)."""
    from baomi.incidents.choices import IncidentKind, IncidentStatus
    from baomi.incidents.models import Incident

    start, end = period.bounds()
    qs = policy.visible(
        user, Incident.objects.filter(discovered_at__gte=start, discovered_at__lt=end), "view"
    )
    counts = _counts(qs, "kind", "status")
    late = _counts(qs.filter(overdue_at__isnull=False), "kind")
    statuses = list(IncidentStatus.values)
    table = Table("incidents", _("Incidents discovered in the period"),
                  [_("Kind"), *[str(IncidentStatus(s).label) for s in statuses], _("Reported late"), _("Total")])  # fmt: skip
    for kind in IncidentKind.values:
        cells = [
            Cell(counts.get((kind, s), 0), _link("incidents:list", kind=kind, status=s)) for s in statuses
        ]
        table.rows.append([Cell(str(IncidentKind(kind).label)), *cells, Cell(late.get((kind,), 0)),
                           Cell(sum(c.value for c in cells), _link("incidents:list", kind=kind))])  # fmt: skip
    return table


def inspections_in_period(user: Any, period: Period) -> Table:
    """Inspections completed in the period by kind, their findings and the average score (SUP-1)."""
    from django.db.models import Avg, F

    from baomi.inspections.choices import PlanKind, RunStatus
    from baomi.inspections.models import Finding, Run

    start, end = period.bounds()
    runs = policy.visible(user, Run.objects.filter(status=RunStatus.COMPLETED, completed_at__gte=start,
                                                   completed_at__lt=end), "view")  # fmt: skip
    per = {k: (n, avg) for k, n, avg in runs.order_by().values("kind").annotate(
        n=Count("id"), avg=Avg(100 * F("score") / F("max_score"))).values_list("kind", "n", "avg")}  # fmt: skip
    found = _counts(
        policy.visible(user, Finding.objects.filter(run__in=runs.values("pk")), "view"), "run__kind"
    )
    table = Table("inspections", _("Inspections completed in the period"),
                  [_("Kind"), _("Inspections"), _("Findings"), _("Average score (%)")])  # fmt: skip
    for kind in PlanKind.values:
        n, avg = per.get(kind, (0, None))
        table.rows.append([Cell(str(PlanKind(kind).label)), Cell(n, _link("inspections:list", kind=kind,
                                                                            status=RunStatus.COMPLETED)),
                           Cell(found.get((kind,), 0)), Cell(round(float(avg), 1) if avg is not None else "—")])  # fmt: skip
    return table


def findings_by_department(user: Any, period: Period) -> Table:
    """Findings recorded in the period by department and status, with the rectification tasks
    overdue now (SUP-1)."""
    from baomi.accounts.models import Department
    from baomi.inspections.choices import FindingStatus, TaskStatus
    from baomi.inspections.models import Finding, RectificationTask

    start, end = period.bounds()
    findings = policy.visible(
        user, Finding.objects.filter(recorded_at__gte=start, recorded_at__lt=end), "view"
    )
    counts = _counts(findings, "department", "status")
    today = timezone.localdate()
    overdue = _counts(policy.visible(user, RectificationTask.objects.filter(
        finding__in=findings.values("pk"), deadline__lt=today).exclude(status=TaskStatus.VERIFIED), "view"),
        "finding__department")  # fmt: skip
    names = dict(Department.objects.filter(pk__in={d for d, _s in counts}).values_list("pk", "name"))
    statuses = list(FindingStatus.values)
    table = Table("findings", _("Findings and rectification by department"),
                  [_("Department"), *[str(FindingStatus(s).label) for s in statuses], _("Tasks overdue"),
                   _("Total")])  # fmt: skip
    for dept in sorted({d for d, _s in counts}, key=lambda d: (d is None, names.get(d, ""))):
        cells = [Cell(counts.get((dept, s), 0)) for s in statuses]
        table.rows.append([Cell(names.get(dept) or _("(no department)")), *cells,
                           Cell(overdue.get((dept,), 0), _link("inspections:tasks", overdue=1)),
                           Cell(sum(c.value for c in cells))])  # fmt: skip
    return table


def publication_in_period(user: Any, period: Period) -> Table:
    """Publication reviews submitted in the period by where they stand (SUP-3, R-PUB)."""
    from baomi.publication.choices import RequestStatus
    from baomi.publication.models import PublicationRequest

    start, end = period.bounds()
    qs = PublicationRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    counts = _counts(policy.visible(user, qs, "view"), "status")
    table = Table(
        "publication", _("Publication reviews submitted in the period"), [_("Status"), _("Requests")]
    )
    for st in RequestStatus.values:
        table.rows.append([Cell(str(RequestStatus(st).label)), Cell(counts.get((st,), 0),
                                                                    _link("publication:list", status=st))])  # fmt: skip
    return table


def regulations_in_period(user: Any, period: Period) -> Table:
    """The unit's secrecy regulations: in force, new versions and periodic reviews in the period
    (SUP-10)."""
    from baomi.governance.choices import RegulationStatus
    from baomi.governance.models import Regulation, RegulationReview, RegulationVersion

    regs = policy.visible(user, Regulation.objects.all(), "view")
    versions = RegulationVersion.objects.filter(regulation__in=regs.values("pk"), effective_on__gte=period.start,
                                                effective_on__lte=period.end)  # fmt: skip
    reviews = RegulationReview.objects.filter(regulation__in=regs.values("pk"), reviewed_on__gte=period.start,
                                              reviewed_on__lte=period.end)  # fmt: skip
    # "How many", not "Number": Django merges every app's catalogue, and others translate that 编号.
    table = Table("regulations", _("Secrecy regulations"), [_("Figure"), _("How many")])
    table.rows = [
        [Cell(_("In force")), Cell(regs.filter(status=RegulationStatus.EFFECTIVE).count())],
        [Cell(_("Versions taking effect in the period")), Cell(versions.count())],
        [Cell(_("Periodic reviews in the period")), Cell(reviews.count())],
    ]
    return table


# --- key places, systems and devices, meetings (SUP-5, SUP-6, SUP-7, SUP-12) --------------------------


def key_places(user: Any, period: Period) -> Table:
    """Key departments and places by status; checks of key places done in the period (SUP-5)."""
    from baomi.sites.choices import CheckStatus, SiteStatus
    from baomi.sites.models import KeyDepartment, KeyPlace, PlaceCheck

    depts = _counts(policy.visible(user, KeyDepartment.objects.all(), "view"), "status")
    places = _counts(policy.visible(user, KeyPlace.objects.all(), "view"), "status")
    checks = policy.visible(user, PlaceCheck.objects.exclude(status=CheckStatus.PLANNED).filter(
        checked_on__gte=period.start, checked_on__lte=period.end), "view")  # fmt: skip
    table = Table("key_places", _("Key departments and places"),
                  [_("Status"), pgettext("statistics", "Key departments"), pgettext("statistics", "Key places")])  # fmt: skip
    for st in SiteStatus.values:
        table.rows.append([Cell(str(SiteStatus(st).label)), Cell(depts.get((st,), 0), _link("sites:departments")),
                           Cell(places.get((st,), 0), _link("sites:places"))])  # fmt: skip
    table.rows.append([Cell(_("Checks of key places in the period")), Cell(""), Cell(checks.count(),
                                                                                       _link("sites:checks"))])  # fmt: skip
    return table


def systems_and_devices(user: Any, period: Period) -> Table:
    """Information systems and classified devices by level and status (SUP-6, SUP-7)."""
    from baomi.devices.choices import DeviceKind, DeviceStatus
    from baomi.devices.models import Device
    from baomi.systems.choices import SystemStatus
    from baomi.systems.models import InformationSystem

    systems = _counts(policy.visible(user, InformationSystem.objects.all(), "view"), "status")
    devices = _counts(policy.visible(user, Device.objects.all(), "view"), "kind", "status")
    table = Table("systems_devices", _("Information systems and devices"),
                  [pgettext("statistics", "Register"), *[str(DeviceStatus(s).label) for s in DeviceStatus.values], _("Total")])  # fmt: skip
    for kind in DeviceKind.values:
        cells = [
            Cell(devices.get((kind, s), 0), _link("devices:list", kind=kind, status=s))
            for s in DeviceStatus.values
        ]
        table.rows.append([Cell(str(DeviceKind(kind).label)), *cells, Cell(sum(c.value for c in cells),
                                                                             _link("devices:list", kind=kind))])  # fmt: skip
    live = sum(n for (st,), n in systems.items() if st == SystemStatus.LIVE)
    table.note = _("Information systems: %(total)d registered, %(live)d in operation.") % {
        "total": sum(systems.values()), "live": live}  # fmt: skip
    table.rows.append([Cell(_("Information systems in operation")), *[Cell("") for _s in DeviceStatus.values],
                       Cell(live, _link("systems:list"))])  # fmt: skip
    return table


def meetings_in_period(user: Any, period: Period) -> Table:
    """Classified meetings held in the period by level and status (SUP-12, R-SITE-2)."""
    from baomi.meetings.choices import MeetingStatus
    from baomi.meetings.models import Meeting

    start, end = period.bounds()
    counts = _counts(policy.visible(user, Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end), "view"),
                     "level", "status")  # fmt: skip
    statuses = list(MeetingStatus.values)
    table = Table("meetings", _("Classified meetings in the period"),
                  [_("Level"), *[str(MeetingStatus(s).label) for s in statuses], _("Total")])  # fmt: skip
    for lv in reversed(LEVELS):
        cells = [Cell(counts.get((lv, s), 0), _link("meetings:list")) for s in statuses]
        if sum(c.value for c in cells):
            table.rows.append([Cell(str(Level(lv).label)), *cells, Cell(sum(c.value for c in cells))])
    return table


def alerts_in_period(user: Any, period: Period) -> Table:
    from baomi.monitoring.choices import AlertStatus, RuleKind
    from baomi.monitoring.models import Alert

    start, end = period.bounds()
    counts = _counts(policy.visible(user, Alert.objects.filter(raised_at__gte=start, raised_at__lt=end), "view"),
                     "rule", "status")  # fmt: skip
    statuses = list(AlertStatus.values)
    table = Table("alerts", _("Monitoring alerts raised in the period"),
                  [_("Rule"), *[str(AlertStatus(s).label) for s in statuses], _("Total")])  # fmt: skip
    for rule in RuleKind.values:
        cells = [
            Cell(counts.get((rule, s), 0), _link("monitoring:alerts", rule=rule, status=s)) for s in statuses
        ]
        table.rows.append([Cell(str(RuleKind(rule).label)), *cells,
                           Cell(sum(c.value for c in cells), _link("monitoring:alerts", rule=rule))])  # fmt: skip
    return table


# Every table, in page order: (key, function, who sees it). Registers that land later add theirs.
TABLES: list[tuple[str, Callable[[Any, Period], Table], Callable[[Any], bool]]] = [
    ("carriers_level_status", carriers_by_level_status, lambda u: True),
    ("carriers_kind", carriers_by_kind, lambda u: True),
    ("carriers_department", carriers_by_department, lambda u: True),
    ("flows_month", flows_by_month, lambda u: True),
    ("items_level_status", items_by_level_status, lambda u: True),
    ("determinations", determinations_in_period, lambda u: True),
    ("personnel_category", personnel_by_category, lambda u: policy.can(u, "personnel_list")),
    ("training", training_in_period, lambda u: policy.can(u, "personnel_list")),
    ("sanctions", sanctions_in_period, lambda u: policy.can(u, "personnel_list")),
    ("regulations", regulations_in_period, lambda u: policy.can(u, "governance")),
    ("inspections", inspections_in_period, lambda u: policy.can(u, "inspection_list")),
    ("findings", findings_by_department, lambda u: policy.can(u, "inspection_list")),
    ("publication", publication_in_period, lambda u: policy.can(u, "publication_list")),
    ("incidents", incidents_in_period, lambda u: policy.can(u, "incident_list")),
    ("key_places", key_places, lambda u: policy.can(u, "sites_browse")),
    ("systems_devices", systems_and_devices, lambda u: policy.can(u, "devices_browse")),
    ("meetings", meetings_in_period, lambda u: policy.can(u, "meetings_browse")),
    ("alerts", alerts_in_period, lambda u: policy.can(u, "monitoring.alerts")),
]


def tables(user: Any, period: Period, only: list[str] | None = None) -> list[Table]:
    """Every table ``user`` may see for ``period`` (or those named in ``only``)."""
    return [
        fn(user, period) for key, fn, allowed in TABLES if (only is None or key in only) and allowed(user)
    ]


def table(user: Any, key: str, period: Period) -> Table | None:
    found = tables(user, period, [key])
    return found[0] if found else None
