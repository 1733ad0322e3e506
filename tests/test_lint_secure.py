"""The secure-path lint (tools/lint_secure.py, STYLE 2.11): each rule with bad and good examples,
and the real code base passes it."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("lint_secure", ROOT / "tools" / "lint_secure.py")
assert _spec and _spec.loader
lint = importlib.util.module_from_spec(_spec)
sys.modules["lint_secure"] = lint  # dataclasses look their module up while the class is built
_spec.loader.exec_module(lint)


def rules(source: str, path: str) -> list[str]:
    return [p.rule for p in lint.check_source(textwrap.dedent(source), Path(path))]


# -- R1: no queries in thin modules ---------------------------------------------------------------

R1_BAD = [
    "Carrier.objects.filter(custodian=request.user)",
    "Carrier.objects.get(pk=pk)",
    "Item._default_manager.all()",
    "qs = models.Carrier.objects",
]


@pytest.mark.parametrize("code", R1_BAD)
@pytest.mark.parametrize("path", ["carriers/views.py", "carriers/api.py", "carriers/cli.py", "carriers/forms.py",
                                  "carriers/views/ledger.py", "carriers/api/viewsets.py",
                                  "carriers/management/commands/x.py", "core/templatetags/tags.py"])  # fmt: skip
def test_r1_flags_queries_in_thin_modules(code, path):
    assert "R1" in rules(code, path)


@pytest.mark.parametrize(
    "code",
    [
        "selectors.carriers_for(request.user)",
        "policy.visible(user, selectors.base(), 'view')",
        "x = 'Carrier.objects.filter()'  # a string is not code",
        "# Carrier.objects.filter() in a comment",
        '"""Carrier.objects.all() in a docstring"""',
    ],
)
def test_r1_accepts_selectors_strings_and_comments(code):
    assert rules(code, "carriers/views.py") == []


def test_r1_does_not_apply_to_selectors_or_services():
    assert rules("Carrier.objects.filter(pk=1)", "carriers/selectors.py") == []
    assert rules("Carrier.objects.filter(pk=1)", "carriers/services.py") == []


# -- R2: no writes outside services ---------------------------------------------------------------

R2_BAD = [
    "carrier.save()",
    "carrier.save(update_fields=['status'])",
    "form.save()",
    "carrier.delete()",
    "Carrier.objects.create(title='x')",
    "Carrier.objects.filter(pk=1).update(status='x')",
    "qs.update(status='x')",
    "carriers_qs.delete()",
    "Carrier.objects.bulk_create([])",
    "Carrier.objects.bulk_update([], ['x'])",
    "Carrier.objects.get_or_create(title='x')",
    "Carrier.objects.update_or_create(title='x')",
    "Item.objects.select_for_update().filter(pk=1).update(level='secret')",
]


@pytest.mark.parametrize("code", R2_BAD)
@pytest.mark.parametrize("path", ["carriers/views.py", "carriers/selectors.py", "carriers/lifecycle.py",
                                  "core/templatetags/tags.py"])  # fmt: skip
def test_r2_flags_writes_outside_services(code, path):
    assert "R2" in rules(code, path)


@pytest.mark.parametrize("code", R2_BAD)
@pytest.mark.parametrize("path", ["carriers/services.py", "carriers/services/loans.py", "carriers/migrations/0002_x.py",
                                  "carriers/demo.py", "carriers/models.py", "audit/record.py", "core/jobs.py"])  # fmt: skip
def test_r2_allows_writes_in_services_and_infrastructure(code, path):
    assert "R2" not in rules(code, path)


@pytest.mark.parametrize(
    "code",
    [
        "request.session.save()",
        "cache.delete('k')",
        "h.update(data)",
        "params.update({'a': 1})",
        "{}.update(a=1)",
        "wb.save(buffer)",
        "default_storage.delete(name)",
        "seen.update(ids)",
    ],
)
def test_r2_ignores_writes_that_are_not_models(code):
    assert "R2" not in rules(code, "carriers/selectors.py")


# -- R3: audit entries only through audit.record ------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "AuditEntry(event=1)",
        "AuditEntry.objects.create(event=1)",
        "AuditEntry.objects.filter(pk=1).update(outcome='ok')",
        "AuditEntry.objects.bulk_create([])",
    ],
)
def test_r3_flags_audit_writes_outside_audit(code):
    assert "R3" in rules(code, "carriers/services.py")
    assert "R3" not in rules(code, "audit/record.py")


def test_r3_allows_reading_the_audit_trail():
    assert rules("AuditEntry.objects.filter(actor_id=1).count()", "audit/selectors.py") == []
    assert "R3" not in rules("AuditEntry.objects.filter(actor_id=1).exists()", "carriers/services.py")


def test_record_is_the_good_path():
    assert rules("record(actor, AuditEvent.CARRIER_LENT, carrier)", "carriers/services.py") == []


# -- opting out ------------------------------------------------------------------------------------


def test_an_allow_comment_with_a_reason_silences_the_line():
    assert rules("carrier.save()  # lint: allow (fixture loader)", "carriers/views.py") == []


def test_an_allow_comment_needs_a_reason():
    assert rules("carrier.save()  # lint: allow", "carriers/views.py") == ["R0"]


def test_unparsable_code_is_reported():
    assert rules("def (:", "carriers/views.py") == ["E0"]


# -- the whole tool --------------------------------------------------------------------------------


def test_the_code_base_passes(capsys):
    """The secure path holds in src/baomi (the same check as `make lint`)."""
    assert lint.main([]) == 0, capsys.readouterr().out


def test_main_reports_file_and_line(tmp_path, capsys):
    pkg = tmp_path / "baomi" / "carriers"
    pkg.mkdir(parents=True)
    (pkg / "views.py").write_text("def v(request):\n    return Carrier.objects.all()\n")
    (pkg / "services.py").write_text("def s(c):\n    c.save()\n")
    assert lint.main(["--root", str(tmp_path / "baomi")]) == 1
    out = capsys.readouterr().out
    assert "carriers/views.py:2: R1" in out
    assert "services.py" not in out


def test_main_checks_only_given_files(tmp_path, capsys):
    pkg = tmp_path / "baomi" / "carriers"
    pkg.mkdir(parents=True)
    bad = pkg / "views.py"
    bad.write_text("Carrier.objects.all()\n")
    ok = pkg / "selectors.py"
    ok.write_text("Carrier.objects.all()\n")
    root = str(tmp_path / "baomi")
    assert lint.main(["--root", root, str(ok)]) == 0
    assert lint.main(["--root", root, str(bad)]) == 1
    assert lint.main(["--root", root, str(tmp_path / "README.md")]) == 0
    capsys.readouterr()
