"""OCR on the real fixtures: a few scanned table pages and one pasted-picture page.

The scanned fixture is the whole report rasterised at 170–200 dpi, rotated under 1°, with noise
and JPEG; the mixed fixture has a few pages replaced by pictures. A handful of pages is enough
to catch regressions in deskew, ruling lines and filled bands from the image, line geometry,
bullets and punctuation, and keeps this file well under a minute. ``bench/ocr.py`` covers all
table pages and a sample of prose pages.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pymupdf
import pytest

from csrextract.evaluate import cer, match_tables, tables_from_frames
from csrextract.models import PageContent, PageKind, Table
from csrextract.ocr import get_engine, ocr_page_content
from csrextract.tables import detect_tables, stitch_tables

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
DIGITAL = ROOT / "fixtures" / "bytedance_csr_2021.pdf"
SCANNED = ROOT / "fixtures" / "bytedance_csr_2021_scanned.pdf"
MIXED = ROOT / "fixtures" / "bytedance_csr_2021_mixed.pdf"
GOLDEN = ROOT / "fixtures" / "golden"

SCANNED_PAGES = (16, 45, 82)
"""A ruled table, a filled and a three-line table on one page, a filled table of ○ bullets."""

if not all(p.exists() for p in (DIGITAL, SCANNED, MIXED, GOLDEN / "table_cells.csv")):
    pytest.skip("fixtures not built", allow_module_level=True)


def golden_tables(pages: set[int]) -> list[Table]:
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(GOLDEN / name, dtype=str, keep_default_na=False, na_values=[""])

    tables = tables_from_frames(read("tables.csv"), read("table_cells.csv"))
    return [t for t in tables if set(t.pages) & pages]


def image_page(pdf: Path, number: int) -> PageContent:
    with pymupdf.open(pdf) as doc:
        rect = doc[number - 1].rect
    return PageContent(number, rect.width, rect.height, kind=PageKind.IMAGE)


def reference_text(number: int) -> str:
    """The digital twin's text layer of one page, lines in reading order (rows top to bottom,
    runs left to right: the order OCR lines come in)."""
    with pymupdf.open(DIGITAL) as doc:
        lines = [
            (line["bbox"], "".join(span["text"] for span in line["spans"]))
            for block in doc[number - 1].get_text("dict")["blocks"]
            for line in block.get("lines", [])
        ]
    return ocr_order([(tuple(b), t) for b, t in lines])


def ocr_order(lines: list[tuple[tuple[float, ...], str]]) -> str:
    """Lines grouped into rows by their middle (within 4 pt), rows top to bottom."""
    rows: list[list[tuple[tuple[float, ...], str]]] = []
    for box, text in sorted(lines, key=lambda ln: (ln[0][1] + ln[0][3]) / 2):
        middle = (box[1] + box[3]) / 2
        if rows and abs(middle - (rows[-1][-1][0][1] + rows[-1][-1][0][3]) / 2) <= 4.0:
            rows[-1].append((box, text))
        else:
            rows.append([(box, text)])
    return "\n".join("".join(t for _, t in sorted(row, key=lambda r: r[0][0])) for row in rows)


@pytest.fixture(scope="module")
def scanned_pages(tmp_path_factory: pytest.TempPathFactory) -> list[PageContent]:
    cache = tmp_path_factory.mktemp("ocr-cache")
    engine = get_engine("rapidocr")
    return [ocr_page_content(SCANNED, image_page(SCANNED, n), engine, cache) for n in SCANNED_PAGES]


def test_scanned_table_pages_give_the_golden_tables(scanned_pages: list[PageContent]) -> None:
    found = stitch_tables([t for p in scanned_pages for t in detect_tables(p)], scanned_pages)
    golden = golden_tables(set(SCANNED_PAGES))
    assert len(golden) == 4
    matches, _ = match_tables(golden, found)
    scores = {golden[gi].table_id: round(score, 3) for gi, _, score in matches}
    assert all(score >= 0.93 for score in scores.values()), scores


def test_scanned_page_text_has_under_two_percent_character_errors(
    scanned_pages: list[PageContent],
) -> None:
    rates = {
        p.number: round(
            cer(reference_text(p.number), ocr_order([(ln.bbox, ln.text) for ln in p.lines])), 4
        )
        for p in scanned_pages
    }
    assert all(rate <= 0.02 for rate in rates.values()), rates


def test_scanned_rows_keep_ocr_method_and_confidences(scanned_pages: list[PageContent]) -> None:
    lines = [ln for p in scanned_pages for ln in p.lines]
    assert lines and all(ln.method.value == "ocr" for ln in lines)
    assert all(0.0 < ln.confidence <= 1.0 for ln in lines)
    assert any(ln.text.startswith("○ ") for ln in lines), "the ring bullets of p82 stay rings"


def test_pasted_picture_page_gives_its_table(tmp_path: Path) -> None:
    from csrextract.layout import read_page_content

    page = read_page_content(MIXED, 16)
    assert page.kind is PageKind.IMAGE and not page.lines
    content = ocr_page_content(MIXED, page, "rapidocr", tmp_path)
    golden = golden_tables({16})
    matches, _ = match_tables(golden, detect_tables(content))
    assert matches[0][2] >= 0.93
    assert cer(reference_text(16), ocr_order([(ln.bbox, ln.text) for ln in content.lines])) <= 0.02
