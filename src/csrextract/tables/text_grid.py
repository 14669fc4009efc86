"""Rows, columns and merged cells from text positions — shared by every strategy whose drawing
does not give the whole grid (filled bands, three-line rules, plain aligned text).

Pure functions on ``TextLine`` boxes: ``line_bands → row_edges`` (rows), ``column_edges``
(columns from vertical whitespace), ``spans_from_text`` (colspans from runs crossing a column gap
or labels centred over empty neighbours; rowspans from labels straddling a row edge or centred
over empty rows below and above).

Rows: ``group_rows`` joins wrapped lines and bullet lists to their row and ignores labels
floating beside several rows; ``label_rows`` splits a drawn row where separate labels share one
list; ``split_multilevel`` finds header levels (group labels). Columns: ``merge_island_columns``
drops a column made only by figures centred over two columns. Spans: ``_hierarchy_colspans``
lets a group without items take its items' column (an index's chapter without sections).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import numpy as np

from csrextract.baselines import line_bands as line_bands
from csrextract.models import BBox, TextLine
from csrextract.tables.cells import BULLET_RE, overflows
from csrextract.tables.geometry import center, height

Span = tuple[int, int, int, int]


def band_box(band: list[TextLine]) -> tuple[float, float]:
    return min(ln.bbox[1] for ln in band), max(ln.bbox[3] for ln in band)


def gap_threshold(gaps: list[float], fs: float) -> float | None:
    """Split between line leading and row spacing when the gaps fall into two groups.

    Returns the threshold (gaps above it separate rows) or ``None`` when all gaps look alike.
    """
    ordered = sorted(g for g in gaps if g > -0.5 * fs)
    best, where = 1.0, None
    for small, big in itertools.pairwise(ordered):
        ratio = (big + 0.15 * fs) / (max(small, 0.0) + 0.15 * fs)
        if ratio > best and big - small > 0.25 * fs:
            best, where = ratio, (small + big) / 2
    return where if best >= 1.6 else None


def _occupied(band: list[TextLine], xs: list[float]) -> set[int]:
    cols = set()
    for ln in band:
        cx = center(ln.bbox)[0]
        cols.add(int(np.searchsorted(xs, cx)) - 1)
    return cols


def group_rows(
    bands: list[list[TextLine]], xs: list[float], fs: float
) -> list[list[list[TextLine]]]:
    """Bands grouped into table rows: a wrapped cell's continuation lines join the row above.

    A label floating beside running text (vertically centred over several rows) takes no part:
    its band would split a row gap in two. It is placed in the grid later, by its position.
    """
    labels = spanning_labels(bands, xs, fs)
    if labels:
        kept = [[ln for ln in b if not any(ln is x for x in labels)] for b in bands]
        bands = [b for b in kept if b] or bands
    bands = [b for b in bands if not _floating(b, bands, xs)] or bands
    if not bands:
        return []
    gaps = [band_gap(a, b, xs) for a, b in itertools.pairwise(bands)]
    thr = gap_threshold(gaps, fs)
    n_cols = max(len(xs) - 1, 1)
    measure = column_measures([ln for b in bands for ln in b], xs, fs)
    rows = [[bands[0]]]
    for i, band in enumerate(bands[1:]):
        gap = gaps[i]
        prev = set().union(*(_occupied(b, xs) for b in rows[-1]))
        cur = _occupied(band, xs)
        # a line close under a row, in fewer of its columns, wraps a cell of that row (box
        # heights differ between fonts, so the gap alone can mislead)
        wraps = gap < 0.45 * fs and cur < prev and len(cur) <= max(n_cols // 2, 1)
        wraps = wraps and not starts_fresh(rows[-1], band, xs, fs)
        # ... unless it follows, further than the lines' leading, sentences that ended there
        wraps = wraps and not (
            thr is not None and gap >= thr and ends_sentences(rows[-1], band, xs)
        )
        wraps = wraps or gap < -0.25 * fs  # overlapping boxes: rows never overlap
        wraps = wraps or (gap < RUN_ON_GAP_EM * fs and runs_on(rows[-1], band, xs))
        wraps = wraps or label_beside_wrap(rows[-1], band, xs, fs)
        wraps = wraps or (gap < WRAP_GAP_SHARE * fs and wraps_list_item(rows[-1], band, xs))
        if thr is not None:
            joins = gap < thr or wraps
        else:
            joins = wraps or (
                gap < fs
                and (
                    continues_lists(rows[-1], band, xs, fs)
                    or continues_wrapped(rows[-1], band, xs, fs, measure)
                )
            )
        if joins:
            rows[-1].append(band)
        else:
            rows.append([band])
    return rows


FRESH_CELL_EM = 1.0
"""A column whose text ended at least a blank line (this many em) above a line has nothing
there for the line to wrap: it starts a new cell."""


MIN_FRESH_CELLS = 2
"""Cells that must start together on one baseline to open a row by themselves: a single line
after a blank may be a cell's second paragraph beside a taller neighbour."""


def starts_fresh(
    row: list[list[TextLine]], band: list[TextLine], xs: list[float], fs: float
) -> bool:
    """``band`` starts two cells or more, each under a column whose text in ``row`` ended a
    blank line or more above it: the band starts new cells (the next row of a table whose rows
    are set at the pitch of its lines, under the tallest cell of the row before), it wraps none
    of them — however few of the row's columns it fills."""
    if len({_index(xs, center(ln.bbox)[0]) for ln in band}) < MIN_FRESH_CELLS:
        return False
    last = _last_line_per_column(row, xs)
    for ln in band:
        above = last.get(_index(xs, center(ln.bbox)[0]))
        if above is None or ln.bbox[1] - above.bbox[3] < FRESH_CELL_EM * fs:
            return False
    return bool(band)


WRAP_GAP_SHARE = 0.45
"""Lines closer than this (em) under a row are set at its leading, not a row's padding apart."""


def wraps_list_item(row: list[list[TextLine]], band: list[TextLine], xs: list[float]) -> bool:
    """A line of ``band`` carries on, without a marker of its own, a bullet item of ``row``
    whose last line did not end a sentence: the item wrapped there, so the band (a label
    wrapped beside it included) is still the row's; a new row's item opens with its marker."""
    last: dict[int, TextLine] = {}
    lists: set[int] = set()
    for ln in (ln for b in row for ln in b):
        col = _index(xs, center(ln.bbox)[0])
        lists |= {col} if BULLET_RE.match(ln.text) else set()
        if col not in last or ln.bbox[1] > last[col].bbox[1]:
            last[col] = ln
    return any(
        col in lists
        and not BULLET_RE.match(ln.text)
        and not last[col].text.rstrip().endswith(_ENDS_SENTENCE)
        for ln in band
        for col in [_index(xs, center(ln.bbox)[0])]
    )


def band_gap(upper: list[TextLine], lower: list[TextLine], xs: list[float]) -> float:
    """The whitespace between two baselines, measured inside the columns both have text in
    (the smallest there), else between the bands' boxes: a label set off its neighbours'
    baseline (centred beside a wrapped cell) joins a band it only half shares, and would
    otherwise make that band touch the line above."""
    bottoms: dict[int, float] = {}
    for ln in upper:
        col = _index(xs, center(ln.bbox)[0])
        bottoms[col] = max(bottoms.get(col, ln.bbox[3]), ln.bbox[3])
    tops: dict[int, float] = {}
    for ln in lower:
        col = _index(xs, center(ln.bbox)[0])
        tops[col] = min(tops.get(col, ln.bbox[1]), ln.bbox[1])
    shared = [tops[c] - bottoms[c] for c in tops.keys() & bottoms.keys()]
    if shared:
        return min(shared)
    return band_box(lower)[0] - band_box(upper)[1]


def _last_line_per_column(row: list[list[TextLine]], xs: list[float]) -> dict[int, TextLine]:
    """Column index → the lowest line of ``row`` in that column (where its text ends so far)."""
    last: dict[int, TextLine] = {}
    for ln in (ln for b in row for ln in b):
        col = _index(xs, center(ln.bbox)[0])
        if col not in last or ln.bbox[1] > last[col].bbox[1]:
            last[col] = ln
    return last


def ends_sentences(row: list[list[TextLine]], band: list[TextLine], xs: list[float]) -> bool:
    """Each column ``band`` has text in ends its text in ``row`` with a sentence's end: the
    band starts new text there (the next item beside a label spanning rows), it wraps none."""
    last = _last_line_per_column(row, xs)
    cols = {_index(xs, center(ln.bbox)[0]) for ln in band}
    return all(c in last and last[c].text.rstrip().endswith(_ENDS_SENTENCE) for c in cols)


LEADING_EM = 0.45
"""Lines of one wrapped cell follow each other closer than this (em); rows keep further apart."""
BASELINE_EM = 0.15
"""Runs whose tops are this close (em) are set on one baseline."""
MAX_LABEL_LINES = 3
"""A row label wraps onto a few lines; a longer block at leading is a column of wrapped cells
whose rows are set close."""
ROW_GAP_EM = 0.1
"""Two rows beside a wrapped label are set at least this (em) further apart than its lines."""


def spanning_labels(bands: list[list[TextLine]], xs: list[float], fs: float) -> list[TextLine]:
    """Lines of wrapped labels spanning rows: a block of lines at leading in the first column that
    starts in the gap between two rows of the other columns (centred over the rows it spans),
    or whose lines stand beside two rows of text in two columns or more (set at the top of
    the rows it spans, its wrapped line on the next row's baseline). Grouping rows without
    them keeps them from joining those rows; they are placed later, by position."""
    lines = sorted((ln for b in bands for ln in b), key=lambda ln: ln.bbox[1])
    out: list[TextLine] = []
    for col in range(min(len(xs) - 1, 1)):  # row labels: the first column
        own = [ln for ln in lines if _index(xs, center(ln.bbox)[0]) == col]
        rest = [ln for ln in lines if _index(xs, center(ln.bbox)[0]) != col]
        blocks: list[list[TextLine]] = []
        for ln in own:
            last = blocks[-1][-1] if blocks else None
            if (
                last is not None
                and 0 <= ln.bbox[1] - last.bbox[3] < LEADING_EM * fs
                and min(ln.bbox[2], last.bbox[2]) > max(ln.bbox[0], last.bbox[0])
            ):
                blocks[-1].append(ln)
            else:
                blocks.append([ln])
        for block in (part for b in blocks for part in _even_parts(b, fs)):
            if 2 <= len(block) <= MAX_LABEL_LINES and _spans_rows(block, rest, xs, fs):
                out += block
    return out


def _even_parts(block: list[TextLine], fs: float) -> list[list[TextLine]]:
    """``block`` cut where its lines are set further apart than its closest two: one label's
    lines keep one leading, two labels of rows set close do not."""
    gaps = [b.bbox[1] - a.bbox[3] for a, b in itertools.pairwise(block)]
    if not gaps:
        return [block]
    least = min(gaps)
    parts = [[block[0]]]
    for gap, line in zip(gaps, block[1:], strict=True):
        if gap > least + BASELINE_EM * fs:
            parts.append([line])
        else:
            parts[-1].append(line)
    return parts


def _spans_rows(block: list[TextLine], rest: list[TextLine], xs: list[float], fs: float) -> bool:
    top, bottom = block[0].bbox[1], block[-1].bbox[3]

    def overlaps(ln: TextLine, a: float, b: float) -> bool:
        return min(ln.bbox[3], b) - max(ln.bbox[1], a) > 0

    first = block[0]
    if not any(overlaps(ln, first.bbox[1], first.bbox[3]) for ln in rest):
        above = [ln for ln in rest if ln.bbox[3] <= first.bbox[1]]
        below = [ln for ln in rest if ln.bbox[1] >= first.bbox[3]]
        within = [ln for ln in rest if overlaps(ln, top, bottom)]
        # centred over rows: other columns' text right above it too (a label of an empty
        # row has the text of the row above well clear of it)
        close = any(first.bbox[1] - ln.bbox[3] < LEADING_EM * fs for ln in above)
        return bool(above) and bool(below) and bool(within) and close
    for ln in block[1:]:  # a line squeezed into the gap between two rows: across them
        if any(overlaps(o, ln.bbox[1], ln.bbox[3]) for o in rest):
            continue
        up = [o.bbox[3] for o in rest if o.bbox[3] <= ln.bbox[1]]
        down = [o.bbox[1] for o in rest if o.bbox[1] >= ln.bbox[3]]
        if (
            up
            and down
            and ln.bbox[1] - max(up) < LEADING_EM * fs
            and min(down) - ln.bbox[3] < LEADING_EM * fs
        ):
            return True
    if any(  # each line on a row's baseline: labels of rows set close, not one label
        abs(ln.bbox[1] - o.bbox[1]) <= BASELINE_EM * fs for ln in block[1:] for o in rest
    ):
        return False
    beside = line_bands([ln for ln in rest if top <= center(ln.bbox)[1] <= bottom])
    full = [b for b in beside if len({_index(xs, center(ln.bbox)[0]) for ln in b}) >= 2]
    leading = max(b.bbox[1] - a.bbox[3] for a, b in itertools.pairwise(block))
    return any(  # rows further apart than the block's own lines: it stands beside two rows
        min(ln.bbox[1] for ln in b) - max(ln.bbox[3] for ln in a) > leading + ROW_GAP_EM * fs
        for a, b in itertools.pairwise(full)
    )


def label_beside_wrap(
    row: list[list[TextLine]], band: list[TextLine], xs: list[float], fs: float
) -> bool:
    """``band`` goes on with the row's wrapped cells (each of its lines in a column the row
    has text in starts flush under that column's last line, at leading) and brings text only
    to columns still empty in the row: a label centred beside the wrapped cell (``关于本报告``
    beside three lines of codes), not the next row."""
    last = _last_line_per_column(row, xs)
    shared = [ln for ln in band if _index(xs, center(ln.bbox)[0]) in last]
    new = [ln for ln in band if _index(xs, center(ln.bbox)[0]) not in last]
    if not shared or not new:
        return False
    for ln in shared:
        above = last[_index(xs, center(ln.bbox)[0])]
        gap = ln.bbox[1] - above.bbox[3]
        if not (0 <= gap < LEADING_EM * fs and abs(ln.bbox[0] - above.bbox[0]) <= FLUSH_EM * fs):
            return False
    return True


FLUSH_EM = 0.3
"""Lines of one left-aligned cell start within this (em) of each other."""
RUN_ON_GAP_EM = 0.6
"""A line at most this far under a line that runs on (ends in a comma) is its continuation."""
_RUNS_ON = (",", "，", "、")


def runs_on(row: list[list[TextLine]], band: list[TextLine], xs: list[float]) -> bool:
    """A column's last line in ``row`` ends in a comma and ``band`` goes on in that column:
    a list (of codes, of places) wrapped there, whatever else the band holds (a label centred
    beside the wrapped cell)."""
    last = _last_line_per_column(row, xs)
    cols = {_index(xs, center(ln.bbox)[0]) for ln in band}
    return any(last[c].text.rstrip().endswith(_RUNS_ON) for c in cols if c in last)


def _floating(band: list[TextLine], bands: list[list[TextLine]], xs: list[float]) -> bool:
    """A label floating beside running text: a one-line band whose paragraph in its column
    (lines less than 1.5 line heights apart, at most three) is made of one-line bands only,
    with other columns' text reaching above and below it (a label centred beside a taller
    cell or over several rows)."""
    if len(band) != 1 or BULLET_RE.match(band[0].text):  # list items never float
        return False
    line = band[0]
    col = _index(xs, center(line.bbox)[0])
    alone = {id(b[0]) for b in bands if len(b) == 1}
    column = sorted(
        (ln for b in bands for ln in b if _index(xs, center(ln.bbox)[0]) == col),
        key=lambda ln: ln.bbox[1],
    )
    i = next(k for k, ln in enumerate(column) if ln is line)
    lo = hi = i
    while lo > 0 and column[lo].bbox[1] - column[lo - 1].bbox[3] < 1.5 * height(line.bbox):
        lo -= 1
    while hi + 1 < len(column) and column[hi + 1].bbox[1] - column[hi].bbox[3] < 1.5 * height(
        line.bbox
    ):
        hi += 1
    block = column[lo : hi + 1]
    if len(block) > 3 or any(id(ln) not in alone for ln in block):
        return False
    top, bottom = block[0].bbox[1], max(ln.bbox[3] for ln in block)
    others = [ln for b in bands for ln in b if _index(xs, center(ln.bbox)[0]) != col]
    return any(ln.bbox[1] < top for ln in others) and any(ln.bbox[3] > bottom for ln in others)


WRAP_SLACK_EM = 1.5
"""A line ending within this of its column's measure filled it: its text wrapped (a CJK line
breaks anywhere, so it stops less than a character and the cell padding short)."""
_FIGURE = re.compile(r"^[\s\d.,%+\-−~<>≤≥]+$")
"""A bare figure is a value of its own row, never the wrapped end of a cell above."""
_ENDS_SENTENCE = ("。", "；", ";", "！", "？", "!", "?")


TIGHT_COLUMN_EM = 2.0
"""A column shows a measure when its widest line comes this close to the next column's text
(or the table's edge): the column is as wide as its text, so a longer line had to wrap. The
widest of some one-line cells in a roomy column says nothing about wrapping."""


def column_measures(lines: list[TextLine], xs: list[float], fs: float) -> dict[int, float]:
    """Where each column's text wraps (its measure), for the columns whose lines show one.

    The measure is the reach of the lines set flush with the column's leftmost one: a run
    starting well inside the column is another column's text that whitespace could not part
    from it (a column empty but for one entry, set close to this one), and says nothing about
    where this column's lines wrap. (A centred or right-set column's widest line is also its
    leftmost, so its measure stays its widest line.)"""
    by_col: dict[int, list[TextLine]] = {}
    for ln in lines:
        by_col.setdefault(_index(xs, center(ln.bbox)[0]), []).append(ln)
    out = {}
    for col, col_lines in by_col.items():
        left = min(ln.bbox[0] for ln in col_lines)
        reach = max(ln.bbox[2] for ln in col_lines if ln.bbox[0] <= left + FLUSH_EM * fs)
        after = by_col.get(col + 1)
        boundary = min(ln.bbox[0] for ln in after) if after else xs[-1]
        if boundary - reach <= TIGHT_COLUMN_EM * fs or _fills_repeatedly(col_lines, reach, fs):
            out[col] = reach
    return out


MEASURE_LINES = 2
"""Lines of a column ending at its widest line's end (within ``MEASURE_SLACK_EM``), each with
another line right under it, that show the column wraps there however roomy it is."""
MEASURE_SLACK_EM = 1.0
SHORT_LINE_EM = 0.5
"""A line ending this far short of the measure ends a paragraph (a CJK line wraps within a
character of it)."""


def _fills_repeatedly(lines: list[TextLine], reach: float, fs: float) -> bool:
    """Most lines of the column end at its measure with a line of it set right under them (at
    the leading), and some line ends short of it (a paragraph's end): wrapped paragraphs,
    however roomy the column, not one-line items as long as one another."""
    ordered = sorted(lines, key=lambda ln: ln.bbox[1])
    full = 0
    for a, b in itertools.pairwise(ordered):
        under = -0.5 * fs <= b.bbox[1] - a.bbox[3] < 0.6 * fs and abs(b.bbox[0] - a.bbox[0]) <= fs
        full += under and a.bbox[2] >= reach - MEASURE_SLACK_EM * fs
    short = any(ln.bbox[2] < reach - SHORT_LINE_EM * fs for ln in lines)
    return full >= MEASURE_LINES and 2 * full >= len(lines) and short


LEAD_CHARS = 3


def _same_lead(first: str, line: str) -> bool:
    """``line`` opens like the cell's first line (``SDG 9`` under ``SDG 8: …``, ``GRI``
    under ``GRI``): a new entry of a key column, not the wrapped end of the one above."""
    a, b = first.strip()[:LEAD_CHARS], line.strip()[:LEAD_CHARS]
    return len(a) == LEAD_CHARS and a == b


def continues_wrapped(
    row: list[list[TextLine]],
    band: list[TextLine],
    xs: list[float],
    fs: float,
    measure: dict[int, float],
) -> bool:
    """Every line of ``band`` carries on the text of its column in ``row``, set at line spacing.

    A line continues when the row's last line in its column filled the column's measure
    without ending a sentence (the text wrapped there), or when that column holds a bullet list
    and the line is its next item or a wrapped one. A row's first line in an empty column, a
    new item in a column without a list or a line under a short line is a new row: where the
    rows of a table are set at the pitch of its lines, only wrapping says which lines go on.
    """
    markers = {
        _index(xs, center(ln.bbox)[0])
        for b in row
        for ln in b
        if BULLET_RE.match(ln.text) or MARKER_ONLY_RE.match(ln.text)
    }
    last: dict[int, TextLine] = {}
    first: dict[int, TextLine] = {}
    for ln in (ln for b in row for ln in b if not MARKER_ONLY_RE.match(ln.text)):
        col = _index(xs, center(ln.bbox)[0])
        if col not in first or ln.bbox[1] < first[col].bbox[1]:
            first[col] = ln
        if col not in last or ln.bbox[1] > last[col].bbox[1]:
            last[col] = ln
    for ln in band:
        col = _index(xs, center(ln.bbox)[0])
        if col in markers:
            continue
        above, reach = last.get(col), measure.get(col)
        if above is None or reach is None or BULLET_RE.match(ln.text) or _FIGURE.match(ln.text):
            return False
        full = above.bbox[2] >= reach - WRAP_SLACK_EM * fs
        if _same_lead(first[col].text, ln.text):
            return False  # "SDG 9" under "SDG 8 …": the next entry, however full the line
        if not full or above.text.rstrip().endswith(_ENDS_SENTENCE):
            return False
    return bool(band)


def continues_lists(
    row: list[list[TextLine]], band: list[TextLine], xs: list[float], fs: float
) -> bool:
    """Every line of ``band`` goes on a bullet list that a cell of ``row`` started.

    A line continues a list when its column already holds a bullet item in this row and it is
    either the next item (starts with a marker) or a wrapped item (hanging indent: it starts
    right of the marker). Without this a cell holding a list becomes one row per item whenever
    the list's line spacing equals the table's row spacing.
    """
    markers: dict[int, float] = {}
    for ln in (ln for b in row for ln in b):
        if BULLET_RE.match(ln.text):
            col = _index(xs, center(ln.bbox)[0])
            markers[col] = min(markers.get(col, ln.bbox[0]), ln.bbox[0])
    if not markers:
        return False
    sure = 0
    for ln in band:
        left = markers.get(_index(xs, center(ln.bbox)[0]))
        if left is None or ln.bbox[0] < left - 0.3 * fs:
            return False
        sure += bool(BULLET_RE.match(ln.text)) or ln.bbox[0] > left + 0.3 * fs
    # a line flush with the markers but without one is an item whose marker OCR lost, as long
    # as another column of the band shows the lists going on
    return sure == len(band) or (sure >= 1 and len(band) >= 2)


def row_edges(rows: list[list[list[TextLine]]], top: float, bottom: float) -> list[float]:
    """Row boundaries: region top, midpoints of the whitespace between rows, region bottom."""
    extents = [(min(band_box(b)[0] for b in r), max(band_box(b)[1] for b in r)) for r in rows]
    edges = [top]
    for (_, a_bottom), (b_top, _) in itertools.pairwise(extents):
        edges.append((a_bottom + b_top) / 2)
    edges.append(bottom)
    return edges


def _coverage(lines: list[TextLine], left: int, size: int) -> np.ndarray:
    """Per x (1 pt bins from ``left``), how many bands (baselines) have text there.

    A run covers the bins it reaches half way into: rounding both ends outwards would take up
    to 2 pt off every gap, and a narrow gap (0.4 em of 9 pt type is 3.6 pt) would vanish."""
    coverage = np.zeros(size, dtype=np.int32)
    for band in line_bands(lines):
        mask = np.zeros(size, dtype=bool)
        for ln in band:
            a = max(int(np.floor(ln.bbox[0] + 0.5)) - left, 0)
            b = min(int(np.ceil(ln.bbox[2] - 0.5)) - left, size - 1)
            mask[a : b + 1] = True
        coverage += mask
    return coverage


def column_edges(
    lines: list[TextLine],
    x0: float,
    x1: float,
    fs: float,
    allowed_crossings: int = 0,
    avoid: list[TextLine] | None = None,
    spanning_labels: bool = False,
) -> list[float]:
    """Column boundaries at vertical whitespace crossed by at most ``allowed_crossings`` bands.

    Coverage is counted per band (a baseline) so a wrapped cell does not outweigh a row. Inside
    a body gap the edge goes where no ``avoid`` line (header labels, often wider than the body
    text) crosses it, when there is such a place, so a label centred over its column does not
    straddle an edge it only overhangs; a label centred over a gap is a group label and spans.
    Likewise a gap that a few long runs cross gets its edge beside them where possible.
    """
    left, right = int(np.floor(x0)), int(np.ceil(x1))
    if right - left < 2 or not lines:
        return [x0, x1]
    coverage = _coverage(lines, left, right - left + 1)
    free = coverage <= allowed_crossings
    min_gap = max(MIN_COLUMN_GAP_EM * fs, 3.0)
    narrow_gap = max(NARROW_COLUMN_GAP_EM * fs, 3.0)
    text_left = min(ln.bbox[0] for ln in lines) - left
    text_right = max(ln.bbox[2] for ln in lines) - left
    gaps = [
        (a, b)
        for start, stop in _runs(free)
        for a, b in _blank_parts(coverage, start, stop, min_gap)
        if b - a >= min_gap and a > text_left and b < text_right
    ]
    narrow = [  # a column set close to its neighbour, starting flush on several rows
        (a, b)
        for a, b in _runs(coverage == 0)
        if narrow_gap <= b - a < min_gap
        and a > text_left
        and b < text_right
        and not any(g0 <= a < g1 or g0 < b <= g1 for g0, g1 in gaps)
        and _starts_column([*lines, *(avoid or [])], left + b, fs)  # header runs count too
        and not _markers_before(lines, left + a)
    ]
    gaps = sorted(gaps + narrow)
    if spanning_labels:
        gaps = sorted(gaps + _label_gaps(lines, coverage, left, allowed_crossings, min_gap, gaps))
    overhanging = [ln for ln in avoid or [] if not _spans_a_gap(ln, avoid or [], gaps, left)]
    empty = coverage == 0
    clear = [empty & (_coverage(overhanging, left, right - left + 1) == 0), empty]
    return [
        x0,
        *(left + _edge_in(a, b, [*clear, _least_crossed(coverage, a, b)]) for a, b in gaps),
        x1,
    ]


MAX_LABEL_SHARE = 0.25
"""Labels centred over two columns (a merged cell's text) may cross the gap between them on up
to this share of the bands (plus the crossings allowed anyway): more is a column of text."""


LABEL_ROUNDS = 4
"""Rounds of setting labels aside and finding the gap without them (it settles in two)."""


def _label_gaps(
    lines: list[TextLine],
    coverage: np.ndarray,
    left: int,
    allowed: int,
    min_gap: float,
    found: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Gaps between two columns that labels of merged cells cross, each centred on the gap.

    In a borderless table a cell merged over two columns centres its text over both: the text
    sits across the gap between them. Where few bands have text, the lines centred in the gap
    are set aside; what they alone cover is a gap when one of them reaches over it from side
    to side (a centred label, not a column of short centred entries) and the other lines have
    text on both sides of it.
    """
    n_bands = len(line_bands(lines))
    low = coverage <= allowed + max(1, int(MAX_LABEL_SHARE * n_bands))
    out: list[tuple[int, int]] = []
    for start, stop in _runs(low):
        if stop - start < min_gap or any(a < stop and b > start for a, b in found):
            continue
        gap = _label_gap(lines, left, min_gap, (start, stop), len(coverage))
        if gap is not None:
            out.append(gap)
    return out


def _label_gap(
    lines: list[TextLine],
    left: int,
    min_gap: float,
    window: tuple[int, int],
    size: int,
) -> tuple[int, int] | None:
    """The gap inside ``window`` that only labels centred in it cover (``_label_gaps``): the
    labels set aside are those centred in the gap found without them and reaching out of it,
    until that settles."""
    a, b = window
    labels = [ln for ln in lines if a <= center(ln.bbox)[0] - left <= b]
    for _ in range(LABEL_ROUNDS):
        others = [ln for ln in lines if not any(ln is x for x in labels)]
        if not labels or not others:
            return None
        free = _coverage(others, left, size) == 0
        runs = [
            (window[0] + p, window[0] + q)
            for p, q in _runs(free[window[0] : window[1]])
            if q - p >= min_gap
        ]
        widest = max(labels, key=lambda ln: ln.bbox[2] - ln.bbox[0])
        mid = center(widest.bbox)[0] - left
        inside = [(p, q) for p, q in runs if p <= mid <= q]
        if not inside:
            return None
        a, b = inside[0]
        x0, x1 = left + a, left + b
        inner = [ln for ln in labels if x0 <= center(ln.bbox)[0] <= x1]
        reaching = [ln for ln in inner if ln.bbox[0] < x0 or ln.bbox[2] > x1]
        if not reaching:
            return None
        axis = sorted(center(ln.bbox)[0] for ln in reaching)[len(reaching) // 2]
        kept = [  # a line inside the gap off the labels' axis is a column's own text
            ln for ln in inner if ln in reaching or abs(center(ln.bbox)[0] - axis) <= min_gap
        ]
        if len(kept) == len(labels):
            break
        labels = kept
    x0, x1 = left + a, left + b
    reaches = any(ln.bbox[0] < x0 and ln.bbox[2] > x1 for ln in labels)
    sides = any(ln.bbox[2] <= x0 for ln in others) and any(ln.bbox[0] >= x1 for ln in others)
    return (a, b) if reaches and sides else None


def same_gap(x: float, hint: float, lines: list[TextLine] | None) -> bool:
    """No text between ``x`` and ``hint`` (runs reaching over the hint, overflowing their
    cell, aside): a gap midpoint and a drawn edge in one gap are one column edge, the drawn
    one."""
    lo, hi = min(x, hint), max(x, hint)
    return not any(
        ln.bbox[0] < hi and ln.bbox[2] > lo and not ln.bbox[0] < hint < ln.bbox[2]
        for ln in lines or []
    )


MIN_COLUMN_GAP_EM = 0.6
"""Vertical whitespace this wide (over all rows) separates two columns."""
NARROW_COLUMN_GAP_EM = 0.25
"""A narrower gap separates columns only when text starts flush on its right edge in several
rows (a column set close to its neighbour in a narrow table), never a gap between words. A
CJK cell filled to its measure leaves only the two cells' padding (about 0.4 em), of which
the coverage's whole-point bins take up to a point; runs are parted only where the writer
set them apart (a word space inside a run never opens a gap), so the floor of three points
(``column_edges``) keeps it clear of glyph spacing."""
MIN_FLUSH_ROWS = 3


def _starts_column(lines: list[TextLine], x: float, fs: float) -> bool:
    """Runs on several baselines start flush at ``x`` (within a tenth of an em): on
    ``MIN_FLUSH_ROWS`` of them, or on two when no run starts just right of ``x`` out of line
    (a short table's column: every run there starts flush)."""
    tol = 0.1 * fs + 1.0
    flush = {round(center(ln.bbox)[1]) for ln in lines if abs(ln.bbox[0] - x) <= tol}
    if len(flush) >= MIN_FLUSH_ROWS:
        return True
    ragged = any(x + tol < ln.bbox[0] <= x + FLUSH_REACH_EM * fs for ln in lines)
    return len(flush) >= 2 and not ragged


FLUSH_REACH_EM = 2.0
"""How far right of a narrow gap a run starting out of line shows the gap is no column edge."""


def _markers_before(lines: list[TextLine], x: float) -> bool:
    """The runs ending at ``x`` are bare list markers: the gap is a list's hanging indent."""
    ending = [ln.text.strip() for ln in lines if x - 2.0 <= ln.bbox[2] <= x + 0.5]
    return bool(ending) and all(not BULLET_RE.sub("", f"{t} x").strip(" x") for t in ending)


def _spans_a_gap(
    line: TextLine, head: list[TextLine], gaps: list[tuple[int, int]], left: int
) -> bool:
    """A header label centred over a body gap is a group label over both columns when it
    reaches over the gap into the text on both sides, or when header labels under it stand on
    both sides of the gap (a level below). A label wider than its short, flush-left column
    can be centred over the gap beside it too; alone on its level and stopping short of the
    next column's text, it only overhangs its own column."""
    cx = center(line.bbox)[0] - left
    x0, x1 = line.bbox[0] - left, line.bbox[2] - left
    below = [center(ln.bbox)[0] - left for ln in head if ln.bbox[1] >= line.bbox[3] - 0.5]
    for a, b in gaps:
        if not a <= cx <= b:
            continue
        if (x0 < a and x1 > b) or (any(x < a for x in below) and any(x > b for x in below)):
            return True
    return False


def _blank_parts(
    coverage: np.ndarray, start: int, stop: int, min_gap: float
) -> list[tuple[int, int]]:
    """The truly blank stretches of a gap that a few bands may cross, else the whole gap.

    A sparse column (a few row labels) is itself crossed by few bands; without this its blank
    right-hand side would merge with it into one "gap" reaching the table's edge.
    """
    blank = [
        (start + a, start + b) for a, b in _runs(coverage[start:stop] == 0) if b - a >= min_gap
    ]
    return blank or [(start, stop)]


def _least_crossed(coverage: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Where the gap ``start..stop`` is crossed by the fewest bands: a gap that a few runs
    cross everywhere (a label spanning two columns, a wrapped label reaching its neighbour's
    text) gets its edge where it cuts the fewest of them, not in its middle."""
    mask = np.zeros_like(coverage, dtype=bool)
    if stop > start:
        part = coverage[start:stop]
        mask[start:stop] = part == part.min()
    return mask


def _edge_in(start: int, stop: int, preferences: list[np.ndarray]) -> float:
    """Middle of the widest part of the gap ``start..stop`` allowed by the first preference
    mask that allows any of it, else of the whole gap."""
    for mask in preferences:
        runs = _runs(mask[start:stop])
        if runs:
            a, b = max(runs, key=lambda r: r[1] - r[0])
            return start + (a + b) / 2
    return (start + stop) / 2


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of every run of True values."""
    padded = np.concatenate(([False], mask, [False]))
    diff = np.diff(padded.astype(np.int8))
    starts = np.flatnonzero(diff == 1)
    stops = np.flatnonzero(diff == -1)
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _index(edges: list[float], value: float) -> int:
    return min(max(int(np.searchsorted(edges, value)) - 1, 0), len(edges) - 2)


def spans_from_text(
    lines: list[TextLine],
    xs: list[float],
    ys: list[float],
    fs: float,
    header_rows: int = 0,
) -> list[Span]:
    """Merged cells implied by where the text sits (see module docstring)."""
    n_rows, _n_cols = len(ys) - 1, len(xs) - 1
    tol = 0.3 * fs
    placed: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for ln in floating_paragraphs(lines, xs):
        x0, top, x1, bottom = ln.bbox
        c0, c1 = _index(xs, x0 + tol), _index(xs, x1 - tol)
        if c1 > c0 and overflows(ln, lines):
            c1 = c0  # it runs on under the next column's text: no merged cell
        cy = (top + bottom) / 2
        r0 = r1 = _index(ys, cy)
        edge_inside = [
            k
            for k in range(1, n_rows)
            if top + 0.25 * height(ln.bbox) < ys[k] < bottom - 0.25 * height(ln.bbox)
        ]
        if edge_inside:
            r0, r1 = edge_inside[0] - 1, edge_inside[-1]
        key = (r0, c0)
        old = placed.get(key)
        if old is None or (old[2] - old[0], old[3] - old[1]) < (r1 - r0, c1 - c0):
            placed[key] = (r0, c0, r1, c1)
    spans = [(r0, c0, r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in placed.values()]
    spans = _drop_overlaps(spans)
    spans = _group_label_colspans(spans, n_rows, len(xs) - 1, header_rows)
    spans = _centred_colspans(spans, lines, xs, ys, fs)
    spans = _top_aligned_rowspans(spans, lines, xs, ys, header_rows, fs)
    spans = _centred_rowspans(spans, lines, xs, ys, fs, header_rows)
    spans = _hierarchy_colspans(spans, len(ys) - 1, len(xs) - 1, header_rows)
    return sorted(spans)


def floating_paragraphs(lines: list[TextLine], xs: list[float]) -> list[TextLine]:
    """``lines`` with each floating paragraph as one line box: the lines of one column set at
    tight leading (under :data:`WRAPPED_GAP` line heights apart) where none shares a baseline
    with text of another column, and other columns' text lies beside it above and below its
    middle — a wrapped label centred beside several rows, whose lines the row edges (set by the
    other columns) would otherwise cut into separate cells."""
    others: dict[int, list[TextLine]] = {}
    for ln in lines:
        others.setdefault(_index(xs, center(ln.bbox)[0]), []).append(ln)

    def floats(ln: TextLine, col: int) -> bool:
        return not any(
            _same_baseline(ln, o) for c, group in others.items() if c != col for o in group
        )

    def beside_rows(run: list[TextLine], col: int) -> bool:
        """Other columns' text lies beside the run both above and below its middle."""
        top, bottom = run[0].bbox[1], run[-1].bbox[3]
        pad, mid = height(run[0].bbox), (run[0].bbox[1] + run[-1].bbox[3]) / 2
        near = [
            center(o.bbox)[1]
            for c, group in others.items()
            if c != col
            for o in group
            if top - pad <= center(o.bbox)[1] <= bottom + pad
        ]
        return any(y < mid for y in near) and any(y > mid for y in near)

    def alone(run: list[TextLine], col: int) -> bool:
        """No other text of the run's column within a line of it: a label in a column that
        is empty beside it, not the end of one row's cell running into the next row's."""
        top, bottom, pad = run[0].bbox[1], run[-1].bbox[3], height(run[0].bbox)
        return not any(
            top - pad <= center(o.bbox)[1] <= bottom + pad and all(o is not r for r in run)
            for o in others[col]
        )

    def flush(run: list[TextLine], col: int, on_rows: bool) -> list[TextLine]:
        """One box for a run beside rows; a run of floating lines only where its column is
        otherwise empty (lines on rows' baselines already say which rows they belong to)."""
        merge = len(run) > 1 and beside_rows(run, col) and (on_rows or alone(run, col))
        return [_as_one(run)] if merge else run

    out: list[TextLine] = []
    for col, group in sorted(others.items()):
        run: list[TextLine] = []
        on_rows = False  # the run holds lines set on rows' baselines, tighter than the rows
        for ln in sorted(group, key=lambda ln: ln.bbox[1]):
            tight = run and ln.bbox[1] - run[-1].bbox[3] < WRAPPED_GAP * height(ln.bbox)
            tight = tight and not BULLET_RE.match(ln.text)  # a list item starts, never wraps
            if run and tight and floats(ln, col) and floats(run[-1], col):
                run.append(ln)
                continue
            if run and tight and _tighter_than_rows(run[-1], ln, col, others):
                run.append(ln)
                on_rows = True
                continue
            out.extend(flush(run, col, on_rows))
            run, on_rows = [ln], False
        out.extend(flush(run, col, on_rows))
    return out


TIGHTER_EM = 0.2
"""A column's two lines this much (in line heights) closer than the rows beside them are one
wrapped cell, not two rows."""


def _tighter_than_rows(
    upper: TextLine, lower: TextLine, col: int, by_col: dict[int, list[TextLine]]
) -> bool:
    """``lower`` wraps ``upper`` though each sits on a row's baseline: the rows beside them
    (other columns' lines on the same baselines) are set clearly further apart than these two
    lines, so the label's leading is not the rows' spacing."""
    beside = [o for c, group in by_col.items() if c != col for o in group]
    above = [o for o in beside if _same_baseline(o, upper)]
    below = [o for o in beside if _same_baseline(o, lower)]
    if not above or not below:
        return False
    rows_gap = min(b.bbox[1] for b in below) - max(a.bbox[3] for a in above)
    own_gap = lower.bbox[1] - upper.bbox[3]
    return rows_gap - own_gap > TIGHTER_EM * height(lower.bbox)


def _rows_apart(
    upper: TextLine, lower: TextLine, col: int, lines: list[TextLine], xs: list[float]
) -> bool:
    """Two lines of one column each sit on a row's baseline (other columns' text beside both)
    and the rows beside them are no further apart than they are: two rows set tight (a
    filled table's padding), not one label wrapped over a row edge."""
    by_col: dict[int, list[TextLine]] = {}
    for ln in lines:
        by_col.setdefault(_index(xs, center(ln.bbox)[0]), []).append(ln)
    beside = [o for c, group in by_col.items() if c != col for o in group]
    if not any(_same_baseline(o, upper) for o in beside):
        return False
    if not any(_same_baseline(o, lower) for o in beside):
        return False
    return not _tighter_than_rows(upper, lower, col, by_col)


def _as_one(run: list[TextLine]) -> TextLine:
    """A run of lines as one line box (the first line's text and style)."""
    if len(run) == 1:
        return run[0]
    box = (
        min(ln.bbox[0] for ln in run),
        min(ln.bbox[1] for ln in run),
        max(ln.bbox[2] for ln in run),
        max(ln.bbox[3] for ln in run),
    )
    return replace(run[0], bbox=box, char_boxes=())


def _group_label_colspans(
    spans: list[Span], n_rows: int, n_cols: int, header_rows: int
) -> list[Span]:
    """A header row of group labels over a row of item labels filling every column, where each
    group label is followed by the same number of empty cells: each label heads the empty cells
    after it (set at the start of its group, or centred over its first column, the label gives
    no other sign of its span; a label centred over a group is ``_centred_colspans``')."""
    out = list(spans)
    for r in range(min(max(header_rows, 1), n_rows - 2)):  # the top row, or header rows
        owner = _occupancy(out, n_rows, n_cols)
        if any(o == -1 for o in owner[r + 1]):
            continue  # the items must fill the row below
        labels = sorted(
            (i for i, s in enumerate(out) if s[0] == r and s[2] == 1 and s[3] == 1),
            key=lambda i: out[i][1],
        )
        if len(labels) < 2:
            continue
        first = out[labels[0]][1]
        if any(owner[r][c] == -1 for c in range(first)):
            continue  # an empty cell before the first group: not a row of groups
        widths = []
        for i in labels:
            c = out[i][1] + 1
            while c < n_cols and owner[r][c] == -1:
                c += 1
            widths.append(c - out[i][1])
        if len(set(widths)) != 1 or widths[0] < 2:
            continue
        for i in labels:
            rr, c, rs, _ = out[i]
            out[i] = (rr, c, rs, widths[0])
    return out


def _hierarchy_colspans(
    spans: list[Span], n_rows: int, n_cols: int, header_rows: int
) -> list[Span]:
    """In a two-level column pair (a group cell spanning the rows of its items to its right), a
    group with no items takes the items' column too: an index's chapter without sections."""
    owner = _occupancy(spans, n_rows, n_cols)
    groups = {c for r, c, rs, cs in spans if r >= header_rows and rs >= 2 and cs == 1}
    out = []
    for r, c, rs, cs in spans:
        right = c + cs
        if (
            c in groups
            and r >= header_rows
            and (rs, cs) == (1, 1)
            and right < n_cols
            and owner[r][right] == -1
        ):
            out.append((r, c, 1, 2))
        else:
            out.append((r, c, rs, cs))
    return out


def _drop_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the larger of two overlapping cells (a spanning run wins over a piece under it)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: -(s[2] * s[3])):
        if not any(_overlaps(span, k) for k in kept):
            kept.append(span)
    return kept


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _text_centre(
    span: Span, lines: list[TextLine], xs: list[float], ys: list[float]
) -> tuple[float, float]:
    r, c, rs, cs = span
    box = (xs[c], ys[r], xs[c + cs], ys[r + rs])
    inside = [
        ln
        for ln in lines
        if box[0] <= center(ln.bbox)[0] <= box[2] and box[1] <= center(ln.bbox)[1] <= box[3]
    ]
    if not inside:
        return center(box)
    return (
        (min(ln.bbox[0] for ln in inside) + max(ln.bbox[2] for ln in inside)) / 2,
        (min(ln.bbox[1] for ln in inside) + max(ln.bbox[3] for ln in inside)) / 2,
    )


def _occupancy(spans: list[Span], n_rows: int, n_cols: int) -> list[list[int]]:
    owner = [[-1] * n_cols for _ in range(n_rows)]
    for i, (r, c, rs, cs) in enumerate(spans):
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                owner[rr][cc] = i
    return owner


def _reach(owner: list[list[int]], cells: list[tuple[int, int]]) -> bool:
    return all(owner[r][c] == -1 for r, c in cells)


def _column_aligned(
    span: Span, lines: list[TextLine], xs: list[float], ys: list[float], fs: float
) -> bool:
    """The span's text starts where (nearly all) text of other rows in its column does: it is
    set flush with a left-aligned column, not centred over several."""
    r, c, rs, _ = span
    mine = [ln for ln in lines if _index(xs, center(ln.bbox)[0]) == c]
    own = [ln for ln in mine if r <= _index(ys, center(ln.bbox)[1]) < r + rs]
    others = [ln for ln in mine if ln not in own]
    if not own or not others:
        return False
    left = min(ln.bbox[0] for ln in own)
    flush = sum(1 for ln in others if abs(ln.bbox[0] - left) <= 0.3 * fs)
    return flush >= 1 and flush >= 0.75 * len(others)


def _centred_colspans(
    spans: list[Span], lines: list[TextLine], xs: list[float], ys: list[float], fs: float
) -> list[Span]:
    """A label centred over empty cells to its left and right spans them (a group header)."""
    out = list(spans)
    owner = _occupancy(out, len(ys) - 1, len(xs) - 1)
    for i, span in enumerate(out):
        r, c, rs, cs = span
        rows = range(r, r + rs)
        left = c
        while left > 0 and _reach(owner, [(rr, left - 1) for rr in rows]):
            left -= 1
        right = c + cs
        while right < len(xs) - 1 and _reach(owner, [(rr, right) for rr in rows]):
            right += 1
        if (left, right) == (c, c + cs) or _column_aligned(span, lines, xs, ys, fs):
            continue
        cx, _ = _text_centre(span, lines, xs, ys)
        centres = _column_centres(lines, xs, ys, rows)
        own = abs((xs[c] + xs[c + cs]) / 2 - cx)  # off the centre of its own cell
        best = span
        for a in range(left, c + 1):
            for b in range(c + cs, right + 1):
                tol = max(0.5 * fs, 0.08 * (xs[b] - xs[a]))
                off = abs((xs[a] + xs[b]) / 2 - cx)
                by_edges = off <= tol and off < own  # centred on its own cell: no span
                by_text = a in centres and b - 1 in centres and b - 1 > a
                if by_text:
                    by_text = abs((centres[a] + centres[b - 1]) / 2 - cx) <= 0.5 * fs
                if b - a > best[3] and (by_edges or by_text):
                    best = (r, a, rs, b - a)
        if best == span and cs == 1:
            best = _straddling(span, cx, centres, left, right, fs)
        out[i] = best
        for rr in rows:
            for cc in range(best[1], best[1] + best[3]):
                owner[rr][cc] = i
    return out


def _straddling(
    span: Span, cx: float, centres: dict[int, float], left: int, right: int, fs: float
) -> Span:
    """A one-column label pulled well off its column's text towards an empty neighbour column,
    lying between the two columns' text, spans both: edges from whitespace can leave a group
    label (and its figure) inside one column when it nearly touches that column's text."""
    r, c, rs, _ = span
    if c not in centres or abs(cx - centres[c]) <= fs:
        return span
    for a in (c - 1, c):
        pair = a >= left and a + 2 <= right and a in centres and a + 1 in centres
        if pair and centres[a] + fs < cx < centres[a + 1] - fs:
            return (r, a, rs, 2)
    return span


def _column_centres(
    lines: list[TextLine], xs: list[float], ys: list[float], skip_rows: range
) -> dict[int, float]:
    """Median centre x of each column's text outside ``skip_rows``. Edges found from whitespace
    are only estimates; a label centred over columns of centred figures is centred between
    their text."""
    found: dict[int, list[float]] = {}
    for ln in lines:
        cx, cy = center(ln.bbox)
        if _index(ys, cy) in skip_rows:
            continue
        c0, c1 = _index(xs, ln.bbox[0]), _index(xs, ln.bbox[2])
        if c0 == c1:
            found.setdefault(c0, []).append(cx)
    return {c: float(np.median(v)) for c, v in found.items()}


def _centred_rowspans(
    spans: list[Span],
    lines: list[TextLine],
    xs: list[float],
    ys: list[float],
    fs: float,
    header_rows: int,
) -> list[Span]:
    """A label centred over empty cells above and below it spans those rows."""
    out = list(spans)
    owner = _occupancy(out, len(ys) - 1, len(xs) - 1)
    for i, span in enumerate(out):
        r, c, rs, cs = span
        if r < header_rows:
            continue
        cols = range(c, c + cs)
        up = r
        while up > header_rows and _reach(owner, [(up - 1, cc) for cc in cols]):
            up -= 1
        down = r + rs
        while down < len(ys) - 1 and _reach(owner, [(down, cc) for cc in cols]):
            down += 1
        if (up, down) == (r, r + rs) or _starts_with_row(span, lines, xs, ys):
            continue
        _, cy = _text_centre(span, lines, xs, ys)
        best = span
        for a in range(up, r + 1):
            for b in range(r + rs, down + 1):
                mids: list[float | None] = [(ys[a] + ys[b]) / 2]
                if c == 0 and (a, b) == (up, down):  # a row label (the stub) centred beside
                    # all the rows between the labels above and below it (or the table's end)
                    mids.append(_beside_middle(lines, xs, ys, (a, b), cols))
                if b - a > best[2] and any(m and abs(m - cy) <= 0.4 * fs for m in mids):
                    best = (a, c, b - a, cs)
        out[i] = best
        for rr in range(best[0], best[0] + best[2]):
            for cc in cols:
                owner[rr][cc] = i
    return out


TALL_CELL_LINES = 3
"""A cell of this many lines starting on its row's first baseline is set at the row's top (a
label of a line or two centred over rows may sit on a row's baseline by chance)."""


def _starts_with_row(span: Span, lines: list[TextLine], xs: list[float], ys: list[float]) -> bool:
    """A tall cell whose first line starts on the baseline where every other cell of its row
    starts: set at the top of its row, not a label centred over rows."""
    r, c, _, cs = span
    own = _cell_lines(lines, xs, ys, span)
    if len(own) < TALL_CELL_LINES:
        return False
    others = [
        first[0]
        for k in range(len(xs) - 1)
        if not c <= k < c + cs and (first := _cell_lines(lines, xs, ys, (r, k, 1, 1)))
    ]
    return bool(others) and all(_same_baseline(own[0], o) for o in others)


def _beside_middle(
    lines: list[TextLine], xs: list[float], ys: list[float], rows: tuple[int, int], cols: range
) -> float | None:
    """Middle of the text of the other columns in rows ``rows[0]`` up to ``rows[1]``: where a
    label centred beside those rows sits, whatever padding the row edges leave (an edge drawn
    by a fill sits a cell's padding above the text, one found from text at the text)."""
    beside = [
        ln
        for ln in lines
        if _index(xs, center(ln.bbox)[0]) not in cols
        and rows[0] <= _index(ys, center(ln.bbox)[1]) < rows[1]
    ]
    if not beside:
        return None
    return (min(ln.bbox[1] for ln in beside) + max(ln.bbox[3] for ln in beside)) / 2


def _top_aligned_rowspans(
    spans: list[Span],
    lines: list[TextLine],
    xs: list[float],
    ys: list[float],
    header_rows: int,
    fs: float,
) -> list[Span]:
    """A group label set at the top of its cell spans the rows below it that have no label of
    their own but an item beside it: an index's chapter beside its sections.

    The label is top-aligned when its first line shares a baseline with the first line of the
    item to its right (items of two columns or more: a section and its codes, not a label and
    its description), and its cell closes the column above it (the header or another label
    ends there), so it cannot be centred over empty rows above. Centring alone would give such
    a label the empty rows above its own text (the previous group's sections), and a label
    centred over three rows is not top-aligned this way (the cell above it is empty).
    """
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    out = sorted(spans)
    owner = _occupancy(out, n_rows, n_cols)
    for i, (r, c, rs, cs) in enumerate(out):
        right = c + cs
        if r < header_rows or cs != 1 or right >= n_cols or owner[r][right] == -1:
            continue  # a group needs items beside it
        if right + 1 == n_cols and _centred_labels(out, lines, xs, ys, c, header_rows):
            continue  # a label column whose labels sit centred beside their rows elsewhere
        if r > header_rows and owner[r - 1][c] == -1:
            continue  # an empty cell above: the label may be centred over it
        label = _cell_lines(lines, xs, ys, (r, c, rs, cs))
        item = _cell_lines(lines, xs, ys, (r, right, 1, 1))
        if not label or not item or not _same_baseline(label[0], item[0]):
            continue
        above = _cell_lines(lines, xs, ys, (r - 1, c, 1, 1)) if r > header_rows else []
        if (
            above
            and label[0].bbox[1] - above[-1].bbox[3] < WRAPPED_GAP * height(label[0].bbox)
            and not _rows_apart(above[-1], label[0], c, lines, xs)
        ):
            continue  # the wrapped end of the label above, cut off by a row edge
        down = r + rs
        described = right + 1 == n_cols  # a label and its one-column description
        measure = column_measures(lines, xs, fs) if described else {}
        while down < n_rows and _continues_group(owner, r, down, c):
            if described and _wrapped_on(lines, xs, ys, down, right, measure, fs):
                break  # the description above wrapped into this row: rows cut wrongly
            down += 1
        if down == r + rs:
            continue
        if described and down < n_rows and not _top_aligned_at(lines, xs, ys, down, c):
            continue  # the next label is centred on its rows: the empty rows may be its own
        out[i] = (r, c, down - r, cs)
        for rr in range(r, down):
            owner[rr][c] = i
    return out


def _wrapped_on(
    lines: list[TextLine],
    xs: list[float],
    ys: list[float],
    row: int,
    col: int,
    measure: dict[int, float],
    fs: float,
) -> bool:
    """The text of ``col`` in the row above ``row`` ends on a full line that ends no sentence:
    it wrapped on, so ``row`` holds the rest of that cell rather than an item of its own."""
    above = _cell_lines(lines, xs, ys, (row - 1, col, 1, 1))
    reach = measure.get(col)
    if not above or reach is None:
        return False
    last = max(above, key=lambda ln: ln.bbox[1])
    full = last.bbox[2] >= reach - WRAP_SLACK_EM * fs
    return full and not last.text.rstrip().endswith(_ENDS_SENTENCE)


def _top_aligned_at(
    lines: list[TextLine], xs: list[float], ys: list[float], row: int, col: int
) -> bool:
    """The label of (``row``, ``col``) starts on the baseline of the first line beside it."""
    label = _cell_lines(lines, xs, ys, (row, col, 1, 1))
    beside = _cell_lines(lines, xs, ys, (row, col + 1, 1, 1))
    return bool(label and beside) and _same_baseline(label[0], beside[0])


def _centred_labels(
    spans: list[Span],
    lines: list[TextLine],
    xs: list[float],
    ys: list[float],
    col: int,
    header_rows: int,
) -> bool:
    """Some label of column ``col`` shares no baseline with the text beside it: the column
    centres its labels on their rows, so a label is no group label by being top-aligned (a
    label and its one-column description beside it only span by centring)."""
    others = [ln for ln in lines if _index(xs, center(ln.bbox)[0]) != col]
    for r, c, rs, cs in spans:
        if c != col or cs != 1 or r < header_rows:
            continue
        label = _cell_lines(lines, xs, ys, (r, c, rs, cs))
        if label and not any(_same_baseline(label[0], o) for o in others):
            return True
    return False


WRAPPED_GAP = 0.5
"""Lines of one column less than half a line height apart are one wrapped paragraph."""


def _continues_group(owner: list[list[int]], row: int, below: int, col: int) -> bool:
    """Row ``below`` carries on the group labelled at (``row``, ``col``): no label of its own,
    a full item (text in every column to the right) and the same outer groups to the left."""
    mine = owner[below]
    return (
        mine[col] == -1 and all(o != -1 for o in mine[col + 1 :]) and mine[:col] == owner[row][:col]
    )


def _cell_lines(
    lines: list[TextLine], xs: list[float], ys: list[float], span: Span
) -> list[TextLine]:
    """The lines centred inside a cell, top first."""
    r, c, rs, cs = span
    return sorted(
        (
            ln
            for ln in lines
            if c <= _index(xs, center(ln.bbox)[0]) < c + cs
            and r <= _index(ys, center(ln.bbox)[1]) < r + rs
        ),
        key=lambda ln: ln.bbox[1],
    )


def _same_baseline(a: TextLine, b: TextLine) -> bool:
    """Two lines overlap vertically by over half the smaller height (one band)."""
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap > 0.5 * min(height(a.bbox), height(b.bbox))


def _blocks(lines: list[TextLine], fs: float) -> list[tuple[float, float]]:
    """Vertical extents of the paragraphs in one column (lines less than ``0.8 fs`` apart)."""
    blocks: list[list[float]] = []
    for ln in sorted(lines, key=lambda ln: ln.bbox[1]):
        if blocks and ln.bbox[1] - blocks[-1][1] < 0.8 * fs:
            blocks[-1][1] = max(blocks[-1][1], ln.bbox[3])
        else:
            blocks.append([ln.bbox[1], ln.bbox[3]])
    return [(a, b) for a, b in blocks]


def label_rows(
    bands: list[list[TextLine]], xs: list[float], fs: float
) -> tuple[list[list[list[TextLine]]], list[int]]:
    """Rows inside one drawn row: separate labels stacked beside a bullet list that they share.

    A drawn row (stripe, ruled row) is one row unless a column without bullets holds separate
    paragraphs (a blank line apart) and every other column either breaks there too or is a bullet
    list; the list then spans the new rows (returned as the shared columns). A list never splits.
    """
    by_col: dict[int, list[TextLine]] = {}
    for ln in (ln for band in bands for ln in band):
        by_col.setdefault(_index(xs, center(ln.bbox)[0]), []).append(ln)
    lists = {c for c, col in by_col.items() if any(BULLET_RE.match(ln.text) for ln in col)}
    floating = [b for b in bands if _floating(b, bands, xs)]
    afloat = {id(b[0]) for b in floating}
    blocks = {c: _blocks(col, fs) for c, col in by_col.items()}
    fixed = {
        c: _blocks([ln for ln in col if id(ln) not in afloat], fs) for c, col in by_col.items()
    }
    cuts = sorted(
        (a[1] + b[0]) / 2
        for c, bl in blocks.items()
        if c not in lists
        for a, b in itertools.pairwise(bl)
    )
    kept = [  # a label floating over several rows straddles their edge as a rowspan
        y
        for y in cuts
        if all(c in lists or not any(a < y < b for a, b in bl) for c, bl in fixed.items())
    ]
    kept = [y for i, y in enumerate(kept) if i == 0 or y - kept[i - 1] > fs]
    if not kept:
        return [bands], []
    rows: list[list[list[TextLine]]] = [[] for _ in range(len(kept) + 1)]
    for band in bands:
        rows[int(np.searchsorted(kept, center(band[0].bbox)[1]))].append(band)
    rows = [[b for b in r if b not in floating] or r for r in rows]
    return [r for r in rows if r], sorted(lists)


def _with_label_rows(
    rows: list[list[list[TextLine]]], bands: list[list[TextLine]], xs: list[float], fs: float
) -> tuple[list[list[list[TextLine]]], list[tuple[int, int, list[int]]]]:
    """Every row split by ``label_rows``; shared list cells as (first row, end row, columns).

    Bands the row grouping left out (floating labels) are offered to the row they lie in, or
    the nearest row within ``fs``: a second label beside a shared list is one of them, and
    labels spread evenly beside a two-item list start above and end below its text.
    """
    used = {id(b) for row in rows for b in row}
    loose = [b for b in bands if id(b) not in used]
    extents = [(min(band_box(b)[0] for b in r), max(band_box(b)[1] for b in r)) for r in rows]
    home = {id(b): _nearest_row(center(b[0].bbox)[1], extents, fs) for b in loose}
    out: list[list[list[TextLine]]] = []
    shared: list[tuple[int, int, list[int]]] = []
    for i, row in enumerate(rows):
        extra = [b for b in loose if home[id(b)] == i]
        full = sorted(row + extra, key=lambda b: band_box(b)[0])
        subrows, cols = label_rows(full, xs, fs)
        if len(subrows) < 2:
            out.append(row)
            continue
        if cols:
            shared.append((len(out), len(out) + len(subrows), cols))
        out.extend(subrows)
    return out, shared


def _nearest_row(y: float, extents: list[tuple[float, float]], fs: float) -> int | None:
    """Index of the row extent containing ``y`` or, failing that, nearest to it within ``fs``."""
    dist = [max(top - y, y - bottom, 0.0) for top, bottom in extents]
    best = min(range(len(dist)), key=dist.__getitem__, default=None)
    return best if best is not None and dist[best] <= fs else None


def split_multilevel(
    bands: list[list[TextLine]], xs: list[float], fs: float
) -> list[list[list[TextLine]]]:
    """Split a header band into levels: a group label above separate labels under it.

    A group label either crosses a column edge or sits centred over two or more labels of the
    band below. Labels floating beside the levels (a rowspanning "指标" cell) take no part.
    """
    groups: list[list[list[TextLine]]] = []
    for band in [b for b in bands if not _floating(b, bands, xs)] or bands:
        upper = [ln for b in groups[-1] for ln in b] if groups else []
        if groups and not starts_level(upper, band, xs, fs):
            groups[-1].append(band)
        else:
            groups.append([band])
    return groups


def starts_level(upper: list[TextLine], lower: list[TextLine], xs: list[float], fs: float) -> bool:
    """Some line of ``upper`` is a group label over two or more columns of ``lower``."""
    tol = 0.3 * fs
    cols_under = {_index(xs, center(u.bbox)[0]) for u in lower}
    for ln in upper:
        c0, c1 = _index(xs, ln.bbox[0] + tol), _index(xs, ln.bbox[2] - tol)
        if c1 > c0 and len({c for c in cols_under if c0 <= c <= c1}) >= 2:
            return True
        if _centred_over(ln, lower, upper, fs):
            return True
    return False


def _centred_over(label: TextLine, lower: list[TextLine], upper: list[TextLine], fs: float) -> bool:
    """``label`` is centred over two or more adjacent labels of ``lower`` and nothing else in
    its own band sits over them."""
    under = sorted(lower, key=lambda ln: ln.bbox[0])
    cx = center(label.bbox)[0]
    for i, first in enumerate(under):
        for last in under[i + 1 :]:
            if abs((center(first.bbox)[0] + center(last.bbox)[0]) / 2 - cx) > 0.5 * fs:
                continue
            x0, x1 = first.bbox[0], last.bbox[2]
            if not any(ln is not label and ln.bbox[2] > x0 and ln.bbox[0] < x1 for ln in upper):
                return True
    return False


def merge_island_columns(xs: list[float], lines: list[TextLine], fs: float) -> list[float]:
    """Drop a "column" made only by text centred in the gap between two real columns.

    A figure centred over two columns (``99.42%`` over the two columns of figures below) sits
    in the middle of their gap and splits it in two. Such a column has text only in rows that
    have none in its neighbours, all centred on one x: its two edges become one edge there.
    """
    out = list(xs)
    k = 1
    while k < len(out) - 2:
        rows = [_bands_in(lines, out, c) for c in (k - 1, k, k + 1)]
        centres = [center(ln.bbox)[0] for ln in lines if _index(out, center(ln.bbox)[0]) == k]
        island = (
            rows[0]
            and rows[1]
            and rows[2]
            and not rows[1] & (rows[0] | rows[2])
            and max(centres) - min(centres) <= 0.5 * fs
        )
        if island:
            out[k : k + 2] = [sum(centres) / len(centres)]
        else:
            k += 1
    return out


CENTRED_PAIR_EM = 1.0
"""A run whose centre lies within this of its column's middle is centred over the column (a
label or figure over two sub-columns below it), not a cell of one of them."""
MIN_PAIR_BANDS = 2


def split_centred_pairs(
    xs: list[float],
    lines: list[TextLine],
    fs: float,
    solid: list[tuple[float, float]] | tuple[()] = (),
) -> list[float]:
    """Split a column whose other runs stand in two sub-columns with a clear gap between them,
    on at least ``MIN_PAIR_BANDS`` baselines each side, while the runs crossing that gap are all
    centred in the column: stacked blocks of a KPI panel (two labels over two figures, then four
    labels over four figures). The centred runs span the two sub-columns (``spans_from_text``).
    The gap is one the centred runs hid from ``column_edges``, or one inside a range drawn as
    one cell (``solid``: a stripe over the upper block) that ``merge_hints`` left out.
    """
    out = list(xs)
    k = 0
    while k < len(out) - 1:
        x0, x1 = out[k], out[k + 1]
        mid = (x0 + x1) / 2
        inside = [ln for ln in lines if x0 <= center(ln.bbox)[0] < x1]
        centred = [ln for ln in inside if abs(center(ln.bbox)[0] - mid) <= CENTRED_PAIR_EM * fs]
        rest = [ln for ln in inside if not any(ln is c for c in centred)]
        edge = _pair_gap(rest, x0, x1, fs) if centred and rest else None
        hidden = any(ln.bbox[0] < edge < ln.bbox[2] for ln in centred) if edge else False
        if edge is None or not (hidden or any(a + fs < edge < b - fs for a, b in solid)):
            k += 1
            continue
        out.insert(k + 1, edge)
    return out


def _pair_gap(rest: list[TextLine], x0: float, x1: float, fs: float) -> float | None:
    """Middle of the widest clear gap in ``rest`` with runs on both sides on enough baselines."""
    edges = column_edges(rest, x0, x1, fs)
    best: tuple[float, float] | None = None
    for edge in edges[1:-1]:
        left = {round(center(ln.bbox)[1]) for ln in rest if ln.bbox[2] <= edge}
        right = {round(center(ln.bbox)[1]) for ln in rest if ln.bbox[0] >= edge}
        if len(left & right) < MIN_PAIR_BANDS or any(ln.bbox[0] < edge < ln.bbox[2] for ln in rest):
            continue
        room = min(
            [edge - ln.bbox[2] for ln in rest if ln.bbox[2] <= edge]
            + [ln.bbox[0] - edge for ln in rest if ln.bbox[0] >= edge]
        )
        if best is None or room > best[1]:
            best = (edge, room)
    return best[0] if best else None


def drop_overflow_columns(xs: list[float], lines: list[TextLine]) -> list[float]:
    """Drop an outer "column" in which no run is centred: the tail of a line set past the
    others (a full-width comma overhanging the measure) makes a gap crossed by one run, not a
    column."""
    out = list(xs)
    while len(out) > 3 and not any(_index(out, center(ln.bbox)[0]) == len(out) - 2 for ln in lines):
        del out[-2]
    while len(out) > 3 and not any(_index(out, center(ln.bbox)[0]) == 0 for ln in lines):
        del out[1]
    return out


def merge_header_only_columns(xs: list[float], lines: list[TextLine]) -> list[float]:
    """Join a "column" whose only text is a label on the table's first baseline to the
    neighbour it heads: a column with text in the body and none on that baseline, the label
    centred over the two. Header labels centred over left-aligned body text (``报告位置`` over
    ``P04``) sit in the whitespace right of the body's text and make a column of their own."""
    bands = line_bands(lines)
    if len(bands) < 3:
        return xs
    first = {round(center(ln.bbox)[1]) for ln in bands[0]}
    out = list(xs)
    k = 0
    while k < len(out) - 1 and len(out) > 3:
        own = _bands_in(lines, out, k)
        if not own or not own <= first:
            k += 1
            continue
        label = [ln for ln in bands[0] if _index(out, center(ln.bbox)[0]) == k]
        best: tuple[float, int] | None = None
        for other in (k - 1, k + 1):
            if other < 0 or other >= len(out) - 1:
                continue
            body = _bands_in(lines, out, other)
            if len(body) < 2 or body & first:
                continue
            lo, hi = out[min(k, other)], out[max(k, other) + 1]
            off = abs(sum(center(ln.bbox)[0] for ln in label) / len(label) - (lo + hi) / 2)
            if best is None or off < best[0]:
                best = (off, max(k, other))
        if best is None:
            k += 1
            continue
        del out[best[1]]
    return out


MARKER_ONLY_RE = re.compile(
    r"^\s*(?:[•●○◦·▪■□◆◇◎►▶➢✓√※\ue000-\uf8ff]|[-–—]|\(?\d{1,2}[.、)）]|[①-⑳])\s*$"
)
"""A run that is nothing but a list marker (a bullet, a dash, ``1.``, ``①``)."""


def merge_marker_columns(xs: list[float], lines: list[TextLine]) -> list[float]:
    """Join a "column" holding only list markers to the column on its right.

    Bullets set apart from their text (a dash or a square with a wide hanging indent) leave a
    clear vertical gap after them; the markers belong to the items beside them, not to a column
    of their own.
    """
    out = list(xs)
    k = 0
    while k < len(out) - 2:
        texts = [ln.text for ln in lines if _index(out, center(ln.bbox)[0]) == k]
        if texts and all(MARKER_ONLY_RE.match(t) for t in texts):
            del out[k + 1]
        else:
            k += 1
    return out


def _bands_in(lines: list[TextLine], xs: list[float], col: int) -> set[int]:
    """Rounded baselines (band keys) of the lines centred in column ``col``."""
    return {round(center(ln.bbox)[1]) for ln in lines if _index(xs, center(ln.bbox)[0]) == col}


def build_text_grid(
    lines: list[TextLine],
    x_range: tuple[float, float],
    fixed_edges: list[float],
    split_text_rows: list[bool],
    header_bottom: float | None,
    fs: float,
    column_hints: list[float] | None = None,
    solid_spans: list[tuple[float, float]] | None = None,
    drawn_cells: list[BBox] | None = None,
    centred_pairs: bool = True,
) -> tuple[list[float], list[float], list[Span], int]:
    """Columns from body whitespace, rows inside each fixed band, spans from text.

    Sub-columns under centred runs (``split_centred_pairs``) stand only when the rows part
    their stacked cells too; otherwise the grid is built again without them.

    ``fixed_edges`` are row boundaries the drawing gives (fills, rules); inside band ``k`` rows are
    found from text only when ``split_text_rows[k]``, otherwise only multi-level header splits.
    Returns (xs, ys, spans, header_rows).
    """
    original, given_cells = lines, drawn_cells
    body = [ln for ln in lines if header_bottom is None or center(ln.bbox)[1] > header_bottom]
    head = [ln for ln in lines if header_bottom is not None and center(ln.bbox)[1] <= header_bottom]
    n_bands = len(line_bands(body))
    xs = column_edges(body or lines, x_range[0], x_range[1], fs, n_bands // 8, head, True)
    xs = merge_island_columns(xs, body or lines, fs)
    xs = merge_marker_columns(xs, body or lines)
    xs = drop_overflow_columns(xs, lines)
    xs = merge_header_only_columns(xs, lines)
    if column_hints:
        xs = merge_hints(xs, column_hints, fs, solid_spans or [], lines)
    plain_xs = list(xs)
    if centred_pairs:
        xs = split_centred_pairs(xs, body or lines, fs, solid_spans or [])
    if column_hints:
        lines = split_at_edges(lines, xs, fs)
    else:  # edges from whitespace only: cut a run only at a space as wide as a column gap
        lines = split_at_edges(lines, xs, fs, MIN_COLUMN_GAP_EM * fs)
    ys: list[float] = []
    for k in range(len(fixed_edges) - 1):
        top, bottom = fixed_edges[k], fixed_edges[k + 1]
        inside = [ln for ln in lines if top <= center(ln.bbox)[1] < bottom]
        if not inside:
            continue
        bands = line_bands(inside)
        in_body = header_bottom is None or top >= header_bottom - 0.5 * fs
        if split_text_rows[k] or in_body:
            rows = group_rows(bands, xs, fs) if split_text_rows[k] else [bands]
            rows, shared = _with_label_rows(rows, bands, xs, fs)
        else:
            rows, shared = split_multilevel(bands, xs, fs), []
        edges = row_edges(rows, top, bottom)
        drawn_cells = [
            *(drawn_cells or []),
            *((xs[c], edges[a], xs[c + 1], edges[b]) for a, b, cols in shared for c in cols),
        ]
        ys.extend(edges if not ys else edges[1:])
    if len(ys) < 2:
        return xs, ys, [], 0
    header_rows = 0
    if header_bottom is not None:
        header_rows = sum(1 for a, b in itertools.pairwise(ys) if (a + b) / 2 < header_bottom)
    added = [x for x in xs if x not in plain_xs]
    if added and _stacked_beside(lines, xs, added, ys):
        return build_text_grid(
            original,
            x_range,
            fixed_edges,
            split_text_rows,
            header_bottom,
            fs,
            column_hints,
            solid_spans,
            given_cells,
            centred_pairs=False,
        )
    spans = spans_from_text(lines, xs, ys, fs, header_rows)
    if drawn_cells:
        spans = with_drawn_cells(spans, drawn_cells, xs, ys, fs)
    return xs, ys, spans, header_rows


def _stacked_beside(
    lines: list[TextLine], xs: list[float], added: list[float], ys: list[float]
) -> bool:
    """Some row holds runs on two baselines or more in both columns beside one of the ``added``
    edges: a label over its figure left in one row, which sub-columns would only cut into two
    stacks."""
    for edge in added:
        k = xs.index(edge)
        for top, bottom in itertools.pairwise(ys):
            row = [ln for ln in lines if top <= center(ln.bbox)[1] < bottom]
            left = [ln for ln in row if xs[k - 1] <= center(ln.bbox)[0] < edge]
            right = [ln for ln in row if edge <= center(ln.bbox)[0] < xs[k + 1]]
            if len(line_bands(left)) >= 2 and len(line_bands(right)) >= 2:
                return True
    return False


def with_drawn_cells(
    spans: list[Span], boxes: list[BBox], xs: list[float], ys: list[float], fs: float
) -> list[Span]:
    """Merged cells the drawing shows (one fill over several rows or columns) win over text."""
    drawn: list[Span] = []
    for x0, top, x1, bottom in boxes:
        c0, c1 = _edge_index(xs, x0, fs), _edge_index(xs, x1, fs)
        r0, r1 = _edge_index(ys, top, fs), _edge_index(ys, bottom, fs)
        if c0 is None or c1 is None or r0 is None or r1 is None:
            continue
        if r1 > r0 and c1 > c0 and (r1 - r0) * (c1 - c0) > 1:
            drawn.append((r0, c0, r1 - r0, c1 - c0))
    kept = [s for s in spans if not any(_overlaps(s, d) for d in drawn)]
    return sorted(drawn + kept)


def _edge_index(edges: list[float], value: float, fs: float) -> int | None:
    best = min(range(len(edges)), key=lambda i: abs(edges[i] - value))
    return best if abs(edges[best] - value) <= 0.6 * fs else None


def merge_hints(
    xs: list[float],
    hints: list[float],
    fs: float,
    solid: list[tuple[float, float]],
    lines: list[TextLine] | None = None,
) -> list[float]:
    """Column edges from text, moved onto (or completed by) edges the drawing gives; no edge
    inside a range drawn as one cell, nor in the same gap between ``lines`` as a drawn edge."""
    inner = [
        x
        for x in xs[1:-1]
        if all(abs(x - h) > 1.5 * fs for h in hints)
        and not any(a + fs < x < b - fs for a, b in solid)
        and not any(same_gap(x, h, lines) for h in hints if lines is not None)
    ]
    inside = [h for h in hints if xs[0] + fs < h < xs[-1] - fs]
    return [xs[0], *sorted(inner + inside), xs[-1]]


MIN_COLUMN_GAP_EM = 0.6
"""Vertical whitespace this wide separates two columns (``column_edges``); a space this wide
inside one run is two cells the text layer joined, not a space between words."""


def split_at_edges(
    lines: list[TextLine], xs: list[float], fs: float, min_space: float = 0.0
) -> list[TextLine]:
    """Cut runs that cross a column edge at a space near it (two cells set close together),
    only where the blank between the characters around the space is at least ``min_space``."""
    out: list[TextLine] = []
    for ln in lines:
        cut = _cut_index(ln, xs, fs, min_space)
        skip = 1  # the space cut at
        if cut is None:
            cut, skip = _blank_cut(ln, xs, fs, max(min_space, MIN_COLUMN_GAP_EM * fs)), 0
        if cut is None:
            out.append(ln)
            continue
        left, right = ln.char_boxes[:cut], ln.char_boxes[cut + skip :]
        out.append(replace(ln, text=ln.text[:cut], bbox=_box(left), char_boxes=left))
        out.extend(
            split_at_edges(
                [replace(ln, text=ln.text[cut + skip :], bbox=_box(right), char_boxes=right)],
                xs,
                fs,
                min_space,
            )
        )
    return out


def _box(boxes: tuple[tuple[float, float, float, float], ...]) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _blank_cut(ln: TextLine, xs: list[float], fs: float, min_blank: float) -> int | None:
    """Index of the first character after a blank at least ``min_blank`` wide (a column gap)
    with no space character in it, near a column edge the run crosses: two cells the text
    layer joined without a space (a section and the codes beside it)."""
    if len(ln.char_boxes) != len(ln.text):
        return None
    for edge in xs[1:-1]:
        if not ln.bbox[0] + 0.3 * fs < edge < ln.bbox[2] - 0.3 * fs:
            continue
        blanks = [
            i
            for i in range(1, len(ln.text))
            if ln.char_boxes[i][0] - ln.char_boxes[i - 1][2] >= min_blank
            and not ln.text[i].isspace()
            and not ln.text[i - 1].isspace()
            and abs((ln.char_boxes[i][0] + ln.char_boxes[i - 1][2]) / 2 - edge) <= 1.5 * fs
        ]
        if blanks:
            return min(
                blanks,
                key=lambda i: abs((ln.char_boxes[i][0] + ln.char_boxes[i - 1][2]) / 2 - edge),
            )
    return None


def _cut_index(ln: TextLine, xs: list[float], fs: float, min_space: float) -> int | None:
    if len(ln.char_boxes) != len(ln.text):
        return None
    for edge in xs[1:-1]:
        if not ln.bbox[0] + 0.3 * fs < edge < ln.bbox[2] - 0.3 * fs:
            continue
        spaces = [
            i
            for i, ch in enumerate(ln.text)
            if ch.isspace()
            and 0 < i < len(ln.text) - 1
            and ln.char_boxes[i + 1][0] - ln.char_boxes[i - 1][2] >= min_space
            and abs(center(ln.char_boxes[i])[0] - edge) <= 1.5 * fs
        ]
        if spaces:
            return min(spaces, key=lambda i: abs(center(ln.char_boxes[i])[0] - edge))
    return None
