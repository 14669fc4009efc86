"""A short continuation of a borderless table at the top of the next page.

A table without rules or fills that runs one or two rows onto the next page leaves there too
little for any strategy: one or two aligned rows are a coincidence on a page of their own (and
a part without a header band gives the filled strategy nothing). Read against the columns of
the part that ends the page before, though, they are plainly more rows of it. So, for a table
ending its page, the lines at the top of the next page (above its first table, running headers
and footers aside) are read into the table's columns while each one keeps inside a column; the
part is kept only when ``stitch.continues`` agrees it continues the table.

Stages: ``candidate_lines`` (page top, furniture dropped) → ``fitting_bands`` (baselines that
keep inside the columns) → ``row_starts`` → ``part_grid`` → ``continuation_part``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from itertools import pairwise

from csrextract.models import BBox, PageContent, Table, TextLine
from csrextract.tables.aligned import AlignedStrategy
from csrextract.tables.base import build_table
from csrextract.tables.caption import CONTINUED_MARK
from csrextract.tables.cells import split_at_bullets
from csrextract.tables.geometry import union
from csrextract.tables.grid import Grid, grid_from_spans
from csrextract.tables.report import confidence_of, parse_report
from csrextract.tables.settings import ContinuationSettings
from csrextract.tables.text_grid import line_bands

DEFAULT = ContinuationSettings()


def candidate_lines(
    page: PageContent, limit: float, furniture: Callable[[TextLine], bool]
) -> list[TextLine]:
    """Lines above ``limit`` (the next table's top) that are not running headers or footers."""
    return [ln for ln in page.lines if ln.bbox[3] <= limit and not furniture(ln)]


def _fits(line: TextLine, xs: Sequence[float], fs: float, settings: ContinuationSettings) -> bool:
    """The line is set at the table's size inside its outline and crosses no column edge."""
    margin = settings.edge_margin_em * fs
    if abs(line.font_size - fs) > settings.size_share * fs:
        return False
    if (
        line.bbox[0] < xs[0] - settings.outline_em * fs
        or line.bbox[2] > xs[-1] + settings.outline_em * fs
    ):
        return False
    return not any(line.bbox[0] + margin < x < line.bbox[2] - margin for x in xs[1:-1])


def fitting_bands(
    lines: list[TextLine], xs: Sequence[float], fs: float, settings: ContinuationSettings = DEFAULT
) -> list[list[TextLine]]:
    """Baselines from the top while every run on them keeps inside one column and each follows
    the one above within a row's gap: the first that does not ends the part. A few baselines
    above the first that fits are passed over (a ``续表`` label, a repeated caption); whether
    such lines may stand above a continuation is ``stitch.continues``'s call."""
    bands: list[list[TextLine]] = []
    skipped = 0
    for band in line_bands(lines):
        label = len(band) == 1 and is_continuation_label(band[0].text)
        if label or not all(_fits(ln, xs, fs, settings) for ln in band):
            if bands or skipped >= settings.max_lead_bands:
                break
            skipped += 1  # a caption or continuation label over the rows (stitch judges it)
            continue
        if (
            bands
            and min(ln.bbox[1] for ln in band) - max(ln.bbox[3] for ln in bands[-1])
            > settings.max_gap_em * fs
        ):
            break
        bands.append(band)
    return bands


def is_continuation_label(text: str) -> bool:
    """``续表 …``, ``… （续）``, ``(continued)``: a label over a table's continued rows."""
    norm = unicodedata.normalize("NFKC", text).strip()
    return norm.startswith("续表") or CONTINUED_MARK.search(norm) is not None


def _first_column(band: list[TextLine], xs: Sequence[float]) -> bool:
    return any(ln.bbox[0] < xs[1] for ln in band)


def row_starts(
    bands: list[list[TextLine]],
    xs: Sequence[float],
    wrapped: bool,
    settings: ContinuationSettings = DEFAULT,
    fs: float = 0.0,
) -> list[int]:
    """Indexes of the bands that start a row: text in the first column after a wider step than
    the line pitch (a wrapped label is at line pitch). When every step is alike, the rows are
    single lines (each label starts one) unless the table wraps its cells (``wrapped``): then
    the bands are one row's wrapped lines, unless they are further apart than lines of one cell
    are set (``fs`` the table's type size). After a row's gap, a band with no text in the
    columns of the line above starts a row too (its first cells are empty): a cell's text going
    on would sit in a column the line above has. The first band always starts a row (or the end
    of a row split over the page break)."""
    baselines = [max(ln.bbox[3] for ln in band) for band in bands]  # tops vary with glyphs
    steps = [b - a for a, b in pairwise(baselines)]
    pitch = min(steps, default=0.0)
    spaced = fs > 0 and pitch > settings.line_pitch_em * fs  # too far apart to be wrapped
    uniform = (not wrapped or spaced) and (
        not steps or max(steps) <= settings.row_step_factor * pitch
    )
    starts = [0]
    for i, step in enumerate(steps, start=1):
        wide = step > settings.row_step_factor * pitch
        new_row = spaced or _first_column(bands[i], xs)  # spaced: a label may span rows
        if new_row and (uniform or wide):
            starts.append(i)
        elif wide and not _columns(bands[i], xs) & _columns(bands[i - 1], xs):
            starts.append(i)  # a row whose first cells are empty, after a row's gap
    return starts


def _columns(band: list[TextLine], xs: Sequence[float]) -> set[int]:
    return {sum(ln.bbox[0] >= x for x in xs[1:-1]) for ln in band}


def _two_columns(band_rows: list[list[list[TextLine]]], xs: Sequence[float]) -> list[bool]:
    """Per row: text in two columns or more."""
    out = []
    for row in band_rows:
        cols = {sum(ln.bbox[0] >= x for x in xs[1:-1]) for band in row for ln in band}
        out.append(len(cols) >= 2)
    return out


def part_grid(
    bands: list[list[TextLine]],
    xs: Sequence[float],
    wrapped: bool,
    settings: ContinuationSettings = DEFAULT,
    fs: float = 0.0,
) -> Grid | None:
    """The part's grid in the table's columns. Trailing rows with text in one column only are
    left out: under the last full row they are a caption, a note or a paragraph, not a row."""
    starts = row_starts(bands, xs, wrapped, settings, fs)
    rows = [bands[a:b] for a, b in pairwise([*starts, len(bands)])]
    full = _two_columns(rows, xs)
    while rows and not full[len(rows) - 1]:
        rows.pop()
    if not rows:
        return None
    tops = [min(ln.bbox[1] for band in row for ln in band) for row in rows]
    bottoms = [max(ln.bbox[3] for band in row for ln in band) for row in rows]
    ys = [tops[0] - 1.0, *((b + t) / 2 for b, t in zip(bottoms, tops[1:], strict=False))]
    ys.append(bottoms[-1] + 1.0)
    runs = [ln for row in rows for band in row for ln in band]
    box = union(ln.bbox for ln in runs)
    outer = [min(xs[0], box[0]), *xs[1:-1], max(xs[-1], box[2])]
    return grid_from_spans(outer, ys, [], header_rows=0)


def ruled_inside(
    page: PageContent, box: BBox, fs: float, settings: ContinuationSettings = DEFAULT
) -> bool:
    """A horizontal rule runs between the part's rows: the drawing structures these lines
    (a ruled header of a table of their own that no strategy kept), so they are not rows of a
    borderless table. Rules at the part's top or bottom edge only bound it."""
    margin = settings.rule_margin_em * fs
    return any(
        abs(r.y1 - r.y0) < margin
        and box[1] + margin < (r.y0 + r.y1) / 2 < box[3] - margin
        and min(r.x1, box[2]) - max(r.x0, box[0]) > 0
        for r in page.rules
    )


def continuation_part(
    table: Table,
    edges: Sequence[float],
    page: PageContent,
    limit: float,
    furniture: Callable[[TextLine], bool],
    fs: float,
    settings: ContinuationSettings = DEFAULT,
    wrapped: bool = False,
) -> Table | None:
    """The rows at the top of ``page`` read in ``table``'s columns (inner ``edges``), or
    ``None`` when the page does not start with such rows. The caller decides whether they
    continue the table (``stitch.continues``); ``fs`` is the table's type size; ``wrapped``:
    the caller saw the table's cells wrap over several printed lines (a cell's joined lines
    do not tell)."""
    xs = [table.bbox[0], *edges, table.bbox[2]]
    if len(xs) < 3:
        return None
    lines = candidate_lines(page, limit, furniture)
    if not lines:
        return None
    wrapped = wrapped or any(len(c.lines) > 1 or "\n" in c.text for c in table.cells)
    grid = part_grid(fitting_bands(lines, xs, fs, settings), xs, wrapped, settings, fs)
    if grid is None or limit - grid.bbox[3] <= settings.max_gap_em * fs:
        return None  # rows right on top of the next table are its header, not more of ours
    if ruled_inside(page, grid.bbox, fs, settings):
        return None
    inside = split_at_bullets([ln for ln in lines if grid.bbox[1] <= ln.bbox[1] <= grid.bbox[3]])
    strategy = AlignedStrategy()
    part = build_table(grid, inside, page, strategy)
    reason = f"{part.n_rows} rows in the columns of the table ending page {table.pages[-1]}"
    part.report = parse_report(part, page, reason, grid.xs, grid.ys)
    part.confidence = confidence_of(part.report, strategy.prior)
    return part
