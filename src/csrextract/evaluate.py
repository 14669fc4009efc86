"""Compare extracted datasets with golden CSVs: row precision/recall/F1 and per-table TEDS.

Rows are compared as multisets over the golden CSV's columns, after normalising every value
(text: NFKC, whitespace removed; numbers as numbers; nulls equal nulls), so the score says how
many of the analyst-visible records are right, not whether the bytes are. Tables are matched to
golden tables by content (best TEDS, one-to-one), never by ``table_id``: one spurious extra table
must cost one unmatched table, not shift every later id. Extracted ``table_id`` values in
``metrics``, ``tables`` and ``table_cells`` are translated to the ids of their matched golden
tables before rows are compared, for the same reason.
"""

from __future__ import annotations

import argparse
import logging
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from csrextract.contract import DATASETS
from csrextract.datasets import known_kind
from csrextract.models import Cell, Table, TableStyle
from csrextract.teds import TableLike, levenshtein, normalise_text, table_cells, teds

log = logging.getLogger(__name__)

__all__ = [
    "DatasetScore",
    "EvaluationReport",
    "TableScore",
    "cer",
    "evaluate",
    "format_report",
    "match_tables",
    "normalise_text",
    "row_scores",
    "run_command",
    "tables_from_frames",
    "teds",
]

TABLE_ID_DATASETS = ("metrics", "tables", "table_cells")
"""Datasets whose ``table_id`` is translated to the matched golden id before comparing rows."""

_NULL = ("<null>",)
_EXAMPLES = 5


# ---------------------------------------------------------------------------------------------
# Result types


@dataclass(slots=True)
class DatasetScore:
    """Row-level agreement of one dataset with its golden CSV."""

    name: str
    golden_rows: int
    extracted_rows: int
    matched_rows: int
    missing: list[tuple[Hashable, ...]] = field(default_factory=list)  # a few golden rows not found
    spurious: list[tuple[Hashable, ...]] = field(default_factory=list)  # a few rows not in golden
    note: str = ""

    @property
    def precision(self) -> float:
        return self.matched_rows / self.extracted_rows if self.extracted_rows else 0.0

    @property
    def recall(self) -> float:
        return self.matched_rows / self.golden_rows if self.golden_rows else 1.0

    @property
    def f1(self) -> float:
        if self.golden_rows == 0 and self.extracted_rows == 0:
            return 1.0
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(slots=True)
class TableScore:
    """One golden table, the extracted table matched to it (if any) and their TEDS."""

    golden_id: str
    title: str
    kind: str
    golden_shape: tuple[int, int]
    extracted_id: str | None
    extracted_shape: tuple[int, int] | None
    teds: float


@dataclass(slots=True)
class EvaluationReport:
    """Everything ``evaluate`` measured; ``format_report`` prints it."""

    datasets: dict[str, DatasetScore] = field(default_factory=dict)
    tables: list[TableScore] = field(default_factory=list)
    unmatched_extracted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def mean_teds(self) -> float:
        return sum(t.teds for t in self.tables) / len(self.tables) if self.tables else 0.0

    def tables_at_least(self, threshold: float) -> int:
        return sum(1 for t in self.tables if t.teds >= threshold)


# ---------------------------------------------------------------------------------------------
# Value normalisation


def _is_null(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _column_kind(dataset: str, column: str) -> str:
    """'number', 'bool', 'list' or 'text', from the data contract (text when unknown)."""
    spec = DATASETS.get(dataset)
    if spec is None or column not in spec.schema.names:
        return "text"
    typ = spec.schema.field(column).type
    if pa.types.is_integer(typ) or pa.types.is_floating(typ):
        return "number"
    if pa.types.is_boolean(typ):
        return "bool"
    if pa.types.is_list(typ):
        return "text_list" if pa.types.is_string(typ.value_type) else "list"
    return "text"


def _as_number(value: object) -> Hashable:
    try:
        number = float(normalise_text(value).replace(",", ""))
    except ValueError:
        return normalise_text(value)
    return float(f"{number:.12g}")


def _as_bool(value: object) -> Hashable:
    text = normalise_text(value).lower()
    if text in ("true", "1", "yes", "t"):
        return True
    if text in ("false", "0", "no", "f"):
        return False
    return text


def _int_list(value: object) -> tuple[int, ...]:
    """A list column (e.g. ``pages``) from Arrow/NumPy or from its CSV spelling ``[12, 13]``."""
    if isinstance(value, str):
        return tuple(int(n) for n in re.findall(r"-?\d+", value))
    try:
        return tuple(int(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return tuple(int(n) for n in re.findall(r"-?\d+", str(value)))


def _text_list(value: object) -> tuple[str, ...]:
    """A list of strings (e.g. ``hkex_refs``) from Arrow/NumPy or its CSV spelling ``['A1.1']``."""
    if isinstance(value, str):
        quoted = re.findall(r"'([^']*)'|\"([^\"]*)\"", value)
        items = [a or b for a, b in quoted] if quoted else re.split(r"[,;]", value.strip("[]"))
    else:
        items = [str(v) for v in value]  # type: ignore[attr-defined]
    return tuple(normalise_text(i) for i in items if normalise_text(i))


def normalise_value(value: object, kind: str) -> Hashable:
    """The comparison form of one value; every null (None, NaN, empty text) is one token."""
    if kind not in ("list", "text_list") and _is_null(value):
        return _NULL
    if kind in ("list", "text_list"):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return _NULL
        return _int_list(value) if kind == "list" else _text_list(value)
    if normalise_text(value) == "":
        return _NULL
    if kind == "number":
        return _as_number(value)
    if kind == "bool":
        return _as_bool(value)
    return normalise_text(value)


def _row_keys(
    frame: pd.DataFrame, dataset: str, columns: Sequence[str]
) -> list[tuple[Hashable, ...]]:
    kinds = [_column_kind(dataset, column) for column in columns]
    values = [
        frame[column].tolist() if column in frame.columns else [None] * len(frame)
        for column in columns
    ]
    return (
        [
            tuple(normalise_value(v, kind) for v, kind in zip(row, kinds, strict=True))
            for row in zip(*values, strict=True)
        ]
        if columns
        else [() for _ in range(len(frame))]
    )


def row_scores(name: str, golden: pd.DataFrame, extracted: pd.DataFrame | None) -> DatasetScore:
    """Multiset row matching over the golden frame's columns."""
    columns = list(golden.columns)
    golden_keys = Counter(_row_keys(golden, name, columns))
    if extracted is None:
        extracted = pd.DataFrame(columns=columns)
    extracted_keys = Counter(_row_keys(extracted, name, columns))
    matched = sum((golden_keys & extracted_keys).values())
    missing = list((golden_keys - extracted_keys).elements())[:_EXAMPLES]
    spurious = list((extracted_keys - golden_keys).elements())[:_EXAMPLES]
    absent = [c for c in columns if c not in extracted.columns]
    note = f"extracted data lacks columns {absent}" if absent and len(extracted) else ""
    return DatasetScore(
        name,
        sum(golden_keys.values()),
        sum(extracted_keys.values()),
        matched,
        missing,
        spurious,
        note,
    )


# ---------------------------------------------------------------------------------------------
# Tables


def _int(value: object, default: int = 0) -> int:
    if _is_null(value) or normalise_text(value) == "":
        return default
    return int(float(normalise_text(value)))


def _cells_of(frame: pd.DataFrame) -> list[Cell]:
    return [
        Cell(
            row=_int(rec.get("row")),
            col=_int(rec.get("col")),
            text="" if _is_null(rec.get("text")) else str(rec.get("text")),
            row_span=max(_int(rec.get("row_span"), 1), 1),
            col_span=max(_int(rec.get("col_span"), 1), 1),
            is_header=_as_bool(rec.get("is_header")) is True,
        )
        for rec in frame.to_dict("records")
    ]


def tables_from_frames(tables: pd.DataFrame | None, cells: pd.DataFrame) -> list[Table]:
    """Rebuild ``Table`` objects from a ``tables`` frame and a ``table_cells`` frame.

    Works for the golden CSVs and for the stored datasets alike. The grid size is the larger of
    the declared size and the extent of the cells, so a wrong ``n_rows`` cannot hide cells.
    """
    meta: dict[str, dict[str, Any]] = {}
    if tables is not None:
        for record in tables.to_dict("records"):
            meta[str(record["table_id"])] = {str(k): v for k, v in record.items()}
    table_ids = list(dict.fromkeys([*meta, *(str(t) for t in cells["table_id"].unique())]))
    result = []
    for table_id in table_ids:
        rec = meta.get(table_id, {})
        grid = _cells_of(cells[cells["table_id"].astype(str) == table_id])
        n_rows = max([_int(rec.get("n_rows")), *(c.row + c.row_span for c in grid)])
        n_cols = max([_int(rec.get("n_cols")), *(c.col + c.col_span for c in grid)])
        result.append(
            Table(
                table_id=table_id,
                cells=grid,
                n_rows=n_rows,
                n_cols=n_cols,
                pages=list(_int_list(rec.get("pages", ""))),
                bbox=(0.0, 0.0, 0.0, 0.0),
                style=normalise_text(rec.get("style")).lower() or TableStyle.RULED,
                kind=known_kind(normalise_text(rec.get("kind")).lower()),
                title="" if _is_null(rec.get("title")) else str(rec.get("title")),
            )
        )
    return result


def _char_bag(table: TableLike) -> Counter[str]:
    cells, _, _ = table_cells(table)
    return Counter("".join(normalise_text(cell.text) for cell in cells))


def _bag_similarity(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def match_tables(
    golden: Sequence[Table],
    extracted: Sequence[TableLike],
    *,
    use_header: bool = True,
    candidates: int = 3,
) -> tuple[list[tuple[int, int | None, float]], list[int]]:
    """One-to-one matching of extracted tables to golden tables by best TEDS (greedy).

    TEDS is computed only for each golden table's ``candidates`` most similar extracted tables
    by character content (a cheap bag-of-characters Dice score), because a peer extractor can
    find hundreds of "tables" on text pages. Returns ``(golden index, extracted index or None,
    TEDS)`` per golden table and the indices of extracted tables left unmatched.
    """
    bags = [_char_bag(t) for t in extracted]
    pairs: list[tuple[float, int, int]] = []
    for gi, gold in enumerate(golden):
        gold_bag = _char_bag(gold)
        ranked = sorted(
            range(len(extracted)), key=lambda ei: _bag_similarity(gold_bag, bags[ei]), reverse=True
        )
        for ei in ranked[:candidates]:
            if _bag_similarity(gold_bag, bags[ei]) > 0:
                pairs.append((teds(gold, extracted[ei], use_header=use_header), gi, ei))
    pairs.sort(key=lambda p: -p[0])
    best: dict[int, tuple[int | None, float]] = {}
    used: set[int] = set()
    for score, gi, ei in pairs:
        if gi not in best and ei not in used and score > 0:
            best[gi] = (ei, score)
            used.add(ei)
    matches: list[tuple[int, int | None, float]] = []
    for gi in range(len(golden)):
        found, found_score = best.get(gi, (None, 0.0))
        matches.append((gi, found, found_score))
    unmatched = [ei for ei in range(len(extracted)) if ei not in used]
    return matches, unmatched


# ---------------------------------------------------------------------------------------------
# Evaluation


def _read_golden_csv(path: Path) -> pd.DataFrame:
    """A golden CSV as text; only an empty field is null (``NA``, ``-`` and ``/`` are data)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def _score_tables(
    golden_dir: Path, datasets: dict[str, pd.DataFrame], report: EvaluationReport
) -> dict[str, str]:
    """Fill ``report.tables``; return the extracted-id → golden-id translation."""
    cells_path = golden_dir / "table_cells.csv"
    if not cells_path.exists():
        report.notes.append("no golden table_cells.csv: TEDS not computed")
        return {}
    tables_path = golden_dir / "tables.csv"
    golden_tables = tables_from_frames(
        _read_golden_csv(tables_path) if tables_path.exists() else None,
        _read_golden_csv(cells_path),
    )
    extracted_cells = datasets.get("table_cells")
    extracted: list[Table] = []
    if extracted_cells is None or extracted_cells.empty:
        report.notes.append("no extracted table_cells: every golden table is unmatched")
    else:
        extracted = tables_from_frames(datasets.get("tables"), extracted_cells)
    matches, unmatched = match_tables(golden_tables, extracted)
    translation: dict[str, str] = {}
    for gi, ei, score in matches:
        gold = golden_tables[gi]
        found = extracted[ei] if ei is not None else None
        if found is not None:
            translation[found.table_id] = gold.table_id
        report.tables.append(
            TableScore(
                golden_id=gold.table_id,
                title=gold.title,
                kind=str(gold.kind),
                golden_shape=(gold.n_rows, gold.n_cols),
                extracted_id=found.table_id if found else None,
                extracted_shape=(found.n_rows, found.n_cols) if found else None,
                teds=score,
            )
        )
    report.unmatched_extracted = [extracted[ei].table_id for ei in unmatched]
    for ei in unmatched:  # keep unmatched ids distinct from every golden id
        translation[extracted[ei].table_id] = f"unmatched:{extracted[ei].table_id}"
    return translation


def _translate_table_ids(frame: pd.DataFrame, translation: dict[str, str]) -> pd.DataFrame:
    if "table_id" not in frame.columns or not translation:
        return frame
    out = frame.copy()
    out["table_id"] = [translation.get(str(t), str(t)) for t in out["table_id"]]
    return out


def evaluate(golden_dir: Path, datasets: dict[str, pd.DataFrame]) -> EvaluationReport:
    """Score ``datasets`` (dataset name → frame) against every golden CSV in ``golden_dir``."""
    golden_dir = Path(golden_dir)
    report = EvaluationReport()
    translation = _score_tables(golden_dir, datasets, report)
    for path in sorted(golden_dir.glob("*.csv")):
        name = path.stem
        if name not in DATASETS:
            report.notes.append(f"{path.name}: not a contract dataset, skipped")
            continue
        extracted = datasets.get(name)
        if extracted is not None and name in TABLE_ID_DATASETS:
            extracted = _translate_table_ids(extracted, translation)
        score = row_scores(name, _read_golden_csv(path), extracted)
        if extracted is None:
            score.note = "dataset not extracted"
        report.datasets[name] = score
    return report


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of ``hypothesis`` on normalised text (edits / reference length).

    Whitespace is removed first (NFKC too), so OCR line breaks and spacing do not count; an empty
    reference gives 0.0 for an empty hypothesis and 1.0 otherwise.
    """
    ref, hyp = normalise_text(reference), normalise_text(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return levenshtein(ref, hyp) / len(ref)


# ---------------------------------------------------------------------------------------------
# Presentation and CLI


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table (readable as plain text in a terminal too)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _shape(shape: tuple[int, int] | None) -> str:
    return f"{shape[0]}x{shape[1]}" if shape else "-"


def format_report(report: EvaluationReport, *, examples: bool = False) -> str:
    """Readable tables of the figures; ``examples`` adds a few missing/spurious rows."""
    parts = ["Datasets (row multiset matching on normalised text)"]
    parts.append(
        markdown_table(
            ["dataset", "golden", "extracted", "matched", "precision", "recall", "F1", "note"],
            [
                (
                    s.name,
                    s.golden_rows,
                    s.extracted_rows,
                    s.matched_rows,
                    f"{s.precision:.3f}",
                    f"{s.recall:.3f}",
                    f"{s.f1:.3f}",
                    s.note,
                )
                for s in report.datasets.values()
            ],
        )
    )
    if report.tables:
        parts.append("\nTables (TEDS against golden, matched by content)")
        parts.append(
            markdown_table(
                ["golden", "kind", "title", "shape", "matched", "shape", "TEDS"],
                [
                    (
                        t.golden_id,
                        t.kind,
                        t.title[:30],
                        _shape(t.golden_shape),
                        t.extracted_id or "-",
                        _shape(t.extracted_shape),
                        f"{t.teds:.4f}",
                    )
                    for t in report.tables
                ],
            )
        )
        parts.append(
            f"mean TEDS {report.mean_teds:.4f}; TEDS >= 0.98: "
            f"{report.tables_at_least(0.98)}/{len(report.tables)}; "
            f"unmatched extracted tables: {', '.join(report.unmatched_extracted) or 'none'}"
        )
    if examples:
        for score in report.datasets.values():
            for label, rows in (("missing", score.missing), ("spurious", score.spurious)):
                parts += [f"{score.name} {label}: {row}" for row in rows]
    parts += [f"note: {note}" for note in report.notes]
    return "\n".join(parts)


def load_output_datasets(
    golden_dir: Path, output: Path, report_id: str | None = None
) -> dict[str, pd.DataFrame]:
    """The stored datasets that have a golden CSV (plus ``tables``/``table_cells`` for TEDS)."""
    from csrextract.storage import read_dataset  # lazy: storage pulls in deltalake

    names = {p.stem for p in Path(golden_dir).glob("*.csv")} | {"tables", "table_cells"}
    datasets: dict[str, pd.DataFrame] = {}
    for name in sorted(names & set(DATASETS)):
        try:
            frame = read_dataset(name, output=output)
        except Exception as exc:  # a dataset never written is scored as empty, not a crash
            log.warning("cannot read dataset %s from %s: %s", name, output, exc)
            continue
        if report_id is not None and "report_id" in frame.columns:
            frame = frame[frame["report_id"] == report_id]
        datasets[name] = frame
    return datasets


def run_command(args: argparse.Namespace) -> int:
    """The ``evaluate`` subcommand (arguments in ``csrextract.commands``)."""
    datasets = load_output_datasets(args.golden, args.output, args.report)
    print(format_report(evaluate(args.golden, datasets), examples=args.examples))
    return 0
