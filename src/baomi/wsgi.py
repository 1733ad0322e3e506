"""The WSGI entry point (gunicorn ``baomi.wsgi:application``).

The blob store is checked before the first request (``baomi.vault.storage.startup_check``):
wrong object-store credentials, a missing bucket or an untrusted certificate stop the worker
with one clear message in the log, instead of a failed upload or download on every request.
Before the first request the key files are checked (SEC-3, SEC-4, ops/keyfiles.py): a key that
data depends on being missing stops the server with a message naming the file and its backup —
never a silently new key. Under gunicorn the exception makes the worker fail to boot, and the
arbiter stops ("Worker failed to boot"), with the message in the log.
"""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
application = get_wsgi_application()


def _check_keys() -> None:
    from django.db import connections

    from baomi.ops.keyfiles import require_keys

    try:
        require_keys(server=True)
    finally:
        connections.close_all()  # no connection inherited by forked workers


_check_keys()


def _check_blob_store() -> None:
    from baomi.vault import storage
    from baomi.vault.errors import VaultError

    try:
        storage.startup_check()
    except VaultError as exc:
        sys.stderr.write(f"baomi: {exc}\n")  # startup_check put the English reason in brackets
        sys.stderr.flush()
        raise SystemExit(3) from None  # gunicorn: a worker that cannot boot stops the server


_check_blob_store()
