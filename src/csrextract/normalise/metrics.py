"""KPI tables → ``metrics`` in long form: one row per (indicator, period) figure.

Two layouts cover the KPI tables of CSR reports, told apart by content, not position:

* **row labels** — the first column(s) name indicators (``PUE``, ``年度 WUE``) and the other
  columns hold figures under period headers (``2019 年``), possibly below a group header
  (``定量数据``) in a two-row header. A table with periods down the side is read the other way.
* **figure blocks** — header cells name the figure below them (``高校开播场次`` over
  ``14463场``), in one or more header/value row pairs, optionally under a group header spanning
  several figures (``2021年自然科普短视频在抖音`` over ``累计播放`` and ``同比增长``).

A row is a *value row* when its cells are figures (``parse_quantity`` finds a value, or the cell
says "none" like ``-``) rather than labels; year headers are labels. The period comes from the
figure's header path, else the table title, else any header of the table, else it is unknown
(``""``); a leading period is stripped from an indicator label (the period column says it).
In the row-label layout, column headers that are no periods (``董事数量（人）``) extend the
indicator. Indicators that repeat within a table (two ``同比增长`` columns) are qualified by
the figure to their left.

Units: a figure's own unit (``14463场``) wins; else a unit column (单位) or a unit the label states
in trailing brackets (``资产总额（亿元）``). A stated magnitude (亿, 万 …) is applied to the value
just as ``parse_quantity`` applies a printed one, so ``value`` is always in base units
(``49,213.80`` under ``（亿元）`` → 4.92138e12 元) and ``raw`` keeps what was printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from csrextract.models import Cell, Table
from csrextract.normalise._common import Row, clean, fold, frame, provenance
from csrextract.normalise.numbers import _LEADING, is_missing, parse_quantity

DATASET = "metrics"
SEPARATOR = " / "

_PERIOD = re.compile(
    r"(?<![0-9])(?:fy)?(?P<year>(?:19|20)\d{2})(?![0-9])(?:年度?)?"
    r"(?P<range>\d{1,2}月?[~\-–—至到]\d{1,2}月)?",
    re.IGNORECASE,
)
_LEADING_YEAR = re.compile(r"^(?:fy)?(?:19|20)\d{2}(?:年|$)", re.IGNORECASE)
_TRAILING_BRACKET = re.compile(r"[（(]([^（()）]{1,16})[)）]\s*[*\d]*\s*$")
_BASE_UNITS = (
    "元|美元|港元|人民币|欧元|人|名|位|人次|次|场|个|户|家|项|件|台|辆|座|所|份|篇|条|部|本|套|"
    "株|棵|亩|公顷|吨|千克|公斤|克|度|千瓦时|兆瓦时|吉瓦时|kwh|mwh|gwh|gj|吉焦|兆焦|立方米|m3|m³|"
    "平方米|m2|㎡|米|公里|千米|km|升|小时|天|日|年|月|分钟|%|‰|tco2e|吨二氧化碳当量|"
    "吨标准煤|吨标煤|tce|笔|单|张|册|课时|学时|门|期|批"
)
_UNIT_WORD = re.compile(
    rf"(?P<mag>万亿|千亿|百亿|亿|千万|百万|十万|万|千(?![克米瓦焦])|百)?"
    rf"(?P<base>(?:{_BASE_UNITS})(?:/[^/]{{1,4}})?)",
    re.IGNORECASE,
)
_MAGNITUDES = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
}
_UNIT_HEADER = re.compile(r"^(?:单位|计量单位|unit|units)$", re.IGNORECASE)
_ORDINAL_HEADER = re.compile(r"序号|编号|序|no\.?|#|item", re.IGNORECASE)
_MEASURE_HEADER = re.compile(r"金额|数额|数值|数量|数据|值|value|amount|figure", re.IGNORECASE)
"""A lone figure column headed only by one of these (``金额（元）``) names no indicator: the row
label does, and the header's bracket gives the unit."""
_SUBITEM = re.compile(r"^(?:其中|包括|含)[:：]\s*")


# ---------------------------------------------------------------------------------------------
# Periods


def find_period(text: str) -> str | None:
    """The period named in a label: ``2019`` for ``2019 年``, ``2021年1~10月`` for a range."""
    m = _PERIOD.search(fold(text))
    if m is None:
        return None
    return m.group(0) if m["range"] else m["year"]


def is_period_label(text: str) -> bool:
    """A label that is only a period (``2019 年``, ``FY2020``, ``2021年1~10月``)."""
    m = _PERIOD.fullmatch(fold(text))
    return m is not None


def strip_period(label: str) -> str:
    """A label without its leading period (``2021年自然科普…`` → ``自然科普…``) if text remains."""
    text = clean(label)
    m = _PERIOD.match(fold(text))
    if m is None:
        return text
    # map the folded match length back onto the printed text (folding only drops whitespace)
    kept, seen = 0, 0
    while kept < len(text) and seen < m.end():
        if not text[kept].isspace():
            seen += 1
        kept += 1
    rest = text[kept:].strip(" ：:，,-—")
    return rest or text


# ---------------------------------------------------------------------------------------------
# Cells and rows


def is_figure(text: str) -> bool:
    """A cell that holds a figure (or says there is none) rather than a label."""
    if not clean(text):
        return False
    if is_missing(text):
        return True
    if _LEADING_YEAR.match(fold(text)):
        return False  # 2019年, 2021年自然科普…: a period or a label, never a figure
    return parse_quantity(text).value is not None


def _anchored(table: Table, row: int) -> list[Cell]:
    return [c for c in table.rows()[row] if clean(c.text)]


def is_value_row(table: Table, row: int) -> bool:
    """Figures outnumber labels (one row label allowed) in the cells that start in this row."""
    cells = _anchored(table, row)
    figures = sum(1 for c in cells if is_figure(c.text))
    return figures >= 1 and figures >= len(cells) - figures - 1


def _column_texts(table: Table, rows: list[int], col: int) -> list[str]:
    return [clean(c.text) if (c := table.cell_at(r, col)) else "" for r in rows]


def _is_label_column(texts: list[str]) -> bool:
    return any(texts) and not any(is_figure(t) for t in texts)


def is_ordinal_column(texts: list[str], header: str = "") -> bool:
    """A sequence-number column (序号 1, 2, 3 …): row numbers, not figures.

    Told by its header (序号, 编号, No.) or by content: whole numbers counting up from 1 by one,
    the other cells labels (a total row's label spanning into it) or empty.
    """
    if _ORDINAL_HEADER.fullmatch(fold(header)):
        return True
    numbers = [t for t in texts if re.fullmatch(r"\d{1,3}[.、]?", t)]
    if len(numbers) < 2 or any(is_figure(t) for t in texts if t not in numbers):
        return False
    values = [int(re.sub(r"\D", "", t)) for t in numbers]
    return values == list(range(1, len(values) + 1))


def _ordinal_columns(table: Table, value_rows: list[int], header_rows: list[int]) -> list[int]:
    """Leading sequence-number columns followed by a label column."""
    cols: list[int] = []
    for col in range(table.n_cols - 1):
        header = "".join(p.text for p in _header_path(table, header_rows, col))
        if not is_ordinal_column(_column_texts(table, value_rows, col), header):
            break
        cols.append(col)
    if cols and not _is_label_column(_column_texts(table, value_rows, cols[-1] + 1)):
        return []
    return cols


def _label_columns(table: Table, value_rows: list[int], skip: list[int]) -> list[int]:
    """Leading columns holding labels (never figures) in every value row: the row-label layout.
    ``skip`` are sequence-number columns before them (read as neither labels nor figures)."""
    cols: list[int] = []
    for col in range(len(skip), table.n_cols - 1):
        if not _is_label_column(_column_texts(table, value_rows, col)):
            break
        cols.append(col)
    return cols


def _header_path(table: Table, header_rows: list[int], col: int) -> list[Cell]:
    """Distinct non-empty header cells above a column, top to bottom."""
    path: list[Cell] = []
    for h in header_rows:
        cell = table.cell_at(h, col)
        if cell is not None and clean(cell.text) and all(cell is not p for p in path):
            path.append(cell)
    return path


def _block_above(header_rows: list[int], row: int) -> list[int]:
    """The contiguous header rows directly above ``row`` (all header rows above if none touch)."""
    block: list[int] = []
    r = row - 1
    while r in header_rows:
        block.insert(0, r)
        r -= 1
    return block or [h for h in header_rows if h < row]


def _table_period(table: Table, header_rows: list[int]) -> str:
    found = find_period(table.title)
    if found:
        return found
    for h in header_rows:
        for cell in table.rows()[h]:
            if found := find_period(cell.text):
                return found
    return ""


# ---------------------------------------------------------------------------------------------
# Records


def label_unit(label: str) -> tuple[str, float] | None:
    """Unit and magnitude a label states in trailing brackets: ``资产总额（亿元）`` → (元, 1e8),
    ``贷款总额（含贴现，亿元）`` → (元, 1e8), ``人均用电量（度/人）`` → (度/人, 1); ``None`` for a
    bracket that holds no unit (``WUE (水利用率)``, ``（含慰问品）``).

    The magnitude is applied to the figure, as for a figure printed with it (``86万元``), so
    ``value`` is always in base units whichever way the report states the magnitude.
    """
    m = _TRAILING_BRACKET.search(clean(label))
    if m is None:
        return None
    return split_unit(re.split(r"[，,、；;]", m.group(1))[-1])


def split_unit(printed: str) -> tuple[str, float] | None:
    """``亿元`` → (元, 1e8), ``tCO2e`` → (tCO2e, 1); ``None`` when ``printed`` is no unit."""
    unit = _UNIT_WORD.fullmatch(re.sub(r"\s+", "", unicodedata.normalize("NFKC", printed)))
    if unit is None:
        return None
    return unit["base"], _MAGNITUDES.get(unit["mag"] or "", 1.0)


_LABEL_QUALIFIERS: tuple[tuple[str, str], ...] = tuple(
    (word, sign) for word, sign in _LEADING if not word.isascii() and len(word) <= 3
)
"""Bound words (超, 逾, 近, 不少于 …) a label may end with before its figure (``相关视频数量超``
over ``1亿``): they qualify the figure, not the indicator's name."""


def normalise_indicator(label: str) -> tuple[str, str | None]:
    """The indicator name in one form whatever the source (NFKC: OCR's full-width brackets and
    the text layer's half-width ones agree; runs of spaces collapsed) and, moved out of it, a
    bound word ending its last part (``相关视频数量超`` → ``相关视频数量``, ``>``); a bound word
    ending an earlier part is dropped from the name too (``相关视频数量超 / 同比增长`` →
    ``相关视频数量 / 同比增长``: the growth rate itself is not bounded)."""
    parts = [" ".join(unicodedata.normalize("NFKC", p).split()) for p in label.split(SEPARATOR)]
    qualifier = None
    for index, part in enumerate(parts):
        for word, sign in _LABEL_QUALIFIERS:
            if part.endswith(word) and len(part) > len(word):
                parts[index] = part[: -len(word)].rstrip()
                qualifier = sign if index == len(parts) - 1 else qualifier
                break
    return SEPARATOR.join(parts), qualifier


def period_year(period: str) -> int | None:
    """The year a period names (``2021年1~10月`` → 2021); None when it names none."""
    m = _PERIOD.search(period or "")
    return int(m.group("year")) if m else None


def _record(table: Table, indicator: str, period: str, cell: Cell, unit: str | None) -> Row:
    q = parse_quantity(cell.text)
    value = q.value
    indicator, label_qualifier = normalise_indicator(indicator)
    stated = (split_unit(unit) or (unit, 1.0)) if unit else label_unit(indicator)
    if q.unit is None and value is not None and stated is not None:
        unit, value = stated[0], float(f"{value * stated[1]:.12g}")
    else:
        unit = q.unit
    return {
        "table_id": table.table_id,
        "indicator": indicator,
        "period": period,
        "year": period_year(period),
        "value": value,
        "unit": unit,
        "qualifier": q.qualifier or label_qualifier,
        "raw": clean(cell.text),
        **provenance([cell], table),
    }


def _label_text(cells: list[Cell]) -> str:
    parts = [strip_period(c.text) for c in cells]
    return SEPARATOR.join(p for p in dict.fromkeys(parts) if p)


def _row_label(cells: list[Cell]) -> str:
    """The row's label: its label cells joined, without an "of which" lead (其中：) or a
    trailing colon, which say how rows nest, not what they count."""
    parts = [_SUBITEM.sub("", clean(c.text)).rstrip(":： ") for c in cells if clean(c.text)]
    return SEPARATOR.join(p for p in parts if p)


def _measure_only(
    table: Table, header_rows: list[int], value_rows: list[int], skip: list[int]
) -> str | None:
    """The unit of a table's lone figure column headed by a measure word (``金额（元）``);
    ``None`` when the table has several figure columns or the header names an indicator."""
    figure_cols = {c.col for r in value_rows for c in _row_cells(table, r, skip)}
    if len(figure_cols) != 1:
        return None
    path = _header_path(table, header_rows, figure_cols.pop())
    if len(path) != 1 or _path_period(path):
        return None
    printed = clean(path[0].text)
    bare = _TRAILING_BRACKET.sub("", printed)
    if not _MEASURE_HEADER.fullmatch(fold(bare)):
        return None
    stated = label_unit(printed)
    return stated[0] if stated else ""


def _row_label_records(
    table: Table,
    value_rows: list[int],
    header_rows: list[int],
    label_cols: list[int],
    ordinal_cols: list[int],
) -> list[Row]:
    measure_unit = _measure_only(table, header_rows, value_rows, [*ordinal_cols, *label_cols])
    unit_col = next(
        (
            c
            for c in label_cols
            if any(_UNIT_HEADER.match(fold(p.text)) for p in _header_path(table, header_rows, c))
        ),
        None,
    )
    name_cols = [c for c in label_cols if c != unit_col]
    table_period = _table_period(table, header_rows)
    records: list[Row] = []
    for r in value_rows:
        row_label = _row_label(_distinct(table.cell_at(r, c) for c in name_cols))
        unit_cell = table.cell_at(r, unit_col) if unit_col is not None else None
        unit = clean(unit_cell.text) or None if unit_cell else None
        for cell in _row_cells(table, r, [*ordinal_cols, *label_cols]):
            if measure_unit is not None:
                indicator, period = row_label, table_period
                unit = unit or measure_unit or None
            else:
                path = _header_path(table, _block_above(header_rows, r), cell.col)
                indicator, period = _row_label_key(row_label, path, table_period)
            records.append(_record(table, indicator, period, cell, unit))
    return records


def _row_label_key(row_label: str, path: list[Cell], table_period: str) -> tuple[str, str]:
    """Indicator and period of a figure in the row-label layout.

    Period headers (``2019 年``) give the period and the row label the indicator; periods down
    the side swap the roles; headers that are no periods (``董事数量（人）``) extend the
    indicator, and the period is then the table's (title or headers), possibly unknown ("").
    """
    path_period = _path_period(path)
    if is_period_label(row_label) and path_period is None:
        return _label_text(path), find_period(row_label) or row_label
    if path_period is not None:
        return row_label, path_period
    header = _label_text(path)
    return (f"{row_label}{SEPARATOR}{header}" if header else row_label), table_period


def _path_period(path: list[Cell]) -> str | None:
    for cell in reversed(path):
        if found := find_period(cell.text):
            return found
    return None


def _row_cells(table: Table, row: int, skip_cols: list[int]) -> list[Cell]:
    """Distinct non-empty cells starting in ``row`` outside ``skip_cols``, left to right."""
    return [c for c in _anchored(table, row) if c.col not in skip_cols]


def _distinct(cells: Iterable[Cell | None]) -> list[Cell]:
    out: list[Cell] = []
    for cell in cells:
        if cell is not None and all(cell is not o for o in out):
            out.append(cell)
    return out


def _figure_block_records(table: Table, value_rows: list[int], header_rows: list[int]) -> list[Row]:
    table_period = _table_period(table, header_rows)
    records: list[Row] = []
    for r in value_rows:
        block = _block_above(header_rows, r)
        row_records: list[Row] = []
        for cell in _row_cells(table, r, []):
            path = _header_path(table, block, cell.col)
            if not path:
                continue
            period = _path_period(path) or table_period
            row_records.append(_record(table, _label_text(path), period, cell, None))
        records += _qualify_repeats(row_records)
    return records


def _qualify_repeats(records: list[Row]) -> list[Row]:
    """Indicators repeated in one row (two ``同比增长``) take the figure to their left as prefix."""
    counts = Counter((r["indicator"], r["period"]) for r in records)
    out: list[Row] = []
    left: str | None = None
    for rec in records:
        if counts[(rec["indicator"], rec["period"])] > 1 and left:
            rec = {**rec, "indicator": f"{left}{SEPARATOR}{rec['indicator']}"}
        else:
            left = rec["indicator"]
        out.append(rec)
    return out


def _unique(records: list[Row]) -> list[Row]:
    """Keys must be unique: a still-repeated (indicator, period) gets a ``#n`` suffix."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for rec in records:
        key = (rec["table_id"], rec["indicator"], rec["period"])
        seen[key] += 1
        if seen[key] > 1:
            rec = {**rec, "indicator": f"{rec['indicator']} #{seen[key]}"}
        out.append(rec)
    return out


def table_records(table: Table) -> list[Row]:
    """Long-form records of one KPI table (either layout)."""
    value_rows = [r for r in range(table.n_rows) if is_value_row(table, r)]
    header_rows = [r for r in range(table.n_rows) if r not in value_rows]
    if not value_rows:
        return []
    ordinal_cols = _ordinal_columns(table, value_rows, header_rows)
    label_cols = _label_columns(table, value_rows, ordinal_cols)
    if label_cols:
        return _row_label_records(table, value_rows, header_rows, label_cols, ordinal_cols)
    return _figure_block_records(table, value_rows, header_rows)


def normalise_metrics(tables: list[Table]) -> pd.DataFrame:
    """``metrics`` rows of every KPI table."""
    rows: list[Row] = []
    for table in tables:
        rows += _unique(table_records(table))
    return frame(DATASET, rows)
