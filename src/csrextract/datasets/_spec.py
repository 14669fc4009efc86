"""What a dataset declares: its columns and key (the contract), and for a named dataset the
table kind it reads, the matcher that recognises such a table and the normaliser that turns
those tables into typed rows.

This module (and every dataset module) imports no pandas, pyarrow or PyMuPDF: the command line
lists dataset names from the registry, and ``csrextract --help`` must stay light. Column types
are therefore named by short tokens (``int32``, ``list<int8>``) that :mod:`csrextract.contract`
turns into Arrow types, and normalisers import their heavy helpers when they run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from csrextract.models import BBox, Cell, Table

if TYPE_CHECKING:
    from csrextract.classify import Features

SCALAR_TYPES = ("string", "bool", "int8", "int16", "int32", "int64", "float64", "timestamp")
"""Column type tokens; ``timestamp`` is microseconds in UTC, ``list<T>`` a list of scalar T."""

PROVENANCE_COLUMNS = ("page", "bbox", "method", "confidence")
"""Columns every row read from a page carries (see :class:`Located`)."""


def is_type_token(token: str) -> bool:
    """A scalar token, or ``list<scalar>``."""
    if token.startswith("list<") and token.endswith(">"):
        return token[5:-1] in SCALAR_TYPES
    return token in SCALAR_TYPES


@dataclass(frozen=True, slots=True)
class Column:
    """One contract column: name, type token, nullability and, for a closed vocabulary, the values
    it may hold (validation checks them)."""

    name: str
    type: str
    nullable: bool = False
    allowed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not is_type_token(self.type):
            raise ValueError(f"column {self.name!r}: unknown type {self.type!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """Where a named row was read: page, box (top-left origin, points), ``text``/``ocr`` and the
    confidence of the cells (and table) it came from. Every typed row extends this."""

    page: int
    bbox: BBox
    method: str
    confidence: float


class Place(TypedDict):
    """The provenance fields of a typed row (``csrextract.datasets.Located``), spread into its
    constructor: ``SdgResponse(sdg=4, …, **place(cells, table))``, checked by mypy."""

    page: int
    bbox: BBox
    method: str
    confidence: float


def place(cells: Sequence[Cell], table: Table) -> Place:
    """Page, bbox, method and confidence of the cells a record came from (first cell's place).

    The confidence is the lowest of the cells' (OCR) and the table's own (its parse report: a
    guessed structure makes every row read from it doubtful, however clean its text layer)."""
    if not cells:
        return Place(
            page=table.pages[0] if table.pages else 0,
            bbox=table.bbox,
            method=table.method.value,
            confidence=table.confidence,
        )
    first = cells[0]
    x0, top, x1, bottom = (float(v) for v in first.bbox)
    return Place(
        page=first.page or (table.pages[0] if table.pages else 0),
        bbox=(x0, top, x1, bottom),
        method=first.method.value,
        confidence=float(min([table.confidence, *(c.confidence for c in cells)])),
    )


RowT = TypeVar("RowT", bound=Located)

Matcher = Callable[["Features", str], bool]
"""(the table's features, its title) → is this a table of the dataset's kind?"""


@dataclass(frozen=True)
class DatasetSpec(Generic[RowT]):
    """Everything the pipeline needs to know about one dataset.

    A *named* dataset (one read from tables) sets ``kind``, ``matcher``, ``normalise`` and
    ``row``; classify tries the matchers in ``priority`` order (most specific evidence first) and
    tags a table with the first kind that matches; normalise hands every table of that kind to
    ``normalise``. A bookkeeping dataset (``tables``, ``pages`` …) sets none of them: frames
    builds it from the stage data. ``order`` places the dataset in the contract (analyst
    datasets first); ``table_rows`` says each row comes from one recovered table and so carries
    its ``table_id``.
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    order: int
    provenance: bool = True
    table_rows: bool = False
    kind: str | None = None
    priority: int = 100
    matcher: Matcher | None = None
    normalise: Callable[[list[Table]], Sequence[RowT]] | None = None
    row: type[RowT] | None = None

    def __post_init__(self) -> None:
        for problem in spec_problems(self):
            raise ValueError(f"dataset {self.name!r}: {problem}")

    @property
    def is_named(self) -> bool:
        """Read from tables of a kind (an analyst dataset), not built from stage data."""
        return self.kind is not None

    @property
    def content_columns(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def row_columns(self) -> list[str]:
        """What one typed row holds: the content columns, then provenance."""
        return [*self.content_columns, *(PROVENANCE_COLUMNS if self.provenance else ())]


IDENTITY_COLUMNS = (
    "report_id",
    "company",
    "report_year",
    "source_sha256",
    "run_id",
    "pipeline_version",
)
"""Columns every dataset carries (their types are the contract's `IDENTITY_FIELDS`)."""


def spec_problems(spec: DatasetSpec[Any]) -> list[str]:
    """What is inconsistent in a spec: named-dataset parts half given, a row type whose fields
    are not the columns, a key naming no column."""
    problems: list[str] = []
    parts = (spec.kind, spec.matcher, spec.normalise, spec.row)
    if any(p is not None for p in parts) and any(p is None for p in parts):
        problems.append("a named dataset sets kind, matcher, normalise and row together")
    names = [c.name for c in spec.columns]
    if len(set(names)) != len(names):
        problems.append("duplicate column names")
    known = {*IDENTITY_COLUMNS, *names, *(PROVENANCE_COLUMNS if spec.provenance else ())}
    known |= {"table_id"} if spec.table_rows else set()
    problems += [f"key column {k!r} is not a column" for k in spec.key if k not in known]
    if spec.row is not None:
        fields = [f.name for f in dataclasses.fields(spec.row)]
        if sorted(fields) != sorted(spec.row_columns):
            problems.append(
                f"row type {spec.row.__name__} has fields {fields}, not the columns "
                f"{spec.row_columns}"
            )
    return problems
