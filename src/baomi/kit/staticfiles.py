"""Static files for an isolated network: nothing served refers to a server outside baomi.

:class:`OfflineAppDirectoriesFinder` replaces Django's ``AppDirectoriesFinder`` (settings
``STATICFILES_FINDERS``). It serves what the apps ship, except:

- source maps (``*.map``): debugging aids of the third-party bundles, megabytes of their source
  text, never loaded by a page;
- the few third-party files listed in :data:`PATCHES`, served with an external reference
  replaced. ReDoc's bundle draws the Redocly logo from Redocly's own server in its side menu;
  here it draws a transparent one-pixel image instead (the URL is matched by its path, whatever
  host a release names). The package's file stays as installed: the patched
  copy is written under ``DATA_DIR/static-patched`` (named by the source's hash) and both
  ``collectstatic`` and whitenoise (which serves straight from the finders) read that copy.

``tests/core/test_offline.py`` greps every static file and every served page for external
references; an upgrade of a bundle that moves the patched text makes it fail.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import AppDirectoriesFinder
from django.core.files.storage import FileSystemStorage

# A transparent 1×1 GIF: what an <img> shows instead of a logo from another server.
BLANK_IMAGE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

#: Per static file: (regular expression of the external reference, replacement).
PATCHES: dict[str, list[tuple[str, str]]] = {
    "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js": [
        (r"https://[A-Za-z0-9.-]+/redoc/logo-mini\.svg", BLANK_IMAGE),
    ],
}
SKIPPED_SUFFIXES = (".map",)


def patched_root() -> Path:
    return Path(settings.DATA_DIR) / "static-patched"


def patched_copy(path: str, source: str) -> Path:
    """The patched copy of the static file ``path`` whose original is at ``source``."""
    original = Path(source).read_bytes()
    digest = hashlib.sha256(original).hexdigest()[:16]
    target = patched_root() / digest / path
    if not target.exists():
        text = original.decode("utf-8")
        for pattern, new in PATCHES[path]:
            text = re.sub(pattern, new, text)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)  # atomic: concurrent workers write the same bytes
    return target


class OfflineAppDirectoriesFinder(AppDirectoriesFinder):
    """``AppDirectoriesFinder`` without source maps and with :data:`PATCHES` applied."""

    def list(self, ignore_patterns: Any) -> Any:
        for path, storage in super().list(ignore_patterns):
            if path.endswith(SKIPPED_SUFFIXES):
                continue
            if path in PATCHES:
                copy = patched_copy(path, storage.path(path))
                yield path, FileSystemStorage(location=str(copy.parents[len(Path(path).parts) - 1]))
                continue
            yield path, storage

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if "all" in kwargs:  # the pre-5.2 spelling
            find_all = kwargs.pop("all")
        if path.endswith(SKIPPED_SUFFIXES):
            return []  # what Django's finders answer for "not found"
        found: Any = super().find(path, find_all=find_all, **kwargs)  # type: ignore[call-overload]
        if path in PATCHES and found:
            if find_all:
                return [str(patched_copy(path, f)) for f in found]
            return str(patched_copy(path, found))
        return found
