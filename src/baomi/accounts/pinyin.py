"""Pinyin keys of a name, for the person picker (issue 13): 李娜 → initials ``ln``, full
``lina``. Computed when a name is saved (``User.save``) and by the bulk generator of the
benchmark; pypinyin knows the characters offline. Non-Chinese characters are kept lower-cased."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def _clean(parts: list[str]) -> list[str]:
    return [p.strip().lower() for p in parts if p.strip() and p.strip().isalnum()]


def initials(name: str) -> str:
    return "".join(p[0] for p in _clean(lazy_pinyin(name or "", style=Style.FIRST_LETTER)))[:40]


def full(name: str) -> str:
    return "".join(_clean(lazy_pinyin(name or "", style=Style.NORMAL)))[:200]
