"""The figures of the role dashboards (OPS-1): the state of the regime at a glance.

- the security officer: the whole regime — carriers by level and status, what is overdue,
  incidents with their 24-hour clocks, open findings and rectification by department, open
  alerts, items expiring, inventories, personnel gaps and exits, the last self-assessment by area,
  department ranking and the monthly trend;
- a department head: the same, as far as the policy lets the head see (the department);
- the unit head: a one-page summary;
- the auditor: the audit trail's health — entries per day, last verification, sealer lag,
  alerts about the administrators;
- everyone: their own to-dos (``dashboard.views.tasks_for``).

Each figure links to the list it counts. Counting is SQL aggregates through the policy
(``reports.statistics``); the heavy ones are cached under the audit position
(``audit.cache``), which changes with every committed change, so a cached figure is never
stale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.audit.cache import cached
from baomi.core.levels import Level
from baomi.kit import counts
from baomi.reports import charts
from baomi.reports.statistics import (
    Period,
    carriers_by_department,
    carriers_by_level_status,
    flows_by_month,
    headed_carriers_by_level_status,
)


@dataclass
class Figure:
    label: str
    value: Any
    url: str = ""
    level: str = ""  # "", "warn", "bad": how the number reads when it is not zero


@dataclass
class Panel:
    title: str
    figures: list[Figure] = field(default_factory=list)
    chart: SafeString | None = None
    note: str = ""
    wide: bool = False


#: A panel that needs its figures' values to take shape (whether to show at all): finished by
#: ``panels_for`` once the batch is read.
Later = Callable[[], "Panel | None"]


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return reverse(name) + (f"?{query}" if query else "")


# --- building blocks (each: a few aggregates) ---------------------------------------------------


def carriers_panel(user: Any, title: str, *, department: bool = False) -> Panel:
    """Carriers by level, and the totals per status. ``department``: only those of the
    departments a head heads (``reports.statistics.headed_carriers_by_level_status``), each
    figure linking to the ledger narrowed to them."""
    if department:
        table = cached(f"dept-levels:{policy.scope_key(user)}", lambda: headed_carriers_by_level_status(user))
    else:
        table = cached(f"levels:{policy.scope_key(user)}", lambda: carriers_by_level_status(user))
    codes = list(reversed(Level.values))
    labels = {str(Level(lv).label): lv for lv in codes}
    rows = [(labels.get(r[0].value, ""), r[0].value, r[-1].value, r[-1].url) for r in table.rows]
    chart = charts.bar([r[1] for r in rows], [r[2] for r in rows], colours=charts.level_colours([r[0] for r in rows]),
                       width=320, height=190) if rows else None  # fmt: skip
    status_totals: dict[str, tuple[int, str]] = {}
    for col, head in enumerate(table.headers[1:-1], start=1):
        total = sum(r[col].value for r in table.rows)
        if total:
            # The cell's own link without its level: the same narrowing, every level.
            base, _sep, query = table.rows[0][col].url.partition("?")
            narrowed = urlencode([p for p in parse_qsl(query) if p[0] != "level"])
            status_totals[head] = (total, f"{base}?{narrowed}")
    figures = [Figure(label, value, url) for label, value, url in ((r[1], r[2], r[3]) for r in rows)]
    figures += [Figure(head, n, url) for head, (n, url) in status_totals.items()]
    return Panel(title, figures, chart)


def overdue_panel(user: Any) -> Panel:
    from baomi.carriers import queries
    from baomi.carriers.choices import CarrierStatus

    today = timezone.localdate()
    taken_out = policy.visible(user, _take_outs().filter(back_at__isnull=True, taken_at__isnull=False,
                                                         returns_on__lt=today), "view")  # fmt: skip
    stale = today - timedelta(days=3)
    return Panel(_("Overdue"), [
        Figure(_("Loans overdue for return"), counts.of(queries.overdue_loans(user, today)),
               _url("carriers:ledger", status=CarrierStatus.ON_LOAN), "bad"),
        Figure(_("Transfers unsigned for more than 3 days"),
               counts.of(queries.unsigned_transfers(user).filter(sent_at__date__lt=stale)),
               _url("carriers:transfers"), "bad"),
        Figure(_("Carriers taken out and not back in time"), counts.of(taken_out),
               _url("carriers:ledger", status=CarrierStatus.TAKEN_OUT), "bad"),
        Figure(_("Carriers reported missing"), counts.of(queries.visible_carriers(user).filter(status=CarrierStatus.MISSING)),
               _url("carriers:ledger", status=CarrierStatus.MISSING), "bad"),
    ])  # fmt: skip


def _take_outs() -> Any:
    from baomi.carriers.models import TakeOutRequest

    return TakeOutRequest.objects.all()


def expiring_panel(user: Any) -> Panel:
    from baomi.classification.choices import ItemStatus
    from baomi.classification.models import Item

    today = timezone.localdate()
    items = policy.visible(
        user, Item.objects.filter(status=ItemStatus.DETERMINED, expires_on__gte=today), "view"
    )
    ending = counts.aggregate(items, d30=Count("id", filter=Q(expires_on__lte=today + timedelta(days=30))),
                              d90=Count("id", filter=Q(expires_on__lte=today + timedelta(days=90))))  # fmt: skip
    url = _url("classification:items", status=ItemStatus.DETERMINED)
    return Panel(_("Classification periods ending"), [
        Figure(_("Within 30 days"), ending["d30"], url, "warn"),
        Figure(_("Within 90 days"), ending["d90"], url, ""),
    ])  # fmt: skip


def inventory_panel(user: Any) -> Later:
    """Shown only while an open inventory has entries: finished once its figures are read."""
    from baomi.carriers.choices import CampaignStatus
    from baomi.carriers.models import InventoryCampaign, InventoryEntry

    campaigns = policy.visible(user, InventoryCampaign.objects.filter(status=CampaignStatus.OPEN), "view")
    entries = policy.visible(user, InventoryEntry.objects.filter(campaign__in=campaigns.values("pk")), "view")
    agg = counts.aggregate(entries, total=Count("id"), checked=Count("id", filter=~Q(result="pending")),
                           wrong=Count("id", filter=Q(result__in=["missing", "damaged"])))  # fmt: skip
    url = _url("carriers:inventories")

    def finish() -> Panel | None:
        if not agg["total"]:
            return None
        return Panel(_("Inventory in progress"), [
            Figure(_("Carriers checked"), f"{int(agg['checked'])} / {int(agg['total'])}", url),
            Figure(_("Discrepancies (missing or damaged)"), agg["wrong"], url, "bad"),
        ])  # fmt: skip

    return finish


def personnel_panel(user: Any) -> Panel | None:
    if not policy.can(user, "personnel_list"):
        return None
    from baomi.personnel import selectors
    from baomi.personnel.choices import ExitStatus, FileStatus

    due = reverse("personnel:due")
    held = counts.aggregate(selectors.files(user), active=Count("pk", filter=Q(status=FileStatus.ACTIVE)),
                            separation=Count("pk", filter=Q(status=FileStatus.SEPARATION)))  # fmt: skip
    return Panel(_("Personnel"), [
        Figure(_("Cleared personnel"), held["active"], _url("personnel:list", status=FileStatus.ACTIVE)),
        Figure(_("Pledges to renew (no current agreement)"), selectors.shared_count(user, "renewals"), due + "#renewals",
               "warn"),
        Figure(_("Classification roles without current training"), selectors.shared_count(user, "training_gaps"),
               due + "#determination", "bad"),
        Figure(_("Exits in progress"), selectors.shared_count(user, "exits_open"),
               _url("personnel:exit-list", status=ExitStatus.OPEN), "warn"),
        Figure(_("In separation period (脱密期)"), held["separation"], _url("personnel:list", status=FileStatus.SEPARATION)),
    ])  # fmt: skip


def incidents_panel(user: Any) -> Later | None:
    """Open incidents and the 24-hour reporting clocks (SUP-2, R-INC-1): the next deadlines,
    read only when a clock is running (finished once the figures are read)."""
    if not policy.can(user, "incident_list"):
        return None
    from baomi.incidents.choices import IncidentStatus
    from baomi.incidents.models import Incident

    qs = policy.visible(user, Incident.objects.exclude(status=IncidentStatus.CLOSED), "view")
    now = timezone.now()
    is_running = Q(deadline_at__isnull=False, overdue_at__isnull=True, deadline_at__gt=now)
    clocks = counts.aggregate(qs, open=Count("pk"), running=Count("pk", filter=is_running),
                              overdue=Count("pk", filter=Q(overdue_at__isnull=False) | Q(deadline_at__lte=now)))  # fmt: skip

    def finish() -> Panel:
        figures = [
            Figure(_("Open incidents"), clocks["open"], _url("incidents:list"), "bad"),
            Figure(_("Reporting clock running"), clocks["running"], _url("incidents:list", clock="running"),
                   "warn"),
            Figure(_("Reporting deadline missed"), clocks["overdue"], _url("incidents:list", clock="overdue"),
                   "bad"),
        ]  # fmt: skip
        if int(clocks["running"]):  # the next deadlines: read (and built) only when a clock runs
            running = qs.filter(is_running).order_by("deadline_at").values_list("pk", "title", "deadline_at")
            for pk, title, deadline in running[:3]:
                hours = max(int(((deadline or now) - now).total_seconds() // 3600), 0)
                figures.append(Figure(title[:30], _("%(hours)d h left to report") % {"hours": hours},
                                      reverse("incidents:detail", args=[pk]), "bad" if hours < 6 else "warn"))  # fmt: skip
        return Panel(_("Incidents (24-hour reporting clock)"), figures)

    return finish


def findings_panel(user: Any) -> Panel | None:
    """Open findings and rectification tasks by department (SUP-1)."""
    if not policy.can(user, "inspection_list"):
        return None
    from baomi.inspections.choices import FindingStatus, TaskStatus
    from baomi.inspections.models import Finding, RectificationTask

    open_findings = policy.visible(user, Finding.objects.exclude(status=FindingStatus.CLOSED), "view")
    # Each department with its name, in one grouped query.
    grouped = list(open_findings.order_by().values("department", "department__name").annotate(n=Count("id")))
    by_dept = {row["department"]: row["n"] for row in grouped}
    names = {row["department"]: row["department__name"] for row in grouped}
    overdue = counts.of(policy.visible(user, RectificationTask.objects.filter(deadline__lt=timezone.localdate())
                                       .exclude(status=TaskStatus.VERIFIED), "view"))  # fmt: skip
    figures = [Figure(_("Open findings"), sum(by_dept.values()), _url("inspections:list"), "warn"),
               Figure(_("Rectification tasks overdue"), overdue, _url("inspections:tasks", overdue=1), "bad")]  # fmt: skip
    top = sorted(by_dept.items(), key=lambda kv: -kv[1])[:5]
    figures += [Figure(names.get(d) or _("(no department)"), n, _url("inspections:list")) for d, n in top]
    return Panel(_("Findings and rectification"), figures)


def assessment_panel(user: Any) -> Panel | None:
    """The annual self-assessment: the last score by area and the trend of the totals (SUP-1)."""
    if not policy.can(user, "inspection_list"):
        return None
    from baomi.inspections.choices import PlanKind, Result, RunStatus
    from baomi.inspections.models import Answer, Run

    runs = list(policy.visible(user, Run.objects.filter(kind=PlanKind.ANNUAL, status=RunStatus.COMPLETED), "view")
                .exclude(max_score__isnull=True).order_by("-completed_at")[:5])  # fmt: skip
    if not runs:
        return None
    last = runs[0]
    per_area = (Answer.objects.filter(run=last).exclude(result=Result.NOT_APPLICABLE).order_by()
                .values("item__area__number", "item__area__title")
                .annotate(got=Sum("item__score", filter=Q(result=Result.COMPLIANT)), of=Sum("item__score"))
                .order_by("item__area__number"))  # fmt: skip
    labels = [f"{r['item__area__number']}" for r in per_area]
    values = [round(100 * float(r["got"] or 0) / float(r["of"]), 0) if r["of"] else 0 for r in per_area]
    chart = charts.bar(labels, [int(v) for v in values], width=320, height=180) if labels else None
    figures = [Figure(_("Last self-assessment (%(year)s)") % {"year": timezone.localtime(r.completed_at).year},
                      f"{float(r.score or 0):g} / {float(r.max_score or 0):g}",
                      reverse("inspections:run", args=[r.pk])) for r in runs]  # fmt: skip
    return Panel(_("Self-assessment score by area (%)"), figures, chart)


def alerts_panel(user: Any, title: str = "") -> Later | None:
    """Open monitoring alerts per rule (SEC-5), the rules with none left out once the figures
    are read."""
    if not policy.can(user, "monitoring.alerts"):
        return None
    from baomi.monitoring import selectors
    from baomi.monitoring.choices import RuleKind

    per_rule = selectors.open_counts(user)

    def finish() -> Panel:
        found = {rule: int(n) for rule, n in per_rule.items() if int(n)}
        figures = [Figure(str(RuleKind(rule).label), n, _url("monitoring:alerts", rule=rule, status="open"), "bad")
                   for rule, n in sorted(found.items(), key=lambda kv: -kv[1])]  # fmt: skip
        return Panel(title or _("Open monitoring alerts"), [
            Figure(_("All open alerts"), sum(found.values()), _url("monitoring:alerts", status="open"), "bad"),
            *figures,
        ])  # fmt: skip

    return finish


def ranking_panel(user: Any) -> Panel | None:
    table = cached(f"depts:{policy.scope_key(user)}", lambda: carriers_by_department(user, top=10))
    top = table.rows[:10]
    if len(top) < 2:
        return None
    chart = charts.bar([r[0].value for r in top], [r[-1].value for r in top], horizontal=True, width=320,
                       height=max(130, 24 * len(top) + 30))  # fmt: skip
    return Panel(
        _("Carriers by department"), [Figure(r[0].value, r[-1].value, r[-1].url) for r in top], chart
    )


def trend_panel(user: Any) -> Panel:
    year = timezone.localdate().year
    table = cached(f"flows:{year}:{policy.scope_key(user)}", lambda: flows_by_month(user, Period.year(year)))
    months = [str(r[0].value)[-2:].lstrip("0") + "月" for r in table.rows[:-1]]
    series = [(table.headers[i], [r[i].value for r in table.rows[:-1]]) for i in (1, 2, 3, 4, 5)]
    chart = charts.lines(months, series, height=240)
    total = table.rows[-1]
    return Panel(_("Carrier flows this year"), [
        Figure(table.headers[i], total[i].value, _url("reports:statistics") + "#flows_month") for i in range(1, 7)
    ], chart, wide=True)  # fmt: skip


# --- the auditor ----------------------------------------------------------------------------------


def audit_panels(user: Any) -> list[Panel | Later | None]:
    from baomi.audit import selectors
    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry, AuditPending

    now = timezone.now()
    since = timezone.localdate() - timedelta(days=13)
    per_day = selectors.entries_per_day(user, since)
    days = [since + timedelta(days=i) for i in range(14)]
    chart = charts.bar([f"{d.month:02d}-{d.day:02d}" for d in days], [per_day.get(d, 0) for d in days], height=200,
                       width=620)  # fmt: skip
    # The newest verification record (an intact scheduled run writes no AUDIT_VERIFIED entry).
    verification = selectors.last_verification(user)
    last = (verification.time, "ok" if verification.ok else "failed") if verification else None
    oldest = AuditPending.objects.order_by("entry_id").values_list("entry_id", flat=True).first()
    waited = None
    if oldest is not None:
        t = AuditEntry.objects.filter(pk=oldest).values_list("time", flat=True).first()
        waited = int((now - t).total_seconds() // 60) if t else None
    audit_url = reverse("audit:list")
    health = Panel(_("Audit trail health"), [
        Figure(_("Entries today"), per_day.get(timezone.localdate(), 0),
               _url("audit:list", date_from=timezone.localdate())),
        Figure(_("Chain last verified"), (timezone.localtime(last[0]).strftime("%Y-%m-%d %H:%M") + " · " +
                                          (_("intact") if last[1] == "ok" else _("FAILED"))) if last else _("never"),
               _url("audit:list", event=int(AuditEvent.AUDIT_VERIFIED)), "bad" if last and last[1] != "ok" else ""),
        Figure(_("Sealer lag (minutes the oldest entry waits)"), waited if waited is not None else 0, audit_url,
               "bad" if waited and waited >= 10 else ""),
    ], chart, note=_("Entries per day, last 14 days"), wide=True)  # fmt: skip
    return [health, alerts_panel(user, _("Alerts about the administrators and the trail"))]


# --- per role -------------------------------------------------------------------------------------


def panels_for(user: Any) -> tuple[str, list[Panel]]:
    """The dashboard of ``user``'s leading role: (kind, panels). Their plain counts and
    aggregates are read together in one statement (``kit.counts``); a panel that depends on
    its figures (``Later``) is finished after that; the figures are numbers by the time the
    panels are returned (and cached)."""
    with counts.batch():
        kind, found = _panels_of(user)
    panels = [p for p in (item() if callable(item) else item for item in found) if p]
    for panel in panels:
        for figure in panel.figures:
            figure.value = counts.settled(figure.value)
    return kind, panels


def _panels_of(user: Any) -> tuple[str, Sequence[Panel | Later | None]]:
    if user.has_role(Role.SECURITY_OFFICER):
        found = [carriers_panel(user, _("Carriers by level")), overdue_panel(user), incidents_panel(user),
                 findings_panel(user), alerts_panel(user), expiring_panel(user), inventory_panel(user),
                 personnel_panel(user), assessment_panel(user), ranking_panel(user), trend_panel(user)]  # fmt: skip
        return "regime", found
    if user.has_role(Role.AUDITOR):
        return "audit", audit_panels(user)
    if user.has_role(Role.UNIT_HEAD, Role.LEADING_GROUP):
        found = [carriers_panel(user, _("Carriers by level")), overdue_panel(user), incidents_panel(user),
                 findings_panel(user), assessment_panel(user), personnel_panel(user), trend_panel(user)]  # fmt: skip
        return "summary", found
    if user.headed_department_ids():
        found = [carriers_panel(user, _("Carriers of my department"), department=True), overdue_panel(user), findings_panel(user),
                 expiring_panel(user), inventory_panel(user), personnel_panel(user)]  # fmt: skip
        return "department", found
    return "staff", []
