"""Three-line tables: a top rule, a rule under the header and a bottom rule, nothing else.

Also covers tables with a rule under every row but no vertical lines. Rows and columns come from
the text inside the ruled region; a partial rule inside the header (under a group label) adds a
header level, and the group label's colspan comes from where its text sits.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from csrextract.models import BBox, PageContent, Table, TableStyle, TextLine
from csrextract.tables.base import Region, TableStrategy, Verdict, keep, register, reject
from csrextract.tables.cells import set_as_heading
from csrextract.tables.clustering import cluster_values
from csrextract.tables.geometry import center, font_size_of, intersects
from csrextract.tables.grid import CellBox, Grid, grid_from_spans
from csrextract.tables.group_label import two_column_group_labels
from csrextract.tables.ruled import Edge, merge_edges, page_edges, snap_edges
from csrextract.tables.settings import RuleSettings, ThreeLineSettings
from csrextract.tables.text_grid import (
    band_box,
    build_text_grid,
    column_edges,
    gap_threshold,
    line_bands,
)

DEFAULT = ThreeLineSettings()
HEADING_FACTOR = DEFAULT.heading_factor
"""Text this much larger than the body between two rules is a heading between two tables."""


def _snap(fs: float) -> float:
    return DEFAULT.rules.snap.at(fs)


def horizontal_rules(
    page: PageContent, fs: float, claimed: list[BBox], settings: ThreeLineSettings = DEFAULT
) -> list[Edge]:
    tol = settings.rules.snap.at(fs)
    edges = merge_edges(snap_edges(page_edges(page, settings.rules.thin_fill_pt), tol), tol)
    return sorted(
        (
            e
            for e in edges
            if e.horizontal
            and e.end - e.start >= settings.min_rule_em * fs
            and not any(intersects((e.start, e.pos - 1, e.end, e.pos + 1), c) for c in claimed)
        ),
        key=lambda e: e.pos,
    )


def rule_stacks(
    rules: list[Edge], fs: float, page_height: float, lines: list[TextLine] | None = None
) -> list[list[Edge]]:
    """Chains of rules with the same extent, top to bottom.

    Consecutive rules belong to one table when text lies between them (a row) and, when far
    apart, none of it reads as running text (a line across most of their width) or a heading.
    """
    stacks: list[list[Edge]] = []
    for rule in rules:
        same = [
            s
            for s in stacks
            if abs(s[-1].start - rule.start) <= DEFAULT.stack_extent_em * fs
            and abs(s[-1].end - rule.end) <= DEFAULT.stack_extent_em * fs
        ]
        nearest = max(same, key=lambda s: s[-1].pos, default=None)  # never skip a rule
        if nearest is not None and _one_table(nearest[-1], rule, fs, page_height, lines or []):
            nearest.append(rule)
        else:
            stacks.append([rule])
    full = [s for s in stacks if len(s) >= 2]
    closed = [_with_short_closing(s, rules, full, fs, page_height, lines or []) for s in stacks]
    return [s for s in closed if len(s) >= 2]


def _with_short_closing(
    stack: list[Edge],
    rules: list[Edge],
    stacks: list[list[Edge]],
    fs: float,
    page_height: float,
    lines: list[TextLine],
) -> list[Edge]:
    """The stack closed by rules under it that stop short on one side.

    A table cut by a page break under a label spanning its last rows (a chapter beside its
    sections) draws its closing rule only under the cells that end there: the rule keeps one
    end of the table and leaves out the spanning column. Such a rule, across at least
    :data:`PARTIAL_RULE_SHARE` of the table, carries on the stack when it belongs to no other
    table's stack and text lies between (:func:`_one_table`).
    """
    x0, x1 = stack[0].start, stack[0].end
    tol = DEFAULT.stack_extent_em * fs
    taken = {id(r) for s in stacks for r in s}
    out = list(stack)
    for rule in rules:
        if rule.pos <= out[-1].pos:
            continue
        if id(rule) in taken:
            break  # the next table's rules
        one_end = abs(rule.start - x0) <= tol or abs(rule.end - x1) <= tol
        inside = rule.start >= x0 - tol and rule.end <= x1 + tol
        wide = rule.end - rule.start >= PARTIAL_RULE_SHARE * (x1 - x0)
        if not (one_end and inside and wide) or not _one_table(
            out[-1], rule, fs, page_height, lines
        ):
            break
        out.append(rule)
    return out


def _one_table(
    upper: Edge, lower: Edge, fs: float, page_height: float, lines: list[TextLine]
) -> bool:
    gap = lower.pos - upper.pos
    if gap > 0.9 * page_height:
        return False
    width = upper.end - upper.start
    between = [
        ln
        for ln in lines
        if upper.pos < center(ln.bbox)[1] < lower.pos
        and upper.start - fs <= center(ln.bbox)[0] <= upper.end + fs
    ]
    if gap > fs and not between:
        return False  # an empty space between two rules: the end of one table, another's top
    if any(set_as_heading(ln, fs, HEADING_FACTOR) for ln in between):
        return False  # a heading between two rules: one table ends, another starts
    wide = [ln for ln in between if ln.bbox[2] - ln.bbox[0] >= 0.8 * width]
    if gap <= 0.3 * page_height:
        # two full lines flush with the rules' left end: a paragraph between two tables
        return sum(ln.bbox[0] - upper.start <= 1.5 * fs for ln in wide) < 2
    return not wide


def rule_joints(segments: list[Edge], rule: Edge, x0: float, x1: float, tol: float) -> list[float]:
    """Where ``rule`` is drawn in pieces that meet, inside x0..x1: a rule drawn cell by cell
    (each cell's own border, as word processors and HTML renderers draw them) ends one piece
    and starts the next at each column edge. ``segments`` are the page's snapped, unmerged
    edges."""
    pieces = [e for e in segments if e.horizontal and abs(e.pos - rule.pos) <= tol]
    ends = [e.end for e in pieces if x0 + tol < e.end < x1 - tol]
    starts = [e.start for e in pieces if x0 + tol < e.start < x1 - tol]
    return sorted(x for x in ends if any(abs(x - y) <= tol for y in starts))


def segment_joints(segments: list[Edge], stack: list[Edge], tol: float) -> list[list[float]]:
    """The joints of each rule of ``stack`` (see :func:`rule_joints`)."""
    x0, x1 = stack[0].start, stack[0].end
    return [rule_joints(segments, rule, x0, x1, tol) for rule in stack]


def drawn_columns(joints: list[list[float]], tol: float) -> list[float]:
    """Column edges the rules draw: a joint of any rule (a spanning header or total cell's
    rule lacks the joints its span covers, the other rules have them)."""
    found = sorted(x for r in joints for x in r)
    return [sum(g) / len(g) for g in cluster_values(found, tol)]


VETO_EM = 1.1
"""Half-width of the range kept clear of whitespace edges around an idle edge (just over the
em that ``merge_hints`` keeps between a solid range's end and an edge inside it)."""


def idle_edges(
    xs: list[float], hints: list[float], lines: list[TextLine], fs: float
) -> list[float]:
    """Whitespace column edges beside drawn ones that part off a column holding no text of its
    own (no run inside it): a gap between centred words, not a column, when the rules draw
    where the columns are."""
    tol = 0.5 * fs
    out = []
    for i, x in enumerate(xs[1:-1], start=1):
        if any(abs(x - h) <= fs for h in hints):
            continue
        for a, b in ((xs[i - 1], x), (x, xs[i + 1])):
            if not any(a - tol <= ln.bbox[0] and ln.bbox[2] <= b + tol for ln in lines):
                out.append(x)
                break
    return out


def _partial_rules(rules: list[Edge], stack: list[Edge], top: float, bottom: float) -> list[float]:
    x0, x1 = stack[0].start, stack[0].end
    return [
        r.pos
        for r in rules
        if top < r.pos < bottom and r not in stack and r.start >= x0 - 1 and r.end <= x1 + 1
    ]


def _partial_body_rules(
    rules: list[Edge],
    stack: list[Edge],
    body_top: float,
    fs: float,
    above: int = 0,
    lines: list[TextLine] | None = None,
) -> list[float]:
    """Rules between body rows that stop short of one side of the table, under a table that
    rules its rows: they part rows beside a label that spans them (a chapter over its
    sections), so they are row edges; the label's rowspan comes from where its text sits.
    ``above``: partial rules over ``body_top`` (between the rows a second full rule closes).

    A rule across less than :data:`PARTIAL_RULE_SHARE` of the table counts too when full rules
    already part body rows (the table's own style: a rule under every row) and its free end
    falls in a column gutter (:func:`_ends_in_gutter`): the border of the cells beside a
    response that spans them (two goals, one response), not a word's underline."""
    x0, x1 = stack[0].start, stack[0].end
    bottom = stack[-1].pos
    tol = DEFAULT.rules.snap.at(fs)
    body = [
        ln
        for ln in lines or []
        if body_top < center(ln.bbox)[1] < bottom and x0 < center(ln.bbox)[0] < x1
    ]
    full_body_rules = len(stack) > 3
    partial = [
        r.pos
        for r in rules
        if body_top + tol < r.pos < bottom - tol
        and r not in stack
        and r.start >= x0 - tol
        and r.end <= x1 + tol
        and (abs(r.start - x0) <= tol or abs(r.end - x1) <= tol)
        and (
            r.end - r.start >= PARTIAL_RULE_SHARE * (x1 - x0)
            or (full_body_rules and _ends_in_gutter(r, x0, x1, body, fs))
        )
    ]
    # full rules between body rows too (not just top/header/bottom), or partial rules between
    # several rows: one partial rule under the header could underline a group label
    ruled_rows = len(stack) > 3 or len(partial) + above >= MIN_PARTIAL_ROW_RULES
    return partial if ruled_rows else []


GUTTER_EM = 0.25
"""A cell border's end stands at least this far (em) from any text of the table: between two
columns' text there is the padding of both cells; an underline ends where its word ends."""


def _ends_in_gutter(rule: Edge, x0: float, x1: float, lines: list[TextLine], fs: float) -> bool:
    """The end of ``rule`` inside the table (x0..x1) lies clear of every text line."""
    tol = DEFAULT.rules.snap.at(fs)
    free = [x for x in (rule.start, rule.end) if x0 + tol < x < x1 - tol]
    margin = GUTTER_EM * fs
    return bool(free) and all(
        not (ln.bbox[0] - margin < x < ln.bbox[2] + margin) for x in free for ln in lines
    )


def merge_beside_partial_rules(
    grid: Grid, rules: list[Edge], lines: list[TextLine], fs: float
) -> Grid:
    """In a table that rules every row, a body row edge drawn only part way across (a rule
    under the label column, none under the text beside it) parts the rows only where it is
    drawn: the cells of the columns it leaves out span both rows (one response for two goals).

    A rule marks the edge it lies in the same gap between text lines with (the text may have put
    the edge elsewhere in that gap). Edges under a full rule, with no rule at all, or under a
    rule that touches neither side of the table (one under a group label) are left as the text
    made them."""
    tol = _snap(fs)
    x0, x1 = grid.xs[0], grid.xs[-1]
    boxes = list(grid.boxes)
    merged = False
    for k in range(1, grid.n_rows):
        y = grid.ys[k]
        at = [
            r
            for r in rules
            if grid.ys[k - 1] < r.pos < grid.ys[k + 1]
            and r.start < x1
            and r.end > x0
            and _same_gap(r.pos, y, lines, tol)
        ]
        if any(r.start <= x0 + tol and r.end >= x1 - tol for r in at):
            continue  # a full rule: the rows part everywhere
        if not any(abs(r.start - x0) <= tol or abs(r.end - x1) <= tol for r in at):
            continue  # no rule, or one under a group label: the text decides
        for col in range(grid.n_cols):
            above = next((b for b in boxes if _covers(b, k - 1, col)), None)
            below = next((b for b in boxes if _covers(b, k, col)), None)
            if above is None or below is None or above is below:
                continue
            if (above.col, above.col_span) != (below.col, below.col_span) or any(
                min(r.end, above.bbox[2]) - max(r.start, above.bbox[0])
                > RULED_SHARE * (above.bbox[2] - above.bbox[0])
                for r in at
            ):
                continue
            boxes.remove(below)
            boxes[boxes.index(above)] = CellBox(
                above.row,
                above.col,
                above.row_span + below.row_span,
                above.col_span,
                (above.bbox[0], above.bbox[1], above.bbox[2], below.bbox[3]),
            )
            merged = True
    if not merged:
        return grid
    spans = [(b.row, b.col, b.row_span, b.col_span) for b in boxes]
    return grid_from_spans(grid.xs, grid.ys, spans, grid.header_rows)


def _same_gap(a: float, b: float, lines: list[TextLine], tol: float) -> bool:
    """No text line lies between heights ``a`` and ``b`` (beyond ``tol``)."""
    lo, hi = min(a, b) + tol, max(a, b) - tol
    return not any(ln.bbox[1] < hi and ln.bbox[3] > lo for ln in lines)


RULED_SHARE = 0.5
"""A rule under more than half a cell's width parts it from the row below (a rule ending a
little past a column edge, where the text left a gap, does not part the next column)."""


def _covers(box: CellBox, row: int, col: int) -> bool:
    return box.row <= row < box.row + box.row_span and box.col <= col < box.col + box.col_span


MIN_PARTIAL_ROW_RULES = 2
"""Partial rules that show a table rules its rows without a full rule between body rows."""

PARTIAL_RULE_SHARE = 0.5
"""A partial rule across at least half the table parts rows; a shorter one underlines a
group label or a word."""


def _framed(page: PageContent, box: BBox, fs: float) -> bool:
    """Vertical rules close both sides of ``box``: a frame."""
    tol = _snap(fs)

    def side(x: float) -> bool:
        return any(
            not r.is_horizontal
            and abs(r.x0 - x) <= tol
            and min(r.y0, r.y1) <= box[1] + tol
            and max(r.y0, r.y1) >= box[3] - tol
            for r in page.rules
        )

    return side(box[0]) and side(box[2])


def _two_rule_table(lines: list[TextLine], box: BBox, fs: float) -> bool:
    """Text between a top and a bottom rule (no header rule: a table without header, or the
    continuation of one) is a table only when it has clear columns and no heading."""
    if any(set_as_heading(ln, fs, HEADING_FACTOR) for ln in lines):
        return False
    return len(column_edges(lines, box[0], box[2], fs)) >= 3


def _body_rules(page: PageContent, box: BBox, body_top: float, fs: float) -> bool:
    """Rules between body rows across at least half the table (partial where a merged label
    cell runs down the first column): the table rules every row."""
    x0, _, x1, bottom = box
    tol = _snap(fs)
    return any(
        r.is_horizontal
        and body_top + tol < r.y0 < bottom - tol
        and min(r.x0, r.x1) >= x0 - tol
        and max(r.x0, r.x1) <= x1 + tol
        and abs(r.x1 - r.x0) >= 0.5 * (x1 - x0)
        for r in page.rules
    )


def _rule_width(page: PageContent, y: float, box: BBox, fs: float) -> float | None:
    """Stroke width of the widest drawn rule at ``y`` inside ``box`` (None: no drawn rule)."""
    tol = _snap(fs)
    widths = [
        r.width
        for r in page.rules
        if r.is_horizontal
        and abs((r.y0 + r.y1) / 2 - y) <= tol
        and box[0] - tol <= min(r.x0, r.x1) <= box[2]
    ]
    return max(widths, default=None)


def _header_rule_thinner(page: PageContent, edges: list[float], box: BBox, fs: float) -> bool:
    """The rule under the first row is drawn thinner than the bottom rule: the three-line
    convention's header rule (equal rules may just rule every row). Unknown widths: header."""
    middle, bottom = _rule_width(page, edges[1], box, fs), _rule_width(page, edges[-1], box, fs)
    if middle is None or bottom is None:
        return True
    return middle < DEFAULT.header_rule_ratio * bottom


def _header_outweighs_body(lines: list[TextLine], header_bottom: float) -> bool:
    """More baselines above the second rule than below it: in a table that rules its rows,
    that rule closes a block of rows (a continuation page's first rows under a spanning
    label), not a header — columns and spans must come from all the text."""
    above = [ln for ln in lines if center(ln.bbox)[1] <= header_bottom]
    below = [ln for ln in lines if center(ln.bbox)[1] > header_bottom]
    return len(line_bands(above)) > len(line_bands(below))


PADDING_GAP_SHARE = 0.75
"""Lines between two rules set closer than this share of the padding the rules leave around
the text are one row's lines (two padded rows would show twice the padding between them)."""


def _one_labelled_row(lines: list[TextLine], top: float, bottom: float, fs: float) -> bool:
    """Two rules around one label (the first column's text, all on the first line) beside
    lists set alike, closer than the padding the rules leave above the first line and under
    the last: one row of cells holding lists (markers lost), a ruled row carried over to the
    next page — not rows, which would each have a label or keep a cell's padding on both
    sides of the gap between them. Gaps of two kinds (rows and wrapped lines) decide by
    themselves (``group_rows``)."""
    inside = [ln for ln in lines if top <= center(ln.bbox)[1] < bottom]
    bands = line_bands(inside)
    if len(bands) < 2:
        return False
    first_col = min(ln.bbox[0] for ln in inside)
    label_lines = [ln for ln in inside if ln.bbox[0] <= first_col + 0.5 * fs]
    if any(all(ln is not b for b in bands[0]) for ln in label_lines):
        return False  # labels on later lines: rows, each with its own label
    boxes = [band_box(b) for b in bands]
    pad = min(boxes[0][0] - top, bottom - boxes[-1][1])
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(boxes)]
    return gap_threshold(gaps, fs) is None and max(gaps) < PADDING_GAP_SHARE * pad


MIN_PADDING_EM = 0.25
"""Padding (em) between a rule and the text it bounds under which the padding says nothing
about rows (text set tight against its rules, or a box stretched over them)."""


def _one_padded_row(lines: list[TextLine], top: float, bottom: float, fs: float) -> bool:
    """In every column the body lines between the header rule and the bottom rule are set
    closer together than the padding the rules leave around them, all at one spacing: one
    row of cells whose lines are a cell's own (lists whose markers are lost). Rows would each
    keep their cells' padding on both sides of the gap between them: twice the padding at a
    rule. Gaps are taken between a line and the next one below it in its own column (a label
    wrapped over the gap between two one-line rows beside it fills no gap of theirs)."""
    inside = [ln for ln in lines if top <= center(ln.bbox)[1] < bottom]
    bands = line_bands(inside)
    if len(bands) < 2:
        return False
    boxes = [band_box(b) for b in bands]
    pad = min(boxes[0][0] - top, bottom - boxes[-1][1])
    gaps = []
    for ln in inside:
        below = [
            o.bbox[1]
            for o in inside
            if o.bbox[1] > center(ln.bbox)[1]
            and min(o.bbox[2], ln.bbox[2]) > max(o.bbox[0], ln.bbox[0])
        ]
        if below:
            gaps.append(min(below) - ln.bbox[3])
    return (
        bool(gaps)
        and pad >= MIN_PADDING_EM * fs
        and gap_threshold(gaps, fs) is None
        and max(gaps) < PADDING_GAP_SHARE * pad
    )


MIN_ONE_ROW_COLS = 3
"""A single row between two rules is a table part only with this many columns of text (two
side by side are as often a label and its text in a ruled box) ..."""
MIN_DRAWN_ONE_ROW_COLS = 2
"""... or this many when both rules are drawn cell by cell and meet at every inner column
edge: the drawing itself parts the cells (a ruled text box draws each rule in one stroke)."""


def unjoined_spans(
    spans: list[tuple[int, int, int, int]], xs: list[float], joints: list[float], fs: float
) -> list[tuple[int, int, int, int]]:
    """Spans of a single ruled row that cross no joint of its rules: where both rules are drawn
    cell by cell, a run reaching over a joint (an address overflowing its cell) is no merged
    cell; the cells are the pieces of the rules."""
    tol = RuleSettings().snap.at(fs)

    def crosses(span: tuple[int, int, int, int]) -> bool:
        _, col, _, n = span
        return any(abs(xs[k] - j) <= tol for k in range(col + 1, col + n) for j in joints)

    return [s for s in spans if not crosses(s)]


MIN_ONE_ROW_LINES = 2
"""Baselines a lone ruled row must have to stand as a table part."""


def _one_row_part(region: Region, xs: list[float], lines: list[TextLine], fs: float) -> bool:
    """A top and a bottom rule around one tall row of cells: a table's row carried over to
    the next page (a matrix whose rows are ruled, one tall row per page). A row of one line
    between two rules is as often a header whose body is drawn otherwise: not on its own.
    Two columns do only where the rules are drawn cell by cell, each inner column edge a joint
    of theirs (``drawn_between``)."""
    n_cols = len(xs) - 1
    enough = n_cols >= MIN_ONE_ROW_COLS or (
        n_cols >= MIN_DRAWN_ONE_ROW_COLS and drawn_between(xs, region.column_hints, fs)
    )
    return region.header_bottom is None and enough and len(line_bands(lines)) >= MIN_ONE_ROW_LINES


JOINT_REACH_EM = 1.0
"""A column edge found in whitespace sits mid-gap, up to about an em (a cell's padding and a
glyph's side bearing) from the joint of the rules that draw the cell border."""


def drawn_between(xs: list[float], joints: Sequence[float], fs: float) -> bool:
    """Every inner column edge of ``xs`` meets a joint of the rules (pieces of a rule drawn cell
    by cell meeting there), and every joint meets an edge: the rules draw exactly these cells."""
    tol = RuleSettings().snap.at(fs) + JOINT_REACH_EM * fs
    inner = xs[1:-1]
    return (
        bool(inner)
        and all(any(abs(x - j) <= tol for j in joints) for x in inner)
        and all(any(abs(x - j) <= tol for x in inner) for j in joints)
    )


def one_row_verdict(table: Table) -> Verdict:
    """Keep one ruled row only when every column holds text: the part of a table that a
    continuation check can join to the part before it (``build_grid`` let through only rows
    with enough columns, see ``_one_row_part``)."""
    if table.n_cols < MIN_DRAWN_ONE_ROW_COLS or not all(c.text for c in table.cells):
        return reject("one ruled row with empty cells: a text box")
    return keep(f"one ruled row of {table.n_cols} cells: a carried-over row")


class ThreeLineStrategy(TableStrategy):
    """Tables marked only by horizontal rules."""

    style = TableStyle.THREE_LINE
    order = 30
    prior = 0.95
    shading_marks_headers = True

    def __init__(self, settings: ThreeLineSettings | None = None) -> None:
        self.settings = settings or DEFAULT

    def find_regions(self, page: PageContent, claimed: list[BBox]) -> list[Region]:
        fs = font_size_of(page.lines)
        rules = horizontal_rules(page, fs, claimed, self.settings)
        tol = self.settings.rules.snap.at(fs)
        segments = snap_edges(page_edges(page, self.settings.rules.thin_fill_pt), tol)
        regions = []
        for stack in rule_stacks(rules, fs, page.height, page.lines):
            x0 = min(r.start for r in stack)
            x1 = max(r.end for r in stack)
            top, bottom = stack[0].pos, stack[-1].pos
            if len(stack) == 2 and _framed(page, (x0, top, x1, bottom), fs):
                continue  # a box around a chart or a callout, not a table
            header = stack[1].pos if len(stack) > 2 else None
            joints = segment_joints(segments, stack, tol)
            inner = _partial_rules(rules, stack, top, header) if header is not None else []
            body_top = header if header is not None else top
            inner += _partial_body_rules(rules, stack, body_top, fs, len(inner), page.lines)
            edges = sorted({r.pos for r in stack} | set(inner))
            regions.append(
                Region(
                    (x0, top, x1, bottom),
                    header_bottom=header,
                    row_edges=tuple(edges),
                    column_hints=tuple(drawn_columns(joints, tol)),
                )
            )
        return regions

    def build_grid(self, page: PageContent, region: Region, lines: list[TextLine]) -> Grid | None:
        if not lines:
            return None
        fs = font_size_of(lines)
        if region.header_bottom is None and not _two_rule_table(lines, region.bbox, fs):
            return None
        edges = list(region.row_edges)
        # a rule between two body rows (not just the bottom rule): every row is ruled
        body_top = region.header_bottom if region.header_bottom is not None else edges[0]
        every_row_ruled = any(body_top < e < edges[-1] for e in edges) or _body_rules(
            page, region.bbox, body_top, fs
        )
        split = [
            not every_row_ruled
            and a >= (region.header_bottom or a)
            and not (region.header_bottom is None and _one_labelled_row(lines, a, b, fs))
            and not (
                a == region.header_bottom and b == edges[-1] and _one_padded_row(lines, a, b, fs)
            )
            for a, b in itertools.pairwise(edges)
        ]
        header_bottom = region.header_bottom
        if (
            every_row_ruled
            and header_bottom is not None
            and _header_outweighs_body(lines, header_bottom)
        ):
            header_bottom = None
        hints = list(region.column_hints) or None
        args = (lines, (region.bbox[0], region.bbox[2]), edges, split, header_bottom, fs, hints)
        xs, ys, spans, header_rows = build_text_grid(*args)
        if hints and (idle := idle_edges(xs, hints, lines, fs)):
            vetoed = [(x - VETO_EM * fs, x + VETO_EM * fs) for x in idle]
            xs, ys, spans, header_rows = build_text_grid(*args, vetoed)
        if (
            len(xs) < 3
            or len(ys) < 2
            or (len(ys) == 2 and not _one_row_part(region, xs, lines, fs))
        ):
            return None
        if len(ys) == 2 and hints:
            spans = unjoined_spans(spans, xs, hints, fs)
        spans = two_column_group_labels(spans, lines, xs, ys, header_rows)
        # a rule under every row says nothing about the header: shading, bold or text decide;
        # nor does the middle of three equal rules around two rows (rule under each row)
        known = (
            region.header_bottom is not None
            and not every_row_ruled
            and (len(ys) > 3 or _header_rule_thinner(page, edges, region.bbox, fs))
        )
        grid = grid_from_spans(xs, ys, spans, header_rows if known else None)
        if every_row_ruled:
            rules = horizontal_rules(page, fs, [], self.settings)
            grid = merge_beside_partial_rules(grid, rules, lines, fs)
        return grid

    def accept(self, table: Table, lines: list[TextLine]) -> Verdict:
        """Most rows must show text in two cells or more, merged cells included (a table, not
        a text box between two rules)."""
        verdict = one_row_verdict(table) if table.n_rows == 1 else super().accept(table, lines)
        if not verdict.kept:
            return verdict
        if any(not any(c.text for c in table.cells if c.col == col) for col in range(table.n_cols)):
            return reject("an empty column: a framed list of bare markers")
        full = 0
        for r in range(table.n_rows):
            covering = {id(c) for col in range(table.n_cols) if (c := table.cell_at(r, col))}
            texts = [c for c in table.cells if id(c) in covering and c.text]
            full += len(texts) >= 2
        if full < self.settings.min_full_rows * table.n_rows:
            return reject(f"{full} of {table.n_rows} rows have two cells of text: a text box")
        return keep(f"rules around {table.n_rows} rows, {full} with two cells of text")


register(ThreeLineStrategy())
