"""Character error rate of Mizan's OCR on pages rendered from known English and Urdu text.

Known text (an FIR-style page in English, and one in Urdu) is rendered as a scanner would
produce it — black on white, A4 width, 12 pt — in DejaVu Serif (English) and Amiri, a Naskh
face (Urdu; Debian package ``fonts-hosny-amiri``), at 300 and 200 dpi, and read back through
``ingestion.ocr.ocr_image`` (the pipeline: orientation check, deskew, Tesseract with
``OMP_THREAD_LIMIT=1``). CER = Levenshtein distance / reference length, after collapsing
white space (and NFC for Urdu).

A tilted page (``--skew`` degrees, default 4, as phone photos of files often are) is read
twice in the same run: through the pipeline, and as the baseline with ``normalise=False``
(Tesseract on the page as scanned); the ratio is baseline CER / pipeline CER. The Urdu text is also
rendered in Noto Nastaliq Urdu (the face the web interface ships), in which most FIRs are
written, for comparison.

    OMP_THREAD_LIMIT=1 python bench/bench_ocr_accuracy.py
    OMP_THREAD_LIMIT=1 python bench/bench_ocr_accuracy.py --dpi 300 --skew 3
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import unicodedata
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw, ImageFont

from ingestion.ocr import ocr_image

ROOT = Path(__file__).resolve().parents[1]
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


def read(image: Image.Image, lang: str, normalise: bool = True) -> tuple[float, float, str]:
    start = time.perf_counter()
    result = ocr_image(image, lang, normalise=normalise)
    return time.perf_counter() - start, result.skew, result.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 200])
    parser.add_argument("--skew", type=float, default=4.0, help="tilt of the skewed page")
    args = parser.parse_args()
    print(f"{'page':40} {'chars':>5} {'CER':>7} {'s/page':>7}")
    for face, (_, lang, _) in FACES.items():
        text = ENGLISH if lang == "eng" else URDU
        chars = len(normal(text))
        for dpi in args.dpi:
            seconds, _, got = read(render(text, face, dpi), lang)
            label = f"{face} {dpi} dpi straight"
            print(f"{label:40} {chars:5d} {cer(text, got):7.2%} {seconds:7.1f}")
        if face == "urd-nastaliq":
            continue  # the deskew comparison is made on the Naskh and English pages
        dpi = args.dpi[0]
        tilted = render(text, face, dpi).rotate(args.skew, expand=True, fillcolor=255)
        p_seconds, found_skew, p_text = read(tilted, lang)
        b_seconds, _, b_text = read(tilted, lang, normalise=False)
        p_cer, b_cer = cer(text, p_text), cer(text, b_text)
        label = f"{face} {dpi} dpi tilted {args.skew:g}° pipeline"
        print(f"{label:40} {chars:5d} {p_cer:7.2%} {p_seconds:7.1f}  (skew found {found_skew:g}°)")
        label = f"{face} {dpi} dpi tilted {args.skew:g}° baseline"
        print(f"{label:40} {chars:5d} {b_cer:7.2%} {b_seconds:7.1f}")
        if p_cer:
            ratio = f"{b_cer / p_cer:.1f}x"
        else:
            ratio = "both error-free" if not b_cer else "pipeline error-free, baseline not"
        print(f"  baseline/pipeline CER on the tilted page: {ratio}")


if __name__ == "__main__":
    main()
