"""Borderless tables drawn with background fills: a coloured header band and zebra-striped rows.

Fills that touch or stack closely form one table. Row edges are the fills' tops and bottoms (a
white band between two stripes is a row too); columns come from the whitespace in the body text,
plus the borders between fills drawn cell by cell; merged cells from where the text sits
(``text_grid``).
"""

from __future__ import annotations

import bisect
import itertools

from csrextract.models import BBox, Fill, PageContent, TableStyle, TextLine
from csrextract.tables.base import Region, TableStrategy, register
from csrextract.tables.cells import hand_on_trailing_markers, set_as_heading, split_at_bullets
from csrextract.tables.clustering import cluster_centres, merge_intervals
from csrextract.tables.geometry import center, font_size_of, intersects, median, union
from csrextract.tables.grid import Grid, grid_from_spans
from csrextract.tables.group_label import two_column_group_labels
from csrextract.tables.header import SAME_SHADE, is_numeric
from csrextract.tables.settings import FilledSettings, RuleSettings
from csrextract.tables.text_grid import build_text_grid, line_bands

DEFAULT = FilledSettings()
WHITE = DEFAULT.white
"""Fills lighter than this are page background, not table bands."""


def table_fills(page: PageContent, fs: float, settings: FilledSettings = DEFAULT) -> list[Fill]:
    """Fills that can be table backgrounds: coloured, not lines, not glyph-sized, not the page."""
    page_area = page.width * page.height
    thin = RuleSettings().thin_fill_pt
    out = []
    for fill in page.fills:
        x0, y0, x1, y1 = fill.bbox
        w, h = x1 - x0, y1 - y0
        coloured = fill.gray < settings.white and h > thin and w > thin
        if (
            coloured
            and w >= settings.min_fill_width_em * fs
            and h >= settings.min_fill_height_em * fs
            and w * h < settings.max_page_share * page_area
        ):
            out.append(fill)
    return out


def _adjacent(a: BBox, b: BBox, fs: float) -> bool:
    """Side by side in one row, or stacked with at most a stripe's height between them."""
    x_overlap = min(a[2], b[2]) - max(a[0], b[0])
    y_overlap = min(a[3], b[3]) - max(a[1], b[1])
    if y_overlap > 0 and x_overlap > -0.5 * fs:
        return True
    gap = max(a[1], b[1]) - min(a[3], b[3])
    tallest = max(a[3] - a[1], b[3] - b[1])
    wide = x_overlap > 0.5 * min(a[2] - a[0], b[2] - b[0])
    return wide and gap <= max(3 * fs, 1.5 * tallest)


def _column_gaps(
    lines: list[TextLine], x0: float, x1: float, fs: float
) -> list[tuple[float, float]]:
    """x-ranges inside ``x0..x1`` that no line touches (at least ``0.6 fs`` wide).

    The lines are cut at their bullets first, as the cells will read them: a label and the
    first item of the list beside it can share one run of the text layer (set a little apart,
    one baseline), which would hide the gap between their columns."""
    runs = split_at_bullets(lines)
    covered = merge_intervals((ln.bbox[0], ln.bbox[2]) for ln in runs)
    gaps = []
    edge = min((a for a, _ in covered), default=x1)
    for a, b in covered:
        if a - edge >= 0.6 * fs:
            gaps.append((edge, a))
        edge = max(edge, b)
    return gaps


def _white_row_between(a: BBox, b: BBox, lines: list[TextLine], fs: float) -> bool:
    """An unfilled row between two stripes of one zebra table, however tall it is.

    The stripes have the same extent, the text between them is body-sized and keeps out of the
    column gaps of the stripes' text (a paragraph or heading between two tables would not).
    """
    if abs(a[0] - b[0]) > fs or abs(a[2] - b[2]) > fs:
        return False
    lines = hand_on_trailing_markers(lines)  # a label run into the next cell's bullet
    inside = [ln for ln in lines if a[0] <= center(ln.bbox)[0] <= a[2]]
    striped = [ln for ln in inside if _within(ln.bbox, a) or _within(ln.bbox, b)]
    between = [ln for ln in inside if a[3] <= center(ln.bbox)[1] <= b[1]]
    return fits_columns(between, striped, a[0], a[2], fs)


def fits_columns(
    candidate: list[TextLine],
    table: list[TextLine],
    x0: float,
    x1: float,
    fs: float,
    labels: bool = False,
) -> bool:
    """``candidate`` lines read as a row of the table whose text is ``table``: body-sized
    (no heading) and clear of the column gaps of the table's text (no paragraph). Header
    ``labels`` may reach over a gap they are centred on: a label over two columns is centred
    over both, the gap between them."""
    gaps = _column_gaps(table, x0, x1, fs)
    if not candidate or not gaps:
        return False
    body = font_size_of(table, fs)
    typical = font_size_of(candidate, fs)
    if abs(typical - body) > 0.25 * body or any(
        (ln.font_size or body) > 1.5 * body for ln in candidate
    ):
        return False  # a heading or a differently set paragraph
    return not any(
        ln.bbox[0] < g0 and ln.bbox[2] > g1 and not (labels and g0 <= center(ln.bbox)[0] <= g1)
        for ln in candidate
        for g0, g1 in gaps
    )


def _within(box: BBox, outer: BBox) -> bool:
    cx, cy = center(box)
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def aligned_with(run: TextLine, table: list[TextLine], fs: float) -> bool:
    """``run`` is set in a column of ``table``: its left edge, centre or right edge meets that
    of a table run it overlaps horizontally (cells of one column share an alignment)."""
    tol = DEFAULT.align_em * fs
    for other in table:
        if other.bbox[2] < run.bbox[0] or run.bbox[2] < other.bbox[0]:
            continue
        if (
            abs(other.bbox[0] - run.bbox[0]) <= tol
            or abs(center(other.bbox)[0] - center(run.bbox)[0]) <= tol
            or abs(other.bbox[2] - run.bbox[2]) <= tol
        ):
            return True
    return False


def row_like(candidate: list[TextLine], table: list[TextLine], fs: float) -> bool:
    """More than half of ``candidate``'s runs are set in the table's columns: a row of it. A
    page number or a footer under a table is placed by the page, not by the columns."""
    if not candidate or not table:
        return False
    aligned = sum(aligned_with(ln, table, fs) for ln in candidate)
    return aligned * 2 > len(candidate)


def _runs_in_columns(fill: Fill, lines: list[TextLine]) -> bool:
    """Some baseline inside the fill holds two runs or more: cells side by side (a row of
    cells whose borders a scan cannot show), not a box around a paragraph."""
    return any(
        len(band) >= 2 for band in line_bands([ln for ln in lines if _within(ln.bbox, fill.bbox)])
    )


def _lattice(a: BBox, b: BBox, fs: float) -> bool:
    """Two fills of one size in one grid of cells: side by side in a row or a column with at
    most one cell left white between them, or touching at a corner (a checkerboard)."""
    tol = DEFAULT.edge_snap_em * fs
    w, h = a[2] - a[0], a[3] - a[1]
    if abs(w - (b[2] - b[0])) > tol or abs(h - (b[3] - b[1])) > tol:
        return False
    x_gap = max(a[0], b[0]) - min(a[2], b[2])
    y_gap = max(a[1], b[1]) - min(a[3], b[3])
    same_row = abs(a[1] - b[1]) <= tol and x_gap <= w + fs
    same_col = abs(a[0] - b[0]) <= tol and y_gap <= h + fs
    corner = -tol <= x_gap <= fs and -tol <= y_gap <= fs
    return same_row or same_col or corner


def row_band(fill: Fill, fills: list[Fill], fs: float, edge: str = "both") -> BBox:
    """The whole stripe ``fill`` is part of: fills touching side by side along the stripe's
    ``edge`` (``"both"``: the same top and bottom, a row shaded cell by cell; ``"top"`` or
    ``"bottom"``: that edge only, so a row whose first cell spans rows, drawn taller than its
    other cells, is still one stripe along it). A white row is also judged between whole
    stripes: between two cells of one column, the text alone shows no column gap to keep out
    of; the upper stripe is met along its bottom, the lower one along its top."""
    tol = DEFAULT.edge_snap_em * fs
    box = fill.bbox
    grown = True
    while grown:
        grown = False
        for other in fills:
            o = other.bbox
            if (
                (edge == "bottom" or abs(o[1] - box[1]) <= tol)
                and (edge == "top" or abs(o[3] - box[3]) <= tol)
                and max(o[0], box[0]) - min(o[2], box[2]) <= tol
                and (o[0] < box[0] or o[2] > box[2])
            ):
                grown = True
                box = (
                    min(o[0], box[0]),
                    box[1] if edge == "top" else min(o[1], box[1]),
                    max(o[2], box[2]),
                    box[3] if edge == "bottom" else max(o[3], box[3]),
                )
    return box


def fill_groups(
    fills: list[Fill], fs: float, lines: list[TextLine] | None = None
) -> list[list[Fill]]:
    """Connected groups of adjacent fills: one group per table.

    Stacked fills join when close, or (given the page's ``lines``) when the text between them is
    a white row of the same table.
    """
    parent = list(range(len(fills)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ordered = sorted(fills, key=lambda f: f.bbox[1])
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            if find(i) == find(j):
                continue
            near = b.bbox[1] - a.bbox[3] <= max(3 * fs, 1.5 * (a.bbox[3] - a.bbox[1])) + 1
            if (
                (near and _adjacent(a.bbox, b.bbox, fs))
                or _lattice(a.bbox, b.bbox, fs)
                or (
                    lines is not None
                    and b.bbox[1] >= a.bbox[3]
                    and (
                        _white_row_between(a.bbox, b.bbox, lines, fs)
                        or _white_row_between(
                            row_band(a, fills, fs, "bottom"),
                            row_band(b, fills, fs, "top"),
                            lines,
                            fs,
                        )
                    )
                )
            ):
                parent[find(j)] = find(i)
    groups: dict[int, list[Fill]] = {}
    for i, fill in enumerate(ordered):
        groups.setdefault(find(i), []).append(fill)
    return list(groups.values())


def row_spacing(lines: list[TextLine], box: BBox) -> float:
    """The widest blank space between consecutive text rows inside ``box`` (0 with fewer than
    two rows): how far apart the table's own rows are set."""
    bands = line_bands([ln for ln in lines if _within(ln.bbox, box)])
    return max(
        (
            min(ln.bbox[1] for ln in lower) - max(ln.bbox[3] for ln in upper)
            for upper, lower in itertools.pairwise(bands)
        ),
        default=0.0,
    )


def _extend_below(
    group: list[Fill], lines: list[TextLine], fs: float, first: float | None = None
) -> float:
    """Bottom of the table: past the last stripe when an unfilled last row (or body) follows.

    ``first`` is the table's top (above the stripe when an unfilled header row was found):
    under a single stripe the rows below may be set as far apart as the rows above it.
    """
    x0, top, x1, bottom = union(f.bbox for f in group)
    tops = cluster_centres((f.bbox[1] for f in group), 0.3 * fs)
    bottoms = cluster_centres((f.bbox[3] for f in group), 0.3 * fs)
    gaps = [
        t - b
        for t in tops
        for b in bottoms
        if 0.8 * fs < t - b
        and not any(b < t2 < t for t2 in tops)
        and not any(b - 0.3 * fs < b2 <= t for b2 in bottoms if b2 != b)  # a fill in between
    ]
    below = sorted(
        (
            ln
            for ln in lines
            if ln.bbox[1] >= bottom - 0.3 * fs and x0 - fs <= center(ln.bbox)[0] <= x1 + fs
        ),
        key=lambda ln: ln.bbox[1],
    )
    inside = [ln.font_size for ln in lines if intersects(ln.bbox, (x0, top, x1, bottom))]
    below = _until_heading(below, median(inside) if inside else fs)
    table = [ln for ln in lines if _within(ln.bbox, (x0, top, x1, bottom))]
    if gaps:
        limit = bottom + 1.3 * median(gaps) + 0.3 * fs
        row = _unfilled_last_row(below, table, bottom, limit, fs)
        if not row_like(row, table, fs):
            return bottom
        return _more_white_rows(row, below, table, (x0, top, x1, bottom), lines, fs)
    if len(tops) == 1:
        end = bottom
        reach = _row_reach_under_band(group, table, lines, fs, first)
        body: list[TextLine] = []
        for band in line_bands(below):
            gap = min(ln.bbox[1] for ln in band) - end
            if gap > reach:
                break
            # header labels may be centred over left-set body text: the body's own columns
            # decide, once there is a body row to compare with (a lone page number is not set
            # in them); a row a lattice's cell lower must sit in the cells' columns
            if body and not row_like(band, table + body, fs):
                break  # a page number or a footer, set by the page
            if _across_columns(band, table + body, fs):
                break  # a line across the body's columns: a paragraph after the table
            if flush_outside_cells(band, table + body, x0, fs):
                break  # set at the page's margin, not in a padded cell: a caption below
            far_or_at_edge = gap > 1.5 * fs or _at_band_edge(band, x0, fs)
            if not body and far_or_at_edge and not row_like(band, table, fs):
                break  # far below, or a caption set at the band's edge, off the columns
            if not body:  # rows padded like the first one: two paddings apart, not one
                reach = max(reach, DEFAULT.padded_row_reach * gap)
            end = max(ln.bbox[3] for ln in band)
            body.extend(band)
        return end
    return _last_white_row(group, lines, below, fs)


def _row_reach_under_band(
    group: list[Fill], table: list[TextLine], lines: list[TextLine], fs: float, first: float | None
) -> float:
    """How far apart the unfilled rows under a single band may follow one another: a line and
    a half, a cell's height under a band drawn cell by cell (a lattice), the band's own
    padding (body cells are padded as the header is), the table's row spacing above it."""
    x0, top, x1, bottom = union(f.bbox for f in group)
    reach = max(1.5 * fs, bottom - top) if len(group) >= 2 else 1.5 * fs
    if table:
        text_height = max(ln.bbox[3] for ln in table) - min(ln.bbox[1] for ln in table)
        reach = max(reach, DEFAULT.band_padding_reach * (bottom - top - text_height))
    if first is not None and first < top:
        spacing = row_spacing(lines, (x0, first, x1, bottom))
        reach = max(reach, DEFAULT.row_spacing_reach * spacing)
    return reach


def _at_band_edge(band: list[TextLine], left: float, fs: float) -> bool:
    """Every run of ``band`` starts at the bands' left edge (within ``edge_snap_em``): text no
    padded cell of the table sets there, such as a caption right under the last stripe."""
    return all(ln.bbox[0] <= left + DEFAULT.edge_snap_em * fs for ln in band)


def _more_white_rows(
    row: list[TextLine],
    below: list[TextLine],
    table: list[TextLine],
    box: BBox,
    lines: list[TextLine],
    fs: float,
) -> float:
    """Bottom of the unfilled rows under the last stripe, from the first (``row``) on: a zebra
    striped by groups leaves a group of several rows white, each set as far from the one above
    as the table's rows are; a paragraph, a heading or a page number ends them."""
    end = max(ln.bbox[3] for ln in row)
    reach = DEFAULT.row_spacing_reach * row_spacing(lines, box)
    body = list(row)
    for band in line_bands([ln for ln in below if not any(ln is r for r in row)]):
        if min(ln.bbox[1] for ln in band) - end > reach:
            break
        if not row_like(band, table + body, fs) or _across_columns(band, table + body, fs):
            break
        end = max(end, max(ln.bbox[3] for ln in band))
        body.extend(band)
    # the last row keeps the padding the first white row has under the stripe: a label
    # centred over the white rows is centred between the stripe and that padded bottom
    padding = min(ln.bbox[1] for ln in row) - box[3]
    return end + min(max(padding, 0.0), reach)


def _unfilled_last_row(
    below: list[TextLine], table: list[TextLine], bottom: float, limit: float, fs: float
) -> list[TextLine]:
    """The lines of the unfilled row under the last stripe: within a row's height of it
    (``limit``), or past it while they still follow each other at line spacing; never a
    paragraph after the table or a line well under the row's last."""
    row: list[TextLine] = []
    left = min((ln.bbox[0] for ln in table), default=0.0)
    for band in line_bands(below):
        if _paragraph_after(band, table + row, left, fs) and row:
            break  # a paragraph after the table, and whatever follows it
        gap = min(ln.bbox[1] for ln in band) - max((ln.bbox[3] for ln in row), default=bottom)
        if row and gap > ROW_BREAK_EM * fs:
            break  # the row's lines have ended: a page number or a note further down
        if max(ln.bbox[3] for ln in band) > limit and not (row and gap <= CELL_WRAP_GAP_EM * fs):
            break  # past a row's height, only the lines of the row itself go on
        row.extend(band)
    return row


ROW_BREAK_EM = 2.0
"""Inside the unfilled last row lines follow at line spacing (a list item's gap included);
a line further below than this is not the row's."""


def _paragraph_after(band: list[TextLine], body: list[TextLine], left: float, fs: float) -> bool:
    """One run starting at the table's left text edge and reaching over a gap between the
    body's columns: running text after the table, not a cell's line."""
    return len(band) == 1 and band[0].bbox[0] <= left + fs and _across_columns(band, body, fs)


def _across_columns(band: list[TextLine], body: list[TextLine], fs: float) -> bool:
    """A run of ``band`` reaches over a gap that separates two columns of ``body`` (text on
    both sides of it on one baseline)."""
    gaps = []
    for row in line_bands(body):
        ordered = sorted(row, key=lambda ln: ln.bbox[0])
        gaps += [
            (a.bbox[2], b.bbox[0])
            for a, b in itertools.pairwise(ordered)
            if b.bbox[0] - a.bbox[2] >= DEFAULT.column_gap_em * fs
        ]
    return any(ln.bbox[0] < g0 and ln.bbox[2] > g1 for ln in band for g0, g1 in gaps)


def flush_outside_cells(band: list[TextLine], body: list[TextLine], x0: float, fs: float) -> bool:
    """``band`` starts flush with the stripes' left edge ``x0`` while every line of ``body``
    sits inside it by a cell's padding: the line is set by the page (a caption under the
    table, the next paragraph), not in one of the table's padded cells."""
    if not band or not body:
        return False
    inset = min(ln.bbox[0] for ln in body) - x0
    start = min(ln.bbox[0] for ln in band)
    return inset >= DEFAULT.cell_inset_em * fs and abs(start - x0) <= DEFAULT.flush_edge_em * fs


def _one_per_column(row: list[TextLine], gaps: list[tuple[float, float]]) -> bool:
    """Runs in every column between the column gaps of the table's text: labels centred over
    left-set cells line up with none of them, yet head each column (a label may wrap)."""
    cuts = [(a + b) / 2 for a, b in gaps]
    columns = {bisect.bisect(cuts, center(ln.bbox)[0]) for ln in row}
    return len(columns) == len(cuts) + 1 >= 2


WRAPPED_LABEL_GAP_EM = 0.5
"""Lines of one header row above the stripes closer than this (em) are one label wrapped
(``对应的 GRI 标准披露`` over ``项``): leading, not the padding between rows. Looser than
``WRAP_GAP_EM``: here each wrapped run must also sit under a run of the line above."""


def _wrapped_onto(upper: list[TextLine], lower: list[TextLine], fs: float) -> bool:
    """``lower`` holds the wrapped ends of labels of ``upper``: at leading's distance, set in
    the same size, each of its runs under one of ``upper``'s, and fewer of them."""
    gap = min(ln.bbox[1] for ln in lower) - max(ln.bbox[3] for ln in upper)
    sizes = [ln.font_size for ln in upper + lower]
    return (
        gap <= WRAPPED_LABEL_GAP_EM * fs
        and len(lower) < len(upper)
        and max(sizes) - min(sizes) <= SAME_SIZE_SHARE * max(sizes)
        and all(
            any(min(a.bbox[2], b.bbox[2]) > max(a.bbox[0], b.bbox[0]) for a in upper) for b in lower
        )
    )


SAME_SIZE_SHARE = 0.05
"""Runs whose sizes differ by less than this share are set in one size (one label)."""


def _bands_above(
    group: list[Fill], lines: list[TextLine], fs: float
) -> tuple[float, list[list[TextLine]]]:
    """The height of the group's first row of fills, and the baselines above the group within
    that height and between its sides: where an unfilled header row would stand."""
    x0, top, x1, _ = union(f.bbox for f in group)
    first = [f for f in group if f.bbox[1] <= top + DEFAULT.edge_snap_em * fs]
    height = max(f.bbox[3] - f.bbox[1] for f in first)
    above = [
        ln
        for ln in lines
        if ln.bbox[3] <= top + DEFAULT.edge_snap_em * fs
        and top - ln.bbox[3] <= height
        and x0 <= center(ln.bbox)[0] <= x1
    ]
    return height, line_bands(above)


def extend_above(group: list[Fill], lines: list[TextLine], fs: float) -> float:
    """Top of a table without header band: the unfilled first row above the first stripe (or
    first row of cells), when it holds two runs or more set in the table's columns and sits as
    close to the stripe as a row of the table's height would."""
    x0, top, x1, bottom = union(f.bbox for f in group)
    height, bands = _bands_above(group, lines, fs)
    if not bands:
        return top
    row = list(bands[-1])
    for band in reversed(bands[:-1]):  # a label wrapped onto a second line: one row
        if not _wrapped_onto(band, row, fs):
            break
        row = band + row
    table = [ln for ln in lines if _within(ln.bbox, (x0, top, x1, bottom))]
    if len(row) < 2 or not fits_columns(row, table, x0, x1, fs, labels=True):
        return top
    # set in the table's columns, or (labels set off the cells' edges) a run in nearly every
    # column of a table of three columns or more (two runs may be a running header's)
    n_cols = len(_column_gaps(table, x0, x1, fs)) + 1
    if not row_like(row, table, fs) and len(row) < max(3, n_cols - 1):
        return top
    padding = top - max(ln.bbox[3] for ln in row)
    wrapped = _wrapped_above(row, lines, fs)
    if wrapped < min(ln.bbox[1] for ln in row):
        return wrapped - max(padding, 0.0)  # a header row of wrapped labels: as tall as it is
    return max(min(ln.bbox[1] for ln in row) - max(padding, 0.0), top - height)


WRAP_GAP_EM = 0.3
"""Lines of one wrapped label sit this close (em) or closer; a caption or running header
above the header row is set farther off."""
LABEL_GAP_FACTOR = 2.0
"""A header row's labels sit above the first stripe about as far as the stripe's text sits
below its top edge (both gaps are cell padding): at most this many times that gap (plus half
an em); a running header or a caption two runs wide sits farther off."""


def centred_labels_above(group: list[Fill], lines: list[TextLine], fs: float) -> float | None:
    """Top of a table whose unfilled first row holds one label per column, each set off the
    column's left-set cells (centred over it), as close to the first stripe as a row of the
    table's height would be; ``None`` when there is no such row.

    Such labels line up with no cell, so ``extend_above`` leaves them out; heading each
    column once, they are the table's header row, and columns come from the stripes' text
    (a label centred over a wide column would otherwise open a column of its own).
    """
    x0, top, x1, bottom = union(f.bbox for f in group)
    height, bands = _bands_above(group, lines, fs)
    if not bands:
        return None
    row = list(bands[-1])
    for band in reversed(bands[:-1]):  # a label wrapped onto lines of its own
        if min(ln.bbox[1] for ln in row) - max(ln.bbox[3] for ln in band) > WRAP_GAP_EM * fs:
            break
        row += band
    table = [ln for ln in lines if _within(ln.bbox, (x0, top, x1, bottom))]
    gaps = _column_gaps(table, x0, x1, fs)
    if len(row) < 2 or not fits_columns(row, table, x0, x1, fs) or not _one_per_column(row, gaps):
        return None
    padding = top - max(ln.bbox[3] for ln in row)
    inset = min((ln.bbox[1] for ln in table if ln.bbox[1] < top + height), default=top) - top
    if padding > LABEL_GAP_FACTOR * max(inset, 0.0) + 0.5 * fs:
        return None  # farther off than a cell's padding: a running header or a caption
    return max(min(ln.bbox[1] for ln in row) - max(padding, 0.0), top - height)


CELL_WRAP_GAP_EM = 0.6
"""Lines of one wrapped cell follow each other closer than this (em); rows are set further
apart. Looser than ``WRAP_GAP_EM``, which tells a header label's wrapped line from a caption
or running header right above it."""


def _wrapped_above(row: list[TextLine], lines: list[TextLine], fs: float) -> float:
    """Top of ``row`` with the lines its labels wrapped from: baselines right above at line
    spacing whose runs stand one over each of the row's runs."""
    runs = sorted(row, key=lambda ln: ln.bbox[0])
    top = min(ln.bbox[1] for ln in row)
    x0, x1 = min(ln.bbox[0] for ln in row), max(ln.bbox[2] for ln in row)
    above = [
        ln for ln in lines if ln.bbox[3] <= top + 1.0 and x0 - fs <= center(ln.bbox)[0] <= x1 + fs
    ]
    for band in reversed(line_bands(above)):
        over = sorted(band, key=lambda ln: ln.bbox[0])
        if top - max(ln.bbox[3] for ln in band) > CELL_WRAP_GAP_EM * fs or len(over) != len(runs):
            break
        if not all(
            a.bbox[0] < b.bbox[2] and b.bbox[0] < a.bbox[2] for a, b in zip(over, runs, strict=True)
        ):
            break
        top = min(ln.bbox[1] for ln in band)
    return top


def runs_headed(band: list[TextLine], runs: list[TextLine]) -> list[int]:
    """How many of ``runs`` (a header row) each label of ``band`` heads, left to right.

    Each run goes to the label whose share of the row it sits in (shares split halfway between
    neighbouring labels); a label heads its runs only when its centre lies between the first
    and last of them (a label off to one side heads nothing: 0).
    """
    labels = sorted(band, key=lambda ln: ln.bbox[0])
    cuts = [(a.bbox[2] + b.bbox[0]) / 2 for a, b in itertools.pairwise(labels)]
    counts = []
    for k, label in enumerate(labels):
        lo = cuts[k - 1] if k > 0 else float("-inf")
        hi = cuts[k] if k < len(cuts) else float("inf")
        mine = [center(r.bbox)[0] for r in runs if lo <= center(r.bbox)[0] < hi]
        cx = center(label.bbox)[0]
        counts.append(len(mine) if mine and min(mine) <= cx <= max(mine) else 0)
    return counts


def _above_header_row(
    group: list[Fill], lines: list[TextLine], first: float, fs: float
) -> tuple[list[TextLine], list[list[TextLine]]] | None:
    """The labels of the unfilled header row starting at ``first`` (three or more) and the
    bands of text above it, as close as a row of the table's height would be."""
    x0, top, x1, _ = union(f.bbox for f in group)
    if first >= top:
        return None
    height = max(f.bbox[3] - f.bbox[1] for f in group if f.bbox[1] <= top + 0.3 * fs)
    header = [ln for ln in lines if first <= center(ln.bbox)[1] <= top and x0 <= ln.bbox[0]]
    header = [ln for ln in header if ln.bbox[2] <= x1]
    if len(header) < 3:
        return None
    header_top = min(ln.bbox[1] for ln in header)
    above = [
        ln
        for ln in lines
        if ln.bbox[3] <= header_top
        and header_top - ln.bbox[3] <= height
        and x0 <= ln.bbox[0]
        and ln.bbox[2] <= x1
    ]
    return header, line_bands(above)


def _top_over(band: list[TextLine], header: list[TextLine], first: float) -> float:
    """The header row's own padding above its text, repeated above ``band``."""
    header_top = min(ln.bbox[1] for ln in header)
    return max(min(ln.bbox[1] for ln in band) - (header_top - first), 0.0)


def extend_over_group_labels(
    group: list[Fill], lines: list[TextLine], first: float, fs: float
) -> float:
    """Top of a table whose unfilled header row (found by ``extend_above``, starting at
    ``first``) has a band of group labels above it: two labels or more, each centred over two
    or more header labels, as close to the header row as a row of the table's height would be.

    A group label fills the gap between the columns it heads, so it never lines up with the
    table's columns and ``extend_above`` stops under it. A single line centred over the whole
    header is the table's caption, not a group label, and is left out.
    """
    found = _above_header_row(group, lines, first, fs)
    if found is None or not found[1]:
        return first
    header, bands = found
    band = bands[-1]
    counts = runs_headed(band, header)
    if len(band) < 2 or min(counts) < 2:
        return first
    return _top_over(band, header, first)


def extend_over_spanning_group(
    group: list[Fill], lines: list[TextLine], first: float, fs: float
) -> float:
    """Top of a table whose unfilled header row (starting at ``first``) has a group label
    above it beside a label spanning both header levels (``指标描述`` set lower, beside
    ``定量数据`` over the years): a two-level header whose columns the header row's labels
    show best (the figures under them may be too few or too narrow to find columns by).
    """
    found = _above_header_row(group, lines, first, fs)
    if found is None or not found[1]:
        return first
    header, bands = found
    band = _group_beside_spanning_label(bands[-2:], header)
    return _top_over(band, header, first) if band else first


def _group_beside_spanning_label(
    bands: list[list[TextLine]], header: list[TextLine]
) -> list[TextLine]:
    """The runs of the two bands above a header row when they are group labels (each centred
    over two header labels or more) beside labels spanning both header levels: set over a
    column the header row leaves empty, lower than the group labels (centred on both
    levels) or level with them (set at its cell's top). Empty when they are not."""
    runs = sorted((ln for band in bands for ln in band), key=lambda ln: ln.bbox[0])
    counts = runs_headed(runs, header)
    groups = [r for r, n in zip(runs, counts, strict=True) if n >= 2]
    others = [r for r, n in zip(runs, counts, strict=True) if n < 2]
    if not groups or not others:
        return []
    group_top = min(g.bbox[1] for g in groups)
    header_mid = min(center(h.bbox)[1] for h in header)
    for run in others:
        clear = all(h.bbox[2] <= run.bbox[0] or run.bbox[2] <= h.bbox[0] for h in header)
        # centred on both levels (below the group labels) or set at the top of its cell
        # (on the group labels' line)
        if not clear or not group_top < center(run.bbox)[1] < header_mid:
            return []
    return runs


def _until_heading(below: list[TextLine], table_fs: float) -> list[TextLine]:
    """The lines under a table up to the first one set clearly larger than the table's text
    (a heading ends the table, however tall its white rows are)."""
    for i, ln in enumerate(below):
        if set_as_heading(ln, table_fs, DEFAULT.heading_factor):
            return below[:i]
    return below


def _last_white_row(
    group: list[Fill], lines: list[TextLine], below: list[TextLine], fs: float
) -> float:
    """Bottom of an unfilled row right under touching bands (header band + one stripe, or a
    striped last-but-one row), when its text lines up with the table's columns."""
    x0, _, x1, bottom = union(f.bbox for f in group)
    tallest = max(f.bbox[3] - f.bbox[1] for f in group)
    row: list[TextLine] = []
    end = bottom
    bands = line_bands(below)
    used = 0
    for band in bands:
        top = min(ln.bbox[1] for ln in band)
        if top - end > (fs if not row else 0.6 * fs) or max(ln.bbox[3] for ln in band) > (
            bottom + 1.5 * tallest
        ):
            break
        row.extend(band)
        end = max(ln.bbox[3] for ln in band)
        used += 1
    last = [f for f in group if f.bbox[3] >= bottom - 0.3 * fs]  # the row right above
    striped = [ln for ln in lines if any(_within(ln.bbox, f.bbox) for f in last)]
    fits = row and fits_columns(row, striped, x0, x1, fs) and row_like(row, striped, fs)
    if not fits:
        return bottom
    # more unfilled rows under a header band, one a band-row's height under the other
    previous = min(ln.bbox[1] for ln in row)
    for band in bands[used:]:
        top = min(ln.bbox[1] for ln in band)
        if len(band) < 2 or top - previous > tallest + 0.3 * fs:
            break
        if not fits_columns(band, striped + row, x0, x1, fs):
            break
        row.extend(band)
        end, previous = max(ln.bbox[3] for ln in band), top
    return end


def _figures_row(band: list[TextLine]) -> bool:
    """A label and figures: two runs or more, all after the first a figure or a dash."""
    runs = sorted(band, key=lambda ln: ln.bbox[0])[1:]
    return bool(runs) and all(_figure(r.text) or r.text.strip() in DASHES for r in runs)


def _figure(text: str) -> bool:
    """A figure opens with a digit or a sign, never a letter: codes and references such as
    ``GRI 302-4, GRI 302-5`` or ``P38`` are mostly digits too, but they are labels."""
    compact = text.strip()
    return bool(compact) and not compact[0].isalpha() and is_numeric(compact)


DASHES = ("-", "–", "—", "/")
"""What a table prints for a figure it has not got."""


def _white_row_edges(lines: list[TextLine], box: BBox, fs: float) -> list[float]:
    """Edges between the unfilled rows under the last fill: between consecutive baselines that
    each hold a label and figures (a KPI row each; a wrapped label adds a one-run baseline, and
    rows of text are left to the text), or labels over figures."""
    inside = [ln for ln in lines if _within(ln.bbox, box)]
    bands = line_bands(inside)
    return [
        (max(ln.bbox[3] for ln in a) + min(ln.bbox[1] for ln in b)) / 2
        for a, b in itertools.pairwise(bands)
        if (_figures_row(a) and _figures_row(b)) or _labels_over_figures(a, b)
    ]


def _labels_over_figures(upper: list[TextLine], lower: list[TextLine]) -> bool:
    """A baseline of labels over one of figures, a run over each run: a KPI panel's two rows."""
    if len(upper) < 2 or len(upper) != len(lower):
        return False
    if any(is_numeric(r.text) for r in upper):
        return False
    figures = [is_numeric(r.text) or r.text.strip() in DASHES for r in lower]
    # a figure may carry a qualifier the header test does not read (超2亿, 近330亿次)
    return all(
        f or any(ch.isdigit() for ch in r.text) for f, r in zip(figures, lower, strict=True)
    ) and (2 * sum(figures) > len(figures))


def fill_column_hints(group: list[Fill], fs: float) -> list[float]:
    """x of borders between fills drawn cell by cell in one row: drawn column boundaries."""
    xs = []
    for a in group:
        for b in group:
            touching = abs(a.bbox[2] - b.bbox[0]) <= 0.2 * fs
            y_overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
            shorter = min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])  # a rowspan is taller
            if touching and y_overlap > 0.5 * shorter:
                xs.append((a.bbox[2] + b.bbox[0]) / 2)
    return cluster_centres(xs, 0.5 * fs)


def _cell_fills(group: list[Fill], hints: list[float], fs: float) -> list[Fill]:
    """Fills drawn as one cell (bounded by a drawn column edge)."""
    return [
        f
        for f in group
        if any(abs(f.bbox[0] - h) <= 0.3 * fs or abs(f.bbox[2] - h) <= 0.3 * fs for h in hints)
    ]


LIGHT_STRIPE = DEFAULT.light_stripe
"""A lone top fill lighter than this is a zebra stripe (or a pale box), not a header band."""


def header_band_bottom(group: list[Fill], top: float, fs: float) -> float | None:
    """Bottom of the header band, or ``None`` when the top fill is no header band.

    The band is the top fills plus fills of the same colour stacked right under them (a
    two-row header). It is a header when its colour differs from every other fill's; a zebra
    stripe in row 0 shares its colour with the stripes below. A band that is the table's only
    colour is a header when it is dark enough to stand out (white-on-colour headers are).
    """
    band = [f for f in group if f.bbox[1] <= top + 0.3 * fs]
    shade = band[0].gray
    bottom = max(f.bbox[3] for f in band)
    while True:  # under any fill of the band: a label spanning both header rows is taller
        below = [
            f
            for f in group
            if f not in band
            and any(abs(f.bbox[1] - b.bbox[3]) <= 0.3 * fs for b in band)
            and _same(f.gray, shade)
        ]
        if not below:
            break
        band += below
        bottom = max(f.bbox[3] for f in band)
    rest = [f for f in group if f not in band]
    if any(_same(f.gray, shade) for f in rest) or (not rest and shade >= LIGHT_STRIPE):
        return None
    return bottom


def _same(a: float, b: float) -> bool:
    return abs(a - b) < SAME_SHADE


def _between_rules(fill: Fill, page: PageContent, fs: float, group: list[Fill]) -> bool:
    """Horizontal rules across the fill at its top and its bottom edge; an edge shared with
    another fill of the group counts as closed (a two-row header band whose inner rule is only
    partial, under a group label)."""
    x0, top, x1, bottom = fill.bbox
    tol = DEFAULT.rule_snap.at(fs)

    def ruled(y: float) -> bool:
        return any(
            r.is_horizontal
            and abs((r.y0 + r.y1) / 2 - y) <= tol
            and min(r.x0, r.x1) <= x0 + tol
            and max(r.x0, r.x1) >= x1 - tol
            for r in page.rules
        )

    above = any(abs(f.bbox[3] - top) <= tol for f in group if f is not fill)
    below = any(abs(f.bbox[1] - bottom) <= tol for f in group if f is not fill)
    return (ruled(top) or above) and (ruled(bottom) or below)


class FilledStrategy(TableStrategy):
    """Tables whose rows are coloured bands."""

    style = TableStyle.FILLED
    order = 20
    prior = 0.95

    def __init__(self, settings: FilledSettings | None = None) -> None:
        self.settings = settings or DEFAULT

    def find_regions(self, page: PageContent, claimed: list[BBox]) -> list[Region]:
        fs = font_size_of(page.lines)
        fills = [
            f
            for f in table_fills(page, fs, self.settings)
            if not any(intersects(f.bbox, c) for c in claimed)
        ]
        regions = []
        for group in fill_groups(fills, fs, page.lines):
            x0, top, x1, last = union(f.bbox for f in group)
            if all(_between_rules(f, page, fs, group) for f in group):
                continue  # shaded rows of a table drawn with rules: the rules strategy reads it
            header = header_band_bottom(group, top, fs)
            first = top if header is not None else extend_above(group, page.lines, fs)
            if first == top and header is None:
                centred = centred_labels_above(group, page.lines, fs)
                if centred is not None:
                    header, first = top, centred
            labelled = extend_over_group_labels(group, page.lines, first, fs)
            if labelled < first:  # two header levels: columns come from the stripes' text
                header, first = top, labelled
            else:  # two header levels: columns from the text of every row
                first = extend_over_spanning_group(group, page.lines, first, fs)
            bottom = _extend_below(group, page.lines, fs, first)
            one_row = len(cluster_centres((f.bbox[1] for f in group), 0.3 * fs)) == 1
            alone = (first == top and bottom <= last + 0.3 * fs) or (
                len(group) < 2 and not _runs_in_columns(group[0], page.lines)
            )
            if one_row and last - top > 3 * fs and alone:
                continue  # one coloured box around text, not a header band, stripes or cells
            white = _white_row_edges(page.lines, (x0, last, x1, bottom), fs)
            edges = cluster_centres(
                [first]
                + [f.bbox[1] for f in group]
                + [f.bbox[3] for f in group]
                + white
                + [bottom],
                0.5 * fs,
            )
            top = first
            hints = fill_column_hints(group, fs)
            cell_fills = _cell_fills(group, hints, fs)
            regions.append(
                Region(
                    (x0, top, x1, bottom),
                    header_bottom=header,
                    row_edges=tuple(edges),
                    column_hints=tuple(hints),
                    solid_spans=tuple(
                        (f.bbox[0], f.bbox[2])
                        for f in cell_fills
                        if header is None or f.bbox[3] > header + 0.3 * fs
                    ),  # a header cell over two columns (``内容`` over chapter and section)
                    # does not join the body's columns under it
                    drawn_cells=tuple(f.bbox for f in cell_fills),
                )
            )
        return regions

    def build_grid(self, page: PageContent, region: Region, lines: list[TextLine]) -> Grid | None:
        if not lines:
            return None
        fs = font_size_of(lines)
        edges = list(region.row_edges)
        heights = [b - a for a, b in itertools.pairwise(edges)]
        stripe = median(heights[1:], heights[0]) if len(heights) > 1 else heights[0]
        # a band taller than a stripe holds several rows; below a single band (a header, or
        # a row of cells) the band's own height is the measure: a white row as tall as a row
        # of cells is one row of the lattice, wrapped lines and all
        measure = heights[0] if len(heights) <= 2 else stripe
        split = [k > 0 and h > 1.6 * measure for k, h in enumerate(heights)]
        xs, ys, spans, header_rows = build_text_grid(
            lines,
            (region.bbox[0], region.bbox[2]),
            edges,
            split,
            region.header_bottom,
            fs,
            list(region.column_hints),
            list(region.solid_spans),
            list(region.drawn_cells),
        )
        if len(xs) < 3 or len(ys) < 3:
            return None
        spans = two_column_group_labels(spans, lines, xs, ys, header_rows)
        return grid_from_spans(
            xs, ys, spans, header_rows if region.header_bottom is not None else None
        )


register(FilledStrategy())
