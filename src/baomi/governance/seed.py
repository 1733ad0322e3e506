"""The nine regulation templates the requirements start from (REQUIREMENTS.md: the seed file of
nine Chinese 保密制度 templates), split into one text per template so they can be loaded as
the unit's first regulations (SUP-10) and then revised.

The file (``fixtures/regulation_templates.txt``, a copy of the seed) is one text whose
templates follow each other without a separator; each starts with a known opening line. A
template is found by its opening, searched after the previous one, so two templates with the
same heading (行政办公室管理保密制度) are told apart by order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SEED_FILE = Path(__file__).resolve().parent / "fixtures" / "regulation_templates.txt"

# (opening of the template's first line, code, title); ``=`` marks an opening that is the whole line.
TEMPLATES = [
    ("行政办公室管理保密制度模版", "BMZD-01", "行政办公室管理保密制度（模版）"),
    ("一、总则为加强行政单位保密安全工作", "BMZD-02", "行政单位保密安全工作制度"),
    ("第一章总则第一条为加强本行政单位的保密工作", "BMZD-03", "行政单位保密工作管理制度"),
    ("保密部门管理制度", "BMZD-04", "保密部门管理制度"),
    ("保密行政管理制度", "BMZD-05", "保密行政管理制度"),
    ("行政办公室管理保密制度行政办公室是一个组织", "BMZD-06", "行政办公室管理保密制度"),
    ("=行政办公室管理保密制度", "BMZD-07", "行政办公室管理保密制度（范本）"),
    ("行政机关保密与数据安全管理制度简介", "BMZD-08", "行政机关保密与数据安全管理制度（简介）"),
    ("行政机关保密与数据安全管理制度第一章", "BMZD-09", "行政机关保密与数据安全管理制度"),
]


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    text: str


def _matches(line: str, opening: str) -> bool:
    return line.strip() == opening[1:] if opening.startswith("=") else line.startswith(opening)


def split_templates(text: str) -> list[Template]:
    """The templates of the seed text, in order; ``ValueError`` when one is not found."""
    lines = text.splitlines()
    starts: list[int] = []
    at = 0
    for opening, code, _title in TEMPLATES:
        found = next((i for i in range(at, len(lines)) if _matches(lines[i], opening)), None)
        if found is None:
            raise ValueError(f"template {code} ({opening}) not found")
        starts.append(found)
        at = found + 1
    out = []
    for n, (start, (_opening, code, title)) in enumerate(zip(starts, TEMPLATES, strict=True)):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        body = "\n".join(line.rstrip() for line in lines[start:end]).strip()
        out.append(Template(code, title, body))
    return out


def load_file(path: Path | None = None) -> list[Template]:
    return split_templates((path or SEED_FILE).read_text(encoding="utf-8"))
