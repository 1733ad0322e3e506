"""The audit chain (SEC-3): canonical form, MACs, the sealer, verify and checkpoints.

Design (docs/audit.md): ``record()`` inserts the entry with its own MAC and a pending row in the
transaction of the change it audits — no shared row is locked, so audited writes run in
parallel. One sealer at a time (the ``audit_seal`` job every minute, and ``verify``/``checkpoint``
on demand) takes the pending entries in order and appends their seals. Under MAC scheme *s*
(recorded in ``mac_scheme``: 1 HMAC-SM3, 2 HMAC-SHA-256; keys.py)::

    bound(entry) = "baomi-audit-entry/s|entry id|" ‖ canonical(entry)
    entry.mac    = HMAC_s(k, bound(entry))
    seal.mac     = HMAC_s(k, "baomi-audit-seal/s|seq|entry id|state|entry scheme|" ‖ bound(entry)
                             ‖ "|" ‖ previous seal.mac)

The entry's id is inside its own MAC, so an exact copy of an entry inserted under another id
fails its MAC and is sealed as ``bad``: duplication is detected like alteration (issue 11 §4).
Entries and seals written before schemes were recorded (``mac_scheme`` NULL, "legacy") keep
their old form — ``entry.mac = HMAC(k, canonical)``, ``seal.mac = HMAC(k, "seq|id|state|"
‖ canonical ‖ "|" ‖ previous)`` under HMAC-SM3 or HMAC-SHA-256 — and verify as they are;
migration 0003 sealed the last of them, and the sealer seals any later entry without a scheme
as ``bad`` (a copy of an old entry cannot pass as one).

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
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.audit.events import read_events
from baomi.audit.models import AuditEntry, AuditPending, AuditSeal, AuditVerification, Outcome, SealedChanges
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
# The same encoder's C core, made once instead of on every call (verify encodes every entry);
# canonical_row falls back to _ENCODER where the C accelerator is absent. Tested equal.
_C_ENCODE = (
    c_make_encoder(None, _json_default, encode_basestring, None, ":", ",", True, False, True)
    if c_make_encoder is not None
    else None
)


def canonical_row(values: Sequence[Any]) -> bytes:
    """The bytes an entry's MAC covers: every field but the MAC, as a compact JSON array in the
    order of MAC_FIELDS; the time as UTC ISO text, the details with sorted keys."""
    when = values[0]
    if when.utcoffset():
        when = when.astimezone(UTC)
    row = [when.isoformat(timespec="microseconds"), *values[1:]]
    if _C_ENCODE is not None:
        return "".join(_C_ENCODE(row, 0)).encode()
    return _ENCODER.encode(row).encode()


def canonical(entry: AuditEntry) -> bytes:
    return canonical_row([getattr(entry, name) for name in MAC_FIELDS])


def bound(scheme: int | None, entry_id: int, canon: bytes) -> bytes:
    """What an entry's MAC covers under ``scheme``: its id and canonical form (legacy: the
    canonical form alone)."""
    if scheme is None:
        return canon
    return b"baomi-audit-entry/%d|%d|" % (scheme, entry_id) + canon


def entry_mac(scheme: int, data: bytes) -> str:
    return keys.mac_with(keys.SCHEME_DIGEST[scheme], data)


def entry_ok(scheme: int | None, entry_id: int, canon: bytes, stored: str | None) -> bool:
    """Whether an entry's stored MAC matches its content under its recorded scheme."""
    if stored is None:
        return False
    data = bound(scheme, entry_id, canon)
    if scheme is None:
        return any(keys.mac_equal(keys.mac_with(d, data), stored) for d in keys.legacy_digests())
    if scheme not in keys.SCHEME_DIGEST:
        return False
    return keys.mac_equal(entry_mac(scheme, data), stored)


def genesis_mac(digest: str | None = None) -> str:
    """The "previous MAC" of sequence number 1: ties the chain's start to the audit key."""
    return keys.mac_with(digest or keys.SCHEME_DIGEST[keys.current_scheme()], b"baomi-audit-genesis")


def seal_mac(
    scheme: int, seq: int, entry_id: int, state: str, entry_scheme: int | None, data: bytes, previous: str
) -> str:
    """The chain MAC of a seal under ``scheme``; ``data`` is the entry's :func:`bound` form."""
    head = b"baomi-audit-seal/%d|%d|%d|%s|%d|" % (scheme, seq, entry_id, state.encode(), entry_scheme or 0)
    return keys.mac_with(keys.SCHEME_DIGEST[scheme], head + data + b"|" + previous.encode())


# seal_mac()'s message for an intact entry with a scheme, as one format (checked equal in tests).
_SEAL_OK = b"baomi-audit-seal/%d|%d|%d|ok|%d|baomi-audit-entry/%d|%d|%s|%s"


def legacy_seal_ok(
    seq: int, entry_id: int, state: str, canon: bytes, previous: str | None, stored: str
) -> bool:
    """A seal written before schemes were recorded: the old form, under either algorithm
    (``previous`` None: sequence number 1, whose previous MAC is the genesis under the same)."""
    for digest in keys.legacy_digests():
        prev = genesis_mac(digest) if previous is None else previous
        data = b"%d|%d|%s|%s|%s" % (seq, entry_id, state.encode(), canon, prev.encode())
        if keys.mac_equal(keys.mac_with(digest, data), stored):
            return True
    return False


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


_ROW_FIELDS = ("id", "mac_scheme", *MAC_FIELDS, "mac")


def _entry_state(row: tuple[Any, ...] | None) -> tuple[str, int | None, bytes]:
    """(state, entry scheme, bound form) of a pending entry as the sealer finds it."""
    if row is None:
        return "missing", None, b""
    entry_id, scheme = row[0], row[1]
    canon = canonical_row(row[2:-1])
    if scheme is None or scheme not in keys.SCHEME_DIGEST:
        # No recorded scheme: every entry written since the upgrade has one (migration 0003
        # sealed the older ones), so this is a copy of an old entry or a forgery.
        return "bad", scheme, canon
    data = bound(scheme, entry_id, canon)
    return ("ok" if keys.mac_equal(entry_mac(scheme, data), row[-1]) else "bad"), scheme, data


_EVENT = 2 + MAC_FIELDS.index("event")
_OUTCOME = 2 + MAC_FIELDS.index("outcome")


def _count_changes(ids: list[int], rows: dict[int, tuple[Any, ...]]) -> None:
    """Add the batch's changes to :class:`SealedChanges` (every entry but a read or a refusal;
    a missing entry counts, to be safe)."""
    reads = read_events()
    changes = sum(
        1 for entry_id in ids
        if (row := rows.get(entry_id)) is None or (row[_OUTCOME] != Outcome.DENIED and int(row[_EVENT]) not in reads)
    )  # fmt: skip
    if not changes:
        return
    tally = SealedChanges.objects.filter(pk=1)
    if not tally.update(changes=F("changes") + changes):  # lint: allow (the sealer keeps its count)
        SealedChanges.objects.create(pk=1, changes=changes)  # lint: allow (the sealer keeps its count)


def _seal_batch(limit: int) -> int:
    with transaction.atomic():
        _lock()
        ids = list(AuditPending.objects.order_by("entry_id").values_list("entry_id", flat=True)[:limit])
        if not ids:
            return 0
        seq, previous = head()
        scheme = keys.current_scheme()
        rows = {
            row[0]: row for row in AuditEntry.objects.filter(id__in=ids).values_list(*_ROW_FIELDS).iterator()
        }
        now = timezone.now()
        seals = []
        for entry_id in ids:
            seq += 1
            state, entry_scheme, data = _entry_state(rows.get(entry_id))
            if state != "ok":
                log.error("audit entry %s is %s; sealed as such at sequence %s", entry_id, state, seq)
            previous = seal_mac(scheme, seq, entry_id, state, entry_scheme, data, previous)
            seals.append(AuditSeal(seq=seq, entry_id=entry_id, sealed_at=now, state=state, mac=previous,
                                   mac_scheme=scheme))  # fmt: skip
        AuditSeal.objects.bulk_create(seals)  # lint: allow (the sealer appends seals)
        _count_changes(ids, rows)
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
    RECORD_ALTERED = "verification_altered"


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
    Problem.RECORD_ALTERED: _("the record of an earlier verification was altered or forged"),
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
    algorithm: str = ""  # as recorded in the file ("HMAC-SM3"); empty: the configured one

    def signature(self) -> str:
        data = b"checkpoint|%d|%s|%s" % (self.seq, self.mac.encode(), self.time.encode())
        digest = keys.digest_of_name(self.algorithm) if self.algorithm else None
        return keys.mac_with(digest, data) if digest else keys.mac(data)

    def as_json(self) -> str:
        self.algorithm = self.algorithm or keys.algorithm_name()
        data = {"format": CHECKPOINT_FORMAT, "seq": self.seq, "mac": self.mac, "time": self.time,
                "algorithm": self.algorithm, "signature": self.signature()}  # fmt: skip
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Parse an exported checkpoint; ``ValueError`` when it is not one or not ours. The
        signature is checked under the algorithm the file records, so a checkpoint taken before a
        change of BAOMI_CIPHER stays usable."""
        try:
            data = json.loads(text)
            if data.get("format") != CHECKPOINT_FORMAT:
                raise ValueError("not a baomi audit checkpoint")
            cp = cls(seq=int(data["seq"]), mac=str(data["mac"]), time=str(data.get("time", "")),
                     algorithm=str(data.get("algorithm", "")))  # fmt: skip
            signature = str(data["signature"])
        except (TypeError, KeyError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError("not a baomi audit checkpoint") from exc
        if cp.algorithm and keys.digest_of_name(cp.algorithm) is None:
            raise ValueError("the checkpoint names an unknown MAC algorithm")
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
    kind: str = "full"  # or "scheduled" (incremental, from the last verification record)
    from_seq: int = 1  # the first sequence number of the part checked in full
    entry_id_checked: int = 0  # entries up to this id were checked for being sealed or pending
    swept: tuple[int, int] | None = None  # the window of older seals re-verified (scheduled)
    sweep_seq: int = 0  # where the next scheduled run's window starts

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None

    def summary(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ok": self.ok, "checked": self.checked, "pending": self.pending, "head_seq": self.head_seq,
                "checkpoint_seq": self.checkpoint_seq, "findings": [f.as_dict() for f in self.findings[:20]],
                "seconds": round(self.seconds, 3)}  # fmt: skip
        if self.kind != "full":
            data.update(
                kind=self.kind, from_seq=self.from_seq, swept=list(self.swept) if self.swept else None
            )
        return data


MAX_FINDINGS = 100
# entry__mac doubles as "the entry row is there" (NULL from the LEFT JOIN when it was deleted).
_STREAM_FIELDS = ("seq", "state", "mac", "mac_scheme", "entry_id", "entry__mac", "entry__mac_scheme",
                  *(f"entry__{f}" for f in MAC_FIELDS))  # fmt: skip


def _stream(after: int = 0) -> Iterator[tuple[Any, ...]]:
    qs = AuditSeal.objects.order_by("seq")
    if after:
        qs = qs.filter(seq__gt=after)
    return qs.values_list(*_STREAM_FIELDS).iterator(chunk_size=5000)


def _check_seal(row: tuple[Any, ...], previous: str | None, seen_scheme: bool) -> str | None:
    """The problem with one seal row given the previous chain MAC (None: the genesis), or None.

    The chain MAC covers the entry's bound form, so when it matches the entry is intact too: one
    HMAC per entry. Only on a mismatch is the entry's own MAC computed, to say which was changed.
    """
    seq, state, stored, scheme, entry_id, present, entry_scheme = row[:7]
    canon = canonical_row(row[7:]) if present is not None and state != "missing" else b""
    if scheme is None:
        # A legacy seal after seals with a recorded scheme cannot be genuine: the sealer has
        # written only schemed seals since the upgrade.
        good = not seen_scheme and legacy_seal_ok(seq, entry_id, state, canon, previous, stored)
    elif scheme in keys.SCHEME_DIGEST:
        data = bound(entry_scheme, entry_id, canon) if canon else b""
        prev = previous if previous is not None else genesis_mac(keys.SCHEME_DIGEST[scheme])
        good = keys.mac_equal(seal_mac(scheme, seq, entry_id, state, entry_scheme, data, prev), stored)
    else:
        good = False
    if state == "ok" and present is None:
        return Problem.ENTRY_DELETED
    if not good:
        if state == "ok" and not entry_ok(entry_scheme, entry_id, canon, present):
            return Problem.ENTRY_ALTERED
        return Problem.SEAL_INVALID
    return None if state == "ok" else Problem.SEALED_BAD


@dataclass
class _Walk:
    """Where a walk along the chain stands: the next expected number and the previous MAC."""

    expected: int = 1
    previous: str | None = None  # None before sequence number 1 (the genesis, per algorithm)
    seen_scheme: bool = False  # a seal with a recorded scheme was passed


def _walk(result: VerifyResult, rows: Iterable[tuple[Any, ...]], at: _Walk,
          checkpoint: Checkpoint | None = None, *, stop_after: int | None = None) -> _Walk:  # fmt: skip
    """Check seal rows in order from ``at``; findings go into ``result``. Stops after sequence
    number ``stop_after`` when given (a window of the chain)."""
    findings = result.findings
    expected, previous, seen = at.expected, at.previous, at.seen_scheme
    macs = {scheme: keys.macer(digest) for scheme, digest in keys.SCHEME_DIGEST.items()}
    equal = keys.mac_equal
    for row in rows:
        seq, state, stored, scheme, entry_id, present, entry_scheme = row[:7]
        if seq != expected:
            findings.append(Finding(Problem.MISSING, expected))
        mac_of = macs.get(scheme)
        if state == "ok" and present is not None and previous is not None and mac_of and entry_scheme:
            # The common case, inline: one HMAC over the seal message of seal_mac(), written out
            # in one formatting step (the entry's bound form inside it).
            data = _SEAL_OK % (scheme, seq, entry_id, entry_scheme, entry_scheme, entry_id,
                               canonical_row(row[7:]), previous.encode())  # fmt: skip
            problem = None if equal(mac_of(data), stored) else _check_seal(row, previous, seen)
        else:
            problem = _check_seal(row, previous, seen)
        if problem is not None:
            findings.append(Finding(problem, seq, entry_id))
        if checkpoint is not None and seq == checkpoint.seq and not keys.mac_equal(stored, checkpoint.mac):
            findings.append(Finding(Problem.CHECKPOINT_MISMATCH, seq, entry_id))
        # Go on from the stored MAC, so a later, separate alteration is reported too.
        previous, expected = stored, seq + 1
        seen = seen or scheme is not None
        result.checked += 1
        if len(findings) >= MAX_FINDINGS or (stop_after is not None and seq >= stop_after):
            break
    return _Walk(expected, previous, seen)


def verify(checkpoint: Checkpoint | None = None, *, seal_first: bool = True) -> VerifyResult:
    """Recompute the whole chain; every problem found (up to 100), the lowest sequence first."""
    started = time.perf_counter()
    if seal_first:
        seal_pending()
    result = VerifyResult(checkpoint_seq=checkpoint.seq if checkpoint else None)
    end = _walk(result, _stream(), _Walk(), checkpoint)
    result.head_seq = end.expected - 1
    result.head_mac = end.previous or genesis_mac()
    if checkpoint is not None and result.head_seq < checkpoint.seq:
        result.findings.append(Finding(Problem.TRUNCATED, result.head_seq + 1))
    result.entry_id_checked = _max_entry_id()
    _check_unsealed(result)
    result.findings.sort(key=lambda f: (f.seq is None, f.seq or 0, f.entry_id or 0))
    result.seconds = time.perf_counter() - started
    return result


def _check_unsealed(result: VerifyResult, *, above: int = 0) -> None:
    """Entries without a seal must be pending (one statement: one consistent snapshot); with
    ``above``, only entries with a higher id (the incremental verify)."""
    pending = AuditPending.objects.values("entry_id")
    entries = AuditEntry.objects.filter(id__gt=above) if above else AuditEntry.objects.all()
    for entry_id in (
        entries.filter(seal__isnull=True).exclude(id__in=pending).values_list("id", flat=True)[:MAX_FINDINGS]
    ):
        result.findings.append(Finding(Problem.UNCHAINED, None, entry_id))
    # Pending entries are checked by their own MAC: alteration in the window is detected too.
    rows = AuditEntry.objects.filter(id__in=pending).values_list(*_ROW_FIELDS).iterator()
    for row in rows:
        result.pending += 1
        # No recorded scheme: not written by record() since the upgrade (a copy or a forgery).
        intact = row[1] is not None and entry_ok(row[1], row[0], canonical_row(row[2:-1]), row[-1])
        if not intact and len(result.findings) < MAX_FINDINGS:
            result.findings.append(Finding(Problem.PENDING_ALTERED, None, row[0]))


def _max_entry_id() -> int:
    return int(AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0)


# --- the scheduled verify: incremental, from the last signed verification record ------------------

SWEEP = 10_000  # older seals re-verified per scheduled run (settings.AUDIT_VERIFY_SWEEP)


def record_signature(v: AuditVerification) -> str:
    """The HMAC that makes a verification record trustworthy as a starting point."""
    data = b"baomi-audit-verification|%s|%s|%d|%s|%d|%d|%d|%d|%s" % (
        v.kind.encode(), v.time.astimezone(UTC).isoformat(timespec="microseconds").encode(), v.head_seq,
        v.head_mac.encode(), v.sweep_seq, v.entry_id_checked, v.checked, int(v.ok),
        str(v.first_seq if v.first_seq is not None else "").encode(),
    )  # fmt: skip
    digest = keys.SCHEME_DIGEST.get(v.mac_scheme)
    return keys.mac_with(digest, data) if digest else ""


def verification_record(result: VerifyResult) -> AuditVerification:
    """The signed record of a finished verify, not yet saved (the service saves it)."""
    first = result.first
    v = AuditVerification(
        time=timezone.now(), kind=result.kind, head_seq=result.head_seq, head_mac=result.head_mac,
        sweep_seq=result.sweep_seq, entry_id_checked=result.entry_id_checked, checked=result.checked,
        ok=result.ok, first_seq=first.seq if first else None, seconds=round(result.seconds, 3),
        findings=[f.as_dict() for f in result.findings[:20]], mac_scheme=keys.current_scheme(),
    )  # fmt: skip
    v.signature = record_signature(v)
    return v


def _anchor() -> tuple[AuditVerification | None, list[Finding]]:
    """The newest verification record whose signature holds, and a finding per altered one."""
    altered: list[Finding] = []
    for v in AuditVerification.objects.order_by("-id")[:50]:
        if v.signature and keys.mac_equal(record_signature(v), v.signature):
            return v, altered
        altered.append(Finding(Problem.RECORD_ALTERED, v.head_seq))
    return None, altered


def _seal_at(seq: int) -> tuple[str, int | None] | None:
    row = AuditSeal.objects.filter(seq=seq).values_list("mac", "mac_scheme").first()
    return (str(row[0]), row[1]) if row else None


def verify_scheduled(*, sweep: int | None = None) -> VerifyResult:
    """The scheduled verify (SEC-3): seal what is pending, then check — from the newest signed
    verification record (the anchor) — that the chain still holds the anchor's MAC at its number,
    every seal after it, the next ``sweep`` older seals (a rolling window that wraps round, so
    the whole history is re-verified every few runs at a constant cost per run), and that every
    entry newer than the anchor is sealed or pending. The cost follows the entries written since
    the last run, not the length of the history. Without a usable anchor it is a full verify.
    """
    started = time.perf_counter()
    seal_pending()
    anchor, altered = _anchor()
    if anchor is None:
        result = verify(seal_first=False)
        result.findings.extend(altered)
        result.findings.sort(key=lambda f: (f.seq is None, f.seq or 0, f.entry_id or 0))
        return result
    sweep = SWEEP if sweep is None else sweep
    result = VerifyResult(kind="scheduled", from_seq=anchor.head_seq + 1)
    findings = result.findings
    findings.extend(altered)
    at: _Walk | None = _Walk()
    if anchor.head_seq:
        stored = _seal_at(anchor.head_seq)
        if stored is None:  # the chain is shorter than it was: its newest seals were deleted
            at = None
            result.head_seq, result.head_mac = head()
            findings.append(Finding(Problem.TRUNCATED, result.head_seq + 1))
        else:
            if not keys.mac_equal(stored[0], anchor.head_mac):
                findings.append(Finding(Problem.CHECKPOINT_MISMATCH, anchor.head_seq))
            at = _Walk(anchor.head_seq + 1, stored[0], stored[1] is not None)
    if at is not None:
        end = _walk(result, _stream(after=anchor.head_seq), at)
        result.head_seq, result.head_mac = end.expected - 1, end.previous or genesis_mac()
    # The rolling window over the history the anchor had already verified.
    start = anchor.sweep_seq if anchor.sweep_seq < anchor.head_seq else 0
    stop = min(start + sweep, anchor.head_seq)
    result.sweep_seq = anchor.sweep_seq
    if sweep > 0 and stop > start:
        before = _seal_at(start) if start else None
        if start and before is None:
            findings.append(Finding(Problem.MISSING, start))
        window = _Walk(start + 1, before[0] if before else None, bool(before and before[1] is not None))
        rows = (
            AuditSeal.objects.filter(seq__gt=start, seq__lte=stop).order_by("seq")
            .values_list(*_STREAM_FIELDS).iterator(chunk_size=5000)
        )  # fmt: skip
        end = _walk(result, rows, window)
        if end.expected <= stop:  # the window's last seals are gone
            findings.append(Finding(Problem.MISSING, end.expected))
        result.swept = (start + 1, stop)
        result.sweep_seq = stop if stop < anchor.head_seq else 0
    result.entry_id_checked = _max_entry_id()
    _check_unsealed(result, above=anchor.entry_id_checked)
    findings.sort(key=lambda f: (f.seq is None, f.seq or 0, f.entry_id or 0))
    result.seconds = time.perf_counter() - started
    return result


def checkpoint_now() -> Checkpoint:
    """Seal what is pending and return the head as a checkpoint to keep elsewhere."""
    seal_pending()
    seq, mac = head()
    return Checkpoint(seq=seq, mac=mac, time=timezone.now().isoformat(timespec="seconds"))


def ids_of(findings: Iterable[Finding]) -> list[int]:
    return [f.seq for f in findings if f.seq is not None]
