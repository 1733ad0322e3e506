"""What every xlsx the system writes carries (issue 13, CAR-12, CAR-13, CLS-7): a Chinese sheet
name that Excel accepts, and the mark — with the 份号 and the reader's watermark where the
export has them — in the header and footer of every printed page.

The export builders call :func:`sheet_name` for each sheet and :func:`mark_sheet` once per
sheet; :func:`export_mark` gives the mark of a list of rows (a compilation takes the highest
level and, at that level, the longest period: CLS-5, R-MARK-6), never lower than 「内部」 for an
internal list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from baomi.core import levels
from baomi.core.levels import Level
from baomi.core.marks import make_mark

_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: Any, used: set[str] | None = None) -> str:
    """``title`` (translated) as a sheet name: no ``[]:*?/\\``, at most 31 characters, unique
    among ``used`` (which it updates)."""
    name = _BAD.sub(" ", str(title)).strip()[:31] or "表"
    if used is not None:
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base[:28]}({n})"
        used.add(name)
    return name


def internal_mark() -> str:
    """「内部」 (or the long form the deployment chose): the mark of an internal list (R-WS-3)."""
    return make_mark(Level.WORK_SECRET)


def _period_weight(mark: str) -> tuple[int, int]:
    period = mark.partition("★")[2]
    if period == "长期":
        return (2, 0)
    digits = "".join(ch for ch in period if ch.isdigit())
    if period.endswith("年") and digits and len(digits) <= 4:
        return (1, int(digits) * 12)
    if period.endswith("个月") and digits:
        return (1, int(digits))
    return (0, 0)


def export_mark(rows: Iterable[tuple[str, str]], *, floor: str = Level.WORK_SECRET) -> str:
    """The mark of an export of ``rows`` given as ``(level, mark)``: the highest level, at that
    level the longest period; 「内部」 when nothing in it is above ``floor``."""
    rows = [(lvl, mark) for lvl, mark in rows if lvl in Level.values]
    if not rows:
        return internal_mark()
    top = levels.highest([lvl for lvl, _m in rows])
    if levels.rank(top) <= levels.rank(floor):
        return internal_mark()
    return max((m for lvl, m in rows if lvl == top), key=_period_weight) or levels.MARK_WORD.get(top, "")


def mark_sheet(ws: Any, mark: str, *, number: str = "", watermark: str = "") -> None:
    """Put 份号 (line 1) and the mark (line 2) top left in the printed header of ``ws``
    (GB/T 9704, R-MARK-5) and the watermark in its footer (CAR-13)."""
    ws.oddHeader.left.text = "\n".join(part for part in (number, mark) if part)
    ws.oddHeader.left.size = 12
    if watermark:
        ws.oddFooter.center.text = watermark
