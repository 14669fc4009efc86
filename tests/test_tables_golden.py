"""Golden regression: every table of the digital fixture found, TEDS ≥ 0.98, nothing spurious.

Skipped only while the fixture or its golden grids are not yet built (fixtures issue).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pymupdf
import pytest
from tables_pdf import page_content

from csrextract.evaluate import match_tables, tables_from_frames
from csrextract.tables import detect_tables, stitch_tables

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "fixtures" / "bytedance_csr_2021.pdf"
GOLDEN = ROOT / "fixtures" / "golden"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name, dtype=str, keep_default_na=False)


@pytest.mark.skipif(
    not (
        PDF.exists() and (GOLDEN / "table_cells.csv").exists() and (GOLDEN / "tables.csv").exists()
    ),
    reason="fixture PDF or golden table grids not built yet",
)
def test_every_fixture_table_found_with_teds_at_least_098() -> None:
    golden = tables_from_frames(_read("tables.csv"), _read("table_cells.csv"))
    with pymupdf.open(PDF) as doc:
        n_pages = doc.page_count
    pages = [page_content(PDF, n) for n in range(1, n_pages + 1)]
    found = stitch_tables([t for p in pages for t in detect_tables(p)], pages)
    matches, unmatched = match_tables(golden, found)
    scores = {golden[gi].table_id: round(score, 3) for gi, _, score in matches}
    assert all(score >= 0.98 for score in scores.values()), scores
    assert unmatched == [], [found[i].pages for i in unmatched]
