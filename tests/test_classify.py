"""Classification: table kinds from content (golden kinds reproduced) and titles from headings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from csrextract.classify import (
    classify_kind,
    classify_tables,
    find_headings,
    is_numeric_cell,
    nearest_heading,
)
from csrextract.evaluate import tables_from_frames
from csrextract.models import BBox, Cell, PageContent, Table, TableKind, TableStyle, TextLine

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"


def _golden_tables() -> list[Table]:
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(GOLDEN / name, dtype=str, keep_default_na=False, na_values=[""])

    return tables_from_frames(read("tables.csv"), read("table_cells.csv"))


GOLDEN_TABLES = _golden_tables()


@pytest.mark.parametrize("golden", GOLDEN_TABLES, ids=[t.table_id for t in GOLDEN_TABLES])
def test_golden_kinds_from_content_alone(golden: Table) -> None:
    """No title, no page: the cells alone must give the golden kind."""
    assert classify_kind(golden) is golden.kind


def table(rows: list[list[str]], page: int = 1, bbox: BBox = (50, 300, 500, 400)) -> Table:
    cells = [
        Cell(row=r, col=c, text=value, is_header=r == 0, page=page)
        for r, row in enumerate(rows)
        for c, value in enumerate(row)
    ]
    return Table("x", cells, len(rows), len(rows[0]), [page], bbox, TableStyle.RULED)


@pytest.mark.parametrize(
    ("rows", "kind"),
    [
        (
            [["Standard", "Scope"], ["ISO 9001:2015", "Quality"], ["ISO/IEC 27001", "Security"]],
            TableKind.CERTIFICATION,
        ),
        (
            [["Disclosure", "Page"], ["2-1 Organizational details", "4"], ["GRI 3-3", "6"]],
            TableKind.GRI_INDEX,
        ),
        (
            [["Goal", "Our action"], ["Goal 4 Quality Education", "Schools"], ["Goal 13", "CO2"]],
            TableKind.SDG,
        ),
        (
            [
                ["Stakeholder", "Expectations", "Channels"],
                ["Employees", "Pay", "Survey"],
                ["Investors", "Returns", "AGM"],
            ],
            TableKind.STAKEHOLDER,
        ),
        (
            [["指标", "2021", "2022"], ["用水量（吨）", "1,200", "1,100"], ["排放", "-", "35%"]],
            TableKind.METRICS,
        ),
        (
            [["时间", "举措"], ["2019年", "上线无障碍模式"], ["2020年", "适配读屏软件"]],
            TableKind.OTHER,
        ),
    ],
)
def test_kinds_of_other_renderings(rows: list[list[str]], kind: TableKind) -> None:
    assert classify_kind(table(rows)) is kind


def test_a_contents_table_with_page_numbers_is_not_metrics() -> None:
    toc = table([["关于我们", "04"], ["责任管理", "06"], ["环境", "18"], ["社会", "32"]])
    assert classify_kind(toc, "") is TableKind.METRICS  # by content alone it looks like KPIs
    assert classify_kind(toc, "目录 Contents") is TableKind.OTHER


def test_title_words_decide_a_borderline_table() -> None:
    few_iso = table([["证书", "范围"], ["ISO 14001", "环境管理"], ["绿色工厂", "全部园区"]])
    assert classify_kind(few_iso, "") is TableKind.OTHER
    assert classify_kind(few_iso, "管理体系认证情况") is TableKind.CERTIFICATION


@pytest.mark.parametrize(
    ("text", "numeric"),
    [
        ("近330亿次", True),
        ("<0.5", True),
        ("+270万（场）", True),
        ("92%", True),
        ("145万（小时）", True),
        ("1,234.5", True),
        ("2021 年", False),
        ("04 关于北京字节跳动", False),
        ("用户体验提升", False),
    ],
)
def test_numeric_cells(text: str, numeric: bool) -> None:
    assert is_numeric_cell(text) is numeric


def line(text: str, top: float, size: float = 9.5, x0: float = 50, bold: bool = False) -> TextLine:
    width = len(text) * size
    return TextLine(text, (x0, top, x0 + width, top + size * 1.2), font_size=size, bold=bold)


def page(number: int, *lines: TextLine) -> PageContent:
    running = line("ACME 2023 社会责任报告", 20, size=12)  # large, but on every page
    return PageContent(number, 595, 842, lines=[running, *lines])


def body(top: float) -> TextLine:
    return line("这是一段正文，说明本节的主要内容和数据来源，供读者参考。", top)


def test_title_is_the_nearest_heading_above_the_table() -> None:
    pages = [
        page(1, line("环境绩效", 80, size=15), body(110), line("表 1 能源消耗", 280, size=10.5)),
        page(2, body(100)),
        page(3, body(100)),
    ]
    tables = classify_tables([table([["指标", "2022"], ["电", "12"]])], pages)
    assert tables[0].title == "表 1 能源消耗"


def test_title_comes_from_an_earlier_page_when_the_table_opens_the_page() -> None:
    pages = [
        page(1, body(100), line("员工发展", 700, size=15), body(730)),
        page(2, body(500)),
        page(3, body(500)),
    ]
    found = classify_tables(
        [table([["a", "b"], ["c", "d"]], page=2, bbox=(50, 80, 500, 200))], pages
    )
    assert found[0].title == "员工发展"


def test_headings_skip_running_headers_sentences_bullets_and_table_cells() -> None:
    pages = [
        page(
            1,
            line("2021 年，我们开展了以下活动：", 80, size=12),
            line("•", 100, size=12),
            line("指标", 305, size=12),  # header cell inside the table below
            line("加粗的小节标题", 250, bold=True),
            body(270),
        ),
        page(2, body(100)),
        page(3, body(100)),
    ]
    kpi = table([["指标", "2022"], ["电", "12"]])
    headings = find_headings(pages, [kpi])
    assert [h.text for h in headings] == ["加粗的小节标题"]
    found = nearest_heading(kpi, headings)
    assert found is not None and found.text == "加粗的小节标题"


def test_wrapped_heading_lines_are_joined_without_spaces_between_cjk() -> None:
    pages = [
        page(1, line("北京字节跳动", 80, size=20), line("与联合国可持续发展目标", 104, size=20)),
        page(2, body(100)),
        page(3, body(100)),
    ]
    assert [h.text for h in find_headings(pages)] == ["北京字节跳动与联合国可持续发展目标"]


def test_digital_fixture_kinds_and_titles_equal_golden() -> None:
    """Through the real stages: each table matched to golden (by content) has its kind and title."""
    from csrextract.evaluate import match_tables
    from csrextract.pipeline import find_tables, read_pages

    pdf = GOLDEN.parent / "bytedance_csr_2021.pdf"
    found = find_tables(read_pages(pdf))
    matches, _ = match_tables(GOLDEN_TABLES, found)
    got = {
        GOLDEN_TABLES[gi].table_id: (found[ei].kind, found[ei].title)
        for gi, ei, _ in matches
        if ei is not None
    }
    want = {t.table_id: (t.kind, t.title) for t in GOLDEN_TABLES if t.table_id in got}
    assert got == want
    assert len(got) >= len(GOLDEN_TABLES) - 1  # table detection itself is tested elsewhere


def test_caption_at_body_size_right_above_the_table_is_its_title() -> None:
    """Captions are often set at body size (and OCR sizes are noisy): found by position."""
    paragraph = [body(100 + 13.4 * i) for i in range(4)]  # leading ≈ 2 pt
    pages = [
        page(1, line("环境绩效", 70, size=15), *paragraph, line("表 2 能源消耗情况", 285)),
        page(2, body(100)),
        page(3, body(100)),
    ]
    found = classify_tables([table([["指标", "2022"], ["电", "12"]])], pages)
    assert found[0].title == "表 2 能源消耗情况"


def test_last_paragraph_line_above_a_table_is_not_a_caption() -> None:
    paragraph = [body(100 + 13.4 * i) for i in range(4)]
    run_on = line("这一段的最后一行没有句号而且很短", 100 + 13.4 * 4)
    pages = [page(1, line("环境绩效", 70, size=15), *paragraph, run_on), page(2), page(3)]
    kpi = table([["指标", "2022"], ["电", "12"]], bbox=(50, 170, 500, 250))
    assert classify_tables([kpi], pages)[0].title == "环境绩效"


def test_caption_after_a_run_on_line_in_a_document_of_short_paragraphs() -> None:
    """One-line paragraphs (6 pt apart) outnumber lines that run on (1.4 pt apart): the leading
    is the run-on lines' space, so a caption 6 pt under a line broken mid-sentence stands apart."""

    def short_paragraphs(number: int) -> PageContent:
        wrapped = [line("这一段正文较长所以换行到下一行继续说明本节", 100), body(112.8)]
        return page(number, *wrapped, *(body(130.2 + 17.4 * i) for i in range(4)))

    run_on = line("这一段正文在表格前面断开没有句号结尾的一行", 100)
    caption = line("2021年关键数据", 117.4)
    first = page(1, line("环境绩效", 70, size=15), run_on, caption)
    kpi = table([["指标", "2022"], ["电", "12"]], bbox=(50, 140, 500, 250))
    found = classify_tables([kpi], [first, short_paragraphs(2), short_paragraphs(3)])
    assert found[0].title == "2021年关键数据"


def test_caption_wrapped_over_two_lines_is_the_title_whole() -> None:
    """A caption wrapped in a narrow column leaves a one-character last line: the two lines
    make the caption, which stands apart from the paragraph above."""
    paragraph = [body(100 + 13.4 * i) for i in range(4)]  # leading ≈ 2 pt
    wrapped = [line("2022年1~10月抖音知识类直播概", 160), line("况", 173.4)]
    pages = [
        page(1, line("上线知识直播", 70, size=15), *paragraph, *wrapped),
        page(2, body(100)),
        page(3, body(100)),
    ]
    kpi = table([["文化教育类", "生活知识类"], ["+273万", "+133万"]], bbox=(50, 192, 330, 260))
    assert classify_tables([kpi], pages)[0].title == "2022年1~10月抖音知识类直播概况"


def test_a_heading_and_its_translation_are_not_joined() -> None:
    pages = [
        page(1, line("目录", 80, size=20), line("Contents", 104, size=20)),
        page(2, body(100)),
        page(3, body(100)),
    ]
    assert [h.text for h in find_headings(pages)] == ["目录", "Contents"]
