"""Small marks the text detector skips: list bullets and lone dashes.

PP-OCR's detector finds runs of glyphs; an isolated dot before a list item, or a single "-"
standing for "no value" in a table cell, is often too small to become a text box — and both
matter downstream (bullets split a cell into items; "-" is a null). So ink left over outside
every OCR box is classified by shape, relative to the page's text size:

* bullet: a compact blob or ring (0.15–0.6 em, roughly as wide as tall) just left of a text line on
  the same row → the line gets a leading "• " (or "○ " for a ring);
* dash: a solid flat blob (0.2–1.6 em wide, ≤ 0.25 em tall, ≥ 1.6× wider than tall) with no
  text right after it, level with some other text (a table row) → a "-" line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np

from csrextract.models import Method, TextLine
from csrextract.ocr.image import PageImage
from csrextract.ocr.text import BULLETS, CANONICAL_BULLET, HOLLOW_BULLET, char_boxes

BULLET_MIN_COVER = 0.22
"""Share of its bounding box a bullet's ink covers at least (a thin ring ○ ≈ 0.3)."""
PLAIN_GROUND_SPREAD = 16.0
"""Interquartile range (grey levels) of the ground around a mark above which it is a picture."""
BULLET_REACH_EM = 0.4
"""How far left of a text box (em) its leading bullet is looked for: the detector's box can
start inside the bullet, leaving a sliver that no longer looks like one."""
BULLET_GAP_EM = 2.5
"""Widest gap (em) between a bullet and its words: list styles indent the text after the
bullet up to two em or so."""
MARK_CONFIDENCE = 0.5
"""Confidence of text made from a shape rather than read by the recogniser."""


def _uncovered_ink(
    ink: np.ndarray, boxes: Sequence[tuple[float, float, float, float]], margin: float
) -> np.ndarray:
    """Ink outside every text box grown by ``margin`` pixels above and below: a glyph's top or
    bottom stroke poking out of its line's box in tightly set text is not a mark of its own."""
    rest = ink.astype(np.uint8)
    pad = max(1, int(margin))
    for x0, y0, x1, y1 in boxes:
        rest[max(0, int(y0) - pad) : int(y1) + 1 + pad, max(0, int(x0) - 1) : int(x1) + 2] = 0
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
    rest = _uncovered_ink(ink, px_boxes, 0.2 * em_px)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    out = [_line_bullet(ln, ink, image, em_px) for ln in lines]
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        blob = image.to_points((x, y, x + w, y + h))
        if not _on_plain_ground(image.pixels, ink, (x, y, x + w, y + h), em_px):
            continue  # a speck of a photograph or chart, not a typeset mark
        if _cut_off_by_box((x, y, x + w, y + h), px_boxes):
            continue  # the sliver of a glyph the box starts inside of, not a mark of its own
        if _is_bullet(w, h, area, em_px):
            k = _line_right_of(out, blob, em_px * s)
            if k is not None and not out[k].text.startswith(BULLETS):
                ring = _is_ring(labels[y : y + h, x : x + w] == i)
                out[k] = _with_bullet(out[k], blob, HOLLOW_BULLET if ring else CANONICAL_BULLET)
        elif (
            _is_dash(w, h, area, em_px)
            and _line_right_of(out, blob, em_px * s) is None
            and _shares_a_row(lines, blob)
        ):
            out.append(_dash_line(blob, em_px * s))
    return out


def _cut_off_by_box(
    blob: tuple[int, int, int, int], boxes: Sequence[tuple[float, float, float, float]]
) -> bool:
    """Whether ``blob`` (pixels) ends where a text box begins, on the box's rows: ink that
    runs on into the box. A bullet stands clear of its words; the rest of a glyph cut by the
    box edge does not (a bullet the box starts inside of is ``_line_bullet``'s case)."""
    x0, y0, x1, y1 = blob
    return any(
        x0 < bx0 and x1 >= int(bx0) - 2 and y0 < by1 and by0 < y1 for bx0, by0, _, by1 in boxes
    )


def _line_bullet(line: TextLine, ink: np.ndarray, image: PageImage, em_px: float) -> TextLine:
    """``line`` with its leading bullet read from the ink: added when the recogniser dropped it,
    and drawn as "•" or "○" after the blob's shape.

    The detector often includes a list bullet in the run's box, yet the recogniser reads only
    the words after it, or reads a ring as a dot. The bullet is the run's first ink: a
    bullet-shaped blob level with the line's middle and set clearly apart (≥ 0.3 em) from the
    next ink — gaps inside CJK glyphs and between letters are far smaller, and a glyph's
    detached dot (氵, 心) is neither centred nor that far from the rest.
    """
    found = _leading_blob(line, ink, image, em_px)
    if found is None:
        return line
    if not _on_plain_ground(image.pixels, ink, _pixel_box(found[0], image), em_px):
        return line
    blob, hollow, words_x0 = found
    glyph = HOLLOW_BULLET if hollow else CANONICAL_BULLET
    if line.text.startswith(BULLETS):
        return replace(line, text=glyph + line.text[1:])
    words = replace(line, bbox=(words_x0, line.bbox[1], line.bbox[2], line.bbox[3]))
    words = replace(words, char_boxes=char_boxes(line.text, words.bbox))
    return _with_bullet(words, blob, glyph)


def _leading_blob(
    line: TextLine, ink: np.ndarray, image: PageImage, em_px: float
) -> tuple[tuple[float, float, float, float], bool, float] | None:
    """The bullet at the start of ``line``'s box, if any: its box (points), whether it is a
    ring, and where the words after it start (x, points)."""
    s = image.scale
    ox, oy = image.area[0], image.area[1]
    # from a little left of the box: the detector's box may start inside the bullet
    reach = 1 + int(BULLET_REACH_EM * em_px)
    left, y0 = max(0, int((line.bbox[0] - ox) / s) - reach), max(0, int((line.bbox[1] - oy) / s))
    x1, y1 = int(np.ceil((line.bbox[2] - ox) / s)), int(np.ceil((line.bbox[3] - oy) / s))
    right = min(x1, left + reach + int((BULLET_GAP_EM + 0.6) * em_px))
    strip = ink[y0:y1, left:right].astype(np.uint8)
    if strip.size == 0 or not strip.any():
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(strip, connectivity=8)
    if count < 3 and right == x1:
        return None  # one blob and nothing after it in the box: a lone glyph, not a list item
    first = min(range(1, count), key=lambda i: int(stats[i, 0]))
    bx, by, bw, bh, area = (int(v) for v in stats[first])
    # the words start at the next ink (or beyond the strip: a wide indent after the bullet)
    next_x = min((int(stats[i, 0]) for i in range(1, count) if i != first), default=right - left)
    centred = abs((by + bh / 2) - strip.shape[0] / 2) <= 0.2 * em_px
    if not (_is_bullet(bw, bh, area, em_px) and centred and next_x - (bx + bw) >= 0.3 * em_px):
        return None
    hollow = _is_ring(labels[by : by + bh, bx : bx + bw] == first)
    blob = image.to_points((left + bx, y0 + by, left + bx + bw, y0 + by + bh))
    return blob, hollow, ox + (left + next_x) * s


def _pixel_box(box: tuple[float, float, float, float], image: PageImage) -> tuple[int, ...]:
    s, ox, oy = image.scale, image.area[0], image.area[1]
    return (
        int((box[0] - ox) / s),
        int((box[1] - oy) / s),
        int((box[2] - ox) / s) + 1,
        int((box[3] - oy) / s) + 1,
    )


def _on_plain_ground(
    pixels: np.ndarray, ink: np.ndarray, box: tuple[int, ...], em_px: float
) -> bool:
    """Whether the paper or fill around a blob (one em each way, ink left out) is flat.

    Bullets and dashes are typeset on paper or a table fill; a photograph or chart is full of
    blobs of the same size, and its texture gives it away (the spread of a flat ground is
    scanner noise, a few grey levels)."""
    pad = max(2, int(em_px))
    h, w = pixels.shape[:2]
    x0, y0 = max(0, box[0] - pad), max(0, box[1] - pad)
    x1, y1 = min(w, box[2] + pad), min(h, box[3] + pad)
    ground = pixels[y0:y1, x0:x1][~ink[y0:y1, x0:x1].astype(bool)]
    if ground.size < 16:
        return False
    q25, q75 = np.percentile(ground, [25, 75])
    return float(q75 - q25) <= PLAIN_GROUND_SPREAD


def _is_ring(mask: np.ndarray) -> bool:
    """A blob whose middle is empty: ○ rather than •."""
    h, w = mask.shape
    middle = mask[h // 3 : h - h // 3, w // 3 : w - w // 3]
    return middle.size > 0 and float(middle.mean()) < 0.3


def _is_bullet(w: int, h: int, area: int, em: float) -> bool:
    """A filled dot or square (•, ▪) covers over half its box; a hollow ring (○, ◦) about a
    quarter to a half — either counts, as long as it is compact and bullet-sized."""
    compact = 0.6 <= w / max(h, 1) <= 1.5 and area >= BULLET_MIN_COVER * w * h
    return compact and 0.15 * em <= max(w, h) <= 0.6 * em


def _is_dash(w: int, h: int, area: int, em: float) -> bool:
    flat = w >= 1.6 * max(h, 1) and area >= 0.6 * w * h
    return flat and 0.2 * em <= w <= 1.6 * em and h <= 0.25 * em


def _line_right_of(lines: Sequence[TextLine], blob: tuple[float, ...], em: float) -> int | None:
    """The line starting within ``BULLET_GAP_EM`` right of ``blob`` on the same row."""
    cy = (blob[1] + blob[3]) / 2
    best, best_gap = None, BULLET_GAP_EM * em
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


def _with_bullet(line: TextLine, blob: tuple[float, ...], glyph: str) -> TextLine:
    x0 = min(blob[0], line.bbox[0])
    bullet_box = (x0, line.bbox[1], blob[2], line.bbox[3])
    space_box = (blob[2], line.bbox[1], line.bbox[0], line.bbox[3])
    return TextLine(
        text=glyph + " " + line.text,
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
