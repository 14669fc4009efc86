"""OCR text runs → ``TextLine`` s that look like the text layer's: tidy text, tight boxes.

Normalisation (only where the reading is unambiguous):

* no spaces between CJK characters (the recogniser sometimes inserts them);
* punctuation next to CJK text is full-width (，：；！？（）, and 。 for a period ending a CJK
  clause); full-width letters and digits become ASCII, and so does punctuation inside a number
  (``1，000`` → ``1,000``, ``3。5`` → ``3.5``);
* a list marker at the start of a line becomes ``•`` (``·``, ``●``, ``▪``, …) or, for rings,
  ``○`` (``◦``, and the recogniser's usual misreadings ``o`` / ``O`` in front of CJK text;
  ``。`` there becomes ``•``), so the table stage keeps list items apart;
* curly quotes alternate (a doubled opener or closer is turned round);
* a lone "1"/"l"/"I"/"|" whose ink slants like "/" is a "/" (``text_line``);
* ``O``/``o`` → ``0`` and ``l``/``I``/``|`` → ``1`` only between two digits.

Geometry: the detector's boxes are padded (its "unclip" step) by a few points, more for short
runs. ``text_line`` shrinks each box to the ink inside it, then gives it the height a text layer
would (1.3 em around the ink), so OCR lines and text-layer lines share one geometry.
"""

from __future__ import annotations

import re

import numpy as np

from csrextract.models import BBox, Method, TextLine
from csrextract.ocr.engines import OcrBox
from csrextract.ocr.image import PageImage
from csrextract.tables.geometry import share_width

CJK = r"\u2e80-\u2fdf\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_CJK_PUNCT = "，。：；！？（）、《》“”‘’【】"

CANONICAL_BULLET = "•"
HOLLOW_BULLET = "○"
BULLETS = (CANONICAL_BULLET, HOLLOW_BULLET)
_HOLLOW_GLYPHS = "○◦◯"
_BULLET_GLYPHS = "•·●◦○◯▪■◆◇►▶➢∙⋅・"
_LEADING_BULLET = re.compile(rf"^\s*(?:[{_BULLET_GLYPHS}]|[。oO](?=\s*[{CJK}]))\s*")

_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_FULL_TO_HALF_IN_NUMBER = {"，": ",", "。": ".", "．": ".", "：": ":"}

BLANK_ROW_SHARE = 0.05
"""A row holding less ink than this share of the fullest row counts as blank between two lines
(a stray stroke tip or speck must not glue neighbouring lines together)."""
TOO_TALL = 1.3
"""An ink band taller than this many times the expected glyph height holds more than one line."""
TOO_TALL_CJK = 1.15
"""The same for runs of square (CJK) glyphs, whose expected height — from the run's width —
is exact to a few percent: tight list items otherwise keep a sliver of the next item."""
SQUARE_SHARE = 0.7
"""Share of CJK characters from which a run's glyphs count as square."""
CJK_SIDE_BEARING_EM = 0.1
"""A run of n CJK glyphs is about n - 0.1 em wide in ink (the outer side bearings)."""
SLASH_CORRELATION = 0.6
"""How strongly x must fall as y grows over a lone stroke's ink for it to read as "/"."""
LINE_HEIGHT_EM = 1.3
"""A text layer's line box is about 1.3 em tall (ascent + descent of CJK fonts)."""
CJK_INK_EM = 0.9
CJK_INK_TOP_EM = 0.83
CAP_HEIGHT_EM = 0.72
X_HEIGHT_EM = 0.52
DESCENDER_EM = 0.2
EM_CENTRE = 0.38
"""Middle of the em box above the baseline (ideographic em box -0.12..0.88): line boxes are
centred there, whatever the script, so OCR lines of one row share a centre."""
_ASCENDERS = set("bdfhklt@/()[]{}|#%&$!?'\"")
_DESCENDERS = set("gjpqy,;()[]{}|@")


def is_cjk(char: str) -> bool:
    return bool(_CJK_CHAR.match(char))


def normalise_ocr_text(text: str) -> str:
    """Tidy one recognised run (see the module docstring for the rules)."""
    text = _ascii_alnum(text.strip())
    text = _fix_digit_confusions(text)
    text = _bullet(text)
    text = re.sub(f"(?<=[{CJK}{_CJK_PUNCT}])\\s+(?=[{CJK}{_CJK_PUNCT}])", "", text)
    text = _punctuation(text)
    return re.sub(r"\s{2,}", " ", text)


def _ascii_alnum(text: str) -> str:
    """Full-width letters and digits (Ａ, ９) as ASCII."""
    return "".join(
        chr(ord(c) - 0xFEE0) if "０" <= c <= "９" or ("Ａ" <= c <= "ｚ" and c.isalpha()) else c
        for c in text
    )


def _fix_digit_confusions(text: str) -> str:
    text = re.sub(r"(?<=\d)[Oo](?=\d)", "0", text)
    text = re.sub(r"(?<=\d)[lI|](?=\d)", "1", text)
    return re.sub(
        r"(?<=\d)[，。．：](?=\d)",
        lambda m: _FULL_TO_HALF_IN_NUMBER[m.group(0)],
        text,
    )


def _bullet(text: str) -> str:
    """A leading list marker as "• " (filled) or "○ " (hollow; also the recogniser's "o" for
    a ring), so the table stage sees one marker per kind; the shape check in ``marks`` has the
    last word where the bullet's ink can be seen."""
    match = _LEADING_BULLET.match(text)
    if match is None or match.end() == len(text):
        return text
    marker = match.group(0).strip()
    glyph = HOLLOW_BULLET if marker in (*_HOLLOW_GLYPHS, "o", "O") else CANONICAL_BULLET
    return glyph + " " + text[match.end() :]


def _punctuation(text: str) -> str:
    """Half-width punctuation touching CJK text as full-width; a CJK clause's '.' as '。'."""
    chars = list(text)
    for i, c in enumerate(chars):
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        cjk_before, cjk_after = is_cjk(before), is_cjk(after)
        if c in _HALF_TO_FULL and (cjk_before or (cjk_after and not before.isdigit())):
            chars[i] = _HALF_TO_FULL[c]
        elif c == "." and cjk_before and (not after or cjk_after):
            chars[i] = "。"
        elif c == "(" and (cjk_before or cjk_after):
            chars[i] = "（"
        elif c == ")" and (cjk_before or cjk_after):
            chars[i] = "）"
        elif c == '"' and cjk_before != cjk_after:
            # CJK text quotes with “ ”: closing after CJK text, opening before it
            chars[i] = "”" if cjk_before else "“"
    return _paired_quotes(_paired_brackets("".join(chars)))


def _paired_quotes(text: str) -> str:
    """Curly quotes in alternation: CJK text never nests a quote mark inside the same mark, so
    two openers (or closers) in a row mean the recogniser turned one round. The line is set to
    the alternation (starting open or closed, whichever the line is nearer to) when that
    changes at most one mark in four. A straight quote in a line that has curly ones is a
    curly quote misread, its direction free."""
    for opener, closer, straight in (("“", "”", '"'), ("‘", "’", "'")):
        if opener not in text and closer not in text:
            continue
        where = [i for i, c in enumerate(text) if c in (opener, closer, straight)]
        if len(where) < 2:
            continue
        actual = [
            True if text[i] == opener else False if text[i] == closer else None for i in where
        ]
        options = [[(k % 2 == 0) == start for k in range(len(where))] for start in (True, False)]

        def changes(option: list[bool], actual: list[bool | None] = actual) -> int:
            return sum(a is not None and a != o for o, a in zip(option, actual, strict=True))

        best = min(options, key=changes)
        known_changes = changes(best)
        fits = known_changes <= max(1, len(where) // 4) and bool(known_changes or None in actual)
        if not fits and changes(options[0]) == changes(options[1]):
            phase = _shorter_quotes(text, where, options)
            best, fits = (phase, True) if phase is not None else (best, False)
        if fits:
            chars = list(text)
            for i, is_open in zip(where, best, strict=True):
                chars[i] = opener if is_open else closer
            text = "".join(chars)
    return text


def _shorter_quotes(text: str, where: list[int], options: list[list[bool]]) -> list[bool] | None:
    """Of two alternations that fit the marks equally badly (”A”B”C” read for “A”B“C”), the
    one whose quoted stretches are clearly shorter — quotes in CJK prose hold a name or a
    phrase, the text between them runs on — else ``None``."""

    def quoted(option: list[bool]) -> int:
        total = where[0] if not option[0] else 0  # a quote open from the line before
        for k, is_open in enumerate(option):
            if is_open:
                end = where[k + 1] if k + 1 < len(where) else len(text)
                total += end - where[k] - 1
        return total

    first, second = quoted(options[0]), quoted(options[1])
    if 2 * first <= second:
        return options[0]
    if 2 * second <= first:
        return options[1]
    return None


def _paired_brackets(text: str) -> str:
    """One width per bracket pair: the recogniser often reads one half of a pair full-width."""
    if "（" in text and ")" in text and "(" not in text:
        return text.replace(")", "）")
    if "(" in text and "）" in text and "（" not in text:
        return text.replace("(", "（")
    return text


def char_weights(text: str) -> list[float]:
    """Relative advance widths: CJK and full-width characters 1, everything else 0.5."""
    return [1.0 if is_cjk(c) or c in _CJK_PUNCT or ord(c) >= 0xFF00 else 0.5 for c in text]


def char_boxes(text: str, bbox: BBox) -> tuple[BBox, ...]:
    """Per-character boxes by sharing the run's width out by ``char_weights``."""
    return share_width(bbox, char_weights(text))


def ink_extent(
    ink: np.ndarray,
    box: tuple[float, float, float, float],
    ink_height: float | None = None,
    centred: bool = False,
) -> tuple[int, int, int, int]:
    """The part of a pixel box that holds this run's ink (the box itself when it holds none).

    The detector pads its boxes by most of a line height, so in tightly set text (table cells,
    bullet lists) a box also catches slivers of the lines above and below. Those slivers are
    cut by the box edge; the run's own glyphs sit around the box's middle. So the rows are split
    into bands of ink separated by (nearly) blank rows, the band nearest the box's middle is the
    run, other bands join it only when close and not cut by the box edge (a glyph's detached
    stroke, an underline), and the columns are measured over the kept rows only. When lines
    are set so tight that no blank row parts them, ``ink_height`` (the height the run's glyphs
    should have, in pixels; passed when the band is too tall) picks a window of that height:
    with ``centred``, the one centred on the box (the detector centres its box on the run, and
    square CJK glyphs fill their line evenly), else the one holding the most ink.
    """
    h, w = ink.shape[:2]
    x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
    x1, y1 = min(w, int(np.ceil(box[2]))), min(h, int(np.ceil(box[3])))
    crop = ink[y0:y1, x0:x1]
    if crop.size == 0 or not crop.any():
        return (x0, y0, x1, y1)
    counts = crop.sum(axis=1)
    top, bottom = _own_rows(counts > BLANK_ROW_SHARE * counts.max())
    if ink_height is not None and bottom - top > ink_height:
        size = max(1, round(ink_height))
        top, bottom = (
            _centred_window(counts, top, bottom, size)
            if centred
            else _densest_window(counts, top, bottom, size)
        )
    cols = np.flatnonzero(crop[top:bottom].any(axis=0))
    if cols.size == 0:
        return (x0, y0 + top, x1, y0 + bottom)
    return (x0 + int(cols[0]), y0 + top, x0 + int(cols[-1]) + 1, y0 + bottom)


def _centred_window(counts: np.ndarray, top: int, bottom: int, size: int) -> tuple[int, int]:
    """The ``size`` rows within ``[top, bottom)`` centred on the box's middle, trimmed to rows
    that hold ink. (The rows the line below pokes into can hold more ink than the run's own —
    the tops of a row of 艹, 宀, 竹 glyphs are nearly solid — so the densest window may slide
    onto them; the box's centre does not move.)"""
    start = round(len(counts) / 2 - size / 2)
    start = min(max(start, top), max(top, bottom - size))
    return _inked_rows(counts, start, min(bottom, start + size))


def _densest_window(counts: np.ndarray, top: int, bottom: int, size: int) -> tuple[int, int]:
    """The ``size`` rows within ``[top, bottom)`` holding the most ink (nearest the middle on a
    tie), trimmed to rows that hold ink."""
    sums = np.concatenate(([0], np.cumsum(counts[top:bottom])))
    if len(sums) - 1 <= size:
        return top, bottom
    totals = sums[size:] - sums[:-size]
    middle = (bottom - top - size) / 2
    best = max(range(len(totals)), key=lambda i: (int(totals[i]), -abs(i - middle)))
    return _inked_rows(counts, top + best, top + best + size)


def _inked_rows(counts: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` trimmed to its first and last rows that hold ink."""
    inked = np.flatnonzero(counts[start:end] > BLANK_ROW_SHARE * counts.max())
    if inked.size == 0:
        return start, end
    return start + int(inked[0]), start + int(inked[-1]) + 1


def _own_rows(inked: np.ndarray) -> tuple[int, int]:
    """Row range (start, end) of the run's own ink band (see ``ink_extent``)."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], inked.astype(np.int8), [0]))))
    bands = list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))
    middle = len(inked) / 2

    def distance(band: tuple[int, int]) -> float:
        return max(0.0, band[0] - middle, middle - band[1])

    core = min(bands, key=distance)
    reach = 0.5 * (core[1] - core[0])
    kept = [
        b
        for b in bands
        if b == core
        or (b[0] > 0 and b[1] < len(inked) and b[0] - core[1] <= reach and core[0] - b[1] <= reach)
    ]
    return min(b[0] for b in kept), max(b[1] for b in kept)


def _ink_span_em(text: str, has_cjk: bool) -> tuple[float, float]:
    """Where the run's ink reaches, in em above (top) and below (bottom, negative) the baseline.

    CJK glyphs fill about -0.07..0.83 em; Latin text reaches the cap height (0.72) only with
    capitals, digits or ascenders, else the x-height (0.52), and descends 0.2 em only with
    descenders or commas.
    """
    if has_cjk:
        return CJK_INK_TOP_EM, CJK_INK_TOP_EM - CJK_INK_EM
    tall = any(c.isupper() or c.isdigit() or c in _ASCENDERS for c in text)
    deep = any(c in _DESCENDERS for c in text)
    return (CAP_HEIGHT_EM if tall else X_HEIGHT_EM), (-DESCENDER_EM if deep else 0.0)


def _run_ink(
    ink: np.ndarray, box: OcrBox, text: str, span: tuple[float, float], has_cjk: bool
) -> tuple[int, int, int, int]:
    """A run's ink box in pixels. The run's width over its characters' advances gives the em
    (CJK glyphs are square; Latin ones average half an em), and thereby the height its ink may
    have: a taller band means neighbouring lines were caught (see ``ink_extent``)."""
    extent = ink_extent(ink, box.box)
    advance = sum(char_weights(text)) - (CJK_SIDE_BEARING_EM if has_cjk else 0.0)
    advance = max(advance, 0.5)
    square = _cjk_share(text) >= SQUARE_SHARE
    for _ in range(2):  # the width itself shrinks once the neighbours' slivers are gone
        expected = (extent[2] - extent[0]) / advance * (span[0] - span[1])
        if extent[3] - extent[1] <= (TOO_TALL_CJK if square else TOO_TALL) * expected:
            break
        extent = ink_extent(ink, box.box, expected, centred=square)
    return extent


_STROKE_READINGS = ("1", "l", "I", "|")
"""What the recogniser makes of a lone "/" (a table's "not applicable"), which it rarely reads
right when the slash stands alone in a crop."""


def _cjk_share(text: str) -> float:
    visible = [c for c in text if not c.isspace()]
    return sum(is_cjk(c) for c in visible) / max(1, len(visible))


def _slants_up(glyph: np.ndarray) -> bool:
    """Whether a lone stroke's ink runs from bottom left to top right, as "/" does; "1", "l",
    "I" and "|" are upright (a 1's flag even tilts the other way)."""
    ys, xs = np.nonzero(glyph)
    if len(xs) < 8 or xs.std() == 0 or ys.std() == 0:
        return False
    return float(np.corrcoef(xs, ys)[0, 1]) < -SLASH_CORRELATION


def _measured_run(
    box: OcrBox, ink: np.ndarray
) -> tuple[str, tuple[float, float], tuple[int, int, int, int]] | None:
    """A recognised run's normalised text, the em span its ink covers (top, bottom) and its ink
    box in pixels; ``None`` if the run has no text. Shared by ``text_line`` and ``run_extent``
    so the box split measures a run exactly as the line built from it will."""
    text = normalise_ocr_text(box.text)
    if not text:
        return None
    has_cjk = any(is_cjk(c) for c in text)
    span = _ink_span_em(text, has_cjk)
    return text, span, _run_ink(ink, box, text, span, has_cjk)


def run_extent(box: OcrBox, ink: np.ndarray) -> tuple[tuple[int, int, int, int], float] | None:
    """A recognised run's ink box in pixels (as ``text_line`` measures it) and its em in pixels
    (the text size its ink height implies); ``None`` if the run has no text."""
    measured = _measured_run(box, ink)
    if measured is None:
        return None
    _, (top_em, bottom_em), extent = measured
    return extent, max(extent[3] - extent[1], 1) / (top_em - bottom_em)


def text_line(box: OcrBox, image: PageImage, ink: np.ndarray) -> TextLine | None:
    """A ``TextLine`` (PDF points, method OCR) from one recognised run; ``None`` if empty."""
    measured = _measured_run(box, ink)
    if measured is None:
        return None
    text, (top_em, bottom_em), extent = measured
    if text in _STROKE_READINGS and _slants_up(ink[extent[1] : extent[3], extent[0] : extent[2]]):
        text = "/"
    x0, ink_top, x1, ink_bottom = image.to_points(extent)
    size = max(ink_bottom - ink_top, 1.0) / (top_em - bottom_em)
    baseline = ink_bottom + bottom_em * size  # y grows downwards
    middle = baseline - EM_CENTRE * size
    bbox = (x0, middle - LINE_HEIGHT_EM * size / 2, x1, middle + LINE_HEIGHT_EM * size / 2)
    return TextLine(
        text=text,
        bbox=bbox,
        method=Method.OCR,
        confidence=round(box.confidence, 4),
        font_size=round(size, 2),
        char_boxes=char_boxes(text, bbox),
    )
