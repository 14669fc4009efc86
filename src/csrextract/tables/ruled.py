"""Ruled tables: cells from ruling lines, merged cells where an inner line is missing.

The chain, as in pdfplumber: ``page_edges → snap_edges → merge_edges → edge_components →
grid_from_edges``. Tolerances scale with the page's font size so OCR'd pages, whose rules come
from the image with some noise, go through the same code.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from csrextract.models import BBox, PageContent, Table, TableStyle, TextLine
from csrextract.tables.base import Region, TableStrategy, Verdict, keep, register, reject
from csrextract.tables.clustering import cluster_values, merge_intervals
from csrextract.tables.geometry import font_size_of
from csrextract.tables.grid import Grid, grid_from_spans
from csrextract.tables.settings import RuledSettings, RuleSettings

RULES = RuleSettings()
THIN_FILL = RULES.thin_fill_pt
"""A filled rectangle thinner than this (points) is drawn as a line, not as a background."""


@dataclass(frozen=True, slots=True)
class Edge:
    """A horizontal (``pos`` = y, span along x) or vertical (``pos`` = x, span along y) edge."""

    horizontal: bool
    pos: float
    start: float
    end: float


def page_edges(page: PageContent, thin_fill: float = THIN_FILL) -> list[Edge]:
    """Edges from rules and from fills so thin they are really lines."""
    edges = [
        Edge(True, (r.y0 + r.y1) / 2, min(r.x0, r.x1), max(r.x0, r.x1))
        if r.is_horizontal
        else Edge(False, (r.x0 + r.x1) / 2, min(r.y0, r.y1), max(r.y0, r.y1))
        for r in page.rules
    ]
    for fill in page.fills:
        x0, y0, x1, y1 = fill.bbox
        if y1 - y0 <= thin_fill < x1 - x0:
            edges.append(Edge(True, (y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= thin_fill < y1 - y0:
            edges.append(Edge(False, (x0 + x1) / 2, y0, y1))
    return edges


def snap_edges(edges: list[Edge], tol: float) -> list[Edge]:
    """Move nearly collinear edges onto their common position."""
    out: list[Edge] = []
    for horizontal in (True, False):
        group = sorted((e for e in edges if e.horizontal is horizontal), key=lambda e: e.pos)
        for cluster in _cluster_edges(group, tol):
            pos = sum(e.pos for e in cluster) / len(cluster)
            out.extend(Edge(horizontal, pos, e.start, e.end) for e in cluster)
    return out


def _cluster_edges(edges: list[Edge], tol: float) -> list[list[Edge]]:
    clusters: list[list[Edge]] = []
    for edge in edges:
        if clusters and edge.pos - clusters[-1][-1].pos <= tol:
            clusters[-1].append(edge)
        else:
            clusters.append([edge])
    return clusters


def merge_edges(edges: list[Edge], tol: float) -> list[Edge]:
    """Join collinear pieces (a line drawn cell by cell) into one edge."""
    by_line: dict[tuple[bool, float], list[tuple[float, float]]] = {}
    for e in edges:
        by_line.setdefault((e.horizontal, e.pos), []).append((e.start, e.end))
    return [
        Edge(horizontal, pos, a, b)
        for (horizontal, pos), spans in by_line.items()
        for a, b in merge_intervals(spans, tol)
    ]


def _touches(h: Edge, v: Edge, tol: float) -> bool:
    return h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol


def edge_components(edges: list[Edge], tol: float) -> list[list[Edge]]:
    """Groups of edges connected through intersections: one group per table."""
    parent = list(range(len(edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, e in enumerate(edges) if e.horizontal]
    vs = [i for i, e in enumerate(edges) if not e.horizontal]
    for i in hs:
        for j in vs:
            if _touches(edges[i], edges[j], tol):
                parent[find(i)] = find(j)
    groups: dict[int, list[Edge]] = {}
    for i in range(len(edges)):
        groups.setdefault(find(i), []).append(edges[i])
    return list(groups.values())


MIN_BORDER_COVER = 0.6
"""Share of a slot's side the drawn edges must cover for the side to count as a border."""

Slot = tuple[int, int]


def _coverage(edges: list[Edge], a: float, b: float) -> float:
    """Share of the segment a..b covered by edges (all on one line)."""
    length = sum(max(0.0, min(e.end, b) - max(e.start, a)) for e in edges)
    return length / (b - a) if b > a else 1.0


def _is_rectangle(slots: list[Slot]) -> bool:
    rows = {s[0] for s in slots}
    cols = {s[1] for s in slots}
    return len(slots) == (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)


def merged_slots(
    n_rows: int, n_cols: int, merges: list[tuple[Slot, Slot, float]]
) -> list[list[Slot]]:
    """Slots joined by the missing borders ``merges`` (two neighbours and how much of the border
    between them is drawn), every group a rectangle.

    A merged cell is a rectangle, but a border drawn only in part (a renderer that draws each
    cell's own box, a rule broken by a neighbouring merged cell) can join slots into an L. Such
    a group drops its best-drawn partial border and is joined again, until every group is a
    rectangle or only wholly undrawn borders are left (then the group stays as found).
    """
    active = list(merges)
    while True:
        groups = _slot_groups(n_rows, n_cols, active)
        crooked = {s for g in groups if not _is_rectangle(g) for s in g}
        partial = [m for m in active if m[0] in crooked and m[2] > 0.0]
        if not partial:
            return groups
        active.remove(max(partial, key=lambda m: m[2]))


def _slot_groups(
    n_rows: int, n_cols: int, merges: list[tuple[Slot, Slot, float]]
) -> list[list[Slot]]:
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(k: Slot) -> Slot:
        while parent[k] != k:
            k = parent[k]
        return k

    for a, b, _ in merges:
        parent[find(b)] = find(a)
    members: dict[Slot, list[Slot]] = {}
    for key in parent:
        members.setdefault(find(key), []).append(key)
    return list(members.values())


def _positions(edges: list[Edge], min_gap: float) -> list[float]:
    return [sum(g) / len(g) for g in cluster_values((e.pos for e in edges), min_gap)]


def _with_open_sides(positions: list[float], across: list[Edge], min_gap: float) -> list[float]:
    """Add the outer border a table leaves undrawn: where the crossing edges end."""
    if not positions or not across:
        return positions
    start = min(e.start for e in across)
    end = max(e.end for e in across)
    if start < positions[0] - min_gap:
        positions = [start, *positions]
    if end > positions[-1] + min_gap:
        positions = [*positions, end]
    return positions


def grid_from_edges(component: list[Edge], min_gap: float) -> Grid | None:
    """Rows and columns from the edges of one table; a slot merges with its neighbour where the
    line between them is missing (rowspan/colspan)."""
    hs = [e for e in component if e.horizontal]
    vs = [e for e in component if not e.horizontal]
    ys = _with_open_sides(_positions(hs, min_gap), vs, min_gap)
    xs = _with_open_sides(_positions(vs, min_gap), hs, min_gap)
    if len(ys) < 2 or len(xs) < 2:
        return None
    h_at = {i: [e for e in hs if abs(e.pos - y) <= min_gap] for i, y in enumerate(ys)}
    v_at = {j: [e for e in vs if abs(e.pos - x) <= min_gap] for j, x in enumerate(xs)}
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    merges: list[tuple[Slot, Slot, float]] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols:
                cover = _coverage(v_at[c + 1], ys[r], ys[r + 1])
                if cover < MIN_BORDER_COVER:
                    merges.append(((r, c), (r, c + 1), cover))
            if r + 1 < n_rows:
                cover = _coverage(h_at[r + 1], xs[c], xs[c + 1])
                if cover < MIN_BORDER_COVER:
                    merges.append(((r, c), (r + 1, c), cover))
    spans = []
    for slots in merged_slots(n_rows, n_cols, merges):
        r0, c0 = min(s[0] for s in slots), min(s[1] for s in slots)
        r1, c1 = max(s[0] for s in slots), max(s[1] for s in slots)
        spans.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
    spans.sort()
    return grid_from_spans(xs, ys, spans)


def split_at_fill_edges(grid: Grid, page: PageContent, lines: list[TextLine], fs: float) -> Grid:
    """Rows the rules leave joined but a fill parts: a band across the whole table (a header
    band drawn without a rule under it, as a picture's detected lines often miss) whose edge runs
    between lines of text inside a ruled row is a row edge too."""
    x0, y0, x1, y1 = grid.bbox
    cuts: list[float] = []
    for fill in page.fills:
        if fill.bbox[0] > x0 + fs or fill.bbox[2] < x1 - fs:
            continue
        for y in (fill.bbox[1], fill.bbox[3]):
            if not y0 + fs < y < y1 - fs or any(abs(y - g) <= fs for g in (*grid.ys, *cuts)):
                continue
            inside = [ln for ln in lines if x0 <= (ln.bbox[0] + ln.bbox[2]) / 2 <= x1]
            if any(ln.bbox[1] + 1.0 < y < ln.bbox[3] - 1.0 for ln in inside):
                continue  # the edge cuts through text: shading inside a cell
            k = next(i for i in range(grid.n_rows) if grid.ys[i] < y < grid.ys[i + 1])
            row = [ln for ln in inside if grid.ys[k] <= ln.bbox[1] and ln.bbox[3] <= grid.ys[k + 1]]
            if any(ln.bbox[3] <= y for ln in row) and any(ln.bbox[1] >= y for ln in row):
                cuts.append(y)
    if not cuts:
        return grid
    ys = sorted([*grid.ys, *cuts])
    spans = []
    for box in grid.boxes:
        top, bottom = ys.index(grid.ys[box.row]), ys.index(grid.ys[box.row + box.row_span])
        parts = [top, *(i for i in range(top + 1, bottom) if ys[i] in cuts), bottom]
        spans += [(a, box.col, b - a, box.col_span) for a, b in itertools.pairwise(parts)]
    return grid_from_spans(grid.xs, ys, spans, grid.header_rows)


class RuledStrategy(TableStrategy):
    """Tables whose cells are bounded by ruling lines on all sides."""

    style = TableStyle.RULED
    order = 10
    prior = 1.0
    shading_marks_headers = True
    header_cells_drawn = True

    def __init__(self, settings: RuledSettings | None = None) -> None:
        self.settings = settings or RuledSettings()

    def find_regions(self, page: PageContent, claimed: list[BBox]) -> list[Region]:
        fs = font_size_of(page.lines)
        tol = self.settings.rules.snap.at(fs)
        edges = merge_edges(
            snap_edges(page_edges(page, self.settings.rules.thin_fill_pt), tol), tol
        )
        regions = []
        for component in edge_components(edges, tol):
            if (
                sum(e.horizontal for e in component) < 2
                or sum(not e.horizontal for e in component) < 2
            ):
                continue
            grid = grid_from_edges(component, max(tol, self.settings.min_cell_em * fs))
            if grid is not None and grid.n_rows * grid.n_cols >= 2:
                regions.append(Region(grid.bbox, grid))
        return sorted(regions, key=lambda r: (r.bbox[1], r.bbox[0]))

    def build_grid(self, page: PageContent, region: Region, lines: list[TextLine]) -> Grid | None:
        if region.grid is None:
            return None
        return split_at_fill_edges(region.grid, page, lines, font_size_of(lines or page.lines))

    def accept(self, table: Table, lines: list[TextLine]) -> Verdict:
        """Lines are strong evidence: a single ruled row of several cells is a table (often the
        first part of one continued on the next page); a single column is a framed box; a grid
        whose cells are mostly empty is a diagram (an org chart's boxes and connectors)."""
        with_text = sum(1 for c in table.cells if c.text)
        if table.n_cols < 2:
            return reject("one ruled column: a framed box")
        if with_text < 2 or with_text < self.settings.min_text_cells * len(table.cells):
            return reject(f"{with_text} of {len(table.cells)} ruled cells hold text: a diagram")
        return keep(f"ruled grid, {with_text} of {len(table.cells)} cells hold text")


register(RuledStrategy())
