"""Image-region triage: which pictures inside a digital page are worth reading by OCR.

Layout flags every large image on a text page that the text layer does not cover as possibly
carrying text (a table pasted as a picture). On real reports most such images are photographs —
ceremonies, branches, landscapes — and reading them costs most of a cold run (each page with
one goes to an OCR worker: render, image analysis, detection, recognition) for nothing a
dataset uses: a banner in a photo is scenery, not report content.

The test here looks at a small greyscale rendering of the region (``TRIAGE_DPI``, a few
milliseconds) and asks two cheap questions, in this order:

1. **Is it a drawn graphic, not a photograph?** Documents, tables, charts and diagrams are
   mostly uniform paper or flat fills with marks on them; a photograph has texture and sensor
   noise nearly everywhere. The share of pixels whose 3×3 neighbourhood spans at most
   ``FLAT_RANGE`` grey levels (``flat_share``) separates the two: measured 0.03–0.32 on the
   photographs of the Ping An report, 0.51–0.92 on pictured tables (style corpus), diagrams,
   the materiality matrix and scanned pages.
2. **Does the graphic hold marks like text strokes?** Thin features — darker than a grey
   closing or lighter than a grey opening over ``MARK_WINDOW_PT`` — at ``MARK_CONTRAST``:
   glyph strokes and rules are thin; a gradient, a sky or the edge of a solid shape is not.
   A region with less than ``MIN_MARK_SHARE`` of its pixels in such marks has nothing to read
   (measured: 0.002 on a sky photograph, at least 0.012 on every pictured table).

Only a "no" is acted on, and only for regions of digital pages: whole-page scans (no text
layer) are always OCRed, and a region the render caps refuse is left to the OCR stage, which
reports it. A graphic with text on a photographic backdrop reads as a photograph and is
skipped: the price of not running the detector on every picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np
import pymupdf

from csrextract.models import BBox
from csrextract.ocr.image import plan_render

TRIAGE_DPI = 72.0
"""Resolution of the triage rendering: one pixel per point keeps body-text strokes (≥ 7 pt
glyphs) visible as thin marks while a whole A4 page is only 0.5 Mpx."""

FLAT_RANGE = 4
"""Grey levels a 3×3 neighbourhood may span and still be flat: JPEG ringing and the
resampling of the rendering stay within it on paper and flat fills, photo texture does not."""

MIN_FLAT_SHARE = 0.40
"""Below this share of flat pixels a region is a photograph (measured: photographs ≤ 0.32,
drawn graphics and scans ≥ 0.51)."""

MARK_WINDOW_PT = 5.0
"""Width of the grey closing/opening that finds thin marks: wider than a glyph stroke or a
rule at body sizes, narrower than a filled shape."""

MARK_CONTRAST = 60
"""Grey levels a thin mark must differ from its surroundings (light grey text on white still
differs by 100, faint texture by far less)."""

MIN_MARK_SHARE = 0.004
"""Below this share of pixels in thin marks a graphic holds no text (measured: 0.002 on a sky
photograph, ≥ 0.012 on pictured tables and diagrams)."""


class Reason(Enum):
    """Why a region was kept for OCR or skipped."""

    TEXT = "text-like marks on a flat background"
    PHOTO = "photograph (little flat background)"
    BLANK = "no text-like marks"
    UNCHECKED = "not rendered for triage (render caps); left to the OCR stage"


@dataclass(frozen=True, slots=True)
class RegionVerdict:
    """The triage of one image region and the two measurements it rests on."""

    reason: Reason
    flat_share: float = 0.0
    mark_share: float = 0.0

    @property
    def worth_ocr(self) -> bool:
        return self.reason in (Reason.TEXT, Reason.UNCHECKED)


def flat_share(grey: np.ndarray) -> float:
    """Share of pixels whose 3×3 neighbourhood spans at most ``FLAT_RANGE`` grey levels."""
    kernel = np.ones((3, 3), np.uint8)
    spread = cv2.dilate(grey, kernel).astype(np.int16) - cv2.erode(grey, kernel)
    return float(np.mean(spread <= FLAT_RANGE))


def mark_share(grey: np.ndarray, dpi: float) -> float:
    """Share of pixels in thin marks (dark or light) at ``MARK_CONTRAST`` or more."""
    size = max(3, round(MARK_WINDOW_PT * dpi / 72.0) | 1)
    kernel = np.ones((size, size), np.uint8)
    dark = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT, kernel)
    light = cv2.morphologyEx(grey, cv2.MORPH_TOPHAT, kernel)
    return float(np.mean(np.maximum(dark, light) > MARK_CONTRAST))


def assess_pixels(grey: np.ndarray, dpi: float = TRIAGE_DPI) -> RegionVerdict:
    """The verdict on a greyscale (H, W) uint8 rendering of a region at ``dpi``."""
    flat = flat_share(grey)
    if flat < MIN_FLAT_SHARE:
        return RegionVerdict(Reason.PHOTO, flat)
    marks = mark_share(grey, dpi)
    return RegionVerdict(Reason.TEXT if marks >= MIN_MARK_SHARE else Reason.BLANK, flat, marks)


def assess_region(page: pymupdf.Page, area: BBox, dpi: float = TRIAGE_DPI) -> RegionVerdict:
    """The verdict on ``area`` (PDF points) of a page, from a small greyscale rendering.

    Areas the OCR render caps refuse (image bombs, giant pages) are not rendered here either.
    """
    if plan_render(page, area, dpi).refused:
        return RegionVerdict(Reason.UNCHECKED)
    pix = page.get_pixmap(dpi=round(dpi), colorspace=pymupdf.csGRAY, clip=pymupdf.Rect(*area))
    grey = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.h, pix.w)
    if min(grey.shape) < 3:
        return RegionVerdict(Reason.UNCHECKED)
    return assess_pixels(grey, dpi)
