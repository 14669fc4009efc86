"""Small marks the text detector skips: list bullets and lone dashes.

PP-OCR's detector finds runs of glyphs; an isolated dot before a list item, or a single "-"
standing for "no value" in a table cell, is often too small to become a text box — and both
matter downstream (bullets split a cell into items; "-" is a null). So ink left over outside
every OCR box is classified by shape, relative to the page's text size:

* bullet: a compact blob or ring (0.15–0.6 em, roughly as wide as tall) just left of a text line on
  the same row → the line gets a leading "• ";
* dash: a solid flat blob (0.2–1.6 em wide, ≤ 0.25 em tall, ≥ 1.6× wider than tall) with no
  text right after it, level with some other text (a table row) → a "-" line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from csrextract.models import Method, TextLine
from csrextract.ocr.image import PageImage

BULLET_MIN_COVER = 0.22
"""Share of its bounding box a bullet's ink covers at least (a thin ring ○ ≈ 0.3)."""
MARK_CONFIDENCE = 0.5
"""Confidence of text made from a shape rather than read by the recogniser."""


def _uncovered_ink(
    ink: np.ndarray, boxes: Sequence[tuple[float, float, float, float]]
) -> np.ndarray:
    rest = ink.astype(np.uint8)
    for x0, y0, x1, y1 in boxes:
        rest[max(0, int(y0) - 1) : int(y1) + 2, max(0, int(x0) - 1) : int(x1) + 2] = 0
    return rest


def add_marks(
    lines: list[TextLine], ink: np.ndarray, image: PageImage, em_px: float
) -> list[TextLine]:
    """``lines`` with bullets prefixed and lone dashes added (see the module docstring)."""
    if not lines or em_px <= 0:
        return lines
    s = image.scale
    ox, oy = image.area[0], image.area[1]
    px_boxes = [
        ((ln.bbox[0] - ox) / s, (ln.bbox[1] - oy) / s, (ln.bbox[2] - ox) / s, (ln.bbox[3] - oy) / s)
        for ln in lines
    ]
    rest = _uncovered_ink(ink, px_boxes)
    count, _, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    out = list(lines)
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        blob = image.to_points((x, y, x + w, y + h))
        if _is_bullet(w, h, area, em_px):
            k = _line_right_of(out, blob, em_px * s)
            if k is not None and not out[k].text.startswith("•"):
                out[k] = _with_bullet(out[k], blob)
        elif (
            _is_dash(w, h, area, em_px)
            and _line_right_of(out, blob, em_px * s) is None
            and _shares_a_row(lines, blob)
        ):
            out.append(_dash_line(blob, em_px * s))
    return out


def _is_bullet(w: int, h: int, area: int, em: float) -> bool:
    """A filled dot or square (•, ▪) covers over half its box; a hollow ring (○, ◦) about a
    quarter to a half — either counts, as long as it is compact and bullet-sized."""
    compact = 0.6 <= w / max(h, 1) <= 1.5 and area >= BULLET_MIN_COVER * w * h
    return compact and 0.15 * em <= max(w, h) <= 0.6 * em


def _is_dash(w: int, h: int, area: int, em: float) -> bool:
    flat = w >= 1.6 * max(h, 1) and area >= 0.6 * w * h
    return flat and 0.2 * em <= w <= 1.6 * em and h <= 0.25 * em


def _line_right_of(lines: Sequence[TextLine], blob: tuple[float, ...], em: float) -> int | None:
    """The line starting within ~1.5 em right of ``blob`` on the same row."""
    cy = (blob[1] + blob[3]) / 2
    best, best_gap = None, 1.5 * em
    for k, ln in enumerate(lines):
        gap = ln.bbox[0] - blob[2]
        if -0.2 * em <= gap <= best_gap and ln.bbox[1] <= cy <= ln.bbox[3]:
            best, best_gap = k, gap
    return best


def _shares_a_row(lines: Sequence[TextLine], blob: tuple[float, ...]) -> bool:
    """A value dash sits in a table row, level with other cells' text; a stray mark need not."""
    cy = (blob[1] + blob[3]) / 2
    return any(
        ln.bbox[1] + 0.2 * (ln.bbox[3] - ln.bbox[1])
        <= cy
        <= ln.bbox[3] - 0.2 * (ln.bbox[3] - ln.bbox[1])
        for ln in lines
    )


def _with_bullet(line: TextLine, blob: tuple[float, ...]) -> TextLine:
    x0 = min(blob[0], line.bbox[0])
    bullet_box = (x0, line.bbox[1], blob[2], line.bbox[3])
    space_box = (blob[2], line.bbox[1], line.bbox[0], line.bbox[3])
    return TextLine(
        text="• " + line.text,
        bbox=(x0, line.bbox[1], line.bbox[2], line.bbox[3]),
        method=Method.OCR,
        confidence=line.confidence,
        font_size=line.font_size,
        char_boxes=(bullet_box, space_box, *line.char_boxes),
    )


def _dash_line(blob: tuple[float, ...], em: float) -> TextLine:
    cy = (blob[1] + blob[3]) / 2
    bbox = (blob[0], cy - 0.65 * em, blob[2], cy + 0.65 * em)
    return TextLine(
        text="-",
        bbox=bbox,
        method=Method.OCR,
        confidence=MARK_CONFIDENCE,
        font_size=round(em, 2),
        char_boxes=(bbox,),
    )
