"""Custom lint for the secure path (STYLE 2.11), in the manner of Zulip's custom_check.

Rules (each with a message; good/bad examples in docs/architecture.md):
  R1 no ``.objects.`` queries in views, api, cli or forms modules: call selectors, which call
     ``access.visible`` (bad: ``Carrier.objects.filter(...)`` in views.py).
  R2 no ``.save()`` / ``.delete()`` / ``.update(`` / ``bulk_create`` / ``bulk_update`` on domain
     models outside ``services.py`` (and migrations, demo loaders, tests, factories): services are
     the only writers.
  R3 no writes of ``AuditEntry`` outside ``audit/``: call ``audit.record``.
Exit 1 when any rule fails, listing file:line and the rule.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "baomi"
THIN = {"views.py", "api.py", "cli.py", "forms.py"}
WRITE = re.compile(
    r"\.(save|delete)\(|\.update\(|\bbulk_(create|update)\(|\.objects\.create\(|get_or_create\(|update_or_create\("
)
QUERY = re.compile(r"\b[A-Z]\w*\.objects\b")
# Modules that are allowed to write: the services themselves, the audit writer, infrastructure.
WRITERS = {
    "models.py",
    "services.py",
    "record.py",
    "jobs.py",
    "demo.py",
    "bootstrap.py",
    "api_auth.py",
    "storage.py",
}
ALLOW = "# lint: allow"


def check() -> list[str]:
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if "migrations" in rel.parts:
            continue
        name = path.name
        is_thin = name in THIN or "views" in rel.parts or "api" in rel.parts
        for no, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if ALLOW in line or not code.strip():
                continue
            if is_thin and QUERY.search(code):
                problems.append(f"{rel}:{no}: R1 query in a thin module; use a selector")
            if (
                WRITE.search(code)
                and name not in WRITERS
                and not name.startswith("services")
                and "services" not in rel.parts
            ):
                if "cache" in code or "session" in code or "request." in code:
                    continue
                problems.append(f"{rel}:{no}: R2 model write outside services")
            if "AuditEntry(" in code and rel.parts[0] != "audit":
                problems.append(f"{rel}:{no}: R3 audit write outside audit/")
    return problems


def main() -> int:
    problems = check()
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
