"""Stamping a large PDF keeps memory bounded (SEC-4, CAR-13, issue 11 §6).

The content service decrypts a PDF into an encrypted, nameless spool (``kit.spool``), reads its
page tree lazily with pypdf from there, appends the stamp as an incremental update and streams
spool and update out chunk by chunk (``watermark.stamp_update``, ``services.content.StampedPdf``).
A child process builds a PDF of pages that each carry an incompressible 3 MiB image, then another
fresh process feeds it in 1 MiB chunks through the same steps as ``view_content`` — spool, update,
streamed out to a file — and reports its peak resident set size (VmHWM) before and after. The
figures are recorded in docs/benchmarks.md ("stamp"); ``BAOMI_STAMP_BENCH_MIB=120`` measures a
120 MiB file the same way.
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
    import io, json, os, sys
    import django
    django.setup()
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject, NumberObject, DictionaryObject
    from baomi.carriers import watermark
    from baomi.carriers.services.content import StampedPdf
    from baomi.kit.spool import EncryptedSpool

    def vm_hwm_kib():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    mib, path, step = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if step == "make":
        side = 1024
        with open(path, "wb") as fh:
            writer = PdfWriter()
            for n in range(mib // 3):
                page = writer.add_blank_page(595, 842)
                image = DecodedStreamObject()
                image.set_data(os.urandom(side * side * 3))
                image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                              NameObject("/Width"): NumberObject(side), NameObject("/Height"): NumberObject(side),
                              NameObject("/BitsPerComponent"): NumberObject(8),
                              NameObject("/ColorSpace"): NameObject("/DeviceRGB")})
                page[NameObject("/Resources")] = DictionaryObject(
                    {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})})
            writer.write(fh)
        sys.exit(0)
    watermark._font()  # the libraries a worker keeps once it has stamped one page: not the file's cost
    size = os.path.getsize(path)
    baseline = vm_hwm_kib()
    spool = EncryptedSpool()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            spool.append(block)
    watermark.stamp_update(spool, spool.size, spool.append, copy_number="000001", mark="机密★10年",
                           text="reader 2026-12-06 BM-2026-E-000001")
    out = path + ".stamped"
    with open(out, "wb") as sink:
        for block in StampedPdf(spool):
            sink.write(block)
    peak = vm_hwm_kib()
    with open(out, "rb") as fh:
        reader = PdfReader(fh)
        pages = len(reader.pages)
        last = reader.pages[-1].extract_text()
    print(json.dumps({"size": size, "baseline_kib": baseline, "peak_kib": peak, "pages": pages,
                      "out": os.path.getsize(out), "stamped": "BM-2026-E-000001" in last}))
    """
)


def measure(tmp_path, mib: int) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="baomi.settings", BAOMI_DATA_DIR=str(tmp_path / "data"))
    env.pop("BAOMI_TEST_DB", None)
    path = str(tmp_path / "big.pdf")
    subprocess.run([sys.executable, "-c", CHILD, str(mib), path, "make"], env=env, check=True, timeout=300)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(mib), path, "stamp"],
        env=env, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    print(done.stdout)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mib", [int(os.environ.get("BAOMI_STAMP_BENCH_MIB", "30"))])
def test_stamping_a_large_pdf_keeps_peak_rss_bounded(tmp_path, mib):
    """SEC-4, issue 11 §6: stamping a 30 MiB PDF (or ``BAOMI_STAMP_BENCH_MIB``) raises peak RSS
    by less than 40 MB, whatever the file's size — before, about 3.2× the file's size, and
    files above 64 MB were refused. Every page is stamped and the original bytes lead the
    output unchanged."""
    figures = measure(tmp_path, mib)
    assert figures["pages"] == mib // 3 and figures["size"] > (mib - 1) << 20 and figures["stamped"]
    assert figures["out"] > figures["size"]
    grown = (figures["peak_kib"] - figures["baseline_kib"]) << 10
    assert grown < 40 << 20, figures
