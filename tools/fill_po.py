"""Fill translations into an app's django.po from ``msgid<TAB>msgstr`` lines on stdin, and list
what is still untranslated.

    .venv/bin/python tools/fill_po.py accounts < translations.tsv
    .venv/bin/python tools/fill_po.py accounts --missing
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

app = sys.argv[1]
path = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "baomi"
    / app
    / "locale"
    / "zh_Hans"
    / "LC_MESSAGES"
    / "django.po"
)
po = polib.pofile(str(path))
if "--missing" in sys.argv:
    for e in po:
        if not e.translated() or "fuzzy" in e.flags:
            print(e.msgid if not e.msgid_plural else f"{e.msgid} | {e.msgid_plural}")
    sys.exit(0)
table = {}
for line in sys.stdin.read().splitlines():
    if "\t" in line:
        k, v = line.split("\t", 1)
        table[k.replace("\\n", "\n")] = v.replace("\\n", "\n")
for e in po:
    if e.msgid in table:
        if e.msgid_plural:
            e.msgstr_plural = {0: table[e.msgid]}
        else:
            e.msgstr = table[e.msgid]
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
po.metadata["Language"] = "zh_Hans"
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
po.save(str(path))
