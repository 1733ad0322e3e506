"""Written notices (R-SCOPE-4): acknowledgement."""

from __future__ import annotations

from django.utils import timezone

from baomi.access.policy import require
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification.models import Notice
from baomi.kit.service import service


@service
def acknowledge_notice(actor: User, notice: Notice) -> Notice:
    """The recipient confirms receipt: the proof of delivery (R-SCOPE-4). Idempotent.

    *Requires* ``acknowledge``. *Audits* NOTICE_ACKNOWLEDGED.
    """
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    require(actor, "acknowledge", notice)
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.save(update_fields=["acknowledged_at"])
        record(actor, AuditEvent.NOTICE_ACKNOWLEDGED, notice, details={"item": notice.item_id})
    return notice
