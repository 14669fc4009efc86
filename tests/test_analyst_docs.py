"""The analyst guide's snippets (pandas, DuckDB, Polars, CLI) run as written, offline."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from synthetic_datasets import PIPELINE_VERSION, make_datasets, sha_of

from csrextract import storage, storage_cli

GUIDE = Path(__file__).parent.parent / "docs" / "analysts.md"


def _blocks(language: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


@pytest.fixture(scope="module")
def analyst_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``output/`` with bytedance-2021 ingested twice (one metric edited) and a second report."""
    root = tmp_path_factory.mktemp("analyst")
    for company, year, sha, run_id, edit in (
        ("bytedance", 2021, sha_of("v0"), "run-1", False),
        ("bytedance", 2021, sha_of("v1"), "run-2", True),
        ("tencent", 2022, sha_of("t"), "run-3", False),
    ):
        frames = make_datasets(company, year, sha=sha, run_id=run_id)
        if edit:
            frames["metrics"].loc[0, "value"] = 99.0
        storage.write_report(
            frames,
            root / "output",
            report_id=f"{company}-{year}",
            source_sha256=sha,
            run_id=run_id,
            pipeline_version=PIPELINE_VERSION,
            replace=True,
        )
    return root


@pytest.fixture
def in_output_dir(analyst_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the directory holding ``output/``, as the snippets assume."""
    monkeypatch.chdir(analyst_dir)
    return analyst_dir


def _exec(block: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "analyst_snippet"}
    exec(compile(block, str(GUIDE), "exec"), namespace)
    return namespace


def test_the_guide_has_every_snippet() -> None:
    python = "\n".join(_blocks("python"))
    assert "csrextract.read_dataset" in python and "version=0" in python
    assert "import duckdb" in python and "import polars" in python
    assert _blocks("sh")


def test_pandas_snippet(in_output_dir: Path) -> None:
    ns = _exec(next(b for b in _blocks("python") if "csrextract.read_dataset" in b))
    assert set(ns["metrics"]["run_id"]) == {"run-2", "run-3"}
    assert set(ns["first"]["run_id"]) == {"run-1"}
    assert set(ns["sdg"]["report_id"]) == {"bytedance-2021"}
    assert len(ns["as_then"]) == len(ns["metrics"])
    assert ns["changes"].n_changed_rows == 1


def test_duckdb_snippet_reads_through_arrow_without_extensions(in_output_dir: Path) -> None:
    ns = _exec(next(b for b in _blocks("python") if "import duckdb" in b))
    changed = ns["changed"]
    assert changed[["indicator", "period", "after"]].values.tolist() == [["指标0", "2019", 99.0]]
    assert set(ns["bytedance"]["report_id"]) == {"bytedance-2021"}
    assert len(ns["bytedance"]) == 12  # the committed run only, not the superseded one too


def test_raw_duckdb_snippet_keeps_only_committed_runs(in_output_dir: Path) -> None:
    ns = _exec(next(b for b in _blocks("python") if "raw_metrics" in b))
    assert set(ns["latest"]["run_id"]) == {"run-2", "run-3"}
    assert len(ns["latest"]) == 24


def test_polars_snippet_reads_old_versions(in_output_dir: Path) -> None:
    ns = _exec(next(b for b in _blocks("python") if "import polars" in b))
    assert ns["metrics"].height == 24  # two reports
    assert ns["metrics_v0"].height == 12  # only the first ingestion
    assert set(ns["bytedance"]["response_no"].to_list()) == {1, 2, 3}
    assert ns["bytedance"].height == 12
    assert ns["raw"].height == 24 and set(ns["raw"]["run_id"].to_list()) == {"run-2", "run-3"}


def test_cli_lines_in_the_guide_run(
    in_output_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [ln.split("#")[0].strip() for ln in "\n".join(_blocks("sh")).splitlines()]
    commands = [shlex.split(ln) for ln in lines if ln]
    assert commands and all(c[0] == "csrextract" for c in commands)
    for command in commands:
        assert storage_cli.main(command[1:]) == 0, command
    assert "metrics v0 → v1: 0 added, 0 removed, 1 changed" in capsys.readouterr().out


def test_gri_snippet_reads_the_new_columns(in_output_dir: Path) -> None:
    ns = _exec(next(b for b in _blocks("python") if '"gri_index"' in b))
    assert list(ns["where"].columns)[-2:] == ["page_refs", "location"]
    assert sorted(ns["by_kpi"]["hkex_refs"].unique()) == ["A1.1", "B2"]
    assert ns["management"].empty  # the synthetic index has no 103 row
