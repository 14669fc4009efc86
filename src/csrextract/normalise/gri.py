"""GRI content indexes → ``gri_index``: one row per disclosure per report section.

Columns are found by what they hold, not where they are: the *disclosure column* has the most
GRI codes (``GRI 102-1``, ``GRI102-21``, ``2-1``), the *page column* the most page references
(``P04``, ``18``, ``18-19``); text columns left of the disclosures are chapter and section. A
chapter cell spanning two columns has no section; a chapter cell spanning rows covers each of
them. An index printed code first (``102-1 | 组织名称 | 关于我们-公司简介``) takes its
*location* column as chapter (split at one dash into chapter and section). ``/`` (or another
"none" mark, including OCR's ``1`` for ``/``) in the disclosure column gives one row without a
disclosure. Header rows, repeated or not, hold no code and are skipped. Titles are the English
ones of the reference data (2016 series with 303/403 of 2018, 2021 universal standards).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from csrextract import reference
from csrextract.models import Cell, Table
from csrextract.normalise._common import Row, clean, fold, frame, provenance
from csrextract.normalise.numbers import is_missing

DATASET = "gri_index"

_CODE = re.compile(
    r"GR[I1l|]\s*(?P<a>[0-9OoIl]{1,3})\s*[-－–—]\s*(?P<b>[0-9OoIl]{1,2})(?![0-9])"
    r"|(?<![0-9.\-])(?P<c>\d{1,3})\s*[-－–—]\s*(?P<d>\d{1,2})(?![0-9])",
    re.IGNORECASE,
)
_TRAILING_PAGE = re.compile(r"(?:\s*(?:[Pp]\.?|第)\s*|\s+)(\d{1,3})\s*页?$")
_RANGE = re.compile(r"[~～至到]")
_MAX_RANGE = 60
_PAGE = re.compile(r"^(?:p\.?|page|第)?\s*(\d{1,4})(?:\s*[-~–—至,，、]\s*\d{1,4})*\s*页?$", re.I)
_OCR_DIGITS = str.maketrans("OoIl|", "00111")
# A lone stroke in the disclosure column is the "none" mark ``/`` as OCR often reads it.
_OCR_SLASHES = {"1", "l", "i", "|", "丨", "／"}
_LOCATION_HEADER = re.compile(r"位置|章节|索引|页|location|section|chapter|reference|page")
_TITLE_HEADER = re.compile(r"名称|内容|标题|披露|title|name|description")


def disclosure_codes(text: str) -> list[str]:
    """GRI disclosure codes in a cell, in printed order, as ``102-1`` (OCR O/l read as 0/1)."""
    codes: list[str] = []
    previous_end = -1
    for m in _CODE.finditer(text or ""):
        major = (m["a"] or m["c"]).translate(_OCR_DIGITS)
        minor = (m["b"] or m["d"]).translate(_OCR_DIGITS)
        code = f"{int(major)}-{int(minor)}"
        if m["c"] is not None and reference.gri_disclosure(code) is None:
            continue  # a bare "18-19" is a page range, not a disclosure, unless it is a known code
        between = text[previous_end : m.start()] if previous_end >= 0 else ""
        if codes and _RANGE.fullmatch(between.strip()):
            codes += _expand(codes.pop(), code)
        else:
            codes.append(code)
        previous_end = m.end()
    return codes


def _expand(first: str, last: str) -> list[str]:
    """``102-1`` to ``102-5`` → every code between (same standard, as printed ``102-1至102-5``)."""
    major, lo = first.split("-")
    other, hi = last.split("-")
    if major != other or int(hi) <= int(lo) or int(hi) - int(lo) > _MAX_RANGE:
        return [first, last]
    return [f"{major}-{n}" for n in range(int(lo), int(hi) + 1)]


def page_ref(text: str) -> int | None:
    """First page number of a page reference (``P04`` → 4, ``18-19`` → 18); ``None`` for ``/``."""
    m = _PAGE.match(fold(text))
    return int(m.group(1)) if m else None


def _column_scores(table: Table, score: Callable[[str], object]) -> list[int]:
    """Per column, how many rows have a cell for which ``score`` is truthy."""
    return [
        sum(1 for r in range(table.n_rows) if (c := table.cell_at(r, col)) and score(c.text))
        for col in range(table.n_cols)
    ]


def _header_text(table: Table, col: int, code_col: int) -> str:
    """Folded text above the first code in ``col`` (the column's header words)."""
    words = []
    for r in range(table.n_rows):
        code_cell = table.cell_at(r, code_col)
        if code_cell is not None and disclosure_codes(code_cell.text):
            break
        cell = table.cell_at(r, col)
        if cell is not None and cell.col_span == 1:
            words.append(fold(cell.text))
    return "".join(words)


def _location_columns(table: Table, code_col: int, page_col: int | None) -> list[int]:
    """Code-first indexes (``102-1 | 组织名称 | 关于我们``): the column saying *where* in the
    report — by its header (位置, 章节, location …), else the last text column when a title
    column sits between; a lone column headed like a title (名称, 内容 …) is no location."""
    right = [c for c in range(code_col + 1, table.n_cols) if c != page_col]
    if not right:
        return []
    headers = {c: _header_text(table, c, code_col) for c in right}
    for c in right:
        if _LOCATION_HEADER.search(headers[c]):
            return [c]
    if len(right) >= 2:
        return [right[-1]]
    return [] if _TITLE_HEADER.search(headers[right[0]]) else right


def _columns(table: Table) -> tuple[int, int | None, list[int]] | None:
    """Disclosure column, page column and the text columns (chapter, section) of a GRI index."""
    codes = _column_scores(table, disclosure_codes)
    if not codes or max(codes) == 0:
        return None
    code_col = codes.index(max(codes))
    pages = _column_scores(table, lambda t: page_ref(t) is not None)
    candidates = [c for c in range(table.n_cols) if c != code_col and pages[c] > 0]
    page_col = max(candidates, key=lambda c: pages[c]) if candidates else None
    text_cols = [c for c in range(code_col) if c != page_col]
    if not text_cols:
        text_cols = _location_columns(table, code_col, page_col)
    return code_col, page_col, text_cols[:2]


def _chapter_section(
    table: Table, row: int, text_cols: list[int]
) -> tuple[Cell | None, str | None]:
    if not text_cols:
        return None, None
    chapter = table.cell_at(row, text_cols[0])
    if len(text_cols) < 2:
        return chapter, None
    section = table.cell_at(row, text_cols[1])
    if section is None or section is chapter or not clean(section.text):
        return chapter, None
    return chapter, clean(section.text)


def split_location(location: str) -> tuple[str, str | None]:
    """``员工成长-员工招聘与留存`` → (员工成长, 员工招聘与留存): a code-first index names the
    place as chapter-section; several places (``A；B``, ``A-B C-D``) or no dash stay one chapter."""
    if re.search(r"[；;、，,]", location) or len(re.findall(r"[-－–—]", location)) != 1:
        return location, None
    parts = [p.strip() for p in re.split(r"\s*[-－–—]\s*", location, maxsplit=1)]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    return location, None


def trailing_page(location: str) -> tuple[str, int | None]:
    """A page printed after the place (``关于我们 P4``, ``员工成长 36``) → (place, page)."""
    m = _TRAILING_PAGE.search(location)
    if m is None or not location[: m.start()].strip():
        return location, None
    return location[: m.start()].strip(), int(m.group(1))


@dataclass(slots=True)
class _Layout:
    code_col: int
    page_col: int | None
    text_cols: list[int]

    @property
    def code_first(self) -> bool:
        return bool(self.text_cols) and self.text_cols[0] > self.code_col


def _page(table: Table, row: int, layout: _Layout) -> int | None:
    cell = table.cell_at(row, layout.page_col) if layout.page_col is not None else None
    return page_ref(cell.text) if cell else None


def _table_rows(
    table: Table, layout: _Layout, seen: set[tuple[str, str | None, str | None]]
) -> list[Row]:
    rows: list[Row] = []
    chapter_text = ""
    for r in range(table.n_rows):
        code_cell = table.cell_at(r, layout.code_col)
        if code_cell is None or code_cell.row != r:
            continue
        chapter, section = _chapter_section(table, r, layout.text_cols)
        chapter_text = clean(chapter.text) if chapter and clean(chapter.text) else chapter_text
        page = _page(table, r, layout)
        place = chapter_text
        if layout.code_first and section is None:
            if page is None:
                place, page = trailing_page(place)
            place, section = split_location(place)
        for code in _row_codes(code_cell.text):
            if (place, section, code) in seen:
                continue
            seen.add((place, section, code))
            cells = [c for c in (code_cell, chapter) if c is not None]
            rows.append(_record(place, section, code, page, cells, table))
    return rows


def normalise_gri(tables: list[Table]) -> pd.DataFrame:
    """``gri_index`` rows of every GRI index table (see the module docstring)."""
    rows: list[Row] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for table in tables:
        cols = _columns(table)
        if cols is not None:
            rows += _table_rows(table, _Layout(*cols), seen)
    return frame(DATASET, rows)


def _row_codes(text: str) -> list[str | None]:
    """Codes of a disclosure cell; ``[None]`` for a "none" mark; ``[]`` for a header cell."""
    codes = disclosure_codes(text)
    if codes:
        return list(dict.fromkeys(codes))
    return [None] if is_missing(text) or fold(text) in _OCR_SLASHES else []


def _record(
    chapter: str,
    section: str | None,
    code: str | None,
    page: int | None,
    cells: list[Cell],
    table: Table,
) -> Row:
    known = reference.gri_disclosure(code) if code else None
    standard = f"GRI {code.split('-')[0]}" if code else None
    return {
        "chapter": chapter,
        "section": section,
        "disclosure": code,
        "gri_standard": standard,
        "disclosure_title_en": known.title_en if known else None,
        "page_ref": page,
        **provenance(cells, table),
    }
