from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import NotFound

#: ``AccessDenied.reason`` when the object's integrity check failed (CLS-7, R-CRYPTO-5).
INTEGRITY_REASON = "integrity_failed"


class AccessDenied(NotFound):
    """Refused by policy. It subclasses ``NotFound`` so forbidden looks like absent (CAR-3).

    ``target`` and ``action`` are kept for the ACCESS_DENIED audit entry the ``@service``
    decorator writes after rollback.
    """

    code = "not_found"
    status = 404
    default_message = _("Not found.")

    def __init__(self, action: str = "", target: Any = None, reason: str = ""):
        super().__init__()
        self.action = action
        self.target = target
        self.reason = reason
        # Set once an ACCESS_DENIED entry is written (by ``policy.deny`` or ``@service``), so the
        # web and API nets audit a refusal that reached them unaudited exactly once (SEC-3).
        self.audited = False
