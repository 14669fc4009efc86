"""The data contract: dataset names, column types and natural keys — the analysts' API.

Each dataset declares its columns and key in its own module of :mod:`csrextract.datasets`;
this module turns the registry into Arrow schemas (the datasets are written as Delta Lake
tables) with the identity and provenance columns every dataset shares. Every other module takes
column names and types from here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from csrextract import datasets
from csrextract.datasets.metrics import QUALIFIERS as QUALIFIERS
from csrextract.datasets.stakeholder_matrix import ASPECTS as ASPECTS
from csrextract.datasets.stakeholder_matrix import CORE_ASPECTS as CORE_ASPECTS
from csrextract.datasets.stakeholder_matrix import STAKEHOLDER_GROUPS as STAKEHOLDER_GROUPS

PANDAS_DTYPES: dict[pa.DataType, Any] = {
    pa.int8(): "Int8",
    pa.int16(): "Int16",
    pa.int32(): "Int32",
    pa.int64(): "Int64",
    pa.float64(): "float64",
    pa.bool_(): "boolean",
}
"""Nullable pandas dtypes for the contract's scalar types (strings and lists stay objects):
frames builds with them and validation coerces to them, so an integer column fails loudly on a
fraction or a stray string instead of being truncated."""

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

KEY_SENTINEL = ""
"""What a natural-key text column holds when the report prints nothing there (a GRI line with
no section): the empty string, never null, so keys compare, join and group like any value."""

TABLE_ID_FIELD = pa.field("table_id", pa.string(), nullable=False)

_SCALAR_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "bool": pa.bool_(),
    "int8": pa.int8(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


def arrow_type(token: str) -> pa.DataType:
    """The Arrow type of a dataset module's column type token (``int32``, ``list<int8>``)."""
    if token.startswith("list<"):
        return pa.list_(_SCALAR_TYPES[token[5:-1]])
    return _SCALAR_TYPES[token]


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset as Arrow sees it: its own columns, whether rows carry page provenance, its
    natural key; built from the registry's declaration (``source``)."""

    name: str
    fields: tuple[pa.Field, ...]
    key: tuple[str, ...]
    provenance: bool = True
    table_rows: bool = False
    allowed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Closed vocabularies: (column, values it may hold)."""

    @property
    def schema(self) -> pa.Schema:
        extra = PROVENANCE_FIELDS if self.provenance else ()
        own = list(self.fields)
        if self.table_rows and "table_id" not in {f.name for f in own}:
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


@functools.cache
def _arrow_spec(declared: datasets.DatasetSpec[Any]) -> DatasetSpec:
    return DatasetSpec(
        declared.name,
        tuple(pa.field(c.name, arrow_type(c.type), nullable=c.nullable) for c in declared.columns),
        declared.key,
        provenance=declared.provenance,
        table_rows=declared.table_rows,
        allowed=tuple((c.name, c.allowed) for c in declared.columns if c.allowed),
    )


class _Contract(Mapping[str, DatasetSpec]):
    """Dataset name → Arrow spec, read live from the registry in contract order (a dataset
    registered later, as a test does, is part of the contract from then on)."""

    def __getitem__(self, name: str) -> DatasetSpec:
        try:
            return _arrow_spec(datasets.get(name))
        except KeyError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter([s.name for s in datasets.all_specs()])

    def __len__(self) -> int:
        return len(datasets.all_specs())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in {s.name for s in datasets.all_specs()}


DATASETS: Mapping[str, DatasetSpec] = _Contract()
"""Every dataset of the contract, in order: the registry (``csrextract.datasets``) as Arrow."""

NORMALISED_DATASETS = tuple(s.name for s in datasets.named())
"""The named datasets of the package's own modules (``datasets.named()`` is the live list)."""

TABLE_ROW_DATASETS = tuple(s.name for s in datasets.all_specs() if s.table_rows)
"""Named datasets whose rows each come from one recovered table: they carry ``table_id`` (the
``tables`` / ``table_cells`` row it came from), placed right after the identity columns
(``metrics`` declares its own ``table_id``, part of its key)."""


def spec(name: str) -> DatasetSpec:
    """The spec of dataset ``name``; a clear error names the known datasets."""
    return _arrow_spec(datasets.get(name))
