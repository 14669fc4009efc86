"""Versioned storage: one Delta Lake table per dataset, with history, time travel and diffs.

Why Delta Lake: every write is an atomic commit that adds a new table version, so analysts can
reproduce exactly what they loaded (``version=`` / ``as_of=``) and see what a re-extraction
changed (``diff``). A process killed mid-write leaves at most unreferenced Parquet files behind;
readers never see half a report.

Layout: ``<output>/<dataset>/`` is a Delta table partitioned by ``company`` and ``report_year``.
Ingesting a report replaces that report's rows in every dataset with one predicate overwrite per
dataset, so other reports are untouched and two ingests of different reports can run at once
(commit conflicts are retried). The ``reports`` dataset is written last: it marks a complete
ingestion. Each commit carries ``run_id``, ``report_id``, ``source_sha256``,
``pipeline_version`` and ``rows`` in its commit metadata, which is what ``history`` shows and
what ``already_ingested`` checks. Tables are never vacuumed and keep their log for ten years, so
old versions stay readable.
"""

from __future__ import annotations

import logging
import math
import random
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable, write_deltalake
from deltalake.exceptions import CommitFailedError, DeltaError

from csrextract import contract
from csrextract.errors import CsrExtractError, StageError, ValidationFailedError
from csrextract.validate import validated_tables

logger = logging.getLogger(__name__)

PARTITION_COLUMNS = ["company", "report_year"]
TABLE_CONFIGURATION = {
    # Old versions must stay readable for reproducibility: keep the log and removed files.
    "delta.logRetentionDuration": "interval 3650 days",
    "delta.deletedFileRetentionDuration": "interval 3650 days",
}
COMPLETION_DATASET = "reports"
"""Written last, so its commit marks an ingestion whose every dataset has landed."""

VOLATILE_COLUMNS = frozenset(
    {
        "run_id",
        "source_sha256",
        "pipeline_version",
        "extracted_at",
        "seconds_total",
        "stage_seconds",
    }
)
"""Bookkeeping that changes on every run; ``diff`` ignores it so that it shows content changes."""

MAX_ATTEMPTS = 8
BASE_DELAY_SECONDS = 0.05
_CONFLICT_WORDS = ("conflict", "concurrent", "already exists", "changed since")

T = TypeVar("T")


class UnknownDatasetError(CsrExtractError, ValueError):
    """The dataset name is not in the contract."""


class DatasetNotFoundError(CsrExtractError, FileNotFoundError):
    """The output has no such table, or the table has no such version."""


@dataclass(frozen=True, slots=True)
class DatasetWrite:
    """What happened to one dataset: the version written (None when skipped) and its rows."""

    dataset: str
    version: int | None
    rows: int


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What ``write_report`` did, per dataset; ``skipped`` when the report was already there."""

    report_id: str
    skipped: bool
    datasets: dict[str, DatasetWrite] = field(default_factory=dict)

    def summary(self) -> str:
        if self.skipped:
            return (
                f"{self.report_id}: already ingested from the same PDF with the same pipeline "
                "version; nothing written (use --force to write a new version)"
            )
        parts = [f"{d.dataset} v{d.version} ({d.rows} rows)" for d in self.datasets.values()]
        return f"{self.report_id}: wrote " + ", ".join(parts)


# --- paths and opening -------------------------------------------------------------------------


def table_path(output: Path | str, name: str) -> Path:
    """Where dataset ``name`` lives under ``output``."""
    try:
        contract.spec(name)
    except KeyError as exc:
        raise UnknownDatasetError(exc.args[0]) from None
    return Path(output) / name


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC, the time zone Delta commit timestamps are in."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _open_table(
    name: str, output: Path | str, version: int | None = None, as_of: datetime | None = None
) -> DeltaTable:
    if version is not None and as_of is not None:
        raise ValueError("give either version or as_of, not both")
    path = table_path(output, name)
    if not DeltaTable.is_deltatable(str(path)):
        where = "does not exist" if not Path(output).exists() else f"has no table {name!r}"
        raise DatasetNotFoundError(
            f"output {str(output)!r} {where} (expected a Delta table at {path}); "
            "ingest a report first"
        )
    table = DeltaTable(path)
    try:
        if version is not None:
            table.load_as_version(version)
        elif as_of is not None:
            table.load_as_version(_as_utc(as_of))
    except (DeltaError, ValueError, OSError) as exc:
        wanted = f"version {version}" if version is not None else f"a version as of {as_of}"
        latest = DeltaTable(path).version()
        raise DatasetNotFoundError(  # the Delta kernel's own wording stays in the traceback
            f"{name}: no {wanted}; the latest version is {latest} (every ingestion adds a "
            "version; `csrextract history` lists them)"
        ) from exc
    return table


# --- writing ----------------------------------------------------------------------------------


def _is_conflict(exc: Exception) -> bool:
    """A concurrent writer got there first: worth retrying on top of the new table state."""
    if isinstance(exc, CommitFailedError):
        return True
    message = str(exc).lower()
    return any(word in message for word in _CONFLICT_WORDS)


def _with_retries(action: Callable[[], T], what: str) -> T:
    """Run ``action``, retrying with jittered exponential backoff on Delta commit conflicts."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return action()
        except (CommitFailedError, DeltaError) as exc:
            if attempt == MAX_ATTEMPTS or not _is_conflict(exc):
                raise StageError("write", f"{what}: {exc}") from exc
            delay = BASE_DELAY_SECONDS * 2 ** (attempt - 1) * (1 + random.random())
            logger.warning("%s: commit conflict (%s); retry %d in %.2fs", what, exc, attempt, delay)
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _report_predicate(report_id: str, company: str, report_year: int) -> str:
    """The report's rows; the partition columns let Delta prune to one partition."""
    return (
        f"company = {_sql_string(company)} AND report_year = {int(report_year)} "
        f"AND report_id = {_sql_string(report_id)}"
    )


def _version_written_by(path: Path, write_id: str) -> int:
    """The version of the commit carrying ``write_id`` (newest first, so this is quick)."""
    for commit in DeltaTable(path).history():
        if commit.get("write_id") == write_id:
            return int(commit["version"])
    raise StageError("write", f"{path.name}: commit {write_id} not found in the table history")


def _write_one(path: Path, data: pa.Table, predicate: str, metadata: dict[str, str]) -> int:
    """Replace the report's rows in one table (creating it if needed); return the new version."""
    write_id = uuid.uuid4().hex
    commit = CommitProperties(custom_metadata={**metadata, "write_id": write_id})

    def attempt() -> int:
        if DeltaTable.is_deltatable(str(path)):
            table = DeltaTable(path)
            # schema_mode="merge": a column added to the contract later is added to the table
            # (older rows read as null) instead of making every later write fail.
            write_deltalake(
                table,
                data,
                mode="overwrite",
                predicate=predicate,
                schema_mode="merge",
                commit_properties=commit,
            )
            return table.version()
        # Creating: a concurrent creator makes this fail ("already exists", retried as an
        # overwrite) or makes Delta commit it after the other's version 0, so look it up.
        write_deltalake(
            path,
            data,
            mode="error",
            partition_by=PARTITION_COLUMNS,
            configuration=TABLE_CONFIGURATION,
            commit_properties=commit,
        )
        return _version_written_by(path, write_id)

    return _with_retries(attempt, f"{path.name} ({metadata['report_id']})")


def _identity_problems(tables: Mapping[str, pa.Table], expected: Mapping[str, str]) -> list[str]:
    """Rows must belong to the report being written, from this run: the predicate relies on it."""
    problems: list[str] = []
    for name, table in tables.items():
        for column, value in expected.items():
            found = set(table.column(column).unique().to_pylist())
            if found - {value}:
                problems.append(f"{name}.{column}: expected only {value!r}, found {sorted(found)}")
    reports = tables[COMPLETION_DATASET].num_rows
    if reports != 1:
        problems.append(f"{COMPLETION_DATASET}: expected exactly one row, found {reports}")
    return problems


def _write_order() -> list[str]:
    names = [n for n in contract.DATASETS if n != COMPLETION_DATASET]
    return [*names, COMPLETION_DATASET]


def write_report(
    datasets: Mapping[str, pd.DataFrame],
    output: Path | str,
    *,
    report_id: str,
    source_sha256: str,
    run_id: str,
    pipeline_version: str,
    force: bool = False,
) -> WriteResult:
    """Validate every dataset, then replace this report's rows in each table (one commit each).

    Raises ``ValidationFailedError`` before touching any table if a dataset fails its schema. Writes
    nothing and returns a skipped result when the same PDF was already ingested with the same
    pipeline version, unless ``force``.
    """
    tables = validated_tables(datasets)
    identity = {
        "report_id": report_id,
        "source_sha256": source_sha256,
        "run_id": run_id,
        "pipeline_version": pipeline_version,
    }
    problems = _identity_problems(tables, identity)
    if problems:
        report = "\n".join(f"  - {p}" for p in problems)
        raise ValidationFailedError(
            f"datasets do not match report {report_id}; nothing written:\n{report}"
        )
    if not force and already_ingested(output, report_id, source_sha256, pipeline_version):
        logger.info("%s already ingested with the same PDF and pipeline; skipping", report_id)
        return WriteResult(report_id=report_id, skipped=True)
    report_row = tables[COMPLETION_DATASET].slice(0, 1).to_pylist()[0]
    predicate = _report_predicate(report_id, report_row["company"], report_row["report_year"])
    Path(output).mkdir(parents=True, exist_ok=True)
    written: dict[str, DatasetWrite] = {}
    for name in _write_order():
        data = tables[name]
        metadata = {**identity, "dataset": name, "rows": str(data.num_rows), "forced": str(force)}
        version = _write_one(table_path(output, name), data, predicate, metadata)
        written[name] = DatasetWrite(name, version, data.num_rows)
        logger.info(
            "%s: wrote %d rows of %s as version %d", report_id, data.num_rows, name, version
        )
    return WriteResult(report_id=report_id, skipped=False, datasets=written)


def _latest_commit_for(table: DeltaTable, report_id: str) -> dict[str, Any] | None:
    """The newest commit that wrote ``report_id`` (history lists newest first)."""
    for commit in table.history():
        if commit.get("report_id") == report_id:
            return commit
    return None


def already_ingested(
    output: Path | str, report_id: str, source_sha256: str, pipeline_version: str
) -> bool:
    """True when every dataset's latest write of this report came from this PDF and pipeline.

    Checking every table (not only ``reports``) means a run killed between two tables is not
    mistaken for a complete one.
    """
    for name in contract.DATASETS:
        path = table_path(output, name)
        if not DeltaTable.is_deltatable(str(path)):
            return False
        commit = _latest_commit_for(DeltaTable(path), report_id)
        if commit is None:
            return False
        if (commit.get("source_sha256"), commit.get("pipeline_version")) != (
            source_sha256,
            pipeline_version,
        ):
            return False
    return True


# --- reading ----------------------------------------------------------------------------------

_PANDAS_TYPES: dict[pa.DataType, Any] = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
}
"""Integer columns stay integers even where some values are null (e.g. ``page_ref``)."""


def _in_contract_order(frame: pd.DataFrame, spec: contract.DatasetSpec) -> pd.DataFrame:
    known = [c for c in spec.columns if c in frame.columns]
    extra = [c for c in frame.columns if c not in known]
    ordered = frame[known + extra]
    key = [c for c in spec.key if c in ordered.columns]
    return ordered.sort_values(key, na_position="first", kind="stable").reset_index(drop=True)


def read_dataset(
    name: str,
    output: Path | str = "output",
    version: int | None = None,
    as_of: datetime | None = None,
    *,
    report_id: str | None = None,
) -> pd.DataFrame:
    """Load a dataset as a pandas DataFrame, sorted by its natural key.

    ``version`` reads that table version; ``as_of`` (naive = UTC) reads the latest version
    committed at or before that moment; ``report_id`` keeps one report's rows.
    """
    table = _open_table(name, output, version, as_of)
    row_filter = pc.field("report_id") == report_id if report_id is not None else None
    data = table.to_pyarrow_dataset().to_table(filter=row_filter)
    frame = data.to_pandas(types_mapper=_PANDAS_TYPES.get)
    return _in_contract_order(frame, contract.spec(name))


def current_version(name: str, output: Path | str = "output") -> int:
    """The latest version of a dataset's table."""
    return _open_table(name, output).version()


def history(name: str, output: Path | str = "output") -> pd.DataFrame:
    """One row per table version: when, which run and report wrote it, how many rows."""
    table = _open_table(name, output)
    records = [
        {
            "version": commit.get("version"),
            "timestamp": pd.Timestamp(commit.get("timestamp", 0), unit="ms", tz="UTC"),
            "operation": commit.get("operation"),
            "report_id": commit.get("report_id"),
            "run_id": commit.get("run_id"),
            "rows": int(commit["rows"]) if commit.get("rows") is not None else None,
            "source_sha256": commit.get("source_sha256"),
            "pipeline_version": commit.get("pipeline_version"),
        }
        for commit in table.history()
    ]
    frame = pd.DataFrame.from_records(records)
    frame["rows"] = frame["rows"].astype("Int64")
    return frame.sort_values("version").reset_index(drop=True)


# --- diff -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatasetDiff:
    """Rows added, removed and changed between two versions, matched by the natural key.

    ``changed`` has one row per changed value: the key columns, ``column``, ``before``, ``after``.
    Bookkeeping columns that change on every run (``VOLATILE_COLUMNS``) are not compared.
    """

    dataset: str
    v1: int
    v2: int
    key: tuple[str, ...]
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame

    @property
    def is_empty(self) -> bool:
        return self.added.empty and self.removed.empty and self.changed.empty

    @property
    def n_changed_rows(self) -> int:
        if self.changed.empty:
            return 0
        return len(self.changed[list(self.key)].drop_duplicates())

    def summary(self) -> str:
        return (
            f"{self.dataset} v{self.v1} → v{self.v2}: {len(self.added)} added, "
            f"{len(self.removed)} removed, {self.n_changed_rows} changed"
        )


def _comparable(value: Any) -> Any:
    """A hashable, equality-friendly form: lists/arrays → tuples, NA → None, numpy → Python."""
    if isinstance(value, np.ndarray | list | tuple):
        return tuple(_comparable(v) for v in value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return _comparable(value.item())
    return value


def _row_keys(frame: pd.DataFrame, key: Iterable[str]) -> list[tuple[Any, ...]]:
    columns = [frame[c].tolist() for c in key]
    return [tuple(_comparable(v) for v in values) for values in zip(*columns, strict=True)]


def _changed_values(
    old: pd.DataFrame, new: pd.DataFrame, pairs: list[tuple[int, int]], key: list[str]
) -> pd.DataFrame:
    compared = [c for c in new.columns if c in old.columns and c not in key]
    compared = [c for c in compared if c not in VOLATILE_COLUMNS]
    records: list[dict[str, Any]] = []
    for old_i, new_i in pairs:
        for column in compared:
            before, after = old.at[old_i, column], new.at[new_i, column]
            if _comparable(before) != _comparable(after):
                keys = {k: new.at[new_i, k] for k in key}
                records.append({**keys, "column": column, "before": before, "after": after})
    return pd.DataFrame.from_records(records, columns=[*key, "column", "before", "after"])


def diff(name: str, output: Path | str, v1: int, v2: int) -> DatasetDiff:
    """Compare two versions of a dataset row by row, keyed by its natural key (contract key)."""
    spec = contract.spec(name)
    key = list(spec.key)
    old = read_dataset(name, output, version=v1)
    new = read_dataset(name, output, version=v2)
    old_index = {k: i for i, k in enumerate(_row_keys(old, key))}
    new_index = {k: i for i, k in enumerate(_row_keys(new, key))}
    added = new.iloc[[i for k, i in new_index.items() if k not in old_index]]
    removed = old.iloc[[i for k, i in old_index.items() if k not in new_index]]
    pairs = [(old_index[k], i) for k, i in new_index.items() if k in old_index]
    changed = _changed_values(old, new, pairs, key)
    return DatasetDiff(
        dataset=name,
        v1=v1,
        v2=v2,
        key=spec.key,
        added=added.reset_index(drop=True),
        removed=removed.reset_index(drop=True),
        changed=changed,
    )
