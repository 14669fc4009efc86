"""``certifications``: one row per ISO (or equivalent) management-system standard.

A table is a certification list when ISO / GB/T / OHSAS designations fill a good share of its
cells, or one appears under a title about certification. The reading itself is
:mod:`csrextract.normalise.certification`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csrextract.datasets._spec import Column, DatasetSpec, Located
from csrextract.models import Table, TableKind

if TYPE_CHECKING:
    from csrextract.classify import Features

_ISO = re.compile(r"\bISO\s*(?:/\s*IEC\s*)?\d{4,5}|\bGB\s*/\s*T\s*\d{4,5}|\bOHSAS\s*18001", re.I)
_CERT_WORD = re.compile(r"认证|体系|证书|Certif", re.I)

MIN_STANDARD_SHARE = 0.3
"""Share of cells holding a designation from which (with two of them) a table lists standards."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Certification(Located):
    """One standard the company is certified to, as printed and canonicalised."""

    standard: str
    standard_number: str
    title: str
    title_en: str | None


def matches(f: Features, title: str) -> bool:
    """Designations in a good share of the cells, or one under a certification title."""
    iso_cells = sum(1 for t in f.texts if _ISO.search(t))
    if iso_cells >= 2 and iso_cells >= MIN_STANDARD_SHARE * f.n_cells:
        return True
    return iso_cells >= 1 and bool(_CERT_WORD.search(title))


def normalise(tables: list[Table]) -> list[Certification]:
    from csrextract.normalise.certification import certification_rows  # pandas: loaded on use

    return certification_rows(tables)


SPEC = DatasetSpec(
    name="certifications",
    description="Management-system certifications (ISO 9001, ISO/IEC 27001 …) the company holds.",
    columns=(
        Column("standard", "string"),
        Column("standard_number", "string"),
        Column("title", "string"),
        Column("title_en", "string", nullable=True),
    ),
    key=("report_id", "standard"),
    order=30,
    table_rows=True,
    kind=TableKind.CERTIFICATION,
    priority=20,
    matcher=matches,
    normalise=normalise,
    row=Certification,
)
