"""Master keys: the key ring, rotation without downtime, retirement (SEC-4)."""

from __future__ import annotations

import json
import os

import pytest

from baomi.audit.events import AuditEvent
from baomi.vault import services
from baomi.vault.errors import KeyInUse, KeyUnavailable
from baomi.vault.keyring import LEGACY_KEY_ID, FileKeyRing, keystore
from baomi.vault.models import Blob
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def read_all(blob) -> bytes:
    with services.open_stream(None, blob) as reader:
        return b"".join(reader)


def test_ring_file_is_private_json_with_one_active_key(settings):
    """`keys init` creates one active 32-byte key in a 0600 JSON ring, idempotently (SEC-4)."""
    assert services.ensure_master_key() is True
    assert services.ensure_master_key() is False
    path = settings.MASTER_KEY_FILE
    assert path.stat().st_mode & 0o077 == 0
    data = json.loads(path.read_text())
    assert data["format"] == "baomi-master-key-ring"
    [key] = data["keys"]
    assert key["state"] == "active" and key["id"].startswith("mk-")
    [entry] = keystore().list_keys()
    assert entry.material is not None and len(entry.material) == 32


def test_rotation_keeps_old_content_readable_and_rewraps_it(cipher, user):
    """After `keys rotate`, content stored before reads, every live data key is under the new
    key, content stored after uses it, and the rotation is audited (SEC-4)."""
    before = [services.store(None, os.urandom(n)) for n in (0, 5000)]
    contents = {b.pk: read_all(b) for b in before}
    old_key = before[0].key_id
    shredded = services.store(None, b"gone")
    services.shred(None, shredded)
    since = last_audit_id()
    result = services.rotate_master_key(user)
    assert result.rewrapped == 2 and not result.failed
    assert result.key_id != old_key
    for blob in before:
        row = Blob.objects.get(pk=blob.pk)
        assert row.key_id == result.key_id
        assert read_all(row) == contents[blob.pk]
    assert Blob.objects.get(pk=shredded.pk).key_id == old_key  # nothing left to rewrap
    after = services.store(None, b"new")
    assert after.key_id == result.key_id
    entry = assert_audited(AuditEvent.KEYS_ROTATED, ("vault.masterkey", result.key_id), user, since=since)
    assert entry.details == {"previous": old_key, "rewrapped": 2, "failed": 0}
    states = {k.id: k.state for k in keystore().list_keys()}
    assert states == {old_key: "previous", result.key_id: "active"}


def test_content_wrapped_under_the_previous_key_reads_during_rotation():
    """Between adding the new key and rewrapping, rows still name the old key and read (no downtime)."""
    blob = services.store(None, b"during rotation")
    keystore().add_key()
    assert Blob.objects.get(pk=blob.pk).key_id != keystore().active_key_id()
    assert read_all(blob) == b"during rotation"
    result = services.rewrap_data_keys(None)
    assert result.rewrapped == 1
    assert_audited(AuditEvent.KEYS_ROTATED, ("vault.masterkey", result.key_id))


def test_retire_refuses_while_in_use_then_erases_the_material(user, settings):
    """A key is retired only when no live data key uses it; then its material is gone (SEC-4)."""
    blob = services.store(None, b"x")
    old = blob.key_id
    keystore().add_key()
    with pytest.raises(KeyInUse) as info:
        services.retire_master_key(user, old)
    assert "1" in str(info.value) and "rewrap" in str(info.value)
    with pytest.raises(KeyInUse):
        services.retire_master_key(user, keystore().active_key_id())
    with pytest.raises(KeyUnavailable):
        services.retire_master_key(user, "mk-nope")
    services.rewrap_data_keys(None)
    since = last_audit_id()
    services.retire_master_key(user, old)
    assert_audited(AuditEvent.KEY_RETIRED, ("vault.masterkey", old), user, since=since)
    retired = next(k for k in keystore().list_keys() if k.id == old)
    assert retired.state == "retired" and retired.material is None
    ring = json.loads(settings.MASTER_KEY_FILE.read_text())
    assert {"id": old, "state": "retired", "material": None}.items() <= ring["keys"][0].items()  # a record
    assert read_all(blob) == b"x"
    with pytest.raises(KeyUnavailable):
        services.retire_master_key(user, old)


def test_shredded_blobs_do_not_keep_a_key_in_use():
    """Destroyed content holds no data key, so it does not block retiring its master key."""
    blob = services.store(None, b"x")
    services.shred(None, blob)
    keystore().add_key()
    services.retire_master_key(None, blob.key_id)


def test_a_legacy_raw_key_file_reads_and_converts_on_rotation(settings):
    """A raw 32-byte master key file (before key rings) is the key `mk-initial`; rotating keeps
    its content readable and writes a ring (SEC-4)."""
    path = settings.MASTER_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(32))
    blob = services.store(None, b"legacy")
    assert blob.key_id == LEGACY_KEY_ID
    result = services.rotate_master_key(None)
    assert result.rewrapped == 1
    assert json.loads(path.read_text())["keys"][0]["id"] == LEGACY_KEY_ID
    assert read_all(Blob.objects.get(pk=blob.pk)) == b"legacy"


def test_a_damaged_ring_file_is_key_unavailable(settings, tmp_path):
    """A ring that is not valid JSON, or has no single active key, is refused clearly (SEC-7)."""
    for content in [
        b"{not json",
        json.dumps({"format": "baomi-master-key-ring", "version": 1, "keys": []}).encode(),
    ]:
        path = tmp_path / f"ring-{len(content)}.key"
        path.write_bytes(content)
        with pytest.raises(KeyUnavailable):
            FileKeyRing(path).list_keys()


def test_ring_changes_by_another_process_are_seen_without_restart(settings):
    """A rotation written by the CLI is picked up by a running server (stat-checked cache)."""
    services.ensure_master_key()
    server_view = FileKeyRing(settings.MASTER_KEY_FILE)
    first = server_view.active_key_id()
    new = FileKeyRing(settings.MASTER_KEY_FILE).add_key()
    assert new != first
    assert server_view.active_key_id() == new


def test_an_unreadable_ring_is_key_unavailable(tmp_path):
    """A key ring path that cannot be read (here: a directory) is refused clearly (SEC-7)."""
    path = tmp_path / "ring-dir"
    path.mkdir()
    with pytest.raises(KeyUnavailable):
        FileKeyRing(path).list_keys()


@pytest.mark.parametrize("first", range(256))
def test_a_raw_key_is_told_from_a_ring_by_structure_whatever_its_first_byte(first, tmp_path):
    """A raw 32-byte master key reads as `mk-initial` whatever byte it begins with — `{`, or
    whitespace and then `{`, included — so no content becomes unreadable by chance (SEC-4)."""
    for material in (bytes([first]) + os.urandom(31), bytes([first]) + b" {" + os.urandom(29)):
        path = tmp_path / "master.key"
        path.write_bytes(material)
        [key] = FileKeyRing(path).list_keys()
        assert (key.id, key.state, key.material) == (LEGACY_KEY_ID, "active", material)


def test_a_ring_file_is_never_32_bytes_long():
    """The structural rule holds: even the shortest text naming the ring format is longer than a
    raw key, so a ring is never read as a raw key (SEC-4)."""
    shortest = json.dumps({"format": "baomi-master-key-ring"}, separators=(",", ":")).encode()
    assert len(shortest) > 32
