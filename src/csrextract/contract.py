"""The data contract: dataset names, column types and natural keys — the analysts' API.

Every other module takes column names and types from here, so a change to the contract is one
edit. Types are Arrow types because the datasets are written as Delta Lake (Parquet) tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from csrextract.names import NORMALISED_DATASETS as NORMALISED_DATASETS  # re-exported

BBOX_TYPE = pa.list_(pa.float64())

IDENTITY_FIELDS: tuple[pa.Field, ...] = (
    pa.field("report_id", pa.string(), nullable=False),
    pa.field("company", pa.string(), nullable=False),
    pa.field("report_year", pa.int32(), nullable=False),
    pa.field("source_sha256", pa.string(), nullable=False),
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("pipeline_version", pa.string(), nullable=False),
)
"""Carried by every dataset."""

PROVENANCE_FIELDS: tuple[pa.Field, ...] = (
    pa.field("page", pa.int32(), nullable=False),
    pa.field("bbox", BBOX_TYPE, nullable=False),
    pa.field("method", pa.string(), nullable=False),  # "text" | "ocr"
    pa.field("confidence", pa.float64(), nullable=False),
)
"""Carried by every row that comes from a place on a page."""

TABLE_ROW_DATASETS = ("sdg_responses", "stakeholder_matrix", "certifications", "gri_index")
"""Named datasets whose rows each come from one recovered table: they carry ``table_id`` (the
``tables`` / ``table_cells`` row it came from), placed right after the identity columns
(``metrics`` declares its own ``table_id``, part of its key)."""

TABLE_ID_FIELD = pa.field("table_id", pa.string(), nullable=False)

KEY_SENTINEL = ""
"""What a natural-key text column holds when the report prints nothing there (a GRI line with
no section): the empty string, never null, so keys compare, join and group like any value."""


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset: its own columns, whether rows carry page provenance, and its natural key."""

    name: str
    fields: tuple[pa.Field, ...]
    key: tuple[str, ...]
    provenance: bool = True

    @property
    def schema(self) -> pa.Schema:
        extra = PROVENANCE_FIELDS if self.provenance else ()
        own = list(self.fields)
        if self.name in TABLE_ROW_DATASETS and "table_id" not in {f.name for f in own}:
            own.insert(0, TABLE_ID_FIELD)
        # natural-key columns are never null (text keys hold KEY_SENTINEL when empty)
        own = [f.with_nullable(False) if f.name in self.key else f for f in own]
        return pa.schema([*IDENTITY_FIELDS, *own, *extra])

    @property
    def columns(self) -> list[str]:
        return list(self.schema.names)

    @property
    def content_columns(self) -> list[str]:
        """The dataset's own columns (no identity, no provenance): what golden data compares."""
        return [f.name for f in self.fields]


def _f(name: str, typ: pa.DataType, nullable: bool = False) -> pa.Field:
    return pa.field(name, typ, nullable=nullable)


DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            "sdg_responses",
            (
                _f("sdg", pa.int8()),
                _f("sdg_label", pa.string()),
                _f("sdg_name_en", pa.string()),
                _f("response_no", pa.int32()),
                _f("response", pa.string()),
            ),
            key=("report_id", "sdg", "response_no"),
        ),
        DatasetSpec(
            "stakeholder_matrix",
            (
                _f("stakeholder", pa.string()),
                _f("stakeholder_group", pa.string()),
                _f("aspect", pa.string()),
                _f("item_no", pa.int32()),
                _f("item", pa.string()),
            ),
            key=("report_id", "stakeholder", "aspect", "item_no"),
        ),
        DatasetSpec(
            "certifications",
            (
                _f("standard", pa.string()),
                _f("standard_number", pa.string()),
                _f("title", pa.string()),
                _f("title_en", pa.string(), nullable=True),
            ),
            key=("report_id", "standard"),
        ),
        DatasetSpec(
            "gri_index",
            (
                _f("chapter", pa.string()),
                _f("section", pa.string(), nullable=True),
                _f("disclosure", pa.string(), nullable=True),
                _f("gri_standard", pa.string(), nullable=True),
                _f("disclosure_title_en", pa.string(), nullable=True),
                _f("page_ref", pa.int32(), nullable=True),
                _f("page_refs", pa.list_(pa.int32())),
                _f("location", pa.string(), nullable=True),
                _f("sdgs", pa.list_(pa.int8())),
                _f("hkex_refs", pa.list_(pa.string())),
                _f("group", pa.string(), nullable=True),
            ),
            key=("report_id", "group", "chapter", "section", "disclosure"),
        ),
        DatasetSpec(
            "metrics",
            (
                _f("table_id", pa.string()),
                _f("indicator", pa.string()),
                _f("period", pa.string()),
                _f("year", pa.int16(), nullable=True),  # the period's year; null when none
                _f("value", pa.float64(), nullable=True),
                _f("unit", pa.string(), nullable=True),
                _f("qualifier", pa.string(), nullable=True),
                _f("raw", pa.string()),
            ),
            key=("report_id", "table_id", "indicator", "period"),
        ),
        DatasetSpec(
            "tables",
            (
                _f("table_id", pa.string()),
                _f("kind", pa.string()),
                _f("title", pa.string()),
                _f("pages", pa.list_(pa.int32())),
                _f("n_rows", pa.int32()),
                _f("n_cols", pa.int32()),
                _f("method", pa.string()),
                _f("style", pa.string()),
                _f("confidence", pa.float64()),
            ),
            key=("report_id", "table_id"),
            provenance=False,
        ),
        DatasetSpec(
            "table_cells",
            (
                _f("table_id", pa.string()),
                _f("row", pa.int32()),
                _f("col", pa.int32()),
                _f("row_span", pa.int32()),
                _f("col_span", pa.int32()),
                _f("is_header", pa.bool_()),
                _f("text", pa.string()),
            ),
            key=("report_id", "table_id", "row", "col"),
        ),
        DatasetSpec(
            "pages",
            (
                _f("text", pa.string()),
                _f("n_chars", pa.int32()),
                _f("mean_confidence", pa.float64()),
                _f("width", pa.float64()),
                _f("height", pa.float64()),
            ),
            key=("report_id", "page"),
        ),
        DatasetSpec(
            "reports",
            (
                _f("title", pa.string()),
                _f("source_path", pa.string()),
                _f("n_pages", pa.int32()),
                _f("n_pages_ocr", pa.int32()),
                _f("n_tables", pa.int32()),
                _f("status", pa.string()),  # success | partial_success
                _f("errors", pa.list_(pa.string())),
                _f("seconds_total", pa.float64()),
                _f("stage_seconds", pa.string()),  # JSON object: stage name -> seconds
                _f("extracted_at", pa.timestamp("us", tz="UTC")),
            ),
            key=("report_id",),
            provenance=False,
        ),
    )
}


CORE_ASPECTS = ("expectation", "channel", "response")
"""What stakeholders expect, how the company talks with them, what it does in response."""
ASPECTS = (*CORE_ASPECTS, "responsibility", "frequency")
"""Every aspect a stakeholder matrix column may have: the core three, plus the company's stated
responsibility (我们的责任) and how often it talks with the group (沟通频率)."""
STAKEHOLDER_GROUPS = (
    "users",
    "employees",
    "creators_partners",
    "government",
    "media",
    "community_environment",
    "suppliers",
    "investors",
    "other",
)
QUALIFIERS = ("≈", "<", ">", "≤", "≥", "+", "-")


def spec(name: str) -> DatasetSpec:
    """The spec of dataset ``name``; a clear error names the known datasets."""
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(DATASETS))
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}") from None
