"""Rules and fills from page images (``csrextract.ocr.graphics``) on tiny synthetic scans:
grid tables with a dark header band, whose borders inside the band are faint."""

from __future__ import annotations

import cv2
import numpy as np

from csrextract.models import Fill, Rule
from csrextract.ocr.graphics import (
    _band_edge_rules,
    _band_step,
    _continued_in_bands,
    _shade_runs,
    analyse_graphics,
    with_text_boxes,
)
from csrextract.ocr.image import PageImage

DPI = 150.0
PX = DPI / 72.0
PAPER, BAND = 250, 70


def px(pt: float) -> int:
    return round(pt * PX)


def scanned(canvas: np.ndarray, seed: int = 0) -> PageImage:
    """The canvas blurred and grained a little, as a scanner gives it."""
    blurred = cv2.GaussianBlur(canvas, (3, 3), 0).astype(np.int16)
    grain = np.random.default_rng(seed).integers(-2, 3, size=canvas.shape)
    pixels = np.clip(blurred + grain, 0, 255).astype(np.uint8)
    return PageImage(pixels, (0.0, 0.0, canvas.shape[1] / PX, canvas.shape[0] / PX), DPI, 0.0)


COLS = (40.0, 120.0, 200.0, 280.0)
BAND_TOP, BAND_MID, BAND_BOTTOM = 40.0, 58.0, 76.0
ROWS = (94.0, 112.0)


def header_grid(*, rules_below: bool, inner_ink: int = BAND + 18) -> np.ndarray:
    """A dark header band (two header rows) over two body rows. The band's inner borders are
    drawn a little lighter than the band (``inner_ink``); below it the grid is dark ink, or,
    without ``rules_below``, there are no column rules (a three-line table)."""
    canvas = np.full((px(140), px(320)), PAPER, np.uint8)
    left, right = px(COLS[0]), px(COLS[-1])
    canvas[px(BAND_TOP) : px(BAND_BOTTOM), left:right] = BAND
    # borders inside the band: the row border right of the first column, the column borders
    canvas[px(BAND_MID), px(COLS[1]) : right] = inner_ink
    for x in COLS[1:-1]:
        canvas[px(BAND_MID) : px(BAND_BOTTOM), px(x)] = inner_ink
    canvas[px(BAND_TOP) : px(BAND_BOTTOM), px(COLS[1])] = inner_ink
    for y in ROWS:
        canvas[px(y), left:right] = 30
    if rules_below:
        for x in COLS:
            canvas[px(BAND_BOTTOM) : px(ROWS[-1]) + 1, px(x)] = 30
    return canvas


def test_faint_borders_across_a_dark_header_band_are_rules() -> None:
    """Column rules below the band carry on through it, faintly: they and the header's row
    border between them are rules, and the band's bottom edge (its border drawn in the step
    from band to paper) is one too."""
    image = scanned(header_grid(rules_below=True))
    graphics = with_text_boxes(analyse_graphics(image), image)
    inner = [v for v in graphics.rules if not v.is_horizontal and v.y0 < BAND_MID + 2]
    for x in COLS[1:-1]:
        assert any(abs(v.x0 - x) < 1.5 and v.y1 >= BAND_BOTTOM - 2 for v in inner), x
    horizontal = [r for r in graphics.rules if r.is_horizontal]
    assert any(abs(h.y0 - BAND_MID) < 1.5 and h.x1 - h.x0 > 100 for h in horizontal)
    assert any(abs(h.y0 - BAND_BOTTOM) < 1.5 and h.x1 - h.x0 > 200 for h in horizontal)


def test_seams_in_a_band_without_rules_below_are_not_rules() -> None:
    """The same faint lines in a band over a table without column rules (seams between cell
    fills, a three-line table's header) stay out: nothing outside the band carries them on."""
    image = scanned(header_grid(rules_below=False))
    graphics = with_text_boxes(analyse_graphics(image), image)
    assert not [r for r in graphics.rules if not r.is_horizontal]
    assert not [r for r in graphics.rules if r.is_horizontal and abs(r.y0 - BAND_MID) < 3]
    assert len(graphics.fills) == 1 and graphics.fills[0].gray < 0.5


def test_a_dark_bands_edges_are_not_glyph_ink() -> None:
    """The scan's step from band to paper (and the blurred background beside it) holds no
    glyph ink, so a text box under the band is not stretched up to its edge."""
    canvas = np.full((px(100), px(200)), PAPER, np.uint8)
    canvas[px(30) : px(50), px(20) : px(180)] = BAND
    canvas[px(50), px(20) : px(180)] = 160  # the anti-aliased edge row
    image = scanned(canvas)
    ink = analyse_graphics(image).ink
    assert not ink[px(46) : px(56), px(30) : px(170)].any()
    assert not ink[px(24) : px(34), px(30) : px(170)].any()


def test_band_edge_border_needs_two_column_rules_and_no_rule_along_it() -> None:
    fill = Fill((40.0, 40.0, 280.0, 76.0), 0.3)
    below = [Rule(x, 76.5, x, 112.0, width=0.5) for x in (40.0, 120.0, 200.0)]
    added = _band_edge_rules([fill], [], below)
    assert [(r.y0, r.x0, r.x1) for r in added] == [(76.0, 40.0, 280.0)]
    assert _band_edge_rules([fill], [], below[:1]) == []
    along = Rule(40.0, 75.2, 280.0, 75.2, width=0.5)
    assert _band_edge_rules([fill], [along], below) == []
    partial = Rule(40.0, 75.2, 150.0, 75.2, width=0.5)
    assert len(_band_edge_rules([fill], [partial], below)) == 1


def test_band_candidates_kept_only_where_column_rules_carry_on() -> None:
    band_v = [Rule(120.0, 58.0, 120.0, 76.0, width=0.5), Rule(200.0, 58.0, 200.0, 76.0, width=0.5)]
    band_h = [Rule(120.0, 58.0, 280.0, 58.0, width=0.5), Rule(150.0, 66.0, 180.0, 66.0, width=0.5)]
    below = [Rule(120.0, 76.5, 120.0, 112.0, width=0.5), Rule(200.0, 70.0, 200.0, 112.0, width=0.5)]
    kept_h, kept_v = _continued_in_bands(band_h, band_v, below)
    assert kept_v == band_v  # one meets its end, one overlaps it
    assert kept_h == band_h[:1]  # both column borders end on the row border; a stroke is no rule
    assert _continued_in_bands(band_h, band_v, []) == ([], [])


def test_a_pale_header_band_and_a_paler_stripe_under_it_are_two_bands() -> None:
    """Ten grey levels part a pale header band from the zebra stripe stacked under it; the
    same wobble in a dark band (light text cleaned out of it) does not split it."""
    pale = np.vstack([np.full((20, 50), 233.0), np.full((20, 50), 243.0)])
    assert _shade_runs(pale, 6, paper=253) == [(0, 20), (20, 40)]
    dark = np.vstack([np.full((10, 50), 96.0), np.full((10, 50), 104.0), np.full((20, 50), 96.0)])
    assert _shade_runs(dark, 6, paper=253) == [(0, 40)]


def test_a_dark_bands_blurred_edge_is_no_rule_but_a_darker_line_on_it_is() -> None:
    canvas = np.full((px(100), px(200)), PAPER, np.uint8)
    canvas[px(30) : px(50), px(20) : px(180)] = BAND
    canvas[px(50), px(20) : px(180)] = 160  # the scan's step from band to paper
    image = scanned(canvas)
    bands = [((px(20), px(30), px(180), px(50)), float(BAND))]
    edge = Rule(20.0, 50.0, 180.0, 50.0, width=0.5)
    side = Rule(20.0, 30.0, 20.0, 50.0, width=0.5)
    assert _band_step(edge, image.pixels, bands, image)
    assert _band_step(side, image.pixels, bands, image)
    longer = Rule(20.0, 30.0, 20.0, 90.0, width=0.5)
    assert not _band_step(longer, image.pixels, bands, image)  # a column rule running on
    canvas[px(50), px(20) : px(180)] = 20  # a line drawn in ink darker than the band
    inked = scanned(canvas)
    assert not _band_step(edge, inked.pixels, bands, inked)
