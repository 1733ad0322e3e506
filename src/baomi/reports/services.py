"""Services of the reports app: exporting statistics and the annual report's life (OPS-3, SUP-14).

The annual report is drafted from the records (``annual.compute``), edited by the security
officer, downloaded as docx or PDF (each download audited; its audit entry number is the 份号),
and registered as a 工作秘密 item with the PDF stored encrypted in the vault.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.core.errors import Conflict, ValidationFailed
from baomi.core.marks import make_mark
from baomi.kit.exports import issue_export
from baomi.kit.service import service
from baomi.reports import annual, documents, exports
from baomi.reports.events import ReportEvent
from baomi.reports.models import AnnualReport
from baomi.reports.statistics import Period, tables

FORMATS = ("xlsx", "csv")
REPORT_FORMATS = ("docx", "pdf")


@service
def export_statistics(actor: Any, fmt: str, period: Period, *, only: list[str] | None = None) -> bytes:
    """The statistics ``actor`` may see, as xlsx or CSV (OPS-3). *Requires*
    ``reports.statistics``. *Audits* STATISTICS_EXPORTED with the period and the tables."""
    policy.require(actor, "reports.statistics")
    if fmt not in FORMATS:
        raise ValidationFailed(_("Unknown export format."), fields={"format": [_("Unknown export format.")]})
    found = tables(actor, period, only)
    heading = _("Statistics %(period)s") % {"period": period.label()}
    data = (
        exports.to_xlsx(found, heading=heading) if fmt == "xlsx" else exports.to_csv(found, heading=heading)
    )
    issue_export(actor, ReportEvent.STATISTICS_EXPORTED, ("reports.statistics", fmt, period.label()),
                 document="reports.statistics", fmt=fmt, rows=sum(len(t.rows) for t in found),
                 filters={"from": period.start, "to": period.end, "tables": [t.key for t in found]},
                 details={"from": period.start, "to": period.end, "tables": [t.key for t in found]})  # fmt: skip
    return data


def _check_year(year: int) -> None:
    if not 2000 <= int(year) <= timezone.localdate().year:
        message = _("Choose a year from 2000 to this year.")
        raise ValidationFailed(message, fields={"year": [message]})


@service
def draft_annual_report(
    actor: Any, year: int, *, overwrite: bool = False, keep_edited: bool = False
) -> AnnualReport:
    """Draft (or redraft) the annual report of ``year`` from the records (SUP-14).

    The figures are always refreshed. Prose the officer has edited is never replaced silently:
    with edited sections, the call is refused (Conflict, naming them) unless ``keep_edited``
    (keep the officer's text, redraft the rest) or ``overwrite`` (redraft everything).
    *Requires* ``edit`` on the report. *Audits* ANNUAL_REPORT_DRAFTED.
    """
    _check_year(year)
    report = AnnualReport.objects.select_for_update().filter(year=year).first() or AnnualReport(year=year)
    policy.require(actor, "edit", report)
    if report.registered_at:
        raise Conflict(_("This report has been registered; it can no longer be redrafted."))
    edited = {s["key"]: s for s in report.edited_sections()}
    if edited and not (overwrite or keep_edited):
        names = "、".join(s["title"] for s in edited.values())
        raise Conflict(_("The text of these parts was edited: %(parts)s. Keep the edits or replace them.")
                       % {"parts": names})  # fmt: skip
    sections, found = annual.compute(actor, year)
    if keep_edited and not overwrite:
        for s in sections:
            if s["key"] in edited:
                s["text"] = edited[s["key"]]["text"]
    report.sections = sections
    report.figures = [annual.snapshot(t) for t in found]
    report.drafted_by, report.drafted_at = actor, timezone.now()
    report.save()
    record(actor, ReportEvent.ANNUAL_REPORT_DRAFTED, report,
           details={"kept": sorted(edited) if keep_edited and not overwrite else [], "replaced": sorted(edited)
                    if overwrite else []})  # fmt: skip
    return report


@service
def edit_annual_report(actor: Any, report: AnnualReport, texts: dict[str, str]) -> AnnualReport:
    """Change the prose of some areas (SUP-14); the figures stay tied to the records. *Requires*
    ``edit``. *Audits* ANNUAL_REPORT_EDITED with the areas changed (not the text)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    policy.require(actor, "edit", report)
    if report.registered_at:
        raise Conflict(_("This report has been registered; it can no longer be edited."))
    changed = []
    for section in report.sections:
        new = texts.get(section["key"])
        if new is not None and new.strip() != section["text"]:
            if len(new) > 20000:
                raise ValidationFailed(_("A part may hold at most 20000 characters."))
            section["text"] = new.strip()
            changed.append(section["key"])
    report.edited_at = timezone.now()
    report.save(update_fields=["sections", "edited_at"])
    record(actor, ReportEvent.ANNUAL_REPORT_EDITED, report, details={"sections": changed})
    return report


def _stamp(actor: Any, when: Any, year: int) -> str:
    from baomi.carriers.watermark import watermark_text

    return watermark_text(actor, timezone.localtime(when), f"年度报告{year}")


@service
def export_annual_report(actor: Any, report: AnnualReport, fmt: str) -> tuple[bytes, str]:
    """The report as docx or PDF (SUP-14). The download is issued first by the one audited export
    service: the document's 份号 is the next number of the annual reports' own sequence
    (R-MARK-5, issue 12 §4). *Requires* ``export``. *Audits* ANNUAL_REPORT_EXPORTED."""
    policy.require(actor, "export", report)
    if fmt not in REPORT_FORMATS:
        raise ValidationFailed(_("Unknown export format."), fields={"format": [_("Unknown export format.")]})
    number = issue_export(actor, ReportEvent.ANNUAL_REPORT_EXPORTED, report, document="reports.annual_report",
                          fmt=fmt, rows=1, filters={"year": report.year}).number  # fmt: skip
    mark = make_mark(report.level, None)
    today = timezone.localdate()
    if fmt == "docx":
        data = documents.to_docx(report, copy_number=number, mark=mark, on=today)
    else:
        data = documents.to_pdf(report, copy_number=number, mark=mark, on=today,
                                stamp=_stamp(actor, timezone.now(), report.year))  # fmt: skip
    return data, f"annual-report-{report.year}.{fmt}"


@service
def register_annual_report(actor: Any, report: AnnualReport, *, on: date | None = None) -> AnnualReport:
    """Register the report as a 工作秘密 item and keep its PDF encrypted in the vault (SUP-14).

    Proposes the item through the classification service (so it needs ``propose_item`` as well
    as ``register`` on the report), scoped to the actor's department and the unit head, with
    the work-secret mark. *Audits* ANNUAL_REPORT_REGISTERED (and ITEM_PROPOSED, BLOB_STORED).
    """
    from baomi.accounts.choices import Role
    from baomi.accounts.models import User
    from baomi.classification import services as classification
    from baomi.vault import services as vault

    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    policy.require(actor, "register", report)
    if report.registered_at:
        raise Conflict(_("This report has already been registered."))
    if actor.department_id is None:
        raise ValidationFailed(_("You belong to no department; the item needs an originating department."))
    heads = list(User.objects.filter(role_assignments__role=Role.UNIT_HEAD, is_active=True))
    item = classification.propose_item(
        actor, title=documents.title_of(report.year), level=report.level, department=actor.department,
        reference=f"年度报告{report.year}", basis_text=_("Annual report of the unit's secrecy work (SUP-14)"),
        scope_users=heads, scope_departments=[actor.department],
        reason=_("The annual report is a work secret of the unit."),
    )  # fmt: skip
    entry = record(actor, ReportEvent.ANNUAL_REPORT_REGISTERED, report, details={"item": item.pk})
    pdf = documents.to_pdf(report, copy_number=f"{entry.pk:06d}", mark=item.mark_text(),
                           on=on or timezone.localdate())  # fmt: skip
    blob = vault.store(actor, pdf, content_type="application/pdf", target=report)
    report.item, report.pdf, report.registered_at = item, blob, timezone.now()
    report.save(update_fields=["item", "pdf", "registered_at"])
    return report
