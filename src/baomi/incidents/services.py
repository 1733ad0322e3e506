"""Incident services: every change to an incident (SUP-2, R-INC-1..5).

Each service: lock → ``access.require`` (``view`` first, so forbidden looks like not found) →
lifecycle check (``lifecycle.next_move``) → change → audit, in one transaction (``@service``).
A closed incident refuses everything but an addendum (R-INC-5); on PostgreSQL triggers refuse
the same below the ORM (migration 0003).

``open_incident`` is the seam other apps call (inventories CAR-8, missing carriers, violation
reports PER-8, separation-period breaches R-PER-9); ``report_incident`` is the low-friction form
of R-INC-2 for anyone, whose identity is then protected like a violation reporter's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import can, check_ceiling, require
from baomi.audit.context import audit_context, current
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.incidents import clock as clock_mod
from baomi.incidents.choices import (
    Channel,
    EntryKind,
    IncidentKind,
    IncidentStatus,
    NoticeAudience,
    Recipient,
    ReviewResult,
)
from baomi.incidents.events import IncidentEvent
from baomi.incidents.lifecycle import Move, next_move
from baomi.incidents.models import (
    Incident,
    IncidentCarrier,
    IncidentEntry,
    IncidentItem,
    PersonalInfoNotice,
    UpwardReport,
)
from baomi.kit.service import internal, own_transaction, service

# A clock on the server and one on a phone differ a little: a time up to this far ahead of
# the server's is accepted as "now", anything later is refused as in the future.
SKEW = timedelta(minutes=5)


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _work(actor: Any, incident: Incident, action: str) -> tuple[Incident, Move]:
    """Lock, check visibility (absent and forbidden alike), the state, then the action's right."""
    incident = _locked(incident)
    require(actor, "view", incident)
    move = next_move(incident.status, action)
    require(actor, move.action, incident)
    return incident, move


def _text(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [str(message)]})
    return value


def _when(value: datetime | None, field: str, *, not_before: datetime | None = None) -> datetime:
    """A time given by a person: aware, not in the future, not before ``not_before``."""
    now = timezone.now()
    value = value or now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + SKEW:
        message = _("This time lies in the future.")
        raise ValidationFailed(message, fields={field: [str(message)]})
    if not_before is not None and value < not_before:
        message = _("This time lies before the incident was discovered.")
        raise ValidationFailed(message, fields={field: [str(message)]})
    return value


def _kind(kind: str) -> IncidentKind:
    try:
        return IncidentKind(kind)
    except ValueError:
        message = _("Unknown kind of incident.")
        raise ValidationFailed(message, fields={"kind": [str(message)]}) from None


def _level(level: str) -> str:
    if not level:
        return ""
    check_ceiling(level)  # SEC-8: nothing above the accreditation ceiling, not even its metadata
    return str(levels.Level(level))


def _raise_level(incident: Incident, level: str) -> list[str]:
    """Raise the incident's level to ``level`` if higher; fix the deadline if it now applies."""
    fields = []
    if level and (not incident.level or levels.rank(level) > levels.rank(incident.level)):
        incident.level = level
        fields.append("level")
    if incident.deadline_at is None:
        deadline = clock_mod.deadline_for(incident.kind, incident.level, incident.discovered_at)
        if deadline is not None:
            incident.deadline_at = deadline
            fields.append("deadline_at")
    return fields


# --- opening ------------------------------------------------------------------------------------


@service
def open_incident(
    actor: Any,
    *,
    title: str,
    description: str = "",
    source: str = "",
    source_ref: str = "",
    level: str = "",
    kind: str = IncidentKind.OTHER,
    discovered_at: datetime | None = None,
) -> Incident:
    """Open an incident from another app's record (SUP-2, R-INC-2: whoever discovers one reports
    it). The clock starts at discovery (R-INC-1).

    *Requires* an active account; callers (inventory sign-off, missing carrier, violation report,
    separation breach) have passed their own policy check. *Audits* INCIDENT_OPENED."""
    found = _when(discovered_at, "discovered_at")
    incident = Incident(
        title=_text(title, "title", _("A title is required.")), description=description, source=source,
        source_ref=source_ref, level=_level(level), kind=_kind(kind), discovered_at=found,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    incident.deadline_at = clock_mod.deadline_for(incident.kind, incident.level, found)
    incident.save()
    record(actor, AuditEvent.INCIDENT_OPENED, incident,
           details={"source": source, "source_ref": source_ref, "kind": incident.kind,
                    "deadline": incident.deadline_at})  # fmt: skip
    return incident


@internal
def involve_link(actor: Any, incident: Incident, carrier: Any, *, lost: bool) -> IncidentCarrier:
    """Link a carrier to an incident that another app's service has just opened (a missing
    carrier, an inventory discrepancy, CAR-8), inside that service's transaction; the caller
    has checked policy, and INCIDENT_OPENED with the carrier's own entry audit it."""
    link = IncidentCarrier(incident=incident, carrier=carrier, lost=lost,
                           added_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    link.save()
    return link


@service
def report_incident(
    actor: Any,
    *,
    kind: str,
    title: str,
    description: str,
    discovered_at: datetime | None = None,
    place: str = "",
    carriers: list[Any] | None = None,
) -> Incident:
    """Any staff member reports an incident they discovered (R-INC-2, SUP-2), naming the carriers
    involved (by number, among those they may see). A lost carrier is linked as lost; the
    security office marks it missing in the registry.

    The reporter is stored as ``opened_by``, which only the security officer sees; the audit
    entry carries neither actor nor IP, as for violation reports (PER-8, docs/personnel.md).
    *Requires* ``report_incident`` (and ``view`` on each carrier named). *Audits*
    INCIDENT_REPORTED."""
    require(actor, "report_incident")
    kind = _kind(kind)
    incident = Incident(
        title=_text(title, "title", _("A title is required.")),
        description=_text(description, "description", _("Describe what happened.")),
        kind=kind, place=place.strip()[:200], discovered_at=_when(discovered_at, "discovered_at"),
        opened_by=actor, source="report",
    )  # fmt: skip
    linked = []
    for carrier in carriers or []:
        require(actor, "view", carrier)
        linked.append(carrier)
    incident.level = levels.highest([c.level for c in linked]) if linked else ""
    if incident.level:
        check_ceiling(incident.level)
    incident.deadline_at = clock_mod.deadline_for(kind, incident.level, incident.discovered_at)
    incident.save()
    for carrier in linked:
        IncidentCarrier(incident=incident, carrier=carrier, lost=kind == IncidentKind.LOST_CARRIER,
                        added_by=actor).save()  # fmt: skip
    with audit_context(current().channel, ip=None):
        record(None, IncidentEvent.INCIDENT_REPORTED, incident,
               details={"kind": kind, "reporter": "protected", "carriers": len(linked),
                        "deadline": incident.deadline_at})  # fmt: skip
    return incident


# --- working on an open incident ----------------------------------------------------------------


@service
def assign_incident(actor: Any, incident: Incident, *, handler: Any) -> Incident:
    """The security officer assigns the handler who works the incident (SUP-2). The handler
    must be cleared for the incident's level; nobody handles an incident they reported.
    *Requires* ``manage_incidents``. *Audits* INCIDENT_ASSIGNED."""
    incident, move = _work(actor, incident, "assign")
    require(actor, "manage_incidents")
    if not handler.is_active:
        raise ValidationFailed(_("This account is disabled."), fields={"handler": ["inactive"]})
    if incident.level and not levels.dominates(handler.clearance, incident.level):
        message = _("The handler is not cleared for the level of this incident.")
        raise ValidationFailed(message, fields={"handler": [str(message)]})
    if incident.opened_by_id == handler.pk and incident.source == "report":
        message = _("Nobody handles an incident they reported.")
        raise ValidationFailed(message, fields={"handler": [str(message)]})
    before = incident.handler_id
    incident.handler = handler
    incident.save(update_fields=["handler"])
    record(actor, move.event, incident, details={"handler": handler.pk, "before": before})
    return incident


@service
def correct_incident(actor: Any, incident: Incident, *, kind: str | None = None, level: str | None = None,
                     place: str | None = None, description: str | None = None) -> Incident:  # fmt: skip
    """Correct the kind, level, place or description while the incident is open (SUP-2). The
    level may only rise (it is the highest level involved); a deadline, once fixed, stays.
    *Requires* ``manage``. *Audits* INCIDENT_UPDATED with the fields changed."""
    incident, move = _work(actor, incident, "correct")
    changed: dict[str, Any] = {}
    if kind is not None and _kind(kind) != incident.kind:
        changed["kind"] = [incident.kind, kind]
        incident.kind = _kind(kind)
    if place is not None and place.strip() != incident.place:
        changed["place"] = True
        incident.place = place.strip()[:200]
    if description is not None and description.strip() and description.strip() != incident.description:
        changed["description"] = True
        incident.description = description.strip()
    new_level = _level(level or "")
    if new_level and incident.level and levels.rank(new_level) < levels.rank(incident.level):
        message = _("The level of an incident is the highest level involved; it cannot be lowered.")
        raise ValidationFailed(message, fields={"level": [str(message)]})
    before_level = incident.level
    fields = [f for f in ("kind", "place", "description") if f in changed]
    fields += _raise_level(incident, new_level)
    if incident.level != before_level:
        changed["level"] = [before_level, incident.level]
    if not fields:
        return incident
    incident.save(update_fields=sorted(set(fields)))
    record(actor, move.event, incident, details={"changed": changed, "deadline": incident.deadline_at})
    return incident


@service
def involve_carrier(actor: Any, incident: Incident, carrier: Any, *, lost: bool = False) -> IncidentCarrier:
    """Link a carrier to the incident; when it is lost, the carriers service marks it missing in
    the registry (CAR-8) without opening a second incident. The incident's level rises to the
    carrier's. *Requires* ``manage`` on the incident, ``view`` on the carrier and, for a loss,
    ``mark_missing`` on it. *Audits* INCIDENT_INVOLVED (and CARRIER_MISSING)."""
    from baomi.carriers import services as carriers
    from baomi.carriers.choices import CarrierStatus

    incident, move = _work(actor, incident, "involve")
    require(actor, "view", carrier)
    link = IncidentCarrier.objects.filter(incident=incident, carrier=carrier).first()
    if link is None:
        link = IncidentCarrier(incident=incident, carrier=carrier, lost=lost, added_by=actor)
        link.save()
    elif lost and not link.lost:
        link.lost = True
        link.save(update_fields=["lost"])
    if lost and carrier.status != CarrierStatus.MISSING:
        carriers.mark_missing(actor, carrier, note=str(_("Incident #%(id)s") % {"id": incident.pk}),
                              open_incident=False)  # fmt: skip
    fields = _raise_level(incident, carrier.level)
    if fields:
        incident.save(update_fields=fields)
    record(actor, move.event, incident,
           details={"carrier": carrier.pk, "number": carrier.registry_number, "lost": link.lost,
                    "level": incident.level})  # fmt: skip
    return link


@service
def involve_item(actor: Any, incident: Incident, item: Any) -> IncidentItem:
    """Link a classified item to the incident; the incident's level rises to the item's, so only
    those cleared for it still see the incident (CAR-3). *Requires* ``manage`` on the incident
    and ``view`` on the item. *Audits* INCIDENT_INVOLVED."""
    incident, move = _work(actor, incident, "involve")
    require(actor, "view", item)
    link = IncidentItem.objects.filter(incident=incident, item=item).first()
    if link is None:
        link = IncidentItem(incident=incident, item=item, added_by=actor)
        link.save()
    fields = _raise_level(incident, item.level)
    if fields:
        incident.save(update_fields=fields)
    record(actor, move.event, incident, details={"item": item.pk, "level": incident.level})
    return link


@service
def report_upward(actor: Any, incident: Incident, *, recipient: str, reported_at: datetime | None, channel: str,
                  reference: str) -> UpwardReport:  # fmt: skip
    """Record the report to the same-level 保密行政管理部门 or to the superior department, with
    its time, channel and reference (R-INC-1). A report after the deadline is recorded as late
    and the missed deadline stays on the incident (``overdue_at``). *Requires*
    ``report_upward``. *Audits* INCIDENT_REPORTED_UPWARD (and INCIDENT_OVERDUE when late)."""
    incident, move = _work(actor, incident, "report_upward")
    try:
        recipient = Recipient(recipient)
        channel = Channel(channel)
    except ValueError:
        raise ValidationFailed(
            _("Unknown recipient or channel."), fields={"recipient": ["invalid"]}
        ) from None
    if UpwardReport.objects.filter(incident=incident, recipient=recipient).exists():
        message = _("This report is already recorded; append an addendum to correct it.")
        raise ValidationFailed(message, fields={"recipient": [str(message)]})
    at = _when(reported_at, "reported_at", not_before=incident.discovered_at)
    late = clock_mod.is_late(incident.deadline_at, at)
    report = UpwardReport(incident=incident, recipient=recipient, reported_at=at, channel=channel, late=late,
                          reference=_text(reference, "reference", _("Give the reference of the report.")),
                          recorded_by=actor)  # fmt: skip
    report.save()
    record(actor, move.event, incident,
           details={"recipient": recipient, "reported_at": at, "channel": channel, "late": late})  # fmt: skip
    if late:
        _mark_overdue(actor, incident)
    return report


def _mark_overdue(actor: Any, incident: Incident) -> None:
    if incident.overdue_at is None and incident.deadline_at is not None:
        incident.overdue_at = incident.deadline_at
        incident.save(update_fields=["overdue_at"])
        record(actor, IncidentEvent.INCIDENT_OVERDUE, incident, details={"deadline": incident.deadline_at})


def _entry(actor: Any, incident: Incident, action: str, kind: str, text: str, *, occurred_at: datetime | None = None,
           by: Any = None, audience: str = "") -> IncidentEntry:  # fmt: skip
    incident, move = _work(actor, incident, action)
    entry = IncidentEntry(
        incident=incident, kind=kind, text=_text(text, "text", _("The text is required.")),
        occurred_at=_when(occurred_at, "occurred_at"), actor=by or actor, audience=audience.strip()[:300],
        recorded_by=actor,
    )  # fmt: skip
    entry.save()
    record(actor, move.event, incident, details={"entry": entry.pk, "kind": kind, "at": entry.occurred_at})
    return entry


@service
def record_action(actor: Any, incident: Incident, *, text: str, occurred_at: datetime | None = None,
                  taken_by: Any = None) -> IncidentEntry:  # fmt: skip
    """Record a remedial action with its time and who took it (R-INC-1, R-INC-5: failing to
    take remedial measures is a liability ground). *Requires* ``manage``. *Audits*
    INCIDENT_ACTION_RECORDED."""
    return _entry(
        actor, incident, "record_action", EntryKind.ACTION, text, occurred_at=occurred_at, by=taken_by
    )


@service
def record_note(actor: Any, incident: Incident, *, text: str) -> IncidentEntry:
    """Record an investigation note (SUP-2). *Requires* ``manage``. *Audits*
    INCIDENT_NOTE_RECORDED."""
    return _entry(actor, incident, "record_note", EntryKind.NOTE, text)


@service
def notify_incident(actor: Any, incident: Incident, *, text: str, audience: str,
                    occurred_at: datetime | None = None) -> IncidentEntry:  # fmt: skip
    """Record the notification (通报) of the incident and its handling (SUP-2). *Requires*
    ``manage``. *Audits* INCIDENT_NOTIFIED."""
    _text(audience, "audience", _("Say to whom it was notified."))
    return _entry(actor, incident, "notify", EntryKind.NOTIFICATION, text, occurred_at=occurred_at,
                  audience=audience)  # fmt: skip


@service
def file_case(actor: Any, incident: Incident, *, case_number: str, note: str = "") -> Incident:
    """File the case (立案) and start the investigation (SUP-2). *Requires* ``manage``.
    *Audits* INCIDENT_CASE_FILED."""
    incident, move = _work(actor, incident, "file_case")
    incident.case_number = _text(case_number, "case_number", _("Give the case number."))[:100]
    incident.case_filed_at, incident.case_filed_by = timezone.now(), actor
    incident.status = move.next_state
    incident.save(update_fields=["case_number", "case_filed_at", "case_filed_by", "status"])
    if note.strip():
        IncidentEntry(
            incident=incident, kind=EntryKind.NOTE, text=note.strip(), actor=actor, recorded_by=actor
        ).save()
    record(actor, move.event, incident, details={"case_number": incident.case_number})
    return incident


@service
def conclude_incident(actor: Any, incident: Incident, *, review_result: str, conclusion: str) -> Incident:
    """Record the conclusion of the investigation and its 保密审核 result (SUP-2). *Requires*
    ``manage``. *Audits* INCIDENT_CONCLUDED."""
    incident, move = _work(actor, incident, "conclude")
    try:
        result = ReviewResult(review_result)
    except ValueError:
        raise ValidationFailed(
            _("Unknown review conclusion."), fields={"review_result": ["invalid"]}
        ) from None
    incident.review_result = result
    incident.conclusion = _text(conclusion, "conclusion", _("Write the conclusion."))
    incident.concluded_at, incident.concluded_by = timezone.now(), actor
    incident.status = move.next_state
    incident.save(update_fields=["review_result", "conclusion", "concluded_at", "concluded_by", "status"])
    record(actor, move.event, incident, details={"review_result": result})
    return incident


@service
def record_notice(actor: Any, incident: Incident, *, audience: str, notified_at: datetime | None, channel: str,
                  info_types: str, cause: str, likely_harm: str, measures: str, remedies: str,
                  contact: str) -> PersonalInfoNotice:  # fmt: skip
    """Record the notice of a personal-information incident to the individuals or to the
    supervising department, with every content R-INC-3 requires (PIPL Art 57). *Requires*
    ``manage``. *Audits* INCIDENT_NOTICE_RECORDED."""
    incident, move = _work(actor, incident, "record_notice")
    if not incident.personal_information:
        message = _("Only a personal-information incident has these notices.")
        raise ValidationFailed(message, fields={"audience": [str(message)]})
    try:
        audience, channel = NoticeAudience(audience), Channel(channel)
    except ValueError:
        raise ValidationFailed(_("Unknown recipient or channel."), fields={"audience": ["invalid"]}) from None
    if PersonalInfoNotice.objects.filter(incident=incident, audience=audience).exists():
        message = _("This notice is already recorded; append an addendum to correct it.")
        raise ValidationFailed(message, fields={"audience": [str(message)]})
    required = _("R-INC-3 requires this content in the notice.")
    notice = PersonalInfoNotice(
        incident=incident, audience=audience, channel=channel,
        notified_at=_when(notified_at, "notified_at", not_before=incident.discovered_at),
        **{name: _text(value, name, required)[:300] for name, value in (
            ("info_types", info_types), ("cause", cause), ("likely_harm", likely_harm), ("measures", measures),
            ("remedies", remedies), ("contact", contact))},
        recorded_by=actor,
    )  # fmt: skip
    notice.save()
    record(actor, move.event, incident, details={"audience": audience, "notified_at": notice.notified_at})
    return notice


@internal
def closing_gaps(incident: Incident) -> list[str]:
    """What still stands between a concluded incident and its closure (R-INC-1, R-INC-3,
    R-INC-5), as translated sentences; empty when it may close. A pure read; ``close_incident``
    checks policy."""
    from django.utils.translation import gettext

    gaps = []
    if incident.status not in (IncidentStatus.CONCLUDED, IncidentStatus.CLOSED):
        gaps.append(gettext("the conclusion is not recorded"))
    if not incident.entries.filter(kind=EntryKind.ACTION).exists():
        gaps.append(gettext("no remedial action is recorded"))
    if incident.deadline_at is not None:
        done = set(incident.upward_reports.values_list("recipient", flat=True))
        for recipient in Recipient:
            if recipient not in done:
                gaps.append(gettext("the report to %(who)s is missing") % {"who": recipient.label})
    if incident.personal_information:
        done = set(incident.notices.values_list("audience", flat=True))
        for audience in NoticeAudience:
            if audience not in done:
                gaps.append(gettext("the notice to %(who)s is missing") % {"who": audience.label})
    return gaps


@service
def close_incident(actor: Any, incident: Incident) -> Incident:
    """Close a concluded incident once both upward reports (where required), the notices of a
    personal-information incident and at least one remedial action are recorded. From then on
    the record never changes; corrections are addenda (R-INC-5). *Requires* ``close``.
    *Audits* INCIDENT_CLOSED."""
    incident, move = _work(actor, incident, "close")
    gaps = closing_gaps(incident)
    if gaps:
        raise ValidationFailed(
            _("The incident cannot be closed yet: %(gaps)s.") % {"gaps": "；".join(gaps)},
            fields={"gaps": gaps},
        )
    incident.status, incident.closed_at, incident.closed_by = move.next_state, timezone.now(), actor
    incident.save(update_fields=["status", "closed_at", "closed_by"])
    record(actor, move.event, incident, details={"overdue_at": incident.overdue_at})
    return incident


@service
def add_addendum(actor: Any, incident: Incident, *, text: str) -> IncidentEntry:
    """Append an addendum — the only change a closed incident accepts (R-INC-5). *Requires*
    ``addendum``. *Audits* INCIDENT_ADDENDUM_RECORDED."""
    return _entry(actor, incident, "addendum", EntryKind.ADDENDUM, text)


# --- the clock (R-INC-1): reminders and the missed deadline, run by the scheduler -------------


@service
def raise_clock(actor: Any, incident: Incident, *, now: datetime) -> dict[str, Any]:
    """Raise the reminders due at ``now`` (``INCIDENT_REMINDER_HOURS`` after discovery) and
    record a missed deadline, for one incident whose upward reports are still missing. Run by
    the scheduler as the system (no personal policy check). *Audits* INCIDENT_REMINDED,
    INCIDENT_OVERDUE."""
    incident = _locked(incident)
    out: dict[str, Any] = {"reminded": [], "overdue": False}
    if incident.is_closed or incident.deadline_at is None:
        return out
    state = clock_mod.clock(incident.deadline_at, incident.upward_reports.all(), now)
    if not state.missing:
        return out
    points = clock_mod.due_reminders(incident.discovered_at, incident.reminded_hours, now)
    if points:
        incident.reminded_hours = max(points)
        incident.save(update_fields=["reminded_hours"])
        record(actor, IncidentEvent.INCIDENT_REMINDED, incident,
               details={"hours": points, "deadline": incident.deadline_at, "missing": list(state.missing)})  # fmt: skip
        out["reminded"] = points
    if state.state == "overdue" and incident.overdue_at is None:
        _mark_overdue(actor, incident)
        out["overdue"] = True
    return out


@own_transaction
def tick(now: datetime | None = None) -> dict[str, int]:
    """The scheduler's sweep over open incidents with missing upward reports: one
    ``raise_clock`` (its own transaction, audited) per incident. Idempotent: a reminder point
    or a missed deadline is recorded once."""
    now = now or timezone.now()
    reminded = overdue = 0
    qs = Incident.objects.exclude(status=IncidentStatus.CLOSED).filter(deadline_at__isnull=False)
    for incident in qs.order_by("deadline_at", "id"):
        result = raise_clock(None, incident, now=now)
        reminded += len(result["reminded"])
        overdue += int(result["overdue"])
    return {"reminders": reminded, "overdue": overdue}


@internal
def may_mark_lost(actor: Any, link: IncidentCarrier) -> bool:
    """Whether ``actor`` may mark the linked carrier missing now: a pure check for the page."""
    from baomi.carriers.choices import CarrierStatus

    return bool(
        link.lost
        and link.carrier.status != CarrierStatus.MISSING
        and can(actor, "mark_missing", link.carrier)
    )
