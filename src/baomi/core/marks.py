"""Marks (国家秘密标志 and the work-secret mark): generate, parse, cancel, bind (CLS-7).

Usage::

    from baomi.core import marks
    from baomi.core.durations import Duration

    marks.make_mark(Level.SECRET, Duration.years(10))            # "机密★10年"
    marks.make_mark(Level.CONFIDENTIAL, Duration.months(6))      # "秘密★6个月"
    marks.make_mark(Level.SECRET, Duration.until_date(date(2030, 6, 30)))  # "机密★2030年6月30日"
    marks.make_mark(Level.SECRET, Duration.on_condition("项目验收后"))       # "机密★项目验收后"
    marks.make_mark(Level.TOP_SECRET, Duration.long_term_())     # "绝密★长期"
    marks.make_mark(Level.WORK_SECRET)                           # "内部" (BAOMI_WORK_SECRET_MARK)
    marks.make_mark(Level.INTERNAL)                              # "" — non-secrets carry no mark

    p = marks.parse_mark("机密★2030-06-30")   # ParsedMark(level="secret", duration=..., legacy=False)
    p.canonical                              # "机密★2030年6月30日"
    marks.parse_mark("机密★").legacy          # True: R-DUR-7, duration = the level's cap

    marks.cancelled_mark_html("机密★10年")     # <s class="mark-cancelled">机密★10年</s>  (R-MARK-7)
    marks.declassified_mark_html("机密★10年")  # the old mark struck through, then 「解密」 (R-MARK-8)
    marks.changed_mark_html(old, new)          # old struck through, the new one beside it

    mac = marks.mark_mac("classification.item", item.pk, item_mark, scope=digest)  # R-CRYPTO-5
    marks.verify_mark_mac(mac, "classification.item", item.pk, item_mark, scope=digest)

Forms (R-MARK-3, R-WS-2, LAW.md §E):

- a state secret: ``<level word>★<period | date | condition | 长期>`` with ★ = U+2605. Periods
  use Arabic numerals, ``N年`` or ``N个月`` (R-DUR-5, R-MARK-5). The *date format* is the one
  of 公文 dates, ``2030年6月30日`` without zero padding (LAW.md notes the official format was not
  verified); the parser also reads ``2030年06月30日`` and ISO ``2030-06-30``.
- a work secret: 「内部」 or 「内部事项 注意保管」 (``BAOMI_WORK_SECRET_MARK`` = ``short`` or
  ``long``), never ★ and never a state-secret level word (R-WS-2).
- a non-secret (内部 non-secret, 公开): no mark at all; in particular never ★ (R-CLS-3).
- legacy: ``机密★`` with nothing after the star is read as the level's maximum period and flagged
  ``legacy`` (R-DUR-7); it is never generated.

The parser normalises full-width digits and spaces (NFKC) and surrounding white space; anything
else that is not one of these forms raises :class:`MarkSyntaxError` (a ``ValidationFailed``).
``parse_mark(make_mark(level, d))`` gives back ``level`` and ``d`` for every valid pair.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from baomi.core import durations as dur
from baomi.core.durations import Duration
from baomi.core.errors import ValidationFailed
from baomi.core.keys import legacy_digests, mac, mac_equal, mac_with
from baomi.core.levels import MARK_WORD, Level, is_state_secret

STAR = "★"  # U+2605 BLACK STAR (R-MARK-3)
DECLASSIFIED_WORD = "解密"  # R-MARK-8
WORK_SECRET_MARKS = {"short": "内部", "long": "内部事项 注意保管"}  # R-WS-3
LEVEL_OF_WORD = {word: level for level, word in MARK_WORD.items()}
MAC_VERSION = 1
_STRIKE = "\u0336"  # COMBINING LONG STROKE OVERLAY: struck-through text where HTML is not possible
_PERIOD_RE = re.compile(r"^(?P<n>\d{1,4})\s*(?P<unit>年|个月|個月)$")


class MarkSyntaxError(ValidationFailed):
    """The text is not a mark this system recognises (CLS-7)."""

    code = "invalid_mark"
    default_message = _("This is not a valid classification mark.")


def _bad(message: Any) -> MarkSyntaxError:
    return MarkSyntaxError(message, fields={"mark": [message]})


# --------------------------------------------------------------------------------------------
# Generating


def work_secret_mark(style: str | None = None) -> str:
    """The work-secret mark: 「内部」 (``short``) or 「内部事项 注意保管」 (``long``), R-WS-3."""
    style = style or settings.WORK_SECRET_MARK
    try:
        return WORK_SECRET_MARKS[style]
    except KeyError:
        raise ImproperlyConfigured(
            f"BAOMI_WORK_SECRET_MARK must be one of {sorted(WORK_SECRET_MARKS)}, not {style!r}"
        ) from None


def make_mark(level: str, duration: Duration | None = None, *, work_secret_style: str | None = None) -> str:
    """The mark for ``level`` and ``duration`` exactly as it must appear (CLS-7).

    A state secret needs a duration (R-DUR-2; raises :class:`ValidationFailed` without one); a
    work secret's mark never shows ★ or a duration (R-WS-2); a non-secret has no mark (``""``).
    The legal cap is not checked here: that is :func:`baomi.core.durations.validate_duration`.
    """
    level = Level(level)
    if is_state_secret(level):
        if duration is None:
            raise ValidationFailed(
                _("A state secret needs a period, a declassification date or a declassification condition."),
                fields={"duration_kind": [_("Required.")]},
            )
        return f"{MARK_WORD[level]}{STAR}{duration.text()}"
    if level == Level.WORK_SECRET:
        return work_secret_mark(work_secret_style)
    return ""


# --------------------------------------------------------------------------------------------
# Parsing


@dataclass(frozen=True)
class ParsedMark:
    """A mark read back: the level, the duration (``None`` for a work secret) and whether it
    is a legacy mark without a period (R-DUR-7: the duration is then the level's maximum)."""

    level: str
    duration: Duration | None
    legacy: bool = False
    work_secret_style: str | None = None

    @property
    def canonical(self) -> str:
        """The mark as this system writes it (a legacy mark keeps its bare form ``机密★``)."""
        if self.legacy:
            return f"{MARK_WORD[self.level]}{STAR}"
        return make_mark(self.level, self.duration, work_secret_style=self.work_secret_style)


def _normalise(text: str) -> str:
    # Only the ends: a condition keeps its inner text exactly, so marks round-trip.
    return (text or "").strip()


def parse_mark(text: str) -> ParsedMark:
    """Read a mark in any of the forms of this module's docstring; raise
    :class:`MarkSyntaxError` for anything else (including an empty text: an unmarked document is
    the caller's decision, not a mark)."""
    raw = _normalise(text)
    if not raw:
        raise _bad(_("The mark is empty."))
    for style, mark in WORK_SECRET_MARKS.items():
        if re.sub(r"\s", "", raw) == mark.replace(" ", ""):
            return ParsedMark(Level.WORK_SECRET, None, work_secret_style=style)
    if STAR not in raw:
        if raw in LEVEL_OF_WORD:
            raise _bad(_("A state-secret mark is the level, ★ and the period, date or condition."))
        raise _bad(_("This is not a valid classification mark."))
    word, _star, rest = raw.partition(STAR)
    word, rest = word.strip(), rest.strip()
    if word not in LEVEL_OF_WORD:
        # R-WS-2: 内部★…, 工作秘密★… and the like are not marks.
        raise _bad(_("Only 绝密, 机密 and 秘密 may stand before ★."))
    level = LEVEL_OF_WORD[word]
    if STAR in rest:
        raise _bad(_("A mark has one ★."))
    if not rest:
        return ParsedMark(level, dur.max_duration(level), legacy=True)
    try:
        return ParsedMark(level, _parse_duration(rest))
    except MarkSyntaxError:
        raise
    except ValidationFailed as exc:  # e.g. 18个月 (R-DUR-5), 0年, 2月30日
        raise _bad(exc.message) from None


def _parse_duration(text: str) -> Duration:
    folded = unicodedata.normalize("NFKC", text)  # full-width digits and spaces
    if folded == dur.LONG_TERM_WORD:
        return Duration.long_term_()
    m = _PERIOD_RE.match(folded)
    if m:
        n = int(m["n"])
        return Duration.years(n) if m["unit"] == "年" else Duration.months(n)
    until = dur.parse_date(text)
    if until is not None:
        return Duration.until_date(until)
    return Duration.on_condition(text)


# --------------------------------------------------------------------------------------------
# History: the cancelled old mark and 「解密」 (R-MARK-7, R-MARK-8)


def strike(text: str) -> str:
    """``text`` struck through with combining strokes, for plain-text exports."""
    return "".join(ch + _STRIKE for ch in text)


def cancelled_mark_html(old: str) -> SafeString:
    """The old mark visibly cancelled (R-MARK-7); escaped."""
    return format_html('<s class="mark-cancelled" title="{}">{}</s>', _("Cancelled mark"), old)


def changed_mark_html(old: str, new: str) -> SafeString:
    """A changed mark: the new mark beside the cancelled old one (R-MARK-7)."""
    return format_html(
        '<span class="mark-history">{} <span class="mark-current">{}</span></span>',
        cancelled_mark_html(old),
        new,
    )


def declassified_mark_html(old: str) -> SafeString:
    """A declassified item: the old mark cancelled and 「解密」 beside it (R-MARK-8)."""
    return format_html(
        '<span class="mark-history">{} <strong class="mark-declassified">{}</strong></span>',
        cancelled_mark_html(old),
        DECLASSIFIED_WORD,
    )


def declassified_mark_text(old: str) -> str:
    """The plain-text form of :func:`declassified_mark_html` (exports, file names)."""
    return f"{strike(old)} {DECLASSIFIED_WORD}"


# --------------------------------------------------------------------------------------------
# Integrity: the mark bound to its object (R-CRYPTO-5)


def scope_digest(user_ids: Iterable[Any] = (), department_ids: Iterable[Any] = ()) -> str:
    """A digest of a need-to-know scope (people and departments), order-independent."""
    canon = json.dumps(
        {"u": sorted(str(u) for u in user_ids), "d": sorted(str(d) for d in department_ids)},
        separators=(",", ":"),
    )
    return hashlib.sha256(canon.encode()).hexdigest()


def _mac_input(target_type: str, target_id: Any, mark: str, scope: str, version: int) -> bytes:
    body = json.dumps(
        {"v": version, "type": target_type, "id": str(target_id), "mark": mark, "scope": scope},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    # Domain separation: a mark MAC can never be mistaken for an audit-chain MAC.
    return b"baomi.mark\x00" + body.encode()


def mark_mac(
    target_type: str, target_id: Any, mark: str, *, scope: str = "", version: int = MAC_VERSION
) -> str:
    """HMAC (SM3, or SHA-256 with ``BAOMI_CIPHER=aes``) under the audit key binding ``mark`` to
    the object ``(target_type, target_id)`` and optionally a scope digest: 64 hex characters
    (R-CRYPTO-5). Store it with the object; :func:`verify_mark_mac` detects label tampering."""
    return mac(_mac_input(target_type, target_id, mark, scope, version))


def verify_mark_mac(
    expected: str, target_type: str, target_id: Any, mark: str, *, scope: str = "", version: int = MAC_VERSION
) -> bool:
    """Whether ``expected`` is the MAC of this mark on this object (constant-time compare), under
    the configured HMAC or the other one: a MAC bound before BAOMI_CIPHER changed still holds
    (both are keyed by the same audit key; the access policy fails closed on a mismatch)."""
    if not expected:
        return False
    data = _mac_input(target_type, target_id, mark, scope, version)
    return any(mac_equal(expected, mac_with(digest, data)) for digest in legacy_digests())
