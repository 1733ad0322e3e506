"""The audit chain (SEC-3): canonical form, MACs, the sealer, verify and checkpoints.

Design (docs/audit.md): ``record()`` inserts the entry with its own MAC and a pending row in the
transaction of the change it audits — no shared row is locked, so audited writes run in
parallel. One sealer at a time (the ``audit_seal`` job every minute, and ``verify``/``checkpoint``
on demand) takes the pending entries in order and appends their seals::

    entry.mac = HMAC(k, canonical(entry))
    seal.mac  = HMAC(k, "seq|entry id|state|" ‖ canonical(entry) ‖ "|" ‖ previous seal.mac)

``verify()`` recomputes both for every entry, checks that sequence numbers run without gaps, that
every entry is sealed or pending, and that an exported checkpoint (seq, MAC) still matches.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.audit.models import AuditEntry, AuditPending, AuditSeal
from baomi.core import keys

log = logging.getLogger("baomi.audit")

MAC_FIELDS = (
    "time", "actor_id", "actor_name", "actor_roles", "event", "target_type", "target_id",
    "target_label", "target_level", "outcome", "ip", "channel", "request_id", "details",
)  # fmt: skip
SEAL_BATCH = 2000
# Any constant works; it names the PostgreSQL advisory lock that lets one sealer run at a time.
SEAL_LOCK = 0x62616F6D69  # "baomi"
CHECKPOINT_FORMAT = "baomi-audit-checkpoint/1"


def _json_default(value: Any) -> str:
    return str(value)


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default)


def canonical_row(values: Sequence[Any]) -> bytes:
    """The bytes an entry's MAC covers: every field but the MAC, as a compact JSON array in the
    order of MAC_FIELDS; the time as UTC ISO text, the details with sorted keys."""
    row = list(values)
    when = row[0]
    if when.utcoffset():
        when = when.astimezone(UTC)
    row[0] = when.isoformat(timespec="microseconds")
    return _ENCODER.encode(row).encode()


def canonical(entry: AuditEntry) -> bytes:
    return canonical_row([getattr(entry, name) for name in MAC_FIELDS])


def entry_mac(canon: bytes) -> str:
    return keys.mac(canon)


def genesis_mac() -> str:
    """The "previous MAC" of sequence number 1: ties the chain's start to the audit key."""
    return keys.mac(b"baomi-audit-genesis")


def seal_mac(seq: int, entry_id: int, state: str, canon: bytes, previous: str) -> str:
    return keys.mac(b"%d|%d|%s|%s|%s" % (seq, entry_id, state.encode(), canon, previous.encode()))


# --- sealing -------------------------------------------------------------------------------------


def head() -> tuple[int, str]:
    """The last seal: (sequence number, chain MAC); (0, genesis) for an empty chain."""
    row = AuditSeal.objects.order_by("-seq").values_list("seq", "mac").first()
    return (int(row[0]), str(row[1])) if row else (0, genesis_mac())


def _lock() -> None:
    # SQLite: the transaction is BEGIN IMMEDIATE and holds the database's write lock already.
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])


def _seal_batch(limit: int) -> int:
    with transaction.atomic():
        _lock()
        ids = list(AuditPending.objects.order_by("entry_id").values_list("entry_id", flat=True)[:limit])
        if not ids:
            return 0
        seq, previous = head()
        rows = {
            row[0]: row
            for row in AuditEntry.objects.filter(id__in=ids).values_list("id", *MAC_FIELDS, "mac").iterator()
        }
        now = timezone.now()
        seals = []
        for entry_id in ids:
            seq += 1
            row = rows.get(entry_id)
            if row is None:
                state, canon = "missing", b""
            else:
                canon = canonical_row(row[1:-1])
                state = "ok" if keys.mac_equal(entry_mac(canon), row[-1]) else "bad"
            if state != "ok":
                log.error("audit entry %s is %s; sealed as such at sequence %s", entry_id, state, seq)
            previous = seal_mac(seq, entry_id, state, canon, previous)
            seals.append(AuditSeal(seq=seq, entry_id=entry_id, sealed_at=now, state=state, mac=previous))
        AuditSeal.objects.bulk_create(seals)  # lint: allow (the sealer appends seals)
        # The sealer's queue, not the trail; on PostgreSQL a trigger lets only sealed rows go.
        AuditPending.objects.filter(entry_id__in=ids).delete()  # lint: allow (the sealer)
        return len(ids)


def seal_pending(*, batch: int = SEAL_BATCH) -> int:
    """Seal every committed pending entry into the chain, in order; return how many.

    Idempotent and safe to run from several processes at once: one sealer at a time holds the
    lock, the others wait and then find less or nothing to do.
    """
    total = 0
    while True:
        done = _seal_batch(batch)
        total += done
        if done < batch:
            return total


# --- verify --------------------------------------------------------------------------------------


class Problem:
    MISSING = "missing"
    ENTRY_DELETED = "entry_deleted"
    ENTRY_ALTERED = "entry_altered"
    SEAL_INVALID = "seal_invalid"
    SEALED_BAD = "sealed_bad"
    UNCHAINED = "unchained"
    PENDING_ALTERED = "pending_altered"
    TRUNCATED = "truncated"
    CHECKPOINT_MISMATCH = "checkpoint_mismatch"


PROBLEM_TEXT = {
    Problem.MISSING: _("sequence number missing: an entry and its seal were deleted"),
    Problem.ENTRY_DELETED: _("the sealed entry was deleted"),
    Problem.ENTRY_ALTERED: _("the entry was altered after it was written"),
    Problem.SEAL_INVALID: _(
        "the chain MAC does not match: a seal was altered, inserted or removed before it"
    ),
    Problem.SEALED_BAD: _("the entry had been altered, forged or deleted before it was sealed"),
    Problem.UNCHAINED: _("the entry is neither sealed nor pending: inserted outside the audit writer"),
    Problem.PENDING_ALTERED: _("an entry waiting to be sealed was altered or forged"),
    Problem.TRUNCATED: _("the chain ends before the checkpoint: entries at its end were deleted"),
    Problem.CHECKPOINT_MISMATCH: _("the chain differs from the checkpoint at its sequence number"),
}


@dataclass(frozen=True)
class Finding:
    problem: str
    seq: int | None = None
    entry_id: int | None = None

    @property
    def text(self) -> str:
        return str(PROBLEM_TEXT[self.problem])

    def as_dict(self) -> dict[str, Any]:
        return {"problem": self.problem, "seq": self.seq, "entry_id": self.entry_id}


@dataclass
class Checkpoint:
    seq: int
    mac: str
    time: str = ""

    def signature(self) -> str:
        return keys.mac(b"checkpoint|%d|%s|%s" % (self.seq, self.mac.encode(), self.time.encode()))

    def as_json(self) -> str:
        data = {"format": CHECKPOINT_FORMAT, "seq": self.seq, "mac": self.mac, "time": self.time,
                "algorithm": keys.algorithm_name(), "signature": self.signature()}  # fmt: skip
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Parse an exported checkpoint; ``ValueError`` when it is not one or not ours."""
        try:
            data = json.loads(text)
            if data.get("format") != CHECKPOINT_FORMAT:
                raise ValueError("not a baomi audit checkpoint")
            cp = cls(seq=int(data["seq"]), mac=str(data["mac"]), time=str(data.get("time", "")))
            signature = str(data["signature"])
        except (TypeError, KeyError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError("not a baomi audit checkpoint") from exc
        if not keys.mac_equal(cp.signature(), signature):
            raise ValueError("the checkpoint's signature does not match this installation's audit key")
        return cp


@dataclass
class VerifyResult:
    checked: int = 0
    pending: int = 0
    head_seq: int = 0
    head_mac: str = ""
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    checkpoint_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def summary(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "pending": self.pending, "head_seq": self.head_seq,
                "checkpoint_seq": self.checkpoint_seq, "findings": [f.as_dict() for f in self.findings[:20]],
                "seconds": round(self.seconds, 3)}  # fmt: skip


MAX_FINDINGS = 100
# entry__mac doubles as "the entry row is there" (NULL from the LEFT JOIN when it was deleted).
_STREAM_FIELDS = ("seq", "state", "mac", "entry_id", "entry__mac", *(f"entry__{f}" for f in MAC_FIELDS))


def _stream() -> Iterator[tuple[Any, ...]]:
    return AuditSeal.objects.order_by("seq").values_list(*_STREAM_FIELDS).iterator(chunk_size=5000)


def _check_seal(row: tuple[Any, ...], previous: str) -> str | None:
    """The problem with one seal row given the previous chain MAC, or None.

    The chain MAC covers the canonical entry, so when it matches the entry is intact too: one
    HMAC per entry. Only on a mismatch is the entry's own MAC computed, to say which was changed.
    """
    seq, state, stored_mac, entry_id, present = row[:5]
    canon = b""
    if present is not None and state != "missing":
        canon = canonical_row(row[5:])
    if state == "ok" and present is None:
        return Problem.ENTRY_DELETED
    if not keys.mac_equal(seal_mac(seq, entry_id, state, canon, previous), stored_mac):
        if state == "ok" and not keys.mac_equal(entry_mac(canon), present):
            return Problem.ENTRY_ALTERED
        return Problem.SEAL_INVALID
    return None if state == "ok" else Problem.SEALED_BAD


def verify(checkpoint: Checkpoint | None = None, *, seal_first: bool = True) -> VerifyResult:
    """Recompute the whole chain; every problem found (up to 100), the lowest sequence first."""
    started = time.perf_counter()
    if seal_first:
        seal_pending()
    result = VerifyResult(checkpoint_seq=checkpoint.seq if checkpoint else None)
    findings = result.findings
    expected, previous = 1, genesis_mac()
    for row in _stream():
        seq, entry_id, stored_mac = row[0], row[3], row[2]
        if seq != expected:
            findings.append(Finding(Problem.MISSING, expected))
        if row[1] == "ok" and row[4] is not None:  # the common case, inline: one HMAC
            canon = canonical_row(row[5:])
            good = keys.mac_equal(seal_mac(seq, entry_id, "ok", canon, previous), stored_mac)
            problem = None if good else _check_seal(row, previous)
        else:
            problem = _check_seal(row, previous)
        if problem is not None:
            findings.append(Finding(problem, seq, entry_id))
        if (
            checkpoint is not None
            and seq == checkpoint.seq
            and not keys.mac_equal(stored_mac, checkpoint.mac)
        ):
            findings.append(Finding(Problem.CHECKPOINT_MISMATCH, seq, entry_id))
        if len(findings) >= MAX_FINDINGS:
            break
        # Go on from the stored MAC, so a later, separate alteration is reported too.
        previous, expected = stored_mac, seq + 1
        result.checked += 1
    result.head_seq, result.head_mac = expected - 1, previous
    if checkpoint is not None and result.head_seq < checkpoint.seq:
        findings.append(Finding(Problem.TRUNCATED, result.head_seq + 1))
    _check_unsealed(result)
    findings.sort(key=lambda f: (f.seq is None, f.seq or 0, f.entry_id or 0))
    result.seconds = time.perf_counter() - started
    return result


def _check_unsealed(result: VerifyResult) -> None:
    """Entries without a seal must be pending (one statement: one consistent snapshot)."""
    pending = AuditPending.objects.values("entry_id")
    for entry_id in (
        AuditEntry.objects.filter(seal__isnull=True)
        .exclude(id__in=pending)
        .values_list("id", flat=True)[:MAX_FINDINGS]
    ):
        result.findings.append(Finding(Problem.UNCHAINED, None, entry_id))
    # Pending entries are checked by their own MAC: alteration in the window is detected too.
    rows = AuditEntry.objects.filter(id__in=pending).values_list("id", *MAC_FIELDS, "mac").iterator()
    for row in rows:
        result.pending += 1
        canon = canonical_row(row[1:-1])
        if not keys.mac_equal(entry_mac(canon), row[-1]) and len(result.findings) < MAX_FINDINGS:
            result.findings.append(Finding(Problem.PENDING_ALTERED, None, row[0]))


def checkpoint_now() -> Checkpoint:
    """Seal what is pending and return the head as a checkpoint to keep elsewhere."""
    seal_pending()
    seq, mac = head()
    return Checkpoint(seq=seq, mac=mac, time=timezone.now().isoformat(timespec="seconds"))


def ids_of(findings: Iterable[Finding]) -> list[int]:
    return [f.seq for f in findings if f.seq is not None]
