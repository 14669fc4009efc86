"""Recovered tables as a pandas grid, HTML (merged cells as real spans) or Markdown.

One module for every view of a ``Table`` so the Python API (``Table.to_pandas()`` /
``Table.to_html()``), ``csrextract export`` and the review page show the same thing. Also
rebuilds ``Table`` objects, cell provenance included, from the stored ``tables`` and
``table_cells`` datasets, so exports and the review page work from the output folder alone.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from csrextract.datasets import known_kind
from csrextract.models import Cell, Method, Table, TableStyle

LOW_CONFIDENCE = 0.9
"""A cell read with less confidence than this is marked for a human to check. PP-OCR scores a
clean print 0.95–1.0; below 0.9 a character is misread often enough to be worth a look."""


# --- grids --------------------------------------------------------------------------------------


def header_rows(table: Table) -> int:
    """Leading rows made only of header cells (the column labels)."""
    count = 0
    for row in range(table.n_rows):
        starting = [c for c in table.cells if c.row <= row < c.row + c.row_span]
        if not starting or not all(c.is_header for c in starting):
            break
        count += 1
    return count if count < table.n_rows else 0


def text_grid(table: Table) -> list[list[str]]:
    """``n_rows × n_cols`` texts; a merged cell's text repeats in every position it covers."""
    grid = [["" for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for cell in table.cells:
        for row in range(cell.row, min(cell.row + cell.row_span, table.n_rows)):
            for col in range(cell.col, min(cell.col + cell.col_span, table.n_cols)):
                grid[row][col] = cell.text
    return grid


def _column_labels(grid: list[list[str]], n_header: int, n_cols: int) -> list[Any]:
    if n_header == 0:
        return list(range(n_cols))
    labels: list[Any]
    if n_header == 1:
        labels = list(grid[0])
    else:
        labels = [tuple(grid[r][c] for r in range(n_header)) for c in range(n_cols)]
    seen: dict[Any, int] = {}
    unique: list[Any] = []
    for label in labels:  # pandas keeps duplicate labels, but they make columns ambiguous
        n = seen.get(label, 0)
        seen[label] = n + 1
        unique.append(label if n == 0 else _suffixed(label, n))
    return unique


def _suffixed(label: Any, n: int) -> Any:
    if isinstance(label, tuple):
        return (*label[:-1], f"{label[-1]}.{n}")
    return f"{label}.{n}"


def to_pandas(table: Table) -> pd.DataFrame:
    """The table as a DataFrame: header rows become the column labels (a MultiIndex when there
    are several), body rows the data; a merged cell's text fills every position it covers, so
    filtering a column never meets a hole left by a span."""
    grid = text_grid(table)
    n_header = header_rows(table)
    labels = _column_labels(grid, n_header, table.n_cols)
    columns: Any = pd.MultiIndex.from_tuples(labels) if n_header > 1 else labels
    return pd.DataFrame(grid[n_header:], columns=columns)


# --- HTML ---------------------------------------------------------------------------------------


def _cell_html(text: str, items: list[str]) -> str:
    if items:
        return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"
    return html.escape(text).replace("\n", "<br>")


def _cell_attributes(cell: Cell, low_confidence: float | None) -> str:
    attrs = [f'data-row="{cell.row}"', f'data-col="{cell.col}"']
    if cell.row_span > 1:
        attrs.insert(0, f'rowspan="{cell.row_span}"')
    if cell.col_span > 1:
        attrs.insert(0, f'colspan="{cell.col_span}"')
    if low_confidence is not None:
        attrs.append(f'data-confidence="{cell.confidence:.3f}"')
        if cell.confidence < low_confidence:
            attrs.append('class="low-confidence"')
            attrs.append(f'title="{cell.method} confidence {cell.confidence:.2f}"')
    return " ".join(attrs)


def to_html(
    table: Table,
    *,
    low_confidence: float | None = None,
    attributes: Mapping[str, str] | None = None,
) -> str:
    """An HTML ``<table>`` with ``rowspan``/``colspan`` for merged cells, header rows in
    ``<thead>``; bullet items as lists. With ``low_confidence`` every cell carries its confidence
    and cells below it get ``class="low-confidence"``."""
    n_header = header_rows(table)
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in (attributes or {}).items())
    parts = [f"<table{attrs}>"]
    if table.title:
        parts.append(f"<caption>{html.escape(table.title)}</caption>")
    for row, cells in enumerate(table.rows()):
        if row == 0 and n_header:
            parts.append("<thead>")
        if row == n_header:
            parts.append("<tbody>")
        tag = "th" if row < n_header else "td"
        cols = "".join(
            f"<{tag} {_cell_attributes(c, low_confidence)}>{_cell_html(c.text, c.items)}</{tag}>"
            for c in cells
        )
        parts.append(f"<tr>{cols}</tr>")
        if n_header and row == n_header - 1:
            parts.append("</thead>")
    if table.n_rows > n_header:
        parts.append("</tbody>")
    parts.append("</table>")
    return "\n".join(parts)


# --- Markdown -----------------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def to_markdown(table: Table) -> str:
    """A GitHub-flavoured Markdown table (Markdown has no spans: merged text repeats)."""
    grid = text_grid(table)
    n_header = max(header_rows(table), 1)
    header = [
        " / ".join(dict.fromkeys(grid[r][c] for r in range(n_header))) for c in range(table.n_cols)
    ]
    lines = ["| " + " | ".join(_md(h) for h in header) + " |"]
    lines.append("|" + "---|" * table.n_cols)
    lines += ["| " + " | ".join(_md(t) for t in row) + " |" for row in grid[n_header:]]
    return "\n".join(lines)


# --- tables from the stored datasets --------------------------------------------------------------


def _null(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(value: object) -> str:
    return "" if _null(value) else str(value)


def _number(value: object, default: float, cast: Callable[[Any], Any] = float) -> Any:
    return default if _null(value) else cast(value)


def _bbox(value: object) -> tuple[float, float, float, float]:
    if value is None or isinstance(value, float):
        return (0.0, 0.0, 0.0, 0.0)
    x0, top, x1, bottom = (float(v) for v in list(value)[:4])  # type: ignore[call-overload]
    return (x0, top, x1, bottom)


def _stored_cell(record: Mapping[str, Any]) -> Cell:
    return Cell(
        row=int(record["row"]),
        col=int(record["col"]),
        text=_text(record.get("text")),
        row_span=max(int(_number(record.get("row_span"), 1, int)), 1),
        col_span=max(int(_number(record.get("col_span"), 1, int)), 1),
        is_header=bool(_number(record.get("is_header"), False, bool)),
        page=int(_number(record.get("page"), 0, int)),
        bbox=_bbox(record.get("bbox")),
        method=Method(_text(record.get("method")) or "text"),
        confidence=float(_number(record.get("confidence"), 1.0)),
    )


def union_bbox(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    """The smallest box holding every box (zeros when there is none)."""
    real = [b for b in boxes if b[2] > b[0] and b[3] > b[1]]
    if not real:
        return (0.0, 0.0, 0.0, 0.0)
    return (
        min(b[0] for b in real),
        min(b[1] for b in real),
        max(b[2] for b in real),
        max(b[3] for b in real),
    )


def stored_tables(tables: pd.DataFrame, cells: pd.DataFrame) -> list[Table]:
    """``Table`` objects (cells with page, bbox, method and confidence) from the stored
    ``tables`` and ``table_cells`` rows of one report, in table id order."""
    by_table = {str(t): group for t, group in cells.groupby("table_id", sort=False)}
    result = []
    for record in tables.sort_values("table_id").to_dict("records"):
        table_id = str(record["table_id"])
        group = by_table.get(table_id)
        records = [] if group is None else group.to_dict("records")
        grid = [_stored_cell({str(k): v for k, v in r.items()}) for r in records]
        listed = record.get("pages")
        pages = [] if listed is None or isinstance(listed, float) else [int(p) for p in listed]
        first = [c.bbox for c in grid if not pages or c.page == pages[0]]
        result.append(
            Table(
                table_id=table_id,
                cells=grid,
                n_rows=max([int(record["n_rows"]), *(c.row + c.row_span for c in grid)]),
                n_cols=max([int(record["n_cols"]), *(c.col + c.col_span for c in grid)]),
                pages=pages,
                bbox=union_bbox(first),
                style=_text(record.get("style")) or TableStyle.RULED,
                kind=known_kind(_text(record.get("kind"))),
                title=_text(record.get("title")),
                method=Method(_text(record.get("method")) or "text"),
                confidence=float(_number(record.get("confidence"), 1.0)),
            )
        )
    return result
