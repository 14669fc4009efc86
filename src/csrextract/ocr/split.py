"""Detected text boxes that hold two runs: cut at a wide gap in their glyph ink, read again.

PP-OCR's detector sees the page at about half the render resolution. Two neighbouring table
cells set on one line with a small gap between them (or two columns of a contents page) can
come out as one box, read as one run ("近330亿次144%"), and the table stage then sees no column
gap. Inside a run of text the blank between two glyphs stays well below an em; between two runs
it is wider. So the glyph ink of every box is scanned for a blank stretch wider than
``SPLIT_GAP_EM``; a box that has one is cut there and each piece is read by the recogniser on its
own (crops are cheap to read, and only boxes with such a gap are read again), each with its own
confidence.

What stays one run although a gap that wide parts its ink:

* a mark and its words: a bullet before a list item ("• item"), a dash before a page number
  ("— 18"). A piece whose ink is one bullet- or dash-shaped blob, or whose reading has no
  letter, digit or CJK character, joins its neighbour (the table stage and ``marks`` read the
  bullet from the run, as before);
* CJK punctuation: 。，、：；！？ and closing brackets and quotes put their ink in the left half
  of their em box, opening ones in the right half, so the blank next to them is half an em
  wider than between two glyphs ("其中。无障碍", "乡村产业：农特"). A gap after a piece ending
  in the first kind, or before one starting with the second, is no cut;
* a bare whole number and the words beside it (a year or page number spaced out in a running
  head or footer: "第  12  页"): alone, the number would pass for a table cell;
* a piece the recogniser cannot read on its own (no text, or a score below the engine's
  threshold) is not cut off.

A piece at either end of the box whose ink the box's own edge cuts, narrower than a glyph, is a
sliver of the next cell that the padded box reached into: it is trimmed away, so the run's box
no longer reaches into that cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np

from csrextract.ocr.engines import BoxReader, OcrBox
from csrextract.ocr.marks import _is_bullet, _is_dash
from csrextract.ocr.text import char_weights, is_cjk, normalise_ocr_text, run_extent

SPLIT_GAP_EM = 1.0
"""Blank (em of the box's text size) in a box's glyph ink from which the box holds two runs.

Inside a run the blanks stay below it: CJK glyphs have side bearings of about 0.1 em each,
Latin word spaces with the letters' bearings come to 0.3–0.5 em, letter-spaced numerals
("2 0 2 1") to 0.8 em. Measured on the scanned corpus, two table cells or contents columns the
detector took for one run are 1.0–1.2 em apart. CJK punctuation (up to 1.1 em next to 。or ：)
and a mark's indent are the exceptions the text and shape rules of the module docstring take
care of."""
SLIVER_EM = 1.0
"""An end piece cut by the box edge and narrower than this (em) is part of a neighbour's glyph."""
MIN_SCORE = 0.5
"""A piece read with a lower score is not cut off (the engine's own threshold for a run)."""

_TRAILING_BLANK = "，。、：；！？）》」』】〕”’"
"""CJK punctuation whose ink sits in the left half of its em box (blank after it)."""
_LEADING_BLANK = "（《「『【〔“‘"
"""CJK punctuation whose ink sits in the right half of its em box (blank before it)."""


@dataclass(frozen=True, slots=True)
class _Piece:
    x0: int  # first inked column (pixels)
    x1: int  # one past the last inked column
    mark: bool  # one bullet- or dash-shaped blob


def split_runs(
    boxes: Sequence[OcrBox], pixels: np.ndarray, ink: np.ndarray, engine: object
) -> list[OcrBox]:
    """``boxes`` with every box that holds two runs cut into one box per run (see the module
    docstring). Engines that cannot read given boxes (``BoxReader``) keep their boxes."""
    if not isinstance(engine, BoxReader):
        return list(boxes)
    out: list[OcrBox] = []
    for box in boxes:
        out.extend(_split(box, pixels, ink, engine))
    return out


def _split(box: OcrBox, pixels: np.ndarray, ink: np.ndarray, engine: BoxReader) -> list[OcrBox]:
    found = run_extent(box, ink)
    if found is None:
        return [box]
    (x0, top, x1, bottom), em = found
    pieces = _pieces(ink[top:bottom, x0:x1], x0, em)
    if len(pieces) < 2:
        return [box]
    h, w = ink.shape[:2]
    bx0, by0 = max(0, int(box.box[0])), max(0, int(box.box[1]))
    bx1, by1 = min(w, int(np.ceil(box.box[2]))), min(h, int(np.ceil(box.box[3])))
    trimmed = False
    if pieces[0].x0 <= bx0 + 1 and pieces[0].x1 - pieces[0].x0 < SLIVER_EM * em:
        bx0, pieces, trimmed = (pieces[0].x1 + pieces[1].x0) // 2, pieces[1:], True
    if pieces[-1].x1 >= bx1 - 1 and pieces[-1].x1 - pieces[-1].x0 < SLIVER_EM * em:
        bx1, pieces, trimmed = (pieces[-2].x1 + pieces[-1].x0) // 2, pieces[:-1], True
    groups = _punctuation_joined(_marks_joined(pieces), normalise_ocr_text(box.text), x0, x1)
    if len(groups) == 1:
        return [_with_box(box, (bx0, by0, bx1, by1))] if trimmed else [box]
    bounds = _bounds([(g[0].x0, g[-1].x1) for g in groups], bx0, bx1)
    readings = engine.read_boxes(pixels, [(a, by0, b, by1) for a, b in bounds])
    runs = _runs(readings)
    if len(runs) == 1:
        return [_with_box(box, (bx0, by0, bx1, by1))] if trimmed else [box]
    spans = [(bounds[run[0]][0], bounds[run[-1]][1]) for run in runs]
    joined = [k for k, run in enumerate(runs) if len(run) > 1]
    again = engine.read_boxes(pixels, [(spans[k][0], by0, spans[k][1], by1) for k in joined])
    texts = {k: again[i] for i, k in enumerate(joined)}
    out = []
    for k, run in enumerate(runs):
        text, score = texts.get(k, readings[run[0]])
        quad = _quad((spans[k][0], by0, spans[k][1], by1))
        out.append(OcrBox(quad, text, float(score)))
    return out


def _pieces(band: np.ndarray, x0: int, em: float) -> list[_Piece]:
    """Stretches of ink in ``band`` (the run's own rows) parted by blanks ≥ ``SPLIT_GAP_EM``."""
    cols = band.any(axis=0)
    inked = np.flatnonzero(cols)
    if inked.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(inked) > SPLIT_GAP_EM * em)
    starts = [int(inked[0]), *(int(inked[i + 1]) for i in breaks)]
    ends = [*(int(inked[i]) + 1 for i in breaks), int(inked[-1]) + 1]
    return [
        _Piece(x0 + a, x0 + b, _is_mark(band[:, a:b], em))
        for a, b in zip(starts, ends, strict=True)
    ]


def _is_mark(ink: np.ndarray, em: float) -> bool:
    """Whether a piece's ink is one bullet- or dash-shaped blob (``marks``' shapes)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if count != 2:
        return False
    _, _, w, h, area = (int(v) for v in stats[1])
    return _is_bullet(w, h, area, em) or _is_dash(w, h, area, em)


def _marks_joined(pieces: Sequence[_Piece]) -> list[list[_Piece]]:
    """Pieces in groups: a mark joins the piece after it (a bullet or dash before words), or
    the one before it when it comes last."""
    groups: list[list[_Piece]] = []
    pending: list[_Piece] = []
    for piece in pieces:
        pending.append(piece)
        if not piece.mark:
            groups.append(pending)
            pending = []
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    return groups


def _punctuation_joined(
    groups: list[list[_Piece]], text: str, x0: int, x1: int
) -> list[list[_Piece]]:
    """Groups joined across gaps that the box's own reading puts next to CJK punctuation
    (spared a re-read: most wide gaps in prose are of this kind). The characters are placed
    by their advance widths over the run's ink (``char_weights``), which is good to a character
    or so in a long run: the two characters on either side of the gap are looked at."""
    weights = char_weights(text)
    total = sum(weights) or 1.0
    ends = np.cumsum(weights) / total * max(1, x1 - x0) + x0
    out = [groups[0]]
    for group in groups[1:]:
        mid = (out[-1][-1].x1 + group[0].x0) / 2
        k = int(np.searchsorted(ends - np.asarray(weights) / total * (x1 - x0) / 2, mid))
        before, after = text[max(0, k - 2) : k], text[k : k + 2]
        if any(c in _TRAILING_BLANK for c in before) or any(c in _LEADING_BLANK for c in after):
            out[-1] = out[-1] + group
        else:
            out.append(group)
    return out


def _bounds(spans: Sequence[tuple[int, int]], left: int, right: int) -> list[tuple[int, int]]:
    """Crop columns of each piece: from the middle of the gap before it to the middle of the
    gap after it (the box's own edges at the ends), so each crop keeps the padding the
    detector would give it and none of its neighbour's ink."""
    cuts = [(a[1] + b[0]) // 2 for a, b in pairwise(spans)]
    return list(zip([left, *cuts], [*cuts, right], strict=True))


def _runs(readings: Sequence[tuple[str, float]]) -> list[list[int]]:
    """Indices of the pieces grouped into runs: a gap is a cut only when the pieces on both
    sides read as text of their own and no punctuation accounts for the blank."""
    texts = [normalise_ocr_text(t) for t, _ in readings]
    readable = [_has_word(t) and s >= MIN_SCORE for t, (_, s) in zip(texts, readings, strict=True)]
    runs = [[0]]
    for i in range(1, len(readings)):
        left, right = texts[i - 1], texts[i]
        cut = (
            readable[i - 1]
            and readable[i]
            and _is_number(left) == _is_number(right)
            and not left.endswith(tuple(_TRAILING_BLANK))
            and not right.startswith(tuple(_LEADING_BLANK))
        )
        if cut:
            runs.append([i])
        else:
            runs[-1].append(i)
    return runs


def _is_number(text: str) -> bool:
    """A bare whole number: a year or page number set apart inside a running head or footer
    ("北京字节跳动  2022  企业社会责任报告", "第  12  页") is not cut from the words beside
    it, since alone it could no longer be told from a table cell."""
    return text.replace(" ", "").isdigit()


def _has_word(text: str) -> bool:
    return any(c.isalnum() or is_cjk(c) for c in text)


def _quad(
    box: tuple[int, int, int, int],
) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def _with_box(box: OcrBox, bounds: tuple[int, int, int, int]) -> OcrBox:
    return OcrBox(_quad(bounds), box.text, box.confidence)
