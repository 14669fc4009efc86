"""Stitch a table continued on the next page into one table.

Two tables are one when the second is the first table of the page after the first one's page,
the first ends its page and the second starts its page, and their columns agree. Nothing here
needs a repeated header (one that is there is dropped) and nothing looks at page numbers'
values beyond "the next page":

* ends / starts its page: between the table and the page edge lie only running headers and
  footers (the same text at the same height on both pages), notes set smaller than the table
  (``注：…``), a caption, a continuation label (``续表``, ``（续）``, ``continued``) — at most a
  few lines in all;
* columns agree: the same column edges, or the continuation's edges are a subset of the first
  part's (a column left empty on the continuation page leaves no gap to find) or a superset (a
  gap that only the continuation's text opens), within a tolerance that is wider for edges found
  from whitespace than for drawn ones. Cells are then moved onto the first part's columns.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from csrextract.models import BBox, Cell, PageContent, Table, TableStyle, TextLine
from csrextract.tables.caption import last_part_box as _last_part_box
from csrextract.tables.caption import line_shape, with_captions
from csrextract.tables.cells import join_text
from csrextract.tables.continuation import DEFAULT as CONTINUATION
from csrextract.tables.continuation import candidate_lines, continuation_part
from csrextract.tables.geometry import font_size_of, median
from csrextract.tables.report import merged_report
from csrextract.tables.running import without_running_rows
from csrextract.tables.settings import ContinuationSettings, StitchSettings
from csrextract.tables.text_grid import column_edges

DEFAULT = StitchSettings()
MAX_LINES_AROUND = DEFAULT.max_lines_around
"""Lines allowed between a table and the page edge (running header/footer, page number, caption)."""

CONTINUED = re.compile(
    r"续表|[（(]\s*续\s*[)）]|续\s*$|\bcontinued\b|\bcont(?:'d|inued)?\.?\s*\)?$", re.I
)
"""A continuation label: ``续表``, ``（续）``, ``…续``, ``(continued)``, ``cont'd``."""

NOTE = re.compile(r"^\s*(?:注|备注|说明|数据来源|资料来源|来源|note|source)\s*\d*\s*[:：]", re.I)
"""A note under a table (it belongs to the table, it does not end it)."""


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def column_edges_of(table: Table) -> list[float]:
    """Inner column boundaries, from the boxes of single-column cells."""
    edges = []
    for col in range(1, table.n_cols):
        lefts = [c.bbox[0] for c in table.cells if c.col == col and c.col_span == 1]
        rights = [c.bbox[2] for c in table.cells if c.col + c.col_span == col and c.col_span == 1]
        edges.append(median(lefts + rights, 0.0))
    return edges


def header_rows(table: Table) -> int:
    return max((c.row + c.row_span for c in table.cells if c.is_header), default=0)


def row_texts(table: Table, n: int) -> list[str]:
    return [_norm(c.text) for c in sorted(table.cells, key=lambda c: (c.row, c.col)) if c.row < n]


def _tolerance(a: Table, b: Table, fs: float, settings: StitchSettings) -> float:
    """Column edges found from whitespace (no vertical rules) are midpoints of gaps that differ
    from page to page, hence a wider tolerance than for drawn ones."""
    width = a.bbox[2] - a.bbox[0]
    if a.style == TableStyle.RULED and b.style == TableStyle.RULED:
        return max(settings.ruled_column_em * fs, settings.ruled_column_share * width)
    return max(settings.text_column_em * fs, settings.text_column_share * width)


def _clear_of(edges: Sequence[float], lines: Sequence[TextLine], fs: float) -> bool:
    """No more than one run (a label spanning columns) crosses any of the edges."""
    margin = 0.3 * fs
    return all(
        sum(ln.bbox[0] + margin < x < ln.bbox[2] - margin for ln in lines) <= 1 for x in edges
    )


def _agree(
    x: float, y: float, tol: float, texts: tuple[Sequence[TextLine], Sequence[TextLine]] | None
) -> bool:
    """Column edges ``x`` (first part) and ``y`` (continuation) are one: within ``tol``, or
    in one stretch of whitespace of either part (no run of it between them): edges found from
    whitespace sit mid-gap, and a gap is as wide as the longest text beside it on that page."""
    if abs(x - y) <= tol:
        return True
    lo, hi = min(x, y), max(x, y)
    return texts is not None and any(
        not any(ln.bbox[0] < hi and ln.bbox[2] > lo for ln in part) for part in texts
    )


def column_map(
    a: Table,
    b: Table,
    fs: float,
    settings: StitchSettings = DEFAULT,
    texts: tuple[Sequence[TextLine], Sequence[TextLine]] | None = None,
    same_table: bool = False,
) -> list[tuple[int, int]] | None:
    """For each column of ``b``, the (first column, span) of ``a`` it lies in; ``None`` when the
    columns do not agree. Edges of one table must each meet an edge of the other, except that
    either may have edges the other lacks (a column empty on one page). Given the two parts'
    ``texts``, the same number of columns also agree when each part's edges run clear of the
    other's text: edges drawn by fills on one page and found in whitespace on the next sit at
    different x, yet cut the same columns. When ``b`` is known to be the same table (it repeats
    ``a``'s header or is labelled a continuation), edges in one stretch of either part's
    whitespace agree too (``_agree``)."""
    tol = _tolerance(a, b, fs, settings)
    if abs(a.bbox[0] - b.bbox[0]) > settings.outer_factor * tol:
        return None
    ea, eb = column_edges_of(a), column_edges_of(b)
    if (
        texts is not None
        and len(ea) == len(eb)
        and _clear_of(eb, texts[0], fs)
        and _clear_of(ea, texts[1], fs)
    ):
        return [(j, 1) for j in range(b.n_cols)]  # a text outline may end short of a drawn one
    if abs(a.bbox[2] - b.bbox[2]) > settings.outer_factor * tol and a.n_cols == b.n_cols:
        return None
    if len(ea) == len(eb) and all(abs(x - y) <= tol for x, y in zip(ea, eb, strict=True)):
        return [(j, 1) for j in range(b.n_cols)]
    agree = partial(_agree, tol=tol, texts=None)
    a_in_b = all(any(agree(x, y) for y in eb) for x in ea)
    b_in_a = all(any(agree(x, y) for x in ea) for y in eb)
    loose = not (a_in_b or b_in_a) and same_table and texts is not None
    if loose:
        agree = partial(_agree, tol=tol, texts=texts)
        a_in_b = all(any(agree(x, y) for y in eb) for x in ea)
        b_in_a = all(any(agree(x, y) for x in ea) for y in eb)
    if not (a_in_b or b_in_a) or not ea or not eb:
        return None
    if loose:  # each edge of b onto the edge of a it agrees with
        eb = [min((x for x in ea if agree(x, y)), key=lambda x: abs(x - y), default=y) for y in eb]
    out = []
    bounds = [b.bbox[0], *eb, b.bbox[2]]
    for j in range(b.n_cols):
        first = bisect_right(ea, bounds[j] + tol)
        last = bisect_right(ea, bounds[j + 1] - tol)
        out.append((first, max(last - first + 1, 1)))
    if loose and _joins_body_columns(b, out):
        return None  # b reads finer columns than a: joining them would lose what b tells apart
    return out


def _joins_body_columns(b: Table, mapping: list[tuple[int, int]]) -> bool:
    """Two columns of ``b`` with body text land in one column of the first part."""
    head = header_rows(b)
    with_text = {c.col for c in b.cells if c.row >= head and c.col_span == 1 and c.text.strip()}
    targets = [mapping[j] for j in sorted(with_text)]
    return len(set(targets)) < len(targets)


def _lines_in(page: PageContent, box: BBox) -> list[TextLine]:
    return [
        ln
        for ln in page.lines
        if box[0] <= (ln.bbox[0] + ln.bbox[2]) / 2 <= box[2]
        and box[1] <= (ln.bbox[1] + ln.bbox[3]) / 2 <= box[3]
    ]


def repeats_header(first: Table, second: Table) -> bool:
    """``second`` starts with ``first``'s header rows (or first row), read alike or with a
    column more or less: the same table, repeated on the next page."""
    n_head = max(header_rows(first), 1)
    head = "".join(row_texts(first, n_head))
    return bool(head) and second.n_rows > n_head and "".join(row_texts(second, n_head)) == head


def _own_header(first: Table, second: Table) -> bool:
    """``second`` starts with a header of its own (not a repeat of ``first``'s): a new table.
    Only when ``first`` has a header too: a first row shaded like a zebra stripe on a part
    whose table shows no header is no header."""
    n_head = header_rows(second)
    if n_head == 0 or header_rows(first) == 0:
        return False
    # an empty column on one part only (a gutter read as a column) does not make a new header
    return [t for t in row_texts(second, n_head) if t] != [t for t in row_texts(first, n_head) if t]


def _page_column_text(
    lines: Sequence[TextLine], table: Table, settings: StitchSettings = DEFAULT
) -> bool:
    """Every line is at most half the table's width: the text of one column of a two-column
    page, flowing on under a table set across both columns (not a paragraph after it)."""
    width = table.bbox[2] - table.bbox[0]
    return all(ln.bbox[2] - ln.bbox[0] <= settings.page_column_share * width for ln in lines)


def _same_outline(a: Table, b: Table, fs: float, settings: StitchSettings) -> bool:
    """Both parts span the same x-range (drawn outlines: rules or fills across the table)."""
    tol = settings.ruled_column_em * fs
    return abs(a.bbox[0] - b.bbox[0]) <= tol and abs(a.bbox[2] - b.bbox[2]) <= tol


def _running(line: TextLine, other: PageContent, fs: float) -> bool:
    """The same text (page numbers aside) at the same height on the other page."""
    shape = line_shape(line.text)
    return any(
        line_shape(o.text) == shape and abs(o.bbox[1] - line.bbox[1]) <= fs for o in other.lines
    )


def _extra_lines(
    lines: Sequence[TextLine], other: PageContent, table_fs: float, allow_label: bool
) -> int:
    """Lines that are neither running text, nor notes set smaller than the table, nor (above a
    continuation) its label."""
    count = 0
    for ln in lines:
        if _running(ln, other, table_fs):
            continue
        if NOTE.match(ln.text) or (0 < ln.font_size < 0.9 * table_fs):
            continue
        if allow_label and CONTINUED.search(_norm(ln.text)):
            continue
        count += 1
    return count


def _table_fs(page: PageContent, table: Table) -> float:
    inside = [
        ln
        for ln in page.lines
        if table.bbox[0] <= ln.bbox[0] <= table.bbox[2]
        and table.bbox[1] <= ln.bbox[1] <= table.bbox[3]
    ]
    return font_size_of(inside or page.lines)


def labelled_continuation(page: PageContent, table: Table) -> bool:
    """A ``续表`` / ``（续）`` / ``continued`` line right above the table."""
    return any(
        ln.bbox[3] <= table.bbox[1] + 1 and CONTINUED.search(_norm(ln.text)) for ln in page.lines
    )


def continues(
    first: Table,
    second: Table,
    pages: dict[int, PageContent],
    settings: StitchSettings = DEFAULT,
) -> str | None:
    """Why ``second`` continues ``first`` on the following page, or ``None`` when it does not."""
    if second.pages[0] != first.pages[-1] + 1:
        return None
    end_page, next_page = pages.get(first.pages[-1]), pages.get(second.pages[0])
    if end_page is None or next_page is None:
        return None
    fs = _table_fs(end_page, first)
    end_box = _last_part_box(first)  # a stitched table's outline is its first page's
    texts = (_lines_in(end_page, end_box), _lines_in(next_page, second.bbox))
    labelled = labelled_continuation(next_page, second)
    mapping = column_map(
        first, second, fs, settings, texts, labelled or repeats_header(first, second)
    )
    if mapping is None or (
        _own_header(first, second)
        and not labelled
        and (not repeats_header(first, second) or _joins_body_columns(second, mapping))
    ):
        return None  # under a 续表 label, a first row read as a header is a shaded body row;
        # a repeat read with a column more (an empty one) is still a repeat
    below = [ln for ln in end_page.lines if ln.bbox[1] >= end_box[3] - 1]
    above = [ln for ln in next_page.lines if ln.bbox[3] <= second.bbox[1] + 1]
    same = all(span == 1 for _, span in mapping) and len(mapping) == first.n_cols
    one_off = abs(first.n_cols - second.n_cols) <= 1 and _same_outline(first, second, fs, settings)
    if not same and not labelled and not one_off:
        return None  # other columns: only a label, or one column off in the same outline
    flowing = same and header_rows(second) == 0 and _page_column_text(below, first, settings)
    if (
        not labelled
        and not flowing
        and _extra_lines(below, next_page, fs, False) > settings.max_lines_around
    ):
        return None  # text after the table ends it, unless the next page says 续表, or the
        # text is a page column's flowing on under the first part and the next page starts
        # with a headerless part of the very same columns
    if _extra_lines(above, end_page, fs, True) > 0:
        return None  # a caption, heading or paragraph of its own above: a new table
    why = "same columns" if same else "columns agree where both have text"
    return f"{why} at the top of page {second.pages[0]}" + (
        " under a continuation label" if labelled else ""
    )


def _text_columns(
    cell: Cell, *, page: PageContent | None, edges: list[float], tol: float
) -> tuple[int, int] | None:
    """(first column, span) of the first part's columns that the cell's text covers."""
    if page is None or not cell.text:
        return None
    inside = [
        ln
        for ln in page.lines
        if cell.bbox[0] <= (ln.bbox[0] + ln.bbox[2]) / 2 <= cell.bbox[2]
        and cell.bbox[1] <= (ln.bbox[1] + ln.bbox[3]) / 2 <= cell.bbox[3]
    ]
    if not inside:
        return None
    first = bisect_right(edges, min(ln.bbox[0] for ln in inside) + tol)
    last = bisect_right(edges, max(ln.bbox[2] for ln in inside) - tol)
    return first, max(last - first + 1, 1)


def _remap(
    cells: list[Cell],
    mapping: list[tuple[int, int]],
    n_cols: int,
    locate: Callable[[Cell], tuple[int, int] | None],
) -> list[Cell]:
    """Cells moved onto the first part's columns (a cell over several of them goes where its
    text is); two cells landing in one slot are joined, slots left over get empty cells."""
    placed: dict[tuple[int, int], Cell] = {}
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        start, span = mapping[cell.col]
        last = mapping[min(cell.col + cell.col_span - 1, len(mapping) - 1)]
        col_span = last[0] + last[1] - start
        if cell.col_span == 1 and span > 1:
            start, col_span = locate(cell) or (start, col_span)
        key = (cell.row, start)
        if key in placed:
            old = placed[key]
            placed[key] = replace(
                old,
                text=join_text(old.text, cell.text),
                items=old.items + cell.items,
                lines=old.lines + cell.lines,
                col_span=max(old.col_span, col_span),
            )
        else:
            placed[key] = replace(cell, col=start, col_span=col_span)
    covered = {
        (c.row + r, c.col + k)
        for c in placed.values()
        for r in range(c.row_span)
        for k in range(c.col_span)
    }
    for row in {c.row for c in cells}:
        for col in range(n_cols):
            if (row, col) not in covered:
                placed[(row, col)] = Cell(row, col, "", page=cells[0].page)
    return sorted(placed.values(), key=lambda c: (c.row, c.col))


def merge(
    first: Table,
    second: Table,
    why: str = "same columns on the next page",
    mapping: list[tuple[int, int]] | None = None,
    locate: Callable[[Cell], tuple[int, int] | None] = lambda cell: None,
) -> Table:
    """Append ``second``'s rows to ``first``, without a header that only repeats ``first``'s.

    A first row repeated at the top of the continuation is a header even when nothing drew it
    as one: it is dropped there and marked as the header of the whole table.
    """
    n_head = max(header_rows(first), 1)
    repeated = (
        first.n_rows >= n_head
        and second.n_rows > n_head
        and "".join(row_texts(second, n_head)) == "".join(row_texts(first, n_head))
        and any(row_texts(first, n_head))
    )  # joined: a repeat read with two of its columns run together is still a repeat
    drop = n_head if repeated else 0
    if repeated:
        first = replace(
            first,
            cells=[replace(c, is_header=c.is_header or c.row < n_head) for c in first.cells],
        )
    offset = first.n_rows - drop
    moved: list[Cell] = [
        replace(c, row=c.row + offset, is_header=False) for c in second.cells if c.row >= drop
    ]
    if mapping is not None and (
        len(mapping) != first.n_cols or any(m != (j, 1) for j, m in enumerate(mapping))
    ):
        moved = _remap(moved, mapping, first.n_cols, locate)
    return replace(
        first,
        cells=first.cells + moved,
        n_rows=first.n_rows + second.n_rows - drop,
        pages=first.pages + [p for p in second.pages if p not in first.pages],
        confidence=min(first.confidence, second.confidence),
        method=first.method if first.method == second.method else second.method,
        report=merged_report(first.report, second.report, why),
    )


def _furniture(line: TextLine, other: PageContent, table: Table, fs: float) -> bool:
    """Running text: the same text (page numbers aside) at the same height on the other page,
    outside the table there (a row label like ``SDG 16:`` has the shape of ``SDG 17:``)."""
    shape = line_shape(line.text)
    return any(
        line_shape(o.text) == shape
        and abs(o.bbox[1] - line.bbox[1]) <= fs
        and not table.bbox[1] <= o.bbox[1] <= table.bbox[3]
        for o in other.lines
    )


def with_continuations(
    tables: list[Table], by_number: dict[int, PageContent], settings: StitchSettings = DEFAULT
) -> list[Table]:
    """``tables`` plus, for each page's last table, the rows at the top of the next page read in
    its columns when they continue it (a borderless table's one or two rows past a page break,
    too few for any strategy to find on their own)."""
    out = list(tables)
    for number in sorted(by_number):
        end_page, next_page = by_number[number], by_number.get(number + 1)
        ending = [t for t in out if t.pages[-1] == number]
        if next_page is None or not ending:
            continue
        last = max(ending, key=lambda t: t.bbox[3])
        limit = min((t.bbox[1] for t in out if t.pages[0] == number + 1), default=next_page.height)
        fs = _table_fs(end_page, last)
        furniture = partial(_furniture, other=end_page, table=last, fs=fs)
        wrapped = _wraps_cells(last, end_page)
        read = partial(continuation_part, wrapped=wrapped)
        part = read(last, column_edges_of(last), next_page, limit, furniture, fs)
        if part is not None and continues(last, part, by_number, settings) is not None:
            out.append(part)
            continue
        # a column empty on the first page: read the rows in the columns the next page shows
        edges = own_column_edges(last, next_page, limit, furniture, fs)
        finer = refined(last, edges, end_page, settings) if len(edges) >= last.n_cols else None
        if finer is None:
            continue
        part = read(finer, edges, next_page, limit, furniture, fs)
        if (
            part is not None
            and _every_column_filled(part)
            and continues(finer, part, by_number, settings) is not None
        ):
            out[out.index(last)] = finer
            out.append(part)
    return out


def _wraps_cells(table: Table, page: PageContent) -> bool:
    """Some cell of the table's part on ``page`` holds text on two printed lines or more."""
    return any(
        len({round(ln.bbox[1]) for ln in _lines_in(page, c.bbox)}) > 1
        for c in table.cells
        if c.text and c.page == page.number
    )


def own_column_edges(
    table: Table,
    page: PageContent,
    limit: float,
    furniture: Callable[[TextLine], bool],
    fs: float,
    settings: ContinuationSettings = CONTINUATION,
) -> list[float]:
    """Inner column edges of the whitespace in the lines at the top of ``page`` (above
    ``limit``) set at the table's size inside its outline."""
    x0, x1 = table.bbox[0], table.bbox[2]
    margin = settings.outline_em * fs
    lines = [
        ln
        for ln in candidate_lines(page, limit, furniture)
        if abs(ln.font_size - fs) <= settings.size_share * fs
        and ln.bbox[0] >= x0 - margin
        and ln.bbox[2] <= x1 + margin
    ]
    if not lines:
        return []
    return column_edges(lines, x0, x1, fs)[1:-1]


def refined(
    first: Table, edges: Sequence[float], page: PageContent, settings: StitchSettings = DEFAULT
) -> Table | None:
    """``first`` (a one-page table whose columns come from whitespace) regridded onto the
    finer inner column ``edges`` of its continuation, or ``None`` when they do not fit it.

    A column left empty on the first page leaves one wide gap where the next page shows two
    columns, so the first part has fewer columns and one edge in the empty column's middle.
    The finer edges fit when none of them cuts the first part's text and each of its own
    edges meets one of them or lies in a finer column it has no text in (one at least: else
    the finer grid only splits a column, and the first part's columns stand); each cell then
    moves to the columns its text covers."""
    if first.style == TableStyle.RULED or len(first.pages) != 1 or len(edges) < first.n_cols:
        return None
    fs = _table_fs(page, first)
    texts = _lines_in(page, first.bbox)
    xs = [first.bbox[0], *edges, first.bbox[2]]
    if not texts or not _clear_of(edges, texts, fs) or any(not xs[0] < x < xs[-1] for x in edges):
        return None
    tol = settings.text_column_em * fs
    own = column_edges_of(first)
    if not all(_edge_fits(x, xs, texts, tol) for x in own):
        return None
    if all(any(abs(x - y) <= tol for y in edges) for x in own) and not any(
        _amid_empty_column(x, xs, texts, settings.text_snap_em * fs) for x in own
    ):
        return None  # the finer grid only adds an edge: the first part's columns stand
    locate = partial(_text_columns, page=page, edges=list(edges), tol=settings.text_snap_em * fs)
    return _regrid(first, xs, locate, page.number)


EMPTY_MIDDLE_SHARE = 0.25
"""An edge further than this share of a column's width from both its sides stands in its
middle (an edge found in whitespace sits mid-gap, and a column left empty is all gap)."""


def _amid_empty_column(
    x: float, xs: Sequence[float], texts: Sequence[TextLine], snap: float = 0.0
) -> bool:
    """``x`` stands in the middle of a finer column holding none of ``texts`` (text reaching
    less than ``snap`` into it does not occupy it): the first part found one edge in the gap
    of a column it left empty, where the finer grid has two. Narrow columns put that edge
    within the usual tolerance of both, so nearness alone says nothing."""
    k = bisect_right(xs, x) - 1
    if not 0 <= k < len(xs) - 1:
        return False
    lo, hi = xs[k], xs[k + 1]
    if any(ln.bbox[0] < hi - snap and ln.bbox[2] > lo + snap for ln in texts):
        return False
    return min(x - lo, hi - x) > EMPTY_MIDDLE_SHARE * (hi - lo)


def _edge_fits(x: float, xs: Sequence[float], texts: Sequence[TextLine], tol: float) -> bool:
    """An old column edge meets a finer one, or lies in a finer column without text."""
    if any(abs(x - y) <= tol for y in xs[1:-1]):
        return True
    k = bisect_right(xs, x) - 1
    return not any(ln.bbox[0] < xs[k + 1] and ln.bbox[2] > xs[k] for ln in texts)


def _regrid(
    table: Table,
    xs: Sequence[float],
    locate: Callable[[Cell], tuple[int, int] | None],
    page: int,
) -> Table | None:
    """``table``'s cells moved onto the columns ``xs`` their text covers, empty slots filled."""
    placed: dict[tuple[int, int], Cell] = {}
    n_cols = len(xs) - 1
    for cell in (c for c in table.cells if c.text):
        where = locate(cell)
        if where is None or (cell.row, where[0]) in placed or sum(where) > n_cols:
            return None
        col, span = where
        box = (xs[col], cell.bbox[1], xs[col + span], cell.bbox[3])
        placed[(cell.row, col)] = replace(cell, col=col, col_span=span, bbox=box)
    covered = {
        (c.row + r, c.col + k)
        for c in placed.values()
        for r in range(c.row_span)
        for k in range(c.col_span)
    }
    rows = {c.row: c.bbox for c in table.cells}
    for row, box in rows.items():
        for col in range(n_cols):
            if (row, col) not in covered:
                cell_box = (xs[col], box[1], xs[col + 1], box[3])
                placed[(row, col)] = Cell(row, col, "", page=page, bbox=cell_box)
    cells = sorted(placed.values(), key=lambda c: (c.row, c.col))
    return replace(table, cells=cells, n_cols=n_cols)


def _with_finer_columns(
    first: Table, second: Table, pages: dict[int, PageContent], settings: StitchSettings
) -> Table | None:
    """``first`` regridded onto ``second``'s columns when ``second`` continues it that way."""
    page = pages.get(first.pages[-1])
    if page is None or second.n_cols <= first.n_cols or second.style == TableStyle.RULED:
        return None
    if not _every_column_filled(second):
        return None
    finer = refined(first, column_edges_of(second), page, settings)
    if finer is None or continues(finer, second, pages, settings) is None:
        return None
    return finer


def _every_column_filled(table: Table) -> bool:
    """Every column holds some text: the part's columns are what its own text shows (a column
    it leaves empty says nothing, and one shifted from the first part's looks like two)."""
    filled = {c.col + k for c in table.cells if c.text for k in range(c.col_span)}
    return len(filled) == table.n_cols


ROWS_APART_EM = 0.6
"""A table's rows are set clearly apart when the text of one row ends this far (em) or more
above the next row's text."""
LINE_PITCH_EM = 0.45
"""Text rows closer than this (em) follow at a line's pitch: lines of one wrapped row."""


def _text_row_gaps(table: Table, page: PageContent, first_row: int) -> list[float]:
    """Whitespace between the text of consecutive rows (from ``first_row`` on) of the table's
    part on ``page``."""
    extents: list[tuple[float, float]] = []
    for r in range(first_row, table.n_rows):
        boxes = [
            c.bbox for c in table.cells if c.row == r and c.row_span == 1 and c.page == page.number
        ]
        if not boxes:
            return []
        x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
        x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
        inside = [
            ln
            for ln in page.lines
            if x0 <= (ln.bbox[0] + ln.bbox[2]) / 2 <= x1
            and y0 <= (ln.bbox[1] + ln.bbox[3]) / 2 <= y1
        ]
        if not inside:
            return []
        extents.append((min(ln.bbox[1] for ln in inside), max(ln.bbox[3] for ln in inside)))
    return [b[0] - a[1] for a, b in itertools.pairwise(extents)]


def rows_at_line_pitch_joined(first: Table, second: Table, pages: dict[int, PageContent]) -> Table:
    """``second`` (continuing ``first``) as one row when its rows follow one another at a
    line's pitch while ``first``'s rows are set clearly apart: the next page holds one tall
    row whose wrapped lines text alone would read as rows (every column wraps at once). A
    table keeps its row spacing from page to page."""
    end_page, next_page = pages.get(first.pages[-1]), pages.get(second.pages[0])
    if (
        end_page is None
        or next_page is None
        or second.n_rows < 2
        or header_rows(second)
        or any(c.row_span > 1 for c in second.cells)
    ):
        return second
    fs = _table_fs(end_page, first)
    apart = _text_row_gaps(first, end_page, header_rows(first))
    close = _text_row_gaps(second, next_page, 0)
    if not apart or not close or min(apart) < ROWS_APART_EM * fs or max(close) > LINE_PITCH_EM * fs:
        return second
    cells: list[Cell] = []
    for col in sorted({c.col for c in second.cells}):
        column = sorted((c for c in second.cells if c.col == col), key=lambda c: c.row)
        spans = {c.col_span for c in column}
        if len(spans) != 1:
            return second
        text = ""
        for c in column:
            text = join_text(text, c.text)
        boxes = [c.bbox for c in column]
        cells.append(
            replace(
                column[0],
                row=0,
                text=text,
                items=[i for c in column for i in c.items],
                lines=[ln for c in column for ln in c.lines],
                bbox=(
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                ),
                confidence=min(c.confidence for c in column),
            )
        )
    return replace(second, cells=cells, n_rows=1)


def stitch_tables(
    tables: list[Table], pages: list[PageContent], settings: StitchSettings = DEFAULT
) -> list[Table]:
    """Tables in reading order with every cross-page continuation merged into its start, each
    titled by its labelled caption when it has one (``caption.py``)."""
    by_number = {p.number: p for p in pages}
    tables = with_continuations(without_running_rows(tables, by_number), by_number, settings)
    ordered = sorted(tables, key=lambda t: (t.pages[0], t.bbox[1], t.bbox[0]))
    out: list[Table] = []
    for table in ordered:
        why = continues(out[-1], table, by_number, settings) if out else None
        finer = _with_finer_columns(out[-1], table, by_number, settings) if out else None
        if finer is not None:  # a column empty on the first page: the finer grid of both
            out[-1], why = finer, continues(finer, table, by_number, settings)
        if why is not None:
            table = rows_at_line_pitch_joined(out[-1], table, by_number)
            fs = _table_fs(by_number[out[-1].pages[-1]], out[-1])
            texts = (
                _lines_in(by_number[out[-1].pages[-1]], _last_part_box(out[-1])),
                _lines_in(by_number[table.pages[0]], table.bbox),
            )
            same_table = repeats_header(out[-1], table) or labelled_continuation(
                by_number[table.pages[0]], table
            )
            mapping = column_map(out[-1], table, fs, settings, texts, same_table)
            edges, page = column_edges_of(out[-1]), by_number[table.pages[0]]
            out[-1] = merge(
                out[-1],
                table,
                why,
                mapping,
                partial(_text_columns, page=page, edges=edges, tol=settings.text_snap_em * fs),
            )
        else:
            out.append(table)
    return with_captions(out, pages)
