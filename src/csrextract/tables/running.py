"""Running headers and footers read as a table's first or last row.

A strategy sees one page: a running header set just above a table's first band (``北京字节跳动
2022 企业社会责任报告`` in runs that line up with the columns) or a page number right under its
last one can pass for a row of it. Across pages it is plain what they are: the same text (page
numbers aside) at the same height on the page before or after, outside any table there. Such an
edge row is dropped before tables are stitched; a cell reaching into it from the rows beside it
(a label spanning rows, centred on them) loses that row only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from csrextract.models import BBox, Cell, PageContent, Table, TextLine
from csrextract.tables.caption import line_shape
from csrextract.tables.geometry import center, font_size_of, union

SAME_HEIGHT_EM = 1.0
"""A running line sits within this (em of the table's text) of the same height on its
neighbour page: the layout puts it there, not the flow of the text."""


def _outside(line: TextLine, boxes: Sequence[BBox]) -> bool:
    cx, cy = center(line.bbox)
    return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def running_on(
    line: TextLine, neighbours: Sequence[tuple[PageContent, Sequence[BBox]]], fs: float
) -> bool:
    """``line`` is printed again (digits aside) at the same height on a neighbour page, outside
    the tables there (a repeated table header is inside one)."""
    shape = line_shape(line.text)
    return bool(shape) and any(
        line_shape(o.text) == shape
        and abs(o.bbox[1] - line.bbox[1]) <= SAME_HEIGHT_EM * fs
        and _outside(o, boxes)
        for page, boxes in neighbours
        for o in page.lines
    )


def _row_box(table: Table, row: int) -> BBox | None:
    """The box of the row's own slots (cells starting and ending in it)."""
    own = [c.bbox for c in table.cells if c.row == row and c.row_span == 1]
    return union(own) if own else None


def _lines_in(page: PageContent, box: BBox) -> list[TextLine]:
    return [
        ln
        for ln in page.lines
        if box[0] <= center(ln.bbox)[0] <= box[2] and box[1] <= center(ln.bbox)[1] <= box[3]
    ]


def _edge_row_running(
    table: Table,
    row: int,
    page: PageContent,
    neighbours: Sequence[tuple[PageContent, Sequence[BBox]]],
) -> bool:
    """Every line in the row's own slots is running text, and a cell starting in the row with
    text holds nothing else (a cell spanning on from it keeps its own text). A row read as a
    header counts too: a repeated header sits inside the table on the neighbour page, so only
    text printed outside any table there (the page's furniture) is running."""
    box = _row_box(table, row)
    if box is None:
        return False
    lines = _lines_in(page, box)
    if not lines:
        return False
    fs = font_size_of(_lines_in(page, table.bbox) or page.lines)
    return all(running_on(ln, neighbours, fs) for ln in lines)


def _without_row(table: Table, row: int, box: BBox) -> Table:
    """``table`` less its first or last ``row`` (its own slots ``box``): the row's own cells
    go, cells spanning into it lose it, the rows below move up, the outline shrinks."""
    cells: list[Cell] = []
    for c in table.cells:
        if c.row == row and c.row_span == 1:
            continue
        if c.row <= row < c.row + c.row_span:
            top, bottom = (box[3], c.bbox[3]) if row == 0 else (c.bbox[1], box[1])
            c = replace(c, row_span=c.row_span - 1, bbox=(c.bbox[0], top, c.bbox[2], bottom))
        cells.append(replace(c, row=c.row - 1) if c.row > row else c)
    if row == 0 and any(c.is_header for c in table.cells if c.row == 0):
        # a header read with running text atop it was inferred from that line (an unfilled
        # label row over the first stripe): the rows marked with it are body rows
        cells = [replace(c, is_header=False) for c in cells]
    x0, y0, x1, y1 = table.bbox
    outline = (x0, box[3], x1, y1) if row == 0 else (x0, y0, x1, box[1])
    return replace(table, cells=cells, n_rows=table.n_rows - 1, bbox=outline)


def without_running_rows(tables: list[Table], by_number: dict[int, PageContent]) -> list[Table]:
    """Each one-page table less a first or last row of running header or footer text.

    A running header inside the neighbour page's table (read as its first row there too)
    counts once that table has lost it: passes repeat with the trimmed outlines until nothing
    changes (a run of pages each with the header read into its table clears page by page)."""
    out = list(tables)
    for _ in range(len(by_number) + 1):
        boxes: dict[int, list[BBox]] = {}
        for t in out:
            boxes.setdefault(t.pages[0], []).append(t.bbox)
        trimmed = [_trimmed(t, by_number, boxes) for t in out]
        if all(a is b for a, b in zip(trimmed, out, strict=True)):
            break
        out = trimmed
    return out


def _trimmed(
    table: Table, by_number: dict[int, PageContent], boxes: dict[int, list[BBox]]
) -> Table:
    page = by_number.get(table.pages[0])
    if page is None or len(table.pages) != 1 or table.n_rows < 3:
        return table
    neighbours = [
        (by_number[n], boxes.get(n, []))
        for n in (page.number - 1, page.number + 1)
        if n in by_number
    ]
    for row in (table.n_rows - 1, 0):
        box = _row_box(table, row)
        if box is not None and _edge_row_running(table, row, page, neighbours):
            table = _without_row(table, row, box)
    return table
