"""Properties of file sniffing and extraction under damaged and random input (hypothesis).

Whatever bytes arrive under whatever name, sniffing answers a supported media type or an
:class:`UnsupportedFile` sentence, and extraction answers page texts or an
:class:`ExtractionError` / :class:`UnsupportedFile` sentence; anything else would crash the
worker's job instead of telling the clerk what is wrong with the file. Damaged files are
made by truncating, overwriting and splicing real small files of each supported type.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from ingestion.extract import extract_file
from ingestion.ocr import OcrUnavailable
from ingestion.pages import ExtractionError
from ingestion.sniff import HEAD_SIZE, MEDIA_TYPES, UnsupportedFile, sniff, sniff_file
from tests.ingestion.test_extract import make_pdf

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_NAMES = st.one_of(
    st.sampled_from(
        [
            "scan.pdf",
            "page.PNG",
            "photo.jpeg",
            "fir.docx",
            "statement.txt",
            "pages.tiff",
            "noext",
            "archive.zip",
            "tricky.pdf.exe",
            ".hidden",
            "",
            " spaced .pdf ",
        ]
    ),
    st.text(max_size=20),
)


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (24, 16), 255).save(buf, fmt)
    return buf.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("FIR No. 189 of 2024, PS Artillery Maidan")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


SEEDS: dict[str, bytes] = {
    "fir.pdf": make_pdf([{"lines": ["Sessions Case No. 412 of 2024"]}]),
    "scan.png": _image("PNG"),
    "scan.jpg": _image("JPEG"),
    "scan.tif": _image("TIFF"),
    "fir.docx": _docx(),
    "note.txt": "FIR 189/2024 دفعہ ۳۰۲".encode(),
}


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` truncated, overwritten in places, or with random bytes spliced in."""
    how = draw(st.sampled_from(["truncate", "overwrite", "splice", "as is"]))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if how == "overwrite":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(out) - 1))
            chunk = draw(st.binary(min_size=1, max_size=16))
            out[at : at + len(chunk)] = chunk
        return bytes(out)
    if how == "splice":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(max_size=64)) + data[at:]
    return data


def _damaged_files(names: list[str]) -> st.SearchStrategy[tuple[str, bytes]]:
    return st.sampled_from(names).flatmap(lambda n: st.tuples(st.just(n), damaged(SEEDS[n])))


@FAST
@given(st.binary(max_size=2 * HEAD_SIZE), _NAMES)
def test_sniffing_answers_a_media_type_or_a_sentence(data: bytes, name: str) -> None:
    try:
        media_type = sniff(data, name)
    except UnsupportedFile as exc:
        assert str(exc).endswith(".")
        return
    assert media_type in MEDIA_TYPES.values()


@FAST
@given(_damaged_files(sorted(SEEDS)))
def test_sniffing_a_file_agrees_with_sniffing_its_bytes(named: tuple[str, bytes]) -> None:
    name, data = named
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "blob"
        path.write_bytes(data)
        try:
            from_file = sniff_file(path, name)
        except UnsupportedFile as exc:
            from_file = str(exc)
    assert from_file in MEDIA_TYPES.values() or from_file.endswith(".")
    if len(data) >= HEAD_SIZE:
        return  # sniff() saw only the head; sniff_file() read the whole archive
    try:
        from_bytes = sniff(data, name)
    except UnsupportedFile as exc:
        from_bytes = str(exc)
    # A small file is read whole either way, so both must give the same answer.
    assert from_file == from_bytes


#: Read from their text (only a PDF page left blank by the damage is OCR'd).
_WITHOUT_OCR = ["fir.pdf", "fir.docx", "note.txt"]
_IMAGES = ["scan.png", "scan.jpg", "scan.tif"]  # every readable one goes through Tesseract


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_damaged_files(_WITHOUT_OCR))
def test_extraction_gives_text_or_a_sentence_for_the_clerk(named: tuple[str, bytes]) -> None:
    _extract_or_refuse(*named)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_damaged_files(_IMAGES))
def test_image_extraction_gives_text_or_a_sentence_for_the_clerk(named: tuple[str, bytes]) -> None:
    _extract_or_refuse(*named)


def _extract_or_refuse(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "blob"
        path.write_bytes(data)
        try:
            result = extract_file(path, name, dpi=40, page_timeout=30)
        except (UnsupportedFile, ExtractionError) as exc:
            assert str(exc).strip() and "Traceback" not in str(exc)
            return
        except OcrUnavailable:  # Tesseract missing on this machine: a retryable job error
            return
    assert result.media_type in MEDIA_TYPES.values()
    assert result.pages and all(isinstance(p.text, str) for p in result.pages)
    assert all(p.error is None or p.error.strip() for p in result.pages)
