"""``stakeholder_matrix``: one row per item a report lists for a stakeholder group and aspect
(what they expect, how the company talks with them, what it does in response …).

A table is a stakeholder matrix when its header names stakeholders and an aspect, its title
names stakeholders over aspect columns or group names, or it has two aspect columns beside a
first column of stakeholder names. The reading itself is
:mod:`csrextract.normalise.stakeholder`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csrextract.datasets._spec import Column, DatasetSpec, Located
from csrextract.models import Table, TableKind

if TYPE_CHECKING:
    from csrextract.classify import Features

CORE_ASPECTS = ("expectation", "channel", "response")
"""What stakeholders expect, how the company talks with them, what it does in response."""
ASPECTS = (*CORE_ASPECTS, "responsibility", "frequency")
"""Every aspect a stakeholder matrix column may have: the core three, plus the company's stated
responsibility (我们的责任) and how often it talks with the group (沟通频率)."""
STAKEHOLDER_GROUPS = (
    "users",
    "employees",
    "creators_partners",
    "government",
    "media",
    "community_environment",
    "suppliers",
    "investors",
    "other",
)
"""The reference groups a printed stakeholder name maps to."""

_STAKEHOLDER_WORD = re.compile(r"利益相关方|相关方|Stakeholder", re.I)
_ASPECT_WORDS = (
    re.compile(r"期待|期望|诉求|关注|关切|expectation|concern", re.I),
    re.compile(r"沟通|渠道|方式|channel|communication|engagement", re.I),
    re.compile(r"回应|响应|应对|举措|response|action", re.I),
)
_STAKEHOLDER_NAMES = re.compile(
    r"政府|监管|员工|用户|客户|消费者|股东|投资者|供应商|合作伙伴|伙伴|创作者|社区|媒体|环境|公众|"
    r"Government|Regulator|Employee|User|Customer|Shareholder|Investor|Supplier|Partner|"
    r"Communit|Media",
    re.I,
)
MAX_NAME_CHARS = 20
"""A first-column cell longer than this is a sentence, not a stakeholder's name."""
MIN_NAMED_ROWS = 3
"""Rows naming a stakeholder group that identify a matrix without a stakeholder header."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StakeholderItem(Located):
    """One listed item for one stakeholder group and aspect, numbered per (group, aspect)."""

    stakeholder: str
    stakeholder_group: str
    aspect: str
    item_no: int
    item: str


def matches(f: Features, title: str) -> bool:
    """Stakeholder words with aspect words in the header or title, or aspect columns beside a
    column of stakeholder names."""
    aspects = sum(1 for pattern in _ASPECT_WORDS if pattern.search(f.header))
    named = sum(1 for t in f.first_col if _STAKEHOLDER_NAMES.search(t) and len(t) <= MAX_NAME_CHARS)
    if _STAKEHOLDER_WORD.search(f.header) and aspects >= 1:
        return True
    if _STAKEHOLDER_WORD.search(title) and (aspects >= 1 or named >= MIN_NAMED_ROWS):
        return True
    return aspects >= 2 and named >= MIN_NAMED_ROWS


def normalise(tables: list[Table]) -> list[StakeholderItem]:
    # this reader still builds a frame (its internals are being reworked): typed here
    from csrextract.frames import rows_of
    from csrextract.normalise.stakeholder import normalise_stakeholder

    return rows_of(StakeholderItem, normalise_stakeholder(tables))


SPEC = DatasetSpec(
    name="stakeholder_matrix",
    description="What each stakeholder group expects, how the company engages it and responds.",
    columns=(
        Column("stakeholder", "string"),
        Column("stakeholder_group", "string", allowed=STAKEHOLDER_GROUPS),
        Column("aspect", "string", allowed=ASPECTS),
        Column("item_no", "int32"),
        Column("item", "string"),
    ),
    key=("report_id", "stakeholder", "aspect", "item_no"),
    order=20,
    table_rows=True,
    kind=TableKind.STAKEHOLDER,
    priority=40,
    matcher=matches,
    normalise=normalise,
    row=StakeholderItem,
)
