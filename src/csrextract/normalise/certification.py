"""Certification lists → ``certifications``: one row per ISO management-system standard.

Reports print certifications as a grid of ``ISO27001 信息安全管理体系`` cells, as a two-column
list (designation | title), or run together in one cell. Every designation found in reading
order is canonicalised through the reference data (``ISO27001`` → ``ISO/IEC 27001``, a bare
``ISO20000`` → ``ISO/IEC 20000-1``, OCR's ``IS0`` read as ``ISO``); the title is what is printed
after the designation (or in the next cell of the row), kept as printed even when truncated, and
the English title comes from the reference data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from csrextract import reference
from csrextract.datasets.certifications import Certification
from csrextract.models import Cell, Table
from csrextract.normalise._common import clean, frame, place

DATASET = "certifications"

_DESIGNATION = re.compile(
    r"(?:ISO|IS0|1SO|lSO|I5O)\s*(?P<iec>[/／]\s*IEC)?\s*[-:：]?\s*"
    r"(?P<number>\d[\dOoIl]{2,4}(?![A-Za-z]))(?:\s*[-－–]\s*(?P<part>\d{1,2}))?"
    r"(?:\s*[:：]\s*(?P<year>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)
_SPLIT_NUMBER = re.compile(
    r"(?P<prefix>(?:ISO|IS0|1SO|lSO|I5O)\s*(?:[/／]\s*IEC)?\s*)(?P<a>\d{1,4}) (?P<b>\d{1,4})(?!\d)",
    re.IGNORECASE,
)
_OCR_DIGITS = str.maketrans("OoIl", "0011")
_TITLE_TRIM = " \t\n:：-—–()（）[]【】,，、;；/"


@dataclass(frozen=True, slots=True)
class Designation:
    """One printed designation and where it sits in the cell text."""

    standard: str
    number: str
    title_en: str | None
    start: int
    end: int


def canonical(number: str, part: str | None, iec: bool) -> tuple[str, str, str | None]:
    """Canonical designation, number and English title of a printed ISO number."""
    printed = f"{number}-{part}" if part else number
    known = reference.iso_standard(printed)
    if known is not None:
        return known.standard, known.number, known.title_en
    prefix = "ISO/IEC" if iec else "ISO"
    return f"{prefix} {printed}", printed, None


def _join_split_number(m: re.Match[str]) -> str:
    joined = m["a"] + m["b"]
    if len(joined) in (4, 5) and reference.iso_standard(joined) is not None:
        return m["prefix"] + joined
    return m.group(0)


def designations(text: str) -> list[Designation]:
    """Every ISO designation in ``text``, canonicalised (``ISO27 001``, a number a text layer
    broke with a space, and OCR's ``ISO 900l`` are read as ``ISO 27001``/``ISO 9001`` when that
    is a known standard)."""
    found = []
    for m in _DESIGNATION.finditer(text):
        number = m["number"].translate(_OCR_DIGITS)
        if number != m["number"] and reference.iso_standard(number) is None:
            continue  # letters read as digits only where that gives a known standard
        standard, number, title_en = canonical(number, m["part"], bool(m["iec"]))
        found.append(Designation(standard, number, title_en, m.start(), m.end()))
    return found


def _row_neighbour_title(table: Table, cell: Cell) -> str:
    """Title printed in the next cell to the right when it carries no designation itself."""
    right = table.cell_at(cell.row, cell.col + cell.col_span)
    if right is None or designations(right.text):
        return ""
    return clean(right.text).strip(_TITLE_TRIM)


def _cell_rows(table: Table, cell: Cell) -> list[Certification]:
    text = _SPLIT_NUMBER.sub(_join_split_number, clean(cell.text))
    found = designations(text)
    rows = []
    for i, d in enumerate(found):
        stop = found[i + 1].start if i + 1 < len(found) else len(text)
        title = text[d.end : stop].strip(_TITLE_TRIM)
        if not title and len(found) == 1:
            title = _row_neighbour_title(table, cell)
        rows.append(
            Certification(
                standard=d.standard,
                standard_number=d.number,
                title=title,
                title_en=d.title_en,
                **place([cell], table),
            )
        )
    return rows


def normalise_certification(tables: list[Table]) -> pd.DataFrame:
    """:func:`certification_rows` as a frame."""
    return frame(DATASET, certification_rows(tables))


def certification_rows(tables: list[Table]) -> list[Certification]:
    """``certifications`` rows of every certification table, first mention of a standard kept."""
    rows: list[Certification] = []
    seen: set[str] = set()
    for table in tables:
        for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
            for row in _cell_rows(table, cell):
                if row.standard not in seen:
                    seen.add(row.standard)
                    rows.append(row)
    return rows
