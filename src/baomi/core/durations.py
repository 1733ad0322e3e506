"""Classification durations (保密期限): the tagged union, the legal caps, the end date.

Usage::

    from baomi.core import durations as dur

    d = dur.Duration.years(10)                      # 10年   (also .months(6), .until_date(date),
    d = dur.Duration.on_condition("项目验收后")       #        .on_condition(text), .long_term_())
    dur.validate_duration(Level.SECRET, d, basis="", start=date(2026, 1, 15))   # or ValidationFailed
    d.text()                  # "10年" — the part of the mark after ★ (see core.marks)
    d.end_date(start)         # last protected day (None for a condition or 长期)
    d.expires_on(start)       # first day no longer protected: what the expiry job compares
    d.to_fields()             # {"duration_kind", "duration_value", "duration_unit", "until_date",
    Duration.from_fields(item)#  "condition", "long_term"} — the model columns, both ways
    dur.cap_years(Level.SECRET)   # 20 (BAOMI_CAP_SECRET_YEARS)

The rules:

- Exactly one form (R-DUR-2, CLS-3): a *period* (N年 or N个月, or 长期 — long-term, a period
  without end), a *declassification date* (解密时间), or a *condition* (解密条件). The shape is
  checked when a :class:`Duration` is built, so an ill-formed one never exists.
- Periods of a year or more are in years, under a year in months (R-DUR-5): ``Duration.months(18)``
  is refused; :meth:`Duration.period_of_months` turns 24 months into ``years(2)``.
- Caps (R-DUR-1): 绝密 30 years, 机密 20, 秘密 10 — the defaults of the ``BAOMI_CAP_*_YEARS``
  settings ("除另有规定外", so configurable). A period or date beyond the cap, or 长期, needs a
  recorded basis (R-DUR-6); :func:`validate_duration` refuses it otherwise.
- A state secret must carry a duration (R-DUR-7: new records never go without); a work secret
  may carry one, with no cap (R-WS-4); a non-secret carries none.
- The period runs from the issue date marked on the carrier or the date of the written notice
  (R-DUR-3); the caller passes that date as ``start``.

End dates follow the way Chinese law counts periods (民法典 Art. 201): the start day is not
counted, and a period in years or months ends on the corresponding day of the final month, or
the last day of that month when it has no such day. So ``years(10)`` from 2026-01-15 protects up
to and including 2036-01-15 and the item is declassified on 2036-01-16; ``months(1)`` from
2026-01-31 ends on 2026-02-28. A declassification date is the day the item becomes public: it is
protected up to the day before.

These are pure functions over dataclasses; nothing here touches the database.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level, is_state_secret

# The tagged union's tags and the period units; the same strings as the model columns
# (``classification.choices.DurationKind`` / ``DurationUnit``).
PERIOD = "period"
UNTIL = "until"
CONDITION = "condition"
KINDS = (PERIOD, UNTIL, CONDITION)
YEAR = "year"
MONTH = "month"
UNITS = (YEAR, MONTH)

LONG_TERM_WORD = "长期"
# A sanity bound, not a legal rule: longer than this is 长期 (and keeps date arithmetic finite).
MAX_YEARS = 100
CONDITION_MAX_LENGTH = 300
# Characters a condition may not contain: they would make the mark ambiguous or multi-line.
_CONDITION_FORBIDDEN = re.compile(r"[★☆\r\n\t\x00-\x1f]")

_PERIOD_RE = re.compile(r"^(?P<n>\d{1,4})\s*(?P<unit>年|个月|個月)$")
_CN_DATE_RE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
_ISO_DATE_RE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")


# --------------------------------------------------------------------------------------------
# Date arithmetic


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months``, clamped to the month's last day (民法典 Art. 201)."""
    total = start.year * 12 + (start.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def add_years(start: date, years: int) -> date:
    """``start`` moved by ``years``; 29 February becomes 28 February in a common year."""
    return add_months(start, years * 12)


def format_date(d: date) -> str:
    """The date as written in a mark and in 公文: ``2030年6月30日`` (no zero padding)."""
    return f"{d.year}年{d.month}月{d.day}日"


def parse_date(text: str) -> date | None:
    """``2030年6月30日``, ``2030年06月30日`` or ISO ``2030-06-30`` → date; ``None`` when the text
    is not in one of those forms. A well-formed but impossible date (2月30日) raises
    :class:`ValidationFailed`."""
    text = unicodedata.normalize("NFKC", text).strip()
    m = _CN_DATE_RE.match(text) or _ISO_DATE_RE.match(text)
    if not m:
        return None
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise ValidationFailed(
            _("{text} is not a valid date.").format(text=text), fields={"until_date": [_("Invalid date.")]}
        ) from None


# --------------------------------------------------------------------------------------------
# The tagged union


def _invalid(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


@dataclass(frozen=True)
class Duration:
    """One classification duration: exactly one of a period, a date, a condition (R-DUR-2).

    ``kind`` is ``"period"``, ``"until"`` or ``"condition"``. A period has ``value`` and
    ``unit`` (``"year"``/``"month"``), or ``long_term=True`` and neither. Build one with the
    class methods; the constructor refuses any other combination with :class:`ValidationFailed`.
    """

    kind: str
    value: int | None = None
    unit: str | None = None
    until: date | None = None
    condition: str = ""
    long_term: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise _invalid("duration_kind", _("Choose a period, a declassification date or a condition."))
        if self.kind == PERIOD:
            self._check_period()
        elif self.kind == UNTIL:
            if not isinstance(self.until, date) or self.value is not None or self.unit or self.condition:
                raise _invalid("until_date", _("A declassification date needs a date and nothing else."))
            if self.long_term:
                raise _invalid("until_date", _("A declassification date cannot be long-term."))
        else:
            text = (self.condition or "").strip()
            if self.value is not None or self.unit or self.until is not None or self.long_term:
                raise _invalid("condition", _("A declassification condition needs a text and nothing else."))
            if not text:
                raise _invalid("condition", _("Enter the declassification condition."))
            if len(text) > CONDITION_MAX_LENGTH:
                raise _invalid(
                    "condition",
                    _("The condition is too long (at most {n} characters).").format(n=CONDITION_MAX_LENGTH),
                )
            if _CONDITION_FORBIDDEN.search(text):
                raise _invalid("condition", _("The condition may not contain ★ or line breaks."))
            if text == LONG_TERM_WORD or _PERIOD_RE.match(text) or parse_date(text) is not None:
                # Otherwise 机密★10年 could be read back as a period (CLS-7 round trip).
                raise _invalid(
                    "condition",
                    _("This looks like a period or a date; choose that form instead of a condition."),
                )
            object.__setattr__(self, "condition", text)

    def _check_period(self) -> None:
        if self.until is not None or self.condition:
            raise _invalid(
                "duration_value", _("A period needs a number of years or months and nothing else.")
            )
        if self.long_term:
            if self.value is not None or self.unit:
                raise _invalid("duration_value", _("A long-term period has no number of years."))
            return
        if not isinstance(self.value, int) or isinstance(self.value, bool) or self.value < 1:
            raise _invalid("duration_value", _("Enter a period of at least one month."))
        if self.unit not in UNITS:
            raise _invalid("duration_unit", _("Choose years or months."))
        if self.unit == MONTH and self.value >= 12:
            # R-DUR-5: a year or more is expressed in years.
            raise _invalid("duration_unit", _("Periods of a year or more are expressed in years."))
        if self.unit == YEAR and self.value > MAX_YEARS:
            raise _invalid(
                "duration_value",
                _("A period longer than {n} years is recorded as long-term.").format(n=MAX_YEARS),
            )

    # -- constructors ----------------------------------------------------------------------

    @classmethod
    def years(cls, n: int) -> Duration:
        return cls(PERIOD, value=n, unit=YEAR)

    @classmethod
    def months(cls, n: int) -> Duration:
        return cls(PERIOD, value=n, unit=MONTH)

    @classmethod
    def until_date(cls, d: date) -> Duration:
        return cls(UNTIL, until=d)

    @classmethod
    def on_condition(cls, text: str) -> Duration:
        return cls(CONDITION, condition=text)

    @classmethod
    def long_term_(cls) -> Duration:
        """长期: a period without end; only with a recorded basis (R-DUR-6)."""
        return cls(PERIOD, long_term=True)

    @classmethod
    def period_of_months(cls, months: int) -> Duration:
        """A period given in months, expressed as R-DUR-5 wants it: years when it is a whole
        number of years, months under a year; 18 months cannot be expressed and is refused."""
        if months >= 12 and months % 12 == 0:
            return cls.years(months // 12)
        return cls.months(months)

    @classmethod
    def from_fields(cls, source: Any) -> Duration:
        """Build from model columns (``duration_kind``, ``duration_value``, ``duration_unit``,
        ``until_date``, ``condition``, ``long_term``) given as an object or a mapping."""

        def get(name: str, default: Any = None) -> Any:
            if isinstance(source, Mapping):
                return source.get(name, default)
            return getattr(source, name, default)

        return cls(
            get("duration_kind") or "",
            value=get("duration_value"),
            unit=get("duration_unit") or None,
            until=get("until_date"),
            condition=get("condition") or "",
            long_term=bool(get("long_term", False)),
        )

    def to_fields(self) -> dict[str, Any]:
        """The model columns for this duration (blank strings, not ``None``, for text columns)."""
        return {
            "duration_kind": self.kind,
            "duration_value": self.value,
            "duration_unit": self.unit or "",
            "until_date": self.until,
            "condition": self.condition,
            "long_term": self.long_term,
        }

    # -- reading ---------------------------------------------------------------------------

    @property
    def total_months(self) -> int | None:
        """The length of a finite period in months; ``None`` for 长期, dates and conditions."""
        if self.kind != PERIOD or self.long_term or self.value is None:
            return None
        return self.value * 12 if self.unit == YEAR else self.value

    def text(self) -> str:
        """What follows ★ in the mark: ``10年``, ``6个月``, ``2030年6月30日``, the condition or
        ``长期`` (CLS-7, R-MARK-3)."""
        if self.kind == UNTIL:
            assert self.until is not None
            return format_date(self.until)
        if self.kind == CONDITION:
            return self.condition
        if self.long_term:
            return LONG_TERM_WORD
        return f"{self.value}年" if self.unit == YEAR else f"{self.value}个月"

    def end_date(self, start: date | None) -> date | None:
        """The last day the item is protected; ``None`` for a condition or 长期.

        A period needs ``start`` (the marked issue date or the written-notice date, R-DUR-3):
        without it there is no end date yet and ``None`` is returned."""
        if self.kind == UNTIL:
            assert self.until is not None
            return self.until - timedelta(days=1)
        if self.kind == CONDITION or self.long_term or start is None:
            return None
        months = self.total_months
        assert months is not None
        return add_months(start, months)

    def expires_on(self, start: date | None) -> date | None:
        """The first day the item is no longer protected (declassified automatically, CLS-9);
        ``None`` when the duration has no fixed end (condition, 长期, or a period not yet
        started)."""
        if self.kind == UNTIL:
            return self.until
        end = self.end_date(start)
        return None if end is None else end + timedelta(days=1)

    def exceeds_cap(self, level: str, start: date | None = None) -> bool:
        """Whether this duration needs a recorded basis at ``level`` (R-DUR-6): 长期, a period
        above the cap, or a date after ``start`` + cap (``start`` defaults to today)."""
        cap = cap_years(level)
        if cap is None:
            return False
        if self.kind == CONDITION:
            return False
        if self.long_term:
            return True
        if self.kind == PERIOD:
            months = self.total_months
            assert months is not None
            return months > cap * 12
        assert self.until is not None
        base = start or timezone.localdate()
        return self.until > add_years(base, cap) + timedelta(days=1)

    def __str__(self) -> str:
        return self.text()


# --------------------------------------------------------------------------------------------
# Caps and validation


def cap_years(level: str) -> int | None:
    """The legal maximum period of a state-secret level in years (R-DUR-1; settings
    ``BAOMI_CAP_TOP_SECRET_YEARS`` 30, ``BAOMI_CAP_SECRET_YEARS`` 20,
    ``BAOMI_CAP_CONFIDENTIAL_YEARS`` 10); ``None`` for other levels, which have no cap."""
    caps = {
        Level.TOP_SECRET: settings.CAP_TOP_SECRET_YEARS,
        Level.SECRET: settings.CAP_SECRET_YEARS,
        Level.CONFIDENTIAL: settings.CAP_CONFIDENTIAL_YEARS,
    }
    return caps.get(Level(level))


def max_duration(level: str) -> Duration:
    """The cap of a state-secret level as a duration: the period assumed for a legacy mark with
    none (R-DUR-7). Never use it to pre-fill a form (R-DUR-4)."""
    cap = cap_years(level)
    if cap is None:
        raise ValueError(f"{level} has no legal maximum duration")
    return Duration.years(cap)


def validate_duration(
    level: str,
    duration: Duration | None,
    basis: str = "",
    *,
    start: date | None = None,
    today: date | None = None,
) -> None:
    """Refuse a duration that the law does not allow for ``level``; return ``None`` otherwise.

    - a state secret needs a duration (R-DUR-2, R-DUR-7); a non-secret has none (R-CLS-3);
      a work secret may have one, never capped (R-WS-4);
    - 长期 or beyond the level's cap only with a recorded ``basis`` (R-DUR-6);
    - a declassification date lies after the period start (or today when no start is known).

    Raises :class:`ValidationFailed` with field errors keyed by the model columns
    (``duration_kind``, ``duration_value``, ``until_date``, ``duration_basis``).
    """
    level = Level(level)
    if level in (Level.PUBLIC, Level.INTERNAL):
        if duration is not None:
            raise _invalid(
                "duration_kind", _("Information that is not secret has no classification duration.")
            )
        return
    if duration is None:
        if is_state_secret(level):
            raise _invalid(
                "duration_kind",
                _("A state secret needs a period, a declassification date or a declassification condition."),
            )
        return
    if duration.kind == UNTIL:
        assert duration.until is not None
        base = start or today or timezone.localdate()
        if duration.until <= base:
            raise _invalid("until_date", _("The declassification date must lie after the period start."))
    if not is_state_secret(level):
        return
    if duration.exceeds_cap(level, start or today) and not (basis or "").strip():
        cap = cap_years(level)
        message: Any
        if duration.long_term:
            message = _("A long-term duration needs a recorded basis (a 保密事项范围 provision).")
        else:
            message = _(
                "The legal maximum for this level is {cap} years; a longer duration needs a recorded "
                "basis (a 保密事项范围 provision)."
            ).format(cap=cap)
        raise ValidationFailed(message, fields={"duration_basis": [message]})


def longest(durations: Iterable[Duration], start: date) -> Duration | None:
    """The longest of several durations measured from ``start`` (derivation and compilation
    take the longest, CLS-5, R-MARK-6). 长期 beats everything; periods and dates compare by the
    day they expire. A condition cannot be compared with anything: if one is present with any
    other form (or two different conditions), ``None`` is returned and a person decides."""
    items = list(durations)
    if not items:
        return None
    if any(d.long_term for d in items):
        return Duration.long_term_()
    conditions = {d.condition for d in items if d.kind == CONDITION}
    if conditions:
        if len(conditions) == 1 and all(d.kind == CONDITION for d in items):
            return items[0]
        return None
    return max(items, key=lambda d: d.expires_on(start) or date.max)
