"""The parse report of a table and the confidence derived from it.

A table's confidence says how far the page's evidence supports the grid, not whether the text
was read right (cells carry that). It multiplies the style's prior — drawn lines bound cells,
fills and rules bound rows, bare alignment bounds nothing — by how much of the region's text
sits inside the table, how often a grid edge cuts through a run of text that no merged cell
covers, how much of the grid holds text, and, for OCR'd tables, the recogniser's confidence.
A clean ruled table scores about 1.0; a grid guessed from whitespace that cuts through text, or
whose outline slices paragraphs, scores low.
"""

from __future__ import annotations

from collections.abc import Sequence

from csrextract.models import BBox, Method, PageContent, ParseReport, Table, TextLine
from csrextract.tables.geometry import font_size_of, height, inside_fraction, intersects

FILLED_WEIGHT = 0.5
"""How much an empty grid slot counts against a table (tables have blank cells: dashes left
out, a label without a value), so half of it."""

CROSSING_MARGIN_EM = 0.3
"""A run crosses an edge only when it reaches this far past it on both sides (a glyph touching
an edge, or a hanging punctuation mark, does not)."""


def _chars(line: TextLine) -> int:
    return len("".join(line.text.split()))


TOUCHING = 0.25
"""A run with less than this share of its box over the table only touches it (a caption's
descenders on the top rule) and is not counted."""
OVERHANG_EM = 0.5
"""A run reaching more than half its height past the outline is cut by it (box padding and
glyph overhang stay well under that)."""


def text_in_cells(table: Table, lines: Sequence[TextLine]) -> float:
    """Share of the characters of runs over the table that the outline does not cut: a run
    sticking out of the grid means the outline (or the run's reading) is wrong, however little
    of it sticks out."""
    total = inside = 0
    for ln in lines:
        if not intersects(ln.bbox, table.bbox):
            continue
        share = inside_fraction(ln.bbox, table.bbox)
        if share < TOUCHING:
            continue
        n = _chars(ln)
        total += n
        inside += n if _overhang(ln.bbox, table.bbox) <= OVERHANG_EM * height(ln.bbox) else 0
    return inside / total if total else 1.0


def _overhang(box: BBox, outline: BBox) -> float:
    return max(outline[0] - box[0], box[2] - outline[2], outline[1] - box[1], box[3] - outline[3])


def _spanned(table: Table, row: int, col: int, other: tuple[int, int]) -> bool:
    """The cell covering (row, col) also covers ``other``: no edge between them."""
    cell = table.cell_at(row, col)
    return cell is not None and cell is table.cell_at(*other)


def _crosses(box: BBox, pos: float, horizontal: bool, margin: float) -> bool:
    lo, hi = (box[1], box[3]) if horizontal else (box[0], box[2])
    if horizontal:
        margin = max(margin, 0.25 * height(box))
    return lo + margin < pos < hi - margin


def _edge_checks(
    table: Table,
    inside: Sequence[TextLine],
    edges: Sequence[float],
    bands: Sequence[float],
    horizontal: bool,
    margin: float,
) -> tuple[int, int]:
    """(checked, agreed) over every inner edge of ``edges`` in every band of ``bands``: column
    edges in each row (``horizontal`` False) or row edges in each column (True)."""
    lo, hi = (0, 2) if horizontal else (1, 3)  # the band runs across the edge's direction
    checked = agreed = 0
    for k in range(1, len(edges) - 1):
        for b in range(len(bands) - 1):
            checked += 1
            before, after = ((k - 1, b), (k, b)) if horizontal else ((b, k - 1), (b, k))
            if _spanned(table, *before, after):
                agreed += 1
                continue
            agreed += not any(
                bands[b] <= (ln.bbox[lo] + ln.bbox[hi]) / 2 < bands[b + 1]
                and _crosses(ln.bbox, edges[k], horizontal, margin)
                for ln in inside
            )
    return checked, agreed


def edge_agreement(
    table: Table, lines: Sequence[TextLine], xs: Sequence[float], ys: Sequence[float]
) -> float:
    """Share of (inner column edge, row) and (inner row edge, column) pairs whose edge crosses
    no run of text, or lies inside a merged cell there."""
    margin = CROSSING_MARGIN_EM * font_size_of(lines)
    inside = [ln for ln in lines if inside_fraction(ln.bbox, table.bbox) >= 0.5]
    columns = _edge_checks(table, inside, xs, ys, False, margin)
    rows = _edge_checks(table, inside, ys, xs, True, margin)
    checked = columns[0] + rows[0]
    return (columns[1] + rows[1]) / checked if checked else 1.0


def filled_share(table: Table) -> float:
    slots = table.n_rows * table.n_cols
    covered = sum(c.row_span * c.col_span for c in table.cells if c.text)
    return min(covered / slots, 1.0) if slots else 0.0


def ocr_confidence(table: Table) -> float:
    scores = [c.confidence for c in table.cells if c.text and c.method is Method.OCR]
    return sum(scores) / len(scores) if scores else 1.0


def parse_report(
    table: Table,
    page: PageContent,
    reason: str,
    xs: Sequence[float],
    ys: Sequence[float],
) -> ParseReport:
    """The evidence behind one table found on ``page`` with grid edges ``xs`` and ``ys``."""
    return ParseReport(
        reason=reason,
        text_in_cells=round(text_in_cells(table, page.lines), 4),
        edge_agreement=round(edge_agreement(table, page.lines, xs, ys), 4),
        filled_share=round(filled_share(table), 4),
        ocr_confidence=round(ocr_confidence(table), 4),
    )


def confidence_of(report: ParseReport, prior: float) -> float:
    """One number from the report: the style's prior (how much its drawing alone vouches for the
    grid, ``TableStrategy.prior``) times each agreement share."""
    filled = 1.0 - FILLED_WEIGHT * (1.0 - report.filled_share)
    value = prior * report.text_in_cells * report.edge_agreement * filled * report.ocr_confidence
    return round(max(0.0, min(1.0, value)), 4)


def merged_report(first: ParseReport, second: ParseReport, why: str) -> ParseReport:
    """The report of a table stitched from two parts: the weaker evidence of the two."""
    return ParseReport(
        reason=first.reason,
        text_in_cells=min(first.text_in_cells, second.text_in_cells),
        edge_agreement=min(first.edge_agreement, second.edge_agreement),
        filled_share=min(first.filled_share, second.filled_share),
        ocr_confidence=min(first.ocr_confidence, second.ocr_confidence),
        stitched=(*first.stitched, why, *second.stitched),
    )
