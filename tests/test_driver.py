"""The one driver: settings, the named stage list, the guarded stage runner, ErrorItem →
``partial_success``, a pluggable executor and the write path (prepare once, skip once)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from core_pdfs import report_pdf

from csrextract import datasets, driver, storage
from csrextract.driver import IngestSettings, LocalExecutor, Report, Stage
from csrextract.errors import ConfigurationError, InputError
from csrextract.models import Document, ErrorItem, PageContent, Table, TableKind, TableStyle
from csrextract.normalise import read_tables
from csrextract.validate import validate_datasets


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_pdf(tmp_path_factory.mktemp("driver") / "acme_report.pdf")


def in_memory(**changes: object) -> IngestSettings:
    return replace(IngestSettings(write=False), **changes)  # type: ignore[arg-type]


# --- settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"workers": 0}, "workers"),
        ({"page_timeout": 0.0}, "page timeout"),
        ({"page_timeout": 1e9}, "page timeout"),
        ({"year": 1066}, "year out of range"),
        ({"company": "  "}, "company is empty"),
    ],
)
def test_settings_are_checked_when_built(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        IngestSettings(**changes)  # type: ignore[arg-type]


def test_settings_are_frozen() -> None:
    settings = IngestSettings()
    with pytest.raises(AttributeError):
        settings.workers = 3  # type: ignore[misc]


# --- the stage list and the runner ------------------------------------------------------------


def test_stage_list_is_named_and_ordered() -> None:
    assert driver.STAGE_NAMES == (
        "load",
        "prepare",
        "read",
        "ocr",
        "tables",
        "classify",
        "normalise",
        "frames",
        "report",
        "write",
    )
    assert [s.name for s in driver.STAGES if s.writes] == ["prepare", "write"]


def test_a_failing_stage_becomes_one_item_and_the_rest_runs(pdf: Path) -> None:
    def broken(report: Report, ctx: driver.Context) -> None:
        raise RuntimeError("stitching exploded")

    stages = [Stage("tables", broken) if s.name == "tables" else s for s in driver.STAGES]
    report = driver.run(pdf, in_memory(), stages=stages)
    assert report.errors == [ErrorItem("tables", None, None, "stitching exploded")]
    assert report.tables == []  # classify, normalise, frames ran on no tables
    row = report.datasets["reports"].iloc[0]
    assert (row["status"], list(row["errors"])) == (
        "partial_success",
        ["tables: stitching exploded"],
    )
    validate_datasets(report.datasets)


def test_a_fatal_stage_raises(tmp_path: Path) -> None:
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("hello")
    with pytest.raises(InputError):
        driver.run(not_pdf, in_memory())


def test_configuration_errors_are_never_swallowed(pdf: Path) -> None:
    def misconfigured(report: Report, ctx: driver.Context) -> None:
        raise ConfigurationError("no engine")

    stages = [Stage("read", misconfigured) if s.name == "read" else s for s in driver.STAGES]
    with pytest.raises(ConfigurationError, match="no engine"):
        driver.run(pdf, in_memory(), stages=stages)


def test_guarded_step_records_page_and_table() -> None:
    report = Report(Path("x.pdf"))

    def boom() -> None:
        raise ValueError("bad cell")

    assert not driver.guarded(report, "normalise", boom, page=4, table_id="t03")
    assert driver.guarded(report, "normalise", lambda: None, page=5)
    assert report.items == [ErrorItem("normalise", 4, "t03", "bad cell")]
    assert str(report.items[0]) == "table t03, page 4: normalise: bad cell"
    assert report.status == "partial_success"


# --- ErrorItem → partial_success --------------------------------------------------------------


def test_a_raising_normaliser_is_an_item_and_partial_success(pdf: Path) -> None:
    """Before: a failing normaliser was only logged and the report said success."""

    def boom(tables: list[Table]) -> list[datasets.Located]:
        raise ValueError("unit column missing")

    spec = replace(datasets.get("metrics"), normalise=boom)
    with datasets.registered(spec, replace=True):
        report = driver.run(pdf, in_memory())
    [metrics_table] = [t for t in report.tables if t.kind is TableKind.METRICS]
    assert report.errors == [
        ErrorItem(
            "normalise", metrics_table.pages[0], metrics_table.table_id, "unit column missing"
        )
    ]
    row = report.datasets["reports"].iloc[0]
    assert row["status"] == "partial_success"
    assert list(row["errors"]) == [
        f"table {metrics_table.table_id}, page 1: normalise: unit column missing"
    ]
    assert report.datasets["metrics"].empty  # the other datasets are still there
    validate_datasets(report.datasets)


def test_one_bad_table_of_a_kind_keeps_the_others() -> None:
    """Read together first (numbering runs across tables); on failure each table alone, and
    only the table that still fails is an item."""

    def table(table_id: str, page: int) -> Table:
        return Table(table_id, [], 1, 1, [page], (0, 0, 10, 10), TableStyle.RULED)

    def normaliser(tables: list[Table]) -> list[str]:
        if any(t.table_id == "t02" for t in tables):
            raise ValueError("odd header")
        return [t.table_id for t in tables]

    report = Report(Path("x.pdf"))
    tables = [table("t01", 1), table("t02", 2)]
    rows = read_tables(normaliser, tables, driver.record_table_failures(report))
    assert rows == ["t01"]
    assert report.items == [ErrorItem("normalise", 2, "t02", "odd header")]


# --- one executor interface, one set of stage keys --------------------------------------------


class RecordingExecutor(LocalExecutor):
    """The local executor, noting what the driver asked of it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def read(
        self, document: Document, settings: IngestSettings, progress: driver.Progress | None
    ) -> list[PageContent]:
        self.calls.append("read")
        return super().read(document, settings, progress)

    def write(self, report: Report, settings: IngestSettings) -> storage.WriteResult:
        self.calls.append("write")
        return super().write(report, settings)


def test_write_path_prepares_once_and_skips_an_unchanged_pdf(pdf: Path, tmp_path: Path) -> None:
    settings = IngestSettings(output=tmp_path / "out")
    executor = RecordingExecutor()
    first = driver.run(pdf, settings, executor=executor)
    assert executor.calls == ["read", "write"]
    assert first.written is not None and not first.written.skipped
    assert list(first.stage_seconds) == list(driver.STAGE_NAMES)
    stored = storage.read_dataset("reports", tmp_path / "out").iloc[0]
    assert stored["status"] == "success"
    assert list(json.loads(stored["stage_seconds"])) == [
        "load",
        "prepare",
        "read",
        "ocr",
        "tables",
        "classify",
        "normalise",
        "frames",
    ]

    again = driver.run(pdf, settings, executor=executor)
    assert again.skipped and again.written is None
    assert list(again.stage_seconds) == ["load", "prepare"]  # nothing read, nothing written
    assert executor.calls == ["read", "write"]


def test_run_id_comes_from_the_caller_when_given(pdf: Path) -> None:
    report = driver.run(pdf, in_memory(), run_id="flow-run-7")
    assert set(report.datasets["tables"]["run_id"]) == {"flow-run-7"}
    assert report.datasets["reports"].iloc[0]["run_id"] == "flow-run-7"
