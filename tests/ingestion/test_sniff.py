"""Media-type sniffing: content decides, the extension must agree, refusals read well."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from ingestion.sniff import DOCX, HEAD_SIZE, MEDIA_TYPES, UnsupportedFile, sniff, sniff_file

PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def _image_bytes(fmt: str, **save: object) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buf, fmt, **save)
    return buf.getvalue()


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("FIR 123/2024")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _zip_bytes(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (PDF_HEAD, "challan.pdf", "application/pdf"),
        (b"\r\n" + PDF_HEAD, "leading-junk.pdf", "application/pdf"),
        (_image_bytes("JPEG"), "scan.jpg", "image/jpeg"),
        (_image_bytes("JPEG"), "scan.JPEG", "image/jpeg"),
        (_image_bytes("PNG"), "scan.png", "image/png"),
        (_image_bytes("TIFF"), "scan.tif", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "big-endian.tiff", "image/tiff"),
        ("FIR نمبر 123\n".encode(), "note.txt", "text/plain"),
        (PDF_HEAD, "no-extension", "application/pdf"),
        (b"plain words", "README", "text/plain"),
    ],
)
def test_recognises_supported_content(data: bytes, filename: str, expected: str) -> None:
    assert sniff(data, filename) == expected


def test_media_types_cover_the_supported_set() -> None:
    assert all(ext.startswith(".") and ext == ext.lower() for ext in MEDIA_TYPES)
    assert set(MEDIA_TYPES.values()) == {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/tiff",
        DOCX,
        "text/plain",
    }


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFile, match=r"^This file is empty\.$"):
        sniff(b"", "x.pdf")
    empty = tmp_path / "empty.pdf"
    empty.touch()
    with pytest.raises(UnsupportedFile, match=r"^This file is empty\.$"):
        sniff_file(empty)


def test_unsupported_extension_lists_what_is_allowed() -> None:
    with pytest.raises(UnsupportedFile) as err:
        sniff(b"MZ\x90\x00", "setup.exe")
    assert str(err.value) == (
        "Files of this type (.exe) cannot be added; use PDF, JPEG, PNG, TIFF, DOCX or plain text."
    )
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (
            _image_bytes("PNG"),
            "fir.pdf",
            "This file says it is a PDF but its content is a PNG image.",
        ),
        (
            _zip_bytes(["a.txt"]),
            "fir.pdf",
            "This file says it is a PDF but its content is a ZIP archive.",
        ),
        (PDF_HEAD, "photo.jpg", "This file says it is a JPEG image but its content is a PDF."),
        (
            _image_bytes("GIF"),
            "photo.png",
            "This file says it is a PNG image but its content is a GIF image.",
        ),
        (
            _zip_bytes(["[Content_Types].xml", "xl/workbook.xml"]),
            "list.docx",
            "This file says it is a Word document (DOCX) but its content is an Excel workbook.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "old.docx",
            # What Word makes of a .docx protected by a password, too.
            "This Word document is password-protected or saved in the old .doc format; "
            "remove the password (or save it as .docx) in Word and add it again.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "old.pdf",
            "This file says it is a PDF but its content is an old-style Office document "
            "(.doc/.xls).",
        ),
        # Polyglots: a PDF that is also a ZIP, an HTML page and a program dressed as a scan.
        (
            PDF_HEAD + _zip_bytes(["[Content_Types].xml", "word/document.xml"]),
            "fir.docx",
            "This file says it is a Word document (DOCX) but its content is a PDF.",
        ),
        (
            b"<html><script>alert(1)</script></html>",
            "scan.pdf",
            "This file says it is a PDF but its content is a plain text file.",
        ),
        (
            b"\x7fELF\x02\x01\x01" + bytes(100),
            "scan.png",
            "This file says it is a PNG image but its content is a Linux program.",
        ),
        (
            b"MZ\x90\x00\x03",
            "fir.pdf",
            "This file says it is a PDF but its content is a Windows program.",
        ),
        (PDF_HEAD, "notes.txt", "This file says it is a plain text file but its content is a PDF."),
    ],
)
def test_content_extension_mismatch_names_both(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(UnsupportedFile) as err:
        sniff(data, filename)
    assert str(err.value) == message


def test_unknown_content_is_refused() -> None:
    junk = bytes(range(256)) * 4
    with pytest.raises(UnsupportedFile, match="says it is a PDF but its content is not recognis"):
        sniff(junk, "x.pdf")
    with pytest.raises(UnsupportedFile, match=r"^The content of this file is not recognisable"):
        sniff(junk, "upload")


def test_text_must_be_utf8_without_nuls() -> None:
    with pytest.raises(UnsupportedFile, match="not saved as UTF-8"):
        sniff("Café".encode("cp1252"), "note.txt")
    with pytest.raises(UnsupportedFile, match="not saved as UTF-8"):
        sniff(b"abc\x00def", "note.txt")
    with pytest.raises(UnsupportedFile, match="saved as UTF-16"):
        sniff("FIR".encode("utf-16"), "note.txt")


def test_head_may_cut_a_utf8_character() -> None:
    data = ("…" * HEAD_SIZE).encode()  # three bytes each; HEAD_SIZE is not a multiple of 3
    assert sniff(data[:HEAD_SIZE], "long.txt") == "text/plain"


def test_docx_from_head_and_from_file(tmp_path: Path) -> None:
    data = _docx_bytes()
    assert len(data) > HEAD_SIZE  # exercises the head-only path
    assert sniff(data[:HEAD_SIZE], "fir.docx") == DOCX
    path = tmp_path / "stored-under-hash"
    path.write_bytes(data)
    assert sniff_file(path, "FIR 123.DOCX") == DOCX
    with pytest.raises(UnsupportedFile, match="says it is a PDF but its content is a Word"):
        sniff_file(path, "fir.pdf")


def test_sniff_file_rejects_office_zip_without_word_part(tmp_path: Path) -> None:
    # Looks like Office Open XML from its first entry, but is not a Word document.
    padding = "x" * (HEAD_SIZE * 2)
    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("pad.bin", padding)
    assert sniff(path.read_bytes()[:HEAD_SIZE], "fake.docx") == DOCX  # provisional
    with pytest.raises(UnsupportedFile, match="content is a ZIP archive"):
        sniff_file(path)


def test_sniff_file_reports_truncated_docx(tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(_docx_bytes()[: HEAD_SIZE + 100])
    with pytest.raises(UnsupportedFile, match="Word document is damaged"):
        sniff_file(path)
