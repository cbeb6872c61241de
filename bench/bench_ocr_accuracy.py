"""OCR accuracy of Mizan against plain Tesseract, in the same run, on real and synthetic pages.

**Real pages** (issue 17): the dev set in ``bench/ocr_devset`` (``pages.tsv``: scans of a book
page, a printout, a two-column brochure straight, tilted and turned, a typewritten page,
with hand-checked ground truth), fetched by ``scripts/fetch_ocr_devset.sh`` into
``~/.cache/mizan/ocr-devset`` (or ``--devset DIR``).

**Synthetic pages**: known text (an FIR-style page in English, and one in Urdu) rendered as
a scanner would produce it — black on white, A4 width, 12 pt — in DejaVu Serif (English),
Amiri, a Naskh face (Urdu; Debian package ``fonts-hosny-amiri``), and Noto Nastaliq Urdu
(the face the web interface ships; most FIRs are Nastaliq), at 300 and 200 dpi, and the
English and Naskh pages tilted (``--skew`` degrees, default 4, as phone photos of files
often are).

Each page is read twice: by Mizan (``ingestion.extract.extract_file``, what ``mizan extract
IMAGE`` runs: the plain reading first, and second readings only for pages that read badly)
and by plain ``tesseract IMAGE - -l LANG``, both with ``OMP_THREAD_LIMIT=1``. English pages
are scored by word F1 (order-insensitive: the multisets of words, split on white space,
with punctuation at either end dropped, case kept), Urdu pages by CER (Levenshtein
distance / reference length after collapsing white space, NFC). Seconds per page are
wall-clock for each reader; pages per second are given over all pages and over the clean
pages (those Mizan read once, as given).

    OMP_THREAD_LIMIT=1 python bench/bench_ocr_accuracy.py
    OMP_THREAD_LIMIT=1 python bench/bench_ocr_accuracy.py --pages linn.png --no-synthetic
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw, ImageFont

from ingestion.extract import extract_file

ROOT = Path(__file__).resolve().parents[1]
DEVSET_LIST = ROOT / "bench" / "ocr_devset" / "pages.tsv"
DEVSET = Path(
    os.environ.get("MIZAN_OCR_DEVSET")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mizan" / "ocr-devset"
)
#: page name -> (font file, Tesseract language, right to left)
FACES = {
    "eng": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "eng", False),
    "urd-naskh": ("/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf", "urd", True),
    # The Nastaliq face the web interface ships (for comparison: most FIRs are Nastaliq).
    "urd-nastaliq": (
        str(ROOT / "web/static/fonts/noto-nastaliq-urdu-arabic-400-normal.woff2"),
        "urd",
        True,
    ),
}

ENGLISH = """FIRST INFORMATION REPORT
FIR No. 189/2024 registered at Police Station Makli, District Thatta,
under sections 302, 324 and 34 of the Pakistan Penal Code.
The complainant Ghulam Rasool son of Ali Muhammad, by caste Jatoi,
resident of village Makli, stated that on the night of 13 March 2024
at about ten o'clock his brother Abdul Sattar was returning home
from the market when the accused Akbar alias Kaka and two others
stopped him near the bus stop and fired at him with pistols.
He fell down injured and was taken to the Civil Hospital Thatta,
where the medical officer declared that he had died of his injuries.
The accused fled towards the national highway on a motorcycle."""

URDU = """ابتدائی اطلاعی رپورٹ
مقدمہ نمبر 189 سال 2024 تھانہ مکلی ضلع ٹھٹھہ
بجرم زیر دفعہ 302 اور 34 تعزیرات پاکستان
مدعی غلام رسول ولد علی محمد قوم جتوئی ساکن مکلی نے بیان کیا کہ
میں زمیندار ہوں اور کھیتی باڑی کرتا ہوں۔ کل رات میرا بھائی بازار سے
گھر واپس آ رہا تھا کہ ملزمان نے بس اسٹاپ کے قریب اس پر فائرنگ کی
جس سے وہ شدید زخمی ہو گیا اور ہسپتال میں دم توڑ گیا۔
میں نے شور مچایا تو گاؤں کے لوگ جمع ہو گئے اور ملزمان فرار ہو گئے۔
میرا دعویٰ ہے کہ ملزمان کے خلاف قانونی کارروائی کی جائے۔"""


def render(text: str, face: str, dpi: int) -> Image.Image:
    size = round(12 / 72 * dpi)  # 12 pt
    path, _, rtl = FACES[face]
    font = ImageFont.truetype(path, size=size, layout_engine=ImageFont.Layout.RAQM)
    lines = text.splitlines()
    leading = 2.6 if face == "urd-nastaliq" else 1.9  # Nastaliq is tall
    width, margin, step = round(8.27 * dpi), dpi // 2, round(size * leading)
    image = Image.new("L", (width, 2 * margin + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        y = margin + n * step
        if rtl:
            draw.text((width - margin, y), line, font=font, fill=0, direction="rtl", anchor="ra")
        else:
            draw.text((margin, y), line, font=font, fill=0)
    return image


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> float:
    ref = normal(reference)
    return levenshtein(ref, normal(hypothesis)) / max(len(ref), 1)


_EDGE = "\"'“”‘’«»()[]{}<>.,;:!?*•·-–—_/\\|"


def words(text: str) -> Counter[str]:
    tokens = (t.strip(_EDGE) for t in unicodedata.normalize("NFC", text).split())
    return Counter(t for t in tokens if t)


def word_f1(reference: str, hypothesis: str) -> float:
    ref, hyp = words(reference), words(hypothesis)
    common = sum((ref & hyp).values())
    if not common:
        return 0.0
    precision, recall = common / sum(hyp.values()), common / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Page:
    name: str
    lang: str
    layout: str
    reference: str
    path: Path


@dataclass
class Row:
    page: Page
    plain: float
    mizan: float
    plain_s: float
    mizan_s: float
    reading: str

    @property
    def metric(self) -> str:
        return "CER" if self.page.lang == "urd" else "F1"

    @property
    def gain(self) -> float:
        """Mizan's advantage: higher F1, or lower CER, is better."""
        return self.plain - self.mizan if self.metric == "CER" else self.mizan - self.plain


def score(page: Page, text: str) -> float:
    return cer(page.reference, text) if page.lang == "urd" else word_f1(page.reference, text)


def plain_tesseract(path: Path, lang: str) -> tuple[float, str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    start = time.perf_counter()
    out = subprocess.run(
        ["tesseract", str(path), "-", "-l", lang], env=env, capture_output=True, check=True
    )
    return time.perf_counter() - start, out.stdout.decode("utf-8", "replace")


def mizan(path: Path, lang: str) -> tuple[float, str, str]:
    start = time.perf_counter()
    (page,) = extract_file(path, path.name, lang=lang).pages
    return time.perf_counter() - start, page.text, page.reading or ""


def devset_pages(folder: Path, only: list[str]) -> list[Page]:
    pages = []
    for line in DEVSET_LIST.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, lang, layout, truth = line.split("\t")
        if only and name not in only:
            continue
        reference = (DEVSET_LIST.parent / truth).read_text(encoding="utf-8")
        pages.append(Page(name, lang, layout, reference, folder / name))
    return pages


def synthetic_pages(folder: Path, dpis: list[int], skew: float) -> list[Page]:
    pages = []
    for face, (_, lang, _) in FACES.items():
        text = ENGLISH if lang == "eng" else URDU
        images = [(f"{face} {dpi} dpi", render(text, face, dpi), dpi) for dpi in dpis]
        if face != "urd-nastaliq":
            tilted = render(text, face, dpis[0]).rotate(skew, expand=True, fillcolor=255)
            images.append((f"{face} {dpis[0]} dpi tilted {skew:g}°", tilted, dpis[0]))
        for label, image, dpi in images:
            path = folder / (label.replace(" ", "-").replace("°", "") + ".png")
            image.save(path, dpi=(dpi, dpi))
            pages.append(Page(label, lang, "synthetic", text, path))
    return pages


def run(pages: list[Page]) -> list[Row]:
    rows = []
    for page in pages:
        plain_s, plain_text = plain_tesseract(page.path, page.lang)
        mizan_s, mizan_text, reading = mizan(page.path, page.lang)
        row = Row(
            page,
            score(page, plain_text),
            score(page, mizan_text),
            plain_s,
            mizan_s,
            reading.split(":", 1)[0],
        )
        print(
            f"{page.name[:34]:34} {row.metric:>3} {row.plain:7.3f} {row.mizan:7.3f} "
            f"{row.gain:+7.3f} {plain_s:7.1f} {mizan_s:7.1f}  {row.reading}",
            flush=True,
        )
        rows.append(row)
    return rows


def summary(title: str, rows: list[Row]) -> None:
    if not rows:
        return
    for metric in ("F1", "CER"):
        group = [r for r in rows if r.metric == metric]
        if not group:
            continue
        plain = sum(r.plain for r in group) / len(group)
        ours = sum(r.mizan for r in group) / len(group)
        worst = min(group, key=lambda r: r.gain)
        print(
            f"{title}: mean {metric} over {len(group)} pages: plain {plain:.3f}, Mizan {ours:.3f}; "
            f"worst page for Mizan: {worst.page.name} ({worst.gain:+.3f})"
        )
    clean = [r for r in rows if r.reading == "plain"]
    for label, group in (("all pages", rows), ("clean pages (read once)", clean)):
        if group:
            plain_rate = len(group) / sum(r.plain_s for r in group)
            our_rate = len(group) / sum(r.mizan_s for r in group)
            print(
                f"{title}: pages/second, {label} ({len(group)}): plain {plain_rate:.3f}, "
                f"Mizan {our_rate:.3f} ({our_rate / plain_rate:.2f}x)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEVSET, help="folder of the fetched scans")
    parser.add_argument("--pages", nargs="*", default=[], help="only these dev-set pages")
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 200])
    parser.add_argument("--skew", type=float, default=4.0, help="tilt of the tilted pages")
    parser.add_argument("--no-synthetic", action="store_true", help="real pages only")
    parser.add_argument("--no-devset", action="store_true", help="synthetic pages only")
    args = parser.parse_args()
    print(
        f"{'page':34} {'':>3} {'plain':>7} {'Mizan':>7} {'gain':>7} "
        f"{'plain s':>7} {'Mizan s':>7}  reading kept"
    )
    if not args.no_devset:
        pages = devset_pages(args.devset, args.pages)
        missing = [p.name for p in pages if not p.path.exists()]
        if missing:
            sys.exit(
                f"The dev set is not in {args.devset} ({', '.join(missing)} missing): "
                "run scripts/fetch_ocr_devset.sh first, or pass --no-devset."
            )
        summary("real", run(pages))
    if not args.no_synthetic:
        with tempfile.TemporaryDirectory() as folder:
            summary("synthetic", run(synthetic_pages(Path(folder), args.dpi, args.skew)))


if __name__ == "__main__":
    main()
