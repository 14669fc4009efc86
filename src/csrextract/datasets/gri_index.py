"""``gri_index``: one row per GRI disclosure (and location) of a GRI / ESG content index.

A table is a content index when it holds three GRI disclosure codes (``102-1``, ``GRI 2-1``),
or one under a header or title about an index or disclosures. The reading itself is
:mod:`csrextract.normalise.gri`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csrextract.datasets._spec import Column, DatasetSpec, Located
from csrextract.models import Table, TableKind

if TYPE_CHECKING:
    from csrextract.classify import Features

_GRI_CODE = re.compile(r"(?:\bGRI\s*(?:[1-4]\d{2}|[1-3])|(?<![\d.\-])[1-4]\d{2})\s*-\s*\d{1,2}\b")
_GRI_TITLE = re.compile(r"GRI|指标索引|内容索引|披露|Content Index|Disclosure", re.I)

MIN_CODES = 3
"""Disclosure codes from which a table is a content index whatever its header and title."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GriDisclosure(Located):
    """One disclosure of the index at one of the places the report gives for it."""

    chapter: str
    section: str | None
    disclosure: str | None
    gri_standard: str | None
    disclosure_title_en: str | None
    page_ref: int | None
    page_refs: list[int]
    location: str | None
    sdgs: list[int]
    hkex_refs: list[str]
    group: str | None


def matches(f: Features, title: str) -> bool:
    """Disclosure codes in the cells, confirmed by an index header or title when few."""
    codes = sum(len(_GRI_CODE.findall(t)) for t in f.texts)
    return codes >= MIN_CODES or (codes >= 1 and bool(_GRI_TITLE.search(f.header + title)))


def normalise(tables: list[Table]) -> list[GriDisclosure]:
    # this reader still builds a frame (its internals are being reworked): typed here
    from csrextract.frames import rows_of
    from csrextract.normalise.gri import normalise_gri

    return rows_of(GriDisclosure, normalise_gri(tables))


SPEC = DatasetSpec(
    name="gri_index",
    description="The report's GRI / ESG content index: disclosure, where it is answered, SDGs.",
    columns=(
        Column("chapter", "string"),
        Column("section", "string", nullable=True),
        Column("disclosure", "string", nullable=True),
        Column("gri_standard", "string", nullable=True),
        Column("disclosure_title_en", "string", nullable=True),
        Column("page_ref", "int32", nullable=True),
        Column("page_refs", "list<int32>"),
        Column("location", "string", nullable=True),
        Column("sdgs", "list<int8>"),
        Column("hkex_refs", "list<string>"),
        Column("group", "string", nullable=True),
    ),
    key=("report_id", "group", "chapter", "section", "disclosure"),
    order=40,
    table_rows=True,
    kind=TableKind.GRI_INDEX,
    priority=10,
    matcher=matches,
    normalise=normalise,
    row=GriDisclosure,
)
