"""The audit chain (SEC-3): same-transaction entries, sealing, and tamper detection by verify."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from baomi.access.errors import AccessDenied
from baomi.audit import chain
from baomi.audit.events import AuditEvent
from baomi.audit.models import AppendOnlyError, AuditEntry, AuditPending, AuditSeal
from baomi.audit.record import record
from baomi.kit.service import service

pytestmark = pytest.mark.django_db


def _write(n: int, actor=None) -> list[AuditEntry]:
    return [
        record(
            actor,
            AuditEvent.SETTING_CHANGED,
            ("core.setting", i, f"设置 {i}"),
            details={"i": i, "说明": "测试"},
        )
        for i in range(n)
    ]


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _seq_of(entry: AuditEntry) -> int:
    return AuditSeal.objects.get(entry_id=entry.pk).seq


def test_record_queues_the_entry_and_the_sealer_chains_it_in_order():
    """SEC-3: record() leaves the entry pending; seal_pending() gives it the next sequence number."""
    entries = _write(3)
    assert set(AuditPending.objects.values_list("entry_id", flat=True)) >= {e.pk for e in entries}
    chain.seal_pending()
    assert not AuditPending.objects.exists()
    seqs = [_seq_of(e) for e in entries]
    assert seqs == sorted(seqs) and seqs[-1] - seqs[0] == 2
    result = chain.verify()
    assert result.ok, result.findings
    assert result.head_seq == AuditSeal.objects.count()


def test_rolled_back_change_leaves_no_entry():
    """SEC-3: the entry commits in the transaction of the change, or not at all."""
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(None, AuditEvent.SETTING_CHANGED, ("core.setting", "x", "x"))
        raise RuntimeError("the change fails")
    assert AuditEntry.objects.count() == before
    assert chain.verify().ok


def test_denial_survives_the_rollback_of_the_refused_change():
    """SEC-3: @service writes ACCESS_DENIED after rollback; the refused change's entry is gone."""

    @service
    def refused(actor):
        record(actor, AuditEvent.SETTING_CHANGED, ("core.setting", "y", "y"))
        raise AccessDenied(action="change", target=("core.setting", "y", "y"))

    with pytest.raises(AccessDenied):
        refused(None)
    events = list(AuditEntry.objects.filter(target_id="y").values_list("event", "outcome"))
    assert events == [(AuditEvent.ACCESS_DENIED, "denied")]
    assert chain.verify().ok


def test_the_orm_refuses_changes():
    """SEC-3: entries and seals cannot be updated or deleted through the ORM."""
    (entry,) = _write(1)
    chain.seal_pending()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_name="x")
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.all().delete()


def test_altered_row_is_named_by_its_sequence_number():
    """SEC-3: an entry altered with raw SQL (bypassing the ORM and the trigger) fails verify."""
    entries = _write(5)
    chain.seal_pending()
    victim = entries[2]
    _disable_triggers()
    _raw("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["篡改者", victim.pk])
    result = chain.verify()
    assert not result.ok
    assert result.first.seq == _seq_of(victim)
    assert result.first.problem == chain.Problem.ENTRY_ALTERED


def test_deleted_row_is_named_by_its_sequence_number():
    """SEC-3: deleting an entry (and even its seal) is detected at its sequence number."""
    entries = _write(5)
    chain.seal_pending()
    seq_a, seq_b = _seq_of(entries[1]), _seq_of(entries[3])
    _disable_triggers()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    result = chain.verify()
    assert result.first.seq == seq_a and result.first.problem == chain.Problem.ENTRY_DELETED
    _raw("DELETE FROM audit_auditseal WHERE seq = %s", [seq_a])
    _raw("DELETE FROM audit_auditseal WHERE seq = %s", [seq_b])
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[3].pk])
    result = chain.verify()
    assert result.first.seq == seq_a and result.first.problem == chain.Problem.MISSING
    assert [f.seq for f in result.findings if f.problem == chain.Problem.MISSING] == [seq_a, seq_b]


def test_inserted_forged_row_is_named_by_its_sequence_number():
    """SEC-3: a row inserted bypassing record() has no valid MAC; the sealer chains it as forged."""
    entries = _write(3)
    chain.seal_pending()
    seq, _ = chain.head()
    _raw(
        "INSERT INTO audit_auditentry (time, actor_name, actor_roles, event, target_type, target_id, target_label,"
        " target_level, outcome, channel, request_id, details, mac) VALUES (%s, %s, '', %s, '', '', '', '', 'ok',"
        " 'web', '', '{}', %s)",
        [entries[0].time, "伪造者", int(AuditEvent.LOGIN_SUCCEEDED), "0" * 64],
    )
    result = chain.verify()
    assert result.first.seq == seq + 1 and result.first.problem == chain.Problem.SEALED_BAD


def test_row_that_skipped_the_queue_is_detected():
    """SEC-3: an entry that is neither sealed nor waiting to be sealed is reported by its number."""
    _write(2)
    chain.seal_pending()
    forged = _write(1)[0]
    _disable_triggers()
    _raw("DELETE FROM audit_auditpending WHERE entry_id = %s", [forged.pk])
    result = chain.verify()
    assert result.first.problem == chain.Problem.UNCHAINED and result.first.entry_id == forged.pk


def test_altered_unsealed_entry_is_detected_in_the_window():
    """SEC-3: within the window (committed, not sealed) the entry's own MAC detects alteration."""
    _write(2)
    chain.seal_pending()
    (victim,) = _write(1)
    _disable_triggers()
    _raw("UPDATE audit_auditentry SET outcome = 'denied' WHERE id = %s", [victim.pk])
    result = chain.verify(seal_first=False)
    assert result.first.problem == chain.Problem.PENDING_ALTERED and result.first.entry_id == victim.pk
    seq, _ = chain.head()
    result = chain.verify()  # sealing it records the finding in the chain for good
    assert result.first.seq == seq + 1 and result.first.problem == chain.Problem.SEALED_BAD


def test_forged_seal_is_detected():
    """SEC-3: a seal inserted into the chain without the key breaks the chain MAC at its number."""
    entries = _write(2)
    chain.seal_pending()
    extra = _write(1)[0]
    seq, _ = chain.head()
    AuditSeal(seq=seq + 1, entry_id=extra.pk, sealed_at=extra.time, state="ok", mac="ab" * 32).save(
        force_insert=True
    )
    AuditPending.objects.filter(entry_id=extra.pk).delete()
    result = chain.verify()
    assert result.first.seq == seq + 1 and result.first.problem == chain.Problem.SEAL_INVALID
    assert entries


def test_truncation_is_detected_by_the_checkpoint():
    """SEC-3: deleting the newest entries and seals leaves a valid-looking chain; the checkpoint catches it."""
    _write(4)
    cp = chain.checkpoint_now()
    assert chain.verify(cp).ok
    _disable_triggers()
    _raw(
        "DELETE FROM audit_auditentry WHERE id IN (SELECT entry_id FROM audit_auditseal WHERE seq >= %s)",
        [cp.seq - 1],
    )
    _raw("DELETE FROM audit_auditseal WHERE seq >= %s", [cp.seq - 1])
    assert chain.verify().ok  # without a checkpoint the shorter chain is self-consistent
    result = chain.verify(chain.Checkpoint.from_json(cp.as_json()))
    assert result.first.seq == cp.seq - 1 and result.first.problem == chain.Problem.TRUNCATED


def test_checkpoint_file_is_signed():
    """SEC-3: an edited checkpoint file is refused, not trusted."""
    _write(1)
    text = chain.checkpoint_now().as_json().replace('"seq": ', '"seq": 1')
    with pytest.raises(ValueError):
        chain.Checkpoint.from_json(text)
    with pytest.raises(ValueError):
        chain.Checkpoint.from_json("not json")


def _disable_triggers() -> None:
    """What an attacker with the table owner's rights could do on PostgreSQL."""
    if connection.vendor == "postgresql":
        for table in ("audit_auditentry", "audit_auditseal", "audit_auditpending"):
            _raw(f"ALTER TABLE {table} DISABLE TRIGGER USER", [])


def test_addresses_round_trip_and_garbage_is_dropped():
    """SEC-3: IPv6 and mapped addresses verify after the database normalised them; a header that
    is no address is recorded as none instead of breaking the audited change."""
    from baomi.audit.context import audit_context

    for raw, stored in [("2001:DB8:0:0::1", "2001:db8::1"), ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
                        ("192.0.2.9", "192.0.2.9"), ("not-an-ip", None)]:  # fmt: skip
        with audit_context("web", raw):
            entry = record(None, AuditEvent.LOGIN_FAILED, None)
        assert AuditEntry.objects.get(pk=entry.pk).ip == stored
    assert chain.verify().ok
