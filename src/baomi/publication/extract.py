"""Text out of the files submitted for publication review (SUP-3): txt, docx, pdf, xlsx.

Each format is read by a well-kept library — python-docx, pypdf, openpyxl — from bytes in
memory (uploads are size-limited before they get here). Office files are zip archives, so their
declared uncompressed size is checked first (a "zip bomb" of a few kilobytes can expand to
gigabytes). What cannot be read raises :class:`ExtractionError` with a Chinese message; the
file is then kept, flagged, and reviewed by eye (the screening shows it as unreadable).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _

SUPPORTED = {
    ".txt": "text/plain",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_UNZIPPED = 200 * 1024 * 1024


class ExtractionError(Exception):
    """The file's text could not be read; ``str()`` is a Chinese message for the reviewer."""


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def decode_text(data: bytes) -> str:
    """Plain text: UTF-8 (with or without BOM), else GB 18030 (which covers GBK and GB 2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError(_("The text file is neither UTF-8 nor GB 18030."))


def _zip_guard(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(info.file_size for info in zf.infolist()) > MAX_UNZIPPED:
                raise ExtractionError(_("The file expands to more than 200 MB; it was not opened."))
    except zipfile.BadZipFile:
        raise ExtractionError(_("The file is damaged or not in the format its name says.")) from None


def _docx(data: bytes) -> str:
    import docx

    _zip_guard(data)
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    for section in document.sections:
        for part in (section.header, section.footer):
            lines.extend(p.text for p in part.paragraphs)
    return "\n".join(lines)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    _zip_guard(data)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        lines = []
        for sheet in book.worksheets:
            lines.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v) for v in row if v is not None and str(v).strip()]
                if cells:
                    lines.append("\t".join(cells))
        return "\n".join(lines)
    finally:
        book.close()


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    if not data.startswith(b"%PDF"):
        raise ExtractionError(_("The file is damaged or not in the format its name says."))
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ExtractionError(_("The PDF is password-protected; its text cannot be read."))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    if not text.strip():
        raise ExtractionError(_("The PDF has no text layer (a scan?); review it by eye."))
    return text


def extract_text(name: str, data: bytes) -> str:
    """The text of file ``name`` with content ``data``; :class:`ExtractionError` when the format
    is not supported or the file cannot be read."""
    ext = extension(name)
    if ext not in SUPPORTED:
        raise ExtractionError(_("Only txt, docx, pdf and xlsx files can be screened."))
    try:
        if ext == ".txt":
            return decode_text(data)
        if ext == ".docx":
            return _docx(data)
        if ext == ".xlsx":
            return _xlsx(data)
        return _pdf(data)
    except ExtractionError:
        raise
    except Exception:  # any parser failure on a damaged or hostile file: flagged, never a 500
        raise ExtractionError(_("The file is damaged or not in the format its name says.")) from None
