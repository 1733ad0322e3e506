"""Memory stays constant while streaming (SEC-4): 64 MiB through the vault in a fresh process.

The child process encrypts 64 MiB generated on the fly into a blob file (atomic writer, real
provider, 1 MiB chunks) and decrypts it back, then reports its peak resident set size (VmHWM
from /proc/self/status) before and after. A whole-file implementation would need at least
128 MiB more; the streaming one needs a few chunks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent(
    """
    import hashlib, json, os, sys
    import django
    django.setup()
    from baomi.vault import storage, stream
    from baomi.vault.crypto import get_provider

    def vm_hwm_kib():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    provider = get_provider(sys.argv[1])
    total_mib = int(sys.argv[2])
    block = os.urandom(1 << 20)
    baseline = vm_hwm_kib()

    def source():
        for i in range(total_mib):
            yield i.to_bytes(8, "big") + block[8:]

    key, blob_id, name = provider.new_key(), os.urandom(16), storage.new_storage_name()
    digest = provider.new_digest()
    with storage.atomic_writer(name) as fh:
        size = stream.encrypt(provider, key, blob_id, source(), fh, digest=digest)
    fh, file_size = storage.open_for_reading(name)
    check = provider.new_digest()
    with stream.PlaintextReader(
        stream.decrypt(provider, key, blob_id, fh, file_size=file_size, chunk_size=stream.DEFAULT_CHUNK_SIZE,
                       expected_size=size), fh) as reader:
        for chunk in reader:
            check.update(chunk)
    storage.erase(name)
    print(json.dumps({"baseline_kib": baseline, "peak_kib": vm_hwm_kib(), "size": size,
                      "same": check.hexdigest() == digest.hexdigest()}))
    """
)


@pytest.mark.parametrize("cipher", ["sm4", "aes"])
def test_streaming_64_mib_keeps_peak_rss_bounded(tmp_path, cipher):
    """Encrypting and decrypting 64 MiB raises peak RSS by less than 24 MiB, and the whole
    process stays under 100 MB (SEC-4: constant memory whatever the blob's size)."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="baomi.settings", BAOMI_BLOB_DIR=str(tmp_path / "blobs"))
    env.pop("BAOMI_TEST_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, cipher, "64"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["size"] == 64 << 20
    assert figures["same"] is True
    grown_mib = (figures["peak_kib"] - figures["baseline_kib"]) / 1024
    assert grown_mib < 24, figures
    assert figures["peak_kib"] < 100 * 1000, figures


@pytest.mark.s3
def test_streaming_64_mib_through_s3_keeps_peak_rss_bounded(tmp_path, seaweed, s3_prefix):
    """The same through the S3 backend (real SeaweedFS): multipart upload of 5 MiB parts, two in
    flight, and a streaming GET — peak RSS grows by the parts in flight, not by the blob (SEC-4).
    boto3 itself adds about 26-31 MiB to the process before any byte moves (docs/benchmarks.md)."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="baomi.settings", BAOMI_BLOB_DIR=str(tmp_path / "blobs"),
               **seaweed.env(s3_prefix))  # fmt: skip
    env.pop("BAOMI_TEST_DB", None)
    child = CHILD.replace("baseline = vm_hwm_kib()", "storage.get().check()\nbaseline = vm_hwm_kib()")
    done = subprocess.run(
        [sys.executable, "-c", child, "aes", "64"], env=env, capture_output=True, text=True, check=True,
        timeout=300,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["size"] == 64 << 20 and figures["same"] is True
    grown_mib = (figures["peak_kib"] - figures["baseline_kib"]) / 1024
    assert grown_mib < 40, figures  # a whole-object implementation would need 64 MiB more at least
    # No absolute cap here: the baseline grows with every installed app and boto3's import (26-31
    # MiB); what SEC-4 asks is that streaming does not grow with the blob, asserted just above.
    assert figures["baseline_kib"] > 0, figures
    assert seaweed.keys(s3_prefix) == []
