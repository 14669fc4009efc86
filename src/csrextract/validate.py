"""Validation of the datasets against the contract, before anything is written.

The pandera schemas are generated from ``contract.DATASETS`` so the contract stays the single
place where columns, types and keys are defined; this module only adds what the Arrow types cannot
say (allowed values, ranges, the shape of list columns, unique natural keys). Every dataset is
checked before any of them is written, and all failures are reported together, so one run tells
the user everything that is wrong instead of one problem per run.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pda
import pyarrow as pa

from csrextract import contract, datasets
from csrextract.errors import ValidationFailedError
from csrextract.models import Method
from csrextract.tables import known_styles

logger = logging.getLogger(__name__)

MAX_EXAMPLES = 3
"""Failing values shown per failed check; the count says how many there were in all."""

REPORT_STATUSES = ("success", "partial_success")


def _elementwise(name: str, predicate: Callable[[Any], bool]) -> pda.Check:
    """A check applied to each non-null value, named so the failure report explains itself."""
    return pda.Check(predicate, element_wise=True, ignore_na=True, name=name, error=name)


def _is_bbox(value: Any) -> bool:
    try:
        x0, top, x1, bottom = (float(v) for v in value)
    except (TypeError, ValueError):
        return False
    finite = all(math.isfinite(v) for v in (x0, top, x1, bottom))
    return finite and x0 <= x1 and top <= bottom


def _is_page_list(value: Any) -> bool:
    try:
        pages = [int(v) for v in value]
    except (TypeError, ValueError):
        return False
    return len(pages) > 0 and all(p >= 1 for p in pages)


def _is_int_list_in(lo: int, hi: int) -> Callable[[Any], bool]:
    """A (possibly empty) list of whole numbers in ``lo..hi``."""

    def check(value: Any) -> bool:
        try:
            return all(lo <= int(v) <= hi for v in value)
        except (TypeError, ValueError):
            return False

    return check


def _is_string_list(value: Any) -> bool:
    if isinstance(value, str):
        return False  # a string iterates as strings, but it is one value, not a list
    try:
        return all(isinstance(v, str) for v in value)
    except TypeError:
        return False


def _is_json_object(value: Any) -> bool:
    try:
        return isinstance(json.loads(value), dict)
    except (TypeError, ValueError):
        return False


COLUMN_CHECKS: dict[str, list[pda.Check]] = {
    "report_year": [pda.Check.in_range(1900, 2100)],
    "source_sha256": [pda.Check.str_matches(r"^[0-9a-f]{64}$")],
    "method": [pda.Check.isin([m.value for m in Method])],
    "confidence": [pda.Check.in_range(0.0, 1.0)],
    "mean_confidence": [pda.Check.in_range(0.0, 1.0)],
    "page": [pda.Check.ge(1)],
    "page_ref": [pda.Check.ge(1)],
    "bbox": [_elementwise("bbox is (x0, top, x1, bottom) with x0<=x1, top<=bottom", _is_bbox)],
    "sdg": [pda.Check.in_range(1, 17)],
    "response_no": [pda.Check.ge(0)],
    "item_no": [pda.Check.ge(0)],
    "style": [_elementwise("style is a registered table style", lambda s: s in known_styles())],
    "pages": [_elementwise("pages is a non-empty list of page numbers >= 1", _is_page_list)],
    "row": [pda.Check.ge(0)],
    "col": [pda.Check.ge(0)],
    "row_span": [pda.Check.ge(1)],
    "col_span": [pda.Check.ge(1)],
    "n_rows": [pda.Check.ge(0)],
    "n_cols": [pda.Check.ge(0)],
    "n_chars": [pda.Check.ge(0)],
    "n_pages": [pda.Check.ge(0)],
    "n_pages_ocr": [pda.Check.ge(0)],
    "n_tables": [pda.Check.ge(0)],
    "width": [pda.Check.gt(0)],
    "height": [pda.Check.gt(0)],
    "status": [pda.Check.isin(list(REPORT_STATUSES))],
    "errors": [_elementwise("errors is a list of strings", _is_string_list)],
    "page_refs": [_elementwise("page_refs is a list of pages >= 1", _is_int_list_in(1, 10**6))],
    "sdgs": [_elementwise("sdgs is a list of SDG numbers 1..17", _is_int_list_in(1, 17))],
    "hkex_refs": [_elementwise("hkex_refs is a list of strings", _is_string_list)],
    "seconds_total": [pda.Check.ge(0)],
    "stage_seconds": [_elementwise("stage_seconds is a JSON object", _is_json_object)],
}
"""What each column may hold beyond its type, by column name (names mean the same everywhere).
Closed vocabularies a dataset declares (``Column.allowed``) and the table kinds of the registry
are added per schema (:func:`schema_for`)."""


def _pandera_dtype(arrow_type: pa.DataType) -> Any:
    """The pandas dtype a column is coerced to; ``None`` (no dtype check) for list columns.

    Nullable pandas dtypes for integers and booleans so that coercion fails loudly on a
    fraction, an overflow or a stray string instead of silently truncating or casting to True.
    """
    if pa.types.is_list(arrow_type):
        return None
    if pa.types.is_timestamp(arrow_type):
        return pd.DatetimeTZDtype(unit=arrow_type.unit, tz=arrow_type.tz or "UTC")
    simple: dict[pa.DataType, Any] = {pa.string(): str, **contract.PANDAS_DTYPES}
    if arrow_type not in simple:
        raise TypeError(f"no pandas dtype for contract type {arrow_type}")
    return simple[arrow_type]


def _column(field: pa.Field, allowed: Mapping[str, Sequence[str]]) -> pda.Column:
    dtype = _pandera_dtype(field.type)
    checks = list(COLUMN_CHECKS.get(field.name, []))
    if field.name in allowed:
        checks.append(pda.Check.isin(list(allowed[field.name])))
    return pda.Column(
        dtype,
        checks=checks,
        nullable=field.nullable,
        coerce=dtype is not None,
        required=True,
    )


def _report_id_matches_identity(df: pd.DataFrame) -> pd.Series:
    """report_id is ``company-report_year``: the partition columns must say the same thing."""
    expected = df["company"].astype(str) + "-" + df["report_year"].astype(str)
    return df["report_id"].astype(str) == expected


def _allowed(spec: contract.DatasetSpec) -> dict[str, Sequence[str]]:
    """Closed vocabularies of the dataset's columns; a ``kind`` column holds a registered kind."""
    allowed: dict[str, Sequence[str]] = {"kind": [str(k) for k in datasets.kinds()]}
    allowed.update(spec.allowed)
    return allowed


def schema_for(spec: contract.DatasetSpec) -> pda.DataFrameSchema:
    """The pandera schema of one dataset, generated from its contract spec."""
    allowed = _allowed(spec)
    return pda.DataFrameSchema(
        {field.name: _column(field, allowed) for field in spec.schema},
        checks=[
            pda.Check(
                _report_id_matches_identity,
                name="report_id is company-report_year",
                error="report_id is company-report_year",
            )
        ],
        unique=list(spec.key),
        report_duplicates="all",
        strict=True,
        name=spec.name,
    )


@functools.cache
def _cached_schema(spec: contract.DatasetSpec, kinds: tuple[str, ...]) -> pda.DataFrameSchema:
    """``kinds`` is part of the cache key only: a kind registered later changes the schema."""
    return schema_for(spec)


def schema(name: str) -> pda.DataFrameSchema:
    """The pandera schema of dataset ``name`` as the registry declares it now (built once per
    spec and set of table kinds)."""
    return _cached_schema(contract.spec(name), tuple(str(k) for k in datasets.kinds()))


def _row_numbers(indexes: Iterable[Any]) -> list[int]:
    return sorted({int(i) for i in indexes if not _is_missing(i)})


def _describe_row_check(dataset: str, check: str, rows: list[int], frame: pd.DataFrame) -> str:
    """A failed whole-row check (unique key, identity): show the offending rows' key columns."""
    spec = contract.DATASETS[dataset]
    if check == "multiple_fields_uniqueness":
        check = f"natural key ({', '.join(spec.key)}) is unique"
    columns = list(dict.fromkeys([*spec.key, "company", "report_year"]))
    columns = [c for c in columns if c in frame.columns]
    examples = [
        "(" + ", ".join(f"{c}={_plain_repr(frame.at[r, c])}" for c in columns) + ")"
        for r in rows[:MAX_EXAMPLES]
        if r in frame.index
    ]
    shown = ", ".join(str(r) for r in rows[: MAX_EXAMPLES * 3])
    return f"{dataset}: {check} failed for {len(rows)} row(s) at rows {shown}; e.g. " + "; ".join(
        examples
    )


def _uncoercible(dataset: str, column: str, frame: pd.DataFrame) -> pd.Series:
    """The values that do not convert to the column's type, found one by one.

    Pandas refuses a whole column at once (e.g. a float with a fraction in an integer column),
    so pandera cannot say which row failed; this finds them for the report.
    """
    dtype = schema(dataset).columns[column].dtype
    bad: dict[Any, Any] = {}
    for index, value in frame[column].items():
        if _is_missing(value):
            continue
        try:
            dtype.coerce(pd.Series([value], dtype=object))
        except (TypeError, ValueError, OverflowError):
            bad[index] = value
    return pd.Series(bad, dtype=object)


def _describe_column_check(
    dataset: str, column: str, check: str, group: pd.DataFrame, frame: pd.DataFrame
) -> str:
    values = ", ".join(_plain_repr(v) for v in group["failure_case"].tolist()[:MAX_EXAMPLES])
    rows = _row_numbers(group["index"].tolist())
    if not rows and check.startswith("coerce_dtype") and column in frame.columns:
        located = _uncoercible(dataset, column, frame)
        rows = [int(i) for i in located.index]
        values = ", ".join(_plain_repr(v) for v in located.tolist()[:MAX_EXAMPLES]) or values
        group = group if located.empty else located.to_frame()
    where = f" at rows {', '.join(str(r) for r in rows[:MAX_EXAMPLES])}" if rows else ""
    return f"{dataset}.{column}: {check} failed for {len(group)} value(s){where}; e.g. {values}"


def _describe_failures(dataset: str, failure_cases: pd.DataFrame, frame: pd.DataFrame) -> list[str]:
    """One readable line per failed check, with a count and a few failing values or rows."""
    lines: list[str] = []
    cases = failure_cases.copy()
    cases["check"] = cases["check"].astype(str)
    whole_frame = cases["schema_context"].astype(str) == "DataFrameSchema"
    for check, group in cases[whole_frame].groupby("check", sort=True):
        rows = _row_numbers(group["index"].tolist())
        if rows:
            lines.append(_describe_row_check(dataset, str(check), rows, frame))
        else:  # a structural failure: missing or unexpected columns
            names = ", ".join(repr(v) for v in group["failure_case"].tolist())
            lines.append(f"{dataset}: {check} failed for {names}")
    per_column = cases[~whole_frame].copy()
    per_column["column"] = per_column["column"].astype(str)
    is_coercion = per_column["check"].str.startswith("coerce_dtype")
    coerce_failed = set(per_column.loc[is_coercion, "column"])
    for keys, group in per_column.groupby(["column", "check"], sort=True):
        column, check = (str(k) for k in keys)
        if check.startswith("dtype(") and column in coerce_failed:
            continue  # the coercion failure already says it
        lines.append(_describe_column_check(dataset, column, check, group, frame))
    return lines


def _plain_repr(value: Any) -> str:
    """repr without numpy's type wrappers (``1`` rather than ``np.int64(1)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _validate_one(name: str, frame: Any) -> tuple[pd.DataFrame | None, list[str]]:
    if not isinstance(frame, pd.DataFrame):
        return None, [f"{name}: expected a pandas DataFrame, got {type(frame).__name__}"]
    frame = frame.reset_index(drop=True)  # row numbers in the report are then unambiguous
    try:
        validated = schema(name).validate(frame, lazy=True)
    except pda.errors.SchemaErrors as exc:
        return None, _describe_failures(name, exc.failure_cases, frame)
    return validated, []


def _to_arrow(name: str, frame: pd.DataFrame) -> tuple[pa.Table | None, list[str]]:
    """Convert with the contract's Arrow schema: the exact types that land in the table."""
    spec = contract.DATASETS[name]
    try:
        table = pa.Table.from_pandas(
            frame[spec.columns], schema=spec.schema, preserve_index=False, safe=True
        )
    except (pa.ArrowException, TypeError, ValueError) as exc:
        return None, [f"{name}: cannot convert to the contract's Arrow schema: {exc}"]
    return table, []


def _unknown_or_missing(names: Iterable[str]) -> list[str]:
    given = set(names)
    known = set(contract.DATASETS)
    problems = [f"{n}: unknown dataset (not in the contract)" for n in sorted(given - known)]
    problems += [f"{n}: dataset missing" for n in sorted(known - given)]
    return problems


def validated_tables(datasets: Mapping[str, Any]) -> dict[str, pa.Table]:
    """Validate every dataset and return them as Arrow tables with the contract's schemas.

    Raises ``ValidationFailedError`` listing every failure of every dataset; nothing is returned
    (and so nothing can be written) unless all of them pass.
    """
    problems = _unknown_or_missing(datasets)
    tables: dict[str, pa.Table] = {}
    for name in contract.DATASETS:
        if name not in datasets:
            continue
        frame, failures = _validate_one(name, datasets[name])
        if frame is not None:
            table, failures = _to_arrow(name, frame)
            if table is not None:
                tables[name] = table
        problems += failures
    if problems:
        report = "\n".join(f"  - {p}" for p in problems)
        logger.warning("validation failed with %d problem(s)", len(problems))
        raise ValidationFailedError(
            f"{len(problems)} validation problem(s); nothing was written:\n{report}"
        )
    return tables


def validate_datasets(datasets: Mapping[str, Any]) -> None:
    """Check every dataset against the contract; raise ``ValidationFailedError`` if any fails."""
    validated_tables(datasets)
