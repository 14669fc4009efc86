"""The scan measurement of the corpus (``fixtures/corpus/scans.py``): page choice and summary."""

from __future__ import annotations

from pathlib import Path

from fixtures.corpus.scans import one_page_tables, summary


def test_only_pages_of_tables_lying_on_one_page_are_scanned(tmp_path: Path) -> None:
    (tmp_path / "tables.csv").write_text(
        "table_id,kind,title,pages,n_rows,n_cols,style\n"
        "t01,other,Contents,2;3,5,6,aligned\n"
        "t02,stakeholder,利益相关方,5,7,4,filled\n"
        "t03,metrics,数据中心,9,4,4,ruled\n"
        "t04,other,用户服务,9,5,2,ruled\n",
        encoding="utf-8",
    )
    assert one_page_tables(tmp_path) == [5, 9]


def test_summary_averages_each_dataset_over_the_designs_that_have_it() -> None:
    axes = {"rules": "none", "header": "dark/white"}
    results = [
        {"design_id": "d00", "axes": axes, "dpi": 150, "tilt": 0.4, "meets_bar": True,
         "f1": {"metrics": 1.0, "certifications": 1.0}, "mean_teds": 0.99},
        {"design_id": "d01", "axes": axes, "dpi": 300, "tilt": -0.2, "meets_bar": False,
         "f1": {"metrics": 0.5}, "mean_teds": 0.71},
    ]  # fmt: skip
    last = summary(results).splitlines()[-1]
    assert "| 1.000 |" in last  # certifications: only d00 has it
    assert "| 0.750 |" in last  # metrics: (1.0 + 0.5) / 2
    assert last.endswith("| 0.850 | 1/2 |")
