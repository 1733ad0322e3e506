"""Errors of the vault (SEC-4, CAR-2), each with a stable code and a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import BaomiError


class VaultError(BaomiError):
    """Base of the vault's errors."""

    code = "vault_error"
    status = 500
    default_message = _("The encrypted content store reported an error.")


class VaultIntegrityError(VaultError):
    """Stored content failed authentication: altered, reordered, truncated, extended or missing.

    Raised before any byte of the damaged chunk is released; the plaintext already returned for
    earlier chunks was itself authenticated, but the content as a whole must be treated as bad.
    """

    code = "vault_integrity"
    status = 500
    reason = ""  # English detail for logs and `baomi vault verify`, set where raised
    default_message = _(
        "The encrypted content failed its integrity check: it has been altered, truncated or damaged. "
        "Report this to the security office."
    )


class BlobShredded(VaultError):
    """The blob's data key has been destroyed (crypto-shredding, CAR-11): the content is gone."""

    code = "blob_shredded"
    status = 410
    default_message = _("This content has been destroyed and can no longer be read.")


class KeyUnavailable(VaultError):
    """The master key ring is missing, unreadable, or does not hold the key a blob needs."""

    code = "key_unavailable"
    status = 500
    default_message = _("The master key needed to read this content is not available.")


class KeyInUse(VaultError):
    """A master key cannot be retired while data keys are still wrapped under it."""

    code = "key_in_use"
    status = 409
    default_message = _("The master key is still in use and cannot be retired.")


class StoreUnavailable(VaultError):
    """The blob store (the object store, or the blob directory's volume) cannot be reached now.

    Raised for connection failures, timeouts and 5xx answers of an S3-compatible store. Nothing
    half-stored becomes visible: an upload that fails is aborted and no row is written.
    ``reason`` keeps the English detail for the log.
    """

    code = "blob_store_unavailable"
    status = 503
    reason = ""
    default_message = _(
        "The store of encrypted content cannot be reached just now; nothing was saved or read. "
        "Try again later, or tell the system administrator if it persists."
    )


class StoreMisconfigured(VaultError):
    """The blob store refuses this installation: wrong credentials, missing bucket, an untrusted
    TLS certificate, or incomplete settings. Checked when a node starts (``baomi.wsgi``,
    ``baomi scheduler``) so a wrong setting stops the node instead of failing every request."""

    code = "blob_store_config"
    status = 503
    reason = ""
    default_message = _(
        "The store of encrypted content refused this server's configuration (credentials, bucket or "
        "certificate). Tell the system administrator."
    )
