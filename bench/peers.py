"""Peer table extractors (Camelot lattice/stream, pdfplumber, PyMuPDF) as ``Table`` lists for TEDS.

Each peer is read as favourably as its output allows: merged cells are rebuilt from Camelot
lattice's missing ruling edges and from pdfplumber's cell boxes, so a peer loses TEDS for what
it gets wrong, not for how it spells a span.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from csrextract.models import Cell, Table, TableStyle

log = logging.getLogger(__name__)

PageCallback = Callable[[int, int], None]
"""Called with (pages done, pages in all) after each page, for progress output."""


def _table(table_id: str, cells: list[Cell], n_rows: int, n_cols: int, page: int) -> Table:
    return Table(table_id, cells, n_rows, n_cols, [page], (0.0, 0.0, 0.0, 0.0), TableStyle.RULED)


# --- Camelot ----------------------------------------------------------------------------------


def _find(parent: dict[tuple[int, int], tuple[int, int]], x: tuple[int, int]) -> tuple[int, int]:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _lattice_groups(grid: list[list[Any]]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Union the grid positions that no ruling line separates (Camelot's edge flags)."""
    parent = {(r, c): (r, c) for r, row in enumerate(grid) for c in range(len(row))}
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if c + 1 < len(row) and not cell.right and not row[c + 1].left:
                parent[_find(parent, (r, c + 1))] = _find(parent, (r, c))
            if r + 1 < len(grid) and not cell.bottom and not grid[r + 1][c].top:
                parent[_find(parent, (r + 1, c))] = _find(parent, (r, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for position in parent:
        groups.setdefault(_find(parent, position), []).append(position)
    return groups


def _cells_from_groups(
    texts: list[list[str]], groups: Iterable[list[tuple[int, int]]]
) -> list[Cell]:
    cells = []
    for members in groups:
        rows = [r for r, _ in members]
        cols = [c for _, c in members]
        height, width = max(rows) - min(rows) + 1, max(cols) - min(cols) + 1
        if height * width != len(members):  # not a rectangle: keep the positions apart
            cells += [Cell(r, c, texts[r][c]) for r, c in members]
            continue
        text = "\n".join(texts[r][c] for r, c in sorted(members) if texts[r][c].strip())
        cells.append(Cell(min(rows), min(cols), text, row_span=height, col_span=width))
    return cells


def camelot_tables(
    pdf: Path, pages: list[int], flavor: str, progress: PageCallback | None = None
) -> tuple[list[Table], list[str]]:
    """Camelot ``read_pdf`` page by page (default settings); returns tables and page errors."""
    import camelot

    tables: list[Table] = []
    errors: list[str] = []
    for done, page in enumerate(pages, 1):
        try:
            found = camelot.read_pdf(str(pdf), pages=str(page), flavor=flavor)
        except Exception as exc:  # a peer's crash on one page is its error, not the bench's
            errors.append(f"page {page}: {type(exc).__name__}: {exc}")
            found = []
        for table in found:
            texts = table.df.astype(str).values.tolist()
            if flavor == "lattice":
                cells = _cells_from_groups(texts, _lattice_groups(table.cells).values())
            else:
                cells = [Cell(r, c, t) for r, row in enumerate(texts) for c, t in enumerate(row)]
            n_rows = len(texts)
            n_cols = max((len(row) for row in texts), default=0)
            tables.append(_table(f"p{page}-{len(tables)}", cells, n_rows, n_cols, page))
        if progress:
            progress(done, len(pages))
    return tables, errors


# --- pdfplumber -------------------------------------------------------------------------------


def _span(start: float, end: float, edges: list[float]) -> int:
    return max(1, sum(1 for e in edges if start - 0.5 <= e < end - 0.5))


def _plumber_table(found: Any, page: int, table_id: str) -> Table:
    """Rebuild spans from pdfplumber's cell boxes: a box covering several column starts spans."""
    texts = found.extract()
    boxes = [cell for row in found.rows for cell in row.cells if cell is not None]
    col_edges = sorted({round(b[0], 1) for b in boxes})
    row_edges = sorted({round(b[1], 1) for b in boxes})
    cells = []
    for r, row in enumerate(found.rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            text = texts[r][c] or ""
            cells.append(
                Cell(
                    r,
                    c,
                    text,
                    row_span=_span(box[1], box[3], row_edges),
                    col_span=_span(box[0], box[2], col_edges),
                )
            )
    n_cols = max((len(row.cells) for row in found.rows), default=0)
    return _table(table_id, cells, len(found.rows), n_cols, page)


def pdfplumber_tables(
    pdf: Path, pages: list[int], progress: PageCallback | None = None
) -> tuple[list[Table], list[str]]:
    """pdfplumber's default ``Page.find_tables()`` on every page."""
    import pdfplumber

    tables: list[Table] = []
    errors: list[str] = []
    with pdfplumber.open(pdf) as doc:
        for done, page in enumerate(pages, 1):
            try:
                for found in doc.pages[page - 1].find_tables():
                    tables.append(_plumber_table(found, page, f"p{page}-{len(tables)}"))
            except Exception as exc:  # see camelot_tables
                errors.append(f"page {page}: {type(exc).__name__}: {exc}")
            if progress:
                progress(done, len(pages))
    return tables, errors


# --- PyMuPDF ----------------------------------------------------------------------------------

SLIVER_PT = 3.0
"""PyMuPDF's finder turns a stroked rule into a thin rectangle whose two edges bound an empty
column (or row) a rule's width wide; such slivers are dropped so the peer is scored on its
reading, not on this artefact."""


def _extents(found: Any, axis: int) -> list[float]:
    """Width (axis 0) of each column or height (axis 1) of each row from the cell boxes."""
    lines = (
        [[row.cells[c] for row in found.rows if c < len(row.cells)] for c in range(found.col_count)]
        if axis == 0
        else [row.cells for row in found.rows]
    )
    out = []
    for boxes in lines:
        sizes = [b[axis + 2] - b[axis] for b in boxes if b is not None]
        out.append(max(sizes, default=0.0))
    return out


def _without_slivers(table: Table, found: Any) -> Table:
    """``table`` without empty columns/rows narrower than :data:`SLIVER_PT`."""

    def slivers(sizes: list[float], index: str) -> set[int]:
        return {
            i
            for i, size in enumerate(sizes)
            if size < SLIVER_PT
            and all(not c.text.strip() for c in table.cells if getattr(c, index) == i)
        }

    cols, rows = slivers(_extents(found, 0), "col"), slivers(_extents(found, 1), "row")
    if not cols and not rows:
        return table
    cells = []
    for cell in table.cells:
        if cell.col in cols or cell.row in rows:
            continue
        col_span = cell.col_span - sum(cell.col < c < cell.col + cell.col_span for c in cols)
        row_span = cell.row_span - sum(cell.row < r < cell.row + cell.row_span for r in rows)
        cells.append(
            Cell(
                cell.row - sum(r < cell.row for r in rows),
                cell.col - sum(c < cell.col for c in cols),
                cell.text,
                row_span=max(row_span, 1),
                col_span=max(col_span, 1),
            )
        )
    page = table.pages[0] if table.pages else 0
    return _table(table.table_id, cells, table.n_rows - len(rows), table.n_cols - len(cols), page)


def pymupdf_tables(
    pdf: Path, pages: list[int], progress: PageCallback | None = None
) -> tuple[list[Table], list[str]]:
    """PyMuPDF's default ``Page.find_tables()`` on every page (a port of pdfplumber's finder:
    its rows carry cell boxes the same way, so spans are rebuilt by ``_plumber_table``; rule
    slivers are dropped, see :data:`SLIVER_PT`)."""
    import pymupdf

    tables: list[Table] = []
    errors: list[str] = []
    with pymupdf.open(pdf) as doc:
        for done, page in enumerate(pages, 1):
            try:
                for found in doc[page - 1].find_tables().tables:
                    table = _plumber_table(found, page, f"p{page}-{len(tables)}")
                    tables.append(_without_slivers(table, found))
            except Exception as exc:  # see camelot_tables
                errors.append(f"page {page}: {type(exc).__name__}: {exc}")
            if progress:
                progress(done, len(pages))
    return tables, errors


def stderr_progress(label: str) -> PageCallback:
    """A progress callback printing ``label: done/total`` on one refreshed stderr line."""

    def report(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\r  {label}: page {done}/{total}", end=end, file=sys.stderr, flush=True)

    return report
