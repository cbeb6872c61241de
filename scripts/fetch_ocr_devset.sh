#!/usr/bin/env bash
# Fetch the real scanned pages of the OCR dev set (bench/ocr_devset/) into
# ${MIZAN_OCR_DEVSET:-~/.cache/mizan/ocr-devset}, outside the repository.
#
# The pages are the real scans that OCRmyPDF ships as test resources in its
# source package on PyPI (ocrmypdf==17.13.0): a book page (Huckleberry Finn,
# public domain), a scanned printout of a Wikipedia article, a two-column
# brochure (straight; tilted, turned and both, as OCRmyPDF's tests turn it) and
# a typewritten page. Their ground truth is
# the hand-checked transcriptions in bench/ocr_devset/*.gt.txt; the licences
# (CC-BY-SA / GFDL / public domain, per OCRmyPDF's REUSE.toml) are copied next
# to the images. PDF pages are saved as their embedded scan, pixel for pixel, except
# skew.pdf, which tilts its scan when drawn and so is rendered at 300 dpi.
#
# Safe to run again: it does nothing when every page is already there.
# Usage: scripts/fetch_ocr_devset.sh   (PYTHON=... to choose the interpreter)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VERSION=17.13.0
DEST="${MIZAN_OCR_DEVSET:-${XDG_CACHE_HOME:-$HOME/.cache}/mizan/ocr-devset}"
PAGES=(c03-29.png epson.png linn.png skew.png typewriter.png
  cardinal-90.png cardinal-180.png cardinal-270.png rotated-skew.png)
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi

missing=0
for page in "${PAGES[@]}" LICENCE.md; do
  [[ -s "$DEST/$page" ]] || missing=1
done
if [[ $missing == 0 ]]; then
  echo "OCR dev set already in $DEST"
  exit 0
fi

mkdir -p "$DEST"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -m pip download --quiet --no-deps --no-binary :all: -d "$work" "ocrmypdf==$VERSION"
src="ocrmypdf-$VERSION"
tar -xzf "$work/$src.tar.gz" -C "$work" \
  "$src/tests/resources/c03-29.pdf" "$src/tests/resources/epson.pdf" \
  "$src/tests/resources/skew.pdf" "$src/tests/resources/linn.png" \
  "$src/tests/resources/cardinal.pdf" "$src/tests/resources/rotated_skew.pdf" \
  "$src/tests/resources/typewriter.png" "$src/REUSE.toml" "$src/LICENSES"

"$PYTHON" - "$work/$src" "$DEST" <<'PY'
"""Copy the PNG scans and save each PDF's one embedded scan as PNG, unchanged."""
import shutil
import sys
from pathlib import Path

import pypdfium2 as pdfium

src, dest = Path(sys.argv[1]), Path(sys.argv[2])
res = src / "tests" / "resources"
for name in ("linn.png", "typewriter.png"):
    shutil.copyfile(res / name, dest / name)
for name in ("c03-29", "epson"):
    pdf = pdfium.PdfDocument(res / f"{name}.pdf")
    (image,) = [o for o in pdf[0].get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    image.get_bitmap(render=False).to_pil().save(dest / f"{name}.png")
    pdf.close()
# These turn or tilt linn.png through the page's drawing matrix (or /Rotate): render them,
# at the scan's 300 dpi, as a scanner would have delivered them.
for name, index, target in (
    ("skew", 0, "skew"),
    ("cardinal", 1, "cardinal-90"),
    ("cardinal", 2, "cardinal-180"),
    ("cardinal", 3, "cardinal-270"),
    ("rotated_skew", 0, "rotated-skew"),
):
    pdf = pdfium.PdfDocument(res / f"{name}.pdf")
    bitmap = pdf[index].render(scale=300 / 72, grayscale=True)
    bitmap.to_pil().convert("L").save(dest / f"{target}.png")
    pdf.close()
PY

mkdir -p "$DEST/LICENSES"
cp "$work/$src/REUSE.toml" "$DEST/REUSE.toml"
cp "$work/$src"/LICENSES/{CC-BY-SA-3.0,CC-BY-SA-4.0,GFDL-1.2-or-later}.txt "$DEST/LICENSES/"
cat >"$DEST/LICENCE.md" <<EOF
# OCR dev set: sources and licences

Scans from the test resources of OCRmyPDF $VERSION (source package on PyPI),
licensed as its REUSE.toml (copied here) says:

- c03-29.png (from c03-29.pdf): Adventures of Huckleberry Finn, page 29 of the
  Project Gutenberg scan; public domain.
- epson.png (from epson.pdf): printout of the Wikipedia article "Optical
  character recognition" (2016-09-14), scanned; CC-BY-SA-3.0, held by the
  article's contributors.
- linn.png, and the same page tilted (skew.png from skew.pdf), turned (cardinal-*.png
  from cardinal.pdf) and turned and tilted (rotated-skew.png from rotated_skew.pdf): LinnSequencer
  brochure, (C) 1985 Forat Electronics, via Wikimedia Commons;
  GFDL-1.2-or-later or CC-BY-SA-3.0.
- typewriter.png: "Triumph typewriter text Linzensoep" by Ellywa, Wikimedia
  Commons; GFDL-1.2-or-later or CC-BY-SA-1.0/2.0/2.5/3.0.
EOF
echo "OCR dev set: ${#PAGES[@]} pages in $DEST"
