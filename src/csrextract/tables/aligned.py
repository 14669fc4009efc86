"""Tables without any graphics: columns are only aligned text.

Deliberately conservative — ordinary paragraphs, two-column body text, running headers and
bullet lists must not become tables. A block qualifies only when at least three consecutive
baselines each hold several separate runs that line up in the same columns, the cells are short,
and no column is just list markers.
"""

from __future__ import annotations

import itertools

from csrextract.models import BBox, PageContent, Table, TableStyle, TextLine
from csrextract.tables.base import Region, TableStrategy, Verdict, keep, register, reject
from csrextract.tables.caption import CONTINUED_MARK
from csrextract.tables.cells import BULLET_RE
from csrextract.tables.geometry import center, font_size_of, intersects, lines_in, median, union
from csrextract.tables.grid import Grid, grid_from_spans
from csrextract.tables.header import is_numeric
from csrextract.tables.settings import AlignedSettings
from csrextract.tables.text_grid import (
    build_text_grid,
    column_edges,
    line_bands,
    merge_island_columns,
    starts_level,
)

DEFAULT = AlignedSettings()
MIN_ROWS = DEFAULT.min_rows
MAX_MEAN_CELL_CHARS = DEFAULT.max_mean_cell_chars
MIN_DENSITY = DEFAULT.min_density
"""Share of the grid that must hold text: sparse grids are diagrams or scattered labels."""
LONG_CELL_CHARS = DEFAULT.long_cell_chars
"""Two columns whose typical cell is this long are running text set in columns, not a table."""


def _is_multi(band: list[TextLine], fs: float) -> bool:
    """Several runs on one baseline separated by a clear gap."""
    ordered = sorted(band, key=lambda ln: ln.bbox[0])
    gap = DEFAULT.run_gap_em * fs
    return any(b.bbox[0] - a.bbox[2] >= gap for a, b in itertools.pairwise(ordered))


def _wraps(block: list[list[TextLine]], fs: float) -> bool:
    """The last band is a wrapped line of a cell above: one run set flush under a run of the
    band before it, at line spacing rather than row spacing."""
    if len(block) < 2 or len(block[-1]) != 1:
        return False
    line, above = block[-1][0], block[-2]
    gap = line.bbox[1] - max(ln.bbox[3] for ln in above)
    if gap >= 0.6 * fs or not any(abs(ln.bbox[0] - line.bbox[0]) <= 0.3 * fs for ln in above):
        return False
    # the chain of single lines must hang from a cell of the last row with several runs, set
    # at its size: lines of a note under the table align with each other, not with a cell
    row = next((band for band in reversed(block[:-1]) if _is_multi(band, fs)), None)
    if row is None:
        return False
    size = median((ln.font_size for ln in row), 0.0)
    return any(abs(ln.bbox[0] - line.bbox[0]) <= 0.3 * fs for ln in row) and (
        abs(line.font_size - size) <= 0.15 * size
    )


_SENTENCE_END = ("。", "；", ";", "！", "？")
PAIR_MAX_CHARS = 40


def _aligned_runs(a: TextLine, b: TextLine, tol: float) -> bool:
    """Two runs set in one column: overlapping, with left edges, centres or right edges met."""
    if a.bbox[2] < b.bbox[0] or b.bbox[2] < a.bbox[0]:
        return False
    return (
        abs(a.bbox[0] - b.bbox[0]) <= tol
        or abs(center(a.bbox)[0] - center(b.bbox)[0]) <= tol
        or abs(a.bbox[2] - b.bbox[2]) <= tol
    )


def two_row_table(bands: list[list[TextLine]], fs: float) -> bool:
    """Exactly two baselines whose runs line up one to one: a small borderless table (a KPI
    row of labels over figures, or three or more short names in columns). Two-column prose
    has two long runs per line and sentences; a contents line ends in a page number."""
    rows = _wrapped_rows(bands)
    if len(rows) != 2 or not all(_is_multi(r[0], fs) for r in rows):
        return False
    upper, lower = (sorted(r[0], key=lambda ln: ln.bbox[0]) for r in rows)
    if len(upper) != len(lower):
        return False
    runs = [ln for r in rows for band in r for ln in band]
    if any(len(r.text) > PAIR_MAX_CHARS or r.text.rstrip().endswith(_SENTENCE_END) for r in runs):
        return False
    if not all(_aligned_runs(a, b, 0.5 * fs) for a, b in zip(upper, lower, strict=True)):
        return False
    if len(upper) >= 3:
        return True
    figures = [ln for band in rows[1] for ln in band]
    return not any(is_numeric(r.text) for r in upper) and all(is_numeric(r.text) for r in figures)


def _wrapped_rows(bands: list[list[TextLine]]) -> list[list[list[TextLine]]]:
    """Baselines grouped into rows: a baseline at line spacing under the one before (less than
    1.6 times its type size from top to top) continues that row's wrapped cells."""
    rows: list[list[list[TextLine]]] = []
    for band in bands:
        size = median((ln.font_size for ln in band), 0.0)
        if rows:
            pitch = min(ln.bbox[1] for ln in band) - min(ln.bbox[1] for ln in rows[-1][-1])
            if pitch < 1.6 * size:
                rows[-1].append(band)
                continue
        rows.append([band])
    return rows


def _labels_over_lists(table: Table) -> bool:
    """Two rows, three columns or more: short labels over a bullet list in every column (a
    programme's strands side by side)."""
    if table.n_rows != 2 or table.n_cols < 3:
        return False
    first = [c for c in table.cells if c.row == 0]
    second = [c for c in table.cells if c.row == 1]
    if len(first) != table.n_cols or len(second) != table.n_cols:
        return False
    if any(
        not c.text or len(c.text) > PAIR_MAX_CHARS or c.text.rstrip().endswith(_SENTENCE_END)
        for c in first
    ):
        return False
    return all(len(c.items) >= 2 for c in second)


def _spanned_row(block: list[list[TextLine]], fs: float) -> bool:
    """The block's last baseline is a row beside a label spanning rows: one run starting flush
    with a column (not the first) of the block's baselines of several runs, a row's gap under
    the line above (not at the leading of a wrapped cell), and set at their size."""
    if len(block) < 2 or len(block[-1]) != 1:
        return False
    line = block[-1][0]
    multi = [b for b in block[:-1] if _is_multi(b, fs)]
    if len(multi) < 2:
        return False
    starts = [sorted(ln.bbox[0] for ln in b)[1:] for b in multi]
    flush = all(any(abs(line.bbox[0] - x) <= 0.3 * fs for x in xs) for xs in starts)
    gap = line.bbox[1] - max(ln.bbox[3] for ln in block[-2])
    size = median((ln.font_size for b in multi for ln in b), 0.0)
    return flush and gap >= 0.6 * fs and abs(line.font_size - size) <= 0.15 * size


def _wraps_spanned(block: list[list[TextLine]], fs: float) -> bool:
    """The block's last baseline wraps the text of a row beside a spanning label: single runs
    set flush under one another at the leading, up to such a row."""
    k = len(block) - 1
    while k >= 1 and len(block[k]) == 1 and len(block[k - 1]) == 1:
        line, above = block[k][0], block[k - 1][0]
        if abs(line.bbox[0] - above.bbox[0]) > 0.3 * fs or line.bbox[1] - above.bbox[3] >= 0.6 * fs:
            return False
        if _spanned_row(block[:k], fs):
            return True
        k -= 1
    return False


def _without_lead_in(block: list[list[TextLine]], fs: float) -> list[list[TextLine]]:
    """The block from its first baseline of several runs that the next one lines up with:
    a line of runs (a running header's words spaced apart) followed by single lines (a title,
    a caption) before rows in other columns is no row of theirs."""
    while block:
        if not _is_multi(block[0], fs):
            block = block[1:]
            continue
        k = next((i for i in range(1, len(block)) if _is_multi(block[i], fs)), None)
        if k is None or k == 1 or _same_columns(block[:1], block[k], fs):
            return block
        block = block[k:]
    return block


ROW_GAP_EM = 4.0
"""Rows of wrapped cells set far apart (cells padded generously) still make one block when the
next row starts its runs where the block's columns start."""


def _same_columns(block: list[list[TextLine]], band: list[TextLine], fs: float) -> bool:
    """Most runs of ``band`` (two at least) start where runs of ``block``'s multi-run
    baselines start: the next row of the same columns, not another table or a list."""
    starts = [ln.bbox[0] for b in block if _is_multi(b, fs) for ln in b]
    met = sum(1 for ln in band if any(abs(ln.bbox[0] - x) <= 0.5 * fs for x in starts))
    return met >= 2 and 2 * met >= len(band)


def _trailing_label(block: list[list[TextLine]], fs: float) -> bool:
    """The last band is a row of its own holding only a label: one short run (no sentence) set
    flush with the first column of the rows above, at their size and at the spacing between
    them — a goal whose text is shared with the row above, or left blank. A note under a table
    is longer, ends a sentence, or sits further down."""
    if len(block) < 2 or len(block[-1]) != 1:
        return False
    line = block[-1][0]
    rows = [band for band in block[:-1] if _is_multi(band, fs)]
    if len(rows) < MIN_ROWS or len(line.text) > LABEL_MAX_CHARS:
        return False
    if line.text.rstrip().endswith(_SENTENCE_END):
        return False
    firsts = [min(band, key=lambda ln: ln.bbox[0]) for band in rows]
    if not all(abs(f.bbox[0] - line.bbox[0]) <= DEFAULT.flush_em * fs for f in firsts):
        return False
    size = median((f.font_size for f in firsts), 0.0)
    if abs(line.font_size - size) > 0.15 * size:
        return False
    gap = line.bbox[1] - max(ln.bbox[3] for ln in block[-2])
    row_gaps = [
        min(ln.bbox[1] for ln in b) - max(ln.bbox[3] for ln in a)
        for a, b in itertools.pairwise(block[:-1])
        if _is_multi(b, fs)
    ]
    return bool(row_gaps) and gap <= max(row_gaps) + DEFAULT.flush_em * fs


def candidate_blocks(lines: list[TextLine], fs: float) -> list[list[TextLine]]:
    """Runs of consecutive multi-run baselines (single-run continuation lines allowed between),
    each with the labels just above it; a block with such labels follows once more without
    them (the strategy reads it only when the first reading is rejected)."""
    blocks: list[list[list[TextLine]]] = []
    current: list[list[TextLine]] = []
    last_bottom = None
    all_bands = line_bands(lines)
    for band in all_bands:
        top = min(ln.bbox[1] for ln in band)
        near = last_bottom is not None and top - last_bottom <= 2.0 * fs
        multi = _is_multi(band, fs)
        spaced = last_bottom is not None and top - last_bottom <= ROW_GAP_EM * fs
        if multi and (near or not current or (spaced and _same_columns(current, band, fs))):
            current.append(band)
        elif multi:
            blocks.append(current)
            current = [band]
        elif not (near and current and len(band) == 1):
            blocks.append(current)
            current = []
        else:
            current.append(band)
        last_bottom = max(ln.bbox[3] for ln in band)
    blocks.append(current)
    out = []
    for block in map(_without_lead_in, blocks, itertools.repeat(fs)):
        while (
            block
            and not _is_multi(block[-1], fs)
            and not _wraps(block, fs)
            and not _trailing_label(block, fs)
        ):
            if not _spanned_row(block, fs) and not _wraps_spanned(block, fs):
                block.pop()
                continue
            break
        rows = sum(_is_multi(b, fs) for b in block)
        if rows >= 2 and not _is_multi(block[-1], fs):
            rows += sum(1 for k in range(1, len(block)) if _spanned_row(block[: k + 1], fs))
        if rows >= MIN_ROWS or two_row_table(block, fs):
            headings = _headings_above(all_bands, block, fs)
            out.append([ln for band in [*headings, *block] for ln in band])
            if headings:  # tried second: the labels above may be a caption after all
                out.append([ln for band in block for ln in band])
    return out


MAX_HEADING_BANDS = 2


def _headings_above(
    bands: list[list[TextLine]], block: list[list[TextLine]], fs: float
) -> list[list[TextLine]]:
    """Single labels just above a block, each centred on one of its columns or over two runs of
    its first row: the upper level of a header (a group label, a label spanning the header rows)
    set alone on its baseline, so the block of multi-run baselines starts below it.

    Centring is the cue: a section heading above a table is set flush left (and larger).
    """
    start = next(i for i, band in enumerate(bands) if band is block[0])
    runs = [ln for band in block for ln in band]
    first = sorted(block[0], key=lambda ln: ln.bbox[0])
    centres = [center(ln.bbox)[0] for ln in runs] + [
        (center(a.bbox)[0] + center(b.bbox)[0]) / 2 for a, b in itertools.pairwise(first)
    ]
    found: list[list[TextLine]] = []
    top = min(ln.bbox[1] for ln in block[0])
    left = min(ln.bbox[0] for ln in runs)
    for band in reversed(bands[max(start - MAX_HEADING_BANDS, 0) : start]):
        line = band[0]
        if len(band) != 1 or top - line.bbox[3] > fs or len(line.text) > PAIR_MAX_CHARS:
            break
        if line.font_size > 1.15 * fs or line.text.rstrip().endswith(_SENTENCE_END):
            break
        if CONTINUED_MARK.search(line.text) or line.text.lstrip().startswith("续表"):
            break  # a continuation label over the rows is the table's caption, not a header
        if not any(abs(center(line.bbox)[0] - x) <= 0.5 * fs for x in centres):
            break
        if line.bbox[0] < left - 0.5 * fs:
            break  # set out to the left of the table's text: a caption, not a header label
        found.insert(0, band)
        top = line.bbox[1]
    return found


def _looks_like_prose(table: Table) -> bool:
    """Long cells or a column of bare markers: paragraphs, two-column text or a bullet list."""
    texts = [c.text for c in table.cells if c.text]
    if not texts or sum(len(t) for t in texts) / len(texts) > MAX_MEAN_CELL_CHARS:
        return True
    long_columns = 0
    for col in range(table.n_cols):
        column = [c.text for c in table.cells if c.col == col and c.text]
        if column and all(not BULLET_RE.sub("", t).strip() for t in column):
            return True
        long_columns += median((len(t) for t in column), 0.0) >= LONG_CELL_CHARS
    return long_columns >= 2


LABEL_MAX_CHARS = 20


def _label_column(table: Table) -> bool:
    """Two columns: short labels (no sentences) beside clearly longer text in every row — a
    programme or project list. Two-column running text has long sentences on both sides."""
    if table.n_cols != 2:
        return False
    labels = [c.text for c in table.cells if c.col == 0 and c.col_span == 1]
    cells = [c for c in table.cells if c.col == 1]
    texts = [c.text for c in cells if c.text]
    covered = sum(c.row_span for c in cells)  # one text may serve 2 labels
    if len(labels) != table.n_rows or covered != table.n_rows or not all(labels):
        return False
    if sum(c.row_span for c in cells if c.text) < DEFAULT.label_text_share * table.n_rows:
        return False  # a label beside an empty cell may share the text above; most may not
    if any(len(t) > LABEL_MAX_CHARS or t.rstrip().endswith(_SENTENCE_END) for t in labels):
        return False
    return median((len(t) for t in texts), 0.0) >= 2 * median((len(t) for t in labels), 0.0)


def _text_table(table: Table, lines: list[TextLine]) -> bool:
    """A table of long, wrapped cells (a contents page, a programme): at least three columns
    (or a label column) and rows whose cells all start on one baseline, which columns of
    running text never keep up for row after row."""
    if table.n_cols < 3 and not _label_column(table):
        return False
    fs = font_size_of(lines)
    compared = aligned = 0
    for row in table.rows():
        tops = [
            min(ln.bbox[1] for ln in inside)
            for cell in row
            if cell.text and (inside := lines_in(lines, cell.bbox))
        ]
        if len(tops) >= 2 and all(c.row_span == 1 for c in row):  # shared text sits between
            compared += 1
            aligned += max(tops) - min(tops) <= 0.5 * fs
    return compared >= MIN_ROWS and aligned == compared


PAIR_MIN_CELLS = 3
"""Cells of text that some row of a two-row table of long cells starts on one baseline (every
row starts two or more on one)."""


def _row_tops_aligned(table: Table, lines: list[TextLine], min_cells: int) -> bool:
    """Every row's cells of text (two or more) start on one baseline; some row has
    ``min_cells`` of them."""
    fs = font_size_of(lines)
    most = 0
    for row in table.rows():
        tops = [
            min(ln.bbox[1] for ln in inside)
            for cell in row
            if cell.text and (inside := lines_in(lines, cell.bbox))
        ]
        if len(tops) < 2 or max(tops) - min(tops) > 0.5 * fs:
            return False
        most = max(most, len(tops))
    return most >= min_cells


def _wrapped_pair(table: Table, lines: list[TextLine]) -> bool:
    """Two rows of three columns or more whose cells (three or more in a row) start on one
    baseline, wrapped over several lines: a contents page's rows, or a table cut by a page
    break into parts of two rows. Columns of running text never start a paragraph on one
    baseline in three columns twice."""
    if table.n_rows != 2 or table.n_cols < 3:
        return False
    if not any(len(lines_in(lines, c.bbox)) > 1 for c in table.cells if c.text):
        return False
    return _row_tops_aligned(table, lines, PAIR_MIN_CELLS)


def _has_graphics(page: PageContent, box: BBox) -> bool:
    """Rules or boxes among the text: a diagram or a drawn table another strategy rejected."""
    small = 0.5 * page.width * page.height
    rules = sum(1 for r in page.rules if intersects((r.x0, r.y0, r.x1, r.y1), box, 1.0))
    fills = sum(
        1
        for f in page.fills
        if intersects(f.bbox, box) and (f.bbox[2] - f.bbox[0]) * (f.bbox[3] - f.bbox[1]) < small
    )
    return rules + fills >= 2


def group_label_bottom(
    lines: list[TextLine], x_range: tuple[float, float], fs: float
) -> float | None:
    """Bottom of a first band of group labels, each centred over (or across) two or more
    columns that only the rows below show; ``None`` when there is no such band.

    Without lines a group label fills the gap between the columns it heads, so whitespace over
    all rows finds one column where the rows below have two. Columns then come from the rows
    below and the label spans them.
    """
    bands = line_bands(lines)
    if len(bands) < 3:
        return None
    body = [ln for band in bands[1:] for ln in band]
    xs_body = merge_island_columns(column_edges(body, *x_range, fs), body, fs)
    if len(xs_body) <= len(merge_island_columns(column_edges(lines, *x_range, fs), lines, fs)):
        return None
    if not starts_level(bands[0], bands[1], xs_body, fs):
        return None
    return (max(ln.bbox[3] for ln in bands[0]) + min(ln.bbox[1] for ln in bands[1])) / 2


GUTTER_MIN_EM = 1.0
"""A page-column gutter is at least this wide: blank from the top of the page's text to its
bottom (lines across both columns, a running header or a heading, and page furniture
aside)."""
GUTTER_ZONE = (0.3, 0.7)
"""Where on the page (shares of its width) a gutter between two page columns lies."""
FURNITURE_SHARE = 0.08
"""Lines this near the page's top or bottom edge (shares of its height) are running headers,
footers and page numbers: they may stand in the gutter."""
PAGE_COLUMN_SHARE = 0.35
"""A page column of running text is at least this share of the page wide (a table's column
of wrapped cells beyond a wide gap is narrower)."""
SPANNING_SHARE = 0.6
"""Lines wider than this share of the page cross the gutter (running headers, headings)."""


def page_gutter(
    lines: list[TextLine], width: float, height: float, fs: float
) -> tuple[float, float] | None:
    """The blank x-range between two page columns, or ``None`` on a one-column page."""
    margin = FURNITURE_SHARE * height
    narrow = [
        ln
        for ln in lines
        if ln.bbox[2] - ln.bbox[0] <= SPANNING_SHARE * width
        and margin < center(ln.bbox)[1] < height - margin
    ]
    lo, hi = int(GUTTER_ZONE[0] * width), int(GUTTER_ZONE[1] * width)
    if hi <= lo or not narrow:
        return None
    blank = [not any(ln.bbox[0] <= x <= ln.bbox[2] for ln in narrow) for x in range(lo, hi)]
    runs: list[tuple[int, int]] = []
    start = None
    for i, free in enumerate([*blank, False]):
        if free and start is None:
            start = i
        elif not free and start is not None:
            runs.append((lo + start, lo + i))
            start = None
    runs = [r for r in runs if r[1] - r[0] >= GUTTER_MIN_EM * fs]
    if not runs:
        return None
    a, b = max(runs, key=lambda r: r[1] - r[0])
    left = sum(1 for ln in narrow if ln.bbox[2] <= a)
    right = sum(1 for ln in narrow if ln.bbox[0] >= b)
    return (float(a), float(b)) if left >= MIN_ROWS and right >= MIN_ROWS else None


FULL_LINE_SHARE = 0.8
"""A line of running text fills at least this share of its page column's measure ..."""
FULL_LINES = 0.5
"""... and most lines of a page column of running text do (all but each paragraph's last)."""


def _running_text(lines: list[TextLine], width: float) -> bool:
    """Lines set as running text in a page column: the column is a good share of the page
    wide and most lines fill its measure (a table's column of labels leaves most lines short)."""
    if not lines:
        return False
    x0, x1 = min(ln.bbox[0] for ln in lines), max(ln.bbox[2] for ln in lines)
    full = sum(1 for ln in lines if ln.bbox[2] - ln.bbox[0] >= FULL_LINE_SHARE * (x1 - x0))
    return x1 - x0 >= PAGE_COLUMN_SHARE * width and full >= FULL_LINES * len(lines)


def beside_prose(lines: list[TextLine], width: float, height: float, fs: float) -> list[TextLine]:
    """On a two-column page whose one column is running text (no baseline with two runs) and
    whose other sets runs in columns on a few baselines, the other column's lines only: a page
    column of prose beside a table shares its baselines but is no column of it. Else
    ``lines`` unchanged."""
    gutter = page_gutter(lines, width, height, fs)
    if gutter is None:
        return lines
    left = [ln for ln in lines if ln.bbox[2] <= gutter[0]]
    right = [ln for ln in lines if ln.bbox[0] >= gutter[1]]
    multi = [sum(_is_multi(band, fs) for band in line_bands(side)) for side in (left, right)]
    wide = [_running_text(side, width) for side in (left, right)]
    if multi[0] >= MIN_ROWS and multi[1] == 0 and wide[1]:
        return left
    if multi[1] >= MIN_ROWS and multi[0] == 0 and wide[0]:
        return right
    return lines


OWN_BASELINES_SHARE = 0.5
"""A text column beside a table keeps its own leading, so it starts a line on few of the table's
row baselines; a column of the table starts one on every row it has text in."""


def _inside(box: BBox, outer: BBox) -> bool:
    return box[0] >= outer[0] and box[1] >= outer[1] and box[2] <= outer[2] and box[3] <= outer[3]


def text_column_beside(lines: list[TextLine], fs: float) -> list[TextLine] | None:
    """The lines on one side of the widest vertical gap no line crosses when the other side is
    a column of running text (every baseline one run, at least ``MIN_ROWS`` lines, on baselines
    of its own: it starts no line on most of the rows beside it) and this side has baselines of
    several runs; ``None`` when there is no such gap."""
    spans = sorted((ln.bbox[0], ln.bbox[2]) for ln in lines)
    gaps: list[tuple[float, float]] = []
    reach = spans[0][1] if spans else 0.0
    for a, b in spans[1:]:
        if a - reach >= DEFAULT.run_gap_em * fs:
            gaps.append((reach, a))
        reach = max(reach, b)
    for lo, hi in sorted(gaps, key=lambda g: g[0] - g[1]):
        left = [ln for ln in lines if ln.bbox[2] <= lo]
        right = [ln for ln in lines if ln.bbox[0] >= hi]
        for text, other in ((right, left), (left, right)):
            bands = line_bands(text)
            if len(text) < MIN_ROWS or any(len(band) > 1 for band in bands):
                continue
            top, bottom = min(ln.bbox[1] for ln in text), max(ln.bbox[3] for ln in text)
            rows = [
                min(ln.bbox[1] for ln in band)
                for band in line_bands(other)
                if _is_multi(band, fs) and top <= min(ln.bbox[1] for ln in band) <= bottom
            ]
            shared = sum(
                any(abs(ln.bbox[1] - y) <= DEFAULT.baseline_em * fs for ln in text) for y in rows
            )
            if shared > OWN_BASELINES_SHARE * len(rows):
                continue  # a column of the table: it starts a line on the rows' baselines
            if any(_is_multi(band, fs) for band in line_bands(other)):
                return other
    return None


def _share_text_with_last_label(grid: Grid, lines: list[TextLine]) -> Grid:
    """A last row holding only its label (see ``_trailing_label``) shares the text beside the
    label above: without rules the only sign of one cell serving two labels is the blank."""
    if grid.n_rows < MIN_ROWS or grid.n_cols != 2:
        return grid  # a label column beside one column of text, not a grid of figures
    last = grid.n_rows - 1
    first_col = [b for b in grid.boxes if b.row == last and b.col == 0]
    others = [b for b in grid.boxes if b.row + b.row_span - 1 == last and b.col > 0]
    if not first_col or not lines_in(lines, first_col[0].bbox):
        return grid
    if any(b.row < last or lines_in(lines, b.bbox) for b in others):
        return grid
    above = [b for b in grid.boxes if b.row + b.row_span - 1 == last - 1 and b.col > 0]
    texts = [ln.text for b in above for ln in lines_in(lines, b.bbox)]
    if not texts or is_numeric(" ".join(texts)):
        return grid
    keep = [b for b in grid.boxes if b not in others]
    spans = [(b.row, b.col, b.row_span + (b in above), b.col_span) for b in keep]
    return grid_from_spans(grid.xs, grid.ys, spans, grid.header_rows)


class AlignedStrategy(TableStrategy):
    """Tables whose only structure is text alignment."""

    style = TableStyle.ALIGNED
    order = 40
    prior = 0.8

    def __init__(self, settings: AlignedSettings | None = None) -> None:
        self.settings = settings or DEFAULT

    def find_regions(self, page: PageContent, claimed: list[BBox]) -> list[Region]:
        free = [ln for ln in page.lines if not any(intersects(ln.bbox, c) for c in claimed)]
        fs = font_size_of(page.lines)
        free = beside_prose(free, page.width, page.height, fs)
        regions = [Region(union(ln.bbox for ln in block)) for block in candidate_blocks(free, fs)]
        return [r for r in regions if not _has_graphics(page, r.bbox)]

    def fallback_regions(self, page: PageContent, region: Region) -> list[Region]:
        """A table set in one column of a two-column page takes in the other column's lines
        that share its baselines, and fails as prose: beside a clear gutter that no line
        crosses, the side of plain running text (no baseline with two runs) is dropped and the
        other side looked for tables again."""
        lines = self.region_lines(page, region)
        fs = font_size_of(page.lines)
        side = text_column_beside(lines, fs)
        if side is None:
            return []
        blocks = candidate_blocks(side, fs)
        found = [Region(union(ln.bbox for ln in block)) for block in blocks]
        return [r for r in found if _inside(r.bbox, region.bbox) and r.bbox != region.bbox]

    def region_lines(self, page: PageContent, region: Region) -> list[TextLine]:
        x0, top, x1, bottom = region.bbox
        return [
            ln
            for ln in page.lines
            if x0 <= center(ln.bbox)[0] <= x1 and top <= center(ln.bbox)[1] <= bottom
        ]

    def build_grid(self, page: PageContent, region: Region, lines: list[TextLine]) -> Grid | None:
        fs = font_size_of(lines)
        x0, top, x1, bottom = region.bbox
        if len(column_edges(lines, x0, x1, fs)) < 3:
            return None
        split = group_label_bottom(lines, (x0, x1), fs)
        if split is None:
            xs, ys, spans, _ = build_text_grid(
                lines, (x0, x1), [top, bottom + 0.01], [True], None, fs
            )
        else:
            xs, ys, spans, _ = build_text_grid(
                lines, (x0, x1), [top, split, bottom + 0.01], [False, True], split, fs
            )
        # two rows: a two-line table, or (three columns or more) labels over lists, see accept
        two_rows = two_row_table(line_bands(lines), fs) or len(xs) >= 4
        if len(xs) < 3 or len(ys) < (3 if two_rows else MIN_ROWS + 1):
            return None
        return _share_text_with_last_label(grid_from_spans(xs, ys, spans), lines)

    def accept(self, table: Table, lines: list[TextLine]) -> Verdict:
        wrapped = _wrapped_pair(table, lines)  # its rows' tops vouch for it, sparse or not
        pair = table.n_rows == 2 and (
            two_row_table(line_bands(lines), font_size_of(lines))
            or _labels_over_lists(table)
            or wrapped
        )
        verdict = super().accept(table, lines)
        if not verdict.kept:
            return verdict
        if table.n_rows < self.settings.min_rows and not pair:
            return reject(f"{table.n_rows} aligned rows: too few to be more than a coincidence")
        if not pair and _looks_like_prose(table) and not _text_table(table, lines):
            return reject("long cells or a column of bare markers: prose or a list")
        full_rows = sum(  # merged cells count in every row they cover
            1
            for r in range(table.n_rows)
            if sum(1 for c in table.cells if c.row <= r < c.row + c.row_span and c.text) >= 2
        )
        filled = sum(c.row_span * c.col_span for c in table.cells if c.text)
        if full_rows < self.settings.min_full_rows * table.n_rows:
            return reject(f"{full_rows} of {table.n_rows} rows have two cells of text")
        if filled < self.settings.min_density * table.n_rows * table.n_cols and not wrapped:
            return reject(f"{filled} of {table.n_rows * table.n_cols} slots hold text: sparse")
        what = "a two-row table" if pair else f"{table.n_rows} aligned rows"
        return keep(f"{what} in {table.n_cols} columns, {filled} slots of text")


register(AlignedStrategy())
