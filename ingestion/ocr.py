"""Tesseract OCR: one call per image, words with boxes and confidences.

Tesseract's OpenMP threads fight each other on a 2-core laptop (a page took
15 s instead of 2 s), so ``OMP_THREAD_LIMIT=1`` is set for the whole process
at import and passed explicitly to every Tesseract process we start; we
parallelise across pages and jobs instead.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field, replace
from typing import cast

import pytesseract
from PIL import Image

from ingestion.layout import apply_layout, estimate_skew
from ingestion.ocr_judge import Judgement, judge

# Read by each Tesseract process when it starts, so setting it here (before
# any OCR) is enough for pytesseract's subprocesses; an operator's value wins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

__all__ = [
    "OcrResult",
    "OcrUnavailable",
    "Word",
    "detect_rotation",
    "installed_languages",
    "ocr_image",
    "ocr_status",
    "validate_lang",
]

#: Language packs a prosecution office in Sindh needs.
RECOMMENDED_LANGUAGES = ("eng", "urd", "snd")

_INSTALL_HINT = (
    "run apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-urd tesseract-ocr-snd"
)
_LANG_RE = re.compile(r"^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$")


class OcrUnavailable(RuntimeError):
    """Tesseract or a requested language pack is missing; retrying will not help until
    it is installed."""


@dataclass(frozen=True)
class Word:
    """One recognised word; the box is in pixels of the image that was OCR'd."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int


@dataclass
class OcrResult:
    """Text of one image with line breaks, plus the words behind it for highlighting
    and review. ``confidence`` is the mean word confidence (0-100), None when no
    word was found."""

    text: str
    confidence: float | None
    words: list[Word] = field(default_factory=list)
    width: int = 0
    height: int = 0
    #: Degrees the scan was turned clockwise (0, 90, 180, 270) and then deskewed
    #: (counter-clockwise, PIL's convention) before OCR; word boxes are in that image.
    rotation: int = 0
    skew: float = 0.0
    #: Which reading of the page was kept (:data:`PLAIN`, or what was done differently:
    #: "enlarged+deskewed", "turned 90°+deskewed", "psm 6" ...) and why, in a few words.
    reading: str = "plain"
    reason: str = ""


#: The reading of a page as given, the way ``tesseract IMAGE -`` reads it.
PLAIN = "plain"


def _tesseract_env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = os.environ.get("OMP_THREAD_LIMIT", "1")
    return env


def _tesseract_cmd() -> str | None:
    cmd = pytesseract.pytesseract.tesseract_cmd
    return shutil.which(cmd) or (cmd if os.path.isfile(cmd) else None)


def _run(args: list[str]) -> str:
    cmd = _tesseract_cmd()
    if cmd is None:
        raise OcrUnavailable(f"Tesseract is not installed: {_INSTALL_HINT}.")
    proc = subprocess.run(
        [cmd, *args],
        env=_tesseract_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    # --list-langs and --version print to stdout or stderr depending on version.
    return (proc.stdout + proc.stderr).decode("utf-8", "replace")


@functools.lru_cache(maxsize=1)
def _cached_languages() -> tuple[str, ...]:
    out = _run(["--list-langs"])
    langs = [
        line.strip()
        for line in out.splitlines()
        if line.strip() and not line.startswith("List of") and " " not in line.strip()
    ]
    return tuple(lang for lang in langs if lang != "osd")


def installed_languages(refresh: bool = False) -> tuple[str, ...]:
    """Installed Tesseract language codes (without ``osd``), cached per process."""
    if refresh:
        _cached_languages.cache_clear()
    return _cached_languages()


def ocr_status() -> tuple[bool, str]:
    """(available, detail) for the admin status page and ``mizan doctor``.

    Never raises: a missing Tesseract is reported, not thrown.
    """
    try:
        version_out = _run(["--version"])
        langs = installed_languages(refresh=True)
    except OcrUnavailable as exc:
        return False, str(exc)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"Tesseract could not be run ({exc}); {_INSTALL_HINT}."
    match = re.search(r"tesseract\s+v?(\d+(?:\.\d+)*)", version_out, re.IGNORECASE)
    version = match.group(1) if match else "(unknown version)"
    if not langs:
        return False, f"Tesseract {version} has no language packs: {_INSTALL_HINT}."
    detail = f"Tesseract {version} ({', '.join(langs)})"
    missing = [lang for lang in RECOMMENDED_LANGUAGES if lang not in langs]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        detail += f"; missing {', '.join(missing)}: run apt-get install {packages}"
    return True, detail


def validate_lang(lang: str, *, installed: bool = True) -> None:
    """Check a Tesseract language spec (``eng``, ``eng+urd``) before any work starts.

    A malformed spec raises ValueError (a programming error); with
    ``installed`` a missing language pack raises :class:`OcrUnavailable`
    naming the Debian package to install.
    """
    if not _LANG_RE.match(lang or ""):
        raise ValueError(
            f"{lang!r} is not a Tesseract language code; use codes such as eng, urd, "
            "snd or eng+urd."
        )
    if not installed:
        return
    codes = lang.split("+")
    have = installed_languages()
    if any(code not in have for code in codes):
        have = installed_languages(refresh=True)  # a pack may have been installed since
    missing = [code for code in codes if code not in have]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code}" for code in missing)
        raise OcrUnavailable(
            f"Tesseract has no language pack for {', '.join(missing)} "
            f"(installed: {', '.join(have) or 'none'}); run apt-get install {packages}."
        )


def _grey_palette(image: Image.Image) -> bool:
    palette = image.getpalette() or []
    triples = zip(palette[0::3], palette[1::3], palette[2::3], strict=False)
    return all(r == g == b for r, g, b in triples)


def _prepare(image: Image.Image) -> Image.Image:
    """A mode Tesseract (via PNG) accepts; 16-bit and float scans are scaled to 8-bit."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # One band here, so one (min, max) pair: the cast picks that arm of Pillow's union.
        lo, hi = cast("tuple[float, float]", image.getextrema())
        span = (hi - lo) or 1
        return image.convert("F").point(lambda v: (v - lo) * 255.0 / span).convert("L")
    if image.mode == "P" and "transparency" not in image.info and _grey_palette(image):
        # A bilevel or grey scan saved with a palette: the same grey levels Tesseract would
        # take from it, at a third of the pixels RGB would hand it (0.6-0.9 s a page less).
        return image.convert("L")
    if image.mode in ("LA", "RGBA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _parse_tsv(tsv: str) -> tuple[str, list[Word]]:
    """Text with line breaks, and the words, from Tesseract's TSV output.

    Lines are grouped by (block, paragraph, line); paragraphs and blocks are
    separated by a blank line so downstream chunking sees them.
    """
    rows = tsv.splitlines()
    if not rows:
        return "", []
    header = rows[0].split("\t")
    col = {name: i for i, name in enumerate(header)}
    needed = ("level", "block_num", "par_num", "line_num", "left", "top", "width", "height")
    if any(name not in col for name in (*needed, "conf", "text")):
        raise RuntimeError(f"Unexpected Tesseract output header: {rows[0]!r}")
    words: list[Word] = []
    paragraphs: list[list[list[str]]] = []
    last_par: tuple[int, int] | None = None
    last_line: tuple[int, int, int] | None = None
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) < len(header) - 1:
            continue
        text = cells[col["text"]].strip() if len(cells) > col["text"] else ""
        if cells[col["level"]] != "5" or not text:
            continue
        try:
            conf = float(cells[col["conf"]])
            block, par, line = (int(cells[col[k]]) for k in ("block_num", "par_num", "line_num"))
            left, top, width, height = (
                int(cells[col[k]]) for k in ("left", "top", "width", "height")
            )
        except ValueError:
            continue
        if conf < 0:
            continue
        words.append(Word(text, conf, left, top, width, height))
        if (block, par) != last_par:
            paragraphs.append([])
            last_par, last_line = (block, par), None
        if (block, par, line) != last_line:
            paragraphs[-1].append([])
            last_line = (block, par, line)
        paragraphs[-1][-1].append(text)
    text = "\n\n".join("\n".join(" ".join(line) for line in par) for par in paragraphs)
    return text, words


def _tesseract_data(
    image: Image.Image,
    lang: str,
    timeout: float,
    psm: int | None = None,
    *,
    dpi: int | None = None,
) -> tuple[str, list[Word]]:
    """Words of ``image`` in page-segmentation mode ``psm`` (Tesseract's own when None).

    ``dpi`` is the scan's resolution, which ``tesseract FILE`` reads from the file and
    pytesseract's copy would lose. The copy is written as uncompressed TIFF: PNG
    compression cost 0.3-0.8 s a page (a tenth of a reading), and unlike BMP (which
    states 96 dpi) it states no resolution, so Tesseract estimates it as it does for a
    scan that states none, and reads exactly what ``tesseract FILE`` reads.
    """
    # pytesseract has no env parameter: it hands os.environ to Popen, so
    # make sure the limit is there (setdefault keeps an operator's choice).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    config = " ".join(
        ([f"--psm {psm}"] if psm is not None else []) + ([f"--dpi {dpi}"] if dpi else [])
    )
    uncompressed = image.copy()
    uncompressed.format = "TIFF"
    try:
        tsv = pytesseract.image_to_data(uncompressed, lang=lang, timeout=timeout, config=config)
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(f"Tesseract is not installed: {_INSTALL_HINT}.") from exc
    except pytesseract.TesseractError as exc:
        raise RuntimeError(f"Tesseract failed: {exc.message or exc.status}") from exc
    return _parse_tsv(tsv)


def detect_rotation(image: Image.Image, timeout: float = 30) -> int:
    """Clockwise degrees (0, 90, 180, 270) Tesseract's OSD says the page needs; 0 when
    OSD is not installed or finds too little text to tell."""
    try:
        osd = pytesseract.image_to_osd(
            image, config="--psm 0 -c min_characters_to_try=5", timeout=timeout
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(f"Tesseract is not installed: {_INSTALL_HINT}.") from exc
    except (pytesseract.TesseractError, RuntimeError):
        return 0
    match = re.search(r"Rotate:\s*(\d+)", osd)
    turn = int(match.group(1)) % 360 if match else 0
    return turn if turn in (90, 180, 270) else 0


#: A page image whose long side is below this many pixels was scanned or photographed at well
#: under 200 dpi; Tesseract reads such small print far better enlarged (measured on the
#: 740x1180 FIR scans in bench/bench_fir_metadata.py).
MIN_LONG_SIDE = 2000
_TARGET_LONG_SIDE = 2400


def _enlarge_small(image: Image.Image) -> tuple[Image.Image, float]:
    long_side = max(image.size)
    if not long_side or long_side >= MIN_LONG_SIDE:
        return image, 1.0
    scale = min(3.0, _TARGET_LONG_SIDE / long_side)
    size = (round(image.width * scale), round(image.height * scale))
    return image.resize(size, Image.Resampling.LANCZOS), scale


def _shrink(words: list[Word], factor: float) -> list[Word]:
    """Boxes found on an enlarged image, in pixels of the image as given."""
    if factor == 1.0:
        return words
    return [
        Word(
            w.text,
            w.confidence,
            round(w.left / factor),
            round(w.top / factor),
            max(1, round(w.width / factor)),
            max(1, round(w.height / factor)),
        )
        for w in words
    ]


def _sure(words: list[Word]) -> list[Word]:
    return [w for w in words if w.confidence >= 80 and len(w.text) >= 3]


#: Share of confidently read words that a reading of an upside-down page never reaches:
#: upside down, the 24 FIR scans gave at most 3% and a clean 300-dpi page 6%, while the
#: same FIR forms upright (too noisy for :func:`_reads_well`) gave 13-45%. OSD proposes
#: 180 degrees for many upright forms; above this share that proposal is not worth a
#: second full reading (measured on ../shared/data/fir_india_samples, enlarged as read).
_UPSIDE_DOWN_MAX_SURE = 0.10


def _worth_turning(words: list[Word], turn: int) -> bool:
    """Whether OSD's proposed ``turn`` could read better than ``words`` (read as is).

    A sideways page read as is can give a fair share of confident words (Tesseract reads
    some vertical lines), so a quarter turn is always tried; an upside-down page cannot.
    """
    if turn != 180 or not words:
        return bool(turn)
    return len(_sure(words)) < _UPSIDE_DOWN_MAX_SURE * len(words)


@dataclass
class _Reading:
    """One reading of a page: the image that was read and how it was made from the scan."""

    label: str
    judgement: Judgement
    image: Image.Image
    text: str
    words: list[Word]
    factor: float = 1.0
    rotation: int = 0
    skew: float = 0.0
    dpi: int | None = None


def _resolution(image: Image.Image) -> int | None:
    """The scan's dots per inch as its file states them, when plausible (70-2400)."""
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else None
    except (TypeError, ValueError, IndexError):
        return None
    return value if value and 70 <= value <= 2400 else None


def _read(
    image: Image.Image,
    lang: str,
    timeout: float,
    label: str,
    *,
    factor: float = 1.0,
    rotation: int = 0,
    skew: float = 0.0,
    psm: int | None = None,
    dpi: int | None = None,
) -> _Reading:
    text, words = _tesseract_data(image, lang, timeout, psm, dpi=dpi)
    return _Reading(label, judge(words), image, text, words, factor, rotation, skew, dpi)


def _geometry_label(factor: float, rotation: int, skew: float) -> str:
    parts = ["enlarged"] if factor != 1.0 else []
    if rotation:
        parts.append(f"turned {rotation}°")
    if skew:
        parts.append("deskewed")
    return "+".join(parts) or PLAIN


#: Page-segmentation modes tried on a page that still reads badly: one uniform block of
#: text (forms and columns read row by row), then sparse text (scattered form fields).
_OTHER_MODES = (6, 11)
#: A second reading replaces the first only when it scores this much better, so that
#: noise between two near-equal readings never trades reading order for nothing.
_MARGIN = 1.02


class _Clock:
    """Time left of the page's budget: second readings never take a page past it."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout if timeout else None

    def left(self) -> float | None:
        """Seconds left (None without a limit); 0 when the budget is spent."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())


def _reread(image: Image.Image, lang: str, plain: _Reading, clock: _Clock) -> _Reading:
    """The best of ``plain`` and the readings a badly read page is worth trying, cheapest
    first, stopping as soon as one reads well or the page's time is spent: the scan
    enlarged and deskewed, turned as Tesseract's orientation detection proposes, then
    read as one block of text or as sparse text."""
    best = plain
    tried: list[str] = []

    def consider(reading: _Reading) -> None:
        nonlocal best
        tried.append(reading.label)
        if reading.judgement.score > best.judgement.score * _MARGIN:
            best = reading

    def budget() -> float | None:
        left = clock.left()
        if left is not None and left < 1:
            raise TimeoutError
        return left

    try:
        enlarged, factor = _enlarge_small(image)
        dpi = round(plain.dpi * factor) if plain.dpi else None
        angle = estimate_skew(enlarged)
        if factor != 1.0 or angle:
            page = apply_layout(enlarged, 0, angle)
            label = _geometry_label(factor, 0, angle)
            left = budget() or 0
            consider(_read(page, lang, left, label, factor=factor, skew=angle, dpi=dpi))
        if not best.judgement.good:
            turn = detect_rotation(enlarged, budget() or 0)
            if _worth_turning(best.words, turn):
                turned = apply_layout(enlarged, turn, 0.0)
                angle = estimate_skew(turned)
                page = apply_layout(turned, 0, angle)
                label = _geometry_label(factor, turn, angle)
                left = budget() or 0
                consider(
                    _read(
                        page,
                        lang,
                        left,
                        label,
                        factor=factor,
                        rotation=turn,
                        skew=angle,
                        dpi=dpi,
                    )
                )
        for psm in _OTHER_MODES:
            if best.judgement.good:
                break
            base = best
            label = f"{base.label}, psm {psm}" if base.label != PLAIN else f"psm {psm}"
            consider(
                _read(
                    base.image,
                    lang,
                    budget() or 0,
                    label,
                    factor=base.factor,
                    rotation=base.rotation,
                    skew=base.skew,
                    psm=psm,
                    dpi=base.dpi,
                )
            )
    except TimeoutError:
        tried.append("(the page's time limit was reached)")
    except RuntimeError as exc:  # a second reading that times out keeps the first
        if "timeout" not in str(exc).lower():
            raise
        tried.append("(the page's time limit was reached)")
    first = f"the plain reading had {plain.judgement.reason}"
    if best is plain:
        others = ", ".join(tried) or "nothing else applied"
        reason = f"{first}; no other reading was better (tried {others})"
        return replace(best, judgement=replace(best.judgement, reason=reason))
    gain = f"{best.judgement.score:.0f} against {plain.judgement.score:.0f}"
    reason = f"{first}; this reading scored {gain}"
    return replace(best, judgement=replace(best.judgement, reason=reason))


def ocr_image(
    image: Image.Image, lang: str = "eng", *, timeout: float = 180, normalise: bool = True
) -> OcrResult:
    """OCR one image (TSV gives text, boxes and confidences), never worse than plain Tesseract.

    ``lang`` is a Tesseract code or codes joined by ``+`` (``eng+urd``); a
    malformed code raises ValueError, a missing pack :class:`OcrUnavailable`
    naming the package to install. ``timeout`` (seconds, 0 for none) bounds the whole
    page; Tesseract errors and a first reading that times out raise :class:`RuntimeError`.

    The page is first read as given, exactly as ``tesseract IMAGE -`` reads it. A page
    that reads well by Tesseract's own confidences and the plausibility of its words
    (:func:`ingestion.ocr_judge.judge`) is done: clean pages are read once, since
    enlarging, deskewing and binarising cost words on clean, dense pages. With
    ``normalise``, a page that reads badly is read again in the ways that rescue bad
    pages (:func:`_reread`: enlarged if small, :data:`MIN_LONG_SIDE`; deskewed; turned
    as OSD proposes, a half turn only when the page may be upside down,
    :func:`_worth_turning`; another page-segmentation mode, :data:`_OTHER_MODES`), and
    the reading that scores best by the same measure is kept. The result says which
    reading was kept and why, and records any turn and skew so the viewer shows the page
    exactly as it was read; word boxes are in pixels of the image as passed, after any
    turn.
    """

    validate_lang(lang)
    clock = _Clock(timeout)
    prepared = _prepare(image)
    best = _read(prepared, lang, timeout, PLAIN, dpi=_resolution(image))
    if normalise and not best.judgement.good:
        best = _reread(prepared, lang, best, clock)
    words = best.words
    confidence = sum(w.confidence for w in words) / len(words) if words else None
    shown = best.image
    width, height = round(shown.width / best.factor), round(shown.height / best.factor)
    return OcrResult(
        best.text,
        confidence,
        _shrink(words, best.factor),
        width,
        height,
        best.rotation,
        round(best.skew, 2),
        reading=best.label,
        reason=best.judgement.reason,
    )
