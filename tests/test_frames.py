"""Frames: every contract dataset with identity columns and contract types, passing validation."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from csrextract import contract
from csrextract.frames import build_datasets, pipeline_version
from csrextract.models import (
    Cell,
    Document,
    Method,
    PageContent,
    PageKind,
    Table,
    TableKind,
    TableStyle,
    TextLine,
)
from csrextract.validate import validate_datasets, validated_tables

DOCUMENT = Document(
    path=Path("acme.pdf"),
    sha256="ab" * 32,
    page_count=2,
    title="ACME 2023 Sustainability Report",
    metadata={},
    company="acme",
    report_year=2023,
)


def _pages() -> list[PageContent]:
    text_page = PageContent(1, 595, 842, lines=[TextLine("关键绩效", (50, 80, 120, 96))])
    ocr_line = TextLine("扫描页文字", (50, 80, 150, 96), method=Method.OCR, confidence=0.9)
    scanned = PageContent(2, 595, 842, kind=PageKind.IMAGE, lines=[ocr_line])
    return [text_page, scanned]


def _tables() -> list[Table]:
    cells = [
        Cell(0, 0, "指标", is_header=True, page=1, bbox=(50, 100, 200, 120)),
        Cell(0, 1, "2023 年", is_header=True, page=1, bbox=(200, 100, 300, 120)),
        Cell(1, 0, "PUE", page=0),  # no page known: the table's first page is used
        Cell(1, 1, "1.2", page=2, method=Method.OCR, confidence=0.8),
    ]
    kpi = Table("t01", cells, 2, 2, [1, 2], (50, 100, 300, 140), TableStyle.RULED)
    kpi.kind, kpi.title = TableKind.METRICS, "关键绩效"
    return [kpi]


def _metrics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "table_id": ["t01"],
            "indicator": ["PUE"],
            "period": ["2023 年"],
            "value": [1.2],
            "unit": [None],
            "qualifier": [None],
            "raw": ["1.2"],
            "page": [2],
            "bbox": [(200.0, 120.0, 300.0, 140.0)],
            "method": ["ocr"],
            "confidence": [0.8],
        }
    )


@pytest.fixture
def datasets() -> dict[str, pd.DataFrame]:
    return build_datasets(
        DOCUMENT,
        _pages(),
        _tables(),
        {"metrics": _metrics()},
        run_id="run-1",
        stage_seconds={"load": 0.1, "layout": 0.4},
        errors=["page 2: ocr: low confidence"],
    )


def test_every_dataset_is_built_and_passes_validation(datasets: dict[str, pd.DataFrame]) -> None:
    assert list(datasets) == list(contract.DATASETS)
    validate_datasets(datasets)
    arrow = validated_tables(datasets)
    assert arrow["sdg_responses"].num_rows == 0  # absent kinds: empty, with the right columns
    assert arrow["table_cells"].schema.field("row").type == pa.int32()
    assert arrow["reports"].schema.field("report_year").type == pa.int32()


def test_identity_columns_on_every_row(datasets: dict[str, pd.DataFrame]) -> None:
    for name, frame in datasets.items():
        assert list(frame.columns) == contract.DATASETS[name].columns, name
        if len(frame):
            assert set(frame["report_id"]) == {"acme-2023"}, name
            assert set(frame["run_id"]) == {"run-1"}, name
            assert set(frame["source_sha256"]) == {"ab" * 32}, name
            assert set(frame["pipeline_version"]) == {pipeline_version()}, name


def test_bookkeeping_datasets(datasets: dict[str, pd.DataFrame]) -> None:
    tables = datasets["tables"].iloc[0]
    assert (tables["kind"], tables["title"], list(tables["pages"])) == (
        "metrics",
        "关键绩效",
        [1, 2],
    )
    assert (tables["method"], tables["confidence"]) == ("ocr", 0.8)
    cells = datasets["table_cells"]
    assert list(cells["page"]) == [1, 1, 1, 2]
    pages = datasets["pages"]
    assert list(pages["method"]) == ["text", "ocr"]
    assert list(pages["n_chars"]) == [4, 5]
    report = datasets["reports"].iloc[0]
    assert (report["n_pages"], report["n_pages_ocr"], report["n_tables"]) == (2, 1, 1)
    assert report["status"] == "partial_success"
    assert list(report["errors"]) == ["page 2: ocr: low confidence"]
    assert json.loads(report["stage_seconds"]) == {"load": 0.1, "layout": 0.4}


def test_normalised_rows_get_identity_and_types(datasets: dict[str, pd.DataFrame]) -> None:
    metrics = datasets["metrics"]
    assert len(metrics) == 1
    assert metrics.loc[0, "report_year"] == 2023
    assert list(metrics.loc[0, "bbox"]) == [200.0, 120.0, 300.0, 140.0]
    assert str(metrics["page"].dtype) == "Int32"
