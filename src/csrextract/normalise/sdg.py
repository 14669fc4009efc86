"""SDG tables → ``sdg_responses``: one row per response item per goal.

The table is read structurally: the *label column* is the one whose cells name goals
(``SDG 1: 无贫穷``, ``目标 1``, or just the goal's name); every other cell beside a label is a
response, its bullet items numbered per goal. A label cell naming several goals, or several
label rows sharing one response cell (SDG 14/15), yields the same responses for each goal; so
does a label with a blank beside it, right under a label with responses (the shared cell drawn
without a span).
Goal numbers are checked against the names printed next to them, so an OCR'd ``SDG 1`` next to
``经济适用的清洁能源`` is goal 7. A table with the goals across the top is read transposed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from csrextract import reference
from csrextract.datasets.sdg_responses import SdgResponse
from csrextract.models import Cell, Table
from csrextract.normalise._common import (
    cell_items,
    clean,
    fold,
    frame,
    place,
    transpose,
)

DATASET = "sdg_responses"

_REF = re.compile(r"(?:SDGs?|目标|Goal)\s*[#第]?\s*(\d{1,2})\s*[:：.、]?", re.IGNORECASE)
_FUZZY_MIN = 0.75
_NAME_ONLY_MAX = 20


@dataclass(frozen=True, slots=True)
class SdgLabel:
    """One goal named in a label cell, with the text printed for it."""

    number: int
    label: str


def _named_goal(text: str) -> int | None:
    """The goal whose name (official or alias) appears in ``text``; the longest name wins."""
    folded = fold(text)
    best: tuple[int, int] | None = None
    for goal in reference.sdgs():
        for name in goal.names:
            key = fold(name)
            if key and key in folded and (best is None or len(key) > best[0]):
                best = (len(key), goal.number)
    return best[1] if best else None


def _fuzzy_goal(text: str) -> int | None:
    """Closest official Chinese name for OCR'd text with a wrong or missing character."""
    folded = fold(_REF.sub("", text))
    if not folded:
        return None
    scored = [
        (difflib.SequenceMatcher(None, folded, fold(g.name_zh)).ratio(), g.number)
        for g in reference.sdgs()
    ]
    score, number = max(scored)
    return number if score >= _FUZZY_MIN else None


def _piece_goal(piece: str, printed: int | None) -> int | None:
    named = _named_goal(piece)
    if named is not None:
        return named
    if printed is not None and 1 <= printed <= 17:
        return printed
    return _fuzzy_goal(piece)


def sdg_labels(text: str) -> list[SdgLabel]:
    """Goals named in one label cell, in printed order (several for a shared label cell)."""
    flat = clean(text)
    starts = [m.start() for m in _REF.finditer(flat)]
    if not starts:  # a bare name is a label only in a short cell, never inside a sentence
        if len(fold(flat)) > _NAME_ONLY_MAX:
            return []
        goal = _named_goal(flat) or _fuzzy_goal(flat)
        return [SdgLabel(goal, flat)] if goal else []
    if starts[0] > 0 and _named_goal(flat[: starts[0]]) is None:
        starts[0] = 0  # a prefix such as an icon caption belongs to the first label
    pieces = [flat[a:b].strip() for a, b in zip(starts, [*starts[1:], len(flat)], strict=True)]
    labels = []
    for piece in pieces:
        m = _REF.search(piece)
        goal = _piece_goal(piece, int(m.group(1)) if m else None)
        if goal is not None:
            labels.append(SdgLabel(goal, piece))
    return labels


def _label_counts(table: Table) -> list[int]:
    """Per column, how many of its cells name a goal."""
    return [
        sum(1 for r in range(table.n_rows) if (c := table.cell_at(r, col)) and sdg_labels(c.text))
        for col in range(table.n_cols)
    ]


def _label_column(table: Table) -> int | None:
    counts = _label_counts(table)
    best = max(range(table.n_cols), key=lambda col: counts[col], default=None)
    return best if best is not None and counts[best] > 0 else None


def _oriented(table: Table) -> Table:
    """Goals down the side: a table with the goals across the top is transposed first."""
    flipped = transpose(table)
    if max(_label_counts(flipped), default=0) > max(_label_counts(table), default=0):
        return flipped
    return table


def _response_cells(table: Table, label: Cell, label_col: int) -> list[Cell]:
    """Distinct non-label cells in the rows the label cell covers, row by row, left to right."""
    found: list[Cell] = []
    for r in range(label.row, label.row + label.row_span):
        for col in range(table.n_cols):
            if label.col <= col < label.col + label.col_span or col == label_col:
                continue
            cell = table.cell_at(r, col)
            if cell is None or any(cell is f for f in found) or sdg_labels(cell.text):
                continue
            found.append(cell)
    return found


def normalise_sdg(tables: list[Table]) -> pd.DataFrame:
    """:func:`sdg_rows` as a frame."""
    return frame(DATASET, sdg_rows(tables))


def sdg_rows(tables: list[Table]) -> list[SdgResponse]:
    """``sdg_responses`` rows of every SDG table (see the module docstring)."""
    rows: list[SdgResponse] = []
    counters: dict[int, int] = {}
    for table in map(_oriented, tables):
        label_col = _label_column(table)
        if label_col is None:
            continue
        seen: list[Cell] = []
        above: tuple[int, list[Cell]] | None = None  # (last row, responses) of the label above
        for r in range(table.n_rows):
            label = table.cell_at(r, label_col)
            if label is None or any(label is s for s in seen):
                continue
            seen.append(label)
            goals = sdg_labels(label.text)
            if not goals:
                above = None
                continue
            responses = _response_cells(table, label, label_col)
            if not any(cell_items(c) for c in responses) and above and above[0] == r - 1:
                responses = above[1]  # a blank beside the label: the text above serves both
            above = (label.row + label.row_span - 1, responses)
            for goal in goals:
                rows += _goal_rows(table, goal, responses, counters)
    return rows


def _goal_rows(
    table: Table, goal: SdgLabel, responses: list[Cell], counters: dict[int, int]
) -> list[SdgResponse]:
    info = reference.sdg(goal.number)
    out: list[SdgResponse] = []
    for cell in responses:
        for item in cell_items(cell):
            counters[goal.number] = counters.get(goal.number, 0) + 1
            out.append(
                SdgResponse(
                    sdg=goal.number,
                    sdg_label=goal.label,
                    sdg_name_en=info.name_en if info else "",
                    response_no=counters[goal.number],
                    response=item,
                    **place([cell], table),
                )
            )
    return out
