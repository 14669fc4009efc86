"""Golden regression on the digital fixture: the whole pipeline against ``fixtures/golden``.

One extraction of ``fixtures/bytedance_csr_2021.pdf`` (module fixture) is scored with
``csrextract.evaluate`` — the same code analysts run with ``csrextract evaluate`` — so a failure
message is the evaluation table itself.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from csrextract.evaluate import EvaluationReport, evaluate, format_report
from csrextract.pipeline import ReportResult, extract_report
from csrextract.validate import validate_datasets

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "fixtures" / "bytedance_csr_2021.pdf"
GOLDEN = ROOT / "fixtures" / "golden"
EXACT_DATASETS = ("sdg_responses", "stakeholder_matrix", "certifications", "gri_index")


@pytest.fixture(scope="module")
def result() -> ReportResult:
    return extract_report(PDF)


@pytest.fixture(scope="module")
def report(result: ReportResult) -> EvaluationReport:
    return evaluate(GOLDEN, result.datasets)


def test_identity_detected_from_the_document(result: ReportResult) -> None:
    assert result.document.company == "bytedance"
    assert result.document.report_year == 2021
    assert result.errors == []


def test_datasets_satisfy_the_contract(result: ReportResult) -> None:
    validate_datasets(result.datasets)


@pytest.mark.parametrize("name", EXACT_DATASETS)
def test_named_dataset_equals_golden(report: EvaluationReport, name: str) -> None:
    score = report.datasets[name]
    assert score.golden_rows > 0
    assert (score.precision, score.recall) == (1.0, 1.0), format_report(report, examples=True)


def test_every_table_found_with_teds_at_least_098(report: EvaluationReport) -> None:
    golden_tables = pd.read_csv(GOLDEN / "tables.csv", dtype=str)
    assert len(report.tables) == len(golden_tables)
    assert report.tables_at_least(0.98) == len(report.tables), format_report(report)
    assert report.unmatched_extracted == [], format_report(report)


def test_pue_wue_metrics_exact(result: ReportResult) -> None:
    golden = pd.read_csv(GOLDEN / "metrics.csv", dtype=str, keep_default_na=False)
    wanted = golden[golden["indicator"].str.contains("PUE|WUE", regex=True)]
    assert len(wanted) >= 6
    got = result.datasets["metrics"]
    got = got[got["indicator"].str.contains("PUE|WUE", regex=True)]
    key = ["indicator", "period"]
    merged = wanted.merge(got, on=key, how="left", suffixes=("_golden", ""), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[key]
    for _, row in merged.iterrows():
        expected = None if row["value_golden"] == "" else float(row["value_golden"])
        assert (None if pd.isna(row["value"]) else float(row["value"])) == expected, row
        assert (row["qualifier"] or "") == row["qualifier_golden"], row
