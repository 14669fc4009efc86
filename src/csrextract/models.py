"""Typed data that crosses stage boundaries.

The pipeline is a chain of stages, each turning one of these types into the next:

    Document → PageContent (lines, rules, fills, images) → Table → records → datasets

Coordinates: every ``BBox`` in this package is ``(x0, top, x1, bottom)`` in PDF points
(1/72 inch) with the origin at the **top-left** of the page, y growing downwards — the
convention of PyMuPDF and pdfplumber. OCR stages convert pixel boxes into this frame before
handing them on, so downstream code never knows where a line came from except by ``method``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, top-left origin."""


class Method(StrEnum):
    """Where a piece of text came from."""

    TEXT = "text"
    OCR = "ocr"


class PageKind(StrEnum):
    """Result of page triage."""

    TEXT = "text"  # the text layer carries the page
    IMAGE = "image"  # no usable text layer: OCR the whole page
    MIXED = "mixed"  # text layer plus large images that carry text: OCR those regions


class TableStyle(StrEnum):
    """How the built-in strategies' tables are drawn (``Table.style`` is any registered
    strategy's style, a plain string for one added later; see :mod:`csrextract.tables`)."""

    RULED = "ruled"  # ruling lines around and between cells
    FILLED = "filled"  # background fills (header band, zebra rows), no lines
    THREE_LINE = "three_line"  # top, header and bottom rules only
    ALIGNED = "aligned"  # no graphics: columns are aligned text only


class TableKind(StrEnum):
    """The kinds the package's own datasets read (``Table.kind`` is any registered dataset's
    kind, a plain string for one added later; see :mod:`csrextract.datasets`), and ``other``:
    no dataset reads the table."""

    SDG = "sdg"
    STAKEHOLDER = "stakeholder"
    CERTIFICATION = "certification"
    GRI_INDEX = "gri_index"
    METRICS = "metrics"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded report: identity and metadata, no page content."""

    path: Path
    sha256: str
    page_count: int
    title: str
    metadata: dict[str, str]
    company: str  # slug, e.g. "bytedance"
    report_year: int

    @property
    def report_id(self) -> str:
        return f"{self.company}-{self.report_year}"


@dataclass(frozen=True, slots=True)
class TextLine:
    """A run of text on one baseline with no large gap inside it.

    ``char_boxes`` (one per character of ``text`` when known) lets table code split a run that
    crosses a cell boundary; it is empty when the source gives no per-character geometry.
    """

    text: str
    bbox: BBox
    method: Method = Method.TEXT
    confidence: float = 1.0
    font_size: float = 0.0
    bold: bool = False
    char_boxes: tuple[BBox, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight ruling line (horizontal or vertical) from vector graphics or an image."""

    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 1.0

    @property
    def is_horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


@dataclass(frozen=True, slots=True)
class Fill:
    """A filled rectangle (cell background, header band, zebra stripe).

    ``gray`` is the fill's luminance in 0..1 (1 = white) so that vector fills and filled bands
    found in images compare on one scale.
    """

    bbox: BBox
    gray: float


@dataclass(frozen=True, slots=True)
class ImageRegion:
    """An image placed on the page; ``carries_text`` marks one that must be OCRed."""

    bbox: BBox
    xref: int = 0
    carries_text: bool = False


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One problem that did not stop the report: which stage, where (page, table), what.

    Items travel typed from the stage that met the problem to the ``reports`` row, where each
    becomes one string of the ``errors`` column (``str(item)``: ``page 3: ocr: …``). Any item
    makes the report ``partial_success``.
    """

    stage: str
    page: int | None
    table_id: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.table_id:
            where.append(f"table {self.table_id}")
        if self.page is not None:
            where.append(f"page {self.page}")
        prefix = ", ".join(where)
        return (
            f"{prefix}: {self.stage}: {self.message}" if prefix else f"{self.stage}: {self.message}"
        )

    @classmethod
    def on_page(cls, stage: str, page: int, message: object) -> ErrorItem:
        """A problem confined to one page."""
        return cls(stage, page, None, str(message))


@dataclass(slots=True)
class PageContent:
    """Everything later stages need from one page, whatever its source (text layer or OCR)."""

    number: int  # 1-based
    width: float
    height: float
    kind: PageKind = PageKind.TEXT
    lines: list[TextLine] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    images: list[ImageRegion] = field(default_factory=list)
    errors: list[ErrorItem] = field(default_factory=list)

    @property
    def method(self) -> Method:
        return Method.OCR if any(ln.method is Method.OCR for ln in self.lines) else Method.TEXT

    @property
    def needs_ocr(self) -> bool:
        """Image-only pages, and mixed pages with an image that may carry text."""
        if self.kind is PageKind.IMAGE:
            return True
        return self.kind is PageKind.MIXED and any(image.carries_text for image in self.images)

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    @property
    def mean_confidence(self) -> float:
        if not self.lines:
            return 1.0
        return sum(ln.confidence for ln in self.lines) / len(self.lines)


@dataclass(slots=True)
class Cell:
    """One (possibly merged) table cell. ``items`` holds bullet items when the cell is a list."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    is_header: bool = False
    items: list[str] = field(default_factory=list)
    page: int = 0
    bbox: BBox = (0.0, 0.0, 0.0, 0.0)
    method: Method = Method.TEXT
    confidence: float = 1.0
    lines: list[str] = field(default_factory=list)
    """The cell's printed lines with wrapped lines joined (a line that ends well short of the
    cell's right edge was broken on purpose): what tells two places stacked in one cell
    (``绿色发展-绿色运营`` over ``优质服务-提升客户体验``) from one long place wrapped over two.
    Empty when unknown (cells rebuilt from stored ``table_cells``)."""


@dataclass(frozen=True, slots=True)
class ParseReport:
    """How a table was recovered and how well the evidence agrees (camelot's parsing report).

    Every share is 0..1, 1 being best; ``Table.confidence`` is derived from them
    (``csrextract.tables.report``) so a guess — text spilling out of the grid, edges that cut
    through text, a mostly empty grid, doubtful OCR — is told from a clean table.
    """

    reason: str = ""
    """Why the strategy kept the table (its ``Verdict``)."""
    text_in_cells: float = 1.0
    """Share of the text overlapping the table area that lies inside it (text cut by the
    table's outline means the outline is wrong)."""
    edge_agreement: float = 1.0
    """Share of (inner edge, row or column) pairs where the grid's edge crosses no text run
    that the cell does not span: rules, fills and whitespace agree with the grid."""
    filled_share: float = 1.0
    """Share of the grid's slots covered by a cell holding text."""
    ocr_confidence: float = 1.0
    """Mean recognition confidence of the table's OCR'd cells (1.0 for the text layer)."""
    stitched: tuple[str, ...] = ()
    """Why each continuation on a later page was joined to this table."""


@dataclass(slots=True)
class Table:
    """A recovered table: a grid of cells with spans, possibly stitched across pages."""

    table_id: str
    cells: list[Cell]
    n_rows: int
    n_cols: int
    pages: list[int]
    bbox: BBox
    style: str
    """How the table is drawn: the style of the strategy that found it (``TableStyle``)."""
    kind: str = TableKind.OTHER
    """The kind of the dataset that reads the table (``csrextract.datasets``), or ``other``."""
    title: str = ""
    method: Method = Method.TEXT
    confidence: float = 1.0
    report: ParseReport = field(default_factory=ParseReport)

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering (row, col), merged cells included."""
        return cell_covering(self.cells, row, col)

    def rows(self) -> list[list[Cell]]:
        """Cells grouped by the row they start in, left to right."""
        return cells_by_row(self.cells, self.n_rows)

    def to_pandas(self) -> pd.DataFrame:
        """The table as a DataFrame: header rows as column labels, merged text repeated
        (see ``csrextract.render.to_pandas``)."""
        from csrextract.render import to_pandas  # lazy: models stay free of pandas at import

        return to_pandas(self)

    def to_html(self, low_confidence: float | None = None) -> str:
        """The table as an HTML ``<table>``, merged cells as ``rowspan``/``colspan``
        (see ``csrextract.render.to_html``)."""
        from csrextract.render import to_html

        return to_html(self, low_confidence=low_confidence)


def cell_covering(cells: list[Cell], row: int, col: int) -> Cell | None:
    """The cell of a grid covering (row, col), merged cells included."""
    for cell in cells:
        in_rows = cell.row <= row < cell.row + cell.row_span
        if in_rows and cell.col <= col < cell.col + cell.col_span:
            return cell
    return None


def cells_by_row(cells: list[Cell], n_rows: int) -> list[list[Cell]]:
    """A grid's cells grouped by the row they start in, left to right."""
    grouped: list[list[Cell]] = [[] for _ in range(n_rows)]
    for cell in cells:
        grouped[cell.row].append(cell)
    return [sorted(r, key=lambda c: c.col) for r in grouped]
