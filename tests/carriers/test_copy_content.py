"""Copies of electronic carriers get their own encrypted content (CAR-4, CAR-5, R-AC-5, SEC-4).

An approved copy/excerpt/compile request of an electronic carrier registers child carriers that
each hold a NEW blob (own random data key) with the parent's content; the parent read and every
copy are audited; shredding one never touches the other; a paper copy has no content.
"""

from __future__ import annotations

import io
import os

import pytest
from django.test import Client
from django.urls import reverse

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.carriers import services
from baomi.carriers.services import content
from baomi.core.levels import Level
from baomi.vault import services as vault
from baomi.vault.errors import BlobShredded
from baomi.vault.models import Blob
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, assert_not_audited, last_audit_id

pytestmark = pytest.mark.django_db

PAYLOAD = os.urandom(10000) + "机密正文".encode()


@pytest.fixture(autouse=True)
def _small_chunks(settings):
    settings.VAULT_CHUNK_SIZE = 4096  # the payload spans several chunks


@pytest.fixture
def parent(org):
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    content.upload_content(org.staff_secret, carrier, io.BytesIO(PAYLOAD), content_type="application/zip")
    carrier.refresh_from_db()
    return carrier


def _read(actor, carrier) -> bytes:
    carrier.refresh_from_db()
    with vault.open_stream(actor, carrier.blob, target=carrier) as reader:
        return reader.read()


def _copy(org, carrier, copies: int = 2, kind: str = "copy"):
    req = services.request_copy(org.case_handler, carrier, kind=kind, copies=copies, reason="分送")
    return services.approve_copy(org.unit_head, req)


def test_each_copy_reads_back_identical_with_its_own_blob_and_key(org, parent):
    """CAR-4, SEC-4: every child holds the parent's content in a new blob with its own data key."""
    made = _copy(org, parent)
    parent.blob.refresh_from_db()
    blobs = [Blob.objects.get(pk=child.blob_id) for child in made]
    assert len({b.pk for b in blobs} | {parent.blob_id}) == 3
    assert len({bytes(b.wrapped_key) for b in blobs} | {bytes(parent.blob.wrapped_key)}) == 3
    assert len({b.storage_name for b in blobs} | {parent.blob.storage_name}) == 3
    for child, blob in zip(made, blobs, strict=True):
        assert blob.content_type == "application/zip" and blob.size == len(PAYLOAD)
        assert blob.digest == parent.blob.digest
        assert _read(org.security_officer, child) == PAYLOAD
        assert child.level == parent.level and child.mark_text() == parent.mark_text()


def test_excerpt_and_compilation_copy_content_too(org, parent):
    """CAR-4: excerpts and compilations of an electronic carrier also carry content."""
    (excerpt,) = _copy(org, parent, copies=1, kind="excerpt")
    (compiled,) = _copy(org, parent, copies=1, kind="compile")
    assert _read(org.security_officer, excerpt) == PAYLOAD
    assert _read(org.security_officer, compiled) == PAYLOAD


def test_shredding_the_parent_leaves_the_child_readable(org, parent):
    """CAR-11: crypto-shredding the original destroys only its own data key."""
    (child,) = _copy(org, parent, copies=1)
    content.shred(org.security_officer, parent)
    with pytest.raises(BlobShredded):
        _read(org.security_officer, parent)
    assert _read(org.security_officer, child) == PAYLOAD


def test_shredding_the_child_leaves_the_parent_readable(org, parent):
    """CAR-11: crypto-shredding a copy destroys only the copy's data key."""
    (child,) = _copy(org, parent, copies=1)
    content.shred(org.security_officer, child)
    with pytest.raises(BlobShredded):
        _read(org.security_officer, child)
    assert _read(org.security_officer, parent) == PAYLOAD


def test_parent_read_and_child_store_are_audited(org, parent):
    """CAR-2, R-AC-5: the read of the original is audited on it with the item id; each copy's
    new blob is audited as stored and linked on the child (CONTENT_COPIED)."""
    since = last_audit_id()
    made = _copy(org, parent)
    reads = AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.CONTENT_COPY_READ),
                                      target_id=str(parent.pk), actor_id=org.unit_head.pk)  # fmt: skip
    assert reads.count() == 2
    assert all(e.details["item_id"] == parent.item_id for e in reads)
    assert all(e.details["blob_id"] == str(parent.blob_id) for e in reads)
    blob_reads = AuditEntry.objects.filter(
        id__gt=since, event=int(AuditEvent.BLOB_READ), target_id=str(parent.pk)
    )
    assert blob_reads.count() == 2
    for child in made:
        entry = assert_audited(AuditEvent.CONTENT_COPIED, child, org.unit_head, since=since)
        assert entry.details["item_id"] == child.item_id
        assert entry.details["blob_id"] == str(child.blob_id)
        assert entry.details["source_blob_id"] == str(parent.blob_id)
        assert entry.details["parent_id"] == parent.pk
        stored = AuditEntry.objects.filter(id__gt=since, event=int(AuditEvent.BLOB_STORED))
        assert [e for e in stored if e.details["blob"] == str(child.blob_id)]
    for entry in AuditEntry.objects.filter(id__gt=since):
        assert "机密正文" not in str(entry.details)


def test_paper_copy_has_no_blob(org):
    """CAR-4: a paper original yields paper copies without content and no content audit."""
    carrier = make_carrier(org, scope=[org.case_handler])
    since = last_audit_id()
    made = _copy(org, carrier)
    assert all(c.kind == "paper" and c.blob_id is None for c in made)
    assert_not_audited(AuditEvent.CONTENT_COPY_READ, since=since)
    assert_not_audited(AuditEvent.CONTENT_COPIED, since=since)


def test_refused_approval_reads_nothing(org, parent):
    """R-AC-5: a refused approval is audited as denied and never reads or copies content."""
    req = services.request_copy(org.case_handler, parent, copies=1, reason="分送")
    since = last_audit_id()
    blobs_before = Blob.objects.count()
    with pytest.raises(AccessDenied):
        services.approve_copy(org.dept_head, req)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.dept_head, outcome="denied", since=since)
    assert_not_audited(AuditEvent.BLOB_READ, since=since)
    assert Blob.objects.count() == blobs_before


def test_top_secret_copy_with_consent_copies_content(org):
    """R-AC-3: 绝密 stays blocked without the originator's consent; with it, content is copied."""
    carrier = make_carrier(org, Level.TOP_SECRET, kind="electronic", custodian=org.unit_head,
                           scope=[org.authority_top_secret])  # fmt: skip
    content.upload_content(org.unit_head, carrier, io.BytesIO(PAYLOAD), content_type="application/zip")
    with pytest.raises(AccessDenied):
        services.request_copy(org.authority_top_secret, carrier, reason="需要")
    services.record_consent(org.unit_head, carrier, copy=True, originator="国务院办公厅",
                            reference="国办函〔2026〕5号")  # fmt: skip
    req = services.request_copy(org.authority_top_secret, carrier, reason="需要")
    (child,) = services.approve_copy(org.unit_head, req)
    assert child.level == Level.TOP_SECRET
    assert _read(org.security_officer, child) == PAYLOAD


def test_my_requests_shows_an_empty_row(org):
    """The "My requests" table of the workbench says so in Chinese when there are none."""
    client = Client()
    client.force_login(org.case_handler)
    assert "暂无申请" in client.get(reverse("carriers:approvals")).content.decode()
    carrier = make_carrier(org, scope=[org.case_handler])
    services.request_copy(org.case_handler, carrier, copies=1, reason="分送")
    assert "暂无申请" not in client.get(reverse("carriers:approvals")).content.decode()


def test_electronic_original_without_content_gives_copies_without_content(org):
    """CAR-4: nothing to copy yet — the copies are registered without a blob, nothing is read."""
    carrier = make_carrier(org, kind="electronic", scope=[org.case_handler])
    since = last_audit_id()
    (child,) = _copy(org, carrier, copies=1)
    assert child.kind == "electronic" and child.blob_id is None
    assert_not_audited(AuditEvent.BLOB_READ, since=since)
