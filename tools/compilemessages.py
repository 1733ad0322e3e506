"""Compile every ``locale/*/LC_MESSAGES/django.po`` under ``src/baomi`` to ``.mo`` with polib
(no GNU gettext needed on the machine). ``--check`` fails on untranslated or fuzzy entries
(STYLE 2.7) instead of compiling."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "baomi"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    problems = 0
    for po_path in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        if check:
            for entry in po:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags or not entry.translated():
                    print(f"{po_path.relative_to(ROOT)}: untranslated or fuzzy: {entry.msgid!r}")
                    problems += 1
        else:
            po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
