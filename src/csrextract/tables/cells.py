"""Fill a grid with text: split runs at cell borders, join wrapped lines, keep bullet items.

Conventions (shared with the golden data): wrapped lines are joined with no space between CJK
characters and one space between Latin words; bullet items stay separate in ``Cell.items`` with
their marker stripped and ``Cell.text`` is the items joined by a newline.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace

from csrextract.models import BBox, Cell, Method, TextLine
from csrextract.tables.geometry import center, font_size_of, height, share_width, union
from csrextract.tables.grid import CellBox, Grid

BULLET_RE = re.compile(
    r"^\s*(?:[•●○◦·▪■□◆◇◎►▶➢✓√※\ue000-\uf8ff]|[-–—](?=\s*\D)|\(?[（(]?\d{1,2}[.、)）](?!\d)|[①-⑳])\s*"
)
"""A list marker at the start of a line: bullet glyphs, dashes, ``1.`` ``1、`` ``(1)`` ``①``."""

_CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_SENTENCE_END = tuple("。；;！!？?")


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of a text line that lies in one cell."""

    text: str
    bbox: BBox
    line: TextLine


INNER_BULLET = re.compile(r"(?<=\S)\s*(?=[•●○◦▪■□◆◇►▶➢✓]\s*\S)")
"""Where a bullet glyph starts a new item inside a run: two list cells set so close together
that the text layer made one run of them (a middle dot ``·`` or a dash may be punctuation)."""


NUMBERED_START = re.compile(r"^\s*\d{1,2}[.、]\s*[^\d\s]")
INNER_NUMBER = re.compile(
    r"(?:(?<=[^\d\s.,%])\s+|(?<=[\u4e00-\u9fff]))(?=\d{1,2}[.、]\s*[^\d\s.,%])"
)
"""A numbered marker after a space inside a run that itself starts with one: two numbered
list cells side by side that the text layer (or OCR) read as one run, cut before the second
marker (``1. 用户体验提升 1. 用户访谈与调研``; OCR may drop the space after a CJK character:
``1. 员工权益保障1. Bytetalk``). A number after a space inside running text
(``共 3. ``) is no cut unless the run opens a numbered list."""


OCR_INNER_NUMBER = re.compile(r"(?<=[^\d\s.,%])\s+(?=\d{1,2}[.、]\s*[\u4e00-\u9fff])")
"""In an OCR'd run, a numbered marker after a space and before CJK text starts a list cell
whatever the run starts with: the recogniser reads a line across a narrow column gap as one
(``employee.csr@bytedance.com 3. 长期关注员工``); the text layer's runs stop at the gap."""


TRAILING_MARKER = re.compile(r"(?<=\S)\s*[•●○◦·▪■□◆◇►▶➢✓–—-]\s*$")
"""A list marker ending a run (a label set flush against the next cell's bullet)."""

MARKER_REACH_EM = 2.0
"""The run a trailing marker belongs to starts within this of the marker, on its baseline."""


def _same_baseline(a: TextLine, b: TextLine) -> bool:
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap > 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def hand_on_trailing_markers(lines: list[TextLine]) -> list[TextLine]:
    """A run ending in a list marker, with a run starting just right of the marker on its
    baseline, gives the marker to that run: it is that item's bullet, and the label it was run
    into ends where its text does, clear of the column gap. (A ``·`` ending a run with nothing
    right after it is left alone.)"""
    out = list(lines)
    for i, line in enumerate(out):
        match = TRAILING_MARKER.search(line.text)
        if match is None or len(line.char_boxes) != len(line.text):
            continue
        marker = line.char_boxes[len(line.text.rstrip()) - 1]
        reach = MARKER_REACH_EM * (line.font_size or (line.bbox[3] - line.bbox[1]))
        j = next(
            (
                j
                for j, other in enumerate(out)
                if j != i
                and _same_baseline(line, other)
                and marker[2] - 1 <= other.bbox[0] <= marker[2] + reach
            ),
            None,
        )
        if j is None:
            continue
        kept = line.char_boxes[: match.start()]
        glyph = line.text.rstrip()[-1]
        nxt = out[j]
        out[i] = replace(line, text=line.text[: match.start()], bbox=union(kept), char_boxes=kept)
        out[j] = replace(
            nxt,
            text=glyph + nxt.text,
            bbox=union([marker, nxt.bbox]),
            char_boxes=(marker, *nxt.char_boxes) if nxt.char_boxes else (),
        )
    return out


def split_at_bullets(lines: list[TextLine]) -> list[TextLine]:
    """Runs cut before every bullet glyph inside them, with boxes from their characters (a
    marker ending a run goes to the run it starts, ``hand_on_trailing_markers``)."""
    out: list[TextLine] = []
    for line in hand_on_trailing_markers(lines):
        cuts = [m.end() for m in INNER_BULLET.finditer(line.text) if m.end() > 0]
        if NUMBERED_START.match(line.text):
            cuts = sorted({*cuts, *(m.end() for m in INNER_NUMBER.finditer(line.text))})
        elif line.method is Method.OCR:
            cuts = sorted({*cuts, *(m.end() for m in OCR_INNER_NUMBER.finditer(line.text))})
        if not cuts:
            out.append(line)
            continue
        chars = (
            line.char_boxes
            if len(line.char_boxes) == len(line.text)
            else estimated_char_boxes(line)
        )
        if line.method is Method.OCR:
            chars = _with_bridged_gaps(line, chars, cuts)
        for a, b in zip([0, *cuts], [*cuts, len(line.text)], strict=True):
            text = line.text[a:b].rstrip()
            if not text.strip():
                continue
            boxes = chars[a : a + len(text)]
            out.append(
                replace(
                    line,
                    text=text,
                    bbox=union(boxes),
                    char_boxes=tuple(boxes) if line.char_boxes else (),
                )
            )
    return out


def set_as_heading(line: TextLine, body_size: float, factor: float) -> bool:
    """Whether ``line`` is set clearly larger than ``body_size`` (by ``factor``) and is not a
    list item: a bullet never starts a heading, and an OCR run's size — measured from its
    ink — can come out large when the next line's glyph tops touch it."""
    return line.font_size > factor * body_size and not BULLET_RE.match(line.text)


def is_wide(char: str) -> bool:
    """CJK and full-width characters: no space is put between them when lines are joined."""
    return bool(_CJK_RE.match(char))


def join_text(left: str, right: str) -> str:
    """Join two wrapped fragments: nothing between CJK, a single space between Latin words."""
    if not left:
        return right
    if not right:
        return left
    if is_wide(left[-1]) or is_wide(right[0]) or left.endswith(("-", "/")):
        return left + right
    return left + " " + right


BRIDGED_GAP_EM = 1.0
"""A column gap the recogniser read across with no space is about an em across (cell padding
on either side of the edge)."""


def _with_bridged_gaps(
    line: TextLine, chars: tuple[BBox, ...], cuts: list[int]
) -> tuple[BBox, ...]:
    """An OCR run's character boxes shared out again with a gap before each cut that has no
    space in front of it (``员工权益保障1. Bytetalk``): the recogniser read two cells across
    the column gap between them as one run, and boxes shared out over the characters alone
    put the second cell's start a gap's width too far left, in the first cell's column. Only
    shared-out boxes (each starting where the one before ends) are shared out again."""
    bridged = {c for c in cuts if 0 < c < len(line.text) and not line.text[c - 1].isspace()}
    size = line.font_size or height(line.bbox)
    if not bridged or len(chars) != len(line.text) or size <= 0:
        return chars
    if any(abs(b[0] - a[2]) > 0.01 for a, b in itertools.pairwise(chars)):
        return chars  # measured boxes: the gap is in them already
    spread: list[float] = []
    for i, box in enumerate(chars):
        if i in bridged:
            spread.append(BRIDGED_GAP_EM * size)
        spread.append(box[2] - box[0])
    boxes = share_width(line.bbox, spread)
    slots = {i + k for k, i in enumerate(sorted(bridged))}
    return tuple(b for j, b in enumerate(boxes) if j not in slots)


def estimated_char_boxes(line: TextLine) -> tuple[BBox, ...]:
    """Per-character boxes for a line without them (OCR): width shared out, CJK counting double."""
    return share_width(line.bbox, [2.0 if is_wide(ch) else 1.0 for ch in line.text])


def _row_boxes(grid: Grid, y: float) -> list[CellBox]:
    """Cells crossed by the horizontal line at ``y``, left to right."""
    return sorted((b for b in grid.boxes if b.bbox[1] <= y <= b.bbox[3]), key=lambda b: b.col)


def split_line(line: TextLine, grid: Grid, tol: float) -> list[tuple[Piece, CellBox]]:
    """Cut ``line`` where it crosses a cell border (using its character boxes)."""
    cx, cy = center(line.bbox)
    row = _row_boxes(grid, min(max(cy, grid.ys[0]), grid.ys[-1]))
    if not row:
        return []
    rights = [b.bbox[2] for b in row]
    first = row[min(bisect_right(rights, line.bbox[0] + tol), len(row) - 1)]
    last = row[min(bisect_right(rights, line.bbox[2] - tol), len(row) - 1)]
    if first is last or len(line.text) < 2:
        home = row[min(bisect_right(rights, cx), len(row) - 1)]
        return [(Piece(line.text.strip(), line.bbox, line), home)]
    chars = (
        line.char_boxes if len(line.char_boxes) == len(line.text) else estimated_char_boxes(line)
    )
    buckets: dict[int, list[int]] = {}
    for i, box in enumerate(chars):
        k = min(bisect_right(rights, (box[0] + box[2]) / 2), len(row) - 1)
        buckets.setdefault(k, []).append(i)
    pieces: list[tuple[Piece, CellBox]] = []
    for k, idx in sorted(buckets.items()):
        text = "".join(line.text[i] for i in idx).strip()
        if text:
            bbox = union(chars[i] for i in idx if not line.text[i].isspace())
            pieces.append((Piece(text, bbox, line), row[k]))
    return pieces


def _visual_rows(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces on one baseline, top to bottom, each row left to right.

    Pieces share a row when they overlap vertically by half a line and stand side by side:
    two pieces over the same columns are two rows however close their boxes came out (an OCR
    line box stretched by the glyph tops of the line below it).
    """
    rows: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: (center(p.bbox)[1], p.bbox[0])):
        if rows:
            last = rows[-1][-1].bbox
            overlap = min(last[3], piece.bbox[3]) - max(last[1], piece.bbox[1])
            if overlap > 0.5 * min(height(last), height(piece.bbox)) and _side_by_side(
                rows[-1], piece
            ):
                rows[-1].append(piece)
                continue
        rows.append([piece])
    return [sorted(r, key=lambda p: p.bbox[0]) for r in rows]


def _side_by_side(row: list[Piece], piece: Piece) -> bool:
    """No piece of ``row`` covers the same columns as ``piece`` (beyond half a line height)."""
    tol = 0.5 * height(piece.bbox)
    return all(min(p.bbox[2], piece.bbox[2]) - max(p.bbox[0], piece.bbox[0]) <= tol for p in row)


def _row_text(row: list[Piece]) -> str:
    text = ""
    for piece in row:
        text = join_text(text, piece.text)
    return text


BOX_ROOM_EM = 2.0
"""Room (em, beyond the next line's first word) left between a line's end and its cell box's
right edge that no wrap leaves: a wrapped line ends less than its next word short of the
measure, and the measure lies inside the box by the cell's padding (and, between columns
parted by whitespace, part of the gutter): together under about one em."""


def _starts_item_by_layout(
    prev: list[Piece], row: list[Piece], right: float, fs: float, box_right: float | None = None
) -> bool:
    """Unmarked list: the previous line ends a sentence well short of the cell's right edge —
    of how far the column's text reaches (``right``), or of the cell's box with room for the
    next line's first word to spare (a column whose items are all shorter than its measure:
    its longest line is an item, not a wrap)."""
    prev_text = _row_text(prev)
    text = _row_text(row)
    end = prev[-1].bbox[2]
    short = end < right - 1.5 * fs or (
        box_right is not None and box_right - end >= (BOX_ROOM_EM + _first_word_em(text)) * fs
    )
    return short and prev_text.endswith(_SENTENCE_END) and bool(text)


INDENT_TOL_EM = 0.05
"""Left edges within this of each other are one indent (text set flush: a typesetter's exact
positions, not an OCR box's jitter, which makes no two-level pattern at all)."""
MIN_INDENT_EM = 0.1
MAX_INDENT_EM = 1.5
"""An item's first line set this much right of its wrapped lines: a first-line indent (a
bullet glyph the font lacks still advances the pen). Not the other way round: a centred
paragraph's short last line also starts right of the others."""


MIN_INDENTED_ITEMS = 2
"""Items after the first that start at its indent, without sentence ends, for the indent alone
to mark items (a list of short phrases): one could be a centred paragraph's equal lines."""


def column_indent(rows_by_cell: list[list[list[Piece]]], fs: float) -> float | None:
    """Where a column's items start when its cells show a first-line indent: the first rows of
    most cells (a header cell aside) at one x, and their wrapped rows at one x a little left of
    it."""
    firsts = [rows[0][0].bbox[0] for rows in rows_by_cell if rows]
    if not firsts:
        return None
    first = max(firsts, key=lambda x: sum(abs(y - x) <= INDENT_TOL_EM * fs for y in firsts))
    mine = [
        rows
        for rows in rows_by_cell
        if rows and abs(rows[0][0].bbox[0] - first) <= INDENT_TOL_EM * fs
    ]
    if len(mine) < 2 or 3 * len(mine) < 2 * len(firsts):
        return None  # most cells (a header cell aside) start at one x
    lefts = [r[0].bbox[0] for rows in mine for r in rows[1:]]
    wraps = [x for x in lefts if MIN_INDENT_EM * fs <= first - x <= MAX_INDENT_EM * fs]
    if not wraps or max(wraps) - min(wraps) > INDENT_TOL_EM * fs:
        return None
    if any(abs(x - first) > INDENT_TOL_EM * fs and x not in wraps for x in lefts):
        return None
    return first


def _indent_starts(
    rows: list[list[Piece]], fs: float, item_left: float | None = None
) -> list[bool]:
    """Per visual row: it starts a list item by its first-line indent. The cell's rows start at
    exactly two left edges, its first row at the right one with at least one other, the rows
    at the left one are wrapped lines, and each indented row follows one that ends a sentence
    (or ``MIN_INDENTED_ITEMS`` rows are indented): the rows at the first row's edge start
    items."""
    no = [False] * len(rows)
    lefts = [r[0].bbox[0] for r in rows]
    first = lefts[0]
    if item_left is not None and all(abs(x - item_left) <= INDENT_TOL_EM * fs for x in lefts):
        # no wrap in this cell, but the column's wraps start further left: every row that
        # follows a sentence end starts an item
        return [i > 0 and _row_text(rows[i - 1]).endswith(_SENTENCE_END) for i in range(len(rows))]
    if len(rows) < 3:
        return no
    other = [x for x in lefts if abs(x - first) > INDENT_TOL_EM * fs]
    if not other or max(other) - min(other) > INDENT_TOL_EM * fs:
        return no
    if not MIN_INDENT_EM * fs <= first - other[0] <= MAX_INDENT_EM * fs:
        return no  # wrapped lines further right: a hanging indent, or a centred paragraph
    starts = [i > 0 and abs(x - first) <= INDENT_TOL_EM * fs for i, x in enumerate(lefts)]
    if not any(starts):
        return no
    sentences = all(
        _row_text(rows[i - 1]).endswith(_SENTENCE_END) for i, s in enumerate(starts) if s
    )
    return starts if sentences or sum(starts) >= MIN_INDENTED_ITEMS else no


def cell_items(
    pieces: list[Piece],
    column_right: float | None = None,
    item_left: float | None = None,
    box_right: float | None = None,
) -> tuple[str, list[str]]:
    """Text and bullet items of one cell from its pieces.

    ``column_right`` is how far the text of the cell's column reaches in any row: the measure
    lines wrap at. A cell's own longest line may be a whole item that stops short of it, so an
    unmarked item ending there with a full stop still ends its item. ``item_left`` is where
    the column's items start when its wrapped lines start further left (``column_indent``).
    ``box_right`` is the right edge of the cell's box (see :func:`_starts_item_by_layout`).
    """
    rows = _visual_rows(pieces)
    if not rows:
        return "", []
    texts = [_row_text(r) for r in rows]
    marked = [bool(BULLET_RE.match(t)) and bool(BULLET_RE.sub("", t, count=1)) for t in texts]
    if any(marked):
        starts = marked
        starts[0] = True
    else:
        right = max([p.bbox[2] for p in pieces] + ([column_right] if column_right else []))
        fs = font_size_of(p.line for p in pieces)
        indented = _indent_starts(rows, fs, item_left)
        starts = [
            i == 0
            or indented[i]
            or _starts_item_by_layout(rows[i - 1], rows[i], right, fs, box_right)
            for i in range(len(rows))
        ]
        if sum(starts) < 2:
            return _join_all(texts), []
    items: list[str] = []
    for text, start, mark in zip(texts, starts, marked, strict=True):
        clean = BULLET_RE.sub("", text, count=1).strip() if mark else text
        if start or not items:
            items.append(clean)
        else:
            items[-1] = join_text(items[-1], clean)
    items = [i for i in items if i]
    return "\n".join(items), items


WRAP_SLACK_EM = 0.8
"""A visual line ending closer than this (em) plus the width of the next line's first word to
the cell's right edge was wrapped by the layout; one ending further left was broken by the
author. 0.8 em is the cell padding a typesetter leaves (Word's default is about half an em)."""


def _first_word_em(text: str) -> float:
    """Width in em of a line's first word: one for a CJK character, half per Latin letter."""
    if not text or is_wide(text[0]):
        return 1.0
    return 0.5 * len(text.split()[0]) if text.split() else 0.0


def hard_lines(pieces: list[Piece], right: float) -> list[str]:
    """The cell's lines as the author broke them: visual lines joined across wraps.

    ``right`` is the right edge of the cell's box; a line is a wrap when the next line's first
    word would not have fitted in the room left at its end.
    """
    rows = _visual_rows(pieces)
    if not rows:
        return []
    fs = font_size_of(p.line for p in pieces)
    lines: list[str] = []
    previous_end = right
    for row in rows:
        text = _row_text(row)
        room = right - previous_end
        if lines and room < (WRAP_SLACK_EM + _first_word_em(text)) * fs:
            lines[-1] = join_text(lines[-1], text)
        else:
            lines.append(text)
        previous_end = row[-1].bbox[2]
    return [ln.strip() for ln in lines if ln.strip()]


def _join_all(texts: list[str]) -> str:
    out = ""
    for t in texts:
        out = join_text(out, t)
    return out


def overflows(line: TextLine, lines: Iterable[TextLine]) -> bool:
    """Another run on ``line``'s baseline starts inside it: ``line`` runs on under the next
    column's text (a long unbreakable word, an e-mail address, set wider than its column), so
    it belongs to the cell it starts in and spans nothing."""
    return any(
        other is not line
        and _same_baseline(line, other)
        and line.bbox[0] < other.bbox[0] < line.bbox[2]
        for other in lines
    )


def fill_cells(grid: Grid, lines: list[TextLine], page_number: int) -> list[Cell]:
    """One ``Cell`` per grid box, with the text of the lines (or parts of lines) inside it."""
    tol = 0.3 * font_size_of(lines)
    by_box: dict[int, list[Piece]] = {}
    index = {id(b): i for i, b in enumerate(grid.boxes)}
    for line in lines:
        parts = split_line(line, grid, tol)
        if len(parts) > 1 and overflows(line, lines):
            home = parts[0][1]  # all of it belongs where it starts
            parts = [(Piece(line.text.strip(), line.bbox, line), home)]
        for piece, box in parts:
            if piece.text:
                by_box.setdefault(index[id(box)], []).append(piece)
    reach: dict[tuple[int, int], float] = {}  # a column's text measure, over all rows
    for i, box in enumerate(grid.boxes):
        for p in by_box.get(i, []):
            key = (box.col, box.col_span)
            reach[key] = max(reach.get(key, p.bbox[2]), p.bbox[2])
    fs = font_size_of(lines)
    by_column: dict[tuple[int, int], list[list[list[Piece]]]] = {}
    for i, box in enumerate(grid.boxes):
        if by_box.get(i):
            by_column.setdefault((box.col, box.col_span), []).append(_visual_rows(by_box[i]))
    indents = {
        key: left
        for key, cells in by_column.items()
        if (left := column_indent(cells, fs)) is not None
    }
    cells: list[Cell] = []
    for i, box in enumerate(grid.boxes):
        pieces = by_box.get(i, [])
        key = (box.col, box.col_span)
        text, items = cell_items(pieces, reach.get(key), indents.get(key), box.bbox[2])
        src = [p.line for p in pieces]
        cells.append(
            Cell(
                row=box.row,
                col=box.col,
                text=text,
                row_span=box.row_span,
                col_span=box.col_span,
                items=items,
                page=page_number,
                bbox=box.bbox,
                method=Method.OCR if any(ln.method is Method.OCR for ln in src) else Method.TEXT,
                confidence=min((ln.confidence for ln in src), default=1.0),
                lines=hard_lines(pieces, box.bbox[2]),
            )
        )
    return cells
