"""``sdg_responses``: one row per response item per UN Sustainable Development Goal.

A table is an SDG table when its cells name goals (``SDG 4``, ``目标 4``, ``Goal 4`` or the
goal's name) — three of them, or fewer under an SDG header or title. The reading itself is
:mod:`csrextract.normalise.sdg`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csrextract.datasets._spec import Column, DatasetSpec, Located
from csrextract.models import Table, TableKind

if TYPE_CHECKING:
    from csrextract.classify import Features

_SDG_REF = re.compile(r"\bSDGs?\s*\d{1,2}\b|目标\s*\d{1,2}(?!\d)|\bGoal\s*\d{1,2}\b", re.I)
_SDG_HEADER = re.compile(r"可持续发展目标|\bSDGs?\b|Sustainable\s+Development\s+Goal", re.I)
_SDG_NAMES = re.compile(
    "无贫穷|零饥饿|良好健康与福祉|优质教育|性别平等|清洁饮水|清洁能源|体面工作|产业、创新|"
    "减少不平等|可持续城市|负责任消费|气候行动|水下生物|陆地生物|和平、正义|伙伴关系|"
    "No Poverty|Zero Hunger|Quality Education|Gender Equality|Climate Action|Life Below Water|"
    "Life on Land",
    re.I,
)
_GOAL_WORD = re.compile(r"目标|\bGoals?\b", re.I)

MIN_GOAL_CELLS = 3
"""Cells naming a goal from which a table is an SDG table whatever its header and title."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SdgResponse(Located):
    """One response printed beside a goal, numbered per goal in reading order."""

    sdg: int
    sdg_label: str
    sdg_name_en: str
    response_no: int
    response: str


def matches(f: Features, title: str) -> bool:
    """Goal references or names in the cells, confirmed by an SDG header or title when few."""
    refs = max(
        sum(1 for t in f.texts if _SDG_REF.search(t)),
        sum(1 for t in f.texts if _SDG_NAMES.search(t)),
    )
    if refs >= MIN_GOAL_CELLS or (refs >= 1 and bool(_SDG_HEADER.search(f.header + " " + title))):
        return True
    return refs >= 2 and bool(_GOAL_WORD.search(f.header))


def normalise(tables: list[Table]) -> list[SdgResponse]:
    from csrextract.normalise.sdg import sdg_rows  # pandas: loaded when a table is read

    return sdg_rows(tables)


SPEC = DatasetSpec(
    name="sdg_responses",
    description="What the company reports doing for each UN Sustainable Development Goal.",
    columns=(
        Column("sdg", "int8"),
        Column("sdg_label", "string"),
        Column("sdg_name_en", "string"),
        Column("response_no", "int32"),
        Column("response", "string"),
    ),
    key=("report_id", "sdg", "response_no"),
    order=10,
    table_rows=True,
    kind=TableKind.SDG,
    priority=30,
    matcher=matches,
    normalise=normalise,
    row=SdgResponse,
)
