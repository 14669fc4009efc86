"""The history / diff / show subcommands, run through argparse as the real CLI does."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from synthetic_datasets import PIPELINE_VERSION, make_datasets, sha_of

from csrextract import storage
from csrextract.commands import register_storage


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="csrextract")
    register_storage(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two versions of one report (an edited metric, one more table cell) and a second report."""
    out = tmp_path_factory.mktemp("output")
    for company, year, sha, n_cells, run_id in (
        ("bytedance", 2021, sha_of("v0"), 12, "run-1"),
        ("bytedance", 2021, sha_of("v1"), 15, "run-2"),
        ("tencent", 2022, sha_of("t"), 12, "run-3"),
    ):
        frames = make_datasets(company, year, sha=sha, run_id=run_id, n_cells=n_cells)
        if sha == sha_of("v1"):
            frames["metrics"].loc[0, "unit"] = "千吨"
        storage.write_report(
            frames,
            out,
            report_id=f"{company}-{year}",
            source_sha256=sha,
            run_id=run_id,
            pipeline_version=PIPELINE_VERSION,
            replace=True,
        )
    return out


def test_history_lists_every_version_with_run_and_report(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["history", "metrics", "--output", str(output)]) == 0
    text = capsys.readouterr().out
    assert "metrics: 3 version(s)" in text
    for fragment in ("run-1", "run-2", "run-3", "bytedance-2021", "tencent-2022", "UTC"):
        assert fragment in text
    assert sha_of("v1")[:12] in text


def test_diff_shows_the_changed_value_and_the_added_rows(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["diff", "metrics", "0", "1", "--output", str(output)]) == 0
    text = capsys.readouterr().out
    assert "metrics v0 → v1: 0 added, 0 removed, 1 changed" in text
    assert "千吨" in text and "unit" in text

    assert _run(["diff", "table_cells", "0", "1", "--output", str(output)]) == 0
    text = capsys.readouterr().out
    assert "table_cells v0 → v1: 3 added, 0 removed, 0 changed" in text
    assert "单元格4-2" in text


def test_diff_of_identical_versions_says_so(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["diff", "certifications", "0", "1", "--output", str(output)]) == 0
    assert "no differences in content" in capsys.readouterr().out


def test_show_filters_by_report_and_reads_old_versions(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["show", "metrics", "--output", str(output), "--report", "bytedance-2021"]
    assert _run([*args, "--version", "0"]) == 0
    text = capsys.readouterr().out
    assert "metrics v0 report bytedance-2021: 12 row(s)" in text
    assert "千吨" not in text and "tencent" not in text
    assert "source_sha256" not in text  # identity columns hidden unless asked for

    assert _run([*args, "--limit", "3", "--all-columns"]) == 0
    text = capsys.readouterr().out
    assert "千吨" in text and "source_sha256" in text
    assert "9 more rows" in text


def test_errors_are_one_line_and_exit_status_one(
    output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["show", "pages", "--output", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert _run(["diff", "pages", "0", "9", "--output", str(output)]) == 1
    assert "no version 9" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _run(["show", "no_such_dataset"])
