"""Header rows come from the drawing (shading, bold type), the text only as a last resort."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path

import pymupdf
from tables_pdf import band, hline, make_pdf, page_content, text, vline

from csrextract.models import Cell, Table
from csrextract.tables import detect_tables
from csrextract.tables.header import (
    first_row_is_body,
    is_date,
    labels_over_figures,
    labels_over_text,
)

XS = (50, 200, 350, 500)
GREY = (0.85, 0.85, 0.85)


def _ruled_grid(
    page: pymupdf.Page, rows: Sequence[tuple[str, ...]], shaded: tuple[int, ...]
) -> None:
    ys = [100 + 22 * i for i in range(len(rows) + 1)]
    for r in shaded:
        band(page, (XS[0], ys[r], XS[-1], ys[r + 1]), GREY)
    for y in ys:
        hline(page, XS[0], XS[-1], y)
    for x in XS:
        vline(page, x, ys[0], ys[-1])
    for y, row in zip(ys, rows, strict=False):
        for x, s in zip(XS, row, strict=False):
            text(page, x + 4, y + 15, s)


def _header_rows(table: Table) -> list[int]:
    return sorted({c.row for c in table.cells if c.is_header})


def _only_table(tmp_path: Path, draw: Callable[[pymupdf.Page], None]) -> Table:
    tables = detect_tables(page_content(make_pdf(tmp_path / "t.pdf", [draw])))
    assert len(tables) == 1
    return tables[0]


def test_list_of_items_without_any_cue_has_no_header(tmp_path: Path) -> None:
    rows = [
        ("ISO20000 信息技术服务", "ISO27001 信息安全", "ISO27701 隐私信息"),
        ("ISO27017 云安全", "ISO27018 云隐私保护", "ISO22301 业务连续性"),
    ]
    table = _only_table(tmp_path, lambda page: _ruled_grid(page, rows, ()))
    assert _header_rows(table) == []


def test_shaded_rows_are_header_and_label_rows(tmp_path: Path) -> None:
    rows = [
        ("国家级非遗项目", "抖音涵盖率", "视频数量"),
        ("1557个", "99.42%", "超1亿"),
        ("同比增长", "视频播放量", "同比增长"),
        ("149%", "3354亿次", "83%"),
    ]
    table = _only_table(tmp_path, lambda page: _ruled_grid(page, rows, (0, 2)))
    assert _header_rows(table) == [0, 2]


def test_zebra_shading_is_not_a_header(tmp_path: Path) -> None:
    rows = [
        ("益童成长平台", "开放性教育平台", "北京师范大学"),
        ("益童乐园", "儿童公益项目", "壹基金"),
        ("西部儿科医师", "培训计划", "中国红十字基金会"),
        ("益校计划", "暴雨灾后援建", "中国教育发展基金会"),
    ]
    table = _only_table(tmp_path, lambda page: _ruled_grid(page, rows, (0, 2)))
    assert _header_rows(table) == []


def test_fake_bold_first_row_is_a_header(tmp_path: Path) -> None:
    """Bold drawn as filled-and-stroked glyphs (CJK fonts without a bold face)."""
    rows = [("关键岗位", "培训主题", "培训对象"), ("高级管理干部", "年度风险政策", "全体干部")]

    def draw(page: pymupdf.Page) -> None:
        _ruled_grid(page, [("", "", ""), rows[1]], ())
        for x, s in zip(XS, rows[0], strict=False):
            page.insert_text(
                (x + 4, 115), s, fontname="cjk", fontsize=9, render_mode=2, border_width=0.05
            )

    table = _only_table(tmp_path, draw)
    assert _header_rows(table) == [0]
    assert [c.text for c in table.cells if c.row == 0] == list(rows[0])


def test_labels_over_figures_make_a_header_without_drawing(tmp_path: Path) -> None:
    rows = [("指标", "2020 年", "2021 年"), ("员工总数（人）", "38,512", "40,651")]
    table = _only_table(tmp_path, lambda page: _ruled_grid(page, rows, ()))
    assert _header_rows(table) == [0]


def test_long_framework_heading_over_running_text_is_a_header() -> None:
    cells = [
        Cell(0, 0, "全球报告倡议组织标准 (GRI)"),
        Cell(0, 1, "披露内容"),
        Cell(1, 0, "GRI 102-1"),
        Cell(1, 1, "介绍组织名称、所有权性质及其法律形式，以及总部所在的位置。"),
        Cell(2, 0, "GRI 102-2"),
        Cell(2, 1, "说明主要的活动、品牌、产品和服务，以及所服务的市场情况。"),
    ]
    assert labels_over_text(cells)


def test_header_band_drawn_cell_by_cell_under_row_rules(tmp_path: Path) -> None:
    """A dark header band drawn as one fill per cell, rules under every row and no vertical
    rules: the fills of one colour add up to a band, so the first row is the header."""

    def draw(page: pymupdf.Page) -> None:
        ys = [100 + 24 * i for i in range(5)]
        for a, b in itertools.pairwise(XS):
            band(page, (a, ys[0], b, ys[1]), (0.2, 0.2, 0.2))
        for y in ys:
            hline(page, XS[0], XS[-1], y)
        rows = [
            ("利益相关方", "期待", "渠道"),
            ("用户", "体验", "调研"),
            ("员工", "权益", "座谈"),
            ("政府", "合规", "沟通"),
        ]
        for y, row in zip(ys, rows, strict=False):
            for x, s in zip(XS, row, strict=False):
                colour = (1, 0.9, 0.7) if y == ys[0] else (0, 0, 0)
                page.insert_text((x + 4, y + 16), s, fontname="cjk", fontsize=9, color=colour)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "cells.pdf", [draw])))
    assert [c.row for c in table.cells if c.is_header] == [0, 0, 0]
    assert [c.text for c in table.cells if c.row == 0] == ["利益相关方", "期待", "渠道"]


def test_pale_cells_filled_one_by_one_are_zebra_not_a_header(tmp_path: Path) -> None:
    """Pale fills drawn cell by cell over the first of two ruled rows of text: zebra cells as
    often as a header, so they mark no header (only a dark band drawn cell by cell does)."""

    def draw(page: pymupdf.Page) -> None:
        ys = [100, 124, 148]
        for a, b in itertools.pairwise(XS):
            band(page, (a, ys[0], b, ys[1]), (0.93, 0.95, 0.97))
        for y in ys:
            hline(page, XS[0], XS[-1], y)
        for x in XS:
            vline(page, x, ys[0], ys[-1])
        for y, row in zip(
            ys,
            [("ISO 9001", "ISO 14001", "ISO 27001"), ("ISO 45001", "ISO 20000", "ISO 22301")],
            strict=False,
        ):
            for x, s in zip(XS, row, strict=False):
                text(page, x + 4, y + 16, s)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "pale.pdf", [draw])))
    assert not any(c.is_header for c in table.cells)


def test_pale_cells_over_the_first_of_several_unshaded_rows_are_a_header(
    tmp_path: Path,
) -> None:
    """Pale fills drawn cell by cell over the first row of a ruled grid whose other rows (three
    or more in all, none merged) carry no fill: zebra striping would shade the third row too,
    so the first row is a header band."""

    def draw(page: pymupdf.Page) -> None:
        ys = [100 + 24 * i for i in range(5)]
        for a, b in itertools.pairwise(XS):
            band(page, (a, ys[0], b, ys[1]), (0.93, 0.93, 0.93))
        for y in ys:
            hline(page, XS[0], XS[-1], y)
        for x in XS:
            vline(page, x, ys[0], ys[-1])
        rows = [
            ("流程", "内容", "时限"),
            ("事前流程优化", "梳理服务流程", "每季度"),
            ("事中干预", "预警体验损伤", "实时"),
            ("事后应急处置", "组建应急团队", "十分钟"),
        ]
        for y, row in zip(ys, rows, strict=False):
            for x, s in zip(XS, row, strict=False):
                text(page, x + 4, y + 16, s)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "pale_header.pdf", [draw])))
    assert [c.row for c in table.cells if c.is_header] == [0, 0, 0]


PALE = (0.93, 0.95, 0.97)


def _zebra_grid(page: pymupdf.Page, rows: Sequence[tuple[str, ...]], first: int) -> None:
    """A ruled grid whose rows from ``first`` on are pale zebra stripes, every other one."""
    ys = [100 + 22 * i for i in range(len(rows) + 1)]
    for r in range(first, len(rows), 2):
        band(page, (XS[0], ys[r], XS[-1], ys[r + 1]), PALE)
    _ruled_grid(page, rows, ())


def test_labels_over_running_text_above_zebra_rows_are_a_header(tmp_path: Path) -> None:
    """An unshaded first row over zebra stripes starting on the next row: the shading does not
    say (a header left white, or a zebra starting one row down), the text does — short labels
    over sentences."""
    rows = [
        ("流程", "内容", "时限"),
        ("事前流程优化", "梳理全场景服务流程，提升问题解决率。", "每季度"),
        ("事中干预", "建立体验损伤事件预警体系，有效干预。", "实时"),
        ("事后应急处置", "应急团队十分钟内响应，落地解决方案。", "十分钟"),
    ]
    table = _only_table(tmp_path, lambda page: _zebra_grid(page, rows, 1))
    assert _header_rows(table) == [0]


def test_labels_over_running_text_without_any_drawing_cue_are_a_header(tmp_path: Path) -> None:
    rows = [
        ("时间", "举措", "成效"),
        ("2018年", "今日头条与研究会合作，初步适配了读屏软件。", "视障用户可用"),
        ("2020年", "抖音直播初步适配了读屏软件，方便视障人士。", "直播可读"),
    ]
    table = _only_table(tmp_path, lambda page: _ruled_grid(page, rows, ()))
    assert _header_rows(table) == [0]


def test_pale_first_row_over_one_row_like_it_is_a_zebra_stripe(tmp_path: Path) -> None:
    """Two rows, the first pale: a header band or a zebra starting on the first row. Rows of
    the same kind of text (codes of one scheme, about as long) are both body."""
    rows = [
        ("ISO20000 信息技术服务", "ISO27001 信息安全", "ISO27701 隐私信息"),
        ("ISO27017 云安全", "ISO27018 云隐私保护", "ISO22301 业务连续性"),
    ]
    table = _only_table(tmp_path, lambda page: _zebra_grid(page, rows, 0))
    assert _header_rows(table) == []


def test_pale_first_row_of_labels_over_figures_stays_a_header(tmp_path: Path) -> None:
    rows = [("双一流高校入驻率", "高校开播场次", "公开课总时长"), ("92%", "14463场", "145万小时")]
    table = _only_table(tmp_path, lambda page: _zebra_grid(page, rows, 0))
    assert _header_rows(table) == [0]


def test_row_label_beside_a_label_for_the_whole_body_is_no_header() -> None:
    """``中心 | …`` over ``主线`` merged over four rows of values: two row labels, peers."""
    values = [
        "依托积累的优势向芯片等技术链上游延伸，力争做到技术链条自主可控。",
        "把公司积累的人工智能技术应用在智能硬件、医疗等更多社会价值领域。",
    ]
    cells = [
        Cell(0, 0, "中心"),
        Cell(0, 1, "围绕核心人工智能技术"),
        Cell(1, 0, "主线", row_span=3),
        *(Cell(1 + i, 1, v) for i, v in enumerate([*values, "开展交叉领域的基础研究和前沿探索。"])),
    ]
    assert labels_over_text(cells) and first_row_is_body(cells)
    unmerged = [c if c.row_span == 1 else Cell(1, 0, "主线") for c in cells]
    unmerged += [Cell(2, 0, ""), Cell(3, 0, "")]
    assert first_row_is_body(unmerged)
    headed = [Cell(0, 0, "流程"), Cell(0, 1, "内容")] + [
        Cell(1 + i, c, t)
        for i, row in enumerate([("事前优化", values[0]), ("事中干预", values[1])])
        for c, t in enumerate(row)
    ]
    assert labels_over_text(headed) and not first_row_is_body(headed)


def test_placeholder_or_figure_in_the_first_row_is_no_column_heading() -> None:
    """A continuation part starting on a body row: ``/`` and a page number are values."""
    cells = [
        Cell(0, 0, "夯实创新基础"),
        Cell(0, 1, "/"),
        Cell(0, 2, "P52"),
        Cell(1, 0, "供应链管理"),
        Cell(1, 1, "GRI 308-1, GRI 414-1"),
        Cell(1, 2, "P48"),
        Cell(2, 0, "推广科技应用"),
        Cell(2, 1, "GRI 203-1, GRI 203-2"),
        Cell(2, 2, "P56"),
    ]
    assert not labels_over_text(cells)


def test_pale_cells_over_one_body_row_of_another_kind_are_a_header(tmp_path: Path) -> None:
    """Pale cells filled one by one over the first of two ruled rows: a zebra cell row as
    often as a header band, so the text decides — labels over a row of bullet lists and
    sentences are a header (the first part of a stakeholder matrix continued overleaf)."""

    def draw(page: pymupdf.Page) -> None:
        ys = [100, 124, 190]
        for a, b in itertools.pairwise(XS):
            band(page, (a, ys[0], b, ys[1]), (0.93, 0.95, 0.97))
        for y in ys:
            hline(page, XS[0], XS[-1], y)
        for x in XS:
            vline(page, x, ys[0], ys[-1])
        for x, s in zip(XS, ("关键利益相关方", "期待与诉求", "沟通渠道"), strict=False):
            text(page, x + 4, 116, s)
        for x, lines in zip(
            XS,
            (
                ["用户"],
                ["• 用户体验提升", "• 信息安全与隐私保护"],
                ["• 用户访谈与调研", "• 满意度调查"],
            ),
            strict=False,
        ):
            for i, s in enumerate(lines):
                text(page, x + 4, 140 + 14 * i, s)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "pale_two.pdf", [draw])))
    assert _header_rows(table) == [0]


def test_rule_under_a_group_of_rows_like_the_body_marks_no_header() -> None:
    """A rule under the first rows of a GRI index part (rules between row groups) read as a
    header rule: rows that read like the rows below are body all the same."""
    from csrextract.tables.grid import grid_from_spans
    from csrextract.tables.header import header_rows

    rows = [
        ("携手伙伴", "增进员工福祉", "GRI 401-2, GRI 404-2", "P34"),
        ("", "共建绿色家园", "GRI 302-4, GRI 302-5", "P38"),
        ("汇聚美好", "弘扬传统文化", "GRI 203-1, GRI 203-2", "P72"),
        ("", "关注重点人群", "GRI 203-1, GRI 413-1", "P78"),
    ]
    grid = grid_from_spans(range(5), range(5), [], header_rows=2)
    cells = [Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    assert header_rows(grid, cells, [], []) == (0, ())
    headed = [Cell(0, c, t) for c, t in enumerate(("章节", "议题", "GRI 标准", "页码"))]
    assert header_rows(grid, headed + cells[4:], [], [])[0] == 2


def test_label_over_years_then_figures_heads_a_two_level_header() -> None:
    """``指标描述`` merged over two rows beside ``定量数据`` over the years: the years are a
    second header level, the figures under them (and ``-`` for none) make row 0 labels."""
    from csrextract.tables.header import labels_over_figures

    cells = [
        Cell(0, 0, "指标描述", row_span=2),
        Cell(0, 1, "定量数据"),
        *(Cell(1, 1 + i, f"{y} 年") for i, y in enumerate((2020, 2021, 2022))),
        Cell(2, 0, "PUE"),
        *(Cell(2, 1 + i, v) for i, v in enumerate(("1.19", "1.17", "1.19"))),
        Cell(3, 0, "年度 WUE"),
        *(Cell(3, 1 + i, v) for i, v in enumerate(("-", "<0.8", "<0.8"))),
    ]
    assert labels_over_figures(cells)


def test_label_merged_over_a_column_and_an_empty_one_heads_no_group() -> None:
    from csrextract.tables.header import group_labels_over_figures

    cells = [
        Cell(0, 0, "时间", col_span=2),
        Cell(0, 2, "举措"),
        Cell(1, 0, "2018年"),
        Cell(1, 1, ""),
        Cell(1, 2, "今日头条初步适配了读屏软件。"),
        Cell(2, 0, "2022年1月"),
        Cell(2, 1, ""),
        Cell(2, 2, "通过首批适老化及无障碍水平评测。"),
    ]
    assert not group_labels_over_figures(cells)
    kpi = [
        Cell(0, 0, "自然科普短视频", col_span=2),
        Cell(1, 0, "累计播放"),
        Cell(1, 1, "同比增长"),
        Cell(2, 0, "近330亿次"),
        Cell(2, 1, "144%"),
    ]
    assert group_labels_over_figures(kpi)


def test_a_milestone_s_date_is_no_figure_under_a_year() -> None:
    """A timeline continued on the next page: a year over a dated milestone is two rows of
    the body, not a year heading over a column of figures."""
    assert is_date("2022年1月") and is_date("2022.01") and not is_date("2022年")
    cells = [
        Cell(0, 0, "2022年"),
        Cell(0, 1, "今日头条、抖音、西瓜视频主动依照国家标准进行产品改造。"),
        Cell(1, 0, "2022年1月"),
        Cell(1, 1, "今日头条、抖音通过工信部首批适老化及无障碍水平评测。"),
    ]
    assert not labels_over_figures(cells)
    figures = [Cell(0, 0, "2022年"), Cell(0, 1, "指标"), Cell(1, 0, "1,560"), Cell(1, 1, "非遗")]
    assert labels_over_figures(figures)


def test_a_time_line_part_opening_on_a_year_over_a_date_has_no_header() -> None:
    """A time line cut by the page: its next part opens on ``2022年`` over ``2022年1月``. A
    date is a label like a year, not a figure, so the year heads no column of figures."""
    from csrextract.tables.header import is_date, labels_over_figures

    cells = [
        Cell(0, 0, "2022年"),
        Cell(0, 1, "今日头条、抖音主动依照国家标准进行产品改造。"),
        Cell(1, 0, "2022年1月"),
        Cell(1, 1, "今日头条、抖音通过首批适老化及无障碍水平评测。"),
    ]
    assert not labels_over_figures(cells)
    assert is_date("2021年6月30日") and not is_date("2022年") and not is_date("12.5万吨")


def _two_level_header(stub_below: str = "") -> list[Cell]:
    return [
        Cell(0, 0, "指标描述", bbox=(50, 100, 200, 122)),
        Cell(0, 1, "定量数据", col_span=2, bbox=(200, 100, 500, 122)),
        Cell(1, 0, stub_below, bbox=(50, 122, 200, 144)),
        Cell(1, 1, "2020 年", bbox=(200, 122, 350, 144)),
        Cell(1, 2, "2021 年", bbox=(350, 122, 500, 144)),
        Cell(2, 0, "PUE", bbox=(50, 144, 200, 166)),
        Cell(2, 1, "1.19", bbox=(200, 144, 350, 166)),
        Cell(2, 2, "", bbox=(350, 144, 500, 166)),
    ]


def test_a_label_of_a_two_level_header_spans_the_empty_header_cell_below_it() -> None:
    from csrextract.tables.header import span_labels_down

    cells = span_labels_down(_two_level_header(), n_header=2)
    stub = next(c for c in cells if c.text == "指标描述")
    assert (stub.row_span, stub.bbox) == (2, (50, 100, 200, 144))
    assert [(c.row, c.col) for c in cells if not c.text] == [(2, 2)]  # a blank body cell stays


def test_header_labels_stay_one_row_over_text_or_in_a_one_row_header() -> None:
    from csrextract.tables.header import span_labels_down

    assert span_labels_down(_two_level_header("口径"), n_header=2) == _two_level_header("口径")
    assert span_labels_down(_two_level_header(), n_header=1) == _two_level_header()


def test_three_line_two_level_header_merges_the_stub_label(tmp_path: Path) -> None:
    """No line between the header levels: the stub label heads both levels."""
    rows = [
        ("指标描述", "", "定量数据", ""),
        ("", "2020 年", "2021 年", "2022 年"),
        ("PUE", "1.19", "1.17", "1.19"),
        ("年度 WUE", "-", "<0.8", "<0.8"),
        ("温室气体", "12.5", "13.1", "14.0"),
    ]

    def draw(page: pymupdf.Page) -> None:
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value:
                    text(page, 60 + 120 * c, 114 + 22 * r, value)
        for y in (100, 144, 210):
            hline(page, 50, 530, y)

    table = _only_table(tmp_path, draw)
    stub = next(c for c in table.cells if c.text == "指标描述")
    assert (stub.row, stub.row_span, stub.is_header) == (0, 2, True)
