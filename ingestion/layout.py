"""Page geometry before OCR: the turn a sideways scan needs, and the skew of its lines.

Both OCR and the viewer apply the same :func:`apply_layout`, so word boxes found
on the corrected image line up with the page image a clerk is shown. The skew
is found with a projection profile: text lines make sharp peaks in the row
sums of ink when they run horizontal, and a blur when they are tilted.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["MAX_SKEW", "apply_layout", "estimate_skew"]

#: Scanner and phone skew beyond this is rare; a wider search finds false maxima
#: in tables and ruled forms.
MAX_SKEW = 5.0
#: Below this a correction would only resample (and blur) the image.
MIN_SKEW = 0.3
_WORK_WIDTH = 900
_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,  # PIL turns counter-clockwise; OSD says clockwise
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def apply_layout(image: Image.Image, rotation: int, skew: float) -> Image.Image:
    """Turn ``image`` clockwise by ``rotation`` (0/90/180/270), then straighten it by
    ``skew`` degrees (counter-clockwise), keeping the size and filling with white."""
    if rotation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[rotation])
    if skew:
        fill = 255 if image.mode in ("L", "1") else (255, 255, 255)
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=fill)
    return image


def _profile_score(ink: Image.Image, angle: float) -> float:
    rotated = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32)
    rows = rotated.sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def estimate_skew(image: Image.Image) -> float:
    """Degrees (counter-clockwise) that make the text lines horizontal; 0 when the page
    is straight within :data:`MIN_SKEW` or has too little ink to tell."""
    gray = image.convert("L")
    if gray.width > _WORK_WIDTH:
        gray = gray.resize(
            (_WORK_WIDTH, max(1, round(gray.height * _WORK_WIDTH / gray.width))),
            Image.Resampling.BILINEAR,
        )
    arr = np.asarray(gray)
    ink_mask = arr < 128
    if ink_mask.mean() < 0.002:  # a blank page
        return 0.0
    ink = Image.fromarray((ink_mask * 255).astype(np.uint8), mode="L")
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5)
    best = max(coarse, key=lambda a: _profile_score(ink, float(a)))
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1)
    angle = float(max(fine, key=lambda a: _profile_score(ink, float(a))))
    if abs(angle) < MIN_SKEW or abs(angle) > MAX_SKEW:
        return 0.0
    return round(angle, 2)
