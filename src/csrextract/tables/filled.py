"""Borderless tables drawn with background fills: a coloured header band and zebra-striped rows.

Fills that touch or stack closely form one table. Row edges are the fills' tops and bottoms (a
white band between two stripes is a row too); columns come from the whitespace in the body text,
plus the borders between fills drawn cell by cell; merged cells from where the text sits
(``text_grid``).
"""

from __future__ import annotations

import itertools

from csrextract.models import BBox, Fill, PageContent, TableStyle, TextLine
from csrextract.tables.base import Region, TableStrategy, register
from csrextract.tables.cells import hand_on_trailing_markers, set_as_heading
from csrextract.tables.clustering import cluster_centres, merge_intervals
from csrextract.tables.geometry import center, font_size_of, intersects, median, union
from csrextract.tables.grid import Grid, grid_from_spans
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
    """x-ranges inside ``x0..x1`` that no line touches (at least ``0.6 fs`` wide)."""
    covered = merge_intervals((ln.bbox[0], ln.bbox[2]) for ln in lines)
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
    candidate: list[TextLine], table: list[TextLine], x0: float, x1: float, fs: float
) -> bool:
    """``candidate`` lines read as a row of the table whose text is ``table``: body-sized
    (no heading) and clear of the column gaps of the table's text (no paragraph)."""
    gaps = _column_gaps(table, x0, x1, fs)
    if not candidate or not gaps:
        return False
    body = font_size_of(table, fs)
    typical = font_size_of(candidate, fs)
    if abs(typical - body) > 0.25 * body or any(
        (ln.font_size or body) > 1.5 * body for ln in candidate
    ):
        return False  # a heading or a differently set paragraph
    return not any(ln.bbox[0] < g0 and ln.bbox[2] > g1 for ln in candidate for g0, g1 in gaps)


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


def row_band(fill: Fill, fills: list[Fill], fs: float) -> BBox:
    """The whole stripe ``fill`` is part of: fills of the same height touching side by side (a
    row shaded cell by cell). A white row is also judged between whole stripes: between two
    cells of one column, the text alone shows no column gap to keep out of."""
    tol = DEFAULT.edge_snap_em * fs
    box = fill.bbox
    grown = True
    while grown:
        grown = False
        for other in fills:
            o = other.bbox
            if (
                abs(o[1] - box[1]) <= tol
                and abs(o[3] - box[3]) <= tol
                and max(o[0], box[0]) - min(o[2], box[2]) <= tol
                and (o[0] < box[0] or o[2] > box[2])
            ):
                box = union([box, o])
                grown = True
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
                            row_band(a, fills, fs), row_band(b, fills, fs), lines, fs
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
        return max(ln.bbox[3] for ln in row) if row_like(row, table, fs) else bottom
    if len(tops) == 1:
        end = bottom
        # a row of cells drawn one by one is a lattice: the next row may sit a cell lower
        reach = max(1.5 * fs, bottom - top) if len(group) >= 2 else 1.5 * fs
        if first is not None and first < top:
            spacing = row_spacing(lines, (x0, first, x1, bottom))
            reach = max(reach, DEFAULT.row_spacing_reach * spacing)
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
            if not body and gap > 1.5 * fs and not row_like(band, table, fs):
                break
            end = max(ln.bbox[3] for ln in band)
            body.extend(band)
        return end
    return _last_white_row(group, lines, below, fs)


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
        if max(ln.bbox[3] for ln in band) > limit and not (row and gap <= WRAP_GAP_EM * fs):
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


def extend_above(group: list[Fill], lines: list[TextLine], fs: float) -> float:
    """Top of a table without header band: the unfilled first row above the first stripe (or
    first row of cells), when it holds two runs or more set in the table's columns and sits as
    close to the stripe as a row of the table's height would."""
    x0, top, x1, bottom = union(f.bbox for f in group)
    first = [f for f in group if f.bbox[1] <= top + DEFAULT.edge_snap_em * fs]
    height = max(f.bbox[3] - f.bbox[1] for f in first)
    above = [
        ln
        for ln in lines
        if ln.bbox[3] <= top + DEFAULT.edge_snap_em * fs
        and top - ln.bbox[3] <= height
        and x0 <= center(ln.bbox)[0] <= x1
    ]
    bands = line_bands(above)
    if not bands:
        return top
    row = bands[-1]
    table = [ln for ln in lines if _within(ln.bbox, (x0, top, x1, bottom))]
    if len(row) < 2 or not fits_columns(row, table, x0, x1, fs):
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


WRAP_GAP_EM = 0.6
"""Lines of one wrapped cell follow each other closer than this (em); rows are set further
apart."""


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
        if top - max(ln.bbox[3] for ln in band) > WRAP_GAP_EM * fs or len(over) != len(runs):
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
    x0, top, x1, _ = union(f.bbox for f in group)
    if first >= top:
        return first
    height = max(f.bbox[3] - f.bbox[1] for f in group if f.bbox[1] <= top + 0.3 * fs)
    header = [ln for ln in lines if first <= center(ln.bbox)[1] <= top and x0 <= ln.bbox[0]]
    header = [ln for ln in header if ln.bbox[2] <= x1]
    if len(header) < 3:
        return first
    header_top = min(ln.bbox[1] for ln in header)
    above = [
        ln
        for ln in lines
        if ln.bbox[3] <= header_top
        and header_top - ln.bbox[3] <= height
        and x0 <= ln.bbox[0]
        and ln.bbox[2] <= x1
    ]
    bands = line_bands(above)
    if not bands:
        return first
    band = bands[-1]
    counts = runs_headed(band, header)
    if len(band) < 2 or min(counts) < 2:
        return first
    # the header row's own padding above its text, repeated above the group labels
    return max(min(ln.bbox[1] for ln in band) - (header_top - first), 0.0)


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
    return bool(runs) and all(is_numeric(r.text) or r.text.strip() in DASHES for r in runs)


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
            labelled = extend_over_group_labels(group, page.lines, first, fs)
            if labelled < first:  # two header levels: columns come from the stripes' text
                header, first = top, labelled
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
                    solid_spans=tuple((f.bbox[0], f.bbox[2]) for f in cell_fills),
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
        return grid_from_spans(
            xs, ys, spans, header_rows if region.header_bottom is not None else None
        )


register(FilledStrategy())
