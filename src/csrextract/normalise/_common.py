"""Helpers every normaliser shares: cell text, bullet items, provenance, output frames."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from csrextract.contract import DATASETS
from csrextract.datasets import Located, place
from csrextract.frames import normalised_frame
from csrextract.models import Cell, Table

PROVENANCE_COLUMNS = ["page", "bbox", "method", "confidence"]

_MARKER = re.compile(r"^\s*(?:[•●○◦·▪■□◆◇►▶➢✓√\-–—*]|\d{1,2}[.、)）](?!\d)|[（(]\d{1,2}[)）])\s*")

Row = dict[str, Any]


def fold(text: str) -> str:
    """Comparison form: NFKC, no whitespace, lower case (OCR and fonts vary in all three)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


def clean(text: str) -> str:
    """Printed text tidied for output: trimmed, line breaks and runs of spaces collapsed.

    A line break between two CJK characters is a wrap, not a space, so it is dropped.
    """
    text = (text or "").strip()
    text = re.sub(
        r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])", "", text
    )
    return re.sub(r"\s+", " ", text).strip()


def strip_marker(item: str) -> str:
    """An item without its bullet glyph or ``1.`` number."""
    return _MARKER.sub("", item, count=1).strip()


def cell_items(cell: Cell) -> list[str]:
    """The list items of a cell: ``Cell.items`` when the table stage found them, else its lines.

    Cells rebuilt from stored ``table_cells`` carry no items; their text is the items joined by a
    newline (the table stage's convention), so splitting on line breaks recovers them.
    """
    raw = cell.items if cell.items else (cell.text or "").split("\n")
    items = [clean(strip_marker(i)) for i in raw]
    return [i for i in items if i]


def listed_items(cell: Cell) -> list[str]:
    """The items of a cell that lists things: its bullet items, else its lines as the author
    broke them (``Cell.lines``), else :func:`cell_items`.

    A list whose markers are not in the text layer (a glyph the font lacks, a bullet drawn as a
    shape or an image) still sets one item per line, each ending short of the cell's edge; the
    table stage joins only the lines that wrapped. Only for columns whose cells are lists (a
    stakeholder matrix's aspects), where a line broken on purpose is an item by design.
    """
    if cell.items or len(cell.lines) < 2:
        return cell_items(cell)
    items = [clean(strip_marker(line)) for line in cell.lines]
    return [i for i in items if i]


def provenance(cells: Sequence[Cell], table: Table) -> Row:
    """:func:`place` as the columns of a record (for normalisers that still build dicts)."""
    where = place(cells, table)
    return {**where, "bbox": list(where["bbox"])}


def columns_of(dataset: str) -> list[str]:
    """Content columns of ``dataset`` plus the provenance columns (no identity columns)."""
    return [*DATASETS[dataset].content_columns, *PROVENANCE_COLUMNS]


def frame(dataset: str, rows: Iterable[Row | Located]) -> pd.DataFrame:
    """Rows as a frame with exactly the dataset's columns, numbers in nullable dtypes of the
    contract's widths (see ``frames.normalised_frame``)."""
    return normalised_frame(dataset, rows)


def anchors_in_column(table: Table, col: int) -> list[Cell]:
    """Distinct cells covering column ``col``, top to bottom."""
    seen: list[Cell] = []
    for r in range(table.n_rows):
        cell = table.cell_at(r, col)
        if cell is not None and all(cell is not s for s in seen):
            seen.append(cell)
    return seen


def transpose(table: Table) -> Table:
    """The same table with rows and columns swapped (for matrices printed the other way round)."""
    cells = [
        replace(c, row=c.col, col=c.row, row_span=c.col_span, col_span=c.row_span, items=[*c.items])
        for c in table.cells
    ]
    return replace(
        table, cells=cells, n_rows=table.n_cols, n_cols=table.n_rows, pages=[*table.pages]
    )
