"""The template every table strategy follows, and the registry that orders them.

Like camelot's parsers, each strategy names the same steps — find candidate regions on the page,
turn one region into a ``Grid``, then keep or reject the table — and shares the filling of cells
and the building of the ``Table``. Strategies run in registry order; a region claimed by an
earlier (more reliable) strategy is not looked at again.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from csrextract.models import BBox, Method, PageContent, Table, TableStyle, TextLine
from csrextract.tables.cells import fill_cells, split_at_bullets
from csrextract.tables.geometry import intersects, lines_in
from csrextract.tables.grid import Grid
from csrextract.tables.header import header_rows
from csrextract.tables.report import confidence_of, parse_report

logger = logging.getLogger(__name__)

MIN_TEXT_CELLS = 3
"""Fewer cells of text than this do not make a table (a label pair is a caption and a value)."""


@dataclass(frozen=True, slots=True)
class Region:
    """A candidate table area, with what the strategy already knows about it."""

    bbox: BBox
    grid: Grid | None = None
    header_bottom: float | None = None
    row_edges: tuple[float, ...] = ()
    column_hints: tuple[float, ...] = ()
    solid_spans: tuple[tuple[float, float], ...] = ()
    """x-ranges drawn as one cell (no column edge can lie inside them)."""
    drawn_cells: tuple[BBox, ...] = ()
    """Boxes the drawing shows as single cells (fills drawn cell by cell)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a candidate is kept as a table, and why (the parse report records the reason)."""

    kept: bool
    reason: str


def keep(reason: str) -> Verdict:
    return Verdict(True, reason)


def reject(reason: str) -> Verdict:
    return Verdict(False, reason)


class TableStrategy(ABC):
    """Find tables drawn in one style."""

    style: ClassVar[TableStyle]

    @abstractmethod
    def find_regions(self, page: PageContent, claimed: list[BBox]) -> list[Region]:
        """Candidate table areas not overlapping ``claimed``."""

    @abstractmethod
    def build_grid(self, page: PageContent, region: Region, lines: list[TextLine]) -> Grid | None:
        """Rows, columns and merged cells of one region (``None``: not a table after all)."""

    def accept(self, table: Table, lines: list[TextLine]) -> Verdict:
        """Keep a table with at least two rows, two columns and some text."""
        filled = sum(1 for c in table.cells if c.text)
        if table.n_rows < 2 or table.n_cols < 2:
            return reject(f"{table.n_rows}x{table.n_cols} grid: a table has two rows and columns")
        if filled < MIN_TEXT_CELLS:
            return reject(f"{filled} cells with text")
        return keep(f"{table.n_rows}x{table.n_cols} grid with {filled} cells of text")

    def region_lines(self, page: PageContent, region: Region) -> list[TextLine]:
        return lines_in(page.lines, region.bbox)

    def parse(self, page: PageContent, claimed: list[BBox]) -> list[Table]:
        """The template: regions → grid → cells → table → keep or reject."""
        tables: list[Table] = []
        for region in self.find_regions(page, claimed):
            if any(intersects(region.bbox, c) for c in claimed):
                continue
            lines = split_at_bullets(self.region_lines(page, region))
            grid = self.build_grid(page, region, lines)
            if grid is None:
                continue
            table = build_table(grid, lines, page, self.style)
            verdict = self.accept(table, lines)
            if verdict.kept:
                table.report = parse_report(table, page, verdict.reason, grid.xs, grid.ys)
                table.confidence = confidence_of(table.report, self.style)
                tables.append(table)
                claimed.append(table.bbox)
            else:
                logger.debug(
                    "page %d: rejected %s candidate at %s: %s",
                    page.number,
                    self.style,
                    region.bbox,
                    verdict.reason,
                )
        return tables


def build_table(grid: Grid, lines: list[TextLine], page: PageContent, style: TableStyle) -> Table:
    """A ``Table`` from a filled grid: header rows marked, method and confidence from the text."""
    cells = fill_cells(grid, lines, page.number)
    # a filled table's strategy already read its bands; for lines-only tables shading is a cue
    shading = page.fills if style in (TableStyle.RULED, TableStyle.THREE_LINE) else []
    plain = style is TableStyle.ALIGNED
    n_header, label_rows = header_rows(grid, cells, lines, shading, plain)
    for cell in cells:
        cell.is_header = cell.row < n_header or cell.row in label_rows
    with_text = [c for c in cells if c.text]
    method = Method.OCR if any(c.method is Method.OCR for c in with_text) else Method.TEXT
    confidence = min((c.confidence for c in with_text), default=1.0)
    return Table(
        table_id="",
        cells=cells,
        n_rows=grid.n_rows,
        n_cols=grid.n_cols,
        pages=[page.number],
        bbox=grid.bbox,
        style=style,
        method=method,
        confidence=confidence,
    )


REGISTRY: dict[TableStyle, TableStrategy] = {}


def register(strategy: TableStrategy) -> TableStrategy:
    """Add a strategy; registration order is the order strategies run in."""
    REGISTRY[strategy.style] = strategy
    return strategy
