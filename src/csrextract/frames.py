"""Stage 6b — frames: every dataset of the contract as a typed pandas frame, identity filled in.

The normalisers produce the named datasets' typed rows (``csrextract.datasets``: one frozen
dataclass per dataset, content and provenance columns); this module turns them into frames
(:func:`normalised_frame`), adds what every row must carry to be traceable (``report_id``,
``company``, ``report_year``, ``source_sha256``, ``run_id``, ``pipeline_version``) and builds
the bookkeeping datasets (``tables``, ``table_cells``, ``pages``, ``reports``) from the typed
stage data. Column order and dtypes come from ``contract.DATASETS`` so the frames pass
``validate.validate_datasets`` and convert to the contract's Arrow schema without surprises.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pyarrow as pa

import csrextract
from csrextract import contract
from csrextract.datasets import PROVENANCE_COLUMNS, Located, RowT
from csrextract.models import Cell, Document, Method, PageContent, Table


def pipeline_version() -> str:
    """The version every row records: the installed package version."""
    return csrextract.__version__


def identity(document: Document, run_id: str) -> dict[str, Any]:
    """The identity columns shared by every row of one ingestion."""
    return {
        "report_id": document.report_id,
        "company": document.company,
        "report_year": document.report_year,
        "source_sha256": document.sha256,
        "run_id": run_id,
        "pipeline_version": pipeline_version(),
    }


def typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly the contract's columns, in order, cast to their pandas dtypes.

    A column the producer did not supply comes out null, so validation names it instead of a
    KeyError somewhere later.
    """
    spec = contract.spec(name)
    out = frame.reindex(columns=spec.columns).reset_index(drop=True)
    for field in spec.schema:
        dtype = contract.PANDAS_DTYPES.get(field.type)
        if dtype is not None:
            out[field.name] = out[field.name].astype(dtype)
        elif pa.types.is_timestamp(field.type):
            out[field.name] = pd.to_datetime(out[field.name], utc=True)
        elif pa.types.is_list(field.type):
            out[field.name] = out[field.name].astype(object)
        elif pa.types.is_string(field.type):
            out[field.name] = out[field.name].astype(object).where(out[field.name].notna(), None)
            if field.name in spec.key:  # keys are never null (contract.KEY_SENTINEL)
                out[field.name] = out[field.name].map(
                    lambda v: contract.KEY_SENTINEL if v is None else v
                )
    return out


def with_identity(name: str, frame: pd.DataFrame, ident: Mapping[str, Any]) -> pd.DataFrame:
    """A normalised frame (content + provenance columns) with the identity columns added."""
    out = frame.copy()
    for column, value in ident.items():
        out[column] = value
    if "bbox" in out.columns:
        out["bbox"] = [_bbox(b) for b in out["bbox"]]
    return typed(name, out)


def _bbox(value: Any) -> list[float]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return [0.0, 0.0, 0.0, 0.0]
    return [float(v) for v in value]


def _rows(
    name: str, records: Sequence[Mapping[str, Any]], ident: Mapping[str, Any]
) -> pd.DataFrame:
    columns = contract.spec(name).columns
    frame = pd.DataFrame.from_records([{**ident, **r} for r in records], columns=columns)
    return typed(name, frame)


# --- named datasets: typed rows <-> frames -------------------------------------------------------


def _plain(value: Any) -> Any:
    """A frame cell as a plain Python value: null (``pd.NA``, NaN, ``None``) → ``None``, numpy
    scalars and arrays → ``int``/``float``/``list``."""
    if hasattr(value, "tolist"):  # numpy scalar or array
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def rows_of(row_type: type[RowT], frame: pd.DataFrame) -> list[RowT]:
    """A normaliser's frame as typed rows (for normalisers that still build frames)."""
    names = [f.name for f in dataclasses.fields(row_type)]
    rows = []
    for record in frame.to_dict("records"):
        values = {name: _plain(record.get(name)) for name in names}
        values["bbox"] = tuple(float(v) for v in values["bbox"] or (0.0, 0.0, 0.0, 0.0))
        rows.append(row_type(**values))
    return rows


def _record(row: Located | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(row, Mapping):
        return dict(row)
    record = {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    record["bbox"] = [float(v) for v in record["bbox"]]
    return record


def normalised_frame(name: str, rows: Iterable[Located | Mapping[str, Any]]) -> pd.DataFrame:
    """Typed rows of a named dataset as a frame with exactly its content and provenance columns,
    numbers in nullable dtypes of the contract's widths (a null ``page_ref`` must not turn the
    column into floats). Identity columns come later (:func:`with_identity`)."""
    spec = contract.spec(name)
    columns = [*spec.content_columns, *PROVENANCE_COLUMNS]
    out = pd.DataFrame([_record(r) for r in rows], columns=columns)
    fields = [*spec.fields, pa.field("page", pa.int32()), pa.field("confidence", pa.float64())]
    for field in fields:
        dtype = contract.PANDAS_DTYPES.get(field.type)
        if dtype is not None and dtype != "boolean":
            out[field.name] = out[field.name].astype(dtype)
    return out


# --- bookkeeping datasets ------------------------------------------------------------------------


def table_method(table: Table) -> Method:
    """``ocr`` when any cell came from OCR: the table is then only as good as OCR."""
    if any(cell.method is Method.OCR for cell in table.cells):
        return Method.OCR
    return table.method


def table_confidence(table: Table) -> float:
    """The table's own confidence (how well its structure is supported, see
    ``csrextract.tables.report``), lowered by its lowest cell confidence: one misread cell
    makes the whole table doubtful."""
    return min([table.confidence, *(cell.confidence for cell in table.cells)])


def tables_frame(tables: Sequence[Table], ident: Mapping[str, Any]) -> pd.DataFrame:
    records = [
        {
            "table_id": t.table_id,
            "kind": str(t.kind),
            "title": t.title,
            "pages": [int(p) for p in t.pages],
            "n_rows": t.n_rows,
            "n_cols": t.n_cols,
            "method": table_method(t).value,
            "style": str(t.style),
            "confidence": float(table_confidence(t)),
        }
        for t in tables
    ]
    return _rows("tables", records, ident)


def _cell_record(table: Table, cell: Cell) -> dict[str, Any]:
    page = cell.page or (table.pages[0] if table.pages else 1)
    return {
        "table_id": table.table_id,
        "row": cell.row,
        "col": cell.col,
        "row_span": cell.row_span,
        "col_span": cell.col_span,
        "is_header": bool(cell.is_header),
        "text": cell.text,
        "page": page,
        "bbox": _bbox(cell.bbox),
        "method": cell.method.value,
        "confidence": float(cell.confidence),
    }


def table_cells_frame(tables: Sequence[Table], ident: Mapping[str, Any]) -> pd.DataFrame:
    records = [_cell_record(t, c) for t in tables for c in sorted(t.cells, key=_cell_order)]
    return _rows("table_cells", records, ident)


def _cell_order(cell: Cell) -> tuple[int, int]:
    return (cell.row, cell.col)


def pages_frame(pages: Sequence[PageContent], ident: Mapping[str, Any]) -> pd.DataFrame:
    records = []
    for page in pages:
        text = page.text
        confidence = float(page.mean_confidence)
        records.append(
            {
                "text": text,
                "n_chars": sum(1 for ch in text if not ch.isspace()),
                "mean_confidence": confidence,
                "width": float(page.width),
                "height": float(page.height),
                "page": page.number,
                "bbox": [0.0, 0.0, float(page.width), float(page.height)],
                "method": page.method.value,
                "confidence": confidence,
            }
        )
    return _rows("pages", records, ident)


def pages_ocred(pages: Sequence[PageContent]) -> int:
    """Pages whose text (some or all) came from OCR."""
    return sum(1 for page in pages if page.method is Method.OCR)


def reports_frame(
    document: Document,
    pages: Sequence[PageContent],
    tables: Sequence[Table],
    stage_seconds: Mapping[str, float],
    errors: Sequence[str],
    ident: Mapping[str, Any],
) -> pd.DataFrame:
    """The one row that describes this ingestion; ``partial_success`` when anything failed."""
    record = {
        "title": document.title,
        "source_path": str(document.path),
        "n_pages": len(pages),
        "n_pages_ocr": pages_ocred(pages),
        "n_tables": len(tables),
        "status": "partial_success" if errors else "success",
        "errors": [str(e) for e in errors],
        "seconds_total": float(sum(stage_seconds.values())),
        "stage_seconds": json.dumps({k: round(float(v), 3) for k, v in stage_seconds.items()}),
        "extracted_at": datetime.now(UTC),
    }
    return _rows("reports", [record], ident)


def _place(page: Any, bbox: Any) -> tuple[int, tuple[float, ...]]:
    return int(page or 0), tuple(round(float(v), 1) for v in _bbox(bbox))


def table_ids_by_place(tables: Sequence[Table]) -> dict[tuple[int, tuple[float, ...]], str]:
    """(page, bbox) of every cell and of every table → its table id."""
    places: dict[tuple[int, tuple[float, ...]], str] = {}
    for table in tables:
        first_page = table.pages[0] if table.pages else 0
        places.setdefault(_place(first_page, table.bbox), table.table_id)
        for cell in table.cells:
            places.setdefault(_place(cell.page or first_page, cell.bbox), table.table_id)
    return places


def with_table_ids(frame: pd.DataFrame | None, tables: Sequence[Table]) -> pd.DataFrame | None:
    """Rows of a named dataset with the id of the table they came from.

    Normalisers record each row's provenance as the page and box of its first cell (or of the
    table), so that place names the table; a row whose place matches none keeps the sentinel.
    """
    if frame is None or frame.empty or "page" not in frame.columns:
        return frame
    places = table_ids_by_place(tables)
    out = frame.copy()
    out["table_id"] = [
        places.get(_place(page, bbox), contract.KEY_SENTINEL)
        for page, bbox in zip(out["page"], out["bbox"], strict=True)
    ]
    return out


def build_datasets(
    document: Document,
    pages: Sequence[PageContent],
    tables: Sequence[Table],
    normalised: Mapping[str, pd.DataFrame],
    run_id: str,
    stage_seconds: Mapping[str, float],
    errors: Sequence[str],
) -> dict[str, pd.DataFrame]:
    """All datasets of the contract, in contract order, with identity columns and dtypes.

    A normalised dataset the normaliser did not return is written empty (with its columns), so
    a report without, say, an SDG table still replaces that report's old SDG rows.
    """
    ident = identity(document, run_id)
    built = {
        "tables": tables_frame(tables, ident),
        "table_cells": table_cells_frame(tables, ident),
        "pages": pages_frame(pages, ident),
        "reports": reports_frame(document, pages, tables, stage_seconds, errors, ident),
    }
    out: dict[str, pd.DataFrame] = {}
    for name in contract.DATASETS:
        if name in built:
            out[name] = built[name]
        else:
            frame = normalised.get(name)
            if contract.spec(name).table_rows:
                frame = with_table_ids(frame, tables)
            out[name] = with_identity(name, frame if frame is not None else pd.DataFrame(), ident)
    return out
