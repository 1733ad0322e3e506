"""The approved version's fingerprint is a digest of the plaintext, under both ciphers (SUP-3,
R-PUB-1, SEC-4): submit → review → approve → publish the approved file, a different file refused
with the Chinese message (never a 500), and versions frozen before with the vault's storage
digest (AES ``tag-sha256``) still published by their content."""

from __future__ import annotations

import hashlib
import io

import pytest

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.core.errors import ValidationFailed
from baomi.publication import services
from baomi.publication.events import PublicationEvent
from baomi.vault import services as vault
from tests.publication.factories import docx_bytes, submit, to_office, today, upload
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db

NOT_APPROVED = "这不是审查通过的版本"
TEXT = "本单位2026年一季度政务服务工作情况通报。"
HASH = {"sm4": "sm3", "aes": "sha256"}


@pytest.fixture(params=["sm4", "aes"])
def cipher(request, settings):
    """The whole journey once per cipher provider (``BAOMI_CIPHER``)."""
    settings.CIPHER = request.param
    return request.param


def approve(org, req, **kw):
    kw.setdefault("reasons", "经审查不涉密，同意公开。")
    return services.decide_request(org.security_officer, to_office(org, req), outcome="approve", **kw)


def blob_reads(since, blob):
    return AuditEntry.objects.filter(
        id__gt=since, event=int(AuditEvent.BLOB_READ), details__blob=str(blob.pk)
    )


def test_the_whole_journey_publishes_the_approved_file_under_each_cipher(org, cipher):
    """Every part and the version carry the plaintext digest in the installation's hash (SM3 for
    SM4, SHA-256 for AES), whatever the vault records for its blobs; the approved file is
    published, a changed file is refused and audited (R-PUB-1)."""
    docx = docx_bytes("附件：工作进展。")
    req = submit(
        org.staff_confidential, TEXT, uploads=[upload("附件.docx", docx), upload("说明.txt", b"note")]
    )
    att = req.attachments.get(name="附件.docx")
    assert (att.digest, att.digest_algorithm) == (hashlib.new(HASH[cipher], docx).hexdigest(), HASH[cipher])
    assert att.blob.cipher == cipher
    since = last_audit_id()
    req = approve(org, req)
    assert req.status == "approved"
    version = req.approved_version
    assert version.algorithm == HASH[cipher]
    by_name = {p.name: p for p in version.parts.all()}
    assert by_name["附件.docx"].digest == hashlib.new(HASH[cipher], docx).hexdigest()
    assert by_name["说明.txt"].digest == hashlib.new(HASH[cipher], b"note").hexdigest()
    text_part = next(p for n, p in by_name.items() if n.endswith(".txt") and n != "说明.txt")
    assert text_part.digest == hashlib.new(HASH[cipher], TEXT.encode()).hexdigest()
    # The manifest's digest is of its own bytes, and it lists the plaintext digests.
    with vault.open_stream(org.security_officer, version.manifest, target=req) as reader:
        manifest = bytes(reader.read())
    assert version.digest == hashlib.new(HASH[cipher], manifest).hexdigest()
    assert by_name["附件.docx"].digest in manifest.decode()
    # The attachments' digests were kept at upload: the approval read no file back for them.
    assert not blob_reads(since, att.blob).exists()

    since = last_audit_id()
    with pytest.raises(ValidationFailed) as exc:
        services.record_publication(org.staff_confidential, req, where="门户网站", published_on=today(),
                                    upload=upload("附件.docx", docx_bytes("附件：工作进展（改）。")))  # fmt: skip
    assert exc.value.code == "digest_mismatch" and NOT_APPROVED in str(exc.value)
    assert_audited(
        PublicationEvent.PUBLICATION_BLOCKED, req, org.staff_confidential, outcome="refused", since=since
    )
    rec = services.record_publication(org.staff_confidential, req, where="门户网站/政务公开", published_on=today(),
                                      upload=upload("附件.docx", docx))  # fmt: skip
    req.refresh_from_db()
    assert req.status == "published" and rec.part == by_name["附件.docx"] and rec.digest == rec.part.digest
    services.record_publication(org.security_officer, req, where="政务新媒体", published_on=today(),
                                upload=upload("x.txt", TEXT.encode()))  # fmt: skip
    assert req.publications.count() == 2


def test_a_redacted_version_is_published_by_its_file_under_each_cipher(org, cipher):
    """The redacted file the reviewer supplies is fingerprinted from the bytes uploaded."""
    req = to_office(org, submit(org.staff_confidential, TEXT))
    redacted = docx_bytes("删节后的公开文本。")
    req = services.decide_request(org.security_officer, req, outcome="approve_redacted", reasons="删节后公开",
                                  redacted_uploads=[upload("删节稿.docx", redacted)])  # fmt: skip
    part = req.approved_version.parts.get()
    assert part.digest == hashlib.new(HASH[cipher], redacted).hexdigest()
    with pytest.raises(ValidationFailed) as exc:
        services.record_publication(org.staff_confidential, req, where="门户网站", published_on=today(),
                                    upload=upload("x.txt", TEXT.encode()))  # fmt: skip
    assert NOT_APPROVED in str(exc.value)
    rec = services.record_publication(org.staff_confidential, req, where="门户网站", published_on=today(),
                                      upload=upload("删节稿.docx", redacted))  # fmt: skip
    assert rec.part == part


def test_the_api_journey_under_each_cipher_refuses_another_file_with_a_message(org, api_client, cipher):
    """Through the API: the approved docx is published; another file is a 400 with the Chinese
    message and the code ``digest_mismatch`` — never a 500 (R-PUB-1)."""
    base = "/api/v1/publication"
    docx = docx_bytes("附件：工作进展。")
    api_client.force_authenticate(org.staff_confidential)
    f = io.BytesIO(docx)
    f.name = "附件.docx"
    r = api_client.post(f"{base}/requests/", {"title": "一季度工作情况", "channel": "website",
                                              "intended_on": today().isoformat(), "formed_on": today().isoformat(),
                                              "deadline_kind": "proactive", "text": TEXT, "uploads": [f]},
                        format="multipart")  # fmt: skip
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    api_client.force_authenticate(org.dept_head)
    r = api_client.post(
        f"{base}/requests/{rid}/review-department/", {"agree": True, "reasons": "同意"}, format="json"
    )
    api_client.force_authenticate(org.security_officer)
    r = api_client.post(
        f"{base}/requests/{rid}/decide/", {"outcome": "approve", "reasons": "同意"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    api_client.force_authenticate(org.staff_confidential)
    for name, data in (("附件.docx", docx_bytes("另一份文件。")), ("x.txt", TEXT.encode() + b" ")):
        f = io.BytesIO(data)
        f.name = name
        r = api_client.post(f"{base}/requests/{rid}/publish/", {"where": "门户网站", "published_on": today().isoformat(),
                                                                "file": f}, format="multipart")  # fmt: skip
        assert r.status_code == 400 and r.json()["error"]["code"] == "digest_mismatch"
        assert NOT_APPROVED in r.json()["error"]["message"]
    f = io.BytesIO(docx)
    f.name = "附件.docx"
    r = api_client.post(f"{base}/requests/{rid}/publish/", {"where": "门户网站", "published_on": today().isoformat(),
                                                            "file": f}, format="multipart")  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "published"


def test_the_publish_form_shows_the_message_under_aes(client, org, settings):
    """The page shows the refusal in Chinese; the approved file is then recorded."""
    settings.CIPHER = "aes"
    req = approve(org, submit(org.staff_confidential, TEXT))
    client.force_login(org.staff_confidential)
    url = f"/publication/{req.pk}/publish/"
    r = client.post(url, {"where": "门户网站", "published_on": today().isoformat(),
                          "file": upload("x.txt", "别的文本。".encode())}, follow=True)  # fmt: skip
    assert r.status_code == 200 and NOT_APPROVED in r.content.decode()
    assert "以上摘要值是加密存储的存储摘要" not in client.get(f"/publication/{req.pk}/").content.decode()
    r = client.post(url, {"where": "门户网站", "published_on": today().isoformat(),
                          "file": upload("x.txt", TEXT.encode())}, follow=True)  # fmt: skip
    assert "发布情况已登记" in r.content.decode()


def test_attachments_without_a_kept_digest_are_read_back_when_the_hash_differs(org, settings):
    """Rows stored before the attachment kept its digest, or under another cipher: SM4 blobs give
    their plaintext SM3 without a read; an AES tag digest, or a cipher changed since the
    upload, is replaced by the plaintext read back through the vault (audited)."""
    docx = docx_bytes("附件：工作进展。")
    req = submit(org.staff_confidential, TEXT, uploads=[upload("附件.docx", docx)])  # SM4, SM3
    att = req.attachments.get()
    att.digest, att.digest_algorithm = "", ""  # as stored before this field existed
    att.save(update_fields=["digest", "digest_algorithm"])
    settings.CIPHER = "aes"  # the installation switched cipher before the approval
    since = last_audit_id()
    version = approve(org, req).approved_version
    assert version.algorithm == "sha256"
    part = version.parts.get(name="附件.docx")
    assert part.digest == hashlib.sha256(docx).hexdigest()
    assert blob_reads(since, att.blob).count() == 1
    rec = services.record_publication(org.staff_confidential, req, where="门户网站", published_on=today(),
                                      upload=upload("附件.docx", docx))  # fmt: skip
    assert rec.part == part


def test_a_version_frozen_with_the_vault_tag_digest_is_still_published_by_content(client, org, settings):
    """Versions approved on AES installations before this fix recorded ``tag-sha256`` (the
    vault's digest over GCM tags, not of any file). They stay as frozen; a published file is
    matched by reading the parts back and comparing plaintext digests, a typed digest as
    shown still matches, and another file is refused (R-PUB-1)."""
    settings.CIPHER = "aes"
    req = approve(org, submit(org.staff_confidential, TEXT))
    version = req.approved_version
    # Rewrite the frozen rows as the former freeze wrote them: the vault's storage digests.
    version.algorithm, version.digest = version.manifest.digest_algorithm, version.manifest.digest
    version.save(update_fields=["algorithm", "digest"])
    part = version.parts.get()
    part.digest = part.blob.digest
    part.save(update_fields=["digest"])
    assert version.algorithm == "tag-sha256" and part.blob.digest_algorithm == "tag-sha256"
    # The page and the review form say that these digests are not of the content.
    client.force_login(org.security_officer)
    assert "以上摘要值是加密存储的存储摘要" in client.get(f"/publication/{req.pk}/").content.decode()
    r = client.get(f"/publication/{req.pk}/form.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    with pytest.raises(ValidationFailed) as exc:
        services.record_publication(org.staff_confidential, req, where="门户网站", published_on=today(),
                                    upload=upload("x.txt", "别的文本。".encode()))  # fmt: skip
    assert exc.value.code == "digest_mismatch" and NOT_APPROVED in str(exc.value)
    since = last_audit_id()
    rec = services.record_publication(org.staff_confidential, req, where="门户网站", published_on=today(),
                                      upload=upload("x.txt", TEXT.encode()))  # fmt: skip
    assert rec.part == part and rec.digest == hashlib.sha256(TEXT.encode()).hexdigest()
    assert blob_reads(since, part.blob).count() == 1
    services.record_publication(
        org.security_officer, req, where="政务新媒体", published_on=today(), digest=version.digest
    )
    assert req.publications.count() == 2
