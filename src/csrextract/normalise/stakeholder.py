"""Stakeholder matrices → ``stakeholder_matrix``: one row per item per stakeholder and aspect.

A stakeholder matrix crosses stakeholder groups with aspects — what they expect, how the
company talks with them, what it does in response, and in some reports the company's stated
responsibility or how often it talks with them. The aspect of a column is read from its header
words (期待/诉求/关注 → expectation, 渠道/方式 → channel, 回应/举措 → response, 责任/承诺 →
responsibility, 频率 → frequency, and the English equivalents), so whichever of them a report
has, in any order and wording, are mapped; a column whose header names no aspect is left out.
A matrix printed the other way round (stakeholders across the top) is transposed first. Each
stakeholder name is mapped to a group code through the alias list in the reference data.
"""

from __future__ import annotations

import re

import pandas as pd

from csrextract import reference
from csrextract.contract import CORE_ASPECTS
from csrextract.models import Cell, Table
from csrextract.normalise._common import (
    Row,
    anchors_in_column,
    clean,
    fold,
    frame,
    listed_items,
    provenance,
    transpose,
)

DATASET = "stakeholder_matrix"

# Checked in order: 沟通渠道 is a channel although 沟通 alone is not decisive, 相关回应 a response,
# 沟通方式及频率 a channel, 沟通频率 a frequency, 期望与责任 … the first word listed wins.
_ASPECT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("response", ("回应", "响应", "举措", "措施", "行动", "response", "action", "measure")),
    ("channel", ("渠道", "途径", "方式", "平台", "channel", "communication", "engagement")),
    ("frequency", ("频率", "频次", "frequency")),
    ("responsibility", ("责任", "职责", "承诺", "responsibilit", "commitment")),
    ("expectation", ("期待", "期望", "诉求", "关注", "议题", "需求", "expectation", "concern")),
    ("channel", ("沟通", "交流")),  # last: 沟通 alone (OCR lost 渠道) still says how they talk
)
_MIN_ASPECTS = 2
_STAKEHOLDER_HEADER = re.compile(r"利益相关方|相关方|stakeholder")


def aspect_of(header: str) -> str | None:
    """The aspect a header names, ``None`` for anything else (e.g. 利益相关方)."""
    folded = fold(header)
    if not folded:
        return None
    for aspect, words in _ASPECT_WORDS:
        if any(w in folded for w in words):
            return aspect
    return None


def stakeholder_group(name: str) -> str:
    """Group code of a printed stakeholder name; the alias printed first wins (供应商与伙伴 →
    suppliers), longer aliases before shorter at the same place; ``other`` when none match."""
    folded = fold(name)
    best: tuple[int, int, str] | None = None
    for alias, group in reference.stakeholder_aliases():
        at = folded.find(alias)
        if at >= 0 and (best is None or (at, -len(alias)) < (best[0], best[1])):
            best = (at, -len(alias), group)
    return best[2] if best else "other"


def _header_aspects(table: Table, row: int) -> dict[int, str]:
    """Column → aspect for a row that reads as a header row (≥ 2 aspects, or one aspect beside a
    利益相关方 header), else empty."""
    aspects: dict[int, str] = {}
    for col in range(table.n_cols):
        cell = table.cell_at(row, col)
        if cell is not None and (aspect := aspect_of(cell.text)) and len(fold(cell.text)) <= 20:
            aspects[col] = aspect
    if len(set(aspects.values())) >= _MIN_ASPECTS:
        return aspects
    names_header = any(
        (cell := table.cell_at(row, col)) is not None
        and _STAKEHOLDER_HEADER.search(fold(cell.text))
        for col in range(table.n_cols)
        if col not in aspects
    )
    return aspects if aspects and names_header else {}


def _find_header(table: Table) -> tuple[int, dict[int, str]] | None:
    for row in range(table.n_rows):
        if aspects := _header_aspects(table, row):
            return row, _by_elimination(table, row, aspects)
    return None


def _by_elimination(table: Table, row: int, aspects: dict[int, str]) -> dict[int, str]:
    """Two aspects known and one header unreadable (OCR): that column gets the missing aspect."""
    missing = [a for a in CORE_ASPECTS if a not in aspects.values()]
    name_col = next((c for c in range(table.n_cols) if c not in aspects), None)
    unknown = [
        c
        for c in range(table.n_cols)
        if c not in aspects
        and c != name_col
        and (cell := table.cell_at(row, c)) is not None
        and cell.col == c
        and clean(cell.text)
    ]
    if len(missing) == 1 and len(unknown) == 1 and len(aspects) == 2:
        return {**aspects, unknown[0]: missing[0]}
    return aspects


def _oriented(table: Table) -> tuple[Table, int, dict[int, str]] | None:
    """The table with aspects across the top, its header row and aspect columns."""
    for candidate in (table, transpose(table)):
        if found := _find_header(candidate):
            return candidate, found[0], found[1]
    return None


def normalise_stakeholder(tables: list[Table]) -> pd.DataFrame:
    """``stakeholder_matrix`` rows of every stakeholder table (see the module docstring)."""
    rows: list[Row] = []
    counters: dict[tuple[str, str], int] = {}
    for table in tables:
        oriented = _oriented(table)
        if oriented is None:
            continue
        grid, header_row, aspects = oriented
        name_col = next((c for c in range(grid.n_cols) if c not in aspects), None)
        if name_col is None:
            continue
        for name_cell in anchors_in_column(grid, name_col):
            if name_cell.row <= header_row or _header_aspects(grid, name_cell.row):
                continue  # the header, or a header repeated on a continuation page
            rows += _stakeholder_rows(grid, name_cell, aspects, counters)
    return frame(DATASET, rows)


def _stakeholder_rows(
    table: Table, name_cell: Cell, aspects: dict[int, str], counters: dict[tuple[str, str], int]
) -> list[Row]:
    name = clean(name_cell.text)
    if not name:
        return []
    group = stakeholder_group(name)
    out: list[Row] = []
    for col, aspect in aspects.items():
        seen: list[Cell] = []
        for r in range(name_cell.row, name_cell.row + name_cell.row_span):
            cell = table.cell_at(r, col)
            if cell is None or any(cell is s for s in seen):
                continue
            seen.append(cell)
            for item in listed_items(cell):
                key = (name, aspect)
                counters[key] = counters.get(key, 0) + 1
                out.append(
                    {
                        "stakeholder": name,
                        "stakeholder_group": group,
                        "aspect": aspect,
                        "item_no": counters[key],
                        "item": item,
                        **provenance([cell], table),
                    }
                )
    return out
