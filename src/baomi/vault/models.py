"""Encrypted blobs (SEC-4, CAR-2): metadata of one encrypted content file.

The encrypted object lives in the store named by ``location`` (``BAOMI_BLOB_DIR`` or the S3
bucket, ``baomi.vault.storage``) under an opaque random name; its data key is
stored here only wrapped by the master key (``key_id`` names which). Destroying a blob erases
the wrapped key and the file (crypto-shredding) and keeps this row as the record.

Rows are written only by ``baomi.vault.services`` (store, shred, key rotation). ``size`` and
``digest`` describe the plaintext; ``cipher`` names the provider (``sm4`` or ``aes``) and must
equal the cipher byte of the file's header. Invariant: ``shredded_at`` is set if and only if
``wrapped_key`` is null. Format and key hierarchy: docs/vault.md.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Blob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    storage_name = models.CharField(_("storage name"), max_length=64, unique=True, editable=False)
    cipher = models.CharField(_("cipher"), max_length=10, editable=False)
    key_id = models.CharField(_("master key id"), max_length=64, editable=False)
    wrapped_key = models.BinaryField(_("wrapped data key"), editable=False, null=True)
    chunk_size = models.PositiveIntegerField(_("chunk size"), editable=False)
    size = models.BigIntegerField(_("plaintext size"), editable=False)
    digest = models.CharField(_("plaintext digest"), max_length=64, editable=False)
    # Which hash ``digest`` is: "sm3" for SM4 content, "sha256" for AES content (SEC-4).
    digest_algorithm = models.CharField(_("digest algorithm"), max_length=10, default="sm3", editable=False)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    # Which store holds the encrypted object: "local" (BLOB_DIR) or "s3" (the object store);
    # changed only by `baomi vault migrate` (docs/vault.md "Storage backends").
    location = models.CharField(_("store"), max_length=10, default="local", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    shredded_at = models.DateTimeField(_("shredded at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("encrypted blob")
        verbose_name_plural = _("encrypted blobs")

    def __str__(self) -> str:
        return str(self.id)
