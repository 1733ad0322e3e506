"""Services of the data assets register: every change (SUP-8, R-DATA-2..4, R-DATA-7).

Important and core data name a network-data-security officer and are assessed yearly
(R-DATA-4): the next assessment falls due 12 months after the last (``BAOMI_DATA_ASSESSMENT_
MONTHS``), or 12 months after the data was graded important. Aggregation risk (R-DATA-7) is
flagged by the owner or the security office and reviewed by the security office.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.dataassets import lifecycle, selectors
from baomi.dataassets.choices import OFFICER_GRADES, AssetStatus, DataCategory, DataGrade, DataOutcome
from baomi.dataassets.events import DataAssetsEvent
from baomi.dataassets.models import DataAssessment, DataAsset
from baomi.kit.service import own_transaction, service
from baomi.registers import checks
from baomi.registers.dates import add_months
from baomi.registers.exports import xlsx_bytes
from baomi.registers.reminders import remind_once


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _check(grade: str, category: str, owner: Any, officer: Any, measures: str) -> str:
    if grade not in DataGrade.values:
        checks.fail("grade", _("Choose the data grade."))
    if category not in DataCategory.values:
        checks.fail("category", _("Choose the category."))
    if owner is None or not owner.is_active:
        checks.fail("owner", _("Name the owner, an active person of the unit."))
    if grade in OFFICER_GRADES and (officer is None or not officer.is_active):
        checks.fail(
            "officer", _("Important and core data need a named network-data-security officer (R-DATA-4).")
        )
    return checks.require_text(measures, "measures", _("Describe the protective measures."))


@service
def register_asset(
    actor: Any, *, name: str, code: str, category: str, grade: str, department: Any, owner: Any, measures: str,
    officer: Any = None, system: Any = None, processors: str = "", records: int | None = None,
    personal_information: bool = False, note: str = "",
) -> DataAsset:  # fmt: skip
    """Register a data set with its grade, owner and measures (SUP-8, R-DATA-2). Important and
    core data need a named officer; their first yearly risk assessment falls due (R-DATA-4).

    *Requires* ``data_manage``. *Audits* DATA_ASSET_REGISTERED."""
    policy.require(actor, "data_manage")
    name = checks.require_text(name, "name", _("Name the data set."))
    code = checks.require_text(code, "code", _("Give the data set a code."))
    measures = _check(grade, category, owner, officer, measures)
    if DataAsset.objects.filter(code=code).exists():
        checks.fail("code", _("Another data asset already has this code."))
    due = _first_due(grade)
    asset = DataAsset(name=name, code=code, category=category, grade=grade, department=department, owner=owner,
                      officer=officer, system=system, measures=measures, processors=processors.strip(), records=records,
                      personal_information=personal_information, note=note.strip(), next_assessment_on=due,
                      created_by=actor)  # fmt: skip
    asset.save()
    record(actor, DataAssetsEvent.DATA_ASSET_REGISTERED, asset,
           details={"grade": grade, "category": category, "officer": getattr(officer, "pk", None)})  # fmt: skip
    return asset


def _first_due(grade: str, since: date | None = None) -> date | None:
    if grade not in OFFICER_GRADES:
        return None
    return add_months(since or timezone.localdate(), settings.DATA_ASSESSMENT_MONTHS)


@service
def change_asset(
    actor: Any, asset: DataAsset, *, category: str, grade: str, owner: Any, measures: str, officer: Any = None,
    system: Any = None, processors: str = "", records: int | None = None, personal_information: bool = False,
    note: str = "",
) -> DataAsset:  # fmt: skip
    """Change a data set's grade, owner, officer, measures or processors (SUP-8). Graded up to
    important, its yearly assessment falls due; graded down to general, none is due.
    *Requires* ``manage``. *Audits* DATA_ASSET_CHANGED."""
    asset = _locked(asset)
    policy.require(actor, "manage", asset)
    if asset.status == AssetStatus.RETIRED:
        checks.fail("grade", _("A retired data asset is not changed."))
    measures = _check(grade, category, owner, officer, measures)
    before = asset.grade
    if grade not in OFFICER_GRADES:
        asset.next_assessment_on = None
    elif before not in OFFICER_GRADES:
        asset.next_assessment_on = _first_due(grade)
    asset.category, asset.grade, asset.owner, asset.officer, asset.system = (
        category,
        grade,
        owner,
        officer,
        system,
    )
    asset.measures, asset.processors, asset.records = measures, processors.strip(), records
    asset.personal_information, asset.note = personal_information, note.strip()
    asset.save(update_fields=["category", "grade", "owner", "officer", "system", "measures", "processors", "records",
                              "personal_information", "note", "next_assessment_on"])  # fmt: skip
    record(actor, DataAssetsEvent.DATA_ASSET_CHANGED, asset, details={"grade": [before, grade]})
    return asset


@service
def retire_asset(actor: Any, asset: DataAsset, *, reason: str) -> DataAsset:
    """The data set is no longer held (deleted or handed over). *Requires* ``manage``.
    *Audits* DATA_ASSET_RETIRED."""
    asset = _locked(asset)
    policy.require(actor, "manage", asset)
    move = lifecycle.next_move(lifecycle.ASSET_TRANSITIONS, asset.status, "retire")
    reason = checks.require_text(reason, "reason", _("Give a reason."))
    asset.status, asset.next_assessment_on = move.next_state, None
    asset.save(update_fields=["status", "next_assessment_on"])
    record(actor, move.event, asset, details={"reason": reason[:200]})
    return asset


@service
def record_assessment(actor: Any, asset: DataAsset, *, assessed_on: date | None, assessor: str, outcome: str,
                      findings: str = "", reported_on: date | None = None) -> DataAssessment:  # fmt: skip
    """Record a risk assessment of important data (R-DATA-4); the next is due a year later.
    *Requires* ``assess`` (the security office or the asset's officer). *Audits*
    DATA_RISK_ASSESSED."""
    asset = _locked(asset)
    policy.require(actor, "assess", asset)
    if asset.status == AssetStatus.RETIRED:
        checks.fail("assessed_on", _("A retired data asset is not assessed."))
    if assessed_on is None:
        checks.fail("assessed_on", _("Give the date of the assessment."))
    checks.not_future(assessed_on, "assessed_on")
    assessor = checks.require_text(assessor, "assessor", _("Name who assessed the data."))
    if outcome not in DataOutcome.values:
        checks.fail("outcome", _("Choose the outcome."))
    if outcome == DataOutcome.ISSUES and not findings.strip():
        checks.fail("findings", _("Describe the risks found."))
    checks.not_future(reported_on, "reported_on")
    if reported_on is not None and reported_on < assessed_on:
        checks.fail("reported_on", _("The report cannot come before the assessment."))
    next_due = add_months(assessed_on, settings.DATA_ASSESSMENT_MONTHS)
    a = DataAssessment(asset=asset, assessed_on=assessed_on, assessor=assessor, outcome=outcome,
                       findings=findings.strip(), reported_on=reported_on, next_due_on=next_due,
                       recorded_by=actor)  # fmt: skip
    a.save()
    latest = DataAssessment.objects.filter(asset=asset).order_by("-assessed_on", "-id").first()
    if latest is not None and latest.pk == a.pk and asset.grade in OFFICER_GRADES:
        asset.next_assessment_on = next_due
        asset.save(update_fields=["next_assessment_on"])
    record(actor, DataAssetsEvent.DATA_RISK_ASSESSED, asset,
           details={"assessment": a.pk, "outcome": outcome, "next_due_on": next_due})  # fmt: skip
    return a


@service
def flag_aggregation(actor: Any, asset: DataAsset, *, note: str) -> DataAsset:
    """Flag a data set whose aggregation or correlation might make it a state secret, for the
    security office's review (R-DATA-7). *Requires* ``flag_aggregation`` (its owner, officer
    or the security office). *Audits* AGGREGATION_FLAGGED."""
    asset = _locked(asset)
    policy.require(actor, "flag_aggregation", asset)
    move = lifecycle.next_move(lifecycle.AGGREGATION_TRANSITIONS, asset.aggregation, "flag")
    note = checks.require_text(note, "note", _("Say what is aggregated or correlated."))
    asset.aggregation, asset.aggregation_note = move.next_state, note[:300]
    asset.save(update_fields=["aggregation", "aggregation_note"])
    record(actor, move.event, asset, details={"note": note[:200]})
    return asset


@service
def review_aggregation(actor: Any, asset: DataAsset, *, manage_as_secret: bool, note: str) -> DataAsset:
    """Decide a flagged aggregation risk: manage the data set as a state secret (on a classified
    system, R-DATA-7) or record that it is not one. *Requires* ``review_aggregation`` (the
    security office). *Audits* AGGREGATION_REVIEWED."""
    asset = _locked(asset)
    policy.require(actor, "review_aggregation", asset)
    move = lifecycle.next_move(lifecycle.AGGREGATION_TRANSITIONS, asset.aggregation,
                               "secret" if manage_as_secret else "clear")  # fmt: skip
    note = checks.require_text(note, "note", _("Give the reasons of the review."))
    asset.aggregation, asset.aggregation_note = move.next_state, note[:300]
    asset.save(update_fields=["aggregation", "aggregation_note"])
    record(actor, move.event, asset, details={"decision": move.next_state, "note": note[:200]})
    return asset


@service
def export_register(
    actor: Any, *, title: str, headers: list[Any], rows: list[list[Any]], register: str
) -> bytes:
    """Export the data assets register page as xlsx (SUP-8). *Requires* ``data_browse``.
    *Audits* DATA_EXPORTED."""
    policy.require(actor, "data_browse")
    entry = record(
        actor, DataAssetsEvent.DATA_EXPORTED, None, details={"register": register, "rows": len(rows)}
    )
    return xlsx_bytes(title, headers, rows, actor=actor, number=entry.pk)


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Scheduler: one DATA_REMINDED entry per important or core data set whose yearly risk
    assessment falls due within the lead time or is overdue (R-DATA-4). Idempotent; no policy."""
    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.REGISTERS_REMINDER_DAYS)
    raised = 0
    for asset in selectors.all_due(horizon):
        with transaction.atomic():
            raised += remind_once(
                DataAssetsEvent.DATA_REMINDED, asset, "assessment", asset.next_assessment_on
            )
    return {"reminders": raised}
