"""Which rows are header rows: from the drawing first (fills, boldness), text content last.

A header is marked by how it is drawn — a shaded band, bold type, a rule under it (three-line
tables decide that themselves) — and not by position alone: a list of certificates or a table
whose first column labels its rows has no header row at all. Without any drawing cue (no
header fill, ink-coloured header text, zebra stripes that look the same with a header or
without) the first row is a header when it reads as column labels over body cells of another
kind (figures, running text, bullet lists), and not when it reads as one more body row (the
same kind of text as the rows below, or a row label beside the one label of the whole body).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from csrextract.models import Cell, Fill, TextLine
from csrextract.tables.geometry import center
from csrextract.tables.grid import Grid

WHITE = 0.97
"""Fills lighter than this do not count as shading."""

SAME_SHADE = 0.04
"""Two fills whose luminance differs by less than this are one colour."""

LIGHT_CELLS = 0.85
"""Cell-by-cell fills lighter than this shade no row for the header test (zebra cells)."""

_NUMERIC_CHARS = re.compile(r"[\d.,，%‰+\-–<>≈~～]")
_YEAR = re.compile(r"(?:FY)?(?:19|20)\d\d(?:年度?|年末|年底)?", re.IGNORECASE)


def is_year(text: str) -> bool:
    """A year label such as ``2021``, ``2021年`` or ``FY2021`` (a column heading, not a value)."""
    return bool(_YEAR.fullmatch("".join(text.split())))


_DATE = re.compile(
    r"(?:19|20)\d\d(?:年\d{1,2}月(?:\d{1,2}日)?(?:[起至止前后底末初])?|[./-]\d{1,2}(?:[./-]\d{1,2})?)"
)


def is_date(text: str) -> bool:
    """A date such as ``2022年1月``, ``2021年6月30日`` or ``2022.01``: a time line's label (a
    milestone), like a year, not a figure however many digits it holds."""
    return bool(_DATE.fullmatch("".join(text.split())))


def is_numeric(text: str) -> bool:
    """A figure: mostly digits and number punctuation (units such as ``亿次`` may follow)."""
    compact = "".join(text.split())
    if not compact or not any(ch.isdigit() for ch in compact) or is_year(compact):
        return False
    return len(_NUMERIC_CHARS.findall(compact)) >= 0.5 * len(compact)


def row_shades(grid: Grid, fills: Iterable[Fill]) -> list[float | None]:
    """Per grid row, the luminance of the fill colour covering most of it (``None``:
    unshaded). Fills of one colour add up: a header band drawn cell by cell is one band."""
    fills = [f for f in fills if f.gray < WHITE]
    x0, x1 = grid.xs[0], grid.xs[-1]
    shades: list[float | None] = []
    for top, bottom in zip(grid.ys, grid.ys[1:], strict=False):
        area = max((x1 - x0) * (bottom - top), 1e-6)
        by_shade: dict[float, float] = {}
        pieces: dict[float, int] = {}
        for f in fills:
            w = min(f.bbox[2], x1) - max(f.bbox[0], x0)
            h = min(f.bbox[3], bottom) - max(f.bbox[1], top)
            if w > 0 and h > 0:
                key = next((k for k in by_shade if abs(k - f.gray) < SAME_SHADE), f.gray)
                by_shade[key] = by_shade.get(key, 0.0) + w * h
                pieces[key] = pieces.get(key, 0) + 1
        best = max(by_shade, key=by_shade.__getitem__, default=None)
        covered = best is not None and by_shade[best] >= 0.6 * area
        # pale fills drawn cell by cell are zebra cells as often as a header: only a dark band
        # drawn cell by cell is read as shading a row
        if covered and best is not None and pieces[best] > 1 and best >= LIGHT_CELLS:
            covered = False
        shades.append(best if covered else None)
    return shades


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) < SAME_SHADE


def _label_row(texts: Sequence[str]) -> bool:
    """A row of labels: text, and no more than a few figures."""
    texts = [t for t in texts if t.strip()]
    return bool(texts) and sum(is_numeric(t) for t in texts) * 2 < len(texts)


def _pale_first_row_only(grid: Grid, fills: Iterable[Fill]) -> bool:
    """Pale cells drawn one by one across the first row, and no fill anywhere below."""
    fills = [f for f in fills if f.gray < WHITE]
    x0, x1 = grid.xs[0], grid.xs[-1]
    below = (x0, grid.ys[1], x1, grid.ys[-1])
    if any(
        min(f.bbox[2], below[2]) > max(f.bbox[0], below[0])
        and min(f.bbox[3], below[3]) - max(f.bbox[1], below[1]) > 1.0
        for f in fills
    ):
        return False
    top, bottom = grid.ys[0], grid.ys[1]
    pale = [
        f
        for f in fills
        if f.gray >= LIGHT_CELLS and f.bbox[1] <= top + 1.0 and f.bbox[3] >= bottom - 1.0
    ]
    covered = sum(min(f.bbox[2], x1) - max(f.bbox[0], x0) for f in pale)
    return len(pale) > 1 and covered >= 0.9 * (x1 - x0)


def pale_header_band(grid: Grid, fills: Iterable[Fill], cells: Sequence[Cell]) -> bool:
    """Pale cells across the first row and no fill anywhere below: a header band drawn cell
    by cell (which ``row_shades`` leaves unread, pale cells being zebra cells as often).

    In three rows or more that no cell spans, zebra striping would shade the third row too,
    so the drawing says header. Two rows, or rows merged by a spanning cell, are as much a
    one-stripe zebra: then the first row is a header unless it reads as one more body row.
    """
    if grid.n_rows < 2 or not _pale_first_row_only(grid, fills):
        return False
    if grid.n_rows >= 3 and not any(c.row_span > 1 for c in cells):
        return True
    return not first_row_is_body(cells)


def shaded_header(
    shades: Sequence[float | None], row_texts: Sequence[Sequence[str]]
) -> tuple[int | None, tuple[int, ...]]:
    """Header rows the shading shows: (leading header rows or ``None``, later label rows).

    The leading rows shaded like row 0 are the header. When later rows share that shade they
    are label rows inside the table (a KPI table's second label row) if they read as labels
    while some unshaded row holds figures; otherwise the shading is zebra striping and says
    nothing about a header (``None``).
    """
    first = shades[0] if shades else None
    if first is None:
        # pale stripes under an unshaded first row are zebra rows as often as not: a header
        # left white over a zebra that starts on the first body row looks the same as a
        # headerless zebra starting one row down, so the drawing does not say (the text will)
        shaded = [s for s in shades if s is not None]
        return (None, ()) if all(s >= LIGHT_CELLS for s in shaded) else (0, ())
    lead = 1
    while lead < len(shades) and _same(shades[lead], first):
        lead += 1
    if lead == len(shades):
        return None, ()
    later = tuple(r for r in range(lead, len(shades)) if _same(shades[r], first))
    if not later:
        return lead, ()
    plain = [r for r in range(lead, len(shades)) if r not in later]
    if all(_label_row(row_texts[r]) for r in later) and any(
        not _label_row(row_texts[r]) for r in plain
    ):
        return lead, later
    return None, ()


def bold_header(grid: Grid, lines: Sequence[TextLine]) -> bool:
    """The first row is set bold and the body is not."""
    if grid.n_rows < 2:
        return False
    split = grid.ys[1]
    top = [ln for ln in lines if center(ln.bbox)[1] < split]
    body = [ln for ln in lines if center(ln.bbox)[1] >= split]
    return bool(top and body) and all(ln.bold for ln in top) and not any(ln.bold for ln in body)


def labels_over_figures(cells: Sequence[Cell]) -> bool:
    """The first row labels columns of figures (no drawing cue needed to call it a header).

    Some column holds mostly figures below row 0 while its row-0 cell is a label or a year, and
    no row-0 cell is itself a figure. Years (a second header level under a group label), dates
    (``2022年1月`` under ``2022年`` in a time line) and placeholders for no figure (``-``,
    ``/``) count neither way.
    """
    first = [c for c in cells if c.row == 0]
    if not first or any(is_numeric(c.text) for c in first):
        return False
    for head in first:
        if not head.text.strip():
            continue
        below = [
            c.text
            for c in cells
            if c.row > 0
            and head.col <= c.col < head.col + head.col_span
            and any(ch.isalnum() for ch in c.text)
            and not is_year(c.text)
            and not is_date(c.text)
        ]
        if len(below) >= 1 and sum(is_numeric(t) for t in below) >= 0.6 * len(below):
            return True
    return False


def group_labels_over_figures(cells: Sequence[Cell]) -> bool:
    """Row 0 holds group labels (one spans two or more columns, none is a figure) over a row of
    labels over figures: a two-level header that no drawing marks.

    Group labels head mixed columns (a count beside its growth rate), so the figure test only
    works one row down. Each group label splits into two sub-labels or more in row 1 (a label
    merged over a column and an empty one heads no group).
    """
    first = [c for c in cells if c.row == 0 and c.text.strip()]
    groups = [c for c in first if c.col_span >= 2]
    if not groups or any(is_numeric(c.text) for c in first):
        return False
    for group in groups:
        subs = [
            c
            for c in cells
            if c.row == 1
            and group.col <= c.col
            and c.col + c.col_span <= group.col + group.col_span
            and c.text.strip()
        ]
        if len(subs) < 2:
            return False
    lower = [replace(c, row=c.row - 1) for c in cells if c.row >= 1]
    return _label_row([c.text for c in lower if c.row == 0]) and labels_over_figures(lower)


def header_rows(
    grid: Grid,
    cells: Sequence[Cell],
    lines: Sequence[TextLine],
    fills: Iterable[Fill],
) -> tuple[int, tuple[int, ...]]:
    """(number of leading header rows, later label rows) of a filled grid.

    The drawing decides first (``grid.header_rows`` from a header rule or band, then shading,
    then bold type), the text last; a header cell spanning into the next row pulls that row
    into the header (a two-level header). The body always keeps at least one row. Where the
    drawing is silent — no header fill, ink-coloured header text, pale zebra stripes that
    would look the same with or without a header — the first row is a header when it reads
    as column labels (over figures, running text or bullet lists) and not as one more body
    row (:func:`first_row_is_body`).
    """
    if grid.n_rows < 2:
        return 0, ()
    later: tuple[int, ...] = ()
    count = grid.header_rows
    if count is not None and count >= 2 and first_row_is_body(cells):
        # a rule under several rows that read like the rows below it closes a group of body
        # rows (rules between row groups), not a header: let shading and text decide (a
        # single drawn header row stands: a band's fill says header whatever its text)
        count = None
    if count is None:
        texts = [[c.text for c in cells if c.row == r] for r in range(grid.n_rows)]
        shades = row_shades(grid, fills)
        count, later = shaded_header(shades, texts)
        if count is None and pale_header_band(grid, fills, cells):
            count = 1
        if count == 1 and _pale_over_one_stripe(shades, cells) and first_row_is_body(cells):
            count = 0
    if count is None and grid.n_rows >= 3 and group_labels_over_figures(cells):
        count = 2
    if count is None:
        textual = not first_row_is_body(cells) and (
            labels_over_figures(cells) or labels_over_text(cells) or labels_over_lists(cells)
        )
        count = 1 if bold_header(grid, lines) or textual else 0
    extended = max((c.row + c.row_span for c in cells if c.row < count), default=count)
    while count < extended < grid.n_rows:
        count = extended
        extended = max((c.row + c.row_span for c in cells if c.row < count), default=count)
    count = min(count, grid.n_rows - 1)
    return count, tuple(r for r in later if r >= count)


_SENTENCE = re.compile(r"[。；;！!？?]")
_NUMBERED = re.compile(r"^\s*\d")
LABEL_MAX_CHARS = 20
"""Longest column heading over running text (a framework's name with its acronym fits)."""


def labels_over_text(cells: Sequence[Cell]) -> bool:
    """The first row is short labels (no sentences, figures, placeholders, page or item
    numbers) and some column below it holds clearly longer text: column headings over running
    text. Text set across several columns (a note, a row read as one run) is under none of
    them."""
    first = [c for c in cells if c.row == 0 and c.text.strip()]
    if len(first) < 2 or any(
        len(c.text) > LABEL_MAX_CHARS
        or not any(ch.isalpha() for ch in c.text)  # a placeholder such as "/" or "—"
        or is_numeric(c.text)
        or _SENTENCE.search(c.text)
        or (_NUMBERED.match(c.text) and not is_year(c.text))
        for c in first
    ):
        return False
    for head in first:
        below = [
            len(c.text)
            for c in cells
            if c.row > 0
            and head.col <= c.col
            and c.col + c.col_span <= head.col + head.col_span  # under the heading, not across
            and c.text.strip()
        ]
        if len(below) >= 2 and sum(below) / len(below) >= 1.5 * len(head.text) + 4:
            return True
    return False


def labels_over_lists(cells: Sequence[Cell]) -> bool:
    """Every first-row cell is a plain label and every column below holds a bullet list:
    strands of a programme side by side under their names."""
    first = [c for c in cells if c.row == 0]
    below = [c for c in cells if c.row > 0]
    if len(first) < 2 or any(not c.text.strip() or c.items for c in first):
        return False
    return all(
        any(len(b.items) >= 2 and head.col <= b.col < head.col + head.col_span for b in below)
        for head in first
    )


def _pale_over_one_stripe(shades: Sequence[float | None], cells: Sequence[Cell]) -> bool:
    """A pale first row over a body that is one zebra stripe: one row, or rows joined by a
    cell spanning them all. A zebra starting on the first row draws exactly this, so the
    shading alone does not make the first row a header."""
    first = shades[0] if shades else None
    if first is None or first < LIGHT_CELLS or any(s is not None for s in shades[1:]):
        return False
    body = len(shades) - 1
    return body == 1 or any(c.row == 1 and c.row_span == body for c in cells)


_CODE = re.compile(r"([A-Za-z]{2,})\s*\d")
ALIKE_LENGTH = 2.0
"""A first-row cell within this factor of its column's typical body length reads like the
body (a column heading is several times shorter than the running text under it)."""


def _form(text: str) -> tuple[bool, bool, str]:
    """What kind of text a cell holds: a figure, a year, and the scheme of a code it opens
    with (``ISO 14001``, ``SDG 5``, ``GRI 102-1``: ``ISO``/``SDG``/``GRI``)."""
    compact = "".join(text.split())
    code = _CODE.match(compact)
    return is_numeric(compact), is_year(compact), code.group(1).upper() if code else ""


def _alike(head: str, below: Sequence[str]) -> bool:
    """``head`` is a cell of the same kind and about the same length as most of ``below``."""
    if not below:
        return False
    same = sum(_form(t) == _form(head) for t in below)
    lengths = sorted(len("".join(t.split())) for t in below)
    typical = max(lengths[len(lengths) // 2], 1)
    size = len("".join(head.split()))
    return same * 2 > len(below) and typical / ALIKE_LENGTH <= size <= typical * ALIKE_LENGTH


def _peer_of_group_label(head: Cell, cells: Sequence[Cell], n_rows: int) -> bool:
    """``head`` (row 0, first column) is like the one label the first column holds for the
    whole body below it (merged over the body, or set atop cells left empty), with values
    beside that label on every row: two row labels, not a heading over one group."""
    column = [c for c in cells if c.row > 0 and (c.col, c.col_span) == (0, head.col_span)]
    ids = {id(c) for c in column}
    peer = next((c for c in column if c.row == 1 and c.text.strip()), None)
    return (
        peer is not None
        and n_rows >= 3
        and head.row_span == 1
        and all(c is peer or not c.text.strip() for c in column)
        and (peer.row_span == n_rows - 1 or len(column) == n_rows - 1)
        and all(
            any(c.row == r and id(c) not in ids and c.text.strip() for c in cells)
            for r in range(2, n_rows)
        )
        and _alike(head.text, [peer.text])
    )


def first_row_is_body(cells: Sequence[Cell]) -> bool:
    """The first row reads as one more body row, whatever the text cues say.

    Either every first-row cell is like the cells under it (same kind of text, about as long:
    a grid of certificates, a list of programmes with their descriptions), or the first row
    is a label and its value above a single label for the whole body in the first column
    (``中心 | …`` over ``主线`` and four rows of values): the two labels are peers, and a
    column heading over a single group label would say nothing.
    """
    n_rows = max((c.row + c.row_span for c in cells), default=0)
    first = [c for c in cells if c.row == 0 and c.text.strip()]
    if n_rows < 2 or not first:
        return False
    corner = next((c for c in first if c.col == 0), None)
    if corner is not None and _peer_of_group_label(corner, cells, n_rows):
        return True
    for head in first:
        below = [
            c.text
            for c in cells
            if c.row > 0 and (c.col, c.col_span) == (head.col, head.col_span) and c.text.strip()
        ]
        if not _alike(head.text, below):
            return False
    return True


def span_labels_down(cells: Sequence[Cell], n_header: int) -> list[Cell]:
    """``cells`` with each label of a multi-row header spanning the empty header cells below it.

    In a two-level header (定量数据 over 2020 年 | 2021 年 | 2022 年) the stub's label
    (指标描述) is one merged cell over both levels; with no line between the levels nothing
    else marks the merge, so the label would stand over an empty header cell that no column
    of the report has. Only header rows are joined: an empty body cell is data (a blank).
    """
    if n_header < 2:
        return list(cells)
    at = {(c.row, c.col): c for c in cells}
    dropped: set[int] = set()
    out: list[Cell] = []
    for cell in cells:
        if id(cell) in dropped:
            continue
        below = []
        row = cell.row + cell.row_span
        while cell.text and row < n_header:
            under = at.get((row, cell.col))
            if under is None or under.text or under.col_span != cell.col_span:
                break
            below.append(under)
            row += under.row_span
        if below and row == n_header:
            dropped.update(id(b) for b in below)
            x0, y0, x1, _ = cell.bbox
            cell = replace(cell, row_span=n_header - cell.row, bbox=(x0, y0, x1, below[-1].bbox[3]))
        out.append(cell)
    return [c for c in out if id(c) not in dropped]
