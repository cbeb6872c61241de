"""Text extraction and OCR on real files made at test time: real Tesseract, real PDFium.

Fixtures are generated in tmp_path: born-digital PDFs are written by hand
(Helvetica text objects; optionally RC4-encrypted with the PDF Standard
security handler, since no PDF writer here can encrypt), scans are PIL
images of DejaVu Sans text at 300 dpi scale (about 10 pt), kept small so
each OCR call takes a fraction of a second.
"""

from __future__ import annotations

import glob
import hashlib
import io
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from ingestion.extract import extract_file
from ingestion.image_pages import MAX_IMAGE_PIXELS
from ingestion.ocr import OcrUnavailable, Word, ocr_image, ocr_status
from ingestion.pages import PAGE_SEPARATOR, Extraction, ExtractionError, PageText
from ingestion.pdf_pages import page_needs_ocr
from ingestion.sniff import DOCX, UnsupportedFile

SHARED_SCANS = Path(__file__).resolve().parents[3] / "shared" / "data" / "fir_india_samples"


def _font_path() -> str | None:
    preferred = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ]
    found = [p for p in preferred if os.path.exists(p)]
    found += sorted(glob.glob("/usr/share/fonts/**/*.ttf", recursive=True))
    return found[0] if found else None


FONT = _font_path()
OCR_OK, OCR_DETAIL = ocr_status()
_needs_tesseract = pytest.mark.skipif(not OCR_OK, reason=f"Tesseract unavailable: {OCR_DETAIL}")
_needs_font = pytest.mark.skipif(FONT is None, reason="no TrueType font under /usr/share/fonts")


def ocr_test(fn: Callable[..., None]) -> Callable[..., None]:
    """Real Tesseract on a generated image: marked slow, skipped without Tesseract or a font."""
    return pytest.mark.slow(_needs_tesseract(_needs_font(fn)))


def text_image(lines: list[str], width: int = 1400) -> Image.Image:
    """Black text on white, 42 px DejaVu Sans: about 10 pt type scanned at 300 dpi."""
    assert FONT is not None
    font = ImageFont.truetype(FONT, 42)
    image = Image.new("L", (width, 80 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((50, 40 + 70 * i), line, font=font, fill=0)
    return image


def words_of(text: str) -> set[str]:
    return {w.strip(".,:;").lower() for w in text.split()}


# --------------------------------------------------------------------------
# A minimal PDF writer: text pages (Helvetica), image pages (JPEG), and the
# Standard security handler (RC4 40-bit, revision 2) for encrypted files.

_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(
    pages: list[dict],
    *,
    user_password: str | None = None,
    owner_password: str = "owner",
) -> bytes:
    """Each page: {"lines": [...]} for text, and/or {"image": PIL image} drawn full-page at
    300 dpi (its size in points is pixels * 72 / 300)."""
    bodies: dict[int, bytes] = {}
    streams: dict[int, tuple[bytes, str]] = {}
    next_id = iter(range(1, 1000))
    catalog, tree, font = next(next_id), next(next_id), next(next_id)
    kids = []
    for page in pages:
        page_id, content_id = next(next_id), next(next_id)
        kids.append(page_id)
        ops: list[str] = []
        resources = f"/Font << /F1 {font} 0 R >>"
        width, height = 612, 792
        if "image" in page:
            img = page["image"].convert("L")
            width, height = img.width * 72 / 300, img.height * 72 / 300
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=90)
            image_id = next(next_id)
            streams[image_id] = (
                buf.getvalue(),
                f"/Type /XObject /Subtype /Image /Width {img.width} /Height {img.height} "
                "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode",
            )
            resources += f" /XObject << /Im0 {image_id} 0 R >>"
            ops.append(f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q")
        if page.get("lines"):
            ops += ["BT", "/F1 12 Tf", "14 TL", f"40 {height - 30:.2f} Td"]
            ops += [f"{_pdf_string(line)} Tj T*" for line in page["lines"]]
            ops.append("ET")
        streams[content_id] = ("\n".join(ops).encode("latin-1"), "")
        bodies[page_id] = (
            f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
            f"/Resources << {resources} >> /Contents {content_id} 0 R >>"
        ).encode()
    bodies[catalog] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    kid_refs = " ".join(f"{k} 0 R" for k in kids)
    bodies[tree] = f"<< /Type /Pages /Kids [{kid_refs}] /Count {len(kids)} >>".encode()
    bodies[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

    file_id = hashlib.md5(b"mizan-test-pdf").digest()
    key: bytes | None = None
    trailer_extra = ""
    if user_password is not None:
        permissions = -4
        owner = (owner_password.encode() + _PASSWORD_PAD)[:32]
        user = (user_password.encode() + _PASSWORD_PAD)[:32]
        o_entry = _rc4(hashlib.md5(owner).digest()[:5], user)  # algorithm 3
        key = hashlib.md5(  # algorithm 2
            user + o_entry + permissions.to_bytes(4, "little", signed=True) + file_id
        ).digest()[:5]
        u_entry = _rc4(key, _PASSWORD_PAD)  # algorithm 4
        encrypt_id = next(next_id)
        bodies[encrypt_id] = (
            f"<< /Filter /Standard /V 1 /R 2 /O <{o_entry.hex()}> /U <{u_entry.hex()}> "
            f"/P {permissions} >>"
        ).encode()
        trailer_extra = f" /Encrypt {encrypt_id} 0 R"

    count = max([*bodies, *streams])
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for obj_id in range(1, count + 1):
        offsets[obj_id] = out.tell()
        out.write(f"{obj_id} 0 obj\n".encode())
        if obj_id in streams:
            data, extra = streams[obj_id]
            if key is not None:
                obj_key = hashlib.md5(key + obj_id.to_bytes(3, "little") + b"\0\0").digest()[:10]
                data = _rc4(obj_key, data)
            out.write(f"<< {extra} /Length {len(data)} >>\nstream\n".encode())
            out.write(data + b"\nendstream")
        else:
            out.write(bodies[obj_id])
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {count + 1}\n0000000000 65535 f \n".encode())
    for obj_id in range(1, count + 1):
        out.write(f"{offsets[obj_id]:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {count + 1} /Root {catalog} 0 R "
        f"/ID [<{file_id.hex()}> <{file_id.hex()}>]{trailer_extra} >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


BORN_DIGITAL_LINES = [
    "IN THE COURT OF SESSIONS JUDGE KARACHI SOUTH",
    "Sessions Case No. 412 of 2024",
    "The State versus Muhammad Aslam",
    "Offence under section 302 PPC read with section 34 PPC.",
]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of the given size that compresses to a few kilobytes."""
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------
# OCR


def test_ocr_status_reports_version_and_languages() -> None:
    assert OCR_OK, OCR_DETAIL
    assert OCR_DETAIL.startswith("Tesseract 5.")
    for lang in ("eng", "urd", "snd"):
        assert lang in OCR_DETAIL


def test_tesseract_thread_limit_is_set() -> None:
    assert os.environ.get("OMP_THREAD_LIMIT") == "1"


@ocr_test
def test_ocr_image_returns_words_lines_and_boxes() -> None:
    image = text_image(["The accused was arrested near", "Saddar police station yesterday."])
    result = ocr_image(image)
    assert result.text.splitlines()[0] == "The accused was arrested near"
    assert "Saddar police station yesterday." in result.text
    assert result.confidence is not None and result.confidence > 80
    assert (result.width, result.height) == image.size
    assert [w.text for w in result.words][:3] == ["The", "accused", "was"]
    for word in result.words:
        assert isinstance(word, Word)
        assert 0 <= word.left < word.left + word.width <= image.width
        assert 0 <= word.top < word.top + word.height <= image.height


def test_missing_tesseract_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    available, detail = ocr_status()
    assert available is False
    assert detail.startswith("Tesseract is not installed: run apt-get install tesseract-ocr")
    if OCR_OK:  # languages are cached, so the failure surfaces at the OCR call
        with pytest.raises(OcrUnavailable, match="not installed"):
            ocr_image(Image.new("L", (50, 50), 255))


@_needs_tesseract
def test_ocr_image_validates_language() -> None:
    blank = Image.new("L", (50, 50), 255)
    with pytest.raises(OcrUnavailable, match=r"no language pack for xyz.*tesseract-ocr-xyz"):
        ocr_image(blank, lang="eng+xyz")
    with pytest.raises(ValueError, match="not a Tesseract language code"):
        ocr_image(blank, lang="eng; rm -rf /")


@pytest.mark.slow
@_needs_tesseract
def test_ocr_blank_image_has_no_confidence() -> None:
    result = ocr_image(Image.new("RGBA", (200, 100), (255, 255, 255, 0)))
    assert result.text == ""
    assert result.confidence is None
    assert result.words == []


# --------------------------------------------------------------------------
# Deciding which PDF pages need OCR


@pytest.mark.parametrize(
    ("text", "coverage", "expected"),
    [
        ("", 0.0, True),
        ("  \n\f ", 0.0, True),
        ("(cid:36)(cid:37)(cid:38) (cid:39)", 0.0, True),
        ("\ufffd" * 40 + " ok", 0.0, True),
        ("\ue001\ue002\ue003" * 10, 0.0, True),
        ("Page 3", 0.95, True),  # a scan with a stamped page number
        ("Page 3", 0.0, False),  # a nearly empty born-digital page
        ("Annexure A", 0.3, False),  # small logo, little text
        (" ".join(BORN_DIGITAL_LINES), 1.0, False),  # a scan with a real OCR layer
    ],
)
def test_page_needs_ocr(text: str, coverage: float, expected: bool) -> None:
    assert page_needs_ocr(text, image_coverage=coverage) is expected


# --------------------------------------------------------------------------
# PDF


def test_born_digital_pdf_uses_text_layer_without_ocr(tmp_path: Path) -> None:
    path = tmp_path / "judgment.pdf"
    path.write_bytes(make_pdf([{"lines": BORN_DIGITAL_LINES}, {"lines": ["Second page."]}]))
    progress: list[tuple[int, int]] = []
    result = extract_file(path, "Judgment 412.pdf", on_page=lambda d, t: progress.append((d, t)))
    assert result.media_type == "application/pdf"
    assert [p.method for p in result.pages] == ["text-layer", "text-layer"]
    assert result.pages[0].text.splitlines() == BORN_DIGITAL_LINES
    assert all(p.confidence is None and p.words == [] and p.error is None for p in result.pages)
    assert progress == [(1, 2), (2, 2)]
    assert result.text == "\n".join(BORN_DIGITAL_LINES) + PAGE_SEPARATOR + "Second page."
    assert result.confidence is None


@ocr_test
def test_scanned_pdf_goes_through_ocr(tmp_path: Path) -> None:
    scan = text_image(["Challan submitted to the court", "by the investigating officer."])
    path = tmp_path / "scan.pdf"
    scan.save(path, "PDF", resolution=300)
    result = extract_file(path)
    (page,) = result.pages
    assert page.method == "ocr"
    assert {"challan", "submitted", "investigating", "officer"} <= words_of(page.text)
    assert page.confidence is not None and page.confidence > 80
    assert page.words and (page.width, page.height) == scan.size  # rendered at 300 dpi


@ocr_test
def test_mixed_pdf_is_decided_page_by_page(tmp_path: Path) -> None:
    # Two born-digital pages from the hand-written PDF, with a PIL scan inserted
    # between them by PDFium itself.
    text_path, scan_path, mixed_path = (tmp_path / n for n in ("t.pdf", "s.pdf", "m.pdf"))
    text_path.write_bytes(make_pdf([{"lines": ["Typed first page."]}, {"lines": ["Typed last."]}]))
    text_image(["Statement of the witness recorded"]).save(scan_path, "PDF", resolution=300)
    mixed = pdfium.PdfDocument(str(text_path))
    mixed.import_pages(pdfium.PdfDocument(str(scan_path)), index=1)
    mixed.save(str(mixed_path))
    mixed.close()

    progress: list[tuple[int, int]] = []
    result = extract_file(mixed_path, on_page=lambda d, t: progress.append((d, t)))
    assert [p.method for p in result.pages] == ["text-layer", "ocr", "text-layer"]
    assert [p.number for p in result.pages] == [1, 2, 3]
    assert {"statement", "witness", "recorded"} <= words_of(result.pages[1].text)
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert result.text.count(PAGE_SEPARATOR) == 2
    assert result.confidence == result.pages[1].confidence


@ocr_test
def test_scan_with_stamped_page_number_is_ocrd(tmp_path: Path) -> None:
    # A full-page scan whose only text layer is a digital stamp: the stamp must
    # not hide the scanned text.
    scan = text_image(["Recovery memo of the weapon"])
    path = tmp_path / "stamped.pdf"
    path.write_bytes(make_pdf([{"image": scan, "lines": ["Page 7"]}]))
    (page,) = extract_file(path).pages
    assert page.method == "ocr"
    assert {"recovery", "memo", "weapon"} <= words_of(page.text)


def test_encrypted_pdf_is_refused_with_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(make_pdf([{"lines": ["Secret report"]}], user_password="secret"))
    # The fixture is a real encrypted PDF: it opens with the password.
    with pdfium.PdfDocument(str(path), password="secret") as pdf:
        assert "Secret report" in pdf[0].get_textpage().get_text_range()
    with pytest.raises(ExtractionError, match=r"^This PDF is password-protected\."):
        extract_file(path)


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    # Encrypted with an empty user password (print/copy restrictions only).
    path = tmp_path / "restricted.pdf"
    path.write_bytes(make_pdf([{"lines": ["Restricted but readable"]}], user_password=""))
    result = extract_file(path)
    assert result.pages[0].method == "text-layer"
    assert result.pages[0].text == "Restricted but readable"


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.97])
def test_truncated_pdf_is_refused(tmp_path: Path, keep: float) -> None:
    data = make_pdf([{"lines": BORN_DIGITAL_LINES}])
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ExtractionError, match="PDF is damaged or incomplete"):
        extract_file(path)


def test_corrupt_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    with pytest.raises(ExtractionError, match="PDF"):
        extract_file(path)


# --------------------------------------------------------------------------
# Images


@ocr_test
def test_png_is_one_ocr_page(tmp_path: Path) -> None:
    path = tmp_path / "fir.png"
    text_image(["First Information Report"]).save(path, dpi=(300, 300))
    result = extract_file(path)
    assert result.media_type == "image/png"
    (page,) = result.pages
    assert (page.number, page.method, page.error) == (1, "ocr", None)
    assert {"first", "information", "report"} <= words_of(page.text)


@ocr_test
def test_multipage_tiff_gives_a_page_per_frame(tmp_path: Path) -> None:
    frames = [
        text_image(["Page one mentions the complainant"]).convert("1"),
        text_image(["Page two mentions the witness"]).convert("1"),
    ]
    path = tmp_path / "bundle.tiff"
    frames[0].save(
        path, save_all=True, append_images=frames[1:], compression="group4", dpi=(300, 300)
    )
    progress: list[tuple[int, int]] = []
    result = extract_file(path, on_page=lambda d, t: progress.append((d, t)))
    assert result.media_type == "image/tiff"
    assert [p.number for p in result.pages] == [1, 2]
    assert "complainant" in words_of(result.pages[0].text)
    assert "witness" in words_of(result.pages[1].text)
    assert progress == [(1, 2), (2, 2)]


@ocr_test
def test_damaged_tiff_frame_fails_alone(tmp_path: Path) -> None:
    # Uncompressed frames: cutting the file's tail damages only the last frame.
    frames = [text_image(["Surviving page text"]), Image.new("L", (1400, 150), 255)]
    path = tmp_path / "cut.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    path.write_bytes(path.read_bytes()[:-50_000])
    result = extract_file(path)
    assert [p.number for p in result.pages] == [1, 2]
    assert result.pages[0].error is None
    assert {"surviving", "page", "text"} <= words_of(result.pages[0].text)
    assert result.pages[1].error and "Page 2" in result.pages[1].error
    assert result.pages[1].text == ""
    assert result.errors == [result.pages[1]]


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (11_500, 11_500),  # 132 MP: over the limit (Pillow's warning zone)
        (16_000, 16_000),  # 256 MP: over twice the limit (Pillow's error zone)
    ],
)
def test_decompression_bomb_png_is_refused(tmp_path: Path, width: int, height: int) -> None:
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png(width, height))
    assert path.stat().st_size < 100_000
    with pytest.raises(ExtractionError, match="too large to process"):
        extract_file(path)


def test_truncated_jpeg_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.effect_noise((600, 400), 60).save(buf, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[:2000])
    with pytest.raises(ExtractionError, match="image is damaged or incomplete"):
        extract_file(path)


def test_tiff_whose_second_page_has_no_size_is_refused(tmp_path: Path) -> None:
    """Pillow answers a frame without width with a TypeError (found by hypothesis)."""
    buf = io.BytesIO()
    Image.new("L", (24, 16), 255).save(buf, "TIFF")
    data = bytearray(buf.getvalue())
    (first,) = struct.unpack("<I", data[4:8])
    (entries,) = struct.unpack("<H", data[first : first + 2])
    next_at = first + 2 + 12 * entries
    data[next_at : next_at + 4] = struct.pack("<I", len(data))  # a second page ...
    data += struct.pack("<H", 1) + struct.pack("<HHII", 257, 3, 1, 16) + struct.pack("<I", 0)
    path = tmp_path / "two-pages.tif"  # ... with its height and no width
    path.write_bytes(bytes(data))
    with pytest.raises(ExtractionError, match="image is damaged or incomplete"):
        extract_file(path)


@pytest.mark.slow
@_needs_tesseract
@pytest.mark.skipif(not SHARED_SCANS.is_dir(), reason="shared data not present (../shared/data)")
def test_real_fir_scan() -> None:
    scan = sorted((SHARED_SCANS / "images").glob("*.jpg"))[0]
    result = extract_file(scan)
    (page,) = result.pages
    assert page.method == "ocr" and page.error is None
    assert len(page.text.split()) > 20
    assert page.confidence is not None and 0 < page.confidence <= 100


# --------------------------------------------------------------------------
# DOCX and plain text


def test_docx_paragraphs_urdu_runs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("First Information Report", level=1)
    para = document.add_paragraph("Complainant: ")
    urdu = para.add_run("محمد اسلم ولد عبدالرحیم")
    urdu.font.rtl = True
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Section"
    table.cell(0, 1).text = "302 PPC"
    table.cell(1, 0).text = "تھانہ"
    table.cell(1, 1).text = "Saddar"
    document.add_paragraph("Recorded by the duty officer.")
    path = tmp_path / "fir.docx"
    document.save(str(path))

    progress: list[tuple[int, int]] = []
    result = extract_file(path, on_page=lambda d, t: progress.append((d, t)))
    assert result.media_type == DOCX
    (page,) = result.pages
    assert page.method == "docx" and page.number == 1 and page.confidence is None
    assert page.text.splitlines() == [
        "First Information Report",
        "Complainant: محمد اسلم ولد عبدالرحیم",
        "Section\t302 PPC",
        "تھانہ\tSaddar",
        "Recorded by the duty officer.",
    ]
    assert progress == [(1, 1)]


_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def test_docx_text_boxes_content_controls_and_deletions(tmp_path: Path) -> None:
    # Police FIR templates use text boxes and content controls, which
    # python-docx's Paragraph.text does not see.
    import docx
    from docx.oxml import parse_xml

    box = "<w:txbxContent><w:p><w:r><w:t>Box: FIR 77/2024</w:t></w:r></w:p></w:txbxContent>"
    document = docx.Document()
    para = document.add_paragraph("Police station: ")
    para._p.append(
        parse_xml(f"<w:sdt {_NS}><w:sdtContent><w:r><w:t>Saddar</w:t></w:r></w:sdtContent></w:sdt>")
    )
    para._p.append(parse_xml(f"<w:del {_NS}><w:r><w:delText>Clifton</w:delText></w:r></w:del>"))
    para._p.append(
        parse_xml(
            f"<w:r {_NS}><mc:AlternateContent>"
            f"<mc:Choice Requires='wps'><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing>"
            "</mc:Choice>"
            f"<mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>"
        )
    )
    body = document.element.body
    body.insert(
        len(body) - 1,  # before w:sectPr
        parse_xml(
            f"<w:sdt {_NS}><w:sdtContent><w:p><w:r><w:t>Inside a block control</w:t></w:r>"
            "</w:p></w:sdtContent></w:sdt>"
        ),
    )
    path = tmp_path / "template.docx"
    document.save(str(path))
    assert extract_file(path).pages[0].text.splitlines() == [
        "Police station: Saddar",
        "Box: FIR 77/2024",
        "Inside a block control",
    ]


def test_plain_text_is_decoded_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("\ufeffFIR نمبر 123\r\nSection 302\r\n".encode())
    result = extract_file(path)
    assert result.media_type == "text/plain"
    assert result.pages == [PageText(1, "FIR نمبر 123\nSection 302\n", "plain")]
    assert isinstance(result, Extraction)


def test_non_utf8_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(b"plain start " + "Café".encode("cp1252"))
    with pytest.raises(UnsupportedFile, match="UTF-8"):
        extract_file(path)


# --------------------------------------------------------------------------
# Refusals before any parsing


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.touch()
    with pytest.raises(UnsupportedFile, match=r"^This file is empty\.$"):
        extract_file(path)


def test_wrong_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(bomb_png(10, 10))
    with pytest.raises(UnsupportedFile, match="says it is a PDF but its content is a PNG image"):
        extract_file(path, "FIR 12.pdf")


def test_unsupported_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tool.exe"
    path.write_bytes(b"MZ\x90\x00" + bytes(200))
    with pytest.raises(UnsupportedFile, match=r"Files of this type \(\.exe\) cannot be added"):
        extract_file(path)
