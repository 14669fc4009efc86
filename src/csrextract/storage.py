"""Versioned storage: one Delta Lake table per dataset, with history, time travel and diffs.

Why Delta Lake: every write is an atomic commit that adds a new table version, so analysts can
reproduce exactly what they loaded (``version=`` / ``as_of=``) and see what a re-extraction
changed (``diff``). Tables are never vacuumed and keep their log for ten years, so old versions
stay readable.

Layout: ``<output>/<dataset>/`` is a Delta table partitioned by ``company`` and ``report_year``.

Whole reports or nothing. Delta commits one table at a time, and a report spans nine tables, so
atomicity per report comes from a marker and from reading through it:

1. *stage* — each data table gets one commit that adds this run's rows of the report and drops
   the report's rows of every run except the committed one (leftovers of killed runs);
2. *mark* — the ``reports`` row is replaced last; its commit (carrying ``run_id`` and the rows
   staged per dataset) is what makes the run committed;
3. *read through the marker* — readers keep, per report, the rows of the newest committed run
   staged at or before the version read (``read_dataset``, ``read_arrow``, ``show``, ``diff``,
   ``evaluate``, the flows). A run killed before its marker is invisible; the previous run stays
   visible in every dataset until the new marker lands, then the new run in every dataset.

A torn report (a run killed between stage and mark) is healed on the next ingest of that report,
even of the same PDF: under a per-report lock the orphaned rows are dropped before anything else.
``check`` verifies every table (log, files, schema, torn reports). Each commit carries
``run_id``, ``report_id``, ``source_sha256``, ``pipeline_version`` and ``rows`` in its commit
metadata, which is what ``history`` shows.

Identity guard: a different PDF (another SHA-256) for a report id already stored replaces it
only with ``replace`` (or ``force``); otherwise ``IdentityConflictError`` names both files.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import math
import random
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable, write_deltalake
from deltalake.exceptions import CommitFailedError, DeltaError

from csrextract import contract
from csrextract.errors import (
    CsrExtractError,
    IdentityConflictError,
    StageError,
    StorageError,
    ValidationFailedError,
)
from csrextract.validate import validated_tables

if TYPE_CHECKING:
    import pyarrow.dataset as pads

logger = logging.getLogger(__name__)

PARTITION_COLUMNS = ["company", "report_year"]
TABLE_CONFIGURATION = {
    # Old versions must stay readable for reproducibility: keep the log and removed files.
    "delta.logRetentionDuration": "interval 3650 days",
    "delta.deletedFileRetentionDuration": "interval 3650 days",
}
COMPLETION_DATASET = "reports"
"""Written last, so its commit marks an ingestion whose every dataset has landed."""

LOCK_DIR = ".csrextract-locks"
"""Per-report lock files under the output folder (see ``report_lock``)."""

MAX_MESSAGE_CHARS = 300
"""Error messages quote at most this much of an underlying error: one readable line."""

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


def scan(table: DeltaTable) -> pads.Dataset:
    """``table``'s current files as a PyArrow dataset read through Arrow's own local filesystem.

    Why not plain ``to_pyarrow_dataset()``: deltalake then reads through a Python-implemented
    filesystem, and Arrow's I/O threads calling back into Python can still be alive when the
    interpreter shuts down, which aborts the process ("terminate called without an active
    exception", exit 134) after the work has succeeded (delta-io/delta-rs#2184). Our tables are
    local folders, so Arrow can read them natively; other URIs keep deltalake's default.
    """
    import pyarrow.fs as pafs

    uri = table.table_uri
    if uri.startswith("file://") or "://" not in uri:
        root = uri.removeprefix("file://")
        return table.to_pyarrow_dataset(
            filesystem=pafs.SubTreeFileSystem(root, pafs.LocalFileSystem())
        )
    return table.to_pyarrow_dataset()


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC, the time zone Delta commit timestamps are in."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _open_table(
    name: str, output: Path | str, version: int | None = None, as_of: datetime | None = None
) -> DeltaTable:
    if version is not None and as_of is not None:
        raise ValueError("give either version or as_of, not both")
    if version is not None and version < 0:
        raise DatasetNotFoundError(f"{name}: no version {version}; versions start at 0")
    path = table_path(output, name)
    if not DeltaTable.is_deltatable(str(path)):
        where = "does not exist" if not Path(output).exists() else f"has no table {name!r}"
        raise DatasetNotFoundError(
            f"output {str(output)!r} {where} (expected a Delta table at {path}); "
            "ingest a report first"
        )
    try:
        table = DeltaTable(path)
    except Exception as exc:
        raise StorageError(explain_storage_failure(exc, name, output)) from exc
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        raise StorageError(explain_storage_failure(exc, name, output)) from exc
    try:
        if version is not None:
            table.load_as_version(version)
        elif as_of is not None:
            table.load_as_version(_as_utc(as_of))
    except (DeltaError, ValueError, OSError, OverflowError) as exc:
        wanted = f"version {version}" if version is not None else f"a version as of {as_of}"
        latest = DeltaTable(path).version()
        raise DatasetNotFoundError(  # the Delta kernel's own wording stays in the traceback
            f"{name}: no {wanted}; the latest version is {latest} (every ingestion adds a "
            "version; `csrextract history` lists them)"
        ) from exc
    return table


def _reading(name: str, output: Path | str, action: Callable[[], T]) -> T:
    """Run a read; a damaged table becomes one ``StorageError`` line instead of a traceback."""
    try:
        return action()
    except CsrExtractError:
        raise
    except Exception as exc:
        raise StorageError(explain_storage_failure(exc, name, output)) from exc
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        raise StorageError(explain_storage_failure(exc, name, output)) from exc


# --- errors in one line ------------------------------------------------------------------------


_BACKTRACE = re.compile(r"\s+\d+: (?:<unknown>|\S+ at )")
"""Start of a Rust backtrace that delta-rs appends to some errors: never useful to a user."""


def _first_line(exc: BaseException) -> str:
    """The error as one short line: whitespace folded, Rust backtrace and excess cut off."""
    text = _BACKTRACE.split(" ".join(str(exc).split()), maxsplit=1)[0]
    return text[:MAX_MESSAGE_CHARS] + ("…" if len(text) > MAX_MESSAGE_CHARS else "")


def _is_panic(exc: BaseException) -> bool:
    """A Rust panic inside deltalake (pyo3's ``PanicException`` is a ``BaseException``)."""
    return type(exc).__name__ == "PanicException"


def explain_storage_failure(exc: BaseException, what: str, output: Path | str) -> str:
    """One line saying what went wrong with ``what`` under ``output`` and what to do."""
    text = _first_line(exc)
    low = text.lower()
    if "no space left" in low or "disk quota" in low or getattr(exc, "errno", None) == 28:
        return (
            f"{what}: no space left on the device holding {output}; free some space and run "
            "again (earlier versions are intact)"
        )
    if "read-only file system" in low or "permission denied" in low:
        return f"{what}: {output} is not writable ({text}); choose a writable --output"
    if "magic bytes" in low or "corrupt" in low or "parquet error" in low:
        return (
            f"{what}: a data file of the table is damaged ({text}); restore it from a backup "
            f"(`csrextract check --output {output}` lists every problem)"
        )
    if "not found" in low and (".parquet" in low or "object at location" in low):
        return (
            f"{what}: a data file of the table is missing ({text}); restore it from a backup "
            f"(`csrextract check --output {output}` lists every problem)"
        )
    return f"{what}: {text}; run `csrextract check --output {output}` to see what is damaged"


# --- writing ----------------------------------------------------------------------------------


def _is_conflict(exc: BaseException) -> bool:
    """A concurrent writer got there first: worth retrying on top of the new table state."""
    if isinstance(exc, CommitFailedError):
        return True
    message = str(exc).lower()
    return any(word in message for word in _CONFLICT_WORDS)


def _with_retries(action: Callable[[], T], what: str, output: Path | str = "output") -> T:
    """Run ``action``, retrying with jittered exponential backoff on Delta commit conflicts.

    Any other failure (disk full, read-only folder, a corrupt table, a Rust panic) becomes one
    ``StorageError`` line naming the table and what to do.
    """
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return action()
        except (CommitFailedError, DeltaError) as exc:
            if attempt == MAX_ATTEMPTS or not _is_conflict(exc):
                raise StorageError(explain_storage_failure(exc, what, output)) from exc
            delay = BASE_DELAY_SECONDS * 2 ** (attempt - 1) * (1 + random.random())
            logger.warning("%s: commit conflict (%s); retry %d in %.2fs", what, exc, attempt, delay)
            time.sleep(delay)
        except CsrExtractError:
            raise
        except (OSError, ValueError, RuntimeError, pa.ArrowException) as exc:
            raise StorageError(explain_storage_failure(exc, what, output)) from exc
        except BaseException as exc:
            if not _is_panic(exc):
                raise
            raise StorageError(explain_storage_failure(exc, what, output)) from exc
    raise AssertionError("unreachable")  # pragma: no cover


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _report_predicate(
    report_id: str, company: str, report_year: int, keep_run: str | None = None
) -> str:
    """The report's rows (except those of ``keep_run``); the partition columns let Delta prune
    to one partition."""
    predicate = (
        f"company = {_sql_string(company)} AND report_year = {int(report_year)} "
        f"AND report_id = {_sql_string(report_id)}"
    )
    if keep_run is not None:
        predicate += f" AND run_id <> {_sql_string(keep_run)}"
    return predicate


def _version_written_by(path: Path, write_id: str) -> int:
    """The version of the commit carrying ``write_id`` (newest first, so this is quick)."""
    for commit in DeltaTable(path).history():
        if commit.get("write_id") == write_id:
            return int(commit["version"])
    raise StageError("write", f"{path.name}: commit {write_id} not found in the table history")


def _write_one(
    path: Path,
    data: pa.Table,
    predicate: str,
    metadata: dict[str, str],
    output: Path | str = "output",
) -> int:
    """Replace the rows matching ``predicate`` in one table by ``data`` (creating the table if
    needed); return the new version."""
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

    return _with_retries(attempt, f"{path.name} ({metadata['report_id']})", output)


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


def check_output_writable(output: Path | str) -> Path:
    """Create ``output`` if needed and prove it is writable; ``StorageError`` says why not.

    Called before any extraction, so a bad ``--output`` costs nothing and is not blamed on a PDF.
    """
    root = Path(output)
    try:
        if root.exists() and not root.is_dir():
            raise StorageError(
                f"output {root} is a file, not a folder; choose a folder for --output"
            )
        if root.is_dir() and any(root.iterdir()) and not _looks_like_output(root):
            raise StorageError(
                f"output {root} holds files that are not csrextract datasets; choose an empty "
                "folder or an existing csrextract output for --output"
            )
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".csrextract-write-test-{uuid.uuid4().hex[:8]}"
        probe.write_bytes(b"")
        probe.unlink()
    except StorageError:
        raise
    except OSError as exc:
        reason = exc.strerror or _first_line(exc)
        raise StorageError(
            f"output {root} is not usable ({reason}); choose a writable folder for --output"
        ) from exc
    return root


def _looks_like_output(root: Path) -> bool:
    """A folder csrextract wrote: dataset tables, its lock folder, or nothing else of note."""
    names = {p.name for p in root.iterdir() if not p.name.startswith(".")}
    return bool(names & set(contract.DATASETS)) or not names


@contextmanager
def report_lock(output: Path | str, report_id: str) -> Iterator[None]:
    """Exclusive lock on one report under ``output`` for this process (released on exit, also
    when the process is killed), so two writers of the same report take turns and healing
    never removes the rows of a run that is still being written."""
    folder = Path(output) / LOCK_DIR
    digest = hashlib.sha256(report_id.encode()).hexdigest()[:24]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / f"{digest}.lock").open("a+b")
    except OSError as exc:
        raise StorageError(
            f"output {output} is not writable ({exc.strerror or exc}); "
            "choose a writable folder for --output"
        ) from exc
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def stored_report(output: Path | str, report_id: str) -> dict[str, Any] | None:
    """The committed ``reports`` row of ``report_id`` (None when the report is not stored)."""
    path = table_path(output, COMPLETION_DATASET)
    if not DeltaTable.is_deltatable(str(path)):
        return None
    try:
        data = scan(DeltaTable(path)).to_table(filter=pc.field("report_id") == report_id)
    except Exception as exc:
        raise StorageError(explain_storage_failure(exc, COMPLETION_DATASET, output)) from exc
    rows = data.to_pylist()
    return rows[0] if rows else None


def guard_identity(
    output: Path | str, report_id: str, source_sha256: str, source_path: str, replace: bool
) -> None:
    """Refuse to replace a stored report by a different PDF unless ``replace`` is set."""
    stored = stored_report(output, report_id)
    if replace or stored is None or stored.get("source_sha256") == source_sha256:
        return
    raise IdentityConflictError(
        f"{report_id} is already stored from {stored.get('source_path')} "
        f"(sha256 {str(stored.get('source_sha256'))[:12]}…); {source_path} is a different PDF "
        "detected as the same company and year: use --replace to replace it, or give "
        "--company/--year if it is another report"
    )


def prepare_report(
    output: Path | str,
    report_id: str,
    source_sha256: str,
    pipeline_version: str,
    *,
    source_path: str,
    force: bool = False,
    replace: bool = False,
) -> bool:
    """Before extraction: heal a torn report, apply the identity guard; True when the same PDF
    is already stored with the same pipeline (nothing to do unless ``force``)."""
    if not DeltaTable.is_deltatable(str(table_path(output, COMPLETION_DATASET))) and not any(
        DeltaTable.is_deltatable(str(table_path(output, n))) for n in contract.DATASETS
    ):
        return False
    with report_lock(output, report_id):
        return _healed_and_unchanged(
            output, report_id, source_sha256, pipeline_version, source_path, force, replace
        )


def _healed_and_unchanged(
    output: Path | str,
    report_id: str,
    source_sha256: str,
    pipeline_version: str,
    source_path: str,
    force: bool,
    replace: bool,
) -> bool:
    """Under the report's lock: drop a torn run's rows, apply the identity guard, and say whether
    the same PDF is already stored with the same pipeline (nothing to write unless ``force``)."""
    heal_report(output, report_id)
    guard_identity(output, report_id, source_sha256, source_path, replace or force)
    return not force and already_ingested(output, report_id, source_sha256, pipeline_version)


def write_report(
    datasets: Mapping[str, pd.DataFrame],
    output: Path | str,
    *,
    report_id: str,
    source_sha256: str,
    run_id: str,
    pipeline_version: str,
    force: bool = False,
    replace: bool = False,
) -> WriteResult:
    """Validate every dataset, then write the report as one unit (stage every table, then the
    ``reports`` marker; see the module docstring).

    Raises ``ValidationFailedError`` before touching any table if a dataset fails its schema, and
    ``IdentityConflictError`` when a different PDF is stored for the report (unless ``replace``
    or ``force``). Writes nothing and returns a skipped result when the same PDF was already
    ingested with the same pipeline version, unless ``force``.
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
    report_row = tables[COMPLETION_DATASET].slice(0, 1).to_pylist()[0]
    check_output_writable(output)
    with report_lock(output, report_id):
        source_path = str(report_row["source_path"])
        if _healed_and_unchanged(
            output, report_id, source_sha256, pipeline_version, source_path, force, replace
        ):
            logger.info("%s already ingested with the same PDF and pipeline; skipping", report_id)
            return WriteResult(report_id=report_id, skipped=True)
        stored = stored_report(output, report_id)
        # The committed run stays (invisible once the new marker lands) until the next run
        # replaces it; a caller reusing a run id gives up that guarantee for this write.
        keep = str(stored["run_id"]) if stored and stored["run_id"] != run_id else None
        company, year = report_row["company"], report_row["report_year"]
        staged_rows = {name: tables[name].num_rows for name in _write_order()}
        written: dict[str, DatasetWrite] = {}
        for name in _write_order():
            data = tables[name]
            marker = name == COMPLETION_DATASET
            predicate = _report_predicate(report_id, company, year, None if marker else keep)
            metadata = {
                **identity,
                "dataset": name,
                "rows": str(data.num_rows),
                "forced": str(force),
                "phase": "mark" if marker else "stage",
            }
            if marker:
                metadata["staged_rows"] = json.dumps(staged_rows, sort_keys=True)
            version = _write_one(table_path(output, name), data, predicate, metadata, output)
            written[name] = DatasetWrite(name, version, data.num_rows)
            logger.info(
                "%s: wrote %d rows of %s as version %d", report_id, data.num_rows, name, version
            )
    return WriteResult(report_id=report_id, skipped=False, datasets=written)


# --- committed runs, healing ------------------------------------------------------------------


def _commit_pair(commit: Mapping[str, Any]) -> tuple[str, str] | None:
    report_id, run_id = commit.get("report_id"), commit.get("run_id")
    if isinstance(report_id, str) and isinstance(run_id, str):
        return report_id, run_id
    return None


def committed_runs(output: Path | str) -> dict[tuple[str, str], dict[str, Any]]:
    """Every run whose ``reports`` marker was committed, with its marker commit's metadata."""
    path = table_path(output, COMPLETION_DATASET)
    if not DeltaTable.is_deltatable(str(path)):
        return {}
    table = DeltaTable(path)
    runs: dict[tuple[str, str], dict[str, Any]] = {}
    for commit in reversed(table.history()):  # oldest first: a later marker wins
        pair = _commit_pair(commit)
        if pair is not None:
            runs[pair] = dict(commit)
    # rows of the current reports table are committed by definition (tables written elsewhere)
    current = scan(table).to_table(columns=["report_id", "run_id"]).to_pylist()
    for row in current:
        runs.setdefault((row["report_id"], row["run_id"]), {})
    return runs


def _staged_runs(table: DeltaTable, upto: int) -> list[tuple[str, str]]:
    """(report_id, run_id) of every commit of ``table`` up to version ``upto``, oldest first.

    The history is read from the latest state: delta-rs numbers the history of a table loaded
    at an older version relative to that version.
    """
    latest = DeltaTable(table.table_uri)
    staged = [
        (int(commit["version"]), pair)
        for commit in latest.history()
        if int(commit.get("version", -1)) <= upto and (pair := _commit_pair(commit)) is not None
    ]
    return [pair for _, pair in sorted(staged)]


def _keep_committed(
    data: pa.Table, table: DeltaTable, committed: Mapping[tuple[str, str], Any]
) -> pa.Table:
    """The rows of ``data`` that belong to the run readers see, per report.

    Reports that no csrextract commit ever staged in this table (rows written by other tools)
    are passed through as they are: there is no run to check them against.
    """
    if data.num_rows == 0 or "run_id" not in data.column_names:
        return data
    staged = _staged_runs(table, table.version())
    visible: dict[str, str] = {}
    for report_id, run_id in staged:
        if (report_id, run_id) in committed:
            visible[report_id] = run_id
    known = {report_id for report_id, _ in staged}
    pairs = data.select(["report_id", "run_id"]).to_pylist()
    mask = [
        row["report_id"] not in known or visible.get(row["report_id"]) == row["run_id"]
        for row in pairs
    ]
    return data.filter(pa.array(mask, pa.bool_()))


def orphan_runs(output: Path | str, report_id: str) -> dict[str, set[str]]:
    """Per dataset, runs of ``report_id`` whose rows are stored but were never committed (a run
    killed before its marker): invisible to readers, removed by ``heal_report``."""
    committed = committed_runs(output)
    found: dict[str, set[str]] = {}
    for name in contract.DATASETS:
        if name == COMPLETION_DATASET:
            continue
        path = table_path(output, name)
        if not DeltaTable.is_deltatable(str(path)):
            continue
        data = scan(DeltaTable(path)).to_table(
            columns=["run_id"], filter=pc.field("report_id") == report_id
        )
        runs = {
            r for r in data.column("run_id").unique().to_pylist() if (report_id, r) not in committed
        }
        if runs:
            found[name] = runs
    return found


def heal_report(output: Path | str, report_id: str) -> list[str]:
    """Drop the rows of runs of ``report_id`` that never committed (torn runs); return the
    datasets healed. Callers hold ``report_lock``, so no live run is mistaken for a torn one."""
    healed: list[str] = []
    for name, runs in orphan_runs(output, report_id).items():
        listed = ", ".join(_sql_string(r) for r in sorted(runs))
        predicate = f"report_id = {_sql_string(report_id)} AND run_id IN ({listed})"
        path = table_path(output, name)

        def delete(path: Path = path, predicate: str = predicate) -> None:
            DeltaTable(path).delete(
                predicate,
                commit_properties=CommitProperties(
                    custom_metadata={"phase": "heal", "healed_report_id": report_id}
                ),
            )

        _with_retries(delete, f"{name} ({report_id})", output)
        logger.warning(
            "%s: removed rows of interrupted run(s) %s from %s", report_id, sorted(runs), name
        )
        healed.append(name)
    return healed


def already_ingested(
    output: Path | str, report_id: str, source_sha256: str, pipeline_version: str
) -> bool:
    """True when the committed run of this report came from this PDF and pipeline and every
    dataset holds that run (its marker was written after all of them)."""
    stored = stored_report(output, report_id)
    if stored is None:
        return False
    if (stored.get("source_sha256"), stored.get("pipeline_version")) != (
        source_sha256,
        pipeline_version,
    ):
        return False
    run_id = str(stored["run_id"])
    for name in contract.DATASETS:
        path = table_path(output, name)
        if not DeltaTable.is_deltatable(str(path)):
            return False
        table = DeltaTable(path)
        if (report_id, run_id) not in _staged_runs(table, table.version()):
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


def read_arrow(
    name: str,
    output: Path | str = "output",
    version: int | None = None,
    as_of: datetime | None = None,
    *,
    report_id: str | None = None,
) -> pa.Table:
    """A dataset's committed rows as an Arrow table (for DuckDB, Polars, or pyarrow).

    Only whole reports are returned: per report, the rows of the newest run whose ``reports``
    marker was committed (see the module docstring); rows of interrupted or superseded runs
    that the table still holds are left out. Arguments as for ``read_dataset``.
    """

    if version is not None and as_of is not None:
        raise ValueError("give either version or as_of, not both")

    def read() -> pa.Table:
        table = _open_table(name, output, version, as_of)
        row_filter = pc.field("report_id") == report_id if report_id is not None else None
        data = scan(table).to_table(filter=row_filter)
        if name == COMPLETION_DATASET:
            return data  # the marker table itself: every row is committed
        return _keep_committed(data, table, committed_runs(output))

    return _reading(name, output, read)


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
    committed at or before that moment; ``report_id`` keeps one report's rows. Only whole
    reports are returned (see ``read_arrow``).
    """
    data = read_arrow(name, output, version, as_of, report_id=report_id)
    frame = data.to_pandas(types_mapper=_PANDAS_TYPES.get)
    return _in_contract_order(frame, contract.spec(name))


def current_version(name: str, output: Path | str = "output") -> int:
    """The latest version of a dataset's table."""
    return _reading(name, output, lambda: _open_table(name, output).version())


def history(name: str, output: Path | str = "output") -> pd.DataFrame:
    """One row per table version: when, which run and report wrote it, how many rows."""

    def read() -> list[dict[str, Any]]:
        return _open_table(name, output).history()

    records = [
        {
            "version": commit.get("version"),
            "timestamp": pd.Timestamp(commit.get("timestamp", 0), unit="ms", tz="UTC"),
            "operation": commit.get("operation"),
            "report_id": commit.get("report_id") or commit.get("healed_report_id"),
            "run_id": commit.get("run_id"),
            "rows": int(commit["rows"]) if commit.get("rows") is not None else None,
            "source_sha256": commit.get("source_sha256"),
            "pipeline_version": commit.get("pipeline_version"),
        }
        for commit in _reading(name, output, read)
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


# --- check ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``check_output`` found: one line per problem (what, where, what to do)."""

    output: str
    datasets: dict[str, int | None]  # latest version per dataset (None: missing or unreadable)
    reports: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_files(name: str, table: DeltaTable, output: Path | str) -> list[str]:
    """Every data file of the current version exists and reads as Parquet."""
    import pyarrow.parquet as pq

    problems: list[str] = []
    for uri in table.file_uris():
        path = Path(uri.removeprefix("file://"))
        if not path.exists():
            problems.append(
                f"{name}: data file {path} is missing; restore it from a backup "
                "(earlier versions that do not use it are still readable)"
            )
            continue
        try:
            pq.read_table(path)
        except Exception as exc:
            problems.append(
                f"{name}: data file {path} is not readable Parquet ({_first_line(exc)}); "
                "restore it from a backup, or re-ingest the reports of its partition with "
                "--force after restoring"
            )
    return problems


def _check_schema(name: str, table: DeltaTable) -> list[str]:
    """The table holds every contract column with the contract's type."""
    expected = contract.spec(name).schema
    actual = pa.schema(table.schema().to_arrow())
    problems: list[str] = []
    for field_ in expected:
        if field_.name not in actual.names:
            problems.append(
                f"{name}: column {field_.name!r} is missing; the next ingest adds it "
                "(older rows read as null)"
            )
            continue
        found = actual.field(field_.name).type
        if not _same_type(found, field_.type):
            problems.append(
                f"{name}: column {field_.name!r} is {found}, the contract says {field_.type}; "
                "write this dataset to a new --output"
            )
    return problems


def _same_type(found: pa.DataType, wanted: pa.DataType) -> bool:
    """Equal up to string/large_string and list/large_list, which Delta may swap."""

    def plain(t: pa.DataType) -> str:
        return str(t).replace("large_", "").replace("string_view", "string")

    return plain(found) == plain(wanted) or found == wanted


def _check_reports(output: Path | str, tables: Mapping[str, DeltaTable]) -> tuple[int, list[str]]:
    """Every committed report has its run's rows in every dataset (counts as staged); rows of
    interrupted runs are reported as healable leftovers."""
    marker = tables.get(COMPLETION_DATASET)
    if marker is None:
        return 0, []
    committed = committed_runs(output)
    rows = scan(marker).to_table(columns=["report_id", "run_id"]).to_pylist()
    problems: list[str] = []
    for row in rows:
        report_id, run_id = row["report_id"], row["run_id"]
        staged = json.loads(committed.get((report_id, run_id), {}).get("staged_rows") or "{}")
        for name, table in tables.items():
            if name == COMPLETION_DATASET:
                continue
            count = (
                scan(table)
                .to_table(
                    columns=["run_id"],
                    filter=(pc.field("report_id") == report_id) & (pc.field("run_id") == run_id),
                )
                .num_rows
            )
            if name in staged and int(staged[name]) != count:
                problems.append(
                    f"{name}: report {report_id} (run {run_id}) has {count} rows, its run wrote "
                    f"{staged[name]}: torn report; re-ingest its PDF with --force"
                )
        orphans = orphan_runs(output, report_id)
        for name, runs in orphans.items():
            problems.append(
                f"{name}: rows of interrupted run(s) {', '.join(sorted(runs))} of {report_id} "
                "(invisible to readers); re-ingest the report or run `csrextract check --repair`"
            )
    return len(rows), problems


def _log_problem(name: str, path: Path, exc: BaseException) -> str:
    """Which log entry is damaged, and what to do about it."""
    entries = sorted((path / "_delta_log").glob("*.json"))
    damaged = [e for e in entries if not _parses_as_json_lines(e)]
    if not damaged:
        return (
            f"{name}: the Delta log cannot be read ({_first_line(exc)}); restore "
            f"{path / '_delta_log'} from a backup"
        )
    entry = damaged[0]
    if entry == entries[-1]:
        return (
            f"{name}: the newest log entry {entry} is damaged; restore it from a backup, or "
            f"delete it to return the table to version {int(entry.stem) - 1}"
        )
    return f"{name}: log entry {entry} is damaged; restore it from a backup"


def _parses_as_json_lines(path: Path) -> bool:
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                json.loads(line)
    except (OSError, ValueError):
        return False
    return True


def quick_check(output: Path | str, names: Iterable[str] | None = None) -> list[str]:
    """The cheap part of ``check_output``, run before an ingest: every existing table's log
    reads, its data files exist and their Parquet footers read (a damaged output is reported
    before any extraction, not discovered halfway through a write)."""
    problems: list[str] = []
    for name in contract.DATASETS if names is None else names:
        path = table_path(output, name)
        if not (path / "_delta_log").is_dir():
            continue
        try:
            table = DeltaTable(path)
            table.history()
            missing = [u for u in table.file_uris() if not Path(u.removeprefix("file://")).exists()]
        except Exception as exc:
            problems.append(_log_problem(name, path, exc))
            continue
        except BaseException as exc:
            if not _is_panic(exc):
                raise
            problems.append(_log_problem(name, path, exc))
            continue
        if missing:
            problems.append(f"{name}: data file {missing[0]} is missing; restore it from a backup")
            continue
        problems += _unreadable_footers(name, table)
    return problems


def _unreadable_footers(name: str, table: DeltaTable) -> list[str]:
    """Data files whose Parquet footer does not read (the end of a file is what breaks when a
    write is cut short or a file is overwritten); milliseconds per file."""
    import pyarrow.parquet as pq

    for uri in table.file_uris():
        path = Path(uri.removeprefix("file://"))
        try:
            pq.read_metadata(path)
        except Exception as exc:
            return [
                f"{name}: data file {path} is damaged ({_first_line(exc)}); restore it from a "
                "backup"
            ]
    return []


def _open_for_check(
    output: Path | str,
) -> tuple[dict[str, DeltaTable], dict[str, int | None], list[str]]:
    """Every dataset's table that opens, its version, and the problems of those that do not."""
    versions: dict[str, int | None] = dict.fromkeys(contract.DATASETS)
    tables: dict[str, DeltaTable] = {}
    problems: list[str] = []
    for name in contract.DATASETS:
        path = table_path(output, name)
        if not DeltaTable.is_deltatable(str(path)):
            if path.exists():
                problems.append(
                    f"{name}: {path} has no readable Delta log; restore _delta_log from a backup"
                )
            continue
        try:
            table = DeltaTable(path)
            versions[name] = table.version()
            table.history()
        except Exception as exc:
            problems.append(_log_problem(name, path, exc))
            continue
        except BaseException as exc:
            if not _is_panic(exc):
                raise
            problems.append(_log_problem(name, path, exc))
            continue
        tables[name] = table
    return tables, versions, problems


def _repair(output: Path | str, tables: Mapping[str, DeltaTable]) -> None:
    """Heal every report found in any table (each under its lock)."""
    ids: set[str] = set()
    for table in tables.values():
        data = scan(table).to_table(columns=["report_id"])
        ids |= set(data.column(0).to_pylist())
    for report_id in sorted(ids):
        with report_lock(output, report_id):
            heal_report(output, report_id)


def check_output(output: Path | str, *, repair: bool = False) -> CheckResult:
    """Verify every dataset under ``output``: log readable, data files present and readable,
    schema as in the contract, no torn report. ``repair`` heals torn reports (drops rows of
    interrupted runs, which readers never see) before checking them."""
    if not Path(output).is_dir():
        return CheckResult(
            str(output), {}, 0, [f"output {output} does not exist; ingest a report first"]
        )
    tables, versions, problems = _open_for_check(output)
    for name, table in tables.items():
        problems += _check_schema(name, table)
        problems += _check_files(name, table, output)
    if tables and COMPLETION_DATASET not in tables and not problems:
        problems.append(
            f"{COMPLETION_DATASET}: missing while other datasets exist: no report has completed; "
            "re-ingest the reports"
        )
    if problems:  # reading rows of damaged tables would only repeat the same problems
        return CheckResult(str(output), versions, 0, problems)
    if repair:
        _repair(output, tables)
        tables, versions, problems = _open_for_check(output)
    n_reports, report_problems = _check_reports(output, tables)
    return CheckResult(str(output), versions, n_reports, problems + report_problems)
