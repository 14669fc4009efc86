"""Group labels of two-column tables whose drawing gives no span.

A zebra or filled table stripes rows, not merged cells: a label set at the top of its cell
beside several items (``主线`` beside its four lines of work) shows up as text in one row and
an empty first column under it. ``text_grid`` spans such a label only beside items of two
columns or more (a section and its codes); in a two-column table the same evidence holds when
every row under the label has an item and no label of its own, up to the next label.
"""

from __future__ import annotations

from csrextract.models import TextLine
from csrextract.tables.geometry import center

Span = tuple[int, int, int, int]

MIN_GROUP_ROWS = 3
"""Rows a group label must span (its own and two without a label): one empty first cell under
a label is as often a wrapped item's line cut into a row of its own, two items in a row under
it are a group."""


def _first_line(lines: list[TextLine], box: tuple[float, float, float, float]) -> TextLine | None:
    inside = [
        ln
        for ln in lines
        if box[0] <= center(ln.bbox)[0] <= box[2] and box[1] <= center(ln.bbox)[1] <= box[3]
    ]
    return min(inside, key=lambda ln: ln.bbox[1], default=None)


def _same_baseline(a: TextLine, b: TextLine) -> bool:
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap > 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def two_column_group_labels(
    spans: list[Span],
    lines: list[TextLine],
    xs: list[float],
    ys: list[float],
    header_rows: int,
) -> list[Span]:
    """A top-aligned label in the first column of a two-column table spans the rows under it
    that hold an item and no label (up to the next label or the table's end).

    Top-aligned: the label's first line shares a baseline with its item's first line. The
    label column must be closed above it (the header, the table's top or another label), and
    every label-less row under it must hold an item, so an empty first cell is the label's.
    """
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_cols != 2:
        return spans
    owner = [[-1] * n_cols for _ in range(n_rows)]
    for i, (r, c, rs, cs) in enumerate(spans):
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                owner[rr][cc] = i
    if any(r >= header_rows and c == 0 and cs > 1 for r, c, _rs, cs in spans):
        return spans  # a row across both columns: not a label beside items
    out = list(spans)
    for i, (r, c, rs, cs) in enumerate(spans):
        if r < header_rows or c != 0 or cs != 1 or owner[r][1] == -1:
            continue
        if r > header_rows and owner[r - 1][0] == -1:
            continue  # an empty cell above: the label may be centred (``_centred_rowspans``)
        down = r + rs
        while down < n_rows and owner[down][0] == -1 and owner[down][1] != -1:
            down += 1
        if down - r < MIN_GROUP_ROWS:
            continue
        label = _first_line(lines, (xs[0], ys[r], xs[1], ys[r + rs]))
        item = _first_line(lines, (xs[1], ys[r], xs[2], ys[r + 1]))
        if label is None or item is None or not _same_baseline(label, item):
            continue
        out[i] = (r, c, down - r, cs)
    return sorted(out)
