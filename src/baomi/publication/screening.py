"""Screening text for what must not go out (SUP-3): the matcher, pure and without the database.

Two tools, each for what it suits:

* **An Aho–Corasick automaton** (pyahocorasick) over every *listed* string — the titles, 密点 and
  document numbers of the registry's classified items and 工作秘密, and the security officer's
  keywords. It is built once (``Matcher.add`` … ``Matcher.freeze``) and then finds all of them
  in one pass over the text, however many there are: 200,000 items cost a few milliseconds per
  100,000 characters (docs/benchmarks.md "Screening"), where a loop of ``in`` tests costs one
  pass *per pattern*. Each pattern keeps compact integers (kind, object id, level) in arrays;
  a string shared by several objects keeps them all.
* **Regular expressions** for what has a *shape* rather than a list: marks of every form
  (``绝密★30年``, ``机密★2030年6月30日``, ``秘密★``, 「内部」, 「内部事项 注意保管」, ``密级：机密``),
  carrier registry numbers (``2026-纸-000123``, looked up in the registry afterwards by the
  caller, so a million numbers need no memory here), 份号 (``份号：000123``), resident identity
  card numbers with a valid GB 11643 check digit and birth date, and mobile numbers.

Matching is done on a *compact* form of the text — NFKC (full-width letters and digits folded),
lower case, white space removed — so a title broken over two lines or typed with full-width
digits still matches; hits carry offsets into the NFKC text, which is what reviewers are shown.
The database side (what the registry holds, when it changed, who may see a hit) is in
``baomi.publication.registry`` and ``selectors``.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import ahocorasick

from baomi.core.levels import MARK_WORD, Level

# Small integer codes so that a pattern's terms fit in arrays (a Python tuple per pattern would
# cost ~100 bytes each at 800,000 patterns).
KINDS = ("title", "secret_point", "document_number", "keyword")
LEVELS = ("", *Level.values)
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}
_LEVEL_CODE = {v: i for i, v in enumerate(LEVELS)}
LEVEL_OF_WORD = {word: str(Level(level).value) for level, word in MARK_WORD.items()}

_NONSPACE = re.compile(r"\S+")
_WS = re.compile(r"\s+")
_UNSTABLE = re.compile(r"[^\u0000-\u007e\u4e00-\u9fff\u3001\u3002\u300a-\u3011\u201c\u201d\u2018\u2019]+")


@dataclass(frozen=True)
class RawHit:
    """A match before the registry and the policy have looked at it: kind, offsets into the
    NFKC text, the object it points to (item, keyword) and its level, and the text that may be
    shown (marks, 份号, masked personal information, registry numbers for the lookup)."""

    kind: str
    start: int
    end: int
    ref: int | None = None
    level: str = ""
    shown: str = ""


@dataclass
class Prepared:
    """A text in the forms screening needs: NFKC (shown, and searched by the regular
    expressions) and compact (searched by the automaton), with the map compact → NFKC offsets:
    the compact start and the NFKC start of each run of non-space characters."""

    text: str
    compact: str
    compact_starts: list[int] = field(repr=False, default_factory=list)
    text_starts: list[int] = field(repr=False, default_factory=list)

    def offset(self, c: int) -> int:
        """The NFKC offset of compact character ``c``."""
        if not self.compact_starts:
            return c
        i = bisect.bisect_right(self.compact_starts, c) - 1
        return self.text_starts[i] + (c - self.compact_starts[i])


def normalise(text: str) -> str:
    """The compact form of a pattern: NFKC, lower case, no white space."""
    return _WS.sub("", nfkc(text)).lower()


class _Recompose(Exception):
    """A run starts with a combining mark, which NFKC may compose with the character before."""


@functools.lru_cache(maxsize=4096)
def _nfkc_run(run: str) -> str:
    return unicodedata.normalize("NFKC", run)


def _normalise_run(m: re.Match[str]) -> str:
    run = m.group()
    if m.start() and unicodedata.combining(run[0]):
        raise _Recompose
    return _nfkc_run(run)


def nfkc(text: str) -> str:
    """NFKC, fast on Chinese text. ASCII, the CJK unified ideographs and the common Chinese
    punctuation 、。《》「」『』【】“” are NFKC-stable, so only the runs of other characters
    (full-width forms, the ideographic space, …) are normalised: ~2 ms for 100,000 characters
    of office prose where one ``unicodedata.normalize`` takes ~40 ms. A run that starts with a
    combining mark (which could compose with the character before) falls back to the whole."""
    text = text or ""
    if unicodedata.is_normalized("NFKC", text):
        return text
    try:
        return _UNSTABLE.sub(_normalise_run, text)
    except _Recompose:
        return unicodedata.normalize("NFKC", text)


def prepare(text: str) -> Prepared:
    """NFKC the text and build its compact form; a text without white space (most Chinese
    prose) is its own compact form."""
    text = nfkc(text)
    if not _WS.search(text):
        low = text.lower()
        return Prepared(text, low if len(low) == len(text) else text)
    parts: list[str] = []
    compact_starts: list[int] = []
    text_starts: list[int] = []
    at = 0
    for m in _NONSPACE.finditer(text):
        piece = m.group()
        low = piece.lower()
        compact_starts.append(at)
        text_starts.append(m.start())
        parts.append(low if len(low) == len(piece) else piece)  # İ and the like: keep the offsets true
        at += len(piece)
    return Prepared(text, "".join(parts), compact_starts, text_starts)


def split_points(text: str) -> list[str]:
    """The 密点 of an item, one per line or sentence, without list numbering (``1.``, ``（一）``)."""
    out = []
    for piece in re.split(r"[\n；;。]", text or ""):
        piece = re.sub(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]+[)）.、．]|[-•·])\s*", "", piece).strip()
        if piece:
            out.append(piece)
    return out


class Matcher:
    """An Aho–Corasick automaton over normalised patterns, each standing for one or more terms
    ``(kind, object id, level)``. Add patterns, ``freeze()`` once, then ``find`` in any number
    of texts (read-only: safe to share between threads)."""

    def __init__(self, *, min_chars: int = 4) -> None:
        self.min_chars = min_chars
        self._auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._kinds = array("B")
        self._levels = array("B")
        self._refs = array("q")
        self._lens = array("I")
        self._more: dict[int, list[int]] = {}
        self.patterns = 0
        self.terms = 0
        self.frozen = False

    def add(
        self, pattern: str, kind: str, ref: int, level: str = "", *, min_chars: int | None = None
    ) -> bool:
        """Add one term; returns False when the pattern is too short to mean anything (a
        two-character title would match half the documents of the unit)."""
        if self.frozen:
            raise RuntimeError("the matcher is frozen")
        key = normalise(pattern)
        if len(key) < (self.min_chars if min_chars is None else min_chars):
            return False
        idx = len(self._kinds)
        self._kinds.append(_KIND_CODE[kind])
        self._levels.append(_LEVEL_CODE.get(level, 0))
        self._refs.append(ref)
        self._lens.append(len(key))
        self.terms += 1
        first = self._auto.get(key, -1)
        if first == -1:
            self._auto.add_word(key, idx)
            self.patterns += 1
        else:
            self._more.setdefault(first, []).append(idx)
        return True

    def freeze(self) -> Matcher:
        if self.patterns:
            self._auto.make_automaton()
        self.frozen = True
        return self

    def find(self, prepared: Prepared) -> Iterator[RawHit]:
        """Every occurrence of every pattern in ``prepared``, as offsets into its NFKC text."""
        if not self.patterns:
            return
        offset = prepared.offset
        for end, idx in self._auto.iter(prepared.compact):
            start = offset(end - self._lens[idx] + 1)
            stop = offset(end) + 1
            for i in (idx, *self._more.get(idx, ())):
                yield RawHit(KINDS[self._kinds[i]], start, stop, self._refs[i], LEVELS[self._levels[i]])

    def stats(self) -> dict[str, int]:
        info = self._auto.get_stats() if self.patterns else {"nodes_count": 0, "total_size": 0}
        return {"patterns": self.patterns, "terms": self.terms, "nodes": info["nodes_count"],
                "bytes": info["total_size"]}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Shapes: marks, numbers, personal information

# A state-secret mark: the level word, ★ (or a look-alike), and a period, a date or nothing
# (a legacy mark, or a condition that runs on in the text).
MARK_RE = re.compile(
    r"(绝密|机密|秘密)\s*[★☆*✩✭⋆]\s*"
    r"(长期|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}|\d{1,4}\s*(?:年|个月|個月))?"
)
# 工作秘密: 「内部」 or 「内部事项 注意保管」 (R-WS-3), and the old 内部资料 注意保管.
WORK_SECRET_RE = re.compile(r"「\s*内部\s*」|内部(?:事项|资料)\s*注意保管")
# A level written as a label: 密级：机密, 【绝密】.
LABEL_RE = re.compile(r"密级\s*[:：]?\s*(绝密|机密|秘密)|[【\[]\s*(绝密|机密|秘密)\s*[】\]]")
# Numbers start with a digit: a pattern that starts with a look-behind is tried at every
# position of the text, so the character before is checked in Python instead (``_starts``).
REGISTRY_NUMBER_RE = re.compile(r"\d{4}-[^\s\d\-]{1,2}-\d{6}(?!\d)")
COPY_NUMBER_RE = re.compile(r"份号\s*[:：]?\s*(\d{6})(?!\d)")
ID_NUMBER_RE = re.compile(r"\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_RE = re.compile(r"1[3-9]\d{9}(?!\d)")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_valid(number: str) -> bool:
    """GB 11643: the check digit and a real birth date between 1900 and today."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()  # noqa: DTZ011 - a birth date, no time zone


def mask(kind: str, value: str) -> str:
    """Personal information as shown to reviewers: enough to find it, not enough to copy it."""
    if kind == "id_number":
        return f"{value[:6]}********{value[-4:]}"
    return f"{value[:3]}****{value[-4:]}"


def _mark_level(text: str) -> str:
    from baomi.core.marks import MarkSyntaxError, parse_mark

    try:
        return str(parse_mark(text.replace("☆", "★").replace("*", "★")).level)
    except MarkSyntaxError:
        for word, level in LEVEL_OF_WORD.items():
            if text.startswith(word):
                return str(level)
        return ""


def _starts(text: str, m: re.Match[str], before: str) -> bool:
    """Whether the match starts a token: the character before it is not in ``before``."""
    return m.start() == 0 or text[m.start() - 1] not in before


_DIGITS = "0123456789"
_ALNUM = _DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def find_shapes(text: str) -> Iterator[RawHit]:
    """Marks, registry numbers (to be looked up), 份号 and personal information in NFKC text.
    Each expression runs only when the text holds the word it needs (a quick ``in``)."""
    if "密" in text:
        for m in MARK_RE.finditer(text):
            shown = re.sub(r"\s+", "", m.group())
            yield RawHit("mark", m.start(), m.end(), level=_mark_level(shown), shown=shown[:100])
        for m in LABEL_RE.finditer(text):
            word = m.group(1) or m.group(2)
            yield RawHit("mark", m.start(), m.end(), level=LEVEL_OF_WORD[word], shown=m.group()[:100])
    if "内部" in text:
        for m in WORK_SECRET_RE.finditer(text):
            yield RawHit("mark", m.start(), m.end(), level=Level.WORK_SECRET.value, shown=m.group()[:100])
    for m in REGISTRY_NUMBER_RE.finditer(text):
        if _starts(text, m, _ALNUM + "-"):
            yield RawHit("registry_number", m.start(), m.end(), shown=m.group())
    if "份号" in text:
        for m in COPY_NUMBER_RE.finditer(text):
            yield RawHit("copy_number", m.start(), m.end(), shown=f"份号 {m.group(1)}")
    for m in ID_NUMBER_RE.finditer(text):
        if _starts(text, m, _ALNUM) and id_number_valid(m.group()):
            yield RawHit("id_number", m.start(), m.end(), shown=mask("id_number", m.group().upper()))
    for m in PHONE_RE.finditer(text):
        if _starts(text, m, _DIGITS + "+") or text[max(0, m.start() - 3) : m.start()] == "+86":
            yield RawHit("phone", m.start(), m.end(), shown=mask("phone", m.group()))


def scan(text: str, matchers: Iterable[Matcher]) -> tuple[Prepared, list[RawHit]]:
    """Every raw hit in ``text``: the shapes, then each matcher's patterns; duplicates (the same
    term at the same place, found twice) removed, in order of position."""
    prepared = prepare(text)
    seen: set[tuple[str, int, int, int | None]] = set()
    hits: list[RawHit] = []
    for source in (find_shapes(prepared.text), *(m.find(prepared) for m in matchers)):
        for hit in source:
            key = (hit.kind, hit.start, hit.end, hit.ref)
            if key not in seen:
                seen.add(key)
                hits.append(hit)
    hits.sort(key=lambda h: (h.start, h.end, h.kind))
    return prepared, hits


def excerpt(text: str, start: int, end: int, *, around: int = 30) -> tuple[str, str, str]:
    """``(before, match, after)`` around a hit, for the reviewer's list."""
    return text[max(0, start - around) : start], text[start:end], text[end : end + around]
