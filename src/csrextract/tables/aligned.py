"""Tables without any graphics: columns are only aligned text.

Deliberately conservative — ordinary paragraphs, two-column body text, running headers and
bullet lists must not become tables. A block qualifies only when at least three consecutive
baselines each hold several separate runs that line up in the same columns, the cells are short,
and no column is just list markers.
"""

from __future__ import annotations

import itertools

from csrextract.models import BBox, PageContent, Table, TableStyle, TextLine
from csrextract.tables.base import Region, TableStrategy, register
from csrextract.tables.cells import BULLET_RE
from csrextract.tables.geometry import center, font_size_of, intersects, lines_in, median, union
from csrextract.tables.grid import Grid, grid_from_spans
from csrextract.tables.header import is_numeric
from csrextract.tables.text_grid import build_text_grid, column_edges, line_bands

MIN_ROWS = 3
MAX_MEAN_CELL_CHARS = 24
MIN_DENSITY = 0.6
"""Share of the grid that must hold text: sparse grids are diagrams or scattered labels."""
LONG_CELL_CHARS = 15
"""Two columns whose typical cell is this long are running text set in columns, not a table."""


def _is_multi(band: list[TextLine], fs: float) -> bool:
    """Several runs on one baseline separated by a clear gap."""
    ordered = sorted(band, key=lambda ln: ln.bbox[0])
    return any(b.bbox[0] - a.bbox[2] >= 1.0 * fs for a, b in itertools.pairwise(ordered))


def _wraps(block: list[list[TextLine]], fs: float) -> bool:
    """The last band is a wrapped line of a cell above: one run set flush under a run of the
    band before it, at line spacing rather than row spacing."""
    if len(block) < 2 or len(block[-1]) != 1:
        return False
    line, above = block[-1][0], block[-2]
    gap = line.bbox[1] - max(ln.bbox[3] for ln in above)
    return gap < 0.6 * fs and any(abs(ln.bbox[0] - line.bbox[0]) <= 0.3 * fs for ln in above)


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
