"""Every table carries a parse report; its confidence is high for a clean table, low for a guess."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pymupdf
from tables_pdf import make_pdf, page_content, ruled_two_columns, text

from csrextract.frames import table_confidence
from csrextract.models import Cell, ParseReport, Table, TableStyle
from csrextract.tables import detect_tables, stitch_tables
from csrextract.tables.report import confidence_of
from csrextract.tables.ruled import RuledStrategy

XS = (50, 200, 350)


def _ruled(page: pymupdf.Page, rows: list[tuple[str, str]], top: float = 100) -> None:
    ruled_two_columns(page, rows, top, XS)


ROWS = [("项目", "说明"), ("培训", "员工培训覆盖率"), ("公益", "志愿服务时长")]


def _one(tmp_path: Path, draw) -> Table:  # type: ignore[no-untyped-def]
    pdf = make_pdf(tmp_path / "t.pdf", [draw])
    tables = detect_tables(page_content(pdf))
    assert len(tables) == 1
    return tables[0]


def test_clean_ruled_table_reports_full_agreement(tmp_path: Path) -> None:
    table = _one(tmp_path, lambda page: _ruled(page, ROWS))
    report = table.report
    assert "ruled" in report.reason
    assert (report.text_in_cells, report.edge_agreement, report.filled_share) == (1.0, 1.0, 1.0)
    assert report.ocr_confidence == 1.0
    assert table.confidence >= 0.95


def test_text_spilling_over_the_grid_lowers_confidence(tmp_path: Path) -> None:
    """A run crossing an inner rule and one sticking out of the outline: the grid does not
    match the text, so the table is a guess however neatly it is drawn."""

    def draw(page: pymupdf.Page) -> None:
        _ruled(page, ROWS)
        text(
            page,
            XS[0] + 4,
            159,
            "这一行文字越过了单元格的边线一直写到表格以外很远很远很远很远的地方为止",
        )

    table = _one(tmp_path, draw)
    assert table.report.text_in_cells < 0.9
    assert table.report.edge_agreement < 1.0
    assert table.confidence < 0.8


def test_alignment_only_is_trusted_less_than_drawn_lines(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        for i, (a, b, c) in enumerate(
            [
                ("指标", "2020", "2021"),
                ("员工人数", "1200", "1350"),
                ("女性占比", "41%", "43%"),
                ("培训时长", "32", "36"),
            ]
        ):
            text(page, 50, 100 + 18 * i, a)
            text(page, 200, 100 + 18 * i, b)
            text(page, 300, 100 + 18 * i, c)

    aligned = _one(tmp_path, draw)
    assert aligned.style is TableStyle.ALIGNED
    assert aligned.report.edge_agreement == 1.0
    assert 0.5 <= aligned.confidence < 0.9


def test_confidence_falls_with_each_disagreement() -> None:
    clean = ParseReport(reason="x")
    assert confidence_of(clean, RuledStrategy.prior) == 1.0
    for worse in (
        replace(clean, text_in_cells=0.6),
        replace(clean, edge_agreement=0.6),
        replace(clean, filled_share=0.2),
        replace(clean, ocr_confidence=0.6),
    ):
        assert confidence_of(worse, RuledStrategy.prior) <= 0.6


def test_stitched_table_keeps_the_weaker_evidence_and_says_why(tmp_path: Path) -> None:
    def page1(page: pymupdf.Page) -> None:
        _ruled(page, ROWS, top=700)

    def page2(page: pymupdf.Page) -> None:
        _ruled(
            page,
            [("环保", "节能减排措施"), ("合规", "反腐败培训这一行写到表格以外很远的地方了")],
            top=60,
        )

    pdf = make_pdf(tmp_path / "two.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    parts = [t for p in pages for t in detect_tables(p)]
    [table] = stitch_tables(parts, pages)
    assert table.pages == [1, 2]
    assert len(table.report.stitched) == 1
    assert table.confidence == min(p.confidence for p in parts) < 1.0
    assert table.report.text_in_cells == parts[1].report.text_in_cells


def test_tables_dataset_confidence_is_the_tables_own() -> None:
    table = Table(
        "t",
        [Cell(0, 0, "a"), Cell(0, 1, "b")],
        1,
        2,
        [1],
        (0, 0, 1, 1),
        TableStyle.ALIGNED,
        confidence=0.62,
    )
    assert table_confidence(table) == 0.62
    table.cells[1].confidence = 0.5
    assert table_confidence(table) == 0.5
