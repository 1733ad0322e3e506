"""Stamping PDFs with the mark, the 份号 and a visible watermark (CAR-13, R-MARK-5).

Every page gets, top-left inside the type area (GB/T 9704 §7.2): line 1 the six-digit 份号,
line 2 the mark (``机密★10年``) in a bold face; and a diagonal, light watermark naming the
user, the time and the carrier's registry number, repeated across the page. Done server-side
with reportlab (the overlay) and an incremental update written with pypdf's objects
(:func:`stamp_update`, bounded memory, issue 11 §6); nothing is sent to the browser unstamped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

# pypdf and reportlab (about 20 MB resident) are imported where a PDF is stamped, not when Django
# starts: every web worker, the scheduler and each CLI call would carry them (SEC-4).

FONT = "STSong-Light"  # a standard CID font: no font file to ship, every PDF viewer has it
_font_ready = False

# GB/T 9704: type area starts 37 mm from the top and 28 mm from the left edge of A4.
MM = 72 / 25.4
TOP_MARGIN = 37 * MM
LEFT_MARGIN = 28 * MM


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    global _font_ready
    if not _font_ready:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _font_ready = True
    return FONT


def watermark_text(user: Any, when: Any, registry_number: str) -> str:
    """The watermark line: user, time, carrier number (CAR-13)."""
    name = getattr(user, "full_name", "") or getattr(user, "username", "")
    return "{} {} {} {}".format(
        name, getattr(user, "username", ""), when.strftime("%Y-%m-%d %H:%M"), registry_number
    )


def _overlay(width: float, height: float, *, copy_number: str, mark: str, text: str) -> bytes:
    from reportlab.lib.colors import Color
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    font = _font()
    scale = min(width / (210 * MM), height / (297 * MM), 1.0) or 1.0
    top = height - TOP_MARGIN * scale
    left = LEFT_MARGIN * scale
    size = 16 * scale  # 3号 ≈ 16 pt
    c.setFillColor(Color(0, 0, 0))
    c.setFont(font, size)
    c.drawString(left, top, copy_number)  # line 1: 份号
    c.setFont(font, size)
    c.drawString(left, top - size * 1.5, mark)  # line 2: mark (密级★保密期限)
    c.drawString(left + 0.3, top - size * 1.5, mark)  # drawn twice, offset: a bold stroke for 黑体
    # The visible watermark: light grey, diagonal, repeated.
    c.setFillColor(Color(0.5, 0.5, 0.5, alpha=0.3))
    c.setFont(font, 13 * scale)
    c.saveState()
    c.translate(width / 2, height / 2)
    c.rotate(35)
    step_y = 90 * scale
    step_x = pdfmetrics.stringWidth(text, font, 13 * scale) + 60 * scale
    span = (width**2 + height**2) ** 0.5  # cover the page whatever the rotation
    cols = int(span / step_x / 2) + 1
    rows = int(span / step_y / 2) + 1
    for row in range(-rows, rows + 1):
        shift = (row % 2) * step_x / 2  # staggered rows read as a pattern, not as columns
        for col in range(-cols, cols + 1):
            c.drawCentredString(col * step_x + shift, row * step_y, text)
    c.restoreState()
    # A footer line that survives cropping.
    c.setFillColor(Color(0.3, 0.3, 0.3, alpha=0.8))
    c.setFont(font, 8 * scale)
    c.drawString(left, 14 * scale, text)
    c.showPage()
    c.save()  # lint: allow — a reportlab canvas, not a model
    return buf.getvalue()


class CannotStamp(Exception):
    """The PDF cannot be stamped: it is protected by a password, or too damaged to read."""


class _Window:
    """The first ``size`` bytes of a random-access file, read through a 64 KiB read-ahead buffer:
    what pypdf's reader sees of the spool while the update is appended after them. pypdf reads a
    few bytes at a time (tokens), the spool decrypts per read; the buffer keeps that cheap."""

    BUFFER = 64 << 10

    def __init__(self, source: Any, size: int) -> None:  # any file with seek and read
        self._source, self._size, self._pos = source, size, 0
        self._start, self._buf = 0, b""

    def seek(self, pos: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self._size}[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, n: int = -1) -> bytes:
        end = self._size if n is None or n < 0 else min(self._size, self._pos + n)
        want = end - self._pos
        if want <= 0:
            return b""
        if want >= self.BUFFER:  # a stream's data: read as asked, not kept
            self._source.seek(self._pos)
            data = self._source.read(want)
        else:
            if not (self._start <= self._pos and end <= self._start + len(self._buf)):
                self._source.seek(self._pos)
                self._start, self._buf = (
                    self._pos,
                    self._source.read(min(self.BUFFER, self._size - self._pos)),
                )
            data = self._buf[self._pos - self._start : end - self._start]
        self._pos += len(data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True


_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_OBJ = re.compile(rb"\s*\d+\s+\d+\s+obj")
STAMP_NAME = "/BaomiStamp"


def _last_xref(source: _Window, size: int) -> tuple[int, str]:
    """The offset of the file's last cross-reference section and its kind — ``table``,
    ``stream``, or ``broken`` when the offset points at neither (pypdf then rebuilt the table)."""
    tail_at = max(0, size - 2048)
    source.seek(tail_at)
    found = _STARTXREF.findall(source.read(size - tail_at))
    if not found:
        return 0, "broken"
    offset = int(found[-1])
    source.seek(offset)
    head = source.read(64)
    if head.lstrip().startswith(b"xref"):
        return offset, "table"
    if _OBJ.match(head):
        return offset, "stream"
    return offset, "broken"


class _Appender:
    """The appended section of an incremental update (ISO 32000-1 §7.5.6): new and changed
    objects written as they come to ``write``, their offsets kept for the cross-reference."""

    def __init__(self, write: Callable[[bytes], Any], base: int, next_number: int) -> None:
        self._write, self.offset, self.next_number = write, base, next_number
        self.offsets: dict[int, tuple[int, int]] = {}  # number -> (offset, generation)

    def emit(self, data: bytes) -> None:
        self._write(data)
        self.offset += len(data)

    def reserve(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def put(self, number: int, obj: Any, generation: int = 0) -> None:
        out = io.BytesIO()
        out.write(b"%d %d obj\n" % (number, generation))
        obj.write_to_stream(out)
        out.write(b"\nendobj\n")
        self.offsets[number] = (self.offset, generation)
        self.emit(out.getvalue())


def _stamp_form(
    app: _Appender, width: float, height: float, origin: tuple[float, float], **marks: str
) -> Any:
    """Write the stamp of one page size as a form XObject (its content and the fonts and
    transparency it draws with, copied from reportlab's one-page overlay); its reference."""
    from pypdf import PdfReader
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        IndirectObject,
        NameObject,  # fmt: skip
        NumberObject,
        StreamObject,
    )

    overlay = PdfReader(io.BytesIO(_overlay(width, height, **marks)))
    page = overlay.pages[0]
    numbers: dict[int, int] = {}
    pending: list[tuple[int, Any]] = []

    def copy(obj: Any) -> Any:
        if isinstance(obj, IndirectObject):
            if obj.idnum not in numbers:
                numbers[obj.idnum] = app.reserve()
                pending.append((numbers[obj.idnum], copy(obj.get_object())))
            return IndirectObject(numbers[obj.idnum], 0, None)
        if isinstance(obj, StreamObject):
            fresh = DecodedStreamObject()
            fresh.set_data(obj.get_data())
            for key, value in obj.items():
                if key not in ("/Length", "/Filter", "/DecodeParms"):
                    fresh[NameObject(key)] = copy(value)
            return fresh.flate_encode()
        if isinstance(obj, DictionaryObject):
            return DictionaryObject({NameObject(k): copy(v) for k, v in obj.items()})
        if isinstance(obj, ArrayObject):
            return ArrayObject(copy(v) for v in obj)
        return obj

    form = DecodedStreamObject()
    form.set_data(page.get_contents().get_data())  # type: ignore[union-attr]
    form.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), FloatObject(width), FloatObject(height)]),
        NameObject("/Matrix"): ArrayObject([NumberObject(1), NumberObject(0), NumberObject(0), NumberObject(1),
                                            FloatObject(origin[0]), FloatObject(origin[1])]),
        NameObject("/Resources"): copy(dict.__getitem__(page, "/Resources")),
    })  # fmt: skip
    number = app.reserve()
    app.put(number, form.flate_encode())
    while pending:
        app.put(*pending.pop())
    return IndirectObject(number, 0, None)


def _contents(page: Any) -> list[Any]:
    """The page's content streams as references, whichever form /Contents takes."""
    from pypdf.generic import ArrayObject, IndirectObject

    raw = dict.get(page, "/Contents")
    if raw is None:
        return []
    value = raw.get_object() if isinstance(raw, IndirectObject) else raw
    if isinstance(value, ArrayObject):
        return list(value)  # the array's items, as stored: references
    return [raw]


def _with_stamp(page: Any, stamp: Any) -> tuple[Any, str]:
    """A copy of the page dictionary whose resources name ``stamp`` (a form XObject), and that
    name; the caller sets its /Contents."""
    from pypdf.generic import DictionaryObject, NameObject

    fresh = DictionaryObject({NameObject(k): v for k, v in dict.items(page)})
    resources = fresh.get("/Resources")
    resources = DictionaryObject(dict.items(resources.get_object()) if resources is not None else ())
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(dict.items(xobjects.get_object()) if xobjects is not None else ())
    name = STAMP_NAME
    while name in xobjects:
        name += "X"
    xobjects[NameObject(name)] = stamp
    resources[NameObject("/XObject")] = xobjects
    fresh[NameObject("/Resources")] = resources
    return fresh, name


def stamp_update(source: Any, size: int, write: Callable[[bytes], Any], *, copy_number: str, mark: str,
                 text: str) -> None:  # fmt: skip
    """Stamp every page of the PDF in the first ``size`` bytes of ``source`` (a random-access
    file) by an incremental update (ISO 32000-1 §7.5.6), handed to ``write`` piece by piece: the
    stamp as a form XObject per page size, each page rewritten to draw it over its content, and
    a cross-reference section whose /Prev is the original's (a table, or a stream when the file
    ends with one). The original bytes are neither read whole nor changed: the caller sends them
    first, then the update (CAR-13, R-MARK-5, SEC-4: memory grows with the number of pages, not
    the file's size). :class:`CannotStamp` for a password-protected or unreadable PDF."""
    import struct
    import zlib

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NumberObject,
    )

    window = _Window(source, size)
    try:
        reader = PdfReader(cast(IO[bytes], window))  # pypdf only seeks, tells and reads
        if reader.is_encrypted:
            raise CannotStamp("encrypted")
        pages = list(reader.pages)
        last, kind = _last_xref(window, size)
        compressed = bool(reader.xref_objStm)
        if kind == "broken" and compressed:
            raise CannotStamp("broken")
        known = [n for entries in reader.xref.values() for n in entries] + list(reader.xref_objStm)
        app = _Appender(write, size, max([int(reader.trailer.get("/Size", 0)), *(n + 1 for n in known)]))
        app.emit(b"\n")
        prefix = app.reserve()
        suffixes: dict[str, int] = {}  # the stamp's name in a page's resources -> its closing stream
        stamps: dict[tuple[float, float, float, float], Any] = {}
        done: set[tuple[int, int]] = set()
        app.put(prefix, _raw_stream(b"q\n"))
        for page in pages:
            ref = page.indirect_reference
            if ref is None or (ref.idnum, ref.generation) in done:
                continue
            done.add((ref.idnum, ref.generation))
            box = page.mediabox
            key = (float(box.left), float(box.bottom), float(box.width), float(box.height))
            if key not in stamps:
                stamps[key] = _stamp_form(app, key[2], key[3], (key[0], key[1]), copy_number=copy_number,
                                          mark=mark, text=text)  # fmt: skip
            fresh, name = _with_stamp(page, stamps[key])
            if name not in suffixes:
                suffixes[name] = app.reserve()
            fresh[NameObject("/Contents")] = ArrayObject(
                [IndirectObject(prefix, 0, None), *_contents(page), IndirectObject(suffixes[name], 0, None)]
            )
            app.put(ref.idnum, fresh, ref.generation)
        for name, number in suffixes.items():  # close the original's q, draw the stamp on top
            app.put(number, _raw_stream(b"\nQ\nq %s Do Q\n" % name.encode()))
        trailer = DictionaryObject()
        for entry in ("/Root", "/Info", "/ID"):
            if entry in reader.trailer:
                trailer[NameObject(entry)] = dict.__getitem__(reader.trailer, entry)
    except PyPdfError as exc:
        raise CannotStamp(type(exc).__name__) from exc
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, ArithmeticError,
            zlib.error, struct.error) as exc:  # what a malformed file makes pypdf's parser raise  # fmt: skip
        raise CannotStamp(type(exc).__name__) from exc
    if kind != "broken":
        trailer[NameObject("/Prev")] = NumberObject(last)
        entries = dict(app.offsets)
    else:  # the reader rebuilt the table: the update carries a complete one, with no /Prev
        entries = {n: (off, gen) for gen, table in reader.xref.items() if gen != 65535
                   for n, off in table.items()} | app.offsets  # fmt: skip
    entries[0] = (0, 65535)  # the head of the free list, as every cross-reference section starts
    if kind == "stream":
        number = app.reserve()
        entries[number] = (app.offset, 0)
        numbers = sorted(entries)
        index, rows = [], []
        for run in _runs(numbers):
            index += [NumberObject(run[0]), NumberObject(len(run))]
            rows += [
                (b"\x00" if n == 0 else b"\x01")
                + entries[n][0].to_bytes(5, "big")
                + entries[n][1].to_bytes(2, "big")
                for n in run
            ]
        xref = DecodedStreamObject()
        xref.set_data(zlib.compress(b"".join(rows)))
        xref.update(trailer)
        xref.update({NameObject("/Type"): NameObject("/XRef"), NameObject("/Size"): NumberObject(app.next_number),
                     NameObject("/W"): ArrayObject([NumberObject(1), NumberObject(5), NumberObject(2)]),
                     NameObject("/Index"): ArrayObject(index), NameObject("/Filter"): NameObject("/FlateDecode")})  # fmt: skip
        start = app.offset
        app.put(number, xref)
    else:
        start = app.offset
        lines = [b"xref\n"]
        for run in _runs(sorted(entries)):
            lines.append(b"%d %d\n" % (run[0], len(run)))
            for n in run:
                off, gen = entries[n]
                lines.append(b"%010d %05d %s\r\n" % (off, gen, b"f" if n == 0 else b"n"))
        trailer[NameObject("/Size")] = NumberObject(app.next_number)
        out = io.BytesIO()
        out.write(b"".join(lines) + b"trailer\n")
        trailer.write_to_stream(out)
        app.emit(out.getvalue() + b"\n")
    app.emit(b"startxref\n%d\n%%%%EOF\n" % start)


def _raw_stream(data: bytes) -> Any:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _runs(numbers: list[int]) -> Iterator[list[int]]:
    """Consecutive object numbers in runs: the subsections of a cross-reference section."""
    run: list[int] = []
    for n in numbers:
        if run and n != run[-1] + 1:
            yield run
            run = []
        run.append(n)
    if run:
        yield run


def stamp_pdf(data: bytes | io.BytesIO, *, copy_number: str, mark: str, text: str) -> bytes:
    """Return ``data`` (a PDF, or a buffer holding one) with every page stamped (CAR-13,
    R-MARK-5): the original bytes and the incremental update of :func:`stamp_update`. For a PDF
    already in memory (the 销毁清单); the content service streams large files from a spool."""
    source = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    size = source.seek(0, io.SEEK_END)
    out = io.BytesIO()
    out.write(source.getvalue())
    stamp_update(source, size, out.write, copy_number=copy_number, mark=mark, text=text)
    return out.getvalue()


def is_pdf(head: bytes, content_type: str = "") -> bool:
    return head.startswith(b"%PDF-") or content_type == "application/pdf"


# --- Office files (issue 13, CAR-13, CLS-7) ---------------------------------------------------
# A docx or xlsx leaves with 份号 and the mark in the header of every page (line 1 and line 2,
# left) and the watermark line — reader, time, carrier number — in the header's right and the
# footer. Other formats that cannot carry them are refused in favour of the stamped PDF
# (``services.content.download_content``).

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKABLE = (DOCX, XLSX)


class CannotMark(Exception):
    """The file is not a document the Office libraries can open, so it cannot be marked."""


def _docx_headers(doc: Any) -> list[Any]:
    parts = []
    odd_even = bool(doc.settings.odd_and_even_pages_header_footer)
    for section in doc.sections:
        parts.append((section.header, section.footer))
        if section.different_first_page_header_footer:
            parts.append((section.first_page_header, section.first_page_footer))
        if odd_even:
            parts.append((section.even_page_header, section.even_page_footer))
    return parts


def mark_docx(data: bytes, *, copy_number: str, mark: str, text: str) -> bytes:
    """``data`` (a docx) with 份号, mark and watermark in every header and footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a file that is no docx
        raise CannotMark(str(exc)) from exc
    for header, footer in _docx_headers(doc):
        header.is_linked_to_previous = False
        first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        lines = [(copy_number, False), (mark, True)]
        for value, bold in lines:
            para = first.insert_paragraph_before()
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run = para.add_run(value)
            run.bold = bold
            run.font.size = Pt(14)
        note = first.insert_paragraph_before()
        note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        grey = note.add_run(text)
        grey.font.size = Pt(8)
        grey.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
        footer.is_linked_to_previous = False
        line = footer.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = line.add_run(text)
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    out = io.BytesIO()
    doc.save(out)  # lint: allow — a python-docx document, not a model
    return out.getvalue()


def mark_xlsx(data: bytes, *, copy_number: str, mark: str, text: str) -> bytes:
    """``data`` (an xlsx) with 份号 and mark in the printed header of every sheet and the
    watermark in its footer. openpyxl does not carry drawings (charts, pictures) through a load
    and save; such a workbook is better registered as a PDF (docs/carriers.md)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), rich_text=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is no xlsx
        raise CannotMark(str(exc)) from exc
    for ws in wb.worksheets:
        for header, footer in ((ws.oddHeader, ws.oddFooter), (ws.evenHeader, ws.evenFooter),
                               (ws.firstHeader, ws.firstFooter)):  # fmt: skip
            header.left.text = f"{copy_number}\n{mark}"
            header.right.text = text
            footer.center.text = text
    out = io.BytesIO()
    wb.save(out)  # lint: allow — an openpyxl workbook, not a model
    return out.getvalue()


def mark_office(data: bytes, content_type: str, *, copy_number: str, mark: str, text: str) -> bytes:
    """Mark a docx or xlsx (:data:`MARKABLE`); :class:`CannotMark` for anything else."""
    if content_type == DOCX:
        return mark_docx(data, copy_number=copy_number, mark=mark, text=text)
    if content_type == XLSX:
        return mark_xlsx(data, copy_number=copy_number, mark=mark, text=text)
    raise CannotMark(content_type)
