"""OCR never worse than the plain Tesseract call: a clean page is read once, as given; a page
that reads badly is read again, and the better reading is kept and says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from ingestion import ocr
from ingestion.image_pages import ocr_page
from ingestion.ocr import PLAIN, Word, ocr_image
from ingestion.ocr_judge import judge, plausible
from tests.conftest import render_scan

TEXT = (
    "FIRST INFORMATION REPORT\n"
    "FIR No. 189/2024 Police Station Makli District Thatta\n"
    "Under section 302, 324, 34 PPC\n"
    "Complainant Ghulam Rasool s/o Ali Muhammad by caste Jatoi\n"
    "The accused Akbar alias Kaka fired at my brother near the bus stop."
)


def _words(*pairs: tuple[str, float]) -> list[Word]:
    return [Word(text, conf, 10 * n, 0, 9, 9) for n, (text, conf) in enumerate(pairs)]


def _count_readings(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Observe every Tesseract reading (its page-segmentation mode) without changing it."""
    calls: list[int | None] = []
    real = ocr._tesseract_data

    def observed(
        image: Image.Image, lang: str, timeout: float, psm: int | None = None, **kw: int | None
    ) -> tuple[str, list[Word]]:
        calls.append(psm)
        return real(image, lang, timeout, psm, **kw)

    monkeypatch.setattr(ocr, "_tesseract_data", observed)
    return calls


# -- the measure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["Rasool", "189/2024", "13.03.2024", "PPC", "(extracted)", "played—only", "مقدمہ", "۔"],
)
def test_words_numbers_and_urdu_are_plausible(token: str) -> None:
    assert plausible(token)


@pytest.mark.parametrize("token", ["w=", "l1l", "#", "tHe", "broadcast).!4]", "Jt", "||~"])
def test_ocr_fragments_are_not_plausible(token: str) -> None:
    assert not plausible(token)


def test_a_sure_reading_of_words_is_good() -> None:
    verdict = judge(_words(("The", 96), ("accused", 93), ("fled", 95), ("189/2024", 91)))
    assert verdict.good and verdict.reason.startswith("read cleanly")


def test_no_words_low_confidence_and_garbage_each_read_badly() -> None:
    assert judge([]).reason == "no text found" and not judge([]).good
    unsure = judge(_words(("The", 60), ("accused", 55), ("fled", 70)))
    assert not unsure.good and unsure.reason.startswith("low confidence")
    garbage = judge(_words(("The", 95), ("w=", 92), ("|~#", 91), ("fled", 96)))
    assert not garbage.good and "not words" in garbage.reason


def test_a_surer_reading_of_the_same_words_scores_higher_and_garbage_costs() -> None:
    sure = judge(_words(("Ghulam", 95), ("Rasool", 95)))
    unsure = judge(_words(("Ghulam", 70), ("Rasool", 65)))
    noisy = judge(_words(("Ghulam", 95), ("Rasool", 95), ("=|~#", 90), ("l1l", 90)))
    assert sure.score > unsure.score and sure.score > noisy.score


# -- readings ----------------------------------------------------------------------------


@pytest.mark.slow
def test_a_clean_page_is_read_once_as_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _count_readings(monkeypatch)
    turns: list[Image.Image] = []

    def observed_osd(image: Image.Image, timeout: float = 30) -> int:
        turns.append(image)
        return 0

    monkeypatch.setattr(ocr, "detect_rotation", observed_osd)
    result = ocr_image(Image.open(render_scan(TEXT, tmp_path / "scan.png")), "eng")
    assert calls == [None]  # one reading, Tesseract's own page segmentation
    assert turns == []  # orientation is not even asked
    assert result.reading == PLAIN and result.reason.startswith("read cleanly")
    assert (result.rotation, result.skew) == (0, 0.0)
    assert "Ghulam Rasool" in result.text


@pytest.mark.slow
def test_a_page_that_reads_badly_is_read_again_and_the_better_reading_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = Image.open(render_scan(TEXT, tmp_path / "scan.png"))
    sideways = page.rotate(90, expand=True, fillcolor=255)
    plain = ocr_image(sideways, "eng", normalise=False)  # what `tesseract IMAGE -` reads
    assert not judge(plain.words).good

    calls = _count_readings(monkeypatch)
    result = ocr_image(sideways, "eng")
    assert len(calls) >= 2
    assert result.reading.startswith("turned 90°")
    assert result.reason.startswith("the plain reading had ") and "scored" in result.reason
    assert judge(result.words).score > judge(plain.words).score
    assert "Ghulam Rasool" in result.text and "Ghulam Rasool" not in plain.text


@pytest.mark.slow
def test_a_bad_page_no_reading_improves_keeps_the_plain_reading_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_readings(monkeypatch)
    result = ocr_image(Image.new("L", (300, 200), 255), "eng")  # nothing to read
    assert result.reading == PLAIN and result.text == "" and result.confidence is None
    assert result.reason.startswith("the plain reading had no text found")
    assert "no other reading was better (tried enlarged, psm 6, psm 11)" in result.reason
    assert calls == [None, None, 6, 11]


@pytest.mark.slow
def test_second_readings_stop_when_the_page_time_is_spent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = Image.open(render_scan(TEXT, tmp_path / "scan.png"))
    calls = _count_readings(monkeypatch)
    monkeypatch.setattr(ocr._Clock, "left", lambda self: 0.0)  # the budget is already gone
    result = ocr_image(page.rotate(90, expand=True, fillcolor=255), "eng")
    assert calls == [None]
    assert result.reading == PLAIN and "time limit was reached" in result.reason


@pytest.mark.slow
def test_the_stored_page_says_which_reading_was_kept(tmp_path: Path) -> None:
    page = Image.open(render_scan(TEXT, tmp_path / "scan.png"))
    text = ocr_page(page, 1, "eng")
    assert text.reading is not None and text.reading.startswith("plain: read cleanly")


def test_the_reading_is_kept_with_the_page_and_copied_to_an_identical_file() -> None:
    from casefiles.models import DocumentPage
    from ingestion.pages import PageText
    from ingestion.wordboxes import copied_layout, layout_fields

    page = PageText(1, "text", "ocr", 91.0, reading="psm 6: the plain reading had ...")
    fields = layout_fields(page)
    assert fields["ocr_reading"] == "psm 6: the plain reading had ..."
    record = DocumentPage(document_id="d", number=1, **fields)
    assert copied_layout(record)["ocr_reading"] == "psm 6: the plain reading had ..."


@pytest.mark.slow
def test_mizan_extract_says_when_a_page_was_read_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ingestion.cli import extracted_text

    sideways = tmp_path / "sideways.png"
    Image.open(render_scan(TEXT, tmp_path / "scan.png")).rotate(
        90, expand=True, fillcolor=255
    ).save(sideways)
    text = extracted_text(sideways, "eng")
    assert "Ghulam Rasool" in text
    assert "[page 1: OCR reading kept: turned 90°" in capsys.readouterr().err


def test_a_grey_palette_scan_is_handed_over_grey_and_a_coloured_one_in_colour() -> None:
    grey = Image.new("P", (20, 10))
    grey.putpalette([0, 0, 0, 255, 255, 255])
    coloured = Image.new("P", (20, 10))
    coloured.putpalette([200, 0, 0, 255, 255, 255])
    assert ocr._prepare(grey).mode == "L"
    assert ocr._prepare(coloured).mode == "RGB"
