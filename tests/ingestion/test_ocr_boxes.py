"""Word boxes kept with OCR pages, and pages turned upright and straightened before OCR."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ingestion.layout import apply_layout, estimate_skew
from ingestion.ocr import Word, ocr_image
from ingestion.wordboxes import pack_words, unpack_words, word_spans
from tests.conftest import render_scan

TEXT = (
    "FIRST INFORMATION REPORT\n"
    "FIR No. 189/2024 Police Station Makli District Thatta\n"
    "Under section 302, 324, 34 PPC\n"
    "Complainant Ghulam Rasool s/o Ali Muhammad by caste Jatoi\n"
    "The accused Akbar alias Kaka fired at my brother near the bus stop."
)


def test_words_round_trip_compactly() -> None:
    words = [
        Word("FIR", 96.4, 10, 20, 30, 12),
        Word("مقدمہ", 71.0, 400, 20, 60, 14),
        Word("189/2024", 55.6, 50, 20, 80, 12),
    ]
    packed = pack_words(words)
    assert packed.count("\n") == 2
    back = unpack_words(packed)
    assert [w.text for w in back] == ["FIR", "مقدمہ", "189/2024"]
    assert back[0].left == 10 and back[0].confidence == 96 and back[2].confidence == 56


def test_malformed_word_lines_are_skipped_not_guessed() -> None:
    packed = "1 2 3 4 90\tgood\nnot a line\n1 2 x 4 90\tbad\n1 2 3 4\tshort\n5 6 7 8 80\t"
    assert [w.text for w in unpack_words(packed)] == ["good"]
    assert unpack_words(None) == []


def test_word_spans_follow_the_page_text() -> None:
    text = "FIR No. 12\n\nFIR again"
    words = [Word(t, 90, 0, 0, 1, 1) for t in ("FIR", "No.", "12", "FIR", "missing", "again")]
    spans = [(s, e, w.text) for s, e, w in word_spans(text, words)]
    assert spans == [
        (0, 3, "FIR"),
        (4, 7, "No."),
        (8, 10, "12"),
        (12, 15, "FIR"),
        (16, 21, "again"),
    ]


def test_skew_of_a_tilted_scan_is_measured(tmp_path: Path) -> None:
    page = Image.open(render_scan(TEXT, tmp_path / "scan.png"))
    assert estimate_skew(page) == 0.0
    tilted = page.rotate(2.0, expand=True, fillcolor=255)  # counter-clockwise
    assert estimate_skew(tilted) == pytest.approx(-2.0, abs=0.25)
    assert estimate_skew(Image.new("L", (800, 1000), 255)) == 0.0  # blank page


def test_layout_turns_clockwise_and_keeps_the_size_when_straightening() -> None:
    image = Image.new("L", (300, 100), 255)
    assert apply_layout(image, 90, 0).size == (100, 300)
    assert apply_layout(image, 0, 1.5).size == (300, 100)
    marked = Image.new("L", (2, 1), 255)
    marked.putpixel((0, 0), 0)  # black on the left
    assert apply_layout(marked, 90, 0).getpixel((0, 0)) == 0  # top after a clockwise turn
    assert apply_layout(marked, 270, 0).getpixel((0, 1)) == 0


@pytest.mark.slow
def test_a_sideways_tilted_scan_is_read_upright_with_boxes(tmp_path: Path) -> None:
    page = Image.open(render_scan(TEXT, tmp_path / "scan.png"))
    scanned = page.rotate(90, expand=True, fillcolor=255).rotate(1.5, expand=True, fillcolor=255)
    result = ocr_image(scanned, "eng")
    assert result.rotation == 90  # it lay a quarter turn counter-clockwise: turned back
    assert result.skew == pytest.approx(-1.5, abs=0.3)
    assert "INFORMATION REPORT" in result.text and "Ghulam Rasool" in result.text
    assert (result.width, result.height) == (scanned.height, scanned.width)
    rasool = next(w for w in result.words if w.text == "Rasool")
    assert 0 <= rasool.left < result.width and 0 <= rasool.top < result.height
    assert rasool.confidence > 80


@pytest.mark.slow
def test_an_upright_scan_is_not_turned(tmp_path: Path) -> None:
    result = ocr_image(Image.open(render_scan(TEXT, tmp_path / "scan.png")), "eng")
    assert (result.rotation, result.skew) == (0, 0.0)
    assert "189/2024" in result.text


@pytest.mark.slow
def test_an_upside_down_scan_is_turned_back(tmp_path: Path) -> None:
    page = Image.open(render_scan(TEXT, tmp_path / "scan.png"))
    result = ocr_image(page.rotate(180), "eng")
    assert result.rotation == 180
    assert "INFORMATION REPORT" in result.text and "Ghulam Rasool" in result.text


FIR_SCANS = Path(__file__).resolve().parents[3] / "shared" / "data" / "fir_india_samples" / "images"


@pytest.mark.slow
def test_an_upright_noisy_form_is_not_read_again_upside_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # OSD calls this upright FIR form upside down; its readings have far too many
    # confident words for an upside-down page, so no reading is spent on it turned over.
    # (The form reads badly as given, so it is read enlarged and in the other
    # segmentation modes: at most 1 + 1 + 2 readings, none of them turned.)
    scan = FIR_SCANS / "Airport PSAIRPORT-0010-2017-3678__1.jpg"
    if not scan.exists():
        pytest.skip("the FIR samples are not in ../shared/data")
    from ingestion import ocr

    turns: list[int] = []
    real_detect = ocr.detect_rotation
    monkeypatch.setattr(
        ocr, "detect_rotation", lambda *a, **k: turns.append(real_detect(*a, **k)) or turns[-1]
    )
    readings: list[int] = []
    real_read = ocr._tesseract_data
    monkeypatch.setattr(
        ocr, "_tesseract_data", lambda *a, **k: readings.append(1) or real_read(*a, **k)
    )
    result = ocr_image(Image.open(scan), "eng")
    assert turns == [180]  # OSD's (wrong) proposal
    assert len(readings) <= 2 + len(ocr._OTHER_MODES)
    assert result.rotation == 0 and "turned" not in result.reading
    assert "FIRST INFORMATION REPORT" in result.text.upper()
