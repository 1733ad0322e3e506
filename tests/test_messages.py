"""The message-catalogue check (tools/compilemessages.py --check, STYLE 2.7): every string
translated, no fuzzy entry, placeholders and tags kept — and the real catalogues pass."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("compilemessages", ROOT / "tools" / "compilemessages.py")
assert _spec and _spec.loader
tool = importlib.util.module_from_spec(_spec)
sys.modules["compilemessages"] = tool
_spec.loader.exec_module(tool)


def entry(msgid: str, msgstr: str, *, fuzzy: bool = False, obsolete: bool = False) -> polib.POEntry:
    e = polib.POEntry(msgid=msgid, msgstr=msgstr, obsolete=obsolete)
    if fuzzy:
        e.flags.append("fuzzy")
    return e


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Saved.", "已保存。"),
        ("{n} carriers", "{n} 件载体"),
        ("%(name)s signed", "%(name)s 已签收"),
        ("Due on %s", "%s 到期"),
        ("100%% done", "全部完成"),
        ("<strong>{n}</strong> due", "<strong>{n}</strong> 项到期"),
    ],
)
def test_good_entries_pass(msgid, msgstr):
    assert tool.entry_problems(entry(msgid, msgstr)) == []


@pytest.mark.parametrize(
    ("e", "problem"),
    [
        (entry("Saved.", ""), "untranslated"),
        (entry("Saved.", "已保存。", fuzzy=True), "fuzzy"),
        (entry("{n} carriers", "{count} 件载体"), "placeholders"),
        (entry("{n} carriers", "若干载体"), "placeholders"),
        (entry("%(name)s signed", "%(nom)s 已签收"), "placeholders"),
        (entry("<strong>{n}</strong> due", "{n} 项到期"), "tags"),
    ],
)
def test_bad_entries_fail(e, problem):
    problems = tool.entry_problems(e)
    assert problems and problem in " ".join(problems).lower().replace("html tags", "tags")


def test_obsolete_entries_are_ignored():
    assert tool.entry_problems(entry("Gone", "", obsolete=True)) == []


def test_plural_entries_are_checked():
    e = polib.POEntry(msgid="{n} item", msgid_plural="{n} items", msgstr_plural={0: "{n} 项"})
    assert tool.entry_problems(e) == []
    e = polib.POEntry(msgid="{n} item", msgid_plural="{n} items", msgstr_plural={0: "若干项"})
    assert tool.entry_problems(e)


def test_check_and_compile_a_catalogue(tmp_path, capsys):
    po_dir = tmp_path / "app" / "locale" / "zh_Hans" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(entry("Saved.", "已保存。"))
    po.save(str(po_dir / "django.po"))
    assert tool.main(["--check", "--root", str(tmp_path)]) == 0
    assert tool.main(["--root", str(tmp_path)]) == 0
    assert (po_dir / "django.mo").exists()
    po.append(entry("Lost.", ""))
    po.save(str(po_dir / "django.po"))
    assert tool.main(["--check", "--root", str(tmp_path)]) == 1
    assert "Lost." in capsys.readouterr().out


def test_the_real_catalogues_pass(capsys):
    """Every catalogue of src/baomi is complete (the same check as `make lint`)."""
    assert tool.main(["--check"]) == 0, capsys.readouterr().out
