"""Bullets read from the ink when the detector's box edge falls on or near them (no engine).

Drawn at 72 dpi, so one pixel is one point; the em is 20 px. Glyphs are solid blocks.
"""

from __future__ import annotations

import numpy as np

from csrextract.models import Method, TextLine
from csrextract.ocr.image import PageImage
from csrextract.ocr.marks import add_marks

EM = 20.0
ROW = (40, 60)  # the text row's top and bottom (px)


def _page() -> np.ndarray:
    return np.full((100, 300), 255, dtype=np.uint8)


def _glyphs(pixels: np.ndarray, x0: int, count: int = 4) -> None:
    """CJK-like glyphs: 16-px blocks with 4-px gaps, from ``x0``."""
    for k in range(count):
        pixels[42:58, x0 + 20 * k : x0 + 20 * k + 16] = 0


def _marks(pixels: np.ndarray, box_x0: float, text: str) -> str:
    image = PageImage(pixels, (0.0, 0.0, 300.0, 100.0), 72.0, 0.0)
    line = TextLine(text, (box_x0, ROW[0], 120.0, ROW[1]), Method.OCR, 0.99, EM)
    (out,) = add_marks([line], pixels < 128, image, EM)
    return out.text


def test_a_bullet_the_box_starts_inside_of_is_still_a_bullet() -> None:
    pixels = _page()
    pixels[46:54, 20:28] = 0  # an 8-px dot, level with the row's middle
    _glyphs(pixels, 40)
    assert _marks(pixels, 25.0, "员工培训") == "• 员工培训"


def test_a_glyph_the_box_starts_inside_of_gives_no_bullet() -> None:
    """The sliver of a "T" left of its box is the letter's crossbar, not a dot."""
    pixels = _page()
    pixels[42:46, 20:37] = 0  # crossbar
    pixels[42:58, 27:31] = 0  # stem
    _glyphs(pixels, 40)
    assert _marks(pixels, 24.0, "Total") == "Total"


def test_a_bullet_clear_of_the_box_is_added() -> None:
    pixels = _page()
    pixels[46:54, 12:20] = 0
    _glyphs(pixels, 40)
    assert _marks(pixels, 39.0, "员工培训") == "• 员工培训"
