"""The guide (CLS-11, R-DET-8), unclear matters and disputes (CLS-6, R-DET-10/11) and the working-day calendar (CLS-6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import check_ceiling, require
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import marking, workdays
from baomi.classification.choices import CalendarSource, MatterKind, MatterStatus, NoticeKind, ReportTo
from baomi.classification.models import CalendarDay, GuideEntry, Item, Matter
from baomi.classification.services._common import (
    DURATION_FIELDS,
    EMPTY_DURATION,
    _expires_on,
    _invalid,
    _notify,
    _seal,
    _set_level,
)
from baomi.core import durations as dur
from baomi.core import levels
from baomi.core.durations import Duration
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from baomi.kit.service import internal, service

GUIDE_FIELDS = ("code", "title", "level", "duration_kind", "duration_value", "duration_unit", "scope_note",
                "basis_ref", "active")  # fmt: skip


def _guide_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in GUIDE_FIELDS if k in data}
    level = values.get("level", "")
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."))
    check_ceiling(level)
    if not str(values.get("code", "")).strip() or not str(values.get("title", "")).strip():
        raise _invalid("code", _("Enter the code and the matter."))
    kind = values.get("duration_kind") or "period"
    if kind == "period" and values.get("duration_value"):
        if values.get("duration_unit") not in ("year", "month"):
            # CLS-11: a suggested period says whether it counts years or months.
            raise _invalid("duration_unit", _("Choose years or months."))
        Duration.years(values["duration_value"]) if values.get(
            "duration_unit"
        ) == "year" else Duration.months(values["duration_value"])
        cap = dur.cap_years(level)
        months = values["duration_value"] * (12 if values.get("duration_unit") == "year" else 1)
        if cap is not None and months > cap * 12:
            raise _invalid("duration_value", _("A guide entry may not suggest more than the legal maximum."))
    else:
        values["duration_value"], values["duration_unit"] = None, ""
    values["duration_kind"] = kind
    return values


@service
def create_guide_entry(actor: User, **data: Any) -> GuideEntry:
    """Add an entry to the 一览表 (R-DET-8). *Requires* ``manage_guide``. *Audits* GUIDE_ENTRY_CREATED."""
    require(actor, "manage_guide")
    values = _guide_values(data)
    if GuideEntry.objects.filter(code=values["code"]).exists():
        raise _invalid("code", _("An entry with this code already exists."))
    entry = GuideEntry(**values)
    entry.save()
    record(
        actor,
        AuditEvent.GUIDE_ENTRY_CREATED,
        ("classification.guideentry", entry.pk, entry.code, entry.level),
    )
    return entry


@service
def update_guide_entry(actor: User, entry: GuideEntry, **data: Any) -> GuideEntry:
    """Change an entry (or deactivate it with ``active=False``). *Requires* ``manage``."""
    entry = GuideEntry.objects.select_for_update().get(pk=entry.pk)
    require(actor, "manage", entry)
    values = _guide_values({**{k: getattr(entry, k) for k in GUIDE_FIELDS}, **data})
    if GuideEntry.objects.filter(code=values["code"]).exclude(pk=entry.pk).exists():
        raise _invalid("code", _("An entry with this code already exists."))
    before = {k: getattr(entry, k) for k in values}
    for k, v in values.items():
        setattr(entry, k, v)
    entry.save(update_fields=list(values))
    changed = {k: [before[k], values[k]] for k in values if before[k] != values[k]}
    record(actor, AuditEvent.GUIDE_ENTRY_UPDATED, ("classification.guideentry", entry.pk, entry.code, entry.level),
           details={"changed": changed})  # fmt: skip
    return entry


@internal
def default_report_to(level: str) -> str:
    """R-DET-10: proposed 绝密 goes to the national bureau, otherwise the provincial one."""
    return ReportTo.NATIONAL if level == Level.TOP_SECRET else ReportTo.PROVINCIAL


@service
def open_matter(actor: User, item: Item, *, kind: str, description: str = "", report_to: str = "",
                set_on: date | None = None, claims: list[dict[str, str]] | None = None) -> Matter:  # fmt: skip
    """Record an unclear matter or a dispute with provisional protection (CLS-6). The report is
    due 10 working days after the provisional protection was set (R-DET-10). In a dispute the
    item is protected at the highest level any party claims (R-DET-11).

    *Requires* ``open_matter``. *Audits* MATTER_OPENED.
    """
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(actor, "open_matter", item)
    kind = MatterKind(kind)
    set_on = set_on or timezone.localdate()
    claims = [c for c in (claims or []) if c.get("level")]
    for c in claims:
        if c["level"] not in Level.values:
            raise _invalid("claims", _("Choose a level."))
        check_ceiling(c["level"])
    matter = Matter(item=item, kind=kind, description=description, set_on=set_on,
                    report_to=report_to or default_report_to(item.level),
                    report_due=workdays.add_working_days(set_on, settings.MATTER_DEADLINE_WORKING_DAYS),
                    claims=claims, opened_by=actor)  # fmt: skip
    matter.save()
    record(actor, AuditEvent.MATTER_OPENED, matter, details={"item": item.pk, "kind": kind})
    _apply_highest_claim(actor, item, matter)
    return matter


def _apply_highest_claim(actor: User, item: Item, matter: Matter) -> None:
    if matter.kind != MatterKind.DISPUTE or not matter.claims:
        return
    highest = levels.highest([item.level, *[c["level"] for c in matter.claims]])
    if highest != item.level:
        old_mark = marking.item_mark(item)
        before = item.level
        _set_level(item, highest)
        if levels.is_state_secret(highest) and not item.duration_kind:
            raise _invalid("claims", _("Give the item a duration before protecting it as a state secret."))
        item.save(update_fields=["level"])
        _seal(item)
        _notify(item, NoticeKind.PROVISIONAL, old_mark=old_mark, new_mark=marking.item_mark(item))
        record(actor, AuditEvent.ITEM_CHANGED, item,
               details={"matter": matter.pk, "before": before, "level": highest, "dispute": True})  # fmt: skip


@service
def add_claim(actor: User, matter: Matter, *, party: str, level: str) -> Matter:
    """A party claims a level in a dispute; the highest claim applies at once (R-DET-11)."""
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    item = Item.objects.select_for_update().get(pk=matter.item_id)
    require(actor, "manage", matter)
    if matter.kind != MatterKind.DISPUTE or matter.status == MatterStatus.DECIDED:
        raise InvalidTransition(_("Claims can only be added to an open dispute."))
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."))
    check_ceiling(level)
    matter.claims = [*matter.claims, {"party": party[:100], "level": level}]
    matter.save(update_fields=["claims"])
    record(actor, AuditEvent.MATTER_CLAIM_ADDED, matter, details={"level": level})
    _apply_highest_claim(actor, item, matter)
    return matter


@service
def report_matter(
    actor: User, matter: Matter, *, reported_on: date | None = None, reference: str = ""
) -> Matter:
    """Record the report to the bureau; its decision is due 10 working days later (R-DET-10)."""
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    require(actor, "manage", matter)
    if matter.status != MatterStatus.OPEN:
        raise InvalidTransition(_("This action is not allowed in the current state."))
    reported_on = reported_on or timezone.localdate()
    if reported_on < matter.set_on:
        # CLS-6, R-DET-10: the report follows the provisional protection; its deadlines count from it.
        raise _invalid(
            "reported_on", _("The report date lies before the date of the provisional protection.")
        )
    if reported_on > timezone.localdate():
        raise _invalid("reported_on", _("The report date lies in the future."))
    matter.reported_on = reported_on
    matter.report_reference = reference[:200]
    matter.decision_due = workdays.add_working_days(matter.reported_on, settings.MATTER_DEADLINE_WORKING_DAYS)
    matter.status = MatterStatus.REPORTED
    matter.save(update_fields=["reported_on", "report_reference", "decision_due", "status"])
    record(actor, AuditEvent.MATTER_REPORTED, matter,
           details={"late": matter.reported_on > matter.report_due})  # fmt: skip
    return matter


@service
def decide_matter(actor: User, matter: Matter, *, decision: str, level: str, decided_on: date | None = None) -> Matter:  # fmt: skip
    """Record the bureau's decision; the item takes the decided level (R-DET-10/11)."""
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    item = Item.objects.select_for_update().get(pk=matter.item_id)
    require(actor, "manage", matter)
    if matter.status != MatterStatus.REPORTED:
        raise InvalidTransition(_("Record the report before the decision."))
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."))
    check_ceiling(level)
    if not decision.strip():
        raise _invalid("decision", _("Enter the decision."))
    decided_on = decided_on or timezone.localdate()
    if matter.reported_on and decided_on < matter.reported_on:
        # CLS-6, R-DET-10: the bureau decides on the report it received.
        raise _invalid("decided_on", _("The decision date lies before the report date."))
    matter.status = MatterStatus.DECIDED
    matter.decided_on = decided_on
    matter.decision = decision[:300]
    matter.decided_level = level
    matter.save(update_fields=["status", "decided_on", "decision", "decided_level"])
    record(actor, AuditEvent.MATTER_DECIDED, matter, details={"level": level})
    if level != item.level and item.is_live:
        old_mark = marking.item_mark(item)
        before = item.level
        _set_level(item, level)
        if levels.is_state_secret(level) and not item.duration_kind:
            raise _invalid("level", _("Give the item a duration before protecting it as a state secret."))
        if not levels.is_state_secret(level) and level != Level.WORK_SECRET:
            for k, v in EMPTY_DURATION.items():
                setattr(item, k, v)
        item.expires_on = _expires_on(item)
        item.save(update_fields=["level", *DURATION_FIELDS, "expires_on"])
        _seal(item)
        _notify(item, NoticeKind.CHANGED, old_mark=old_mark, new_mark=marking.item_mark(item))
        record(
            actor,
            AuditEvent.ITEM_CHANGED,
            item,
            details={"matter": matter.pk, "before": before, "level": level},
        )
    return matter


@service
def set_calendar_day(actor: User, *, day: date, kind: str, name: str = "") -> CalendarDay:
    """Add or change a holiday or make-up working day. *Requires* ``manage_calendar``."""
    require(actor, "manage_calendar")
    entry = CalendarDay.objects.select_for_update().filter(day=day).first() or CalendarDay(day=day)
    entry.kind = kind
    entry.name = name[:100]
    entry.source = CalendarSource.OFFICER  # the officer's word: kept by every seeding
    entry.save()
    record(actor, AuditEvent.CALENDAR_CHANGED, entry, details={"day": day, "kind": kind, "set": True})
    return entry


@service
def seed_calendar(actor: User | None, year: int) -> dict[str, int]:
    """Copy ``year``'s published arrangement (holidays and 调休 days, the ``chinesecalendar``
    package) into the unit's calendar (CLS-6, issue 12 §4). The officer's own entries are kept;
    earlier seeded days the package no longer lists are removed. ``actor`` None is the scheduled
    job. *Requires* ``manage_calendar``. *Audits* CALENDAR_CHANGED once, with the counts.
    Raises ValidationFailed when the package does not cover ``year``."""
    if actor is not None:
        require(actor, "manage_calendar")
    published = workdays.published_year(year)
    if not published:
        raise ValidationFailed(
            _(
                "The published holiday arrangement of %(year)s is not available yet; enter its holidays by hand."
            )
            % {"year": year},
            fields={"year": [_("Not covered by the published arrangement.")]},
        )
    rows = {c.day: c for c in CalendarDay.objects.select_for_update().filter(day__year=year)}
    added = changed = kept = 0
    for day, kind, name in published:
        row = rows.pop(day, None)
        if row is None:
            CalendarDay.objects.create(day=day, kind=kind, name=name, source=CalendarSource.PUBLISHED)
            added += 1
        elif row.source == CalendarSource.OFFICER:
            kept += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            row.save(update_fields=["kind", "name"])
            changed += 1
    stale = [r.pk for r in rows.values() if r.source == CalendarSource.PUBLISHED]
    CalendarDay.objects.filter(pk__in=stale).delete()
    counts = {"added": added, "changed": changed, "kept": kept, "removed": len(stale)}
    record(actor, AuditEvent.CALENDAR_CHANGED, ("classification.calendar", year, f"calendar:{year}"),
           details={"seeded": year, **counts})  # fmt: skip
    return counts


@service
def remove_calendar_day(actor: User, entry: CalendarDay) -> None:
    """Remove a calendar entry. *Requires* ``manage``. *Audits* CALENDAR_CHANGED."""
    require(actor, "manage", entry)
    record(
        actor,
        AuditEvent.CALENDAR_CHANGED,
        entry,
        details={"day": entry.day, "kind": entry.kind, "set": False},
    )
    entry.delete()
