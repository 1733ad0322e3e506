"""``baomi check --deploy``: is this installation fit for production? (issue 19, SEC-6, SEC-8)

Django's own deployment checks (``manage.py check --deploy``) plus baomi's:

- the key files exist outside the data directory, readable only by the service user (the user
  running the check: ``sudo -u baomi baomi check --deploy``), and the secret key is not the
  development one (ARCHITECTURE "Three rules" 3);
- cookies are secure behind a TLS proxy whose ``X-Forwarded-Proto`` is trusted;
- the accreditation ceiling is set explicitly (SEC-8); above 工作秘密 it is a warning: only an
  accredited 涉密信息系统 may hold state secrets;
- demo mode is off and no demo data is loaded; DEBUG is off; host names are set;
- every migration is applied;
- the audit sealer runs (a successful ``audit_seal`` run and no entry left unsealed for longer
  than ``BAOMI_DEPLOY_SEAL_MAX_MINUTES``, 10) — the scheduler service is up;
- a backup was made within ``BAOMI_BACKUP_MAX_AGE_HOURS`` (26): the audit trail's last
  ``BACKUP_CREATED`` entry.

The report is Chinese, one line per check (通过 / 警告 / 未通过) with what to do; the exit status
is 1 when any check fails (warnings do not fail). Django's errors and its security warnings
fail, except the two that the documented nginx site answers (HSTS, HTTP→HTTPS redirect) when
the proxy is trusted; its other warnings (an app's API documentation, say) are warnings here.
Tested by ``tests/core/test_deploy_check.py``.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PASS, WARN, FAIL = "pass", "warn", "fail"
DEV_SECRET_KEY = "baomi-insecure-development-key-not-for-production"  # noqa: S105 (the known one)

# Django deployment checks that the nginx site of deploy/ satisfies when baomi sits behind it.
ANSWERED_BY_PROXY = {"security.W004", "security.W008"}


@dataclass(frozen=True)
class Finding:
    status: str
    title: str
    detail: str = ""


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def _django_messages() -> dict[str, str]:
    """Chinese wording of Django's deployment warnings (Django's own text is English only)."""
    return {
        "security.W001": _("SecurityMiddleware is not installed."),
        "security.W002": _("XFrameOptionsMiddleware is not installed."),
        "security.W004": _("SECURE_HSTS_SECONDS is not set (HSTS)."),
        "security.W008": _("SECURE_SSL_REDIRECT is off: HTTP is not redirected to HTTPS."),
        "security.W009": _("The secret key is short or was generated for development."),
        "security.W012": _("The session cookie is not marked Secure."),
        "security.W016": _("The CSRF cookie is not marked Secure."),
        "security.W018": _("DEBUG is on."),
        "security.W019": _("X_FRAME_OPTIONS is not DENY."),
        "security.W020": _("ALLOWED_HOSTS is empty."),
    }


def check_django() -> Iterator[Finding]:
    from django.core import checks

    proxied = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    wording = _django_messages()
    problems = 0
    messages = checks.run_checks(include_deployment_checks=True)
    for message in sorted(messages, key=lambda m: m.id or ""):
        if message.level < checks.WARNING or message.is_silenced():
            continue
        text = wording.get(message.id or "", str(message.msg))
        if message.id in ANSWERED_BY_PROXY and proxied:
            yield Finding(PASS, _("Django {id}: answered by the nginx site").format(id=message.id), text)
            continue
        if message.level < checks.ERROR and not (message.id or "").startswith("security."):
            # Not about the deployment's safety (e.g. an API documentation warning): reported.
            yield Finding(WARN, _("Django {id}").format(id=message.id), text[:300])
            continue
        problems += 1
        yield Finding(FAIL, _("Django {id}").format(id=message.id), text)
    if not problems:
        yield Finding(PASS, _("Django's deployment checks"))


def _key_files() -> list[tuple[str, Path]]:
    keys = [
        (_("master key"), Path(settings.MASTER_KEY_FILE)),
        (_("audit key"), Path(settings.AUDIT_KEY_FILE)),
    ]
    backup_key = getattr(settings, "BACKUP_KEY_FILE", None)
    if backup_key is not None:
        keys.append((_("backup key"), Path(backup_key)))
    secret = getattr(settings, "SECRET_KEY_FILE", None)
    if secret is not None:  # None: the secret comes from BAOMI_SECRET_KEY
        keys.append((_("secret key"), Path(secret)))
    return keys


def check_keys() -> Iterator[Finding]:
    data_dirs = [Path(settings.DATA_DIR), Path(settings.BLOB_DIR)]
    uid = os.geteuid()
    for label, path in _key_files():
        if not path.exists():
            if path == Path(getattr(settings, "BACKUP_KEY_FILE", "")):
                hint = _("{path} is missing: the first baomi backup makes it.").format(path=path)
            else:
                hint = _("{path} is missing: run baomi keys init.").format(path=path)
            yield Finding(FAIL, _("Key file: {key}").format(key=label), hint)
            continue
        problems = []
        if any(_inside(path, d) for d in data_dirs):
            problems.append(_("it is inside the data directory; keep keys on another volume"))
        st = path.stat()
        if st.st_mode & 0o077:
            problems.append(
                _("mode {mode:o}: other users can read it (chmod 600)").format(mode=stat.S_IMODE(st.st_mode))
            )
        if st.st_uid != uid:
            problems.append(_("it is not owned by the service user running this check"))
        directory = path.parent.stat()
        if directory.st_mode & 0o077:
            problems.append(
                _("its directory has mode {mode:o} (chmod 700)").format(mode=stat.S_IMODE(directory.st_mode))
            )
        if problems:
            yield Finding(FAIL, _("Key file: {key}").format(key=label), f"{path}: " + "; ".join(problems))
        else:
            yield Finding(PASS, _("Key file: {key}").format(key=label), str(path))
    if settings.SECRET_KEY == DEV_SECRET_KEY:
        yield Finding(FAIL, _("Secret key"), _("The development secret key is in use: run baomi keys init."))


def check_transport() -> Iterator[Finding]:
    secure = settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    yield Finding(
        PASS if secure else FAIL,
        _("Secure cookies"),
        "" if secure else _("Set BAOMI_SECURE_COOKIES=1: cookies must travel over TLS only."),
    )
    proxied = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    yield Finding(
        PASS if proxied else FAIL,
        _("Behind the TLS proxy"),
        "" if proxied else _("Set BAOMI_TRUST_X_FORWARDED_PROTO=1 behind the nginx site of deploy/nginx."),
    )
    plain = [o for o in settings.CSRF_TRUSTED_ORIGINS if not o.startswith("https://")]
    if plain:
        yield Finding(FAIL, _("Trusted origins"), _("Not HTTPS: {origins}").format(origins=", ".join(plain)))
    local = {"127.0.0.1", "localhost", "*", ""}
    if not [h for h in settings.ALLOWED_HOSTS if h not in local]:
        yield Finding(FAIL, _("Host names"), _("Set BAOMI_ALLOWED_HOSTS to the server's name."))


def check_settings() -> Iterator[Finding]:
    from baomi.core.levels import Level

    if "BAOMI_CEILING" not in os.environ:
        yield Finding(FAIL, _("Accreditation ceiling"),
                      _("BAOMI_CEILING is not set; an ordinary office network: work_secret (SEC-8)."))  # fmt: skip
    elif settings.CEILING != Level.WORK_SECRET:
        yield Finding(WARN, _("Accreditation ceiling"),
                      _("The ceiling is {level}: only an accredited classified information system may hold "
                        "state secrets.").format(level=Level(settings.CEILING).label))  # fmt: skip
    else:
        yield Finding(PASS, _("Accreditation ceiling"), str(Level(settings.CEILING).label))
    if settings.DEMO:
        yield Finding(FAIL, _("Demo mode"), _("BAOMI_DEMO is on: set BAOMI_DEMO=0."))
    else:
        yield Finding(PASS, _("Demo mode"), _("off"))
    if settings.DEBUG:
        yield Finding(FAIL, _("Debug mode"), _("BAOMI_DEBUG is on: set BAOMI_DEBUG=0."))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        yield Finding(WARN, _("Database"), _("SQLite: a production installation uses PostgreSQL."))


def check_database() -> Iterator[Finding]:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    from baomi.core.models import DemoMarker

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        yield Finding(FAIL, _("Database"), _("Cannot connect: {error}").format(error=exc))
        return
    if pending:
        yield Finding(
            FAIL, _("Migrations"), _("{count} not applied: run baomi migrate.").format(count=len(pending))
        )
        return
    yield Finding(PASS, _("Migrations"))
    if DemoMarker.objects.exists():
        yield Finding(FAIL, _("Demo data"), _("The demonstration data is loaded in this database."))


def check_sealer() -> Iterator[Finding]:
    from baomi.audit.models import AuditEntry, AuditPending
    from baomi.core.models import JobRun

    limit = timedelta(minutes=int(os.environ.get("BAOMI_DEPLOY_SEAL_MAX_MINUTES", "10")))
    now = timezone.now()
    last = (
        JobRun.objects.filter(job="audit_seal", ok=True)
        .order_by("-finished_at")
        .values("finished_at")
        .first()
    )
    if last is None or last["finished_at"] is None or now - last["finished_at"] > limit:
        when = timezone.localtime(last["finished_at"]).strftime("%Y-%m-%d %H:%M") if last else _("never")
        yield Finding(FAIL, _("Audit sealer"),
                      _("The last successful seal: {when}. Start the scheduler (baomi-scheduler.service).")
                      .format(when=when))  # fmt: skip
        return
    oldest = AuditPending.objects.order_by("entry_id").values_list("entry_id", flat=True).first()
    if oldest is not None:
        entry_time = AuditEntry.objects.filter(pk=oldest).values_list("time", flat=True).first()
        if entry_time is not None and now - entry_time > limit:
            yield Finding(FAIL, _("Audit sealer"), _("Entries have waited more than {minutes} minutes to be sealed.")
                          .format(minutes=int(limit.total_seconds() // 60)))  # fmt: skip
            return
    yield Finding(PASS, _("Audit sealer"))


def check_backups() -> Iterator[Finding]:
    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry

    hours = int(os.environ.get("BAOMI_BACKUP_MAX_AGE_HOURS", "26"))
    since = timezone.now() - timedelta(hours=hours)
    recent = AuditEntry.objects.filter(event=AuditEvent.BACKUP_CREATED, outcome="ok").order_by("-id")
    # A copy of the keys alone (baomi backup-keys) is not a backup of the data.
    last = next(
        (t for t, d in recent.values_list("time", "details")[:50] if not (d or {}).get("keys_only")), None
    )
    if last is None or last < since:
        when = timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else _("never")
        yield Finding(FAIL, _("Backups"),
                      _("The last backup: {when} (more than {hours} hours ago). Enable baomi-backup.timer.")
                      .format(when=when, hours=hours))  # fmt: skip
        return
    yield Finding(PASS, _("Backups"), timezone.localtime(last).strftime("%Y-%m-%d %H:%M"))


CHECKS: list[Callable[[], Iterator[Finding]]] = [
    check_django,
    check_keys,
    check_transport,
    check_settings,
    check_database,
    check_sealer,
    check_backups,
]


def run() -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check())
    return findings


def report(findings: list[Finding], out: TextIO) -> int:
    """Print the Chinese report; return the exit status (1 when anything failed)."""
    marks = {PASS: _("PASS"), WARN: _("WARNING"), FAIL: _("FAILED")}
    print(_("baomi deployment check"), file=out)
    for finding in findings:
        line = f"[{marks[finding.status]}] {finding.title}"
        print(line + (f": {finding.detail}" if finding.detail else ""), file=out)
    failed = sum(1 for f in findings if f.status == FAIL)
    warned = sum(1 for f in findings if f.status == WARN)
    if failed:
        print(_("{failed} checks failed, {warned} warnings: not ready for production.").format(
            failed=failed, warned=warned), file=out)  # fmt: skip
        return 1
    print(_("All checks passed ({warned} warnings).").format(warned=warned), file=out)
    return 0


def main(argv: list[str], out: Any = None) -> int:
    return report(run(), out or sys.stdout)
