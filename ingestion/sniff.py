"""Decide what a file really is from its bytes, not from its name.

Clerks upload whatever the scanner or the police e-mail produced. The name is
a claim; the magic bytes are the evidence. A mismatch (a ``.pdf`` that is a
PNG, a ``.docx`` that is a spreadsheet) is refused here with a sentence a
clerk understands, before any parser sees the bytes.
"""

from __future__ import annotations

import codecs
import io
import os
import struct
import zipfile
from pathlib import Path

__all__ = [
    "DOCX",
    "HEAD_SIZE",
    "MEDIA_TYPES",
    "UnsupportedFile",
    "sniff",
    "sniff_file",
]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Extension (lower case, with the dot) -> media type, for the formats we accept.
MEDIA_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".docx": DOCX,
    ".txt": "text/plain",
}

#: How many leading bytes callers should pass to :func:`sniff`.
HEAD_SIZE = 8192

_ALLOWED = "use PDF, JPEG, PNG, TIFF, DOCX or plain text"

# What a clerk calls each media type, for messages.
_LABELS: dict[str, str] = {
    "application/pdf": "a PDF",
    "image/jpeg": "a JPEG image",
    "image/png": "a PNG image",
    "image/tiff": "a TIFF image",
    DOCX: "a Word document (DOCX)",
    "text/plain": "a plain text file",
}

_OLD_OFFICE = "an old-style Office document (.doc/.xls)"

# Formats we recognise only to name them in a refusal.
_FOREIGN_MAGIC: list[tuple[bytes, str]] = [
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _OLD_OFFICE),
    (b"{\\rtf", "an RTF document"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a GZIP archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"%!PS", "a PostScript file"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
]


class UnsupportedFile(ValueError):
    """The file cannot be accepted; ``str(exc)`` is a sentence for the clerk."""


def _extension(filename: str) -> str:
    return os.path.splitext(filename.strip())[1].lower()


def _label(media_type: str) -> str:
    return _LABELS.get(media_type, media_type)


def _zip_names_in_head(head: bytes) -> list[str]:
    """Member names from the local file headers present in ``head``.

    Works on a truncated archive, which :mod:`zipfile` cannot read because
    the central directory sits at the end.
    """
    names: list[str] = []
    pos = 0
    while len(names) < 64:
        pos = head.find(b"PK\x03\x04", pos)
        if pos < 0 or pos + 30 > len(head):
            break
        name_len, extra_len = struct.unpack_from("<HH", head, pos + 26)
        raw = head[pos + 30 : pos + 30 + name_len]
        if len(raw) < name_len:
            break
        names.append(raw.decode("utf-8", "replace"))
        pos += 30 + name_len + extra_len
    return names


def _classify_zip(names: list[str], complete: bool) -> tuple[str | None, str]:
    """(media type or None, label) for a ZIP archive from its member names."""
    if "word/document.xml" in names:
        return DOCX, _label(DOCX)
    if any(n.startswith("xl/") for n in names):
        return None, "an Excel workbook"
    if any(n.startswith("ppt/") for n in names):
        return None, "a PowerPoint presentation"
    if "mimetype" in names and any(n == "content.xml" for n in names):
        return None, "an OpenDocument file"
    office = "[Content_Types].xml" in names or any(n.startswith("word/") for n in names)
    if not complete and office:
        # Only the head was given and it looks like Office Open XML;
        # sniff_file() confirms word/document.xml on the whole archive.
        return DOCX, _label(DOCX)
    return None, "a ZIP archive"


def _looks_like_text(data: bytes, complete: bool) -> bool:
    """Valid UTF-8 with no NUL bytes (a cut-off final character is allowed in a head)."""
    if b"\x00" in data:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(data, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes, complete: bool) -> tuple[str | None, str]:
    """(supported media type or None, clerk label) for the content."""
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "application/pdf", _label("application/pdf")
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", _label("image/jpeg")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", _label("image/png")
    if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "image/tiff", _label("image/tiff")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        names: list[str] | None = None
        if complete:
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    names = zf.namelist()
            except (zipfile.BadZipFile, OSError):
                names = None
        if names is None:
            return _classify_zip(_zip_names_in_head(data), complete=False)
        return _classify_zip(names, complete=True)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return None, "a WebP image"
    for magic, label in _FOREIGN_MAGIC:
        if data.startswith(magic):
            return None, label
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "a text file saved as UTF-16"
    if _looks_like_text(data, complete):
        return "text/plain", _label("text/plain")
    return None, "a file of unknown type"


def _decide(detected: str | None, label: str, filename: str) -> str:
    ext = _extension(filename)
    if ext and ext not in MEDIA_TYPES:
        raise UnsupportedFile(f"Files of this type ({ext}) cannot be added; {_ALLOWED}.")
    if detected is None:
        if label == "a text file saved as UTF-16" and ext in ("", ".txt"):
            raise UnsupportedFile(
                "This text file is saved as UTF-16; save it as UTF-8 and add it again."
            )
        if label == "a file of unknown type":
            if ext == ".txt":
                raise UnsupportedFile(
                    "This text file is not saved as UTF-8 (or contains binary data); "
                    "save it as UTF-8 and add it again."
                )
            if ext:
                raise UnsupportedFile(
                    f"This file says it is {_label(MEDIA_TYPES[ext])} but its content is not "
                    "recognisable; it may be damaged."
                )
            raise UnsupportedFile(f"The content of this file is not recognisable; {_ALLOWED}.")
        if ext == ".docx" and label == _OLD_OFFICE:
            # Word saves a password-protected .docx inside an old-style Office container.
            raise UnsupportedFile(
                "This Word document is password-protected or saved in the old .doc format; "
                "remove the password (or save it as .docx) in Word and add it again."
            )
        if ext:
            raise UnsupportedFile(
                f"This file says it is {_label(MEDIA_TYPES[ext])} but its content is {label}."
            )
        raise UnsupportedFile(f"This file is {label}, which cannot be added; {_ALLOWED}.")
    if ext and MEDIA_TYPES[ext] != detected:
        raise UnsupportedFile(
            f"This file says it is {_label(MEDIA_TYPES[ext])} but its content is {label}."
        )
    return detected


def sniff(data_head: bytes, filename: str) -> str:
    """Media type of the content, checked against the extension of ``filename``.

    ``data_head`` may be the whole file or its first :data:`HEAD_SIZE` bytes;
    with only a head a DOCX is recognised from its first ZIP entries, so use
    :func:`sniff_file` when the whole file is on disk. A file without an
    extension is judged by its content alone. Raises :class:`UnsupportedFile`
    for empty files, unknown or unsupported content, and content that does not
    match the extension.
    """
    if not data_head:
        raise UnsupportedFile("This file is empty.")
    complete = len(data_head) < HEAD_SIZE
    detected, label = _detect(data_head, complete)
    return _decide(detected, label, filename)


def sniff_file(path: str | os.PathLike[str], filename: str | None = None) -> str:
    """Like :func:`sniff` for a file on disk; authoritative for DOCX.

    ``filename`` is the name the uploader gave (defaults to the path's name),
    since stored files often have content-hash names.
    """
    path = Path(path)
    name = path.name if filename is None else filename
    with path.open("rb") as fh:
        head = fh.read(HEAD_SIZE)
    if not head:
        raise UnsupportedFile("This file is empty.")
    complete = len(head) < HEAD_SIZE
    detected, label = _detect(head, complete)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and not complete:
        try:
            with zipfile.ZipFile(path) as zf:
                detected, label = _classify_zip(zf.namelist(), complete=True)
        except (zipfile.BadZipFile, OSError):
            if _extension(name) == ".docx":
                raise UnsupportedFile(
                    "This Word document is damaged or incomplete; save or export it again."
                ) from None
            detected, label = None, "a damaged ZIP archive"
    return _decide(detected, label, name)
