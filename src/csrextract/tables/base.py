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

from csrextract.models import BBox, Method, PageContent, Table, TextLine
from csrextract.tables.cells import fill_cells, split_at_bullets
from csrextract.tables.geometry import intersects, lines_in
from csrextract.tables.grid import Grid
from csrextract.tables.header import header_rows, span_labels_down
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
    """Find tables drawn in one style.

    A strategy module in this package registers an instance (``register(MyStrategy())``) and is
    found by :func:`csrextract.tables.strategies`; the class says where it runs and how much its
    drawing vouches for a grid, so adding a style touches no other module.
    """

    style: ClassVar[str]
    """The style's name, stored in ``tables.style`` (the built-in ones are ``TableStyle``)."""
    order: ClassVar[int]
    """Strategies run in ascending order, most reliable first: a region claimed by an earlier
    strategy is not looked at again."""
    prior: ClassVar[float]
    """How much the drawing alone vouches for the grid (0..1): lines around every cell say the
    most, text alignment alone the least (the confidence's starting point)."""
    shading_marks_headers: ClassVar[bool] = False
    """Whether fills on the page are a cue to header and label rows (they are for tables drawn
    with lines; a fill-drawn table's strategy has already read its bands)."""
    header_cells_drawn: ClassVar[bool] = False
    """Whether lines around every cell draw the header's merged cells (then an empty header
    cell is one); otherwise a header label spans the empty header cells below it
    (:func:`~csrextract.tables.header.span_labels_down`)."""

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
        regions = list(self.find_regions(page, claimed))
        while regions:
            region = regions.pop(0)
            if any(intersects(region.bbox, c) for c in claimed):
                continue
            lines = split_at_bullets(self.region_lines(page, region))
            grid = self.build_grid(page, region, lines)
            if grid is None:
                regions[:0] = self.fallback_regions(page, region)
                continue
            table = build_table(grid, lines, page, self)
            verdict = self.accept(table, lines)
            if verdict.kept:
                table.report = parse_report(table, page, verdict.reason, grid.xs, grid.ys)
                table.confidence = confidence_of(table.report, self.prior)
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
                regions[:0] = self.fallback_regions(page, region)
        return tables

    def fallback_regions(self, page: PageContent, region: Region) -> list[Region]:
        """Smaller candidates to try when ``region`` is no table (none by default); each must
        lie strictly inside ``region`` so the search ends."""
        return []


def build_table(
    grid: Grid, lines: list[TextLine], page: PageContent, strategy: TableStrategy
) -> Table:
    """A ``Table`` from a filled grid: header rows marked, method and confidence from the text."""
    cells = fill_cells(grid, lines, page.number)
    shading = page.fills if strategy.shading_marks_headers else []
    n_header, label_rows = header_rows(grid, cells, lines, shading)
    if not strategy.header_cells_drawn:
        cells = span_labels_down(cells, n_header)
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
        style=strategy.style,
        method=method,
        confidence=confidence,
    )


REGISTRY: dict[str, TableStrategy] = {}
"""Style name → the strategy instance that finds tables drawn in it."""


def register(strategy: TableStrategy) -> TableStrategy:
    """Add a strategy (it runs in its class's ``order``); a style name is taken once."""
    known = REGISTRY.get(strategy.style)
    if known is not None and type(known) is not type(strategy):
        raise ValueError(f"table style {strategy.style!r} is already {type(known).__name__}")
    REGISTRY[strategy.style] = strategy
    return strategy


def unregister(style: str) -> None:
    """Remove a style's strategy (tests register throwaway styles)."""
    REGISTRY.pop(style, None)
