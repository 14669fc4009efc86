"""Row F1, table matching and the ``evaluate`` CLI on tiny hand-made golden data."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest
from synthetic_datasets import make_datasets, sha_of

from csrextract import contract
from csrextract.commands import register_evaluate
from csrextract.evaluate import (
    cer,
    evaluate,
    format_report,
    match_tables,
    row_scores,
    tables_from_frames,
)

GOLDEN_SDG = pd.DataFrame(
    {
        "sdg": ["1", "1", "4", "14"],
        "sdg_label": ["SDG 1", "SDG 1", "SDG 4", "SDG 14"],
        "response_no": ["1", "2", "1", "1"],
        "response": ["乡村 振兴", "公益平台", "名校公开课", "海洋保护"],
    }
)


def _extracted_sdg() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sdg": [1, 1, 4, 14],
            "sdg_label": ["SDG 1", "SDG 1", "SDG 4", "SDG 14"],
            "response_no": [1, 2, 1, 1],
            "response": ["乡村振兴\n", "公益平台", "名校公开课", "海洋保护"],
        }
    )


def test_identical_rows_score_one() -> None:
    score = row_scores("sdg_responses", GOLDEN_SDG, _extracted_sdg())
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_one_wrong_cell_costs_one_row_each_way() -> None:
    extracted = _extracted_sdg()
    extracted.loc[2, "response"] = "名校公开"
    score = row_scores("sdg_responses", GOLDEN_SDG, extracted)
    assert score.matched_rows == 3
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.75)
    assert score.f1 == pytest.approx(0.75)
    assert len(score.missing) == 1
    assert len(score.spurious) == 1


def test_missing_row_lowers_recall_only() -> None:
    score = row_scores("sdg_responses", GOLDEN_SDG, _extracted_sdg().iloc[:3])
    assert score.precision == 1.0
    assert score.recall == pytest.approx(0.75)
    assert score.f1 == pytest.approx(2 * 0.75 / 1.75)


def test_duplicate_row_is_spurious_in_a_multiset() -> None:
    extracted = pd.concat([_extracted_sdg(), _extracted_sdg().iloc[:1]])
    score = row_scores("sdg_responses", GOLDEN_SDG, extracted)
    assert (score.matched_rows, score.extracted_rows) == (4, 5)


def test_numbers_compare_as_numbers_and_nulls_equal_nulls() -> None:
    golden = pd.DataFrame(
        {"indicator": ["PUE", "次数"], "value": ["1.20", "3.3e10"], "unit": [None, "次"]}
    )
    extracted = pd.DataFrame(
        {
            "indicator": ["PUE", "次数"],
            "value": [1.2, 33_000_000_000.0],
            "unit": [float("nan"), "次"],
        }
    )
    assert row_scores("metrics", golden, extracted).f1 == 1.0
    extracted.loc[0, "value"] = 1.21
    assert row_scores("metrics", golden, extracted).matched_rows == 1


def test_absent_dataset_scores_zero_recall() -> None:
    score = row_scores("sdg_responses", GOLDEN_SDG, None)
    assert (score.extracted_rows, score.recall, score.f1) == (0, 0.0, 0.0)


def test_cer_on_normalised_text() -> None:
    assert cer("abcd", "abxd") == pytest.approx(0.25)
    assert cer("字节 跳动\n公司", "字节跳动公司") == 0.0
    assert cer("", "") == 0.0


def _cells_frame(table_id: str, grid: list[list[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "table_id": table_id,
                "row": r,
                "col": c,
                "row_span": 1,
                "col_span": 1,
                "is_header": r == 0,
                "text": text,
            }
            for r, row in enumerate(grid)
            for c, text in enumerate(row)
        ]
    )


PUE = [["年份", "PUE"], ["2020", "1.3"], ["2021", "1.2"]]
ISO = [["标准", "名称"], ["ISO 9001", "质量管理体系"], ["ISO 14001", "环境管理体系"]]


def _write_golden(golden: Path) -> None:
    golden.mkdir()
    cells = pd.concat([_cells_frame("t01", PUE), _cells_frame("t02", ISO)])
    cells.to_csv(golden / "table_cells.csv", index=False)
    pd.DataFrame(
        {
            "table_id": ["t01", "t02"],
            "kind": ["metrics", "certification"],
            "title": ["数据中心能效", "认证"],
            "style": ["ruled", "filled"],
            "n_rows": [3, 3],
            "n_cols": [2, 2],
            "pages": ["[40]", "[20, 21]"],
        }
    ).to_csv(golden / "tables.csv", index=False)
    pd.DataFrame(
        {
            "table_id": ["t01", "t01"],
            "indicator": ["PUE", "PUE"],
            "period": ["2020", "2021"],
            "value": ["1.3", "1.2"],
            "qualifier": ["", ""],
        }
    ).to_csv(golden / "metrics.csv", index=False)


def test_tables_are_matched_by_content_not_by_id(tmp_path: Path) -> None:
    _write_golden(tmp_path / "golden")
    spurious = [["目录", "页码"], ["关于本报告", "2"]]
    datasets = {
        # a spurious table first shifts every id by one
        "table_cells": pd.concat(
            [_cells_frame("t01", spurious), _cells_frame("t02", PUE), _cells_frame("t03", ISO)]
        ),
        "metrics": pd.DataFrame(
            {
                "table_id": ["t02", "t02"],
                "indicator": ["PUE", "PUE"],
                "period": ["2020", "2021"],
                "value": [1.3, 1.2],
                "qualifier": [None, None],
            }
        ),
    }
    report = evaluate(tmp_path / "golden", datasets)
    assert [(t.golden_id, t.extracted_id, t.teds) for t in report.tables] == [
        ("t01", "t02", 1.0),
        ("t02", "t03", 1.0),
    ]
    assert report.unmatched_extracted == ["t01"]
    assert report.datasets["metrics"].f1 == 1.0
    assert report.datasets["table_cells"].recall == 1.0
    assert report.datasets["table_cells"].precision == pytest.approx(12 / 16)
    text = format_report(report)
    assert "mean TEDS 1.0000" in text
    assert "metrics" in text


def test_wrong_cell_lowers_teds_of_its_table_only(tmp_path: Path) -> None:
    _write_golden(tmp_path / "golden")
    wrong = [row[:] for row in ISO]
    # table, thead, tr, 2 td, tbody, 2 tr, 4 td = 12 nodes; 2 of 6 characters lost in one td
    wrong[2][1] = "环境管理"
    datasets = {
        "table_cells": pd.concat([_cells_frame("a", PUE), _cells_frame("b", wrong)]),
    }
    report = evaluate(tmp_path / "golden", datasets)
    scores = {t.golden_id: t.teds for t in report.tables}
    assert scores["t01"] == 1.0
    assert scores["t02"] == pytest.approx(1 - (2 / 6) / 12)
    assert report.datasets["metrics"].note == "dataset not extracted"


def test_match_tables_leaves_unrelated_golden_unmatched() -> None:
    golden = tables_from_frames(None, _cells_frame("g", PUE))
    matches, unmatched = match_tables(golden, [[["完全", "无关"]]])
    assert matches == [(0, None, 0.0)]
    assert unmatched == [0]


def test_evaluate_cli_reads_real_delta_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from csrextract.storage import write_report

    datasets = make_datasets()
    output = tmp_path / "output"
    write_report(
        datasets,
        output,
        report_id="bytedance-2021",
        source_sha256=sha_of("bytedance2021"),
        run_id="run-1",
        pipeline_version="0.1.0",
    )
    golden = tmp_path / "golden"
    golden.mkdir()
    for name in ("sdg_responses", "certifications"):
        columns = contract.DATASETS[name].content_columns
        datasets[name][columns].to_csv(golden / f"{name}.csv", index=False)
    parser = argparse.ArgumentParser()
    register_evaluate(parser.add_subparsers())
    args = parser.parse_args(["evaluate", "--golden", str(golden), "--output", str(output)])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "| sdg_responses | 12 | 12 | 12 | 1.000 | 1.000 | 1.000 |" in printed
    assert "| certifications | 2 | 2 | 2 | 1.000 | 1.000 | 1.000 |" in printed


def test_contract_shaped_datasets_score_perfectly_against_their_own_csv(tmp_path: Path) -> None:
    datasets = make_datasets()
    golden = tmp_path / "golden"
    golden.mkdir()
    for name in (*contract.NORMALISED_DATASETS, "tables", "table_cells"):
        frame = datasets[name][contract.DATASETS[name].content_columns]
        frame.to_csv(golden / f"{name}.csv", index=False)  # lists and bools as CSV spells them
    report = evaluate(golden, datasets)
    assert {name: score.f1 for name, score in report.datasets.items()} == dict.fromkeys(
        (*contract.NORMALISED_DATASETS, "tables", "table_cells"), 1.0
    )
    # t05 has no cells in the synthetic data: two blank 4x3 grids are identical too
    assert [(t.golden_id, t.extracted_id, t.teds) for t in report.tables] == [
        ("t01", "t01", 1.0),
        ("t05", "t05", 1.0),
    ]
