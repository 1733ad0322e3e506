"""MAC schemes of the audit trail (SEC-3): each entry and seal records its algorithm, the entry's
id is bound into its MAC, and entries written before either still verify (issue 19 §5, issue 11
§4)."""

from __future__ import annotations

import hmac
import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from baomi.audit import chain
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry, AuditPending, AuditSeal
from baomi.audit.record import record
from baomi.cli import main
from baomi.core import keys

pytestmark = pytest.mark.django_db

COLUMNS = ("time", "actor_id", "actor_name", "actor_roles", "event", "target_type", "target_id",
           "target_label", "target_level", "outcome", "ip", "channel", "request_id", "details", "mac",
           "mac_scheme")  # fmt: skip


def _write(n: int, tag: str = "") -> list[AuditEntry]:
    return [record(None, AuditEvent.SETTING_CHANGED, ("core.setting", f"{tag}{i}", f"设置 {i}"),
                   details={"i": i}) for i in range(n)]  # fmt: skip


def _insert(values: dict) -> int:
    """A row put in with raw SQL, as someone with the database's credentials could."""
    cols = [c for c in ("id", *COLUMNS) if c in values]
    params = [values[c] for c in cols]
    params = [
        connection.ops.adapt_datetimefield_value(v) if c == "time" else v
        for c, v in zip(cols, params, strict=True)
    ]
    sql = f"INSERT INTO audit_auditentry ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql, params)
    return int(AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0])


def _copy(entry_id: int) -> int:
    """An exact copy of a stored entry — MAC and scheme included — under a new id."""
    row = AuditEntry.objects.values(*COLUMNS).get(pk=entry_id)
    row["details"] = connection.ops.adapt_json_value(
        row["details"], AuditEntry._meta.get_field("details").encoder
    )
    return _insert(row)


# --- legacy rows, written the way baomi wrote them before schemes were recorded -----------------


def _legacy_mac(digest: str, data: bytes) -> str:
    return hmac.new(keys.audit_key(), data, digest).hexdigest()


def _legacy_entries(n: int, digest: str) -> list[int]:
    """Entries in the old form (no scheme, MAC over the canonical form alone), still pending."""
    ids = []
    for i in range(n):
        when = timezone.now() - timedelta(days=30, seconds=i)
        values = [when, None, "旧系统", "", int(AuditEvent.SETTING_CHANGED), "core.setting", str(i),
                  f"旧设置 {i}", "", "ok", None, "web", "", {"i": i}]  # fmt: skip
        mac = _legacy_mac(digest, chain.canonical_row(values))
        row = dict(zip(COLUMNS, [*values, mac, None], strict=True))
        row["details"] = connection.ops.adapt_json_value(
            row["details"], AuditEntry._meta.get_field("details").encoder
        )
        ids.append(_insert(row))
    return ids


def _legacy_seal(ids: list[int], digest: str) -> None:
    """Seal them in the old form (what the sealer did before schemes were recorded)."""
    seq, previous = (
        chain.head() if AuditSeal.objects.exists() else (0, _legacy_mac(digest, b"baomi-audit-genesis"))
    )
    rows = {r[0]: r for r in AuditEntry.objects.filter(id__in=ids).values_list("id", *chain.MAC_FIELDS)}
    for entry_id in ids:
        seq += 1
        canon = chain.canonical_row(rows[entry_id][1:])
        previous = _legacy_mac(digest, b"%d|%d|ok|%s|%s" % (seq, entry_id, canon, previous.encode()))
        AuditSeal(seq=seq, entry_id=entry_id, sealed_at=timezone.now(), state="ok", mac=previous).save(
            force_insert=True
        )
    AuditPending.objects.filter(entry_id__in=ids).delete()


# --- the algorithm is recorded ------------------------------------------------------------------


def test_each_entry_and_seal_records_its_algorithm_and_a_cipher_change_keeps_old_ones_valid(
    settings, tmp_path
):
    """Issue 19 §5: entries and seals carry their MAC scheme; after BAOMI_CIPHER changes, new
    ones use the new algorithm and the old ones still verify — and so does a checkpoint taken
    before the change (it used to fail from sequence number 1)."""
    settings.CIPHER = "sm4"
    old = _write(3, "sm4-")
    cp = chain.checkpoint_now().as_json()
    assert {e.mac_scheme for e in AuditEntry.objects.filter(pk__in=[e.pk for e in old])} == {1}
    assert set(AuditSeal.objects.values_list("mac_scheme", flat=True)) == {1}
    settings.CIPHER = "aes"
    new = _write(3, "aes-")
    chain.seal_pending()
    assert {e.mac_scheme for e in AuditEntry.objects.filter(pk__in=[e.pk for e in new])} == {2}
    assert set(
        AuditSeal.objects.filter(entry_id__in=[e.pk for e in new]).values_list("mac_scheme", flat=True)
    ) == {2}
    checkpoint = chain.Checkpoint.from_json(cp)
    result = chain.verify(checkpoint)
    assert result.ok, result.findings
    assert (
        json_algorithm(cp) == "HMAC-SM3"
        and json_algorithm(chain.checkpoint_now().as_json()) == "HMAC-SHA-256"
    )
    settings.CIPHER = "sm4"  # and back: both kinds verify whatever is configured
    assert chain.verify().ok


def json_algorithm(text: str) -> str:
    import json

    return json.loads(text)["algorithm"]


@pytest.mark.parametrize("digest", ["sm3", "sha256"])
def test_entries_and_seals_written_before_schemes_still_verify(settings, digest):
    """Issue 19 §5: a trail written by the previous version (no scheme recorded, under HMAC-SM3
    or HMAC-SHA-256) verifies, then new entries chain on under the recorded scheme."""
    settings.CIPHER = "sm4"
    legacy = _legacy_entries(4, digest)
    _legacy_seal(legacy, digest)
    assert chain.verify().ok
    _write(2)
    chain.seal_pending()
    for cipher in ("sm4", "aes"):
        settings.CIPHER = cipher
        result = chain.verify()
        assert result.ok and result.checked == 6, result.findings
    # The legacy part is still protected: altering an old entry is found at its number.
    _disable_triggers()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET actor_name = 'x' WHERE id = %s", [legacy[1]])
    result = chain.verify()
    assert result.first.seq == AuditSeal.objects.get(entry_id=legacy[1]).seq
    assert result.first.problem == chain.Problem.ENTRY_ALTERED


def test_the_upgrade_of_a_legacy_trail_leaves_it_verifying(settings):
    """The upgrade as it happens: a legacy trail with sealed and waiting entries; migration 0003
    seals the waiting ones in their old form; the new version writes on — one intact chain."""
    settings.CIPHER = "sm4"
    _legacy_seal(_legacy_entries(3, "sm3"), "sm3")
    waiting = _legacy_entries(2, "sm3")
    migration = importlib.import_module("baomi.audit.migrations.0003_mac_scheme")
    migration.seal_legacy_pending(apps, SimpleNamespace(connection=connection))
    assert not AuditPending.objects.filter(entry_id__in=waiting).exists()
    sealed = AuditSeal.objects.filter(entry_id__in=waiting)
    assert {(s.state, s.mac_scheme) for s in sealed} == {("ok", None)}
    _write(2)
    result = chain.verify()
    assert result.ok and result.checked == 7, result.findings


# --- duplication is detected (issue 11 §4) ------------------------------------------------------


def test_an_exact_copy_of_a_sealed_entry_under_a_new_id_is_detected(capsys):
    """Issue 11 §4: an exact copy of a sealed entry (MAC included) inserted under a new id used
    to pass `baomi audit verify`; its id is in its MAC now, so the copy fails it — while waiting
    (pending_altered) and once sealed (sealed_bad, at its sequence number) — and verify exits 1."""
    entries = _write(3)
    chain.seal_pending()
    assert main(["audit", "verify"]) == 0
    copy_id = _copy(entries[1].pk)
    waiting = chain.verify(seal_first=False)
    assert [(f.problem, f.entry_id) for f in waiting.findings] == [(chain.Problem.PENDING_ALTERED, copy_id)]
    capsys.readouterr()
    assert main(["audit", "verify"]) == 1
    seq = AuditSeal.objects.get(entry_id=copy_id).seq
    assert f"序号 {seq}" in capsys.readouterr().err
    result = chain.verify()
    assert [(f.problem, f.seq) for f in result.findings] == [(chain.Problem.SEALED_BAD, seq)]


def test_a_copy_of_a_legacy_entry_made_after_the_upgrade_is_detected(settings):
    """An old entry's MAC does not bind its id; a copy of one inserted after the upgrade is still
    caught, because the sealer no longer takes any entry without a recorded scheme as intact."""
    settings.CIPHER = "sm4"
    legacy = _legacy_entries(2, "sm3")
    _legacy_seal(legacy, "sm3")
    _write(1)
    chain.seal_pending()
    copy_id = _copy(legacy[0])
    result = chain.verify()
    seq = AuditSeal.objects.get(entry_id=copy_id).seq
    assert [(f.problem, f.seq) for f in result.findings] == [(chain.Problem.SEALED_BAD, seq)]


def test_a_copy_put_in_place_of_a_deleted_entry_is_detected():
    """Entry A deleted and an exact copy of entry B put in under A's id: A's seal names the
    alteration, because B's MAC binds B's id, not A's."""
    a, b = _write(2)
    chain.seal_pending()
    _disable_triggers()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE id = %s", [a.pk])
    row = AuditEntry.objects.values(*COLUMNS).get(pk=b.pk)
    row["details"] = connection.ops.adapt_json_value(
        row["details"], AuditEntry._meta.get_field("details").encoder
    )
    _insert({"id": a.pk, **row})
    result = chain.verify(seal_first=False)
    seq = AuditSeal.objects.get(entry_id=a.pk).seq
    assert (result.first.problem, result.first.seq) == (chain.Problem.ENTRY_ALTERED, seq)


def _disable_triggers() -> None:
    """What an attacker with the table owner's rights could do on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("audit_auditentry", "audit_auditseal", "audit_auditpending"):
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")


@pytest.mark.parametrize("digest", ["sm3", "sha256"])
def test_the_precomputed_hmac_is_the_standard_hmac(settings, tmp_path, digest):
    """keys.mac_with precomputes the pad states (RFC 2104); it must give hmac.digest's value
    for keys shorter than, equal to and longer than the hash's block."""
    import os

    for size in (16, 32, 64, 65, 200):
        path = tmp_path / f"audit-{size}.key"
        path.write_bytes(os.urandom(size))
        settings.AUDIT_KEY_FILE = path
        for data in (b"", b"x", os.urandom(63), os.urandom(64), os.urandom(1000)):
            assert keys.mac_with(digest, data) == hmac.digest(path.read_bytes(), data, digest).hex()


def test_the_canonical_form_is_the_json_encoders():
    """canonical_row's cached C encoder writes exactly what the JSON encoder writes."""
    entries = _write(3)
    entries.append(record(None, AuditEvent.SETTING_CHANGED, ("core.setting", "x", "引号\"与\\反斜杠"),
                          details={"z": [1, 2.5, None, True], "a": {"嵌套": "值", "b": "\u2028"}}))  # fmt: skip
    for row in AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list(*chain.MAC_FIELDS):
        values = list(row)
        values[0] = values[0].isoformat(timespec="microseconds")
        assert chain.canonical_row(row) == chain._ENCODER.encode(values).encode()
