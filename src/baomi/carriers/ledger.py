"""Ledgers (台账, CAR-12): the unit, department and personal ledgers are filtered views of the one
carrier registry — never separate lists.

A ledger is ``policy.visible(user, Carrier, "view")`` (the CarrierRule as SQL, see
``carriers/rules.py``) narrowed by its scope and the user's filters, searched on title
and registry number, sorted, and cut into pages:

* newest/oldest first use keyset pagination (a cursor holds the last row's ``registered_at`` and
  id), so page 200 costs what page 1 costs; other sorts use page numbers;
* the total is exact up to ``COUNT_EXACT_MAX`` rows; above that the user sees "more than N,
  about M" where M is the very same query counted over a sample of the carrier table's pages
  and scaled up (exact when the sample shows the set is small: ``estimate_total``); it is
  counted on the first page and carried in the cursor, and kept until the next committed
  change (``audit/cache.py``), so coming back to the same view neither counts nor samples again;
* search is a substring match on title and number: PostgreSQL answers from pg_trgm GIN
  indexes and a GIN index of each title's characters and pairs, SQLite from an FTS5 trigram
  table kept by triggers; terms of one or two characters, which trigrams cannot serve, are
  otherwise tested on the (already filtered) rows. For readers who see much of the registry
  the ledger itself chooses between reading the term's index and walking the newest-first
  index (``search_plan``), since the planner cannot see through a wide scope.

Every page is a fixed number of queries: the visibility inputs (roles, scope ids, headed
departments), the page with its count, and for wide readers' searches the plan's estimates.
See docs/ledger.md for the design and docs/benchmarks.md for the measurements.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import OrderBy, RawSQL, Window
from django.db.models.functions import Concat, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.cache import TTL, change_position
from baomi.carriers.choices import CarrierKind, CarrierStatus
from baomi.carriers.models import Carrier
from baomi.carriers.rules import Reach, reach_for, recording_reach, scope_entry_items
from baomi.classification.marking import remember_former_mark
from baomi.classification.selectors import former_mark_subquery
from baomi.core import levels
from baomi.core.errors import ValidationFailed

SCOPES = ("unit", "department", "personal")
SCOPE_LABELS = {"unit": _("Unit ledger"), "department": _("Department ledger"), "personal": _("My ledger")}
PAGE_SIZE = 50
PAGE_SIZE_MAX = 200
COUNT_EXACT_MAX = 1_000
SEARCH_MAX = 50
FTS_TABLE = "carriers_carrier_fts"
FTS_MATCH_SQL = "SELECT rowid FROM carriers_carrier_fts WHERE carriers_carrier_fts MATCH %s"

SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-registered_at", "-id"),
    "oldest": ("registered_at", "id"),
    "number": ("registry_number",),
    "-number": ("-registry_number",),
    "level": ("-level_rank", "-registered_at", "-id"),
    "title": ("title", "id"),
}
SORT_LABELS = {
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "number": _("Registry number ascending"),
    "-number": _("Registry number descending"),
    "level": _("Level, highest first"),
    "title": _("Title"),
}
KEYSET_SORTS = ("newest", "oldest")
WALKABLE_SORTS = (*KEYSET_SORTS, "number", "-number")  # an index supplies the order
# A ledger row names its custodian; their credentials and sign-in state stay in the database.
CUSTODIAN_UNUSED = tuple(
    f"custodian__{name}"
    for name in ("password", "last_login", "date_joined", "password_changed_at", "must_change_password",
                 "failed_logins", "locked_until", "totp_secret", "totp_confirmed_at", "totp_last_step")
)  # fmt: skip


def mark_for(level: str) -> str:
    """The mark shown on a ledger row: the statutory word for a state secret (CLS-7), the level
    name otherwise."""
    word = levels.MARK_WORD.get(level)
    if word:
        return word
    return str(levels.Level(level).label) if level in levels.Level.values else level


def row_mark(carrier: Carrier) -> str:
    """A row's full mark as printed on the carrier (e.g. ``机密★10年``, R-MARK-3); the rows are
    fetched with their item, so this costs no query."""
    own = getattr(carrier, "mark_text", None)
    if callable(own):
        return str(own()) or mark_for(carrier.level)
    return mark_for(carrier.level)


@dataclass
class Filters:
    """What a ledger is narrowed by; parsed from a query string by :func:`parse_filters`."""

    scope: str = "unit"
    levels: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    department: int | None = None
    custodian: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    sort: str = "newest"

    def as_details(self) -> dict[str, Any]:
        """For the audit trail: the filters, but never the search words (they may be content)."""
        return {
            "scope": self.scope,
            "levels": self.levels,
            "kinds": self.kinds,
            "statuses": self.statuses,
            "department": self.department,
            "custodian": self.custodian,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "search_chars": len(self.q),
            "sort": self.sort,
        }


def _choices(values: list[str], allowed: list[str], name: str, errors: dict[str, Any]) -> list[str]:
    picked = [v for v in values if v]
    if any(v not in allowed for v in picked):
        errors[name] = [str(_("Unknown value."))]
        return []
    return sorted(set(picked))


#: the largest id or page number a filter accepts: a bigger one cannot exist, and the databases
#: refuse integers beyond 64 bits with an error (SEC-7: a validation message, never a 500)
ID_MAX = 2**63 - 1
PAGE_MAX = 10**9


def _int(value: str | None, name: str, errors: dict[str, Any], most: int = ID_MAX) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        errors[name] = [str(_("Enter a whole number."))]
        return None
    if abs(number) > most:
        errors[name] = [str(_("This number is out of range."))]
        return None
    return number


def _date(value: str | None, name: str, errors: dict[str, Any]) -> date | None:
    if not value:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        errors[name] = [str(_("Enter a date as YYYY-MM-DD."))]
    return parsed


def parse_filters(params: Any) -> Filters:
    """Read the ledger filters from a ``QueryDict`` (UI and API alike); bad input raises
    ``ValidationFailed`` with Chinese field messages, never a 500."""
    errors: dict[str, Any] = {}
    getlist = params.getlist if hasattr(params, "getlist") else (lambda k: params.get(k, []))
    scope = params.get("scope") or "unit"
    if scope not in SCOPES:
        errors["scope"] = [str(_("Unknown ledger."))]
    sort = params.get("sort") or "newest"
    if sort not in SORTS:
        errors["sort"] = [str(_("Unknown sort order."))]
    q = (params.get("q") or "").strip()
    if len(q) > SEARCH_MAX:
        errors["q"] = [str(_("Search for at most 50 characters."))]
    flt = Filters(
        scope=scope,
        levels=_choices(getlist("level"), list(levels.Level.values), "level", errors),
        kinds=_choices(getlist("kind"), list(CarrierKind.values), "kind", errors),
        statuses=_choices(getlist("status"), list(CarrierStatus.values), "status", errors),
        department=_int(params.get("department"), "department", errors),
        custodian=_int(params.get("custodian"), "custodian", errors),
        date_from=_date(params.get("date_from"), "date_from", errors),
        date_to=_date(params.get("date_to"), "date_to", errors),
        q=q,
        sort=sort,
    )
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        errors["date_to"] = [str(_("The end date is before the start date."))]
    if errors:
        raise ValidationFailed(_("Check the ledger filters."), fields=errors)
    return flt


# --- the query ------------------------------------------------------------------------------


class GramsContain(Func):
    """``ledger_short_grams(title) @> ARRAY[term]`` — served by the GIN index of the title's
    single characters and pairs (PostgreSQL, migration 0003); the column is compiled, so table
    aliases in subqueries stay right."""

    arg_joiner = ") @> ARRAY["
    template = "(ledger_short_grams(%(expressions)s]::text[])"
    output_field = BooleanField()


def search_condition(term: str, *, wide: bool = True, walk: bool = False) -> Q:
    """Substring search on title and registry number, and a carrier's former number whole.

    Three characters or more: the trigram index (pg_trgm GIN on PostgreSQL, the FTS5 trigram
    table on SQLite), on title and number. One or two characters search the title only (a
    number contains every digit): on PostgreSQL through the GIN index of the title's single
    characters and character pairs, which is exact for such terms, when the reader sees a
    large part of the registry (``wide``) and the ledger does not ``walk`` the newest-first
    index instead (see ``search_plan``); otherwise, and on SQLite, ``strpos``/``instr``
    over the rows the other conditions left — a person's visible rows are few, while a common
    character's index entry is long (docs/ledger.md).
    """
    term = term.strip()
    if not term:
        return Q()
    if len(term) < 3:
        if connection.vendor == "postgresql" and wide and not walk:
            # Exact on its own (a title's characters and pairs), so nothing rechecks it.
            return Q(GramsContain(F("title"), Value(term)))
        # ``strpos``/``instr`` rather than LIKE: a trigram index cannot serve a term this short,
        # yet PostgreSQL would pick it for a LIKE and read all of it (210 ms for 函).
        return Q(GreaterThan(StrIndex(F("title"), Value(term)), 0))
    # A number from the ledger the office kept before (imports) is found whole (its index).
    former = Q(former_number=term)
    if connection.vendor == "sqlite":
        phrase = '"' + term.replace('"', '""') + '"'
        # A constant statement; the term is a bound parameter.
        return Q(pk__in=RawSQL(FTS_MATCH_SQL, (phrase,))) | former  # noqa: S611
    cond = Q(title__contains=term) | Q(registry_number__contains=term) | former
    if term.upper() != term:
        cond |= Q(registry_number__contains=term.upper())
    return cond


# A page walked down the newest-first index reads about PAGE / (share of rows that match and
# are visible) rows, each a random heap visit; the character index reads every row holding the
# term, in heap order, about WALK_COST times cheaper per row (measured, docs/ledger.md).
WALK_COST = 5


def search_plan(user: Any, term: str, sort: str, reach: Reach | None = None) -> str:
    """How a search is served for ``user`` on PostgreSQL:

    * ``"scan"`` — the reader sees few rows (or SQLite): the visibility conditions pick the
      rows, the term is tested on each (trigrams may still help for long terms);
    * ``"index"`` — read the term's index (characters and pairs, or trigrams), sort, cut;
    * ``"walk"`` — walk the index of the sort order (newest first, registry number) and test
      each row, when the term is so common among the rows the reader sees that a page is
      found sooner than the term's index is read.

    The planner alone cannot choose: it cannot see how many rows a wide scope (a subquery)
    lets through, and walked for 预算 when reading the index was seven times cheaper. So the
    ledger decides, from the planner's estimates of the term's rows (from the index's
    statistics, f · N) and of the reader's scope entries against all items (their share v):
    walk when ``PAGE / (f · v) · WALK_COST < f · N``. The count always reads the term's
    index (it stops at ``COUNT_EXACT_MAX``).
    """
    if connection.vendor != "postgresql":
        return "scan"
    if reach is None:  # not handed over by ``ledger_query``: read it
        reach = reach_for(user, connection.alias, "view")
    if not (reach.everything or reach.wide):
        return "scan"
    if sort not in WALKABLE_SORTS or not reach.carriers:
        return "index"
    matches = estimate_rows(Carrier.objects.filter(search_condition(term))) or 0
    share = 1.0
    if not reach.everything:
        entries = estimate_rows(scope_entry_items(user)) or 0
        share = min(1.0, entries / max(1, reach.items or 1))
    if not share or not matches:
        return "index"
    walked = PAGE_SIZE / (matches / reach.carriers * share)
    return "walk" if walked * WALK_COST < matches else "index"


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def scope_condition(user: Any, scope: str) -> Q | None:
    """The ledger's own narrowing of the registry; ``None`` means the ledger is empty."""
    if scope == "personal":
        return Q(custodian_id=user.pk)
    if scope == "department":
        ids = set(user.headed_department_ids())
        if user.department_id:
            ids.add(user.department_id)
        return Q(department_id__in=sorted(ids)) if ids else None
    return Q()


def _narrowed(user: Any, flt: Filters) -> tuple[QuerySet[Carrier], Reach | None]:
    """The permission-filtered, scoped and filtered ledger, before search and sort, and the
    ``Reach`` the visibility filter was built from (the search plan weighs it)."""
    with recording_reach() as seen:
        qs = policy.visible(user, Carrier.objects.all(), "view")
    return _filtered(user, qs, flt), seen.reach


def _filtered(user: Any, qs: QuerySet[Carrier], flt: Filters) -> QuerySet[Carrier]:
    cond = scope_condition(user, flt.scope)
    if cond is None:
        return qs.none()
    qs = qs.filter(cond)
    if flt.levels:
        qs = qs.filter(level__in=flt.levels)
    if flt.kinds:
        qs = qs.filter(kind__in=flt.kinds)
    if flt.statuses:
        qs = qs.filter(status__in=flt.statuses)
    if flt.department is not None:
        qs = qs.filter(department_id=flt.department)
    if flt.custodian is not None:
        qs = qs.filter(custodian_id=flt.custodian)
    if flt.date_from:
        qs = qs.filter(registered_at__gte=_local_midnight(flt.date_from))
    if flt.date_to:
        qs = qs.filter(registered_at__lt=_local_midnight(flt.date_to + timedelta(days=1)))
    return qs


def _sorted(qs: QuerySet[Carrier], flt: Filters) -> QuerySet[Carrier]:
    if flt.sort == "level":
        qs = qs.annotate(
            level_rank=Case(
                *[When(level=lv, then=Value(rank)) for lv, rank in levels.RANK.items()],
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    return qs.order_by(*SORTS[flt.sort])


@dataclass
class LedgerQuery:
    """The same rows twice: ``rows`` is what pages are cut from, ``counted`` what the total
    counts — they differ only in how a short search reaches the rows (``search_plan``);
    ``by_index`` asks the page to be sorted after reading the character index."""

    rows: QuerySet[Carrier]
    counted: QuerySet[Carrier]
    by_index: bool = False


def ledger_query(user: Any, flt: Filters, *, plan: str | None = None) -> LedgerQuery:
    """The permission-filtered, scoped, filtered, searched and sorted ledger (no rows fetched).
    ``plan`` overrides ``search_plan`` (tests compare the plans' results)."""
    qs, reach = _narrowed(user, flt)
    term = flt.q.strip()
    if not term:
        found = _sorted(qs, flt)
        return LedgerQuery(found, found)
    plan = plan or search_plan(user, term, flt.sort, reach)
    counted = _sorted(qs.filter(search_condition(term, wide=plan != "scan")), flt)
    if plan != "walk":
        return LedgerQuery(counted, counted, by_index=plan == "index")
    return LedgerQuery(_sorted(qs.filter(search_condition(term, walk=True)), flt), counted)


def ledger_queryset(user: Any, flt: Filters) -> QuerySet[Carrier]:
    """The ledger's rows as one queryset (exports, counts)."""
    return ledger_query(user, flt).counted


# --- pages and totals -----------------------------------------------------------------------


@dataclass
class Total:
    """How many rows: exact, or at least ``value`` with the planner's estimate."""

    value: int
    exact: bool
    estimate: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "exact": self.exact, "estimate": self.estimate}


@dataclass
class Page:
    rows: list[Carrier]
    total: Total
    next_cursor: str | None = None
    prev_cursor: str | None = None
    page: int | None = None
    pages: int | None = None
    size: int = PAGE_SIZE


def encode_cursor(row: Carrier, direction: str, total: Total | None = None) -> str:
    """A keyset cursor: the row's (registered_at, id), the direction, and the total counted on
    the first page — carried along so deeper pages need no count again."""
    payload: list[Any] = [row.registered_at.isoformat(), row.pk, direction]
    if total is not None:
        payload += [total.value, total.exact, total.estimate]
    raw = json.dumps(payload, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, int, str, Total | None]:
    try:
        padded = token + "=" * (-len(token) % 4)
        stamp, pk, direction, *carried = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = datetime.fromisoformat(stamp)
        if timezone.is_naive(moment) or direction not in ("next", "prev"):
            raise ValueError(direction)
        total = None
        if carried:
            value, exact, estimate = carried
            total = Total(int(value), bool(exact), None if estimate is None else int(estimate))
        return moment, int(pk), direction, total
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise ValidationFailed(
            _("The page link is not valid."), fields={"cursor": [str(_("Not valid."))]}
        ) from None


def _after(moment: datetime, pk: int, descending: bool) -> Q:
    """Rows after (``descending``: before) the cursor in (registered_at, id) order. The first
    term is a plain range on the leading index column, so the index scan starts at the cursor."""
    if descending:
        return Q(registered_at__lte=moment) & (Q(registered_at__lt=moment) | Q(pk__lt=pk))
    return Q(registered_at__gte=moment) & (Q(registered_at__gt=moment) | Q(pk__gt=pk))


def count_rows(qs: QuerySet) -> Total:
    """Exact up to ``COUNT_EXACT_MAX``; above it "more than N, about M" (:func:`estimate_total`)."""
    base = qs.order_by()
    n = base.values("pk")[: COUNT_EXACT_MAX + 1].count()
    if n <= COUNT_EXACT_MAX:
        return Total(n, True)
    return estimate_total(base)


# The estimate above COUNT_EXACT_MAX: the ledger's own query run over a sample of the carrier
# table's pages — SAMPLE_PERCENT, or when that holds fewer than SAMPLE_MIN_HITS visible rows a
# larger share (up to SAMPLE_MAX_PERCENT) chosen to hold about as many; with fewer than a tenth
# of that the set is small (a few thousand rows) and is counted exactly.
SAMPLE_PERCENT = 0.5
SAMPLE_MAX_PERCENT = 10
SAMPLE_MIN_HITS = 200
SAMPLE_SEED = 20_261_128  # the same sample on every request: the figure does not jitter
# In a sample every row is tested one by one: the character-and-pair test of a short search
# (exact, served by a GIN index otherwise) computes the title's whole gram array per row, while
# strpos answers the same question directly (ten times cheaper per row, measured).
_GRAMS_TEST = re.compile(r"\(ledger_short_grams\(([^()]+)\) @> ARRAY\[%s\]::text\[\]\)")


def estimate_total(qs: QuerySet, kept: KeptEstimate | None = None) -> Total:
    """ "More than 1,000, about N" that tells the truth (CAR-12, issue 20 §3).

    The planner's estimate for the ledger's query was off by up to six times for readers with a
    wide scope (it cannot see how many rows the scope subqueries let through). So the very same
    conditions — visibility, scope, filters, search — are counted over a fixed sample of the
    carrier table's pages (``TABLESAMPLE SYSTEM … REPEATABLE``, 0.5 %): N = the rows that pass ÷
    the rows sampled × the table's rows (``pg_class.reltuples``), which cancels the sample's own
    size variation. When the sample holds fewer than 200 visible rows, a larger one (at most
    10 %) sized to hold about 200 is counted instead; when it holds fewer than 20, the set is
    small and it is counted exactly — the figure is then exact, though still shown as "about".
    SQLite has neither sampling nor a planner estimate: "more than 1,000" there.

    Kept until the next committed change (``KeptEstimate``); after a change the last sample's
    share of pages is taken again at once rather than found in two steps.
    """
    if connection.vendor != "postgresql":
        return Total(COUNT_EXACT_MAX, False, None)
    kept = kept or remembered_estimate(qs)
    if kept.total is not None:
        return kept.total
    total, percent = _estimate(qs, kept.last[1] if kept.last else None)
    cache.set(kept.key, total, TTL)
    cache.set(kept.last_key, (total.estimate, percent), LAST_TTL)
    return total


# How long the last sample of a query is remembered across changes, as a hint only.
LAST_TTL = 24 * 60 * 60


@dataclass
class KeptEstimate:
    """What is remembered of a query's "about N" (CAR-12, issue 20 §3), keyed by its compiled
    conditions — the reader's visibility (scope ids, headed departments, allowed levels, today's
    date for the scope entries), filters and search:

    - ``total``: the estimate at the current change position (audit/cache.py), which every
      committed change moves and reads do not — a reader paging, sorting back or coming back to
      the same view gets it without sampling or counting again;
    - ``last``: the last sample's (N, share of pages) at any position, a hint only. After a
      change the page skips counting its first 1,001 rows when the last N was at least twice
      that (``skips_count``) and samples the same share at once; a fresh N under twice the cap
      is checked by that count after all (``fresh_total``), so a set that shrank is still
      counted exactly."""

    key: str = ""
    last_key: str = ""
    total: Total | None = None
    last: tuple[int | None, float] | None = None

    def skips_count(self) -> bool:
        if self.total is not None:
            return True
        return self.last is not None and (self.last[0] or 0) >= 2 * COUNT_EXACT_MAX


def remembered_estimate(qs: QuerySet | None) -> KeptEstimate:
    """What is kept of ``qs``'s estimate (nothing on SQLite, which has none)."""
    if qs is None or connection.vendor != "postgresql":
        return KeptEstimate()
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    key, last_key = (
        f"baomi:ledger-estimate:{digest}:{change_position()}",
        f"baomi:ledger-estimate:{digest}:last",
    )
    got = cache.get_many([key, last_key])
    return KeptEstimate(key, last_key, got.get(key), got.get(last_key))


def fresh_total(qs: QuerySet, kept: KeptEstimate) -> Total:
    """The total of a first page that skipped its count (``KeptEstimate.skips_count``)."""
    total = estimate_total(qs, kept)
    if (total.estimate or 0) >= 2 * COUNT_EXACT_MAX:
        return total
    return count_rows(qs)  # near or under the cap: exact if it now is at most COUNT_EXACT_MAX


def _estimate(qs: QuerySet, hint: float | None = None) -> tuple[Total, float]:
    """``qs`` counted over a sample (see ``estimate_total``) and the share of pages it read;
    ``hint``: the share the last sample of the same query settled on, read at once."""
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Carrier._meta.db_table)
    at = sql.find(f"FROM {table}")  # the outermost FROM: the query selects carrier ids
    rest = sql[at + len(f"FROM {table}") :] if at >= 0 else None
    if rest is None or (rest and not rest.startswith(" WHERE ")):  # pragma: no cover - joins
        return Total(COUNT_EXACT_MAX, False, estimate_rows(qs)), SAMPLE_PERCENT
    condition = _GRAMS_TEST.sub(r"(strpos(\1, %s) > 0)", rest[len(" WHERE ") :]) if rest else "TRUE"

    def sampled(percent: float) -> tuple[int, int, float]:
        # Our own compiled, parameterised conditions with a constant sampling clause, not user text.
        query = (
            f"SELECT count(*) FILTER (WHERE {condition}), count(*), "  # noqa: S608
            f"(SELECT reltuples FROM pg_class WHERE oid = %s::regclass) "
            f"FROM {table} TABLESAMPLE SYSTEM ({percent:g}) REPEATABLE ({SAMPLE_SEED})"
        )
        with connection.cursor() as cur:
            cur.execute(query, [*params, Carrier._meta.db_table])
            hits, rows, tuples = cur.fetchone()
        return int(hits), int(rows), float(tuples or 0)

    percent: float = hint if hint and SAMPLE_PERCENT < hint <= SAMPLE_MAX_PERCENT else SAMPLE_PERCENT
    hits, rows, tuples = sampled(percent)
    if percent == SAMPLE_PERCENT and SAMPLE_MIN_HITS // 10 <= hits < SAMPLE_MIN_HITS:
        percent = min(SAMPLE_MAX_PERCENT, round(percent * SAMPLE_MIN_HITS / hits, 1))
        hits, rows, tuples = sampled(percent)
    if hits >= SAMPLE_MIN_HITS // 10:
        scaled = hits / rows * tuples if rows and tuples > 0 else hits * 100 / percent
        return Total(COUNT_EXACT_MAX, False, max(COUNT_EXACT_MAX + 1, round(scaled))), percent
    with connection.cursor() as cur:  # a small set: counted through the indexes the query uses
        cur.execute(f"SELECT count(*) FROM ({sql}) AS ledger_all", params)  # noqa: S608
        counted = int(cur.fetchone()[0])
    # Still shown as "more than 1,000, about N" (the API's total keeps one shape), N exact here.
    return Total(COUNT_EXACT_MAX, False, counted), percent


def estimate_rows(qs: QuerySet) -> int | None:
    """PostgreSQL's own estimate of how many rows ``qs`` returns (from its statistics)."""
    if connection.vendor != "postgresql":
        return None
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cur.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _flip(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(o[1:] if o.startswith("-") else f"-{o}" for o in ordering)


def _rows(
    qs: QuerySet[Carrier],
    ordering: tuple[str, ...],
    offset: int,
    limit: int,
    count_of: QuerySet | None = None,
    *,
    by_index: bool = False,
    kept: KeptEstimate | None = None,
) -> tuple[list[Carrier], Total | None]:
    """The page's rows with custodian, department and item — and, with ``count_of``, the total.

    The page is cut from the carrier table alone (``id IN (… ORDER BY … LIMIT n)``), then
    joined, so the planner never joins the whole visible set before the limit; the capped
    count rides along as a scalar subquery (one round trip, not two). A ``by_index`` page reads
    every match of the term's index anyway to sort them, so it counts them in that same pass
    (``count(*) OVER ()``) — an exact total at no extra cost — and fetches the rows by id."""
    ordered = qs.order_by(*(_unwalkable(o) for o in ordering) if by_index else ordering)

    def joined(ids: Any) -> QuerySet[Carrier]:
        rows = with_row_marks(Carrier.objects.filter(pk__in=ids))
        if "level_rank" in qs.query.annotations:
            rows = rows.annotate(level_rank=qs.query.annotations["level_rank"])
        return rows

    if by_index and count_of is not None:
        window = ordered.annotate(ledger_total=Window(Count("pk")))
        pairs = list(window.values_list("pk", "ledger_total")[offset : offset + limit])
        rows = joined([pk for pk, _ in pairs])
        return rows_with_marks(rows.order_by(*ordering)), Total(pairs[0][1] if pairs else 0, True)
    rows = joined(ordered.values("pk")[offset : offset + limit])
    if count_of is None:
        return rows_with_marks(rows.order_by(*ordering)), None
    sql, params = count_of.order_by().values("pk")[: COUNT_EXACT_MAX + 1].query.sql_with_params()
    # The compiled, parameterised SQL of our own queryset, not user text.
    capped_sql = "SELECT count(*) FROM (" + sql + ") AS ledger_capped"  # noqa: S608
    rows = rows.annotate(ledger_capped=RawSQL(capped_sql, params, output_field=IntegerField()))  # noqa: S611
    got = rows_with_marks(rows.order_by(*ordering))
    capped = int(getattr(got[0], "ledger_capped", 0)) if got else 0
    if capped <= COUNT_EXACT_MAX:
        return got, Total(capped, True)
    return got, estimate_total(count_of.order_by(), kept)


def with_row_marks(rows: QuerySet[Carrier]) -> QuerySet[Carrier]:
    """Ledger rows with what their marks need, in the same query: custodian, department and
    item joined (the custodian's credentials left out), and for a declassified item its old
    mark (R-MARK-8) — shown with 「解密」 — instead of one query per row."""
    return (
        rows.select_related("custodian", "department", "item")
        .defer(*CUSTODIAN_UNUSED)
        .annotate(
            ledger_former_mark=Case(
                When(item__status="declassified", then=former_mark_subquery("item_id")),
                default=Value(None),
                output_field=CharField(),
            )
        )
    )


def rows_with_marks(rows: QuerySet[Carrier]) -> list[Carrier]:
    """Fetch ``with_row_marks`` rows, handing each item its old mark."""
    got = list(rows)
    for row in got:
        remember_former_mark(row.item, getattr(row, "ledger_former_mark", None))
    return got


def _unwalkable(field: str) -> OrderBy:
    """The same order as ``field``, written so that no index can supply it: a page of a
    ``by_index`` search is sorted after the term's index was read, never found by walking the
    newest-first index with the term tested on each row (186 ms for 预算, 77 ms for 安全检查)."""
    name = field.lstrip("-")
    shifted: Any
    if name == "registered_at":
        shifted = F(name) + Value(timedelta(0))
    elif name in ("registry_number", "title"):
        shifted = Concat(F(name), Value(""), output_field=CharField())
    else:
        shifted = F(name) + Value(0)
    return OrderBy(shifted, descending=field.startswith("-"))


def fetch_page(
    query: LedgerQuery | QuerySet[Carrier],
    flt: Filters,
    *,
    cursor: str | None = None,
    page: int | None = None,
    size: int = PAGE_SIZE,
    with_total: bool = True,
) -> Page:
    """One page of a ledger: keyset for newest/oldest first, page numbers for other sorts."""
    if not isinstance(query, LedgerQuery):
        query = LedgerQuery(query, query)
    qs, by_index = query.rows, query.by_index
    size = max(1, min(size, PAGE_SIZE_MAX))
    carried = decode_cursor(cursor)[3] if cursor and flt.sort in KEYSET_SORTS and not page else None
    count_here = carried is None and with_total
    total = carried or Total(0, False)
    rows_qs = qs
    if flt.sort in KEYSET_SORTS and not page:
        descending = flt.sort == "newest"
        direction = "next"
        if cursor:
            moment, pk, direction, _carried = decode_cursor(cursor)
            forward = descending if direction == "next" else not descending
            rows_qs = rows_qs.filter(_after(moment, pk, forward))
        ordering = SORTS[flt.sort] if direction == "next" else _flip(SORTS[flt.sort])
        counted = query.counted if count_here and not cursor else None
        kept = remembered_estimate(None if by_index else counted)
        if counted is not None and kept.skips_count():
            counted, count_here = None, False
        rows, counted_total = _rows(rows_qs, ordering, 0, size + 1, counted, by_index=by_index, kept=kept)
        if count_here:
            total = counted_total or count_rows(query.counted)
        elif kept.skips_count():
            total = kept.total or fresh_total(query.counted, kept)
        more = len(rows) > size
        rows = rows[:size]
        if direction == "prev":
            rows.reverse()
        result = Page(rows, total, size=size)
        if rows:
            if more or direction == "prev":
                result.next_cursor = encode_cursor(rows[-1], "next", total)
            if cursor and (direction == "next" or more):
                result.prev_cursor = encode_cursor(rows[0], "prev", total)
        return result
    number = max(1, page or 1)
    offset = (number - 1) * size
    counted = query.counted if count_here and not offset else None
    kept = remembered_estimate(None if by_index else counted)
    if counted is not None and kept.skips_count():
        counted, count_here = None, False
    rows, counted_total = _rows(
        rows_qs, SORTS[flt.sort], offset, size + 1, counted, by_index=by_index, kept=kept
    )
    if count_here:
        total = counted_total or count_rows(query.counted)
    elif kept.skips_count():
        total = kept.total or fresh_total(query.counted, kept)
    more = len(rows) > size
    pages = None
    if total.exact:
        pages = max(1, -(-total.value // size))
    return Page(rows[:size], total, page=number, pages=pages, size=size,
                next_cursor=str(number + 1) if more else None,
                prev_cursor=str(number - 1) if number > 1 else None)  # fmt: skip


def ledger_page(user: Any, params: Any, *, size: int = PAGE_SIZE) -> tuple[Filters, Page]:
    """Parse, filter and fetch: what the ledger views and the API call."""
    flt = parse_filters(params)
    query = ledger_query(user, flt)
    errors: dict[str, Any] = {}
    number = _int(params.get("page"), "page", errors, most=PAGE_MAX)
    if errors:
        raise ValidationFailed(_("Check the ledger filters."), fields=errors)
    number = None if number is None else max(1, number)
    page = fetch_page(query, flt, cursor=params.get("cursor") or None, page=number, size=size)
    # CLS-7, R-CRYPTO-5: a row whose level or number fails its MAC is not listed (the security
    # officer sees it, flagged); the cursors were cut from the page as read, so paging goes on.
    page.rows = policy.screen(user, page.rows)
    return flt, page


# --- search index upkeep (SQLite) -------------------------------------------------------------

SQLITE_FTS_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS carriers_carrier_fts USING fts5(title, registry_number, "
    "content='carriers_carrier', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS carriers_carrier_fts_ai AFTER INSERT ON carriers_carrier BEGIN "
    "INSERT INTO carriers_carrier_fts(rowid, title, registry_number) "
    "VALUES (new.id, new.title, new.registry_number); END",
    "CREATE TRIGGER IF NOT EXISTS carriers_carrier_fts_ad AFTER DELETE ON carriers_carrier BEGIN "
    "INSERT INTO carriers_carrier_fts(carriers_carrier_fts, rowid, title, registry_number) "
    "VALUES ('delete', old.id, old.title, old.registry_number); END",
    "CREATE TRIGGER IF NOT EXISTS carriers_carrier_fts_au AFTER UPDATE OF title, registry_number "
    "ON carriers_carrier BEGIN "
    "INSERT INTO carriers_carrier_fts(carriers_carrier_fts, rowid, title, registry_number) "
    "VALUES ('delete', old.id, old.title, old.registry_number); "
    "INSERT INTO carriers_carrier_fts(rowid, title, registry_number) "
    "VALUES (new.id, new.title, new.registry_number); END",
]


def ensure_search_index(rebuild: bool = False) -> None:
    """Create the SQLite FTS5 trigram table and its triggers if missing (idempotent).

    A later migration that rebuilds ``carriers_carrier`` on SQLite (Django copies the table)
    drops its triggers; call this (with ``rebuild=True``) from such a migration. On
    PostgreSQL the GIN indexes need no upkeep.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        for statement in SQLITE_FTS_SQL:
            cur.execute(statement)
        if rebuild:
            cur.execute("INSERT INTO carriers_carrier_fts(carriers_carrier_fts) VALUES ('rebuild')")
