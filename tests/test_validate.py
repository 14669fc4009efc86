"""Validation against the contract: every failure of every dataset reported, before any write."""

from __future__ import annotations

import pandas as pd
import pytest
from synthetic_datasets import make_datasets

from csrextract import contract
from csrextract.errors import ValidationFailedError
from csrextract.validate import schema, validate_datasets, validated_tables


def _problems(datasets: dict[str, pd.DataFrame]) -> str:
    with pytest.raises(ValidationFailedError) as info:
        validate_datasets(datasets)
    return str(info.value)


def _loose() -> dict[str, pd.DataFrame]:
    """Object columns, so a test can put a wrong-typed value anywhere (as a buggy stage would)."""
    return {name: frame.astype(object) for name, frame in make_datasets().items()}


def test_schemas_are_generated_for_every_dataset_in_the_contract() -> None:
    for name, spec in contract.DATASETS.items():
        assert list(schema(name).columns) == spec.columns
        assert schema(name).unique == list(spec.key)


def test_valid_datasets_pass_and_convert_to_the_contract_schema() -> None:
    tables = validated_tables(make_datasets())
    for name, spec in contract.DATASETS.items():
        assert tables[name].schema.equals(spec.schema), name


def test_integers_given_as_int64_or_object_are_accepted() -> None:
    validate_datasets(_loose())


@pytest.mark.parametrize(
    ("dataset", "column", "value", "expected"),
    [
        ("sdg_responses", "sdg", 18, "sdg_responses.sdg: in_range(1, 17)"),
        ("sdg_responses", "sdg", 0, "sdg_responses.sdg: in_range(1, 17)"),
        ("pages", "method", "pdf", "pages.method: isin"),
        ("tables", "method", "magic", "tables.method: isin"),
        ("stakeholder_matrix", "aspect", "wishes", "stakeholder_matrix.aspect: isin"),
        ("stakeholder_matrix", "stakeholder_group", "aliens", "stakeholder_group: isin"),
        ("tables", "kind", "poem", "tables.kind: isin"),
        ("metrics", "qualifier", "~", "metrics.qualifier: isin"),
        ("metrics", "value", "twelve", "metrics.value: coerce_dtype"),
        ("pages", "n_chars", 1.5, "pages.n_chars: coerce_dtype"),
        ("gri_index", "page_ref", 2**40, "gri_index.page_ref: coerce_dtype"),
        ("gri_index", "page_refs", [3, 0], "gri_index.page_refs: page_refs is a list of pages"),
        ("gri_index", "sdgs", [18], "gri_index.sdgs: sdgs is a list of SDG numbers"),
        ("gri_index", "hkex_refs", "A1.1", "gri_index.hkex_refs: hkex_refs is a list"),
        ("gri_index", "sdgs", None, "gri_index.sdgs: not_nullable"),
        ("table_cells", "is_header", "maybe", "table_cells.is_header: coerce_dtype"),
        ("pages", "confidence", 1.5, "pages.confidence: in_range"),
        ("pages", "page", 0, "pages.page: greater_than_or_equal_to(1)"),
        ("pages", "bbox", [1.0, 2.0], "pages.bbox: bbox is"),
        ("pages", "bbox", [10.0, 2.0, 5.0, 4.0], "pages.bbox: bbox is"),
        ("tables", "pages", [], "tables.pages: pages is a non-empty list"),
        ("reports", "stage_seconds", "not json", "reports.stage_seconds: stage_seconds is a JSON"),
        ("reports", "source_sha256", "abc", "reports.source_sha256: str_matches"),
        ("reports", "status", "exploded", "reports.status: isin"),
        ("certifications", "standard", None, "certifications.standard: not_nullable"),
        ("metrics", "raw", None, "metrics.raw: not_nullable"),
    ],
)
def test_each_bad_value_is_reported_with_dataset_column_and_check(
    dataset: str, column: str, value: object, expected: str
) -> None:
    datasets = _loose()
    datasets[dataset].at[0, column] = value  # type: ignore[assignment]
    report = _problems(datasets)
    assert expected in report
    assert "at rows 0" in report


def test_nullable_columns_accept_nulls() -> None:
    datasets = make_datasets()
    datasets["metrics"]["qualifier"] = None
    datasets["metrics"]["value"] = float("nan")
    datasets["certifications"]["title_en"] = None
    validate_datasets(datasets)


def test_duplicate_natural_key_is_reported_with_the_key_values() -> None:
    datasets = make_datasets()
    cells = datasets["table_cells"]
    datasets["table_cells"] = pd.concat([cells, cells.iloc[[3]]], ignore_index=True)
    report = _problems(datasets)
    assert "table_cells: natural key (report_id, table_id, row, col) is unique" in report
    assert "table_id='t01', row=1, col=0" in report


def test_report_id_must_agree_with_company_and_year() -> None:
    datasets = make_datasets()
    datasets["metrics"]["report_year"] = 2020
    assert "metrics: report_id is company-report_year" in _problems(datasets)


def test_missing_extra_and_unknown_things_are_reported() -> None:
    datasets: dict[str, object] = dict(make_datasets())
    datasets["metrics"] = make_datasets()["metrics"].drop(columns=["raw"]).assign(extra=1)
    del datasets["gri_index"]
    datasets["sales"] = pd.DataFrame()
    datasets["pages"] = [{"page": 1}]
    report = _problems(datasets)  # type: ignore[arg-type]
    assert "metrics: column_in_dataframe failed for 'raw'" in report
    assert "metrics: column_in_schema failed for 'extra'" in report
    assert "gri_index: dataset missing" in report
    assert "sales: unknown dataset" in report
    assert "pages: expected a pandas DataFrame, got list" in report


def test_every_failure_of_every_dataset_is_reported_at_once() -> None:
    datasets = _loose()
    datasets["sdg_responses"].at[0, "sdg"] = 99
    datasets["metrics"].at[2, "qualifier"] = "?"
    datasets["reports"].at[0, "status"] = "?"
    report = _problems(datasets)
    assert report.startswith("3 validation problem(s); nothing was written")
    for fragment in ("sdg_responses.sdg", "metrics.qualifier", "reports.status"):
        assert fragment in report
