"""Custom lint for the secure path (STYLE 2.11), in the manner of Zulip's custom_check.

It reads every module of ``src/baomi`` with :mod:`ast` (not regular expressions, so strings,
comments and docstrings never trigger it) and enforces three rules:

R1 — no model queries in thin modules. ``views.py``, ``api.py``, ``cli.py``, ``forms.py``,
     ``filters.py``, the ``views/``, ``api/`` and ``management/`` packages and templatetags
     call selectors, which call ``access.policy.visible``.
       bad:  ``Carrier.objects.filter(custodian=request.user)``  (in views.py)
       good: ``selectors.carriers_for(request.user)``
R2 — no model writes outside services. ``.save()``, ``.delete()``, ``bulk_create``,
     ``bulk_update``, ``get_or_create``, ``update_or_create``, ``.objects.create(...)`` and
     ``.update(...)`` on a queryset are allowed only in ``services.py`` (or a ``services/``
     package), migrations and the few infrastructure modules in ``WRITERS``.
       bad:  ``carrier.save()`` or ``form.save()`` in views.py;
             ``Carrier.objects.filter(pk=pk).update(status="x")`` in selectors.py
       good: ``services.return_carrier(request.user, carrier)``
R3 — no audit writes outside ``audit/``: ``AuditEntry(...)`` or ``AuditEntry.objects.*``
     writes elsewhere. Call ``baomi.audit.record.record(...)``.
       bad:  ``AuditEntry.objects.create(event=...)`` in carriers/services.py
       good: ``record(actor, AuditEvent.CARRIER_LENT, carrier)``

A line may opt out with ``# lint: allow (<reason>)``; the reason is required.

Usage: ``python tools/lint_secure.py [--root DIR] [FILE ...]``; exit 1 when any rule fails,
listing ``file:line: rule message``. Tests: ``tests/test_lint_secure.py``.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "baomi"

THIN_FILES = {"views.py", "api.py", "cli.py", "forms.py", "filters.py", "nav.py", "dashboard.py"}
THIN_DIRS = {"views", "api", "management", "templatetags"}
# Modules (besides services) allowed to write models: the audit writer, model methods that
# override save(), infrastructure that owns its own table, and demo/bootstrap loaders.
WRITERS = {
    "models.py",
    "record.py",
    "jobs.py",
    "demo.py",
    "bootstrap.py",
    "api_auth.py",
    "storage.py",
    "seal.py",
}
MANAGER_ATTRS = {"objects", "_default_manager", "_base_manager"}
ALWAYS_WRITE = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSET_METHODS = {
    "filter", "exclude", "all", "select_for_update", "select_related", "prefetch_related", "order_by",
    "only", "defer", "annotate", "none", "using",
}  # fmt: skip
# Receivers whose save()/delete()/update() are not model writes.
NOT_MODELS = re.compile(
    r"(^|\.)(session|cache|caches\[\]|storage|default_storage|h|hasher|digest|mac|file|fh|f|wb|workbook|book|"
    r"canvas|pdf|writer|doc|document|buf|buffer|image|img|zf|zipfile|tar)$"
)
ALLOW = re.compile(r"#\s*lint:\s*allow\b(?P<reason>.*)$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule} {self.message}"


def _dotted(node: ast.AST) -> str:
    """``a.b.c`` for a chain of names and attributes; calls appear as ``name()``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{_dotted(node.func)}()"
    if isinstance(node, ast.Subscript):
        return f"{_dotted(node.value)}[]"
    return "?"


def _chain_has_manager(node: ast.AST) -> bool:
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr in MANAGER_ATTRS:
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return False


def _looks_like_queryset(node: ast.AST) -> bool:
    """A receiver that is a queryset: a manager chain, a queryset method call, or a name like
    ``qs``/``queryset``/``*_qs``."""
    if _chain_has_manager(node):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in QUERYSET_METHODS
    if isinstance(node, ast.Name):
        return node.id in {"qs", "queryset"} or node.id.endswith(("_qs", "_queryset"))
    return False


def _kind(path: Path) -> tuple[bool, bool, bool]:
    """(thin module, allowed writer, inside audit/) for a path relative to src/baomi."""
    parts = path.parts
    name = path.name
    thin = name in THIN_FILES or bool(THIN_DIRS & set(parts[:-1]))
    writer = (
        name in WRITERS or name.startswith("services") or "services" in parts[:-1] or "migrations" in parts
    )
    return thin, writer, bool(parts) and parts[0] == "audit"


def check_source(source: str, rel: Path) -> list[Problem]:
    """Check one module's source; ``rel`` is its path relative to ``src/baomi``."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [Problem(str(rel), exc.lineno or 0, "E0", f"cannot parse: {exc.msg}")]
    lines = source.splitlines()
    thin, writer, in_audit = _kind(rel)
    problems: list[Problem] = []

    def allowed(lineno: int) -> bool:
        line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
        m = ALLOW.search(line)
        if not m:
            return False
        if not m["reason"].strip(" -:()"):
            problems.append(Problem(str(rel), lineno, "R0", "`# lint: allow` needs a reason in parentheses"))
        return True

    def add(node: ast.AST, rule: str, message: str) -> None:
        lineno = getattr(node, "lineno", 0)
        if not allowed(lineno):
            problems.append(Problem(str(rel), lineno, rule, message))

    for node in ast.walk(tree):
        if thin and isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRS:
            add(node, "R1", f"query `{_dotted(node)}` in a thin module; use a selector")
        if isinstance(node, ast.Call):
            for problem in _call_problems(node, writer, in_audit):
                add(node, *problem)
    return sorted(set(problems), key=lambda p: (p.line, p.rule))


def _call_problems(node: ast.Call, writer: bool, in_audit: bool) -> Iterator[tuple[str, str]]:
    func = node.func
    # R3: constructing or writing AuditEntry outside audit/.
    if not in_audit:
        if isinstance(func, ast.Name) and func.id == "AuditEntry":
            yield "R3", "`AuditEntry(...)` outside audit/; call audit.record.record()"
        if (
            isinstance(func, ast.Attribute)
            and _dotted(func).startswith("AuditEntry.")
            and func.attr in {"create", "update", "delete", "save", *ALWAYS_WRITE}
        ):
            yield "R3", f"`{_dotted(func)}` outside audit/; call audit.record.record()"
    if writer or not isinstance(func, ast.Attribute):
        return
    receiver = func.value
    name = func.attr
    dotted = _dotted(receiver)
    if name in ALWAYS_WRITE:
        yield "R2", f"`.{name}()` outside services"
    elif name == "create" and _chain_has_manager(receiver):
        yield "R2", f"`{dotted}.create()` outside services"
    elif name == "update" and _looks_like_queryset(receiver):
        yield "R2", f"`{dotted}.update()` outside services"
    elif name in {"save", "delete"} and not NOT_MODELS.search(dotted) and not _is_builtin_receiver(receiver):
        yield "R2", f"`{dotted}.{name}()` outside services"


def _is_builtin_receiver(node: ast.AST) -> bool:
    # {}.update / [].x / "".x / super().save() inside models.py is covered by WRITERS.
    return isinstance(node, ast.Dict | ast.List | ast.Set | ast.Constant)


def iter_modules(root: Path) -> Iterator[Path]:
    yield from sorted(root.rglob("*.py"))


def check(root: Path = SRC, files: list[Path] | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for path in files or list(iter_modules(root)):
        rel = path.resolve().relative_to(root.resolve())
        if "migrations" in rel.parts:
            continue
        problems.extend(check_source(path.read_text(encoding="utf-8"), rel))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=SRC, help="the package to check (src/baomi)")
    parser.add_argument("files", nargs="*", type=Path, help="only these files (pre-commit passes them)")
    ns = parser.parse_args(argv)
    root = ns.root
    files = [f for f in ns.files if f.suffix == ".py" and root.resolve() in f.resolve().parents] or None
    if ns.files and files is None:
        return 0  # pre-commit passed only files outside the package
    problems = check(root, files)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
