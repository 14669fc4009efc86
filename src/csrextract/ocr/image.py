"""Page images for OCR: render, straighten, and map pixels back to PDF points.

Frames. A ``PageImage`` is a greyscale rendering of a page area (the whole page or an image
region) at ``dpi``, already deskewed. Everything found in it — text boxes, rules, fills — is
mapped to PDF points by ``PageImage.to_points``: scale by 72/dpi and add the area's offset. The
deskew rotation (at most ±2°, about the area's centre) is *not* undone on the way back, on
purpose: the table stage needs rows and rules that are horizontal, and a scan's content is where
it would have been printed, i.e. straight. The difference to the scan's own frame is below
``max|angle| × distance from the centre`` (≈ 4 pt at 0.7° on A4), well within a line height.
``to_original_points`` gives the exact position on the scan when that is wanted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pymupdf

from csrextract.models import BBox

MAX_SKEW = 2.0
"""Largest rotation (degrees) the deskew looks for; scans are rarely worse, and a wider search
would start confusing text lines with table columns."""

ANALYSIS_SIDE = 1400
"""Skew is estimated on a copy scaled to at most this many pixels: enough to resolve 0.05°."""

MAX_RENDER_PIXELS = 40_000_000
"""Largest rendering OCR makes of one page area (40 Mpx: an A0 poster at 150 dpi is 27 Mpx).
A larger area is rendered at a lower resolution, with a warning naming the page: without a
cap, a one-image 14400 pt page asked for 900 Mpx (18 GB of memory)."""

MAX_PAGE_SIDE_PT = 5000.0
"""Pages longer than this (about 1.8 m) on either side are not OCRed: no report page is that
large, and at any useful resolution their rendering would not fit in memory."""

MAX_IMAGE_PIXELS = 150_000_000
"""An embedded image with more pixels than this (decoded, about 150 MB greyscale) is not
rendered: a few kilobytes of compressed data can claim gigapixels (an image bomb)."""


@dataclass(frozen=True, slots=True)
class RenderPlan:
    """How an area will be rendered: the resolution to use and why it is not the one asked."""

    dpi: float
    refused: str | None = None  # the area must not be rendered at all
    warning: str | None = None  # rendered, at a lower resolution than asked


def plan_render(
    page: pymupdf.Page, area: BBox, dpi: float, max_pixels: int = MAX_RENDER_PIXELS
) -> RenderPlan:
    """Check the caps before rendering (page size, embedded image size, rendered pixels)."""
    number = page.number + 1 if page.number is not None else 0
    width, height = float(page.rect.width), float(page.rect.height)
    if max(width, height) > MAX_PAGE_SIDE_PT:
        return RenderPlan(
            dpi,
            refused=f"page {number} is {width:.0f}×{height:.0f} pt, over the page-size cap of "
            f"{MAX_PAGE_SIDE_PT:.0f} pt; not OCRed",
        )
    for image in page.get_images(full=True):
        w, h = int(image[2]), int(image[3])
        if w * h > MAX_IMAGE_PIXELS:
            return RenderPlan(
                dpi,
                refused=f"page {number}: an embedded image of {w}×{h} px is over the cap of "
                f"{MAX_IMAGE_PIXELS // 1_000_000} Mpx; not OCRed",
            )
    pixels = (area[2] - area[0]) * (area[3] - area[1]) * (dpi / 72.0) ** 2
    if pixels <= max_pixels:
        return RenderPlan(dpi)
    capped = dpi * math.sqrt(max_pixels / pixels)
    return RenderPlan(
        capped,
        warning=f"page {number} rendered for OCR at {capped:.0f} dpi instead of {dpi:.0f} "
        f"(render cap of {max_pixels // 1_000_000} Mpx); small text may be misread",
    )


@dataclass(frozen=True, slots=True)
class PageImage:
    """A deskewed greyscale image of ``area`` (PDF points) rendered at ``dpi``."""

    pixels: np.ndarray  # (H, W) uint8, deskewed
    area: BBox  # the page area it shows, PDF points, top-left origin
    dpi: float
    skew: float  # degrees the rendering was rotated by (cv2 convention) to straighten it

    @property
    def scale(self) -> float:
        """PDF points per pixel."""
        return 72.0 / self.dpi

    def to_points(self, box: tuple[float, float, float, float]) -> BBox:
        """A pixel box of the deskewed image as PDF points (deskewed page frame)."""
        s = self.scale
        x0, y0 = self.area[0], self.area[1]
        return (x0 + box[0] * s, y0 + box[1] * s, x0 + box[2] * s, y0 + box[3] * s)

    def to_original_points(self, x: float, y: float) -> tuple[float, float]:
        """A pixel point of the deskewed image at its position on the unrotated rendering."""
        h, w = self.pixels.shape[:2]
        matrix = cv2.invertAffineTransform(_rotation(w, h, self.skew))
        ox, oy = matrix @ np.array([x, y, 1.0])
        return (self.area[0] + float(ox) * self.scale, self.area[1] + float(oy) * self.scale)


def render(pdf_path: Path, page_number: int, dpi: float, area: BBox | None = None) -> np.ndarray:
    """Greyscale rendering of a page (1-based) or of ``area`` of it (PDF points)."""
    with pymupdf.open(pdf_path) as doc:
        page = doc[page_number - 1]
        clip = pymupdf.Rect(*area) if area is not None else None
        pix = page.get_pixmap(dpi=round(dpi), colorspace=pymupdf.csGRAY, clip=clip, alpha=False)
        return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.h, pix.w).copy()


def page_image(
    pdf_path: Path, page_number: int, dpi: float, area: BBox, deskew: bool = True
) -> PageImage:
    """Render ``area`` of a page and straighten it."""
    pixels = render(pdf_path, page_number, dpi, area)
    # the real scale: the rendering is rounded to whole pixels
    actual_dpi = pixels.shape[1] * 72.0 / max(area[2] - area[0], 1e-6)
    angle = estimate_skew(pixels) if deskew else 0.0
    if abs(angle) >= 0.05:
        pixels = rotate(pixels, angle)
    else:
        angle = 0.0
    return PageImage(pixels, area, actual_dpi, angle)


def _rotation(width: int, height: int, angle: float) -> np.ndarray:
    return cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)


def rotate(pixels: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``angle`` degrees (counter-clockwise, cv2 convention) about the centre, white
    fill, same size (the margins of a page absorb the corners at ±2°)."""
    h, w = pixels.shape[:2]
    return cv2.warpAffine(
        pixels,
        _rotation(w, h, angle),
        (w, h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )


def ink_mask(pixels: np.ndarray) -> np.ndarray:
    """Dark marks (text, lines) against their local background, robust to fills and noise."""
    blurred = cv2.GaussianBlur(pixels, (3, 3), 0)
    k = max(15, (min(pixels.shape[:2]) // 60) | 1)
    # darker than the mean of a window of a few text lines by more than 40 grey levels; a box
    # mean (O(1) per pixel) instead of a median: skew errors the same (0.03° mean, 0.25° max
    # on the scanned fixture), a quarter of the time
    mask = cv2.adaptiveThreshold(
        blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, k, 40
    )
    return mask > 0


def estimate_skew(pixels: np.ndarray) -> float:
    """The rotation (degrees, cv2 convention) that makes text lines horizontal.

    Projection profile: rotate the ink pixels' coordinates through candidate angles and keep the
    angle whose row histogram is sharpest (text lines and rules collapse into narrow peaks).
    Coarse-to-fine search, on a reduced copy; a page with too little ink is left as it is.
    """
    h, w = pixels.shape[:2]
    factor = min(1.0, ANALYSIS_SIDE / max(h, w))
    small = (
        cv2.resize(pixels, (int(w * factor), int(h * factor)), interpolation=cv2.INTER_AREA)
        if factor < 1.0
        else pixels
    )
    ys, xs = np.nonzero(ink_mask(small))
    if len(xs) < 200:
        return 0.0
    if len(xs) > 200_000:  # plenty for the histogram; keeps the search fast on dense pages
        pick = np.random.default_rng(0).choice(len(xs), 200_000, replace=False)
        xs, ys = xs[pick], ys[pick]
    cx, cy = small.shape[1] / 2.0, small.shape[0] / 2.0
    fx, fy = xs.astype(np.float64) - cx, ys.astype(np.float64) - cy
    best, step = 0.0, 0.25
    candidates = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, step)
    for _ in range(3):
        scores = [_profile_sharpness(fx, fy, a) for a in candidates]
        best = float(candidates[int(np.argmax(scores))])
        candidates = np.arange(best - step, best + step + 1e-9, step / 5)
        step /= 5
    return round(best, 3)


def _profile_sharpness(fx: np.ndarray, fy: np.ndarray, angle: float) -> float:
    """Sum of squared row counts after rotating the points as ``rotate(.., angle)`` would."""
    a = math.radians(angle)
    rows = -math.sin(a) * fx + math.cos(a) * fy
    counts = np.bincount((rows - rows.min()).astype(np.int64))
    return float(np.dot(counts, counts))
