"""PostgreSQL only: the append-only triggers and the sealer under concurrent writers (SEC-3)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from baomi.audit import chain
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry, AuditPending, AuditSeal
from baomi.audit.record import record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _sql(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


def test_trigger_refuses_update_and_delete_of_entries_and_seals():
    """SEC-3: even raw SQL cannot change or remove an entry or a seal on PostgreSQL."""
    entry = record(None, AuditEvent.SETTING_CHANGED, ("core.setting", "t", "t"))
    chain.seal_pending()
    seq = AuditSeal.objects.get(entry_id=entry.pk).seq
    for sql, params in [
        ("UPDATE audit_auditentry SET actor_name = 'x' WHERE id = %s", [entry.pk]),
        ("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk]),
        ("UPDATE audit_auditseal SET mac = 'x' WHERE seq = %s", [seq]),
        ("DELETE FROM audit_auditseal WHERE seq = %s", [seq]),
    ]:
        with pytest.raises(DatabaseError, match="append-only"):
            _sql(sql, params)
    assert chain.verify().ok


def test_trigger_keeps_unsealed_entries_in_the_queue():
    """SEC-3: a pending row may leave the queue only once its entry is sealed."""
    entry = record(None, AuditEvent.SETTING_CHANGED, ("core.setting", "q", "q"))
    assert AuditPending.objects.filter(entry_id=entry.pk).exists()
    with pytest.raises(DatabaseError, match="not sealed"):
        _sql("DELETE FROM audit_auditpending WHERE entry_id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("UPDATE audit_auditpending SET entry_id = 0 WHERE entry_id = %s", [entry.pk])
    chain.seal_pending()
    assert not AuditPending.objects.filter(entry_id=entry.pk).exists()


def test_concurrent_writers_and_sealers_yield_one_valid_chain():
    """SEC-3: 4 writer threads (each entry in its own transaction, some rolled back) and 2 sealer
    threads running at once produce one gap-free chain holding exactly the committed entries."""
    per_writer = 40
    errors: list[BaseException] = []
    committed: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(w: int) -> None:
        try:
            for i in range(per_writer):
                try:
                    with transaction.atomic():
                        entry = record(None, AuditEvent.SETTING_CHANGED, ("core.setting", f"{w}-{i}", "并发"))
                        if i % 7 == 3:
                            raise RuntimeError("roll back")
                    with lock:
                        committed.append(entry.pk)
                except RuntimeError:
                    pass
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def sealer() -> None:
        try:
            while not stop.is_set():
                chain.seal_pending(batch=7)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    sealers = [threading.Thread(target=sealer) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in sealers + writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in sealers:
        t.join()
    assert not errors, errors
    result = chain.verify()
    assert result.ok, result.findings
    seqs = list(AuditSeal.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    sealed_ids = set(AuditSeal.objects.values_list("entry_id", flat=True))
    assert set(committed) <= sealed_ids
    assert len(committed) == 4 * per_writer - 4 * len([i for i in range(per_writer) if i % 7 == 3])
    assert AuditEntry.objects.filter(target_label="并发").count() == len(committed)
