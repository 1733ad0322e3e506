"""The WSGI entry point (gunicorn ``baomi.wsgi:application``).

The blob store is checked before the first request (``baomi.vault.storage.startup_check``):
wrong object-store credentials, a missing bucket or an untrusted certificate stop the worker
with one clear message in the log, instead of a failed upload or download on every request.
"""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baomi.settings")
application = get_wsgi_application()


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
