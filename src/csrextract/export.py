"""``csrextract export``: a report's datasets or one recovered table as CSV, XLSX, JSON, Markdown
or HTML — the formats spreadsheets, notebooks and wikis read.

    csrextract export REPORT_ID --format csv|xlsx|json|md|html [--table ID | --dataset NAME]
                      [--output DIR] [--to PATH]

Datasets are exported with the contract's columns (``csrextract.contract``); list columns
(``bbox``, ``pages``, ``errors``) become JSON text and timestamps ISO 8601 text in CSV and XLSX,
and :func:`read_export` turns such a file back into the typed frame (the round trip is tested).
In CSV and XLSX an empty field is null in a nullable column and the empty string in a column the
contract declares non-null. A table (``--table``) is exported as its grid: header rows as column
labels, merged text repeated in CSV/JSON/Markdown, real merged cells in XLSX and HTML.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from csrextract import contract, render, storage
from csrextract.errors import CsrExtractError
from csrextract.models import Table
from csrextract.names import DATASET_NAMES

EXPORTED_DATASETS = DATASET_NAMES
"""What an export of a whole report holds, analyst datasets first."""

DEFAULT_EXPORTS = Path("exports")


class ExportError(CsrExtractError):
    """Nothing to export (unknown report, table or dataset); the message says what exists."""


# --- values in flat files -------------------------------------------------------------------------


def _flat_value(value: Any) -> Any:
    if isinstance(value, list | tuple) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else list(value)
        return json.dumps(items, ensure_ascii=False)
    return value


def flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists as JSON text and timestamps as ISO 8601 text: what a CSV cell or a sheet holds."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = [None if pd.isna(v) else v.isoformat() for v in out[column]]
        elif out[column].dtype == object:
            out[column] = [_flat_value(v) for v in out[column]]
    return out


def _restore_column(series: pd.Series, field: pa.Field) -> pd.Series:
    typ = field.type
    if pa.types.is_list(typ):
        return pd.Series(
            [None if _missing(v) else json.loads(str(v)) for v in series], dtype=object
        )
    if pa.types.is_timestamp(typ):
        return pd.to_datetime(series, utc=True, format="ISO8601").astype("datetime64[us, UTC]")
    if pa.types.is_integer(typ):
        dtype: Any = f"Int{typ.bit_width}"
        return pd.to_numeric(series).astype(dtype)
    if pa.types.is_floating(typ):
        return pd.to_numeric(series).astype("float64")
    if pa.types.is_boolean(typ):
        return series.map(_as_bool).astype("boolean" if field.nullable else "bool")
    text = series.astype(object).where(series.notna(), None)
    if not field.nullable:
        text = text.map(lambda v: "" if v is None else str(v))
    return text.astype(pd.StringDtype(na_value=math.nan))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _as_bool(value: Any) -> Any:
    if _missing(value):
        return None
    return value if isinstance(value, bool) else str(value).strip().lower() in ("true", "1")


def restore(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """A flat frame (as read from CSV or XLSX) with the contract's types back."""
    spec = contract.spec(dataset)
    out = frame.copy()
    for field in spec.schema:
        if field.name in out.columns:
            out[field.name] = _restore_column(out[field.name], field)
    return out


def read_export(path: Path | str, dataset: str, sheet: str | None = None) -> pd.DataFrame:
    """Read an exported dataset (CSV, or one sheet of an XLSX) back into its typed frame."""
    path = Path(path)
    if path.suffix == ".xlsx":
        raw = pd.read_excel(path, sheet_name=sheet or dataset, dtype=object)
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return restore(raw, dataset)


# --- what to export -------------------------------------------------------------------------------


def report_datasets(
    output: Path | str, report_id: str, names: Sequence[str] = EXPORTED_DATASETS
) -> dict[str, pd.DataFrame]:
    """The latest rows of ``report_id`` in each dataset (datasets never written are left out)."""
    frames: dict[str, pd.DataFrame] = {}
    for name in names:
        try:
            frames[name] = storage.read_dataset(name, output, report_id=report_id)
        except storage.DatasetNotFoundError:
            continue
    reports = frames.get("reports")
    if reports is None or reports.empty:
        known = _known_reports(output)
        raise ExportError(
            f"no report {report_id!r} in {output}; reports there: {', '.join(known) or 'none'}"
        )
    return frames


def _known_reports(output: Path | str) -> list[str]:
    try:
        return sorted(storage.read_dataset("reports", output)["report_id"].astype(str))
    except storage.DatasetNotFoundError:
        return []


def report_tables(frames: Mapping[str, pd.DataFrame]) -> list[Table]:
    """The report's recovered tables rebuilt from its ``tables`` and ``table_cells`` rows."""
    tables, cells = frames.get("tables"), frames.get("table_cells")
    if tables is None or cells is None:
        return []
    return render.stored_tables(tables, cells)


def pick_table(tables: Sequence[Table], table_id: str, report_id: str) -> Table:
    for table in tables:
        if table.table_id == table_id:
            return table
    known = ", ".join(t.table_id for t in tables) or "none"
    raise ExportError(f"no table {table_id!r} in {report_id}; tables: {known}")


# --- writers: datasets ----------------------------------------------------------------------------


def _json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(flat_json(frame))
    return records


def flat_json(frame: pd.DataFrame) -> str:
    """Records with real lists (not JSON text) and ISO timestamps."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = [None if pd.isna(v) else v.isoformat() for v in out[column]]
        elif out[column].dtype == object:
            out[column] = [v.tolist() if hasattr(v, "tolist") else v for v in out[column]]
    return str(out.to_json(orient="records", force_ascii=False))


def _markdown(frame: pd.DataFrame) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, list | tuple) or hasattr(value, "tolist"):
            text = str(_flat_value(value))
        else:
            text = "" if value is pd.NA or _missing(value) else str(value)
        return text.replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(map(str, frame.columns)) + " |"]
    lines.append("|" + "---|" * len(frame.columns))
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join(lines)


def _html_document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}</style>"
        f"</head><body>\n{body}\n</body></html>\n"
    )


def write_datasets(frames: Mapping[str, pd.DataFrame], fmt: str, dest: Path, title: str) -> Path:
    """Write datasets to ``dest``: a folder of CSVs, or one XLSX/JSON/Markdown/HTML file."""
    if fmt == "csv":
        dest.mkdir(parents=True, exist_ok=True)
        for name, frame in frames.items():
            flat(frame).to_csv(dest / f"{name}.csv", index=False)
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        with pd.ExcelWriter(dest, engine="openpyxl") as writer:
            for name, frame in frames.items():
                flat(frame).to_excel(writer, sheet_name=name[:31], index=False)
    elif fmt == "json":
        payload = {name: _json_records(frame) for name, frame in frames.items()}
        dest.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "md":
        parts = [f"# {title}"]
        parts += [f"\n## {name} ({len(f)} rows)\n\n{_markdown(f)}" for name, f in frames.items()]
        dest.write_text("\n".join(parts) + "\n", encoding="utf-8")
    else:
        body = [f"<h1>{html.escape(title)}</h1>"]
        for name, frame in frames.items():
            body.append(f"<h2>{html.escape(name)} ({len(frame)} rows)</h2>")
            body.append(flat(frame).to_html(index=False, na_rep="", border=0))
        dest.write_text(_html_document(title, "\n".join(body)), encoding="utf-8")
    return dest


# --- writers: one table ---------------------------------------------------------------------------


def _xlsx_table(table: Table, dest: Path) -> None:
    """The grid on one sheet with merged cells merged (openpyxl), header rows bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.table_id
    for cell in table.cells:
        target = sheet.cell(row=cell.row + 1, column=cell.col + 1, value=cell.text)
        target.alignment = Alignment(wrap_text=True, vertical="top")
        if cell.is_header:
            target.font = Font(bold=True)
        if cell.row_span > 1 or cell.col_span > 1:
            sheet.merge_cells(
                start_row=cell.row + 1,
                start_column=cell.col + 1,
                end_row=cell.row + cell.row_span,
                end_column=cell.col + cell.col_span,
            )
    book.save(dest)


def _table_json(table: Table) -> dict[str, Any]:
    return {
        "table_id": table.table_id,
        "title": table.title,
        "kind": str(table.kind),
        "style": str(table.style),
        "pages": table.pages,
        "n_rows": table.n_rows,
        "n_cols": table.n_cols,
        "header_rows": render.header_rows(table),
        "grid": render.text_grid(table),
        "cells": [
            {
                "row": c.row,
                "col": c.col,
                "row_span": c.row_span,
                "col_span": c.col_span,
                "is_header": c.is_header,
                "text": c.text,
                "page": c.page,
                "bbox": list(c.bbox),
                "method": c.method.value,
                "confidence": c.confidence,
            }
            for c in sorted(table.cells, key=lambda c: (c.row, c.col))
        ],
    }


def write_table(table: Table, fmt: str, dest: Path) -> Path:
    """Write one recovered table to the file ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        table.to_pandas().to_csv(dest, index=False)
    elif fmt == "xlsx":
        _xlsx_table(table, dest)
    elif fmt == "json":
        dest.write_text(json.dumps(_table_json(table), ensure_ascii=False, indent=1), "utf-8")
    elif fmt == "md":
        heading = f"# {table.table_id} {table.title}".rstrip()
        dest.write_text(f"{heading}\n\n{render.to_markdown(table)}\n", encoding="utf-8")
    else:
        dest.write_text(_html_document(table.title or table.table_id, table.to_html()), "utf-8")
    return dest


# --- the command ----------------------------------------------------------------------------------


def default_destination(args: argparse.Namespace) -> Path:
    """``exports/<report>[-<table or dataset>].<ext>`` (a folder for a whole report as CSV)."""
    name = args.report_id + (f"-{args.table}" if args.table else "")
    name += f"-{args.dataset}" if args.dataset else ""
    whole_csv = args.format == "csv" and not args.table and not args.dataset
    return DEFAULT_EXPORTS / (name if whole_csv else f"{name}.{args.format}")


def export(args: argparse.Namespace) -> Path:
    """Export what ``args`` asks for; returns the file or folder written."""
    dest = Path(args.to) if args.to else default_destination(args)
    names = (args.dataset,) if args.dataset else EXPORTED_DATASETS
    frames = report_datasets(args.output, args.report_id, ("reports", "tables", *names))
    if args.table:
        table = pick_table(report_tables(frames), args.table, args.report_id)
        return write_table(table, args.format, dest)
    chosen = {name: frames[name] for name in names if name in frames}
    if args.dataset and args.dataset not in chosen:
        raise ExportError(f"dataset {args.dataset!r} was never written to {args.output}")
    if args.dataset and args.format == "csv":
        dest.parent.mkdir(parents=True, exist_ok=True)
        flat(chosen[args.dataset]).to_csv(dest, index=False)
        return dest
    return write_datasets(chosen, args.format, dest, args.report_id)


def run_command(args: argparse.Namespace) -> int:
    """The ``export`` subcommand (arguments in ``csrextract.commands``)."""
    try:
        written = export(args)
    except (CsrExtractError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"error: {message}", file=sys.stderr)
        return 1
    print(f"wrote {written}")
    return 0
