"""Record each entry's and seal's MAC scheme, and bind the entry's id into its MAC (SEC-3;
issue 19 §5, issue 11 §4). Rows already written keep ``mac_scheme`` NULL ("legacy") and verify in
their old form.

Entries written before this migration and not yet sealed are sealed now, in their old form, so
that from here on the sealer can treat every entry without a scheme as a copy or a forgery
(sealed ``bad``): otherwise an exact copy of an old entry, inserted under a new id after the
upgrade, would be sealed as intact. Stop the servers and the scheduler before migrating (the
usual upgrade procedure, docs/operations.md); an old process still writing afterwards would
write entries the sealer marks ``bad``. Sealing them needs the audit key: without it the
migration stops and says so.
"""

import hmac
import logging
from pathlib import Path

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

log = logging.getLogger("baomi.audit")

# The legacy forms, frozen here as they were written (chain.py keeps verifying them).
FIELDS = (
    "time", "actor_id", "actor_name", "actor_roles", "event", "target_type", "target_id",
    "target_label", "target_level", "outcome", "ip", "channel", "request_id", "details",
)  # fmt: skip


def seal_legacy_pending(apps, schema_editor):
    from baomi.audit.chain import canonical_row

    Pending = apps.get_model("audit", "AuditPending")
    Entry = apps.get_model("audit", "AuditEntry")
    Seal = apps.get_model("audit", "AuditSeal")
    db = schema_editor.connection.alias
    ids = list(Pending.objects.using(db).order_by("entry_id").values_list("entry_id", flat=True))
    if not ids:
        return
    path = Path(settings.AUDIT_KEY_FILE)
    if not path.exists():
        raise RuntimeError(
            f"{len(ids)} audit entries wait to be sealed and the audit key {path} is missing: restore it "
            f"from the key backup, then migrate again (审计密钥 {path} 缺失, 无法封存待封存的审计记录)."
        )
    key = path.read_bytes()
    digest = "sha256" if settings.CIPHER == "aes" else "sm3"

    def mac(data: bytes) -> str:
        return hmac.digest(key, data, digest).hex()

    last = Seal.objects.using(db).order_by("-seq").values_list("seq", "mac").first()
    seq, previous = (int(last[0]), str(last[1])) if last else (0, mac(b"baomi-audit-genesis"))
    rows = {r[0]: r for r in Entry.objects.using(db).filter(id__in=ids).values_list("id", *FIELDS, "mac")}
    now = timezone.now()
    seals = []
    for entry_id in ids:
        seq += 1
        row = rows.get(entry_id)
        if row is None:
            state, canon = "missing", b""
        else:
            canon = canonical_row(row[1:-1])
            state = "ok" if hmac.compare_digest(mac(canon), row[-1]) else "bad"
        previous = mac(b"%d|%d|%s|%s|%s" % (seq, entry_id, state.encode(), canon, previous.encode()))
        seals.append(Seal(seq=seq, entry_id=entry_id, sealed_at=now, state=state, mac=previous))
    Seal.objects.using(db).bulk_create(seals)
    Pending.objects.using(db).filter(entry_id__in=ids).delete()
    log.warning("sealed %d audit entries in their legacy form before the MAC scheme change", len(ids))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="mac_scheme",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="MAC algorithm"),
        ),
        migrations.AddField(
            model_name="auditseal",
            name="mac_scheme",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="MAC algorithm"),
        ),
        migrations.RunPython(seal_legacy_pending, migrations.RunPython.noop, elidable=False),
    ]
