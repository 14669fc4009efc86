"""A table's labelled caption, above or below it, is its title — not a section heading far away."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from tables_pdf import hline, make_pdf, page_content, text, vline

from csrextract.classify import classify_tables
from csrextract.tables import detect_tables, stitch_tables
from csrextract.tables.caption import is_caption

XS = (60, 220, 400)
ROWS = [("类别", "人数"), ("男性员工", "1200"), ("女性员工", "980"), ("合计", "2180")]


def _ruled(page: pymupdf.Page, top: float) -> float:
    ys = [top + 22 * i for i in range(len(ROWS) + 1)]
    for y in ys:
        hline(page, XS[0], XS[-1], y)
    for x in XS:
        vline(page, x, ys[0], ys[-1])
    for y, (a, b) in zip(ys, ROWS, strict=False):
        text(page, XS[0] + 4, y + 15, a)
        text(page, XS[1] + 4, y + 15, b)
    return ys[-1]


def _titles(tmp_path: Path, draw) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    pdf = make_pdf(tmp_path / "caption.pdf", [draw])
    pages = [page_content(pdf)]
    stitched = stitch_tables(detect_tables(pages[0]), pages)
    assert len(stitched) == 1
    return stitched[0].title, classify_tables(stitched, pages)[0].title


def _section(page: pymupdf.Page) -> None:
    text(page, 60, 80, "公司简介", 18)
    for i in range(6):
        text(
            page,
            60,
            110 + 16 * i,
            "正文段落：公司坚持以人为本，持续完善员工发展与关怀体系，保障员工权益。",
        )


def test_caption_below_the_table_beats_a_section_heading_far_above(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        _section(page)
        bottom = _ruled(page, 240)
        text(page, 150, bottom + 16, "表 2 员工性别构成")

    assert _titles(tmp_path, draw) == ("表 2 员工性别构成", "表 2 员工性别构成")


@pytest.mark.parametrize(
    "caption", ["Table 3: Employees by gender", "表3-1 员工构成", "图表 4 员工"]
)
def test_labelled_caption_above_the_table(tmp_path: Path, caption: str) -> None:
    def draw(page: pymupdf.Page) -> None:
        _section(page)
        text(page, 150, 232, caption)
        _ruled(page, 240)

    assert _titles(tmp_path, draw) == (caption, caption)


def test_a_heading_right_below_the_table_is_not_its_title(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        text(page, 60, 200, "员工构成", 14)
        bottom = _ruled(page, 220)
        text(page, 60, bottom + 20, "3.2 员工发展", 14)

    own, final = _titles(tmp_path, draw)
    assert own == "" and final == "员工构成"


def test_continued_table_keeps_its_first_caption(tmp_path: Path) -> None:
    def page1(page: pymupdf.Page) -> None:
        text(page, 150, 692, "表 5 员工构成")
        _ruled(page, 700)

    def page2(page: pymupdf.Page) -> None:
        text(page, 150, 52, "表 5 员工构成（续）")
        _ruled(page, 60)

    pdf = make_pdf(tmp_path / "two.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    (table,) = stitch_tables([t for p in pages for t in detect_tables(p)], pages)
    assert table.pages == [1, 2] and table.title == "表 5 员工构成"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("表 3 利益相关方沟通", True),
        ("Table 12. GRI content index", True),
        ("续表 2 关键绩效", True),
        ("表 3", False),  # a bare reference
        ("表示本行高度重视", False),
        ("如表 3 所示，本行员工持续增长", False),
    ],
)
def test_what_a_labelled_caption_is(line: str, expected: bool) -> None:
    assert is_caption(line) is expected


def test_unlabelled_caption_standing_alone_under_the_table(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        _section(page)
        bottom = _ruled(page, 240)
        text(page, 150, bottom + 14, "2021年员工构成")
        text(page, 60, bottom + 60, "正文段落：公司坚持以人为本，持续完善员工发展与关怀体系。")

    assert _titles(tmp_path, draw) == ("2021年员工构成", "2021年员工构成")


def test_first_line_of_a_paragraph_under_the_table_is_no_caption(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        text(page, 60, 200, "员工构成", 14)
        bottom = _ruled(page, 220)
        text(page, 60, bottom + 14, "报告期内员工总数稳步增长")
        text(page, 60, bottom + 27, "女性员工占比保持在四成以上。")

    assert _titles(tmp_path, draw) == ("", "员工构成")


def test_running_footer_close_under_the_table_is_no_caption(tmp_path: Path) -> None:
    def page_with(footer_gap: float):  # type: ignore[no-untyped-def]
        def draw(page: pymupdf.Page) -> None:
            text(page, 60, 200, "员工构成", 14)
            bottom = _ruled(page, 220) if footer_gap else 0.0
            text(page, 150, (bottom + footer_gap) if footer_gap else 800, "某公司社会责任报告", 8)

        return draw

    pdf = make_pdf(tmp_path / "run.pdf", [page_with(0), page_with(14), page_with(0)])
    pages = [page_content(pdf, n) for n in (1, 2, 3)]
    (table,) = stitch_tables([t for p in pages for t in detect_tables(p)], pages)
    assert table.title == ""


def test_bold_heading_at_body_size_under_the_table_is_no_caption(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        text(page, 60, 200, "员工构成", 14)
        bottom = _ruled(page, 220)
        # fake bold: fill and stroke the glyphs (how reports set body-size subheadings)
        page.insert_text(
            (60, bottom + 16), "防范欺诈风险", fontname="cjk", fontsize=9, render_mode=2
        )
        text(page, 60, bottom + 44, "正文段落：本行强化源头治理，严守反诈防线，结合智能系统建设。")

    pdf = make_pdf(tmp_path / "bold.pdf", [draw])
    page = page_content(pdf)
    assert any(ln.bold for ln in page.lines if ln.text == "防范欺诈风险")
    assert _titles(tmp_path, draw) == ("", "员工构成")


def _small_ruled(page: pymupdf.Page, top: float, xs: tuple[float, ...], size: float) -> float:
    """The ROWS table with its own column edges and text size; returns its bottom."""
    ys = [top + 2.2 * size * i for i in range(len(ROWS) + 1)]
    for y in ys:
        hline(page, xs[0], xs[-1], y)
    for x in xs:
        vline(page, x, ys[0], ys[-1])
    for y, (a, b) in zip(ys, ROWS, strict=False):
        text(page, xs[0] + 3, y + 1.6 * size, a, size)
        text(page, xs[1] + 3, y + 1.6 * size, b, size)
    return ys[-1]


def test_caption_at_running_text_size_under_a_small_print_table(tmp_path: Path) -> None:
    """A table set smaller than the running text: a caption at the running text's size is no
    heading."""
    running = (
        "正文段落：公司坚持以人为本，持续完善员工发展与关怀体系，"
        "保障员工的各项合法权益，促进共同成长。"
    )

    def draw(page: pymupdf.Page) -> None:
        text(page, 60, 110, running, 10.5)
        bottom = _small_ruled(page, 130, XS, 7)
        text(page, 60, bottom + 14, "2021年员工构成", 10.5)
        text(page, 60, bottom + 60, running, 10.5)

    assert _titles(tmp_path, draw) == ("2021年员工构成", "2021年员工构成")


@pytest.mark.parametrize("below", [True, False])
def test_a_caption_may_fill_a_narrow_table(tmp_path: Path, below: bool) -> None:
    """In a narrow table (a column of a two-column page) a short caption is as wide as the
    table: width says nothing there."""
    caption = "2021年员工构成概况一览"

    def draw(page: pymupdf.Page) -> None:
        _section(page)
        top = 240
        if not below:
            text(page, 60, top - 8, caption)
        bottom = _small_ruled(page, top, (60, 110, 170), 9)
        if below:
            text(page, 60, bottom + 14, caption)

    assert _titles(tmp_path, draw)[1] == caption


def test_caption_at_the_size_of_a_narrow_columns_paragraph(tmp_path: Path) -> None:
    """Running text in short lines (a column of a two-column page) still gives the running
    size: a caption at that size under a small-print table is no heading."""

    def draw(page: pymupdf.Page) -> None:
        for i, line in enumerate(
            ("互联网的普及丰富了知识传播的渠道。", "北京字节跳动不断引入专家。")
        ):
            text(page, 60, 100 + 15 * i, line, 10.5)
        bottom = _small_ruled(page, 130, XS, 7)
        text(page, 60, bottom + 14, "2021年员工构成", 10.5)

    assert _titles(tmp_path, draw)[0] == "2021年员工构成"
