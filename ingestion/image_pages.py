"""Images (JPEG, PNG, multi-frame TIFF) read page by page through OCR, within a pixel limit.

Also the OCR of one page image, which a scanned PDF page shares once rendered.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ingestion.ocr import OcrUnavailable, ocr_image
from ingestion.pages import ExtractionError, PageSource, PageText

__all__ = ["MAX_IMAGE_PIXELS", "ImagePages", "ocr_page"]

#: Pillow refuses images above this (a decompression bomb is a tiny file that
#: expands to gigabytes). An A3 page at 600 dpi is about 70 megapixels.
MAX_IMAGE_PIXELS = 120_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def ocr_page(image: Image.Image, number: int, lang: str, timeout: float = 180) -> PageText:
    """OCR one page image; failures (other than a missing Tesseract) land on the page."""
    try:
        result = ocr_image(image, lang, timeout=timeout)
    except OcrUnavailable:
        raise
    except (RuntimeError, OSError, ValueError) as exc:
        if "timeout" in str(exc).lower():
            reason = (
                f"Page {number} took longer than the limit of {timeout:.0f} seconds to read "
                "and was skipped; rescan it more cleanly or retry the job."
            )
        else:
            reason = f"OCR failed on page {number}: {exc}"
        return PageText(number, "", "ocr", error=reason)
    return PageText(
        number,
        result.text,
        "ocr",
        result.confidence,
        result.words,
        width=result.width,
        height=result.height,
        rotation=result.rotation,
        skew=result.skew,
        reading=f"{result.reading}: {result.reason}",
    )


def _too_large(width: int, height: int) -> ExtractionError:
    return ExtractionError(
        f"This image is too large to process ({width:,} x {height:,} pixels; the limit is "
        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels). Scan it again at 300 dpi."
    )


class ImagePages(PageSource):
    """JPEG and PNG are one page; a TIFF has a page per frame."""

    def __init__(self, path: Path, media_type: str, lang: str) -> None:
        self.media_type, self.lang = media_type, lang
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ExtractionError(
                "This image is too large to process (more than "
                f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels). Scan it again at 300 dpi."
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ExtractionError("This image cannot be read; it may be damaged.") from exc
        try:
            frames = getattr(self.image, "n_frames", 1) if media_type == "image/tiff" else 1
        # Pillow says "Missing dimensions" with a TypeError for a later frame without a size.
        except (OSError, EOFError, ValueError, SyntaxError, TypeError) as exc:
            self.close()
            message = "This image is damaged or incomplete and cannot be read."
            raise ExtractionError(message) from exc
        self.page_count = frames
        if frames == 1 and self.image.width * self.image.height > MAX_IMAGE_PIXELS:
            size = self.image.size
            self.close()
            raise _too_large(*size)

    def page(self, number: int, *, timeout: float = 180) -> PageText:
        try:
            self.image.seek(number - 1)
            if self.image.width * self.image.height > MAX_IMAGE_PIXELS:
                raise _too_large(self.image.width, self.image.height)
            frame = self.image.copy()  # loads this frame only
            if self.media_type == "image/jpeg":
                frame = ImageOps.exif_transpose(frame)
        except ExtractionError as exc:
            if self.page_count == 1:
                raise
            return PageText(number, "", "ocr", error=f"Page {number}: {exc}")
        except (OSError, EOFError, ValueError, SyntaxError, TypeError) as exc:
            if self.page_count == 1:
                raise ExtractionError(
                    "This image is damaged or incomplete and cannot be read."
                ) from exc
            reason = f"Page {number} of this image is damaged or incomplete: {exc}"
            return PageText(number, "", "ocr", error=reason)
        return ocr_page(frame, number, self.lang, timeout)

    def close(self) -> None:
        self.image.close()
