"""Smoke test of the benchmark: a one-page ruled table, peers scored against its golden grid."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pymupdf
import pytest

from bench.run import main, parse_pages

ROWS = [["Year", "Efficiency", ""], ["2020", "1.30", "0.80"], ["2021", "1.20", "0.70"]]
"""The header cell "Efficiency" spans columns 1-2: no ruling line between them in row 0."""


def _ruled_table_pdf(path: Path) -> None:
    """A real PDF: a ruled 3x3 table with one merged header cell, Helvetica text."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    x_edges, y_edges = [100, 200, 300, 400], [100, 130, 160, 190]
    for x in x_edges:
        top = y_edges[1] if x == 300 else y_edges[0]  # the merge: no line inside the header
        page.draw_line((x, top), (x, y_edges[-1]), width=1)
    for y in y_edges:
        page.draw_line((x_edges[0], y), (x_edges[-1], y), width=1)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            page.insert_text((x_edges[c] + 8, y_edges[r] + 20), text, fontsize=11)
    doc.save(path)


def _golden(golden: Path) -> None:
    golden.mkdir()
    pd.DataFrame(
        [
            {
                "table_id": "t01",
                "row": r,
                "col": c,
                "row_span": 1,
                "col_span": 2 if (r, c) == (0, 1) else 1,
                "is_header": r == 0,
                "text": text,
            }
            for r, row in enumerate(ROWS)
            for c, text in enumerate(row)
            if (r, c) != (0, 2)
        ]
    ).to_csv(golden / "table_cells.csv", index=False)
    pd.DataFrame(
        [
            {
                "table_id": "t01",
                "kind": "metrics",
                "title": "PUE",
                "style": "ruled",
                "n_rows": 3,
                "n_cols": 3,
                "pages": "[1]",
            }
        ]
    ).to_csv(golden / "tables.csv", index=False)


def test_parse_pages() -> None:
    assert parse_pages("1-3,5,9-end", 10) == [1, 2, 3, 5, 9, 10]
    assert parse_pages(None, 3) == [1, 2, 3]
    with pytest.raises(ValueError, match="bad page range"):
        parse_pages("x", 3)


@pytest.mark.slow
def test_bench_scores_peers_on_a_ruled_table_with_a_merged_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "table.pdf"
    _ruled_table_pdf(pdf)
    _golden(tmp_path / "golden")
    argv = [
        "--pdf",
        str(pdf),
        "--golden",
        str(tmp_path / "golden"),
        "--results",
        str(tmp_path / "results"),
        "--skip-peer",
        "camelot-stream",
    ]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "| pdfplumber |" in printed
    payload = json.loads((tmp_path / "results" / "digital.json").read_text(encoding="utf-8"))
    by_method = {m["method"]: m for m in payload["methods"]}
    assert by_method["pdfplumber"]["tables_found"] == 1
    assert by_method["pdfplumber"]["mean_teds"] == pytest.approx(1.0)
    assert by_method["camelot-lattice"]["mean_teds"] == pytest.approx(1.0)


def test_pymupdf_peer_reads_the_ruled_table(tmp_path: Path) -> None:
    from bench.peers import pymupdf_tables
    from csrextract.evaluate import tables_from_frames, teds

    pdf = tmp_path / "table.pdf"
    _ruled_table_pdf(pdf)
    _golden(tmp_path / "golden")
    tables, errors = pymupdf_tables(pdf, [1])
    assert not errors
    assert len(tables) == 1
    golden = tables_from_frames(
        pd.read_csv(tmp_path / "golden" / "tables.csv"),
        pd.read_csv(tmp_path / "golden" / "table_cells.csv", keep_default_na=False),
    )
    assert (tables[0].n_rows, tables[0].n_cols) == (3, 3)  # rule slivers dropped
    assert {"Year", "Efficiency", "2020", "2021"} <= {c.text for c in tables[0].cells}
    assert teds(golden[0], tables[0], use_header=False) > 0.5


def test_corpus_style_tables_average_per_axis_value() -> None:
    from bench.corpus import DesignRun, style_table

    runs = [
        DesignRun("d00", {"rules": "grid"}, 10, teds={"a": 1.0, "b": 0.5}, f1={"x": 0.9}),
        DesignRun("d01", {"rules": "grid"}, 10, teds={"a": 0.8, "b": 0.3}, f1={"x": 0.7}),
        DesignRun("d02", {"rules": "none"}, 10, teds={"a": 0.2, "b": 0.1}, f1={"x": 0.1}),
    ]
    table = style_table(runs, "rules", ["a", "b"])
    assert "| grid | 2 | 0.900 | 0.400 | 0.800 |" in table
    assert "| none | 1 | 0.200 | 0.100 | 0.100 |" in table
