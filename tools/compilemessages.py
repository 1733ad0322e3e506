"""Compile every ``locale/*/LC_MESSAGES/django.po`` under ``src/baomi`` to ``.mo`` with polib
(no GNU gettext needed on the machine).

``--check`` compiles nothing and fails (exit 1) on (STYLE 2.7):

- an untranslated or fuzzy entry;
- a translation whose placeholders differ from the source's — ``{name}``, ``%(name)s`` or
  ``%s`` — which would raise ``KeyError`` (a 500) or print the wrong value at run time;
- a translation that keeps HTML tags of the source unbalanced (``<strong>`` missing).

Usage: ``python tools/compilemessages.py [--check] [--root DIR]``. Tests:
``tests/test_messages.py``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "baomi"
PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}|%\([a-zA-Z_][a-zA-Z0-9_]*\)[sdrfi]|%[sdrfi]")
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*")


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def tags(text: str) -> Counter[str]:
    return Counter(TAG.findall(text))


def entry_problems(entry: polib.POEntry) -> list[str]:
    """What is wrong with one catalogue entry (empty when it is fine)."""
    if entry.obsolete:
        return []
    if "fuzzy" in entry.flags or not entry.translated():
        return ["untranslated or fuzzy"]
    problems = []
    pairs = [(entry.msgid, entry.msgstr)] if not entry.msgid_plural else [
        (entry.msgid_plural, s) for s in entry.msgstr_plural.values()
    ]  # fmt: skip
    for source, translation in pairs:
        if placeholders(source) != placeholders(translation):
            problems.append(
                f"placeholders differ: {sorted(placeholders(source))} vs {sorted(placeholders(translation))}"
            )
        if tags(source) != tags(translation):
            problems.append("HTML tags differ from the source")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="compile or check the message catalogues")
    parser.add_argument("--check", action="store_true", help="check instead of compiling")
    parser.add_argument("--root", type=Path, default=ROOT)
    ns = parser.parse_args(argv)
    problems = 0
    for po_path in sorted(ns.root.glob("**/locale/*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        if ns.check:
            for entry in po:
                for problem in entry_problems(entry):
                    print(f"{po_path.relative_to(ns.root)}: {problem}: {entry.msgid!r}")
                    problems += 1
        else:
            po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
