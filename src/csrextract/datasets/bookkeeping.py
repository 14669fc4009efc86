"""The bookkeeping datasets: what was recovered (``tables``, ``table_cells``), every page's text
(``pages``) and one row per ingestion (``reports``). They are built by
:mod:`csrextract.frames` from the stage data, not read from tables, so they declare only their
contract columns and keys.
"""

from __future__ import annotations

from csrextract.datasets._spec import Column, DatasetSpec, Located

SPECS: tuple[DatasetSpec[Located], ...] = (
    DatasetSpec(
        name="tables",
        description="Every recovered table: kind, title, pages, shape, style and confidence.",
        columns=(
            Column("table_id", "string"),
            Column("kind", "string"),
            Column("title", "string"),
            Column("pages", "list<int32>"),
            Column("n_rows", "int32"),
            Column("n_cols", "int32"),
            Column("method", "string"),
            Column("style", "string"),
            Column("confidence", "float64"),
        ),
        key=("report_id", "table_id"),
        order=900,
        provenance=False,
    ),
    DatasetSpec(
        name="table_cells",
        description="Every cell of every recovered table, spans and header flag included.",
        columns=(
            Column("table_id", "string"),
            Column("row", "int32"),
            Column("col", "int32"),
            Column("row_span", "int32"),
            Column("col_span", "int32"),
            Column("is_header", "bool"),
            Column("text", "string"),
        ),
        key=("report_id", "table_id", "row", "col"),
        order=910,
    ),
    DatasetSpec(
        name="pages",
        description="Every page's text, how much of it there is and how sure OCR was of it.",
        columns=(
            Column("text", "string"),
            Column("n_chars", "int32"),
            Column("mean_confidence", "float64"),
            Column("width", "float64"),
            Column("height", "float64"),
        ),
        key=("report_id", "page"),
        order=920,
    ),
    DatasetSpec(
        name="reports",
        description="One row per ingestion: source, pages, tables, status, errors and timings.",
        columns=(
            Column("title", "string"),
            Column("source_path", "string"),
            Column("n_pages", "int32"),
            Column("n_pages_ocr", "int32"),
            Column("n_tables", "int32"),
            Column("status", "string"),  # success | partial_success
            Column("errors", "list<string>"),
            Column("seconds_total", "float64"),
            Column("stage_seconds", "string"),  # JSON object: stage name -> seconds
            Column("extracted_at", "timestamp"),
        ),
        key=("report_id",),
        order=930,
        provenance=False,
    ),
)
