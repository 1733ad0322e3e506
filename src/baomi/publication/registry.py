"""The registry's matcher: built once per process, refreshed when the registry changes (SUP-3).

Building the automaton over a large registry takes seconds (200,000 items: docs/benchmarks.md),
so each process keeps it and asks the database, before every screening, only whether the
registry changed — a few primary-key lookups (``classification.registry_terms.registry_state``
and the keyword list's count and newest change):

* unchanged → the matchers are used as they are;
* items added or re-marked since the full build (the registry only grows; levels change by
  writing a new mark record) → a small *delta* matcher over just those items is rebuilt next to
  the big one, until it passes ``DELTA_LIMIT`` terms and the whole is rebuilt;
* anything else (the newest row is not the row it was — a restore, a rolled-back test) → a
  full rebuild;
* the keyword list changed → its own small matcher is rebuilt.

Hits are then checked against the registry as it is *now* (``live_levels``, ``carriers_by_number``):
a hit on an item lifted since the build is dropped, and its level is the current one. So a
stale entry can never produce a wrong hit, and a new item is never missed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from baomi.carriers.registry_terms import carriers_by_number
from baomi.classification import registry_terms
from baomi.publication.screening import Matcher, RawHit, scan, split_points

DELTA_LIMIT = 20_000
ITEM_KINDS = ("title", "secret_point", "document_number")


@dataclass
class _Cache:
    main: Matcher
    base: tuple[Any, ...]
    delta: Matcher | None
    state: tuple[Any, ...]
    keywords: Matcher
    keyword_state: tuple[Any, ...]
    builds: int = 1


_lock = threading.Lock()
_cache: _Cache | None = None


def _add_items(matcher: Matcher, rows: Any) -> Matcher:
    for pk, title, points, reference, level in rows:
        matcher.add(title, "title", pk, level)
        for point in split_points(points):
            matcher.add(point, "secret_point", pk, level)
        if reference:
            matcher.add(reference, "document_number", pk, level)
    return matcher


def _new_matcher() -> Matcher:
    return Matcher(min_chars=settings.PUBLICATION_MIN_TERM_CHARS)


def build_items(*, after_id: int = 0, ids: list[int] | None = None) -> Matcher:
    """A frozen matcher over the items after ``after_id`` (and the items ``ids``)."""
    matcher = _add_items(_new_matcher(), registry_terms.item_terms(after_id=after_id))
    if ids:
        _add_items(matcher, registry_terms.item_terms(ids=ids))
    return matcher.freeze()


def _keyword_state() -> tuple[Any, ...]:
    from baomi.publication.models import Keyword

    agg = Keyword.objects.filter(active=True).aggregate(n=Count("id"), at=Max("changed_at"), top=Max("id"))
    return (agg["n"], agg["at"], agg["top"])


def build_keywords() -> Matcher:
    from baomi.publication.models import Keyword

    matcher = _new_matcher()
    for pk, text in Keyword.objects.filter(active=True).values_list("id", "text"):
        matcher.add(text, "keyword", pk, min_chars=1)
    return matcher.freeze()


def _still_extends(base: tuple[Any, ...], state: tuple[Any, ...]) -> bool:
    """Whether ``state`` is ``base`` plus rows added since (the rows ``base`` names still exist)."""
    item_id, item_at, mark_id, mark_at = base
    if state[0] < item_id or state[2] < mark_id:
        return False
    if item_id and not registry_terms.item_exists(item_id, item_at):
        return False
    return not (mark_id and not registry_terms.mark_exists(mark_id, mark_at))


def matchers() -> tuple[list[Matcher], str]:
    """The matchers for the registry as it is now, and a fingerprint of that state."""
    global _cache
    with _lock:
        state = registry_terms.registry_state()
        keyword_state = _keyword_state()
        cache = _cache
        if cache is None or not _still_extends(cache.base, state):
            cache = _cache = _Cache(build_items(), state, None, state, build_keywords(), keyword_state)
        elif state != cache.state:
            marked = registry_terms.items_marked_since(cache.base[2])
            delta = build_items(after_id=cache.base[0], ids=marked)
            if delta.terms > DELTA_LIMIT:
                cache = _cache = _Cache(build_items(), state, None, state, cache.keywords, cache.keyword_state,
                                        cache.builds + 1)  # fmt: skip
            else:
                cache.delta, cache.state = delta, state
        if keyword_state != cache.keyword_state:
            cache.keywords, cache.keyword_state = build_keywords(), keyword_state
        found = [m for m in (cache.main, cache.delta, cache.keywords) if m is not None]
        fingerprint = f"i{state[0]}:m{state[2]}:k{keyword_state[0]}/{keyword_state[2] or 0}"
        return found, fingerprint


def forget() -> None:
    """Drop this process's matchers (tests; an operator after restoring a backup)."""
    global _cache
    with _lock:
        _cache = None


def stats() -> dict[str, Any]:
    """Sizes of the matchers this process holds (``baomi publication matcher``)."""
    cache = _cache
    if cache is None:
        return {"built": False}
    return {"built": True, "builds": cache.builds, "main": cache.main.stats(),
            "delta": cache.delta.stats() if cache.delta else None, "keywords": cache.keywords.stats()}  # fmt: skip


@dataclass(frozen=True)
class Found:
    """A hit checked against the registry as it is now: what, where, and which object."""

    kind: str
    source: str
    attachment_id: int | None
    start: int
    end: int
    level: str = ""
    item_id: int | None = None
    carrier_id: int | None = None
    keyword_id: int | None = None
    shown: str = ""


def screen(sources: list[tuple[str, int | None, str]]) -> tuple[list[Found], str, int]:
    """Screen each ``(source, attachment id, text)``; return the hits that stand, the registry
    fingerprint and the number of characters screened."""
    found_matchers, fingerprint = matchers()
    raw: list[tuple[str, int | None, RawHit]] = []
    chars = 0
    for source, attachment_id, text in sources:
        prepared, hits = scan(text, found_matchers)
        chars += len(prepared.text)
        raw.extend((source, attachment_id, h) for h in hits)
    item_ids = {h.ref for _s, _a, h in raw if h.kind in ITEM_KINDS and h.ref is not None}
    live = registry_terms.live_levels(item_ids) if item_ids else {}
    numbers = carriers_by_number(h.shown for _s, _a, h in raw if h.kind == "registry_number")
    out: list[Found] = []
    for source, attachment_id, h in raw:
        where = (h.kind, source, attachment_id, h.start, h.end)
        if h.kind in ITEM_KINDS:
            if h.ref is not None and h.ref in live:
                out.append(Found(*where, level=live[h.ref], item_id=h.ref))
        elif h.kind == "registry_number":
            if h.shown in numbers:
                carrier_id, level = numbers[h.shown]
                out.append(Found(*where, level=level, carrier_id=carrier_id))
        elif h.kind == "keyword":
            out.append(Found(*where, keyword_id=h.ref))
        else:
            out.append(Found(*where, level=h.level, shown=h.shown))
    return out, fingerprint, chars
