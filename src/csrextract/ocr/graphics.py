"""Table graphics found in a page image: ruling lines and filled bands, as ``Rule``/``Fill``.

The table stage reads vector lines and filled rectangles from digital pages; a scan has only
pixels, so this module recovers the same two things from the deskewed image:

* Rules: ink (dark against its local background) opened with a long horizontal or vertical
  kernel keeps only straight runs far longer than any glyph stroke; thin long components are
  rules. Vertical runs must meet a horizontal rule — every ruled table has both, and this keeps
  a tall glyph or a photo edge from passing for a column line.
* Fills: a wide median filter wipes out text and lines and leaves the background; regions
  clearly darker than the paper, wide, at least a text line tall and flat (low variance, not a
  photo) are fills. A stack of differently shaded bands (header band on top of a zebra stripe)
  is split where the shade changes. ``Fill.gray`` is the band's luminance relative to the paper
  (paper = 1.0), the scale vector fills use.

All sizes are set in points and converted with the image's dpi, so any scan resolution works.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from csrextract.models import BBox, Fill, Rule
from csrextract.ocr.image import PageImage

MIN_RULE_PT = 24.0
"""Shortest horizontal rule (points): longer than any CJK glyph stroke at text sizes."""
MIN_VRULE_PT = 11.0
"""Shortest vertical rule (points): one table row of body text."""
MAX_RULE_THICKNESS_PT = 3.0
INK_CONTRAST = 45
"""Grey levels below the local background that make a pixel ink (text, rules)."""
FAINT_INK_CONTRAST = 25
"""The same for continuing a rule already found (see ``_continued_rules``)."""
SEED_RULE_PT = 72.0
"""A faint run holding this much paired ink (a hairline over two pixel rows), in points, is a
rule even where no clear ink starts it."""
MIN_FILL_WIDTH_PT = 30.0
MIN_FILL_HEIGHT_PT = 6.0
FILL_CONTRAST = 7
"""Grey levels below the paper that count as a fill (≈ luminance 0.97, the table stage's
threshold for a visible background)."""
FLAT_SPREAD = 12.0
"""Interquartile range of the background above which a dark region is a picture, not a flat
band (the IQR ignores the few glyph blobs the median filter leaves in dense text)."""
BACKGROUND_WINDOW_PT = 12.0
STROKE_PT = 2.5
"""Wider than any text stroke or table line at body sizes: the grey closing/opening window."""
MARK_CONTRAST = 20
"""Grey levels a thin feature must differ from its surroundings to count as a mark."""
MARK_GROW_PT = 0.5
"""How far a mark's anti-aliased, JPEG-smeared edge reaches (points)."""
CLEAN_WINDOW_PT = 6.0
"""Window of the normalised filter that fills masked marks from the paper or band around them:
wider than the gaps inside a glyph, narrower than a zebra stripe."""
MARK_PASSES = 3
SHADE_STEP = 10
"""Shade change (grey levels) that separates two stacked bands."""
PALE_SHADE_STEP = 6
"""The same under a pale band (within ``PALE_BAND_CONTRAST`` of the paper): a pale header
band over a paler zebra stripe differ by about ten levels. Darker bands keep the larger step:
the residue of light header text cleaned out of them varies their rows more."""
PALE_BAND_CONTRAST = 32
"""Grey levels below the paper within which a band is pale (luminance above about 0.87)."""
BAND_RULE_CONTRAST = 6.0
"""Grey levels a line drawn across a band must differ from the band, averaged along the line
(``_band_rules``): a 0.4 pt rule of a mid grey on a dark band scans to about ten levels; the
band's own grain, averaged the same way, to two or three."""
BAND_EDGE_REACH_PT = 3.0
"""How far (points) a band's edge is looked for beyond or inside the box found at half size."""
BAND_EDGE_MEET_PT = 2.0
"""How near (points) a column rule's end must come to a band's edge to meet it."""
BAND_EDGE_COVERED = 0.9
"""Share of a band's edge that rules found along it must cover for no border to be added."""
BAND_RULE_SMOOTH_PT = 1.5
"""Length (points) over which a band's grain is averaged along a candidate rule."""
BAND_EDGE_PT = 1.0
"""How far (points) either side of a band's box its edge may lie: the box is found at half
resolution, and a scan blurs the step from band to paper over a pixel or two (see
``_flat_background``)."""
"""Shade change (grey levels) that separates two stacked bands."""


@dataclass(frozen=True, slots=True)
class Graphics:
    rules: list[Rule]
    fills: list[Fill]
    text_ink: np.ndarray
    """Ink mask (bool, deskewed pixels) without the rules: what glyphs cover, for tightening
    text boxes that the detector padded onto a neighbouring cell border."""


@dataclass(frozen=True, slots=True)
class PageGraphics:
    """What the image alone tells (``analyse_graphics``): rule candidates, fills, glyph ink.
    Text boxes from the recogniser then settle which candidates are rules
    (``with_text_boxes``); the split lets the image work run while the recogniser does."""

    horizontal: list[Rule]
    vertical: list[Rule]
    fills: list[Fill]
    ink: np.ndarray
    """Ink against the flat background (bool), rules still in."""
    band_horizontal: list[Rule] = field(default_factory=list)
    band_vertical: list[Rule] = field(default_factory=list)
    """Candidates drawn across dark bands (``_band_rules``): rules only where the table's
    rules outside the band carry on through them (``_continued_in_bands``)."""


def detect_graphics(image: PageImage, text_boxes: Sequence[BBox] = ()) -> Graphics:
    """Rules and fills of one deskewed page image, in PDF points.

    ``text_boxes`` (PDF points, the OCR's text runs) veto rule candidates running through the
    middle of a text line: strokes of touching glyphs, never a table line.
    """
    return with_text_boxes(analyse_graphics(image), image, text_boxes)


def analyse_graphics(image: PageImage) -> PageGraphics:
    """Rule candidates, fills and ink of one deskewed page image (no text needed)."""
    pixels = image.pixels
    px_per_pt = image.dpi / 72.0
    background = _background(pixels, px_per_pt)
    paper = paper_level(background)
    bands = _bands_at_half_size(pixels, paper, px_per_pt)
    flat = _flat_background(background, paper, bands, pixels, px_per_pt)
    contrast = background.astype(np.int16) - pixels.astype(np.int16)
    ink = _mask(contrast > INK_CONTRAST)
    horizontal = [
        r
        for r in _rules(ink, contrast, image, horizontal=True)
        if not _band_step(r, pixels, bands, image)
    ]
    vertical = [
        r
        for r in _rules(ink, contrast, image, horizontal=False)
        if not _band_step(r, pixels, bands, image)
    ]
    fills = [Fill(image.to_points(box), round(min(1.0, level / paper), 3)) for box, level in bands]
    text_ink = _ink(pixels, flat, either_way=True) > 0
    return PageGraphics(
        horizontal,
        vertical,
        fills,
        text_ink,
        _band_rules(pixels, bands, image, horizontal=True),
        _band_rules(pixels, bands, image, horizontal=False),
    )


def with_text_boxes(
    found: PageGraphics, image: PageImage, text_boxes: Sequence[BBox] = ()
) -> Graphics:
    """The rules among the candidates (none through the middle of a text line; vertical ones
    meeting a horizontal one), and the glyph ink without them."""
    horizontal = [r for r in found.horizontal if not _through_text(r, text_boxes)]
    vertical = [r for r in found.vertical if not _through_text(r, text_boxes)]
    # band edges first: a column rule in a row between two bands meets only their edges
    horizontal += _band_edge_rules(found.fills, horizontal, vertical)
    vertical = [v for v in vertical if _meets_any(v, horizontal, 2.0)]
    # no text veto here: a header's text boxes are padded over the faint line between its
    # rows, and the band candidates must line up with the rules outside instead
    band_h, band_v = _continued_in_bands(found.band_horizontal, found.band_vertical, vertical)
    horizontal += band_h
    vertical += band_v
    horizontal += _band_edge_rules(found.fills, horizontal, vertical)
    rules = horizontal + vertical
    return Graphics(rules, found.fills, _without_rules(found.ink, rules, image))


def _bands_at_half_size(
    pixels: np.ndarray, paper: int, px_per_pt: float
) -> list[tuple[tuple[int, int, int, int], float]]:
    """``_bands`` of the mark-free page. Marks are found at full resolution (glyph strokes are
    thin only there); filling them in and finding the bands runs at half resolution, a quarter
    of the pixels — fills are large and flat, and their edges land within a pixel."""
    h, w = pixels.shape[:2]
    clean = _without_marks(pixels, px_per_pt)
    fx, fy = w / clean.shape[1], h / clean.shape[0]
    return [
        (
            _band_edges(
                pixels,
                (round(x0 * fx), round(y0 * fy), round(x1 * fx), round(y1 * fy)),
                level,
                paper,
                px_per_pt,
            ),
            level,
        )
        for (x0, y0, x1, y1), level in _bands(clean, paper, px_per_pt / 2)
    ]


def _band_edges(
    pixels: np.ndarray, box: tuple[int, int, int, int], level: float, paper: int, px_per_pt: float
) -> tuple[int, int, int, int]:
    """A band's box with each edge moved (by up to ``BAND_EDGE_REACH_PT``) to where the scan's
    step from band to paper is half done, at full resolution.

    Found at half size, after its text and edge were cleaned away, a band's box lands a point
    or so inside the band; its edges are cell borders and ``_flat_background`` takes the step
    around them out of the ink, so they must sit on the step. A row (column) belongs to the
    band when its median grey is nearer the band's level than the paper's and not darker than
    the band by half the band's contrast (a darker band stacked on it is another band).
    """
    if paper - level <= PALE_BAND_CONTRAST:
        return box  # a pale band's edge is no ink either way: nothing to place exactly
    reach = max(1, round(BAND_EDGE_REACH_PT * px_per_pt))
    low = level - (paper - level) / 2

    def inside(values: np.ndarray) -> bool:
        m = float(np.median(values))
        return low <= m and abs(m - level) < abs(m - paper)

    x0, y0, x1, y1 = box
    y0, y1 = _settled_edges(lambda y: inside(pixels[y, x0:x1]), y0, y1, pixels.shape[0], reach)
    x0, x1 = _settled_edges(lambda x: inside(pixels[y0:y1, x]), x0, x1, pixels.shape[1], reach)
    return x0, y0, x1, y1


def _settled_edges(
    inside: Callable[[int], bool], start: int, end: int, size: int, reach: int
) -> tuple[int, int]:
    """``[start, end)`` grown or shrunk, a pixel at a time and by at most ``reach`` on each
    side, until the lines just outside are not ``inside`` and its own end lines are."""
    for _ in range(reach):
        if start > 0 and inside(start - 1):
            start -= 1
        elif start < end - 1 and not inside(start):
            start += 1
        if end < size and inside(end):
            end += 1
        elif end > start + 1 and not inside(end - 1):
            end -= 1
    return start, end


def _flat_background(
    background: np.ndarray,
    paper: int,
    bands: list[tuple[tuple[int, int, int, int], float]],
    pixels: np.ndarray | None = None,
    px_per_pt: float = 1.0,
) -> np.ndarray:
    """Paper everywhere except inside the bands, which get their own level: unlike the median
    background, it has sharp band corners, so a band's corner never passes for ink.

    Around each band the median is blurred (darker than the paper for half a window): there
    it is the paper. With ``pixels``, a band's edge — the pixels within ``BAND_EDGE_PT`` of its
    box whose grey lies between the band's level and the paper's, the anti-aliased step a scan
    makes of it — is its own background: neither a rule along the band nor a glyph's ink (a
    light rule drawn on the band's edge is the edge)."""
    flat = background.copy()
    flat[background >= paper - FILL_CONTRAST] = paper
    h, w = flat.shape[:2]
    blur = round(BACKGROUND_WINDOW_PT * px_per_pt / 2) + 1
    for (x0, y0, x1, y1), level in bands:
        around = (slice(max(0, y0 - blur), y1 + blur), slice(max(0, x0 - blur), x1 + blur))
        part = flat[around]
        part[(part >= level - FILL_CONTRAST) & (part < paper)] = paper
    for (x0, y0, x1, y1), level in bands:
        flat[y0:y1, x0:x1] = int(level)
    if pixels is None:
        return flat
    r = max(1, round(BAND_EDGE_PT * px_per_pt))
    for (x0, y0, x1, y1), level in bands:
        ring = np.zeros((h, w), bool)
        ring[max(0, y0 - r) : y1 + r, max(0, x0 - r) : x1 + r] = True
        ring[y0 + r : max(y0 + r, y1 - r), x0 + r : max(x0 + r, x1 - r)] = False
        lo, hi = sorted((level, paper))
        step = ring & (pixels >= lo - FILL_CONTRAST) & (pixels <= hi + FILL_CONTRAST)
        flat[step] = pixels[step]
    return flat


def _through_text(rule: Rule, text_boxes: Sequence[BBox]) -> bool:
    """Whether most of a rule lies inside the inner part of text boxes."""
    length = max(abs(rule.x1 - rule.x0), abs(rule.y1 - rule.y0), 1e-6)
    inside = 0.0
    for x0, top, x1, bottom in text_boxes:
        if rule.is_horizontal:
            margin = 0.2 * (bottom - top)
            if top + margin <= rule.y0 <= bottom - margin:
                inside += max(0.0, min(x1, rule.x1) - max(x0, rule.x0))
        else:
            margin = 0.1 * (x1 - x0)
            if x0 + margin <= rule.x0 <= x1 - margin:
                inside += max(0.0, min(bottom, rule.y1) - max(top, rule.y0))
    return inside >= 0.5 * length


def _odd(n: float) -> int:
    k = max(3, round(n))
    return k if k % 2 else k + 1


def _background(pixels: np.ndarray, px_per_pt: float) -> np.ndarray:
    """The page with text and lines wiped out: a median over windows wider than a glyph (ink
    covers well under half of any glyph-sized window) and narrower than a table row."""
    h, w = pixels.shape[:2]
    half = cv2.resize(pixels, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_AREA)
    median = cv2.medianBlur(half, min(_odd(BACKGROUND_WINDOW_PT * px_per_pt / 2), 255))
    return cv2.resize(median, (w, h), interpolation=cv2.INTER_LINEAR)  # smooth: half size is enough


def _without_marks(pixels: np.ndarray, px_per_pt: float) -> np.ndarray:
    """The page, at half size, with text and lines taken out and the paper/band level kept, for
    finding fills.

    A median background darkens inside dense text (a table cell set solid with CJK glyphs), so
    a zebra stripe looks patchy and a dense text line passes for a band of its own. Here marks
    are found as thin features — darker than the grey closing or lighter than the grey opening
    with a window wider than a stroke — which a band's edge never is. Unmarked pixels keep their
    (lightly smoothed) value, so band edges stay sharp; marked pixels take the mean of the
    unmarked pixels around them (normalised box filter), i.e. the paper or band they sit on.
    """
    smooth = cv2.GaussianBlur(pixels, (5, 5), 0)
    k = _odd(STROKE_PT * px_per_pt)
    kernel = np.ones((k, k), np.uint8)
    closed = cv2.morphologyEx(smooth, cv2.MORPH_CLOSE, kernel)
    opened = cv2.morphologyEx(smooth, cv2.MORPH_OPEN, kernel)
    s16 = smooth.astype(np.int16)
    marks = ((closed.astype(np.int16) - s16) > MARK_CONTRAST) | (
        (s16 - opened.astype(np.int16)) > MARK_CONTRAST
    )
    grow = np.ones((_odd(MARK_GROW_PT * px_per_pt),) * 2, np.uint8)
    grown = cv2.dilate(marks.astype(np.uint8) * 255, grow)
    size = (max(1, smooth.shape[1] // 2), max(1, smooth.shape[0] // 2))
    level = cv2.resize(smooth, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    fallback = cv2.resize(closed, size, interpolation=cv2.INTER_AREA)
    marks = cv2.resize(grown, size, interpolation=cv2.INTER_AREA) > 0  # any marked pixel
    half_px = px_per_pt / 2
    clean = level
    for _ in range(MARK_PASSES):
        clean = np.where(marks, _fill_from_unmarked(level, marks, fallback, half_px), level)
        # glyph clusters denser than the window stay dark after one pass: whatever still
        # differs clearly from the cleaned level is a mark too
        marks = marks | (np.abs(level - clean) > MARK_CONTRAST)
    return np.clip(clean, 0, 255).astype(np.uint8)


def _fill_from_unmarked(
    level: np.ndarray, marks: np.ndarray, fallback: np.ndarray, px_per_pt: float
) -> np.ndarray:
    """Per pixel, the mean of the unmarked pixels in the smallest window (``CLEAN_WINDOW_PT``,
    doubled as needed) holding enough of them; ``fallback`` where none does."""
    keep = (~marks).astype(np.float32)
    out = fallback.astype(np.float32)
    for factor in (8, 4, 2, 1):  # largest first, so smaller windows overwrite where they can
        size = _odd(CLEAN_WINDOW_PT * factor * px_per_pt)
        num = cv2.boxFilter(level * keep, -1, (size, size), normalize=False)
        den = cv2.boxFilter(keep, -1, (size, size), normalize=False)
        enough = den >= (1.0 if factor == 8 else 0.1 * size * size)
        out = np.where(enough, num / np.maximum(den, 1.0), out)
    return out


def _ink(pixels: np.ndarray, background: np.ndarray, either_way: bool = False) -> np.ndarray:
    """Binary mask (uint8 0/255) of marks clearly darker than their local background (or, with
    ``either_way``, clearly different: white text on a dark header band is ink too)."""
    contrast = background.astype(np.int16) - pixels.astype(np.int16)
    if either_way:
        contrast = np.abs(contrast)
    return _mask(contrast > INK_CONTRAST)


def _mask(selected: np.ndarray) -> np.ndarray:
    """A boolean array as the uint8 0/255 mask OpenCV's morphology works on."""
    return np.where(selected, 255, 0).astype(np.uint8)


def _paired_contrast(contrast: np.ndarray, *, horizontal: bool) -> np.ndarray:
    """Contrast for finding rules: a pixel's own, or its and its neighbour's across the line
    direction together, whichever is more.

    A hairline (0.4 pt is under a pixel at 150 dpi) that the deskew rotation spread over two
    pixel rows has only half its contrast in each; summed over the pair it has all of it.
    """
    paired = contrast.copy()
    if horizontal:
        paired[:-1] += np.maximum(contrast[1:], 0)
    else:
        paired[:, :-1] += np.maximum(contrast[:, 1:], 0)
    return np.maximum(contrast, paired)


def _stroke(clear: np.ndarray, seeds: np.ndarray, horizontal: bool) -> tuple[int, int]:
    """Where across its length a rule's stroke lies (pixel offsets), from its clear ink, else
    from its seed."""
    for mask in (clear, seeds):
        inked = np.flatnonzero(mask.any(axis=1 if horizontal else 0))
        if inked.size:
            return int(inked[0]), int(inked[-1]) + 1
    size = clear.shape[0 if horizontal else 1]
    return 0, size


def _long_runs(mask: np.ndarray, horizontal: bool, length: int) -> np.ndarray:
    """The parts of ``mask`` in straight runs at least ``length`` pixels long."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    # close 1-px breaks (noise, JPEG) along the line before keeping only long runs
    bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1) if horizontal else (1, 3))
    return cv2.morphologyEx(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, bridge), cv2.MORPH_OPEN, kernel)


def _rule_components(
    clear: np.ndarray,
    faint_runs: np.ndarray,
    paired_ink: np.ndarray,
    seed_px: int,
    horizontal: bool,
) -> list[tuple[int, int, int, int]]:
    """Pixel boxes of the long faint runs that are rules: those continuing a clear run, and
    those at least ``seed_px`` long holding as many pixels of paired ink (hysteresis).

    A thin light-grey rule, scanned, JPEG-compressed and rotated straight, dips below the ink
    contrast here and there and comes back in pieces — or, spread over two pixel rows, is
    nowhere clear at all; along its own row it stays above a much lower contrast. Faint runs
    count only where they continue clear ink or carry a rule's length of paired ink, so band
    edges and smudges never become rules. (Clear runs lie inside faint ones: the faint mask
    holds the clear one, and opening keeps that order.)
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(faint_runs, connectivity=8)
    if count <= 1:
        return []
    long = stats[:, 2 if horizontal else 3] >= seed_px
    keep = long & (np.bincount(labels[paired_ink > 0], minlength=count) >= seed_px)
    keep[np.unique(labels[clear > 0])] = True
    keep[0] = False
    return [tuple(int(v) for v in stats[i, :4]) for i in np.flatnonzero(keep)]  # type: ignore[misc]


def _rules(
    ink: np.ndarray, contrast: np.ndarray, image: PageImage, *, horizontal: bool
) -> list[Rule]:
    """Long thin runs of ink, as rules.

    Runs of clear ink at least a rule's minimum length, continued through faint ink
    (``_rule_components``), which also finds a hairline that is nowhere clear on its own.
    Position and stroke width come from the clear ink where there is some (the faint margin
    would make every rule look as heavy as the bottom rule of a three-line table).
    """
    px_per_pt = image.dpi / 72.0
    length = max(3, int((MIN_RULE_PT if horizontal else MIN_VRULE_PT) * px_per_pt))
    clear = _long_runs(ink, horizontal, length)
    paired = _paired_contrast(contrast, horizontal=horizontal)
    faint_runs = _long_runs(_mask(paired > FAINT_INK_CONTRAST), horizontal, length)
    paired_ink = _mask(paired > INK_CONTRAST)
    max_thickness = MAX_RULE_THICKNESS_PT * px_per_pt
    rules = []
    for x, y, w, h in _rule_components(
        clear, faint_runs, paired_ink, int(SEED_RULE_PT * px_per_pt), horizontal
    ):
        box = (slice(y, y + h), slice(x, x + w))
        lo, hi = _stroke(clear[box], paired_ink[box] & faint_runs[box], horizontal)
        if hi - lo > max_thickness:
            continue  # a solid block (dark band edge, picture), not a line
        if horizontal:
            x0, top, x1, bottom = image.to_points((x, y + lo, x + w, y + hi))
            mid = (top + bottom) / 2
            rules.append(Rule(x0, mid, x1, mid, width=bottom - top))
        else:
            x0, top, x1, bottom = image.to_points((x + lo, y, x + hi, y + h))
            mid = (x0 + x1) / 2
            rules.append(Rule(mid, top, mid, bottom, width=x1 - x0))
    return rules


def _band_rules(
    pixels: np.ndarray,
    bands: list[tuple[tuple[int, int, int, int], float]],
    image: PageImage,
    *,
    horizontal: bool,
) -> list[Rule]:
    """Rules drawn across a dark band (a header row's cell borders): lighter or darker than
    the band by far less than ink differs from paper, so ``_rules`` misses them.

    Inside each band (its edge left out, see ``BAND_EDGE_PT``) the difference from the band's
    level, either way, is averaged along the line direction over ``BAND_RULE_SMOOTH_PT`` (the
    scan's grain averages out, a straight line does not) and kept where it exceeds
    ``BAND_RULE_CONTRAST``; runs as long as a rule's minimum and no thicker than a rule are
    rules. An end that stops at the band's edge is carried to it: the line runs on outside,
    where ``_rules`` finds it.
    """
    px_per_pt = image.dpi / 72.0
    edge = max(1, round(BAND_EDGE_PT * px_per_pt))
    length = max(3, int((MIN_RULE_PT if horizontal else MIN_VRULE_PT) * px_per_pt))
    k = _odd(BAND_RULE_SMOOTH_PT * px_per_pt)
    max_thickness = MAX_RULE_THICKNESS_PT * px_per_pt
    rules = []
    for (bx0, by0, bx1, by1), level in bands:
        x0, y0, x1, y1 = bx0 + edge, by0 + edge, bx1 - edge, by1 - edge
        if x1 - x0 < length or y1 - y0 < 3:
            continue
        inner = np.abs(pixels[y0:y1, x0:x1].astype(np.float32) - level)
        smooth = cv2.blur(inner, (k, 1) if horizontal else (1, k))
        # zero margins: opening treats the array's border as ink, which would keep short
        # strokes (a glyph the band's edge cuts) that touch it
        candidates = cv2.copyMakeBorder(
            _mask(smooth > BAND_RULE_CONTRAST),
            length,
            length,
            length,
            length,
            cv2.BORDER_CONSTANT,
            value=0,
        )
        runs = _long_runs(candidates, horizontal, length)[length:-length, length:-length]
        count, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        for i in range(1, count):
            x, y, w, h = (int(v) for v in stats[i, :4])
            if (h if horizontal else w) > max_thickness:
                continue
            left, top, right, bottom = x0 + x, y0 + y, x0 + x + w, y0 + y + h
            if horizontal:
                left = bx0 if left - x0 <= edge else left
                right = bx1 if x1 - right <= edge else right
            else:
                top = by0 if top - y0 <= edge else top
                bottom = by1 if y1 - bottom <= edge else bottom
            px0, pt, px1, pb = image.to_points((left, top, right, bottom))
            if horizontal:
                mid = (pt + pb) / 2
                rules.append(Rule(px0, mid, px1, mid, width=pb - pt))
            else:
                mid = (px0 + px1) / 2
                rules.append(Rule(mid, pt, mid, pb, width=px1 - px0))
    return rules


def _continued_in_bands(
    band_h: Sequence[Rule], band_v: Sequence[Rule], vertical: Sequence[Rule]
) -> tuple[list[Rule], list[Rule]]:
    """The band rule candidates that are a ruled table's borders: column rules that a column
    rule reaching beyond the band carries on (meeting or overlapping it), and row rules that
    at least two of those meet.

    Seams between fills drawn cell by cell, and glyph strokes of light header text, look like
    faint lines across a band too; they never line up with a column rule below or above it.
    """
    tol = BAND_EDGE_MEET_PT
    kept_v: list[Rule] = []
    todo = list(band_v)
    while todo:  # a candidate carried on by a kept one (bands stacked) is carried on too
        carried = [
            b
            for b in todo
            if any(
                abs(v.x0 - b.x0) <= tol
                and v.y0 <= b.y1 + tol
                and v.y1 >= b.y0 - tol
                and (v.y0 < b.y0 - tol or v.y1 > b.y1 + tol)
                for v in (*vertical, *kept_v)
            )
        ]
        if not carried:
            break
        kept_v += carried
        todo = [b for b in todo if b not in carried]
    kept_h = [
        h
        for h in band_h
        if sum(
            h.x0 - tol <= v.x0 <= h.x1 + tol and v.y0 - tol <= h.y0 <= v.y1 + tol for v in kept_v
        )
        >= 2
    ]
    return kept_h, kept_v


def _band_step(
    rule: Rule,
    pixels: np.ndarray,
    bands: list[tuple[tuple[int, int, int, int], float]],
    image: PageImage,
) -> bool:
    """Whether a rule candidate is only a dark band's edge: it runs along the edge (top or
    bottom for a horizontal one, a side for a vertical one), no longer than the band, and its
    darkest pixel line is no darker than the band. The median background blurs a band's
    edge, so the step from band to paper passes for a line; a line drawn there in ink darker
    than the band is kept."""
    s = image.dpi / 72.0
    ox, oy = image.area[0], image.area[1]
    horizontal = rule.is_horizontal
    at = ((rule.y0 - oy) if horizontal else (rule.x0 - ox)) * s
    lo, hi = (
        ((rule.x0 - ox) * s, (rule.x1 - ox) * s)
        if horizontal
        else (
            (rule.y0 - oy) * s,
            (rule.y1 - oy) * s,
        )
    )
    reach = (BAND_EDGE_PT + MAX_RULE_THICKNESS_PT / 2) * s
    for (x0, y0, x1, y1), level in bands:
        near, far, start, end = (y0, y1, x0, x1) if horizontal else (x0, x1, y0, y1)
        if min(abs(at - near), abs(at - far)) > reach:
            continue
        if lo < start - reach or hi > end + reach:
            continue  # runs on beyond the band: a line of its own
        a, b = max(0, round(at - reach)), round(at + reach) + 1
        if horizontal:
            strip = pixels[a:b, max(0, round(lo)) : round(hi)]
        else:
            strip = pixels[max(0, round(lo)) : round(hi), a:b].T
        if strip.size and float(np.median(strip, axis=1).min()) >= level - FILL_CONTRAST:
            return True
    return False


def _band_edge_rules(
    fills: Sequence[Fill], horizontal: Sequence[Rule], vertical: Sequence[Rule]
) -> list[Rule]:
    """Rules along the top and bottom edges of bands that column rules meet: a cell border.

    A ruled table's border drawn along a band's edge (a header band's bottom rule) is, on a
    scan, part of the step from band to paper when it is lighter than the band — nothing tells
    it from the edge. Where at least two column rules end on or cross the edge and no
    horizontal rule already runs along most of it, the edge is that border.
    """
    out = []
    for fill in fills:
        x0, top, x1, bottom = fill.bbox
        for y in (top, bottom):
            meeting = [
                v
                for v in vertical
                if x0 - BAND_EDGE_MEET_PT <= v.x0 <= x1 + BAND_EDGE_MEET_PT
                and v.y0 - BAND_EDGE_MEET_PT <= y <= v.y1 + BAND_EDGE_MEET_PT
            ]
            if len(meeting) < 2:
                continue
            covered = sum(
                max(0.0, min(h.x1, x1) - max(h.x0, x0))
                for h in horizontal
                if abs(h.y0 - y) <= MAX_RULE_THICKNESS_PT
            )
            if covered < BAND_EDGE_COVERED * (x1 - x0):
                out.append(Rule(x0, y, x1, y, width=0.5))
    return out


def _meets_any(vertical: Rule, horizontals: list[Rule], tol: float) -> bool:
    return any(
        h.x0 - tol <= vertical.x0 <= h.x1 + tol and vertical.y0 - tol <= h.y0 <= vertical.y1 + tol
        for h in horizontals
    )


def paper_level(background: np.ndarray) -> int:
    """The paper's grey level: the most common bright background value."""
    hist = np.bincount(background.ravel(), minlength=256)
    bright = hist[128:]
    return 128 + int(np.argmax(bright)) if bright.sum() else 255


def _bands(
    background: np.ndarray, paper: int, px_per_pt: float
) -> list[tuple[tuple[int, int, int, int], float]]:
    """Flat regions darker than the paper: (pixel box, grey level) each."""
    dark = np.where(background < paper - FILL_CONTRAST, 255, 0).astype(np.uint8)
    min_w, min_h = MIN_FILL_WIDTH_PT * px_per_pt, MIN_FILL_HEIGHT_PT * px_per_pt
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (_odd(min_w / 2), _odd(min_h / 2)))
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=4)
    bands = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w < min_w or h < min_h:
            continue
        region = background[y : y + h, x : x + w]
        for top, bottom in _shade_runs(region, min_h, paper):
            band = region[top:bottom]
            q25, q75 = np.percentile(band, [25, 75])
            if q75 - q25 > FLAT_SPREAD:
                continue  # textured: a photo or chart, not a table band
            level = float(np.median(band))
            if level < paper - FILL_CONTRAST:
                bands.append(((x, y + top, x + w, y + bottom), level))
    return bands


def _shade_runs(region: np.ndarray, min_h: float, paper: int = 255) -> list[tuple[int, int]]:
    """Row ranges of one connected dark region that share a shade (stacked bands split)."""
    rows = np.median(region, axis=1)
    sums = np.concatenate(([0.0], np.cumsum(rows)))
    runs: list[tuple[int, int]] = []
    start = 0
    for r in range(1, len(rows) + 1):
        run_mean = (sums[r] - sums[start]) / (r - start)
        step = PALE_SHADE_STEP if paper - run_mean <= PALE_BAND_CONTRAST else SHADE_STEP
        if r == len(rows) or abs(float(rows[r]) - run_mean) > step:
            if r - start >= min_h:
                runs.append((start, r))
            start = r
    return runs


def _without_rules(ink: np.ndarray, rules: list[Rule], image: PageImage) -> np.ndarray:
    """The ink mask with every rule painted out (a little wider than drawn)."""
    text_ink = ink.astype(np.uint8)
    px = image.dpi / 72.0
    ox, oy = image.area[0], image.area[1]
    for r in rules:
        start = (round((r.x0 - ox) * px), round((r.y0 - oy) * px))
        end = (round((r.x1 - ox) * px), round((r.y1 - oy) * px))
        cv2.line(text_ink, start, end, 0, thickness=round(r.width * px) + 4)
    return text_ink > 0
