"""The structure every strategy produces: column/row boundaries plus (possibly merged) cell boxes.

A strategy's only job is to turn drawing and text into a ``Grid``; filling it with text
(``cells.py``) and building the ``Table`` (``base.py``) are shared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from csrextract.models import BBox


@dataclass(frozen=True, slots=True)
class CellBox:
    """One cell of a grid in grid coordinates, with the page area it covers."""

    row: int
    col: int
    row_span: int
    col_span: int
    bbox: BBox


@dataclass(frozen=True, slots=True)
class Grid:
    """Column edges ``xs`` (n_cols + 1), row edges ``ys`` (n_rows + 1) and the cells.

    ``header_rows`` is the number of header rows when the drawing says so (a header band or
    header rule); ``None`` leaves it to shading, boldness and text (``header.py``).
    """

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    boxes: tuple[CellBox, ...]
    header_rows: int | None = None

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


def box_area(
    xs: tuple[float, ...], ys: tuple[float, ...], row: int, col: int, rs: int, cs: int
) -> BBox:
    return (xs[col], ys[row], xs[col + cs], ys[row + rs])


def grid_from_spans(
    xs: Iterable[float],
    ys: Iterable[float],
    spans: Iterable[tuple[int, int, int, int]],
    header_rows: int | None = None,
) -> Grid:
    """A grid where ``spans`` (row, col, row_span, col_span) are merged and every other slot is 1×1.

    Overlapping spans are resolved first come, first served so the result always tiles the grid.
    """
    xt, yt = tuple(xs), tuple(ys)
    n_rows, n_cols = len(yt) - 1, len(xt) - 1
    owner = [[False] * n_cols for _ in range(n_rows)]
    boxes: list[CellBox] = []
    for row, col, rs, cs in spans:
        rs = min(rs, n_rows - row)
        cs = min(cs, n_cols - col)
        if (
            rs < 1
            or cs < 1
            or any(owner[r][c] for r in range(row, row + rs) for c in range(col, col + cs))
        ):
            continue
        for r in range(row, row + rs):
            for c in range(col, col + cs):
                owner[r][c] = True
        boxes.append(CellBox(row, col, rs, cs, box_area(xt, yt, row, col, rs, cs)))
    for r in range(n_rows):
        for c in range(n_cols):
            if not owner[r][c]:
                boxes.append(CellBox(r, c, 1, 1, box_area(xt, yt, r, c, 1, 1)))
    boxes.sort(key=lambda b: (b.row, b.col))
    return _without_covered_rows(Grid(xt, yt, tuple(boxes), header_rows))


def _without_covered_rows(grid: Grid) -> Grid:
    """``grid`` less every row in which no cell starts: cells spanning into it from above
    cover it all, so no edge anywhere marks its top, and it is one row with the row above."""
    starts = {b.row for b in grid.boxes}
    dropped = [k for k in range(1, grid.n_rows) if k not in starts]
    if not dropped:
        return grid

    def kept(lo: int, hi: int) -> int:
        return sum(1 for r in range(lo, hi) if r not in dropped)

    ys = tuple(y for k, y in enumerate(grid.ys) if k not in dropped)
    boxes = tuple(
        CellBox(kept(0, b.row), b.col, kept(b.row, b.row + b.row_span), b.col_span, b.bbox)
        for b in grid.boxes
    )
    head = None if grid.header_rows is None else kept(0, grid.header_rows)
    return Grid(grid.xs, ys, boxes, head)


def slot_owner(grid: Grid) -> list[list[int]]:
    """For every (row, col) slot the index in ``grid.boxes`` of the cell covering it."""
    owner = [[-1] * grid.n_cols for _ in range(grid.n_rows)]
    for i, box in enumerate(grid.boxes):
        for r in range(box.row, box.row + box.row_span):
            for c in range(box.col, box.col + box.col_span):
                owner[r][c] = i
    return owner
