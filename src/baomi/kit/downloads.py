"""The ``Content-Disposition`` of a download (issue 11 §6): RFC 6266 with RFC 5987's
``filename*=UTF-8''…`` for the real (often Chinese) name and a plain ASCII ``filename=`` fallback,
so a registry number such as ``机密-2026-001`` survives every browser instead of arriving as an
RFC 2047-encoded header."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9._\- ]+")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`` (or ``inline``)."""
    kind = "inline" if inline else "attachment"
    name = filename.replace("\r", "").replace("\n", "").replace('"', "").replace("\\", "")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = _UNSAFE.sub("_", ascii_name).strip(" _") or "download"
    _stem, dot, ext = name.rpartition(".")
    if dot and ext.isascii() and not ascii_name.endswith("." + ext):
        ascii_name = f"{ascii_name.rsplit('.', 1)[0] or 'download'}.{ext}"
    if ascii_name == name:
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
