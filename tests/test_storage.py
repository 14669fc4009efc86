"""Delta Lake storage: versions, idempotency, force, diffs, time travel, failure isolation."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from deltalake import DeltaTable, write_deltalake
from synthetic_datasets import PIPELINE_VERSION, make_datasets, sha_of

from csrextract import contract, read_dataset, storage
from csrextract.errors import ValidationFailedError
from csrextract.validate import validated_tables

REPORT = "bytedance-2021"
SHA = sha_of("bytedance2021")


def _write(output: Path, datasets: dict[str, pd.DataFrame], **kw: object) -> storage.WriteResult:
    report_id = str(datasets["reports"]["report_id"].iloc[0])
    params: dict[str, object] = {
        "report_id": report_id,
        "source_sha256": str(datasets["reports"]["source_sha256"].iloc[0]),
        "run_id": str(datasets["reports"]["run_id"].iloc[0]),
        "pipeline_version": PIPELINE_VERSION,
        # these tests re-extract edited copies of one report on purpose (the identity guard
        # has its own tests)
        "replace": True,
    }
    params.update(kw)
    return storage.write_report(datasets, output, **params)  # type: ignore[arg-type]


def _versions(output: Path) -> dict[str, int]:
    return {name: storage.current_version(name, output) for name in contract.DATASETS}


def _edited_copy(run_id: str) -> dict[str, pd.DataFrame]:
    """A re-extraction of a modified PDF: two metric values and one SDG response edited."""
    frames = make_datasets(sha=sha_of("edited"), run_id=run_id)
    metrics = frames["metrics"]
    metrics.loc[metrics["indicator"] == "指标2", "value"] = [1.5, 2.5, 3.5]
    metrics.loc[(metrics["indicator"] == "指标3") & (metrics["period"] == "2021"), "raw"] = "x"
    sdg = frames["sdg_responses"]
    sdg.loc[(sdg["sdg"] == 4) & (sdg["response_no"] == 2), "response"] = "修改后的举措"
    return frames


def test_first_write_is_version_zero_with_commit_metadata(tmp_path: Path) -> None:
    result = _write(tmp_path, make_datasets())

    assert not result.skipped
    assert {d.version for d in result.datasets.values()} == {0}
    assert _versions(tmp_path) == dict.fromkeys(contract.DATASETS, 0)
    table = DeltaTable(tmp_path / "metrics")
    assert table.metadata().partition_columns == ["company", "report_year"]
    assert table.metadata().configuration == storage.TABLE_CONFIGURATION
    hist = storage.history("metrics", tmp_path)
    assert hist[["version", "report_id", "run_id", "rows"]].iloc[0].tolist() == [
        0,
        REPORT,
        "run-1",
        12,
    ]
    assert hist.loc[0, "source_sha256"] == SHA
    assert hist.loc[0, "pipeline_version"] == PIPELINE_VERSION


def test_read_back_equals_what_was_written(tmp_path: Path) -> None:
    frames = make_datasets()
    _write(tmp_path, frames)

    metrics = read_dataset("metrics", output=tmp_path)
    assert list(metrics.columns) == contract.DATASETS["metrics"].columns
    assert len(metrics) == len(frames["metrics"])
    assert metrics["value"].sum() == pytest.approx(frames["metrics"]["value"].sum())
    gri = read_dataset("gri_index", output=tmp_path)
    assert gri["page_ref"].dtype == "Int32" and gri["page_ref"].isna().sum() == 1
    reports = read_dataset("reports", output=tmp_path)
    assert reports.loc[0, "extracted_at"] == pd.Timestamp("2024-01-01", tz="UTC")
    assert list(read_dataset("pages", output=tmp_path)["bbox"].iloc[0]) == [
        50.0,
        100.0,
        500.0,
        118.0,
    ]


def test_same_pdf_again_writes_nothing(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())
    assert storage.already_ingested(tmp_path, REPORT, SHA, PIPELINE_VERSION)

    result = _write(tmp_path, make_datasets(run_id="run-2"))

    assert result.skipped and "nothing written" in result.summary()
    assert _versions(tmp_path) == dict.fromkeys(contract.DATASETS, 0)


def test_new_pipeline_version_is_not_already_ingested(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())
    assert not storage.already_ingested(tmp_path, REPORT, SHA, "0.2.0")
    assert not storage.already_ingested(tmp_path, REPORT, sha_of("other pdf"), PIPELINE_VERSION)
    assert not storage.already_ingested(tmp_path, "other-2021", SHA, PIPELINE_VERSION)
    assert not storage.already_ingested(tmp_path / "empty", REPORT, SHA, PIPELINE_VERSION)


def test_force_writes_a_new_version_whose_diff_is_empty(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())

    result = _write(tmp_path, make_datasets(run_id="run-2"), force=True)

    assert not result.skipped
    assert _versions(tmp_path) == dict.fromkeys(contract.DATASETS, 1)
    for name in contract.DATASETS:
        change = storage.diff(name, tmp_path, 0, 1)
        assert change.is_empty, change.summary()
    assert read_dataset("metrics", output=tmp_path)["run_id"].unique().tolist() == ["run-2"]


def test_modified_copy_diff_shows_exactly_the_edited_rows(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())
    _write(tmp_path, _edited_copy("run-2"))

    metrics = storage.diff("metrics", tmp_path, 0, 1)
    assert metrics.added.empty and metrics.removed.empty
    changed = set(
        zip(
            metrics.changed["indicator"],
            metrics.changed["period"],
            metrics.changed["column"],
            strict=True,
        )
    )
    assert changed == {
        ("指标2", "2019", "value"),
        ("指标2", "2020", "value"),
        ("指标2", "2021", "value"),
        ("指标3", "2021", "raw"),
    }
    assert metrics.n_changed_rows == 4
    sdg = storage.diff("sdg_responses", tmp_path, 0, 1)
    assert sdg.changed[["sdg", "response_no", "column", "after"]].values.tolist() == [
        [4, 2, "response", "修改后的举措"]
    ]
    assert storage.diff("table_cells", tmp_path, 0, 1).is_empty


def test_diff_reports_added_and_removed_rows_by_natural_key(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets(n_cells=12))
    _write(tmp_path, make_datasets(n_cells=18, sha=sha_of("more cells")))

    cells = storage.diff("table_cells", tmp_path, 0, 1)
    assert len(cells.added) == 6 and cells.removed.empty and cells.changed.empty
    assert sorted(cells.added["row"].unique().tolist()) == [4, 5]
    reverse = storage.diff("table_cells", tmp_path, 1, 0)
    assert len(reverse.removed) == 6 and reverse.added.empty


def test_version_zero_still_returns_the_original_rows(tmp_path: Path) -> None:
    original = make_datasets()
    _write(tmp_path, original)
    _write(tmp_path, _edited_copy("run-2"))

    old = read_dataset("metrics", output=tmp_path, version=0)
    new = read_dataset("metrics", output=tmp_path)

    expected = original["metrics"].sort_values(["indicator", "period"]).reset_index(drop=True)
    assert old["value"].tolist() == expected["value"].tolist()
    assert old["run_id"].unique().tolist() == ["run-1"]
    assert new["value"].tolist() != old["value"].tolist()


def test_as_of_reads_the_version_current_at_that_moment(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())
    time.sleep(0.05)
    between = datetime.now(UTC)
    time.sleep(0.05)
    _write(tmp_path, _edited_copy("run-2"))

    at_between = read_dataset("metrics", output=tmp_path, as_of=between)
    assert at_between["run_id"].unique().tolist() == ["run-1"]
    naive_utc = between.replace(tzinfo=None)
    assert read_dataset("metrics", output=tmp_path, as_of=naive_utc)["run_id"].iloc[0] == "run-1"


def test_other_reports_are_untouched_by_a_rewrite(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())
    _write(tmp_path, make_datasets("tencent", 2022))
    before = read_dataset("table_cells", output=tmp_path, report_id="tencent-2022")

    _write(tmp_path, _edited_copy("run-3"))

    after = read_dataset("table_cells", output=tmp_path, report_id="tencent-2022")
    pd.testing.assert_frame_equal(before, after)
    all_reports = read_dataset("reports", output=tmp_path)
    assert sorted(all_reports["report_id"]) == ["bytedance-2021", "tencent-2022"]
    assert (tmp_path / "metrics" / "company=tencent" / "report_year=2022").is_dir()


def test_an_empty_dataset_replaces_the_reports_rows(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())
    frames = make_datasets(sha=sha_of("no certifications"))
    frames["certifications"] = frames["certifications"].iloc[0:0]

    _write(tmp_path, frames)

    assert read_dataset("certifications", output=tmp_path).empty
    assert len(storage.diff("certifications", tmp_path, 0, 1).removed) == 2


def test_validation_failure_writes_nothing_to_any_table(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())
    bad = make_datasets(sha=sha_of("bad"), run_id="run-2")
    bad["reports"]["status"] = "exploded"  # the last dataset written: all others are valid

    with pytest.raises(ValidationFailedError, match=r"reports\.status"):
        _write(tmp_path, bad)

    assert _versions(tmp_path) == dict.fromkeys(contract.DATASETS, 0)


def test_validation_failure_on_a_fresh_output_creates_no_table(tmp_path: Path) -> None:
    bad = make_datasets()
    bad["sdg_responses"].loc[0, "sdg"] = 18

    with pytest.raises(ValidationFailedError):
        _write(tmp_path / "out", bad)

    assert not (tmp_path / "out").exists()


def test_frames_of_another_report_are_refused(tmp_path: Path) -> None:
    frames = make_datasets()
    with pytest.raises(ValidationFailedError, match="report_id"):
        _write(tmp_path, frames, report_id="tencent-2022")
    with pytest.raises(ValidationFailedError, match="run_id"):
        _write(tmp_path, frames, run_id="another-run")
    assert not (tmp_path / "metrics").exists()


def test_read_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(storage.UnknownDatasetError, match="known datasets"):
        read_dataset("nope", output=tmp_path)
    with pytest.raises(storage.DatasetNotFoundError, match="does not exist"):
        read_dataset("metrics", output=tmp_path / "missing")
    _write(tmp_path, make_datasets())
    with pytest.raises(storage.DatasetNotFoundError, match="latest version is 0"):
        read_dataset("metrics", output=tmp_path, version=5)
    with pytest.raises(ValueError, match="either"):
        read_dataset("metrics", output=tmp_path, version=0, as_of=datetime.now(UTC))


def test_tables_are_never_vacuumed_so_old_files_remain(tmp_path: Path) -> None:
    _write(tmp_path, make_datasets())
    first_files = set(DeltaTable(tmp_path / "metrics", version=0).file_uris())
    _write(tmp_path, _edited_copy("run-2"))
    assert all(Path(uri.removeprefix("file://")).exists() for uri in first_files)


def test_a_table_from_an_older_contract_gains_the_new_column(tmp_path: Path) -> None:
    """A column added to the contract later must not make writes to existing tables fail."""
    frames = make_datasets()
    older = validated_tables(frames)["metrics"].drop_columns(["qualifier"])
    write_deltalake(tmp_path / "metrics", older, partition_by=storage.PARTITION_COLUMNS)

    _write(tmp_path, make_datasets("tencent", 2022))

    metrics = read_dataset("metrics", output=tmp_path)
    assert list(metrics.columns) == contract.DATASETS["metrics"].columns
    by_report = metrics.groupby("report_id")["qualifier"].apply(lambda s: s.notna().sum())
    assert by_report.to_dict() == {"bytedance-2021": 0, "tencent-2022": 3}


def test_scans_read_through_arrows_native_filesystem_with_partition_values(
    tmp_path: Path,
) -> None:
    """deltalake's default Python filesystem lets Arrow threads outlive the interpreter (the
    process then aborts at exit); ``storage.scan`` must read the same rows natively."""
    import pyarrow.fs as pafs

    _write(tmp_path, make_datasets())
    table = DeltaTable(tmp_path / "metrics")

    dataset = storage.scan(table)

    assert isinstance(dataset.filesystem, pafs.SubTreeFileSystem)
    assert isinstance(dataset.filesystem.base_fs, pafs.LocalFileSystem)
    native = dataset.to_table().to_pandas().sort_values(["indicator", "period"])
    default = table.to_pyarrow_dataset().to_table().to_pandas()
    default = default.sort_values(["indicator", "period"])
    assert native[default.columns].reset_index(drop=True).equals(default.reset_index(drop=True))
    assert native["company"].notna().all() and native["report_year"].notna().all()


def test_no_module_reads_delta_through_the_python_filesystem() -> None:
    """Every read goes through ``storage.scan``: a direct ``to_pyarrow_dataset()`` elsewhere
    would bring back the abort at exit (about one ``csrextract check`` in four, under load)."""
    package = Path(storage.__file__).parent
    direct = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".to_pyarrow_dataset(" in line and "return table.to_pyarrow_dataset(" not in line
    ]
    assert direct == []
