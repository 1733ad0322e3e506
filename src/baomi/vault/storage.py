"""Where encrypted blobs are kept (SEC-4, SEC-6, STYLE 2.6): one interface, two backends.

The vault writes and reads the *same* encrypted stream format (docs/vault.md) through a
:class:`BlobStore`; the store only ever sees ciphertext under an opaque random name
(``secrets.token_hex``: 128 random bits, never derived from a title, number or any metadata).

- :class:`LocalStore` (``BAOMI_BLOB_STORE=local``, the default): ``BLOB_DIR/<2 hex>/<32 hex>``.
  A file is written to ``.tmp-<name>`` beside it, flushed and fsynced, renamed into place and the
  directory fsynced, so a crash leaves either no file or a complete one.
- :class:`S3Store` (``BAOMI_BLOB_STORE=s3``): an S3-compatible object store shared by every
  application node (SeaweedFS, MinIO, Ceph RGW, ...), through boto3 — no hand-written signing.
  Key ``<prefix><2 hex>/<32 hex>``; path-style addressing; TLS verified (plain HTTP only to the
  loopback interface unless explicitly allowed). Content streams: a multipart upload of parts of
  ``part_size`` with at most ``concurrency`` parts in flight (an object appears only when the
  upload completes — the store's own atomicity; a failed upload is aborted), and a streaming GET
  that resumes with a ``Range`` request if the connection breaks (``If-Match`` the ETag, so a
  changed object is never spliced in).

Each row records where its blob lives (``Blob.location``); new content goes to
``settings.BLOB_STORE``. ``baomi vault migrate --to s3`` moves existing blobs
(:func:`baomi.vault.services.migrate_blobs`). Errors of the store become
:class:`~baomi.vault.errors.StoreUnavailable` (503, try again) or
:class:`~baomi.vault.errors.StoreMisconfigured` (wrong credentials, bucket, certificate);
:func:`startup_check` raises the latter when a node starts, not on every request.

The web server must never serve ``BLOB_DIR``, and the bucket is never public (docs/operations.md).
"""

from __future__ import annotations

import bisect
import configparser
import contextlib
import datetime as dt
import io
import ipaddress
import logging
import os
import re
import secrets
import shutil
import stat
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import urlsplit

from django.conf import settings

from baomi.vault.errors import StoreMisconfigured, StoreUnavailable

log = logging.getLogger("baomi.vault")

TEMP_PREFIX = ".tmp-"
LOCAL, S3 = "local", "s3"
KINDS = (LOCAL, S3)
NAME_RE = re.compile(r"^[0-9a-f]{32}$")
MIB = 1 << 20


def new_storage_name() -> str:
    """A fresh opaque name: 128 random bits as 32 hex digits."""
    return secrets.token_hex(16)


def _check_name(name: str) -> str:
    if not NAME_RE.match(name or ""):
        raise ValueError("not a blob storage name")
    return name


@dataclass(frozen=True)
class StoredObject:
    """One object found in a store: a blob (``name`` is its storage name) or a temporary left by
    a write in progress or interrupted (``temporary``). ``location`` is what an operator sees
    (the path under ``BLOB_DIR``, or the object key); ``handle`` is what :meth:`BlobStore.remove`
    needs."""

    name: str
    location: str
    temporary: bool
    age_seconds: float
    size: int | None = None
    handle: Any = field(default=None, compare=False, repr=False)


class BlobStore(ABC):
    """What the vault needs from wherever blobs are kept."""

    kind: str

    @abstractmethod
    def writer(self, name: str) -> contextlib.AbstractContextManager[BinaryIO]:
        """A file-like to ``write`` blob ``name`` into; the blob appears under its name only when
        the ``with`` block ends without an error (otherwise nothing is left but, at worst, a
        temporary that :meth:`iter_objects` reports)."""

    @abstractmethod
    def open(self, name: str) -> tuple[BinaryIO, int]:
        """Open blob ``name`` for reading from its start; return it and its size in bytes.
        ``FileNotFoundError`` when there is no such blob."""

    @abstractmethod
    def exists(self, name: str) -> bool: ...

    @abstractmethod
    def erase(self, name: str) -> bool:
        """Delete blob ``name``; return whether it was there."""

    @abstractmethod
    def iter_objects(self) -> Iterator[StoredObject]:
        """Every object of the store: blobs, unknown objects and temporaries."""

    @abstractmethod
    def remove(self, obj: StoredObject) -> None:
        """Delete an object found by :meth:`iter_objects` (an orphan or a stale temporary)."""

    @abstractmethod
    def check(self) -> None:
        """Raise :class:`StoreMisconfigured` or :class:`StoreUnavailable` if the store cannot be
        used (called when a node starts and by ``baomi vault migrate``)."""

    def describe(self) -> str:
        return self.kind

    # -- whole-store copies (backup and restore, SEC-6) -------------------------------------

    def export_to(self, dest: Path, names: Iterable[str] | None = None) -> list[str]:
        """Copy every blob (or those ``names``) byte for byte to ``dest/<2 hex>/<32 hex>``;
        return the names copied. Memory stays at one buffer whatever the sizes."""
        wanted = set(names) if names is not None else None
        copied = []
        for obj in self.iter_objects():
            if (
                obj.temporary
                or not NAME_RE.match(obj.name)
                or (wanted is not None and obj.name not in wanted)
            ):
                continue
            target = dest / obj.name[:2] / obj.name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                fh, _size = self.open(obj.name)
            except FileNotFoundError:  # deleted since the listing (shredded meanwhile)
                continue
            with fh, open(target, "wb") as out:
                shutil.copyfileobj(fh, out, MIB)
            copied.append(obj.name)
        return copied

    def put_file(self, path: Path, name: str) -> None:
        """Store the file ``path`` (already encrypted) as blob ``name``."""
        with open(path, "rb") as src, self.writer(name) as out:
            shutil.copyfileobj(src, out, MIB)


# --- the local directory ----------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalStore(BlobStore):
    """Blobs as files under ``root`` (``settings.BLOB_DIR``), mode 0600 in 0700 directories."""

    kind = LOCAL

    def __init__(self, root: Path):
        self.root = Path(root)

    def describe(self) -> str:
        return f"local {self.root}"

    def path_for(self, name: str) -> Path:
        _check_name(name)
        return self.root / name[:2] / name

    @contextlib.contextmanager
    def writer(self, name: str) -> Iterator[BinaryIO]:
        final = self.path_for(name)
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = final.with_name(TEMP_PREFIX + name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        fh = os.fdopen(fd, "wb")
        try:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            os.rename(tmp, final)
            _fsync_dir(final.parent)
        except BaseException:
            fh.close()
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise

    def open(self, name: str) -> tuple[BinaryIO, int]:
        fh = open(self.path_for(name), "rb")  # noqa: SIM115  # closed by the reader that consumes it
        return fh, os.fstat(fh.fileno()).st_size

    def exists(self, name: str) -> bool:
        return self.path_for(name).exists()

    def erase(self, name: str) -> bool:
        """Unlink and fsync the directory. Overwriting in place is not attempted: on journalling,
        copy-on-write and flash storage it does not reach the old blocks; the content is
        unreadable because its data key is gone (crypto-shredding)."""
        path = self.path_for(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_dir(path.parent)
        return True

    def iter_objects(self) -> Iterator[StoredObject]:
        base = self.root
        if not base.exists():
            return
        now = time.time()
        for sub in sorted(base.iterdir()):
            entries = [sub] if not sub.is_dir() else sorted(sub.iterdir())
            for entry in entries:
                try:
                    st = entry.stat()
                except FileNotFoundError:  # renamed or removed while listing
                    continue
                temporary = entry.name.startswith(TEMP_PREFIX)
                name = entry.name[len(TEMP_PREFIX) :] if temporary else entry.name
                yield StoredObject(
                    name, str(entry.relative_to(base)), temporary, now - st.st_mtime, st.st_size, entry
                )

    def remove(self, obj: StoredObject) -> None:
        Path(obj.handle).unlink(missing_ok=True)

    def check(self) -> None:
        if self.root.exists() and not os.access(self.root, os.W_OK | os.X_OK):
            error = StoreMisconfigured()
            error.reason = f"blob directory {self.root} is not writable"
            raise error


# --- S3-compatible object storage -------------------------------------------------------------


@dataclass(frozen=True)
class S3Config:
    """The S3 settings (``settings.BLOB_S3``, from ``BAOMI_S3_*``), with credentials resolved."""

    endpoint: str
    bucket: str
    region: str = "us-east-1"
    prefix: str = ""
    access_key_id: str = ""
    secret_access_key: str = field(default="", repr=False)
    ca_bundle: str = ""
    allow_http: bool = False
    part_size: int = 5 * MIB
    concurrency: int = 2

    @classmethod
    def from_settings(cls) -> S3Config:
        raw = dict(getattr(settings, "BLOB_S3", {}) or {})
        endpoint = str(raw.get("endpoint") or "").strip()
        bucket = str(raw.get("bucket") or "").strip()
        key_id = str(raw.get("access_key_id") or "")
        secret = str(raw.get("secret_access_key") or "")
        if not (key_id and secret) and raw.get("credentials_file"):
            key_id, secret = read_credentials_file(Path(raw["credentials_file"]))
        missing = [n for n, v in (("BAOMI_S3_ENDPOINT", endpoint), ("BAOMI_S3_BUCKET", bucket),
                                  ("BAOMI_S3_ACCESS_KEY_ID", key_id),
                                  ("BAOMI_S3_SECRET_ACCESS_KEY", secret)) if not v]  # fmt: skip
        if missing:
            raise _misconfigured("missing settings: " + ", ".join(missing))
        prefix = str(raw.get("prefix") or "").strip("/")
        part_size = int(raw.get("part_size_mib") or 5) * MIB
        if not 5 * MIB <= part_size <= 512 * MIB:
            raise _misconfigured("BAOMI_S3_PART_SIZE_MIB must be between 5 and 512")
        config = cls(
            endpoint=endpoint,
            bucket=bucket,
            region=str(raw.get("region") or "us-east-1"),
            prefix=prefix + "/" if prefix else "",
            access_key_id=key_id,
            secret_access_key=secret,
            ca_bundle=str(raw.get("ca_bundle") or ""),
            allow_http=bool(raw.get("allow_http")),
            part_size=part_size,
            concurrency=max(1, int(raw.get("concurrency") or 2)),
        )
        config.check_transport()
        return config

    def check_transport(self) -> None:
        """HTTPS with certificate verification; plain HTTP only to the loopback interface (a
        store on the same machine) unless ``BAOMI_S3_ALLOW_HTTP=1`` says otherwise."""
        parts = urlsplit(self.endpoint)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise _misconfigured(f"BAOMI_S3_ENDPOINT is not an http(s) URL: {self.endpoint!r}")
        if parts.scheme == "http" and not self.allow_http and not _loopback(parts.hostname):
            raise _misconfigured("plain HTTP to a remote object store; use https (or BAOMI_S3_ALLOW_HTTP=1)")
        if self.ca_bundle and not Path(self.ca_bundle).is_file():
            raise _misconfigured(f"BAOMI_S3_CA_BUNDLE {self.ca_bundle} is not a file")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_credentials_file(path: Path) -> tuple[str, str]:
    """Access key id and secret from ``path``: the AWS shared-credentials format
    (``[default]`` with ``aws_access_key_id`` / ``aws_secret_access_key``). The file must be
    readable by the service account only (mode 0600), like the key files."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "", ""
    if stat.S_IMODE(mode) & 0o077:
        raise _misconfigured(f"{path} is readable by other accounts; chmod 600 it")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, configparser.Error) as exc:
        raise _misconfigured(f"{path} cannot be read: {exc}") from None
    section = parser["default"] if parser.has_section("default") else next(iter(parser.values()))
    for sec in [section, *(parser[s] for s in parser.sections())]:
        key_id = sec.get("aws_access_key_id") or sec.get("access_key_id") or ""
        secret = sec.get("aws_secret_access_key") or sec.get("secret_access_key") or ""
        if key_id and secret:
            return key_id.strip(), secret.strip()
    raise _misconfigured(f"{path} holds no aws_access_key_id / aws_secret_access_key")


def _misconfigured(reason: str) -> StoreMisconfigured:
    error = StoreMisconfigured()
    error.reason = reason
    return error


def _unavailable(reason: str) -> StoreUnavailable:
    error = StoreUnavailable()
    error.reason = reason
    return error


# Error codes of S3 that mean "this installation is configured wrongly", not "try again".
_CONFIG_CODES = {
    "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "Forbidden", "NoSuchBucket",
    "InvalidBucketName", "AuthorizationHeaderMalformed", "InvalidToken", "ExpiredToken", "AllAccessDisabled",
    "PermanentRedirect", "IllegalLocationConstraintException",
}  # fmt: skip
_MISSING_CODES = {"NoSuchKey", "404", "NotFound", "NoSuchUpload"}


def translate_error(exc: BaseException, what: str) -> BaseException:
    """Turn a botocore/urllib3 error into the vault's own: ``FileNotFoundError`` for a missing
    key, :class:`StoreMisconfigured` for credentials/bucket/TLS, else :class:`StoreUnavailable`."""
    from botocore import exceptions as bx

    if isinstance(exc, StoreUnavailable | StoreMisconfigured | FileNotFoundError):
        return exc
    if isinstance(exc, bx.ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in _MISSING_CODES and code != "NoSuchBucket":
            return FileNotFoundError(what)
        if code in _CONFIG_CODES or status in {401, 403}:
            return _misconfigured(f"{what}: {code} {error.get('Message', '')}".strip())
        return _unavailable(f"{what}: {code or status} {error.get('Message', '')}".strip())
    if isinstance(exc, bx.SSLError):
        return _misconfigured(f"{what}: TLS certificate verification failed: {exc}")
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return _misconfigured(f"{what}: {exc}")
    return _unavailable(f"{what}: {type(exc).__name__}: {exc}")


def _transient(exc: BaseException) -> bool:
    """A broken connection while streaming a body (resumable with a Range request)."""
    from botocore import exceptions as bx
    from urllib3 import exceptions as ux

    return isinstance(
        exc,
        ux.ProtocolError | ux.ReadTimeoutError | ux.IncompleteRead | bx.ReadTimeoutError
        | bx.ResponseStreamingError | bx.ConnectionClosedError | bx.IncompleteReadError | ConnectionError,
    )  # fmt: skip


class S3Store(BlobStore):
    """Blobs as objects of one bucket of an S3-compatible store (see the module docstring)."""

    kind = S3

    def __init__(self, config: S3Config):
        self.config = config
        self._client: Any = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        return f"s3 {self.config.endpoint}/{self.config.bucket}/{self.config.prefix}"

    @property
    def client(self) -> Any:
        """The boto3 client (thread-safe; one per process and configuration)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3
                    from botocore.config import Config

                    c = self.config
                    self._client = boto3.session.Session().client(
                        "s3",
                        endpoint_url=c.endpoint,
                        region_name=c.region,
                        aws_access_key_id=c.access_key_id,
                        aws_secret_access_key=c.secret_access_key,
                        verify=c.ca_bundle or True,
                        config=Config(
                            signature_version="s3v4",
                            s3={"addressing_style": "path"},
                            retries={"max_attempts": 3, "mode": "standard"},
                            connect_timeout=5,
                            read_timeout=60,
                            max_pool_connections=10 + 2 * c.concurrency,
                        ),
                    )
        return self._client

    def key_for(self, name: str) -> str:
        _check_name(name)
        return f"{self.config.prefix}{name[:2]}/{name}"

    def _call(self, what: str, fn: Any, **kwargs: Any) -> Any:
        try:
            return fn(Bucket=self.config.bucket, **kwargs)
        except Exception as exc:
            raise translate_error(exc, what) from exc

    def writer(self, name: str) -> contextlib.AbstractContextManager[BinaryIO]:
        return _S3Upload(self, self.key_for(name))

    def open(self, name: str) -> tuple[BinaryIO, int]:
        key = self.key_for(name)
        response = self._call("get", self.client.get_object, Key=key)
        size = int(response["ContentLength"])
        reader = S3Reader(self, key, size, response["ETag"], response["Body"])
        return cast(BinaryIO, reader), size

    def exists(self, name: str) -> bool:
        try:
            self._call("head", self.client.head_object, Key=self.key_for(name))
        except FileNotFoundError:
            return False
        return True

    def erase(self, name: str) -> bool:
        """Delete the object (a versioned bucket keeps a noncurrent version: expire those with a
        lifecycle rule; without the data key they are unreadable anyway, docs/operations.md)."""
        present = self.exists(name)
        if present:
            self._call("delete", self.client.delete_object, Key=self.key_for(name))
        return present

    def iter_objects(self) -> Iterator[StoredObject]:
        now = dt.datetime.now(dt.UTC)
        prefix = self.config.prefix
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.config.bucket, Prefix=prefix
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    key = item["Key"]
                    name = key.rsplit("/", 1)[-1]
                    if not (NAME_RE.match(name) and key == self.key_for(name)):
                        name = key  # not laid out like a blob: reported under its key
                    age = (now - item["LastModified"]).total_seconds()
                    yield StoredObject(name, key, False, age, int(item.get("Size", 0)), key)
            uploads = self.client.get_paginator("list_multipart_uploads").paginate(
                Bucket=self.config.bucket, Prefix=prefix
            )
            for page in uploads:
                for item in page.get("Uploads", []):
                    key = item["Key"]
                    age = (now - item["Initiated"]).total_seconds()
                    yield StoredObject(key.rsplit("/", 1)[-1], key, True, age, None, (key, item["UploadId"]))
        except (FileNotFoundError, StoreMisconfigured, StoreUnavailable):
            raise
        except Exception as exc:
            raise translate_error(exc, "list") from exc

    def remove(self, obj: StoredObject) -> None:
        if obj.temporary:
            key, upload_id = obj.handle
            with contextlib.suppress(FileNotFoundError):
                self._call("abort", self.client.abort_multipart_upload, Key=key, UploadId=upload_id)
        else:
            self._call("delete", self.client.delete_object, Key=obj.handle)

    def check(self) -> None:
        """List one key of the bucket: proves the endpoint answers, the TLS certificate is
        trusted, the credentials are accepted and the bucket exists."""
        self._call("check", self.client.list_objects_v2, Prefix=self.config.prefix, MaxKeys=1)


class _S3Upload:
    """The writer of one object: fills a buffer up to ``part_size``, then uploads it as a part on
    one of ``concurrency`` threads (at most that many parts in memory besides the one filling;
    the buffer itself is the request body, so nothing is copied on the way).
    A blob smaller than one part is one PUT. The object becomes visible only on completion; any
    error aborts the multipart upload."""

    def __init__(self, store: S3Store, key: str):
        self.store = store
        self.key = key
        self.part_size = store.config.part_size
        # The part being filled: the written blocks themselves, handed over as the request body
        # (read through ``_PartBody``), never joined or copied.
        self._pieces: list[bytes] = []
        self._filled = 0
        self._upload_id: str | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._slots = threading.BoundedSemaphore(store.config.concurrency)
        self._parts: list[Future[dict[str, Any]]] = []

    # file-like
    def write(self, data: bytes) -> int:
        self._pieces.append(bytes(data))
        self._filled += len(data)
        if self._filled >= self.part_size:
            self._send(self._take())
        return len(data)

    def _take(self) -> _PartBody:
        body = _PartBody(self._pieces)
        self._pieces, self._filled = [], 0
        return body

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        pass

    def __enter__(self) -> BinaryIO:
        return self  # type: ignore[return-value]

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self._finish()
        except BaseException:
            self._abort()
            raise
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
        if exc_type is not None:
            self._abort()

    def _upload_part(self, number: int, body: _PartBody) -> dict[str, Any]:
        try:
            response = self.store._call(
                "upload part", self.store.client.upload_part, Key=self.key, UploadId=self._upload_id,
                PartNumber=number, Body=body,
            )  # fmt: skip
            return {"PartNumber": number, "ETag": response["ETag"]}
        finally:
            self._slots.release()

    def _send(self, body: _PartBody) -> None:
        for done in self._parts:
            if done.done() and done.exception() is not None:
                raise done.exception()  # type: ignore[misc]
        if self._upload_id is None:
            response = self.store._call(
                "start upload", self.store.client.create_multipart_upload, Key=self.key
            )
            self._upload_id = response["UploadId"]
            self._pool = ThreadPoolExecutor(self.store.config.concurrency, thread_name_prefix="baomi-s3-part")
        assert self._pool is not None
        self._slots.acquire()
        try:
            self._parts.append(self._pool.submit(self._upload_part, len(self._parts) + 1, body))
        except BaseException:
            self._slots.release()
            raise

    def _finish(self) -> None:
        rest = self._take()
        if self._upload_id is None:
            self.store._call("put", self.store.client.put_object, Key=self.key, Body=rest)
            return
        if rest:
            self._send(rest)
        parts = [f.result() for f in self._parts]
        self.store._call(
            "complete upload", self.store.client.complete_multipart_upload, Key=self.key,
            UploadId=self._upload_id, MultipartUpload={"Parts": parts},
        )  # fmt: skip
        self._upload_id = None

    def _abort(self) -> None:
        if self._upload_id is None:
            return
        upload_id, self._upload_id = self._upload_id, None
        for f in self._parts:
            f.cancel()
        try:
            self.store._call(
                "abort", self.store.client.abort_multipart_upload, Key=self.key, UploadId=upload_id
            )
        except Exception:  # the store is down: the part uploads stay until a check removes them
            log.warning("could not abort the upload of %s; `baomi vault verify` will list it", self.key)


class _PartBody(io.RawIOBase):
    """The blocks of one part as a seekable read-only file (botocore reads it to checksum and
    sign, seeks back, then sends it in small reads) — so a part is never joined into one copy."""

    def __init__(self, pieces: list[bytes]):
        super().__init__()
        self._pieces = pieces
        self._starts: list[int] = []
        total = 0
        for piece in pieces:
            self._starts.append(total)
            total += len(piece)
        self.size = total
        self._pos = 0

    def __len__(self) -> int:
        return self.size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = min(max(0, base + offset), self.size)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        index = max(0, bisect.bisect_right(self._starts, self._pos) - 1)
        while done < len(view) and self._pos < self.size:
            piece, start = self._pieces[index], self._starts[index]
            offset = self._pos - start
            n = min(len(piece) - offset, len(view) - done)
            view[done : done + n] = memoryview(piece)[offset : offset + n]
            done += n
            self._pos += n
            index += 1
        return done


class S3Reader(io.RawIOBase):
    """A read-only, seekable file over one object. Reads stream one GET; if the connection breaks
    (or ends early) the next read resumes with ``Range: bytes=<pos>-`` and ``If-Match`` the ETag
    seen at open, so bytes of a replaced object are never mixed in. ``seek`` moves by starting a
    ranged GET at the new position (the stream format's records sit at fixed offsets)."""

    RESUMES = 3

    def __init__(self, store: S3Store, key: str, size: int, etag: str, body: Any = None):
        super().__init__()
        self.store, self.key, self.size, self.etag = store, key, size, etag
        self._body = body
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        position = max(0, base + offset)
        if position != self._pos:
            self._drop_body()
            self._pos = position
        return self._pos

    def _drop_body(self) -> None:
        if self._body is not None:
            with contextlib.suppress(Exception):
                self._body.close()
            self._body = None

    def _open_at(self, position: int) -> None:
        try:
            response = self.store._call(
                "get range", self.store.client.get_object, Key=self.key, Range=f"bytes={position}-",
                IfMatch=self.etag,
            )  # fmt: skip
        except StoreUnavailable as exc:
            if "PreconditionFailed" in exc.reason or " 412" in exc.reason:
                raise _unavailable(f"{self.key} changed while it was read") from None
            raise
        self._body = response["Body"]

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.size - self._pos
        n = min(n, self.size - self._pos)
        if n <= 0:
            return b""
        parts: list[bytes] = []
        wanted, resumes = n, 0
        while wanted:
            try:
                if self._body is None:
                    self._open_at(self._pos)
                block = self._body.read(wanted)
                if not block:  # ended before the size seen at open: resume where it stopped
                    raise ConnectionError("object stream ended early")
            except Exception as exc:
                self._drop_body()
                if not _transient(exc) or resumes >= self.RESUMES:
                    raise translate_error(exc, "read") from exc
                resumes += 1
                log.info(
                    "resuming the read of %s at byte %d after %s", self.key, self._pos, type(exc).__name__
                )
                continue
            parts.append(block)
            self._pos += len(block)
            wanted -= len(block)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._drop_body()
        super().close()


# --- configuration ----------------------------------------------------------------------------

_stores: dict[Any, BlobStore] = {}
_stores_lock = threading.Lock()


def _s3_cache_key() -> Any:
    raw = dict(getattr(settings, "BLOB_S3", {}) or {})
    creds = raw.get("credentials_file")
    stamp = None
    if creds:
        with contextlib.suppress(OSError):
            st = os.stat(creds)
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    return (S3, tuple(sorted((k, str(v)) for k, v in raw.items())), stamp)


def get(kind: str | None = None) -> BlobStore:
    """The store of ``kind`` (``local`` or ``s3``), by default ``settings.BLOB_STORE``.

    An S3 store is built once per process and configuration (its client is reused); a changed
    credentials file is picked up. Raises :class:`StoreMisconfigured` for an unknown kind or
    incomplete S3 settings."""
    kind = kind or default_kind()
    if kind == LOCAL:
        return LocalStore(Path(settings.BLOB_DIR))
    if kind != S3:
        raise _misconfigured(f"unknown BAOMI_BLOB_STORE {kind!r} (local or s3)")
    cache_key = _s3_cache_key()
    store = _stores.get(cache_key)
    if store is None:
        with _stores_lock:
            store = _stores.get(cache_key)
            if store is None:
                store = S3Store(S3Config.from_settings())
                _stores[cache_key] = store
    return store


def default_kind() -> str:
    return str(getattr(settings, "BLOB_STORE", LOCAL) or LOCAL)


def startup_check() -> None:
    """Check the configured store when a node starts (``baomi.wsgi``, ``baomi scheduler``):
    wrong credentials, a missing bucket or an untrusted certificate stop the node with one clear
    message instead of failing every upload and download. The local directory needs no check."""
    if default_kind() == LOCAL:
        return
    try:
        get().check()
    except (StoreMisconfigured, StoreUnavailable) as exc:
        error = type(exc)(f"{exc} ({exc.reason})" if exc.reason else None)
        error.reason = exc.reason
        raise error from None


def erase_quietly(kind: str, name: str) -> bool:
    """Erase after a commit (shredding, migration): a store that is down must not turn a
    committed destruction into an error page. The object stays and ``baomi vault verify`` lists
    it as a leftover (``--remove-orphans`` removes it); the content is unreadable already."""
    try:
        return get(kind).erase(name)
    except (StoreUnavailable, StoreMisconfigured, OSError) as exc:
        log.warning("could not delete blob %s from the %s store: %s", name, kind, getattr(exc, "reason", exc))
        return False


# --- the module-level API of the local format (and the default store) -------------------------


def root() -> Path:
    return Path(settings.BLOB_DIR)


def path_for(name: str) -> Path:
    """The file of blob ``name`` in the local directory."""
    return LocalStore(root()).path_for(name)


def atomic_writer(name: str) -> contextlib.AbstractContextManager[BinaryIO]:
    """A writer of blob ``name`` in the default store (see :meth:`BlobStore.writer`)."""
    return get().writer(name)


def open_for_reading(name: str, kind: str | None = None) -> tuple[BinaryIO, int]:
    """Open blob ``name`` (in store ``kind``, default the configured one): (file, size)."""
    return get(kind).open(name)


def exists(name: str, kind: str | None = None) -> bool:
    return get(kind).exists(name)


def erase(name: str, kind: str | None = None) -> bool:
    return get(kind).erase(name)


def iter_files(kind: str | None = None) -> Iterator[StoredObject]:
    """Every object of the store ``kind`` (default the configured one): blobs and temporaries."""
    return get(kind).iter_objects()


# --- backup and restore of every blob (SEC-6; called by baomi.ops.backup) --------------------


def _locations(names: list[str] | None = None) -> dict[str, str]:
    """storage name → store, for ``names`` (or the distinct stores only, keyed by themselves,
    when None); empty before the vault's tables exist (a restore runs before ``baomi migrate``,
    and a backup of an older release has no ``location``)."""
    from django.db import DatabaseError, transaction

    from baomi.vault.models import Blob

    try:
        with transaction.atomic():
            if names is None:
                return {k: k for k in Blob.objects.values_list("location", flat=True).distinct()}
            found: dict[str, str] = {}
            for start in range(0, len(names), 1000):
                found.update(
                    Blob.objects.filter(storage_name__in=names[start : start + 1000]).values_list(
                        "storage_name", "location"
                    )
                )
            return found
    except DatabaseError:
        return {}


def kinds_in_use() -> list[str]:
    """The configured store, and every store a row says holds a blob (during a migration)."""
    kinds = {default_kind(), *_locations()}
    return [k for k in KINDS if k in kinds]


def export_blobs(dest: Path) -> list[str]:
    """Copy every blob of every store in use into ``dest`` (``<2 hex>/<32 hex>``, byte for
    byte, still encrypted). The local directory is copied whole, as it always was."""
    copied: list[str] = []
    for kind in kinds_in_use():
        if kind == LOCAL:
            base = root()
            if base.exists():
                shutil.copytree(base, dest, dirs_exist_ok=True)
                copied += [p.name for p in base.rglob("*") if p.is_file()]
        else:
            copied += get(kind).export_to(dest)
    return copied


def import_blobs(src: Path) -> dict[str, int]:
    """Put the blobs of a backup (``src``, as :func:`export_blobs` wrote it) back where the
    restored rows say they live; a file without a row goes to the configured store. The local
    directory is replaced; in an object store the backup's objects are written and objects the
    backup does not hold (content stored after the backup: no row any more) are deleted.
    Returns how many blobs went to each store."""
    files = [p for p in sorted(src.rglob("*")) if p.is_file()] if src.exists() else []
    where = _locations([p.name for p in files])
    default = default_kind()
    by_kind: dict[str, list[Path]] = {}
    for path in files:
        by_kind.setdefault(where.get(path.name, default), []).append(path)
    counts = {}
    local = root()
    if LOCAL in by_kind or default == LOCAL:
        if local.exists():
            shutil.rmtree(local)
        for path in by_kind.get(LOCAL, []):
            target = local / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(path, target)
            os.chmod(target, 0o600)
        counts[LOCAL] = len(by_kind.get(LOCAL, []))
    for kind in set(by_kind) - {LOCAL}:
        store = get(kind)
        kept = set()
        for path in by_kind[kind]:
            store.put_file(path, path.name)
            kept.add(path.name)
        for obj in store.iter_objects():
            if not obj.temporary and obj.name not in kept:
                store.remove(obj)
        counts[kind] = len(kept)
    return counts
