"""``csrextract export``: every format writes, and CSV/XLSX read back equal to the stored rows."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from openpyxl import load_workbook

import csrextract
from csrextract import cli, contract, export, render, storage

ROOT = Path(__file__).parent.parent
DIGITAL = ROOT / "fixtures" / "bytedance_csr_2021.pdf"
REPORT = "bytedance-2021"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The digital fixture extracted through the Python API and stored."""
    out = tmp_path_factory.mktemp("export") / "output"
    csrextract.extract(DIGITAL).write(out)
    return out


def _comparable(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """List cells as Python lists (stored ones are numpy arrays), so frames compare by value."""
    out = frame.copy()
    for field in contract.spec(name).schema:
        if pa.types.is_list(field.type):
            out[field.name] = [None if v is None else list(v) for v in out[field.name]]
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_dataset_round_trips(output: Path, tmp_path: Path, fmt: str) -> None:
    dest = tmp_path / ("all" if fmt == "csv" else "all.xlsx")
    code = cli.main(["export", REPORT, "--format", fmt, "--output", str(output), "--to", str(dest)])
    assert code == 0
    for name in export.EXPORTED_DATASETS:
        stored = storage.read_dataset(name, output, report_id=REPORT)
        assert len(stored), name
        path = dest / f"{name}.csv" if fmt == "csv" else dest
        back = export.read_export(path, name)
        assert list(back.columns) == contract.spec(name).columns
        pd.testing.assert_frame_equal(_comparable(back, name), _comparable(stored, name))


def test_one_dataset_as_csv_round_trips(output: Path, tmp_path: Path) -> None:
    dest = tmp_path / "metrics.csv"
    args = ["export", REPORT, "--format", "csv", "--dataset", "metrics"]
    assert cli.main([*args, "--output", str(output), "--to", str(dest)]) == 0
    stored = storage.read_dataset("metrics", output, report_id=REPORT)
    back = export.read_export(dest, "metrics")
    pd.testing.assert_frame_equal(_comparable(back, "metrics"), _comparable(stored, "metrics"))


def _merged_table(output: Path) -> tuple[str, int]:
    frames = export.report_datasets(output, REPORT, ("reports", "tables", "table_cells"))
    for table in export.report_tables(frames):
        merged = sum(1 for c in table.cells if c.row_span > 1 or c.col_span > 1)
        if merged:
            return table.table_id, merged
    raise AssertionError("the fixture has tables with merged cells")


def test_table_csv_reads_back_as_its_grid(output: Path, tmp_path: Path) -> None:
    table_id, _ = _merged_table(output)
    dest = tmp_path / "t.csv"
    args = ["export", REPORT, "--format", "csv", "--table", table_id, "--to", str(dest)]
    assert cli.main([*args, "--output", str(output)]) == 0
    frames = export.report_datasets(output, REPORT, ("reports", "tables", "table_cells"))
    table = export.pick_table(export.report_tables(frames), table_id, REPORT)
    grid = table.to_pandas()
    back = pd.read_csv(dest, dtype=str, keep_default_na=False)
    assert back.values.tolist() == grid.values.tolist()
    assert len(back) == table.n_rows - render.header_rows(table)


def test_table_xlsx_keeps_merged_cells(output: Path, tmp_path: Path) -> None:
    table_id, merged = _merged_table(output)
    dest = tmp_path / "t.xlsx"
    args = ["export", REPORT, "--format", "xlsx", "--table", table_id, "--to", str(dest)]
    assert cli.main([*args, "--output", str(output)]) == 0
    sheet = load_workbook(dest).active
    assert sheet is not None and sheet.title == table_id
    assert len(sheet.merged_cells.ranges) == merged
    frames = export.report_datasets(output, REPORT, ("reports", "tables", "table_cells"))
    table = export.pick_table(export.report_tables(frames), table_id, REPORT)
    for cell in table.cells:
        assert (sheet.cell(cell.row + 1, cell.col + 1).value or "") == cell.text


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_text_formats(output: Path, tmp_path: Path, fmt: str) -> None:
    dest = tmp_path / f"all.{fmt}"
    assert (
        cli.main(["export", REPORT, "--format", fmt, "--output", str(output), "--to", str(dest)])
        == 0
    )
    text = dest.read_text(encoding="utf-8")
    metrics = storage.read_dataset("metrics", output, report_id=REPORT)
    if fmt == "json":
        payload = json.loads(text)
        assert set(payload) == set(export.EXPORTED_DATASETS)
        assert [r["indicator"] for r in payload["metrics"]] == metrics["indicator"].tolist()
        assert all(len(r["bbox"]) == 4 for r in payload["metrics"])
    else:
        for name in export.EXPORTED_DATASETS:
            assert name in text
        assert all(str(i).replace("|", "\\|") in text for i in metrics["indicator"])


def test_table_html_has_real_spans(output: Path, tmp_path: Path) -> None:
    table_id, merged = _merged_table(output)
    dest = tmp_path / "t.html"
    args = ["export", REPORT, "--format", "html", "--table", table_id, "--to", str(dest)]
    assert cli.main([*args, "--output", str(output)]) == 0
    text = dest.read_text(encoding="utf-8")
    assert text.count("rowspan=") + text.count("colspan=") >= merged


def test_unknown_report_or_table_is_one_clear_line(
    output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["export", "--format", "csv", "--output", str(output), "--to", str(tmp_path / "x")]
    assert cli.main([base[0], "nobody-2020", *base[1:]]) == 1
    assert "no report 'nobody-2020'" in capsys.readouterr().err
    assert cli.main([base[0], REPORT, *base[1:], "--table", "t999"]) == 1
    err = capsys.readouterr().err
    assert "no table 't999'" in err and "t01" in err and "Traceback" not in err


def test_named_rows_carry_their_table_id_and_keys_are_never_null(output: Path) -> None:
    tables = storage.read_dataset("tables", output, report_id=REPORT)
    kinds = dict(zip(tables["table_id"], tables["kind"], strict=True))
    expected_kind = {
        "sdg_responses": "sdg",
        "stakeholder_matrix": "stakeholder",
        "certifications": "certification",
        "gri_index": "gri_index",
        "metrics": "metrics",
    }
    for name, kind in expected_kind.items():
        frame = storage.read_dataset(name, output, report_id=REPORT)
        assert len(frame), name
        assert {kinds[t] for t in frame["table_id"]} == {kind}, name
        for key in contract.spec(name).key:
            assert frame[key].notna().all(), (name, key)
    metrics = storage.read_dataset("metrics", output, report_id=REPORT)
    assert str(metrics["year"].dtype) == "Int16"
    assert set(metrics["year"].dropna()) == {2019, 2020, 2021}
