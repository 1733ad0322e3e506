"""Stamping a PDF for viewing keeps memory bounded (SEC-4, issue 11 §6).

pypdf holds a whole PDF while stamping it, so the carrier content service refuses files above
``BAOMI_CARRIERS_STAMP_MAX_MB`` (64 by default) before decrypting them, and reads the decrypted
chunks into one buffer without a second copy. A child process builds a 32 MiB PDF (ten pages,
each with an incompressible image), feeds it in 1 MiB chunks through ``read_for_stamping`` and
``stamp_pdf`` as ``view_content`` does, and reports its peak resident set size (VmHWM) before
and after. The figure is recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import io, json, os, sys
    import django
    django.setup()
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject, NumberObject, DictionaryObject
    from baomi.carriers import watermark
    from baomi.carriers.services.content import read_for_stamping

    def vm_hwm_kib():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    mib = int(sys.argv[1])
    path = sys.argv[2]
    writer = PdfWriter()
    side = 1024
    for n in range(mib // 3 if sys.argv[3] == "make" else 0):
        page = writer.add_blank_page(595, 842)
        image = DecodedStreamObject()
        image.set_data(os.urandom(side * side * 3))
        image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                      NameObject("/Width"): NumberObject(side), NameObject("/Height"): NumberObject(side),
                      NameObject("/BitsPerComponent"): NumberObject(8),
                      NameObject("/ColorSpace"): NameObject("/DeviceRGB")})
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})})
    if sys.argv[3] == "make":
        with open(path, "wb") as fh:
            writer.write(fh)
        sys.exit(0)
    del writer
    size = os.path.getsize(path)
    baseline = vm_hwm_kib()

    def chunks():
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                yield block

    out = watermark.stamp_pdf(read_for_stamping(chunks()), copy_number="000001", mark="机密★10年",
                              text="reader 2026-12-06 BM-2026-E-000001")
    peak = vm_hwm_kib()
    pages = len(PdfReader(io.BytesIO(out)).pages)
    print(json.dumps({"size": size, "baseline_kib": baseline, "peak_kib": peak, "pages": pages,
                      "out": len(out)}))
    """
)


def test_stamping_a_32_mib_pdf_keeps_peak_rss_bounded(tmp_path):
    """SEC-4: stamping a 32 MiB PDF raises peak RSS by less than 4× its size (the source buffer,
    pypdf's parsed copy, the written output) — so the default 64 MB cap bounds a worker's
    growth to about 260 MB, whatever is uploaded."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="baomi.settings")
    env.pop("BAOMI_TEST_DB", None)
    path = str(tmp_path / "big.pdf")
    subprocess.run([sys.executable, "-c", CHILD, "32", path, "make"], env=env, check=True, timeout=120)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "32", path, "stamp"],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    print(done.stdout)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["pages"] == 10 and figures["size"] > 30 << 20
    grown = (figures["peak_kib"] << 10) - (figures["baseline_kib"] << 10)
    assert grown < 4 * figures["size"], figures
