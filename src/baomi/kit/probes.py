"""Measured checks (SUP-1): figures an inspection computes from baomi's own records.

A *probe* answers one question of the self-assessment from the data — "涉密人员 without a
current pledge", "loans past their due date" — with a count and the first exceptions, each a
label that is not itself classified (a name, a registry number, ``#id``) and, where there is
one, the page it links to (the page's own policy decides how far the inspector may follow).

Any app declares probes in its ``probes`` part (``baomi.<app>.probes``, see
``baomi.kit.registry``)::

    @probe("carriers.loans_overdue", area=6, label=_("Loans past their due date"))
    def loans_overdue(on: date) -> QuerySet:
        return LoanRequest.objects.filter(status="approved", due_on__lt=on).values_list(
            "carrier_id", "carrier__registry_number")

A probe returns a queryset of ``(link pk or None, label)`` rows: the exceptions. It is run by
:func:`measure` as ONE aggregate query — the rows sliced to :data:`SAMPLE` with the total
counted by a window function over the same statement — so the cost of a probe does not grow
with the number of exceptions it shows, and its query count is constant (bench/selfcheck).
The probe must not iterate in Python or issue further queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, QuerySet, Window

from baomi.kit import registry

SAMPLE = 20


@dataclass(frozen=True)
class Probe:
    """One measured check. ``area`` is the number of the 实施条例 Art 58 area it belongs to
    (1–13, R-SITE-4); ``url`` the URL name of the page an exception links to (one ``pk``)."""

    key: str
    label: Any
    area: int
    rows: Callable[[date], QuerySet]
    url: str = ""
    help: Any = ""


@dataclass(frozen=True)
class Measurement:
    key: str
    count: int
    exceptions: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "count": self.count, "exceptions": self.exceptions}


_PROBES: dict[str, Probe] = {}
_loaded = False


def probe(key: str, *, label: Any, area: int, url: str = "", help: Any = "") -> Callable[..., Any]:
    """Declare ``fn(on) -> QuerySet of (pk, label)`` as the probe ``key`` (module docstring)."""

    def deco(fn: Callable[[date], QuerySet]) -> Callable[[date], QuerySet]:
        if key in _PROBES and _PROBES[key].rows is not fn:
            raise ValueError(f"probe {key!r} declared twice")
        _PROBES[key] = Probe(key=key, label=label, area=area, rows=fn, url=url, help=help)
        return fn

    return deco


def probes() -> dict[str, Probe]:
    """Every declared probe of every installed app, by key."""
    global _loaded
    if not _loaded:
        for _config, _module in registry.modules("probes"):
            pass  # importing the module declares its probes
        _loaded = True
    return dict(sorted(_PROBES.items()))


def get(key: str) -> Probe | None:
    return probes().get(key)


def measure(key: str, on: date, *, sample: int = SAMPLE) -> Measurement:
    """Run probe ``key`` for day ``on``: one SQL statement, count and first ``sample`` rows."""
    p = probes()[key]
    qs = p.rows(on)
    rows = list(qs.annotate(_total=Window(Count(F("pk")))).values_list(*_fields(qs), "_total")[:sample])
    total = rows[0][-1] if rows else 0
    exceptions = [{"pk": r[0], "label": str(r[1])} for r in rows]
    return Measurement(key=key, count=int(total), exceptions=exceptions)


def _fields(qs: QuerySet) -> list[str]:
    names = list(getattr(qs, "_fields", None) or ())
    if len(names) != 2:
        raise ValueError("a probe returns .values_list(link pk, label)")
    return names
