"""Checks and steps shared by the classification services: durations, authority, marks, notices, re-levelling carriers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import clearance_dominates
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import marking
from baomi.classification.choices import ItemStatus
from baomi.classification.models import ClassificationRequest, Item, MarkRecord, Notice
from baomi.classification.signals import determination_training_asked, level_changed
from baomi.core import durations as dur
from baomi.core import levels
from baomi.core.durations import Duration
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from baomi.kit.service import internal

DURATION_FIELDS = ("duration_kind", "duration_value", "duration_unit", "until_date", "condition", "long_term")


EMPTY_DURATION: dict[str, Any] = {
    "duration_kind": "",
    "duration_value": None,
    "duration_unit": "",
    "until_date": None,
    "condition": "",
    "long_term": False,
}


def _invalid(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _check_handler_cleared(actor: User, level: str) -> None:
    """CLS-4, CAR-3: a case handler proposes only levels within their own clearance; otherwise
    they could not see the item they proposed (no read up) and the proposal would be unattended."""
    if not clearance_dominates(actor, level):
        message = _(
            "The case handler's clearance is below the proposed level ({level}); the proposal must come from "
            "a case handler cleared for that level."
        )
        raise _invalid("level", str(message).format(level=levels.Level(level).label))


@internal
def check_determination_training(actor: User, *, deciding: bool, at_levels: Iterable[str] = ()) -> None:
    """R-DET-12: a case handler proposes, and a classification authority decides, only with
    current 定密 training; the refusal names the day the training ran out. The same check runs
    for the page, the API and the annual review, since all of them call the services.

    ``at_levels`` are the levels at stake: 定密 training is the training for determining 国家秘密
    (实施条例 Art 14); a 工作秘密 or public item is determined under its own rules (R-WS-3), so
    no state-secret level at stake means no check. Empty means "assume a state secret"."""
    if not settings.CLASSIFICATION_TRAINING_REQUIRED:
        return
    at_stake = [lv for lv in at_levels if lv]
    if at_stake and not any(levels.is_state_secret(lv) for lv in at_stake):
        return
    today = timezone.localdate()
    replies: list[Any] = determination_training_asked.send(sender=User, user=actor, on=today)
    answers: list[date | None] = [a for _r, a in replies]
    if not answers:
        return  # no app keeps training records
    until = max((a for a in answers if a is not None), default=None)
    if until is not None and until >= today:
        return
    if until is None:
        message = (
            _(
                "{name} has no 定密 training on record; a classification authority decides only after it (R-DET-12)."
            )
            if deciding
            else _("{name} has no 定密 training on record; a case handler proposes only after it (R-DET-12).")
        )
    else:
        message = (
            _("{name}'s 定密 training ran out on {day}; a classification authority decides only after taking "
              "it again (R-DET-12).")
            if deciding
            else _("{name}'s 定密 training ran out on {day}; a case handler proposes only after taking it again "
                   "(R-DET-12).")
        )  # fmt: skip
    text = str(message).format(
        name=actor.full_name or actor.username, day=dur.format_date(until) if until else ""
    )
    raise ValidationFailed(text, fields={"training": [text]})


@internal
def unit_authority_covers(level: str) -> bool:
    """ORG-4, R-DET-4: the unit's 定密权限 covers an original determination at ``level``.

    Only state-secret levels are limited; an empty setting means the unit has no authority.
    """
    if not levels.is_state_secret(level):
        return True
    authority = getattr(settings, "UNIT_AUTHORITY", "") or ""
    if authority not in Level.values:
        return False
    return levels.rank(level) <= levels.rank(authority)


@internal
def build_duration(level: str, fields: dict[str, Any]) -> Duration | None:
    """The duration of the proposal as the tagged union (CLS-3), or ``None`` when none is given."""
    if level in levels.NON_SECRET_LEVELS:
        return None
    if not fields.get("duration_kind"):
        if levels.is_state_secret(level):
            raise _invalid(
                "duration_kind",
                _("A state secret needs a period, a declassification date or a declassification condition."),
            )
        return None
    clean = {k: fields.get(k) for k in DURATION_FIELDS}
    kind = clean["duration_kind"]
    # The form sends every field; keep only the ones of the chosen form (R-DUR-2).
    if kind != "period":
        clean["duration_value"], clean["duration_unit"], clean["long_term"] = None, "", False
    if kind != "until":
        clean["until_date"] = None
    if kind != "condition":
        clean["condition"] = ""
    if clean.get("long_term"):
        clean["duration_value"], clean["duration_unit"] = None, ""
    return Duration.from_fields(clean)


@internal
def duration_columns(duration: Duration | None) -> dict[str, Any]:
    """The model columns of a duration, empty ones for none (a pure helper)."""
    return dict(EMPTY_DURATION) if duration is None else duration.to_fields()


@internal
def validate(level: str, duration: Duration | None, basis: str, start: date | None) -> None:
    """R-DUR-1/2/6 through ``core.durations``; a state secret's condition needs justification."""
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."))
    today = timezone.localdate()
    dur.validate_duration(level, duration, basis, start=start, today=today)
    if (
        duration is not None
        and duration.kind == dur.UNTIL
        and duration.until is not None
        and duration.until <= today
    ):
        # CLS-3, R-DECL-2: a declassification date already reached would be declassified at once.
        raise _invalid(
            "until_date",
            _("The declassification date {day} has already been reached; enter a later date.").format(
                day=dur.format_date(duration.until)
            ),
        )


@internal
def check_period_start(duration: Duration | None, start: date | None) -> None:
    """R-DUR-3, issue 12 §5: the issue date a period runs from is neither further ahead than
    ``CLASSIFICATION_PERIOD_START_MAX_FUTURE_DAYS`` (a typo such as 2030) nor so far back that
    the item would be born expired (a typo such as 1990): both are refused with the dates."""
    if start is None:
        return
    today = timezone.localdate()
    ahead = settings.CLASSIFICATION_PERIOD_START_MAX_FUTURE_DAYS
    if (start - today).days > ahead:
        message = _("The period start {day} is more than {days} days ahead; enter the issue date marked on the "
                    "carrier.").format(day=dur.format_date(start), days=ahead)  # fmt: skip
        raise _invalid("period_start", message)
    end = duration.expires_on(start) if duration is not None and duration.kind == dur.PERIOD else None
    if end is not None and end <= today and settings.CLASSIFICATION_REFUSE_BORN_EXPIRED:
        message = _("Counted from {day}, the period ended on {end}: the item would be declassified the moment it "
                    "is classified. Check the issue date.").format(
            day=dur.format_date(start), end=dur.format_date(end - timedelta(days=1))
        )  # fmt: skip
        raise _invalid("period_start", message)


def _expires_on(item: Item) -> date | None:
    d = marking.item_duration(item)
    return d.expires_on(item.period_start) if d is not None else None


def _seal(item: Item, *, request: ClassificationRequest | None = None, new_mark: bool = True) -> None:
    """Record the current mark (cancelling the previous one, R-MARK-7) and bind it by MAC."""
    now = timezone.now()
    text = marking.item_mark(item)
    current = item.marks.filter(cancelled_at__isnull=True).order_by("-valid_from", "-id").first()
    if new_mark and (current is None or current.text != text):
        if current is not None:
            current.cancelled_at = now
            current.save(update_fields=["cancelled_at"])
        if item.status != ItemStatus.DECLASSIFIED and text:
            MarkRecord(item=item, text=text, valid_from=now, request=request,
                       mac=marking.compute_mac(item)).save()  # fmt: skip
    item.mark_mac = marking.compute_mac(item)
    item.save(update_fields=["mark_mac"])


@internal
def scope_people(item: Item, on: date | None = None) -> list[User]:
    """Everyone in the item's scope today: named people and members of named departments."""
    day = on or timezone.localdate()
    entries = item.scope.filter(
        (Q(starts_on__isnull=True) | Q(starts_on__lte=day)) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    )
    user_ids = {e.user_id for e in entries if e.user_id}
    dept_ids = {e.department_id for e in entries if e.department_id}
    people = User.objects.filter(Q(pk__in=user_ids) | Q(department_id__in=dept_ids), is_active=True)
    return list(people.order_by("pk"))


def _notify(item: Item, kind: str, *, old_mark: str = "", new_mark: str = "", note: str = "",
            recipients: Iterable[User] | None = None) -> int:  # fmt: skip
    """Send a written notice to each recipient (default: the item's scope and its handler),
    R-SCOPE-4; acknowledging it is the proof of delivery."""
    people = {u.pk: u for u in (recipients if recipients is not None else scope_people(item))}
    if recipients is None and item.proposed_by_id:
        people.setdefault(item.proposed_by_id, item.proposed_by)
    for user in people.values():
        Notice(
            item=item, recipient=user, kind=kind, old_mark=old_mark, new_mark=new_mark, note=note[:300]
        ).save()
    if people:
        record(None, AuditEvent.NOTICE_SENT, item,
               details={"kind": kind, "recipients": sorted(people)})  # fmt: skip
    return len(people)


def _changed_scope_recipients(item: Item, before: list[User]) -> list[User]:
    """R-SCOPE-4: a change is notified to everyone in the scope before and after it (a person
    taken out of the scope is told so in writing too) and to the case handler."""
    people = {u.pk: u for u in [*before, *scope_people(item)]}
    if item.proposed_by_id:
        people.setdefault(item.proposed_by_id, item.proposed_by)
    return list(people.values())


def _set_level(item: Item, level: str) -> None:
    item.level = level
    level_changed.send(sender=Item, item=item)  # CLS-2: every carrier shows the item's mark
