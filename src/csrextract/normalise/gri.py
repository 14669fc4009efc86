"""GRI content indexes → ``gri_index``: one row per disclosure per place in the report.

Every column gets a *role* from what it means, never from where it stands: its header words
(披露项, 描述, 页码, 在报告中的位置, SDG, ESG指标(港交所) …) and what its cells hold (GRI codes
``102-1`` / ``2-1`` / ``GRI 305-1``; page references ``P04``, ``17-18``, ``2、9-10``, ``见：10-12``;
SDG numbers; HKEX KPI codes ``A1.1`` / ``KPI B2.3``; place names). The column with the most GRI
codes is the disclosure column; text columns left of it are chapter and section (a chapter
cell spanning two columns has no section, one spanning rows covers each of them); right of it,
a description column is told from a *location* column (where in the report) by header words,
else by position (the last text column says where). A location cell naming several places
(``A；B``, or one place per printed line) gives one row per place, each split at one dash into
chapter and section (``员工成长-员工招聘与留存``).

Rows: a row holding a single cell and no code (``第一部分：一般披露项``, ``组织概况``,
``GRI 205 反腐败``) is a *row-group header*: context carried in ``group`` by the rows below it,
not a row. A management-approach row printed as a bare ``103`` (``103 | 管理方法``) is kept
under its topic group. ``/`` (or another "none" mark, including OCR's ``1`` for ``/``) in the
disclosure column gives one row without a disclosure. Header rows, repeated or not, hold no
code and are skipped. Titles are the English ones of the reference data (2016 series with
303/403 of 2018, 2021 universal standards).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

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
_MANAGEMENT_APPROACH = re.compile(r"^(?:gri)?103(?:[:：]?管理方法.*|[:：].*)?$")
"""A bare ``103`` (GRI 103: Management Approach) in the disclosure column, reported per topic."""
_TRAILING_PAGE = re.compile(r"(?:\s*(?:[Pp]\.?|第)\s*|\s+)(\d{1,3})\s*页?$")
_RANGE = re.compile(r"[~～至到]")
_MAX_RANGE = 60
_PAGE_SPAN = re.compile(r"(?:p\.?|page|第)?\s*(\d{1,4})(?:\s*[-~～–—至到]\s*(?:p\.?)?(\d{1,4}))?")
_PAGE_LIST = re.compile(
    r"^(?:(?:p\.?|pages?|第)?\d{1,4}(?:[-~～–—至到](?:p\.?)?\d{1,4})?页?[,，、;；/]?)+$", re.I
)
_SEE = re.compile(r"(?:参见|详见|见)[:：]?")
_NONE_WORDS = re.compile(
    r"^(?:无变化|无变动|不适用|未涉及|不涉及|无|n/?a|notapplicable|nochange|省略|未披露)"
    r"|未发生|不适用|未涉及"
)
"""Page cells that say why there is no page (``无变化``, ``报告期未发生``): neutral evidence."""
MAX_PAGE_SPAN = 50
"""A page range wider than this (``2-120``) is not expanded page by page: it is a misread."""
_OCR_DIGITS = str.maketrans("OoIl|", "00111")
# A lone stroke in the disclosure column is the "none" mark ``/`` as OCR often reads it.
_OCR_SLASHES = {"1", "l", "i", "|", "丨", "／"}
_PLACE_SEPARATOR = re.compile(r"\s*[；;]\s*")
_HKEX = re.compile(r"(?<![a-z0-9])(?:kpi)?([abc])(\d{1,2})(?:[.．](\d{1,2}))?(?![0-9])", re.I)
_SDG = re.compile(r"sdgs?(\d{1,2}(?:[,，、/和及&]\d{1,2})*)", re.I)


class Role(StrEnum):
    """What a column of a GRI index holds."""

    CODE = "code"
    TITLE = "title"  # text: the description right of the codes, chapter/section left of them
    LOCATION = "location"  # where in the report, as place names
    PAGE = "page"  # where in the report, as page numbers
    SDG = "sdg"
    HKEX = "hkex"
    SERIES = "series"  # the GRI standard of each row (102 beside 102-1): neither page nor place
    NOTE = "note"  # remarks, reasons for omission: not read
    OTHER = "other"


# Checked in order: ESG指标(港交所) is an HKEX column although 指标 alone would be a title.
_HEADER_ROLES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    (
        Role.HKEX,
        re.compile(r"港交所|联交所|hkex|esg指标|esg索引|kpi|环境、社会及管治|环境社会及管治"),
    ),
    (Role.SDG, re.compile(r"sdg|可持续发展目标")),
    (Role.PAGE, re.compile(r"页码|页数|^页$|^pages?$|^p\.?$|pagenumber")),
    (Role.LOCATION, re.compile(r"位置|章节|出处|所在|对应|location|section|chapter|reference")),
    (Role.NOTE, re.compile(r"备注|省略|原因|remark|omission|note|comment")),
    (Role.CODE, re.compile(r"披露项|编号|代码|disclosure|code|^no\.?$|^gri$")),
    (Role.TITLE, re.compile(r"名称|内容|标题|描述|说明|指标|title|name|description|content")),
)
PAGE_SHARE = 0.5
"""A column is a page column when at least this share of its non-neutral cells are page
references: one stray note among page numbers must not turn the column into place names."""


# ---------------------------------------------------------------------------------------------
# Cell readers


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
    pages = page_refs(text)
    return pages[0] if pages else None


def _page_part(text: str) -> str:
    """The part of a page cell naming pages: after the last 见 (``报告期未发生；…见：10-12``)."""
    folded = fold(text)
    parts = _SEE.split(folded)
    return parts[-1].strip("：:。.；;，, ") if len(parts) > 1 else folded


def page_refs(text: str) -> list[int]:
    """Every page a page cell names, ranges expanded: ``2、9-10`` → [2, 9, 10],
    ``P18-19`` → [18, 19], ``见：10-12`` → [10, 11, 12]; [] for a cell naming no page
    (``无变化``, ``/``)."""
    part = _page_part(text)
    if not _PAGE_LIST.match(part):
        return []
    pages: list[int] = []
    for m in _PAGE_SPAN.finditer(part):
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        span = range(lo, hi + 1) if lo <= hi and hi - lo <= MAX_PAGE_SPAN else (lo, hi)
        pages += [p for p in span if p not in pages]
    return pages


def is_neutral_page_cell(text: str) -> bool:
    """A page cell that names no page on purpose (``/``, ``无变化``, ``不适用``)."""
    return is_missing(text) or bool(_NONE_WORDS.search(fold(text)))


def hkex_refs(text: str) -> list[str]:
    """HKEX ESG guide KPI codes of a cell as ``A1.1`` / ``B2`` (``KPI A1.1`` → ``A1.1``)."""
    refs = []
    for m in _HKEX.finditer(fold(text)):
        code = f"{m.group(1).upper()}{int(m.group(2))}" + (
            f".{int(m.group(3))}" if m.group(3) else ""
        )
        if code not in refs:
            refs.append(code)
    return refs


def sdg_numbers(text: str) -> list[int]:
    """SDG numbers of a cell (``SDG 3, SDG 8``, ``3、8``), 1..17 only, in printed order."""
    folded = fold(text)
    found = _SDG.findall(folded)
    numbers = re.findall(r"\d{1,2}", " ".join(found) if found else folded)
    out: list[int] = []
    for n in (int(x) for x in numbers):
        if 1 <= n <= 17 and n not in out:
            out.append(n)
    return out


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


def places(cell: Cell) -> list[str]:
    """The places a location cell names: one per printed line, lines split at ``；``."""
    lines = cell.lines or [cell.text]
    out = [clean(p) for line in lines for p in _PLACE_SEPARATOR.split(line)]
    return [p for p in dict.fromkeys(out) if p]


def _raw(cell: Cell | None) -> str | None:
    """A cell's text as printed, its author's line breaks kept."""
    if cell is None:
        return None
    text = "\n".join(clean(line) for line in cell.lines) if cell.lines else clean(cell.text)
    return text or None


def _row_codes(text: str) -> list[str | None]:
    """Codes of a disclosure cell; ``[None]`` for a "none" mark; ``[]`` for anything else."""
    codes = disclosure_codes(text)
    if codes:
        return list(dict.fromkeys(codes))
    if _MANAGEMENT_APPROACH.match(fold(text)):
        return ["103"]
    return [None] if is_missing(text) or fold(text) in _OCR_SLASHES else []


# ---------------------------------------------------------------------------------------------
# Column roles


def _column_scores(table: Table, score: Callable[[str], object]) -> list[int]:
    """Per column, how many rows have a cell for which ``score`` is truthy."""
    return [
        sum(1 for r in range(table.n_rows) if (c := table.cell_at(r, col)) and score(c.text))
        for col in range(table.n_cols)
    ]


def _code_column(table: Table) -> int | None:
    scores = _column_scores(
        table, lambda t: disclosure_codes(t) or _MANAGEMENT_APPROACH.match(fold(t))
    )
    if not scores or max(scores) == 0:
        return None
    return scores.index(max(scores))


def _data_rows(table: Table, code_col: int) -> list[int]:
    """Rows whose disclosure cell starts there and holds codes, a 103 or a "none" mark."""
    rows = []
    for r in range(table.n_rows):
        cell = table.cell_at(r, code_col)
        if cell is not None and cell.row == r and cell.col_span == 1 and _row_codes(cell.text):
            rows.append(r)
    return rows


def _header_text(table: Table, col: int, first_data_row: int) -> str:
    """Folded text of the column's own header cells above the first data row."""
    words = []
    for r in range(first_data_row):
        cell = table.cell_at(r, col)
        if cell is not None and cell.col_span == 1 and cell.row == r:
            words.append(fold(cell.text))
    return "".join(words)


def _header_role(header: str) -> Role | None:
    for role, pattern in _HEADER_ROLES:
        if pattern.search(header):
            return role
    return None


def _series(table: Table, row: int, code_col: int) -> set[int]:
    """GRI series numbers of a row's codes (102 for 102-1): a bare 102 beside them is no page."""
    cell = table.cell_at(row, code_col)
    codes = disclosure_codes(cell.text) if cell else []
    return {int(c.split("-")[0]) for c in codes} | {103}


def _is_page_cell(text: str, series: set[int]) -> bool:
    pages = page_refs(text)
    return bool(pages) and not set(pages) <= series


@dataclass(slots=True)
class _Evidence:
    """What a column's data cells hold."""

    filled: int = 0
    pages: int = 0
    neutral: int = 0
    sdg_marked: int = 0
    hkex: int = 0
    series: int = 0  # the GRI series of the row's codes (102 beside 102-1): a standard column
    text: int = 0


def _evidence(table: Table, col: int, code_col: int, rows: list[int]) -> _Evidence:
    ev = _Evidence()
    for r in rows:
        cell = table.cell_at(r, col)
        if cell is None or cell.row != r or cell is table.cell_at(r, code_col):
            continue
        text = clean(cell.text)
        if not text:
            continue
        ev.filled += 1
        series = _series(table, r, code_col)
        if _is_page_cell(text, series):
            ev.pages += 1
        elif page_refs(text) and set(page_refs(text)) <= series:
            ev.series += 1
        elif is_neutral_page_cell(text):
            ev.neutral += 1
        elif hkex_refs(text) and len(fold(_HKEX.sub("", fold(text)))) <= 4:
            ev.hkex += 1
        elif _SDG.search(fold(text)):
            ev.sdg_marked += 1
        else:
            ev.text += 1
    return ev


def _content_role(ev: _Evidence) -> Role:
    if ev.filled == 0:
        return Role.OTHER
    judged = ev.filled - ev.neutral
    if ev.hkex and ev.hkex >= PAGE_SHARE * judged:
        return Role.HKEX
    if ev.sdg_marked and ev.sdg_marked >= PAGE_SHARE * judged:
        return Role.SDG
    if ev.pages and ev.pages >= PAGE_SHARE * judged:
        return Role.PAGE
    if ev.series and ev.series >= PAGE_SHARE * judged:
        return Role.SERIES
    return Role.TITLE if ev.text else Role.OTHER


def _role(header: str, ev: _Evidence) -> Role:
    """Header words decide, checked against content: a 位置 column of page numbers is a page
    column, and a 页码 column of place names is a location column."""
    by_header = _header_role(header)
    by_content = _content_role(ev)
    if ev.filled == 0:
        return Role.OTHER  # an empty column (a header over nothing) holds no role
    if by_header is Role.PAGE and ev.text <= ev.pages + ev.neutral:
        return Role.PAGE  # a 页码 column of 不适用 / 无变化 is still the page column
    if by_header in (Role.PAGE, Role.LOCATION):
        return Role.PAGE if by_content is Role.PAGE else Role.LOCATION
    if by_header is not None and by_header is not Role.CODE:
        return by_header
    return by_content


@dataclass(slots=True)
class Layout:
    """Which columns of a GRI index hold what (see the module docstring)."""

    code_col: int
    rows: list[int]
    chapter_cols: list[int] = field(default_factory=list)
    page_cols: list[int] = field(default_factory=list)
    location_col: int | None = None
    sdg_col: int | None = None
    hkex_col: int | None = None
    title_col: int | None = None


def _page_fragment(text: str) -> bool:
    """Half of a page range split over two columns (``17-`` | ``18``, ``17`` | ``-18``)."""
    return bool(re.fullmatch(r"[-~～–—至]?\s*\d{1,4}\s*[-~～–—至]?", fold(text)))


def _joined_page_columns(table: Table, layout: Layout, headers: dict[int, str]) -> list[int]:
    """The page column and a neighbour without a header of its own holding range halves."""
    col = layout.page_cols[0]
    out = [col]
    for other in (col - 1, col + 1):
        if other < 0 or other >= table.n_cols or other == layout.code_col or headers[other]:
            continue
        cells = [table.cell_at(r, other) for r in layout.rows]
        texts = [clean(c.text) for c in cells if c is not None and c.col == other]
        if any(texts) and all(not t or _page_fragment(t) for t in texts):
            out.append(other)
    return sorted(out)


def layout_of(table: Table) -> Layout | None:
    """Column roles of a GRI index, ``None`` for a table without GRI codes."""
    code_col = _code_column(table)
    if code_col is None:
        return None
    rows = _data_rows(table, code_col)
    if not rows:
        return None
    layout = Layout(code_col, rows)
    headers = {c: _header_text(table, c, rows[0]) for c in range(table.n_cols)}
    roles = {
        c: _role(headers[c], _evidence(table, c, code_col, rows))
        for c in range(table.n_cols)
        if c != code_col
    }
    for role, attr in ((Role.SDG, "sdg_col"), (Role.HKEX, "hkex_col")):
        setattr(layout, attr, next((c for c, r in roles.items() if r is role), None))
    pages = [c for c, r in roles.items() if r is Role.PAGE]
    if pages:
        layout.page_cols = [pages[0]]
        layout.page_cols = _joined_page_columns(table, layout, headers)
    texts = [c for c, r in roles.items() if r in (Role.TITLE, Role.LOCATION)]
    texts = [c for c in texts if c not in layout.page_cols]
    layout.chapter_cols = [c for c in texts if c < code_col][:2]
    _right_text_roles(layout, [c for c in texts if c > code_col], roles, headers)
    return layout


def _right_text_roles(
    layout: Layout, right: list[int], roles: dict[int, Role], headers: dict[int, str]
) -> None:
    """Description or location, right of the codes: the header says; else the last text
    column says where unless a page column already does and nothing says 位置."""
    right = [c for c in right if _header_role(headers[c]) is not Role.NOTE]
    located = [c for c in right if _header_role(headers[c]) is Role.LOCATION]
    titled = [c for c in right if _header_role(headers[c]) in (Role.TITLE, Role.CODE)]
    if located:
        layout.location_col = located[0]
    elif right and not layout.chapter_cols and right[-1] not in titled:
        if len(right) >= 2 or not layout.page_cols:
            layout.location_col = right[-1]
    elif len(right) >= 2 and not layout.chapter_cols and not layout.page_cols:
        layout.location_col = right[-1]
    rest = [c for c in right if c != layout.location_col and roles[c] is not Role.OTHER]
    layout.title_col = rest[0] if rest else None


# ---------------------------------------------------------------------------------------------
# Rows


def _group_text(table: Table, row: int, code_col: int) -> str | None:
    """The text of a row-group header row (one cell, no disclosure code), else ``None``."""
    cells = [c for c in table.rows()[row] if clean(c.text)]
    if len(cells) != 1 or cells[0].is_header:
        return None
    cell = cells[0]
    if cell.row_span > 1 or disclosure_codes(cell.text) or is_missing(cell.text):
        return None
    if cell.col_span < 2 and cell.col != code_col and cell.col != 0:
        return None
    return clean(cell.text)


def _is_header_row(table: Table, row: int) -> bool:
    return len([c for c in table.rows()[row] if clean(c.text)]) >= 2


def _chapter_section(table: Table, row: int, cols: list[int]) -> tuple[Cell | None, str | None]:
    if not cols:
        return None, None
    chapter = table.cell_at(row, cols[0])
    if len(cols) < 2:
        return chapter, None
    section = table.cell_at(row, cols[1])
    if section is None or section is chapter or not clean(section.text):
        return chapter, None
    return chapter, clean(section.text)


@dataclass(slots=True)
class _Where:
    """One place a disclosure is reported: chapter, section, pages, the raw cell."""

    chapter: str
    section: str | None
    pages: list[int]
    location: str | None
    cell: Cell | None


def _page_text(table: Table, row: int, layout: Layout) -> tuple[str, Cell | None]:
    cells = [table.cell_at(row, c) for c in layout.page_cols]
    distinct = [c for i, c in enumerate(cells) if c is not None and c not in cells[:i]]
    return "".join(clean(c.text) for c in distinct), (distinct[0] if distinct else None)


def _places(table: Table, row: int, layout: Layout, chapter: str) -> list[_Where]:
    """Every place the row names: per location line / ``；`` part, else the chapter columns."""
    page_text, page_cell = _page_text(table, row, layout)
    pages = page_refs(page_text)
    if layout.location_col is None:
        chapter_cell, section = _chapter_section(table, row, layout.chapter_cols)
        raw = page_text or None
        return [_Where(chapter, section, pages, raw, chapter_cell or page_cell)]
    cell = table.cell_at(row, layout.location_col)
    if cell is None or not places(cell):
        return [_Where("", None, pages, page_text or None, page_cell)]
    out = []
    for place in places(cell):
        own_pages = pages
        if not page_text:
            place, trailing = trailing_page(place)
            own_pages = [trailing] if trailing is not None else []
        name, section = split_location(place)
        out.append(_Where(name, section, own_pages, _raw(cell), cell))
    return out


def _table_rows(table: Table, layout: Layout, seen: set[tuple[object, ...]]) -> list[Row]:
    rows: list[Row] = []
    chapter_text = ""
    group: str | None = None
    first, data = layout.rows[0], set(layout.rows)
    for r in range(table.n_rows):
        if r not in data:
            if r < first and _is_header_row(table, r):
                group = None  # a title above the header is no group
            group = _group_text(table, r, layout.code_col) or group
            continue
        code_cell = table.cell_at(r, layout.code_col)
        assert code_cell is not None
        chapter, _ = _chapter_section(table, r, layout.chapter_cols)
        if chapter is not None and clean(chapter.text):
            chapter_text = clean(chapter.text)
        extras = _extras(table, r, layout)
        for where in _places(table, r, layout, chapter_text):
            for code in _row_codes(code_cell.text):
                key = (group, where.chapter, where.section, code)
                if key in seen:
                    continue
                seen.add(key)
                cells = [c for c in (code_cell, where.cell) if c is not None]
                rows.append(_record(where, code, group, extras, cells, table))
    return rows


def _extras(table: Table, row: int, layout: Layout) -> tuple[list[int], list[str]]:
    sdg = table.cell_at(row, layout.sdg_col) if layout.sdg_col is not None else None
    hkex = table.cell_at(row, layout.hkex_col) if layout.hkex_col is not None else None
    return (sdg_numbers(sdg.text) if sdg else [], hkex_refs(hkex.text) if hkex else [])


def normalise_gri(tables: list[Table]) -> pd.DataFrame:
    """``gri_index`` rows of every GRI index table (see the module docstring)."""
    rows: list[Row] = []
    seen: set[tuple[object, ...]] = set()
    for table in tables:
        layout = layout_of(table)
        if layout is not None:
            rows += _table_rows(table, layout, seen)
    return frame(DATASET, rows)


def _titles(code: str | None) -> tuple[str | None, str | None]:
    """The standard and English title of a code (``103`` is GRI 103 reported for a topic)."""
    if code is None:
        return None, None
    if code == "103":
        known_standard = reference.gri_standard("103")
        return "GRI 103", known_standard.title_en if known_standard else None
    known = reference.gri_disclosure(code)
    return f"GRI {code.split('-')[0]}", known.title_en if known else None


def _record(
    where: _Where,
    code: str | None,
    group: str | None,
    extras: tuple[list[int], list[str]],
    cells: list[Cell],
    table: Table,
) -> Row:
    standard, title = _titles(code)
    return {
        "chapter": where.chapter,
        "section": where.section,
        "disclosure": code,
        "gri_standard": standard,
        "disclosure_title_en": title,
        "page_ref": where.pages[0] if where.pages else None,
        "page_refs": list(where.pages),
        "location": where.location,
        "sdgs": list(extras[0]),
        "hkex_refs": list(extras[1]),
        "group": group,
        **provenance(cells, table),
    }
