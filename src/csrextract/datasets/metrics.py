"""``metrics``: one row per figure of a KPI table (indicator × period).

A table is a KPI table when a good share of its cells (years and placeholders aside) are
figures, or it has years across its header and a figure below — unless it is a table of
contents, whose page numbers are not KPIs. It is the most general kind, so it is tried last.
The reading itself is :mod:`csrextract.normalise.metrics`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csrextract.datasets._spec import Column, DatasetSpec, Located
from csrextract.models import Table, TableKind

if TYPE_CHECKING:
    from csrextract.classify import Features

QUALIFIERS = ("≈", "<", ">", "≤", "≥", "+", "-")
"""What a printed figure may be qualified by (近 → ≈, 超过 → >, …)."""

MIN_NUMERIC_SHARE = 0.3
"""Share of numeric cells (years and placeholders aside) from which a table is a KPI table."""

_TOC_TITLE = re.compile(r"目录|目錄|Contents|Table of Contents", re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class Metric(Located):
    """One figure: the indicator, the period it is for, its value, unit and what was printed."""

    table_id: str
    indicator: str
    period: str
    year: int | None
    value: float | None
    unit: str | None
    qualifier: str | None
    raw: str


def matches(f: Features, title: str) -> bool:
    """Mostly figures, or years across the header with a figure — never under a contents title."""
    if _TOC_TITLE.search(title):
        return False
    scored = f.n_cells - f.years - f.placeholders
    if f.numeric >= 2 and scored > 0 and f.numeric / scored >= MIN_NUMERIC_SHARE:
        return True
    return f.header_years >= 2 and f.numeric >= 1


def normalise(tables: list[Table]) -> list[Metric]:
    # this reader still builds a frame (its internals are being reworked): typed here
    from csrextract.frames import rows_of
    from csrextract.normalise.metrics import normalise_metrics

    return rows_of(Metric, normalise_metrics(tables))


SPEC = DatasetSpec(
    name="metrics",
    description="Key figures of every KPI table, one per indicator and period, value parsed.",
    columns=(
        Column("table_id", "string"),
        Column("indicator", "string"),
        Column("period", "string"),
        Column("year", "int16", nullable=True),  # the period's year; null when none
        Column("value", "float64", nullable=True),
        Column("unit", "string", nullable=True),
        Column("qualifier", "string", nullable=True, allowed=QUALIFIERS),
        Column("raw", "string"),
    ),
    key=("report_id", "table_id", "indicator", "period"),
    order=50,
    kind=TableKind.METRICS,
    priority=90,
    matcher=matches,
    normalise=normalise,
    row=Metric,
)
