"""Stitch a table continued on the next page into one table.

Two tables are one when the second is the first table of the page after the first one's page,
sits near its top (only a running header or a short caption above it), the first ends its page
(only a footer below it), and both have the same columns at the same x-positions. A repeated
header on the continuation is dropped. Nothing here looks at page numbers' values beyond
"the next page".
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from csrextract.models import Cell, PageContent, Table, TableStyle
from csrextract.tables.geometry import font_size_of, median
from csrextract.tables.report import merged_report

MAX_LINES_AROUND = 4
"""Lines allowed between a table and the page edge (running header/footer, page number, caption)."""


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


def _lines_below(page: PageContent, table: Table) -> int:
    return sum(1 for ln in page.lines if ln.bbox[1] >= table.bbox[3] - 1)


def _lines_above(page: PageContent, table: Table) -> int:
    return sum(1 for ln in page.lines if ln.bbox[3] <= table.bbox[1] + 1)


def same_columns(a: Table, b: Table, fs: float) -> bool:
    """Same number of columns at about the same x. Columns found from whitespace (no vertical
    rules) are midpoints of gaps that differ from page to page, hence a wider tolerance."""
    if a.n_cols != b.n_cols:
        return False
    ruled = a.style is TableStyle.RULED and b.style is TableStyle.RULED
    tol = max(1.5 * fs, 0.04 * (a.bbox[2] - a.bbox[0]))
    if not ruled:
        tol = max(3 * fs, 0.06 * (a.bbox[2] - a.bbox[0]))
    if abs(a.bbox[0] - b.bbox[0]) > 3 * tol or abs(a.bbox[2] - b.bbox[2]) > 3 * tol:
        return False
    return all(
        abs(x - y) <= tol for x, y in zip(column_edges_of(a), column_edges_of(b), strict=True)
    )


def continues(first: Table, second: Table, pages: dict[int, PageContent]) -> bool:
    """Whether ``second`` is the continuation of ``first`` on the following page."""
    if second.pages[0] != first.pages[-1] + 1:
        return False
    end_page, next_page = pages.get(first.pages[-1]), pages.get(second.pages[0])
    if end_page is None or next_page is None:
        return False
    fs = font_size_of(end_page.lines)
    return (
        same_columns(first, second, fs)
        and _lines_below(end_page, first) <= MAX_LINES_AROUND
        and _lines_above(next_page, second) <= MAX_LINES_AROUND
    )


def merge(first: Table, second: Table, why: str = "same columns on the next page") -> Table:
    """Append ``second``'s rows to ``first``, without a header that only repeats ``first``'s."""
    n_head = header_rows(first)
    repeated = n_head > 0 and row_texts(second, n_head) == row_texts(first, n_head)
    drop = n_head if repeated else 0
    offset = first.n_rows - drop
    moved: list[Cell] = [
        replace(c, row=c.row + offset, is_header=False) for c in second.cells if c.row >= drop
    ]
    return replace(
        first,
        cells=first.cells + moved,
        n_rows=first.n_rows + second.n_rows - drop,
        pages=first.pages + [p for p in second.pages if p not in first.pages],
        confidence=min(first.confidence, second.confidence),
        report=merged_report(first.report, second.report, why),
        method=first.method if first.method == second.method else second.method,
    )


def stitch_tables(tables: list[Table], pages: list[PageContent]) -> list[Table]:
    """Tables in reading order with every cross-page continuation merged into its start."""
    by_number = {p.number: p for p in pages}
    ordered = sorted(tables, key=lambda t: (t.pages[0], t.bbox[1], t.bbox[0]))
    out: list[Table] = []
    for table in ordered:
        if out and continues(out[-1], table, by_number):
            out[-1] = merge(out[-1], table)
        else:
            out.append(table)
    return out
