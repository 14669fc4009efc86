"""Three-line tables: top, header and bottom rules only; a two-level header with a group label."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pymupdf
from tables_pdf import band, centred, hline, make_pdf, page_content, text, vline
from test_tables_ruled import grid_of

from csrextract.models import TableStyle
from csrextract.tables import detect_tables


def _three_line(page: pymupdf.Page) -> None:
    text(page, 50, 80, "数据中心能源使用效率")
    hline(page, 50, 500, 100, 1.2)
    hline(page, 170, 500, 118, 0.5)  # partial rule under the group label
    hline(page, 50, 500, 136, 0.8)
    hline(page, 50, 500, 203, 1.2)
    text(page, 55, 121, "指标描述")
    centred(page, 170, 500, 113, "定量数据")
    for x, s in ((180, "2019 年"), (290, "2020 年"), (400, "2021 年")):
        text(page, x, 131, s)
    rows = [
        (152, ["PUE", "1.16", "1.14", "1.16"]),
        (168, ["年度 WUE (水利用率)", "-", "<0.5", "<0.5"]),
        (184, ["数据中心绿电使用", "0.5", "0.8", "1.0"]),
    ]
    for y, values in rows:
        for x, s in zip((55, 180, 290, 400), values, strict=True):
            text(page, x, y, s)
    text(page, 55, 195, "（亿度）")


def test_three_line_table_with_two_level_header(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "three.pdf", [_three_line])
    tables = detect_tables(page_content(pdf))
    assert len(tables) == 1
    table = tables[0]
    assert table.style is TableStyle.THREE_LINE
    assert grid_of(table) == [
        (0, 0, 2, 1, "指标描述"),
        (0, 1, 1, 3, "定量数据"),
        (1, 1, 1, 1, "2019 年"),
        (1, 2, 1, 1, "2020 年"),
        (1, 3, 1, 1, "2021 年"),
        (2, 0, 1, 1, "PUE"),
        (2, 1, 1, 1, "1.16"),
        (2, 2, 1, 1, "1.14"),
        (2, 3, 1, 1, "1.16"),
        (3, 0, 1, 1, "年度 WUE (水利用率)"),
        (3, 1, 1, 1, "-"),
        (3, 2, 1, 1, "<0.5"),
        (3, 3, 1, 1, "<0.5"),
        (4, 0, 1, 1, "数据中心绿电使用（亿度）"),
        (4, 1, 1, 1, "0.5"),
        (4, 2, 1, 1, "0.8"),
        (4, 3, 1, 1, "1.0"),
    ]
    assert {c.row for c in table.cells if c.is_header} == {0, 1}


def test_group_label_without_partial_rule_spans_by_centring(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        hline(page, 50, 500, 100, 1.2)
        hline(page, 50, 500, 136, 0.8)
        hline(page, 50, 500, 170, 1.2)
        centred(page, 50, 270, 113, "自然科普短视频")
        centred(page, 280, 500, 113, "科普类相关作品")
        for x, s in ((60, "累计播放"), (170, "同比增长"), (290, "获点赞"), (400, "同比增长")):
            text(page, x, 131, s)
        for x, s in ((60, "近330亿次"), (170, "144%"), (290, "7亿人次"), (400, "97%")):
            text(page, x, 155, s)

    tables = detect_tables(page_content(make_pdf(tmp_path / "kpi.pdf", [draw])))
    assert len(tables) == 1
    assert grid_of(tables[0]) == [
        (0, 0, 1, 2, "自然科普短视频"),
        (0, 2, 1, 2, "科普类相关作品"),
        (1, 0, 1, 1, "累计播放"),
        (1, 1, 1, 1, "同比增长"),
        (1, 2, 1, 1, "获点赞"),
        (1, 3, 1, 1, "同比增长"),
        (2, 0, 1, 1, "近330亿次"),
        (2, 1, 1, 1, "144%"),
        (2, 2, 1, 1, "7亿人次"),
        (2, 3, 1, 1, "97%"),
    ]


def test_two_level_header_from_a_centred_group_label_and_a_floating_row_label(
    tmp_path: Path,
) -> None:
    """No partial rule: the group label sits centred over the year labels without crossing a
    column gap, and "指标描述" is centred vertically across both header levels."""
    xs = (60, 200, 300, 400)

    def draw(page: pymupdf.Page) -> None:
        hline(page, 50, 500, 100, 1.2)
        hline(page, 50, 500, 140, 0.8)
        hline(page, 50, 500, 180, 1.2)
        centred(page, 200, 460, 113, "定量数据")
        text(page, 60, 124, "指标描述")
        for x, s in zip(xs[1:], ("2019 年", "2020 年", "2021 年"), strict=True):
            centred(page, x, x + 60, 135, s)
        for y, values in (
            (155, ("PUE", "1.16", "1.14", "1.16")),
            (172, ("WUE", "-", "<0.5", "<0.5")),
        ):
            text(page, 60, y, values[0])
            for x, s in zip(xs[1:], values[1:], strict=True):
                centred(page, x, x + 60, y, s)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "kpi.pdf", [draw])))
    assert grid_of(table)[:5] == [
        (0, 0, 2, 1, "指标描述"),
        (0, 1, 1, 3, "定量数据"),
        (1, 1, 1, 1, "2019 年"),
        (1, 2, 1, 1, "2020 年"),
        (1, 3, 1, 1, "2021 年"),
    ]
    assert table.n_rows == 4
    assert sorted({c.row for c in table.cells if c.is_header}) == [0, 1]


def test_top_and_bottom_rules_only_make_a_table_but_a_framed_box_does_not(
    tmp_path: Path,
) -> None:
    """Without a header rule (a table without header, or the continuation of one) two rules
    still bound a table when the text between them has columns; the same two rules closed by
    vertical lines are a box around something else."""

    def draw(page: pymupdf.Page) -> None:
        hline(page, 50, 500, 100, 1.2)
        hline(page, 50, 500, 170, 1.2)
        for y, (a, b) in zip(
            (115, 135, 155),
            (
                ("中心", "围绕核心人工智能技术"),
                ("主线", "向芯片等技术链上游延伸"),
                ("方向", "开展交叉领域的基础研究"),
            ),
            strict=True,
        ):
            text(page, 60, y, a)
            text(page, 160, y, b)
        hline(page, 80, 450, 400, 1.0)
        hline(page, 80, 450, 470, 1.0)
        vline(page, 80, 400, 470)
        vline(page, 450, 400, 470)
        for y, (a, b) in zip((420, 445), (("36%", "29%"), ("执行董事", "独立董事")), strict=True):
            text(page, 90, y, a)
            text(page, 300, y, b)

    tables = detect_tables(page_content(make_pdf(tmp_path / "two_rules.pdf", [draw])))
    assert len(tables) == 1
    assert [c.text for c in tables[0].cells if c.col == 0] == ["中心", "主线", "方向"]
    assert not any(c.is_header for c in tables[0].cells)


def test_rule_under_every_row_with_a_grey_header_band(tmp_path: Path) -> None:
    """A rule under every row marks no header; a grey band over the first row does, and the
    band is read as part of this lines-only table, not as a table of its own."""

    def table(page: pymupdf.Page, top: float, shaded: bool) -> None:
        rows = [("领域", "应用方向"), ("机器翻译", "打破语言隔阂"), ("机器人", "促进生产力发展")]
        if shaded:
            band(page, (50, top, 500, top + 20), (0.93, 0.93, 0.93))
        for i in range(len(rows) + 1):
            hline(page, 50, 500, top + 20 * i, 0.8 if i == 0 else 0.4)
        for i, (a, b) in enumerate(rows):
            text(page, 60, top + 20 * i + 14, a)
            text(page, 200, top + 20 * i + 14, b)

    def draw(page: pymupdf.Page) -> None:
        table(page, 100, shaded=True)
        table(page, 300, shaded=False)

    first, second = detect_tables(page_content(make_pdf(tmp_path / "rules.pdf", [draw])))
    assert first.style is TableStyle.THREE_LINE and second.style is TableStyle.THREE_LINE
    assert [c.row for c in first.cells if c.is_header] == [0, 0]
    assert not any(c.is_header for c in second.cells)


def test_group_without_items_spans_the_item_column(tmp_path: Path) -> None:
    """An index whose chapters span their sections: a chapter without sections takes the
    section column too (the merge shows only as an empty neighbour)."""

    def draw(page: pymupdf.Page) -> None:
        hline(page, 50, 500, 100, 1.2)
        hline(page, 50, 500, 120, 0.6)
        hline(page, 50, 500, 230, 1.2)
        for x, s in ((60, "内容"), (300, "披露项"), (450, "页码")):
            text(page, x, 114, s)
        text(page, 60, 136, "关于本公司")
        text(page, 300, 136, "GRI 102-1")
        text(page, 450, 136, "P04")
        for i, (section, code, ref) in enumerate(
            (("公司治理", "GRI 205-1", "P18"), ("内容治理", "GRI 416-1", "P20"))
        ):
            y = 158 + 20 * i
            text(page, 160, y, section)
            text(page, 300, y, code)
            text(page, 450, y, ref)
        text(page, 60, 168, "筑牢根基")
        text(page, 60, 218, "关于本报告")
        text(page, 300, 218, "GRI 102-45")
        text(page, 450, 218, "P109")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "index.pdf", [draw])))
    cells = grid_of(table)
    assert (1, 0, 1, 2, "关于本公司") in cells
    assert (2, 0, 2, 1, "筑牢根基") in cells
    assert (4, 0, 1, 2, "关于本报告") in cells


def test_figures_centred_over_two_columns_open_no_extra_column(tmp_path: Path) -> None:
    """A KPI block: a label row and a value row centred over pairs of columns, above a row of
    four labels and four figures. The centred texts sit in the middle of a column gap and must
    not split it into a column of their own."""
    pairs = ((60, 260), (260, 500))
    quads = ((60, 160), (160, 260), (260, 380), (380, 500))

    def draw(page: pymupdf.Page) -> None:
        hline(page, 50, 500, 100, 1.2)
        hline(page, 50, 500, 120, 0.7)
        hline(page, 50, 500, 200, 1.2)
        for (x0, x1), s in zip(pairs, ("国家级非遗项目", "抖音涵盖率"), strict=True):
            centred(page, x0, x1, 114, s)
        for (x0, x1), s in zip(pairs, ("1557个", "99.42%"), strict=True):
            centred(page, x0, x1, 136, s)
        for y, row in (
            (158, ("视频数量", "同比增长", "播放量", "同比增长")),
            (180, ("超1亿", "149%", "3354亿次", "83%")),
        ):
            for (x0, x1), s in zip(quads, row, strict=True):
                centred(page, x0, x1, y, s)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "kpi_block.pdf", [draw])))
    assert (table.n_rows, table.n_cols) == (4, 4)
    assert grid_of(table)[:4] == [
        (0, 0, 1, 2, "国家级非遗项目"),
        (0, 2, 1, 2, "抖音涵盖率"),
        (1, 0, 1, 2, "1557个"),
        (1, 2, 1, 2, "99.42%"),
    ]


def _two_kpi_tables(page: pymupdf.Page) -> None:
    """Two 2-row three-line tables with the same extent, a heading and prose between them."""
    for top, labels, values in (
        (100, ("入驻率", "开播场次", "总时长"), ("92%", "14463场", "145万")),
        (260, ("文化教育类", "生活知识类", "其他"), ("+270万", "+130万", "+20万")),
    ):
        hline(page, 50, 500, top, 1.2)
        hline(page, 50, 500, top + 20, 0.6)
        hline(page, 50, 500, top + 40, 1.2)
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            centred(page, 50 + 150 * i, 200 + 150 * i, top + 14, label)
            centred(page, 50 + 150 * i, 200 + 150 * i, top + 34, value)
    text(page, 50, 175, "上线知识直播", 15)
    prose = "互联网的普及丰富了知识传播的渠道和方式，不断引入院士、教授、学者及各界专家。"
    for y in (200, 214):
        text(page, 50, y, prose, 10.5)
    text(page, 50, 240, "知识类直播概况", 12)


def test_two_small_three_line_tables_on_one_page_stay_apart(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "two.pdf", [_two_kpi_tables])
    tables = detect_tables(page_content(pdf))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(2, 3), (2, 3)]
    assert [c.text for c in tables[1].cells if c.row == 1] == ["+270万", "+130万", "+20万"]


def _hlines_two_row_band(page: pymupdf.Page) -> None:
    """Rule under every row, a grey two-row header band whose inner rule is only partial."""
    band(page, (50, 100, 500, 118), (0.93, 0.93, 0.93))
    band(page, (50, 118, 500, 136), (0.93, 0.93, 0.93))
    for y in (100, 136, 154, 172):
        hline(page, 50, 500, y, 0.5)
    hline(page, 170, 500, 118, 0.5)
    text(page, 55, 121, "指标描述")
    centred(page, 170, 500, 113, "定量数据")
    for x, s in ((180, "2019 年"), (290, "2020 年"), (400, "2021 年")):
        text(page, x, 131, s)
    for y, values in ((149, ["PUE", "1.16", "1.14", "1.16"]), (167, ["WUE", "-", "<0.5", "<0.4"])):
        for x, s in zip((55, 180, 290, 400), values, strict=True):
            text(page, x, y, s)


def test_rule_under_every_row_with_two_row_header_band_keeps_last_row(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "hlines.pdf", [_hlines_two_row_band])
    tables = detect_tables(page_content(pdf))
    assert len(tables) == 1
    table = tables[0]
    assert (table.n_rows, table.n_cols) == (4, 4)
    assert [c.text for c in table.cells if c.row == 3] == ["WUE", "-", "<0.5", "<0.4"]
    assert {c.text for c in table.cells if c.is_header} == {
        "指标描述",
        "定量数据",
        "2019 年",
        "2020 年",
        "2021 年",
    }


def _equal_rules_two_rows(page: pymupdf.Page) -> None:
    """Three equal thin rules around two rows of certificate names (a rule under every row)."""
    for y in (100, 120, 140):
        hline(page, 50, 500, y, 0.4)
    for y, names in (
        (114, ("ISO20000 服务管理", "ISO27001 信息安全", "ISO27701 隐私")),
        (134, ("ISO27017 云安全", "ISO27018 云隐私", "ISO22301 连续性")),
    ):
        for i, name in enumerate(names):
            text(page, 55 + 150 * i, y, name)


def _partial_body_rules(page: pymupdf.Page) -> None:
    """Rule under every row; body rules stop short of a label column merged down the rows."""
    for y in (100, 120, 200):
        hline(page, 50, 500, y, 0.4)
    for y in (140, 160, 180):
        hline(page, 90, 500, y, 0.4)
    text(page, 55, 114, "中心")
    text(page, 95, 114, "围绕核心人工智能技术")
    text(page, 55, 164, "主线")
    for i, s in enumerate(
        ("向芯片等技术链上游延伸", "应用在智能硬件和医疗", "开展交叉领域研究", "夯实技术优势")
    ):
        text(page, 95, 134 + 20 * i, s)


def test_equal_rules_around_two_rows_mark_no_header_without_cues(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "eq.pdf", [_equal_rules_two_rows])
    tables = detect_tables(page_content(pdf))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(2, 3)]
    assert not any(c.is_header for c in tables[0].cells)


def test_partial_body_rules_mean_every_row_ruled_not_a_header(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "partial.pdf", [_partial_body_rules])
    tables = detect_tables(page_content(pdf))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(5, 2)]
    assert not any(c.is_header for c in tables[0].cells)


def _large_list_item(page: pymupdf.Page) -> None:
    hline(page, 50, 500, 100, 1.2)
    hline(page, 50, 500, 120, 0.5)
    for x, s in ((55, "利益相关方"), (180, "期待与诉求"), (340, "沟通渠道")):
        text(page, x, 114, s)
    text(page, 55, 140, "用户")
    text(page, 180, 140, "• 用户体验提升")
    text(page, 180, 155, "• 信息安全与隐私保护", 12.5)  # an OCR size inflated by a neighbour
    text(page, 340, 140, "• 用户访谈与调研")
    text(page, 55, 180, "员工")
    text(page, 180, 180, "• 员工权益保障")
    text(page, 340, 180, "• 员工调研")
    hline(page, 50, 500, 195, 1.2)


def test_a_large_list_item_is_not_a_heading_that_ends_the_table(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "item.pdf", [_large_list_item])
    (table,) = detect_tables(page_content(pdf))
    assert table.style is TableStyle.THREE_LINE
    assert (table.n_rows, table.n_cols) == (3, 3)
    cell = table.cell_at(1, 1)
    assert cell is not None and cell.items == ["用户体验提升", "信息安全与隐私保护"]


def test_columns_set_close_together_are_found_from_their_flush_left_edge(tmp_path: Path) -> None:
    """A narrow table: the gap between two list columns is under the usual column gap, but
    every row's second column starts flush at one x — a column, not a space between words."""
    left = ["▪ 用户体验提", "升", "▪ 信息安全与", "隐私保护", "▪ 内容规范性"]
    right = ["▪ 用户访谈与调研", "▪ 用户体验调研", "▪ 客户满意度调查", "▪ 服务体验中心", ""]

    def draw(page: pymupdf.Page) -> None:
        hline(page, 40, 330, 100, 1.2)
        hline(page, 40, 330, 118, 0.5)
        for x, s in ((44, "相关方"), (100, "期待与诉求"), (158.0, "沟通渠道")):
            text(page, x, 113, s)
        text(page, 44, 133, "用户")
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            y = 133 + 14 * i
            w = text(page, 100, y, a)
            assert not a.startswith("▪") or 5 < 158.0 - (100 + w) < 5.4  # under 0.6 em apart
            if b:
                text(page, 158.0, y, b)
        hline(page, 40, 330, 206, 1.2)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "narrow.pdf", [draw])))
    assert table.n_cols == 3
    assert [c.text for c in table.cells if c.row == 0] == ["相关方", "期待与诉求", "沟通渠道"]
    body = table.cell_at(1, 1)
    assert body is not None and body.items == ["用户体验提升", "信息安全与隐私保护", "内容规范性"]


def test_a_dash_list_hanging_indent_is_no_column(tmp_path: Path) -> None:
    """List markers set apart from their items by half an em on every row start no column:
    the items start flush, but what ends at the gap is only markers."""

    def draw(page: pymupdf.Page) -> None:
        hline(page, 40, 400, 100, 1.2)
        hline(page, 40, 400, 118, 0.5)
        for x, s in ((44, "相关方"), (100, "期待与诉求"), (250, "沟通渠道")):
            text(page, x, 113, s)
        text(page, 44, 133, "用户")
        for i, (a, b) in enumerate(
            [("体验提升", "访谈"), ("隐私保护", "调研"), ("内容规范", "热线")]
        ):
            y = 133 + 14 * i
            w = text(page, 100, y, "–")
            text(page, 100 + w + 4.6, y, a)
            text(page, 250, y, b)
        hline(page, 40, 400, 180, 1.2)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "dash.pdf", [draw])))
    assert table.n_cols == 3
    # lines closer than the rules' padding: one row, its cell a list of the dashed items
    assert table.n_rows == 2
    (listed,) = [c for c in table.cells if c.col == 1 and c.row == 1]
    assert listed.items == ["体验提升", "隐私保护", "内容规范"]


def _narrow_rows_at_line_pitch(page: pymupdf.Page) -> None:
    """A narrow three-line table whose rows are set at the pitch of their lines: a label
    wrapped in a tight first column, bullet lists wrapped in the second."""
    hline(page, 50, 190, 100, 1.2)
    text(page, 54, 112, "目标")
    text(page, 118, 112, "相关响应")
    hline(page, 50, 190, 117, 0.5)
    col0 = ["SDG 3: 良好健", "康与福祉", "", "", "SDG 4: 优质教", "育", ""]
    col1 = [
        "▪ 关注青少年的",
        "健康成长。",
        "▪ 利用人工智能",
        "助力研究。",
        "▪ 在各平台推动",
        "知识普惠。",
        "▪ 开展教育。",
    ]
    for k, (a, b) in enumerate(zip(col0, col1, strict=True)):
        y = 130 + 12 * k
        if a:
            text(page, 54, y, a)
        text(page, 118, y, b)
    hline(page, 50, 190, 130 + 12 * 6 + 5, 1.2)


def test_rows_at_line_pitch_split_only_where_a_new_entry_starts(tmp_path: Path) -> None:
    """A line under a label that filled its tight column wraps that label (no new row),
    while a label under a short last line starts the next row."""
    pdf = make_pdf(tmp_path / "pitch.pdf", [_narrow_rows_at_line_pitch])
    (table,) = detect_tables(page_content(pdf))
    assert table.n_rows == 3
    assert [c.text for c in table.cells if c.col == 0] == [
        "目标",
        "SDG 3: 良好健康与福祉",
        "SDG 4: 优质教育",
    ]
    second = table.cell_at(2, 1)
    assert second is not None and second.items == ["在各平台推动知识普惠。", "开展教育。"]


def _partial_rules_beside_a_chapter(page: pymupdf.Page) -> None:
    """Rows ruled across the table, except between the sections of one chapter, where the
    rules start right of the chapter cell."""
    hline(page, 50, 400, 100, 1.2)
    text(page, 54, 112, "章节")
    text(page, 150, 112, "小节")
    text(page, 300, 112, "页码")
    hline(page, 50, 400, 118, 0.8)
    text(page, 54, 131, "关于我们")
    text(page, 300, 131, "P04")
    hline(page, 50, 400, 137, 0.8)
    for k, (section, where) in enumerate(
        (("公司治理", "P18"), ("内容治理", "P20"), ("用户服务", "P24"))
    ):
        y = 150 + 13 * k  # sections at the pitch of lines: only the rules part them
        text(page, 150, y, section)
        text(page, 300, y, where)
        if k < 2:
            hline(page, 140, 400, y + 3, 0.8)
    text(page, 54, 163, "责任底线")
    hline(page, 50, 400, 182, 0.8)
    text(page, 54, 195, "关于本报告")
    text(page, 300, 195, "P109")
    hline(page, 50, 400, 201, 1.2)


def test_partial_body_rules_part_the_rows_beside_a_spanning_label(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "partial.pdf", [_partial_rules_beside_a_chapter])
    (table,) = detect_tables(page_content(pdf))
    assert [c.text for c in table.cells if c.col == 1 and c.text] == [
        "小节",
        "公司治理",
        "内容治理",
        "用户服务",
    ]
    chapter = table.cell_at(3, 0)
    assert chapter is not None and (chapter.text, chapter.row, chapter.row_span) == (
        "责任底线",
        2,
        3,
    )


def _dashes_set_apart(page: pymupdf.Page) -> None:
    """Dash markers with a wide hanging indent: a clear gap between marker and item text."""
    hline(page, 50, 450, 100, 1.2)
    text(page, 54, 112, "目标")
    text(page, 200, 112, "相关响应")
    hline(page, 50, 450, 118, 0.5)
    y = 130
    for label, items in (
        ("SDG 1", ("培育乡村人才。", "提供工作机会。")),
        ("SDG 2", ("提供帮扶。",)),
    ):
        text(page, 54, y, label)
        for item in items:
            text(page, 170, y, "–")
            text(page, 185, y, item)
            y += 12
        y += 6
    hline(page, 50, 450, y, 1.2)


def test_markers_set_apart_from_their_items_are_no_column(tmp_path: Path) -> None:
    (table,) = detect_tables(page_content(make_pdf(tmp_path / "dash.pdf", [_dashes_set_apart])))
    assert table.n_cols == 2
    first = table.cell_at(1, 1)
    assert first is not None and first.items == ["培育乡村人才。", "提供工作机会。"]


def _wide_header_over_short_column(page: pymupdf.Page) -> None:
    """A header label wider than its column's short, flush-left body text (centred over the
    gap beside it), and one body line of many overhanging the table's right edge."""
    hline(page, 50, 400, 100, 1.2)
    text(page, 54, 112, "关键利益相关方")
    text(page, 150, 112, "期待与诉求")
    text(page, 290, 112, "相关回应")
    hline(page, 50, 400, 118, 0.5)
    who = ("用户", "员工", "政府", "媒体", "伙伴", "社区", "高校", "公众", "客户")
    for k, name in enumerate(who):
        y = 132 + 16 * k
        text(page, 52, y, name)
        text(page, 140, y, "沟通与反馈")
        text(page, 290, y, "保障合规雇佣，保障员工平等、" if k == 4 else "持续提升内容质量。")
    hline(page, 50, 400, 132 + 16 * len(who), 1.2)


def test_wide_header_label_and_overhanging_line_open_no_column(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "wide.pdf", [_wide_header_over_short_column])
    (table,) = detect_tables(page_content(pdf))
    assert [c.text for c in table.cells if c.row == 0] == [
        "关键利益相关方",
        "期待与诉求",
        "相关回应",
    ]
    assert table.n_cols == 3
    assert [c.text for c in table.cells if c.col == 0][:3] == ["关键利益相关方", "用户", "员工"]


def _detached_dashes_at_line_pitch(page: pymupdf.Page) -> None:
    """Rows at the pitch of their lines, items marked by dashes set apart from their text."""
    hline(page, 50, 210, 100, 1.2)
    text(page, 54, 112, "目标")
    text(page, 140, 112, "相关响应")
    hline(page, 50, 210, 117, 0.5)
    col0 = ["SDG 8: 体面工", "作和经济增长", "", "SDG 9: 产业", ""]
    col1 = [
        ("–", "通过培训与扶持"),
        ("", "帮助增收。"),
        ("–", "援助商家。"),
        ("–", "推动开源。"),
        ("–", "推动应用。"),
    ]
    for k, (label, (mark, item)) in enumerate(zip(col0, col1, strict=True)):
        y = 130 + 12 * k
        if label:
            text(page, 54, y, label)
        if mark:
            text(page, 118, y, mark)
        text(page, 140, y, item)
    hline(page, 50, 210, 130 + 12 * 4 + 5, 1.2)


def test_detached_markers_carry_a_list_over_rows_at_line_pitch(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "dashpitch.pdf", [_detached_dashes_at_line_pitch])
    (table,) = detect_tables(page_content(pdf))
    assert [c.text for c in table.cells if c.col == 0] == [
        "目标",
        "SDG 8: 体面工作和经济增长",
        "SDG 9: 产业",
    ]
    second = table.cell_at(2, 1)
    assert second is not None and second.items == ["推动开源。", "推动应用。"]


def _continued_rows_without_header(page: pymupdf.Page) -> None:
    """A continuation page: rows ruled (partial rules beside a chapter label), no header, so
    the second full rule closes a block of rows rather than a header."""
    hline(page, 50, 400, 100, 0.8)
    rows = (("推动内容建设", "GRI 203-1, GRI 413-1", "P64"), ("弘扬传统文化", "GRI 203-2", "P72"))
    rows += (("关注重点人群", "GRI 417-1", "P78"), ("助力公益数字化", "GRI 413-1", "P86"))
    for k, (section, codes, where) in enumerate(rows):
        y = 113 + 16 * k
        text(page, 150, y, section)
        text(page, 250, y, codes)
        text(page, 360, y, where)
        if k < len(rows) - 1:
            hline(page, 140, 400, y + 5, 0.8)
    text(page, 54, 137, "汇聚美好")
    hline(page, 50, 400, 166, 0.8)
    text(page, 54, 179, "关于本报告")
    text(page, 250, 179, "GRI 102-45")
    text(page, 360, 179, "P109")
    hline(page, 50, 400, 185, 0.8)
    text(page, 54, 198, "指标索引")
    text(page, 250, 198, "GRI 102-55")
    text(page, 360, 198, "P110")
    hline(page, 50, 400, 204, 0.8)


def test_a_block_of_rows_over_the_second_rule_is_no_header(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "cont.pdf", [_continued_rows_without_header])
    (table,) = detect_tables(page_content(pdf))
    assert table.n_cols == 4
    sections = [c.text for c in table.cells if c.col == 1 and c.text]
    assert sections == ["推动内容建设", "弘扬传统文化", "关注重点人群", "助力公益数字化"]
    chapter = table.cell_at(2, 0)
    assert chapter is not None and (chapter.text, chapter.row_span) == ("汇聚美好", 4)


def _codes_set_close_to_pages(page: pymupdf.Page) -> None:
    """A code cell and a page cell set so close on one row that they come as one run with a
    wide space between (a space run on by 4 pt here); the other rows show the column gap."""
    hline(page, 50, 400, 100, 1.2)
    text(page, 54, 112, "小节")
    text(page, 150, 112, "披露项")
    text(page, 290, 112, "页码")
    hline(page, 50, 400, 118, 0.5)
    names = ("公司治理", "内容治理", "用户服务", "隐私保护", "员工", "环境", "伙伴", "公益", "附录")
    for k, name in enumerate(names):
        y = 132 + 16 * k
        text(page, 54, y, name)
        if k == 1:
            width = text(page, 155, y, "GRI 416-1, GRI 418-1, GRI 419-1 ")  # ends 4 pt short
            text(page, 155 + width + 4, y, "P20")  # of the page column
        else:
            text(page, 155, y, f"GRI 10{k}-1, GRI 10{k}-2, GRI 10{k}")
            text(page, 290, y, f"P{20 + k}")
    hline(page, 50, 400, 132 + 16 * (len(names) - 1) + 6, 1.2)


def test_a_run_joined_across_a_column_gap_is_cut_at_its_wide_space(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "glued.pdf", [_codes_set_close_to_pages])
    (table,) = detect_tables(page_content(pdf))
    pages = [c.text for c in table.cells if c.col == 2]
    assert pages[:4] == ["页码", "P20", "P20", "P22"]
    codes = table.cell_at(2, 1)
    assert codes is not None and codes.text == "GRI 416-1, GRI 418-1, GRI 419-1"


def _cell_by_cell(page: pymupdf.Page) -> None:
    """A three-line table whose rules are drawn one piece per cell (as HTML renderers and word
    processors draw cell borders); an e-mail address overflows its cell into the next column's
    whitespace, so whitespace alone sees two columns where there are three."""
    cols = (50, 150, 260, 500)
    for y in (100, 118, 190):
        for a, b in pairwise(cols):
            hline(page, a, b, y)
    for x, s in zip(cols, ("利益相关方", "沟通渠道", "相关回应"), strict=False):
        text(page, x + 3, 113, s)
    text(page, 53, 131, "员工")
    text(page, 153, 131, "员工调研")
    text(page, 153, 145, "邮箱 hr.csr@bytedance.com")
    text(page, 263, 131, "保障合规雇佣。")
    text(page, 263, 159, "长期为员工提供培训。")
    text(page, 53, 175, "政府")
    text(page, 153, 175, "公共事务部门")
    text(page, 263, 175, "严格遵循法律法规。")


def test_rules_drawn_cell_by_cell_give_the_columns(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "c.pdf", [_cell_by_cell])))
    assert len(tables) == 1
    table = tables[0]
    assert table.style is TableStyle.THREE_LINE
    assert table.n_cols == 3
    assert [c.text for c in table.cells if c.row == 0] == ["利益相关方", "沟通渠道", "相关回应"]
    assert [c.text for c in table.cells if c.row == 2] == [
        "政府",
        "公共事务部门",
        "严格遵循法律法规。",
    ]


def test_rule_joints_and_idle_edges() -> None:
    from csrextract.models import TextLine
    from csrextract.tables.ruled import Edge
    from csrextract.tables.three_line import drawn_columns, idle_edges, rule_joints

    pieces = [Edge(True, 100, 50, 150), Edge(True, 100, 150, 260), Edge(True, 100, 260, 500)]
    top = Edge(True, 100, 50, 500)
    assert rule_joints(pieces, top, 50, 500, 1.0) == [150, 260]
    # a spanning cell's rule lacks a joint the other rule has: the column is still drawn
    assert drawn_columns([[260.0], [150.0, 260.4]], 1.0) == [150.0, 260.2]

    def run(x0: float, x1: float) -> TextLine:
        return TextLine("字" * 3, (x0, 0.0, x1, 9.0), font_size=9.0)

    # a whitespace edge at 190 beside the drawn 236 parts off a column nothing lies in
    lines = [run(100, 160), run(250, 300), run(400, 450)]
    assert idle_edges([36, 190, 236, 345, 576], [236, 345], lines, 9.0) == [190]
    assert idle_edges([36, 190, 236, 345, 576], [236, 345], [*lines, run(195, 230)], 9.0) == []


def test_a_single_ruled_row_has_no_span_over_a_joint() -> None:
    """One row between two rules drawn cell by cell: a run over a joint is no merged cell;
    a span over a stretch drawn in one piece stays."""
    from csrextract.tables.three_line import unjoined_spans

    xs = [40.0, 108.0, 176.0, 311.0, 380.0]
    spans = [(0, 2, 1, 2), (0, 0, 1, 2)]
    assert unjoined_spans(spans, xs, [108.0, 176.0, 311.0], 10.0) == []
    assert unjoined_spans(spans, xs, [176.0, 311.0], 10.0) == [(0, 0, 1, 2)]


def _closing_rule_short_of_a_spanning_label(page: pymupdf.Page) -> None:
    """A three-line table cut by the page under a chapter spanning its last rows: the closing
    rule is drawn under the section cells only, not under the chapter's column."""
    hline(page, 50, 400, 100, 1.2)
    text(page, 54, 112, "章节")
    text(page, 150, 112, "小节")
    text(page, 300, 112, "页码")
    hline(page, 50, 400, 118, 0.8)
    text(page, 54, 131, "关于我们")
    text(page, 300, 131, "P04")
    text(page, 54, 150, "责任底线")
    for k, (section, where) in enumerate((("公司治理", "P18"), ("内容治理", "P20"))):
        text(page, 150, 150 + 18 * k, section)
        text(page, 300, 150 + 18 * k, where)
    hline(page, 140, 400, 176, 1.2)


def test_a_closing_rule_short_of_a_spanning_label_still_closes_the_table(
    tmp_path: Path,
) -> None:
    pdf = make_pdf(tmp_path / "short.pdf", [_closing_rule_short_of_a_spanning_label])
    (table,) = detect_tables(page_content(pdf))
    assert table.style is TableStyle.THREE_LINE
    assert [c.text for c in table.cells if c.col == 2 and c.text] == ["页码", "P04", "P18", "P20"]
    assert table.bbox[0] <= 51 and table.bbox[3] >= 175


def test_a_short_rule_under_a_table_is_not_its_closing_rule_across_a_paragraph(
    tmp_path: Path,
) -> None:
    def draw(page: pymupdf.Page) -> None:
        _three_line(page)
        running = (
            "下文的一段正文与上方表格无关，宽度与表格相同，"
            "不属于表格内容，也不是它的一行，而是正文。"
        )
        for y in (230, 245):  # two lines of running text as wide as the table
            text(page, 50, y, running)
        hline(page, 170, 500, 260, 1.2)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "para.pdf", [draw])))
    assert table.bbox[3] <= 204


def _top_aligned_chapters(page: pymupdf.Page) -> None:
    """An index whose chapters are set at the top of their cells, beside sections with codes
    and pages; no rules between rows, so only the text says where a chapter ends."""
    hline(page, 50, 450, 100, 1.2)
    for x, s in ((54, "章节"), (150, "小节"), (260, "披露项"), (400, "页码")):
        text(page, x, 112, s)
    hline(page, 50, 450, 118, 0.8)
    rows = [
        ("关于我们", "", "GRI 2-1", "P04"),
        ("责任底线", "公司治理", "GRI 205-1", "P18"),
        ("", "内容治理", "GRI 416-1", "P20"),
        ("", "用户服务", "GRI 418-1", "P24"),
        ("美好家园", "员工福祉", "GRI 401-2", "P34"),
        ("", "绿色家园", "GRI 302-4", "P38"),
    ]
    for k, values in enumerate(rows):
        for x, s in zip((54, 150, 260, 400), values, strict=True):
            if s:
                text(page, x, 134 + 18 * k, s)
    hline(page, 50, 450, 134 + 18 * len(rows), 1.2)


def test_a_top_aligned_chapter_spans_its_sections_below_not_above(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "index.pdf", [_top_aligned_chapters])
    (table,) = detect_tables(page_content(pdf))
    chapters = {(c.text, c.row, c.row_span) for c in table.cells if c.col == 0 and c.text and c.row}
    assert ("责任底线", 2, 3) in chapters
    assert ("美好家园", 5, 2) in chapters


def _centred_wrapped_chapter(page: pymupdf.Page) -> None:
    """A chapter wrapped over two lines at tight leading, centred beside four sections: its
    lines fall between the sections' rows, on no section's baseline."""
    hline(page, 50, 450, 100, 1.2)
    for x, s in ((54, "章节"), (150, "小节"), (260, "披露项"), (400, "页码")):
        text(page, x, 112, s)
    hline(page, 50, 450, 118, 0.8)
    for k, (section, code, where) in enumerate(
        (
            ("公司治理", "GRI 205-1", "P18"),
            ("内容治理", "GRI 416-1", "P20"),
            ("用户服务", "GRI 418-1", "P24"),
            ("隐私保护", "GRI 419-1", "P28"),
        )
    ):
        for x, s in ((150, section), (260, code), (400, where)):
            text(page, x, 134 + 24 * k, s)
    text(page, 54, 165, "筑牢根基守")  # first line, between the second and third rows
    text(page, 54, 175, "卫责任底线")
    hline(page, 50, 450, 218, 1.2)


def test_a_wrapped_chapter_centred_between_rows_is_one_spanning_cell(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "wrapped.pdf", [_centred_wrapped_chapter])
    (table,) = detect_tables(page_content(pdf))
    chapters = [(c.text, c.row, c.row_span) for c in table.cells if c.col == 0 and c.row > 0]
    assert [c for c in chapters if c[0]] == [("筑牢根基守卫责任底线", 1, 4)]


def _codes_wrapped_beside_a_centred_label(page: pymupdf.Page) -> None:
    """Rows at the pitch of lines; a list of codes wrapped over three lines, each broken after
    a comma; the chapter centred beside it (on the second line), the page on the first."""
    hline(page, 50, 450, 100, 1.2)
    for x, s in ((54, "章节"), (150, "披露项"), (400, "页码")):
        text(page, x, 112, s)
    hline(page, 50, 450, 118, 0.8)
    lines = [
        (134, "关于我们", "GRI 2-1, GRI 2-6", "P04"),
        (146, "", "GRI 102-21, GRI 102-29,", "P06"),
        (158, "责任管理", "GRI 102-40, GRI 102-42,", ""),
        (170, "", "GRI 102-47", ""),
        (182, "公司治理", "GRI 205-1", "P18"),
    ]
    for y, *cells in lines:
        for x, s in zip((54, 150, 400), cells, strict=True):
            if s:
                text(page, x, y, s)
    hline(page, 50, 450, 190, 1.2)


def test_a_line_ending_in_a_comma_goes_on_in_the_next_line_of_its_row(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "codes.pdf", [_codes_wrapped_beside_a_centred_label])
    (table,) = detect_tables(page_content(pdf))
    rows = {c.text: c.row for c in table.cells if c.text}
    assert table.n_rows == 4
    assert (
        rows["P06"]
        == rows["责任管理"]
        == rows["GRI 102-21, GRI 102-29, GRI 102-40, GRI 102-42, GRI 102-47"]
    )


def _label_wrapped_at_tight_leading(page: pymupdf.Page) -> None:
    """Rows ruled (beside the chapter only between its sections); the chapter, top-aligned
    beside its first section, wraps at a tighter leading than the rows, its second line on the
    next section's baseline, across the rule between them."""
    hline(page, 50, 450, 100, 1.2)
    for x, s in ((54, "章节"), (150, "小节"), (260, "披露项"), (400, "页码")):
        text(page, x, 112, s)
    hline(page, 50, 450, 118, 0.8)
    text(page, 54, 134, "关于我们")
    for x, s in ((260, "GRI 2-1"), (400, "P04")):
        text(page, x, 134, s)
    text(page, 54, 150, "携手伙伴建设")
    text(page, 54, 161, "美好家园")  # the chapter's leading: 11 pt; the rows': 16 pt
    for k, (section, code, where) in enumerate(
        (("员工福祉", "GRI 401-2", "P34"), ("绿色家园", "GRI 302-4", "P38"))
    ):
        for x, s in ((150, section), (260, code), (400, where)):
            text(page, x, 150 + 16 * k, s)
    text(page, 54, 182, "关于本报告")
    for x, s in ((260, "GRI 2-3"), (400, "P109")):
        text(page, x, 182, s)
    hline(page, 50, 450, 138.5, 0.5)
    hline(page, 140, 450, 154.5, 0.5)
    hline(page, 50, 450, 170.5, 0.5)
    hline(page, 50, 450, 190, 1.2)


def test_a_label_wrapped_at_tighter_leading_than_the_rows_stays_one_cell(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "tight.pdf", [_label_wrapped_at_tight_leading])
    (table,) = detect_tables(page_content(pdf))
    chapter = next(c for c in table.cells if c.text.startswith("携手"))
    assert (chapter.text, chapter.row_span) == ("携手伙伴建设美好家园", 2)


def _rule_under_the_label_column_only(page: pymupdf.Page) -> None:
    """Rows ruled one by one; between SDG 14 and 15 the rule stops at the label column: one
    response serves both goals."""
    hline(page, 50, 450, 100, 1.0)
    rows = [
        ("SDG 13", ["应对气候变化。"], 100),
        ("SDG 14", ["保护生物多样性。"], 130),
        ("SDG 15", ["打击非法贸易。"], 160),
        ("SDG 16", ["完善治理体系。"], 190),
    ]
    for label, items, top in rows:
        text(page, 54, top + 14, label)
        text(page, 200, top + 14, items[0])
    hline(page, 50, 450, 130, 0.6)
    hline(page, 50, 150, 160, 0.6)  # partial: under the label column only
    hline(page, 50, 450, 190, 0.6)
    hline(page, 50, 450, 220, 1.0)


def test_a_rule_under_the_label_column_only_lets_the_text_beside_it_span(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "partial_label.pdf", [_rule_under_the_label_column_only])
    (table,) = detect_tables(page_content(pdf))
    assert [c.text for c in table.cells if c.col == 0] == ["SDG 13", "SDG 14", "SDG 15", "SDG 16"]
    shared = table.cell_at(2, 1)
    assert shared is not None and shared is table.cell_at(1, 1)
    assert shared.row_span == 2
    # two sentences, each ending far short of the cell's edge: two items of the response
    assert shared.items == ["保护生物多样性。", "打击非法贸易。"]
    assert table.cell_at(3, 1) is not table.cell_at(2, 1)


def _carried_over_row_of_lists(page: pymupdf.Page) -> None:
    """A continuation page: a top and a bottom rule around one stakeholder row, its label on
    the first line beside lists (markers lost) set closer than the padding under the rule."""
    hline(page, 36, 520, 100, 0.4)
    text(page, 40, 114, "社区与环境", 8)
    for x, items in (
        (130, ["开展公益项目", "社区投资", "志愿者活动", "节能减排"]),
        (240, ["字节跳动公益平台", "公益基金会", "社区公益活动", "员工公益活动"]),
        (360, ["持续关注重点群体。", "推动公益数字化。", "开展品牌公益项目。", "倡导员工公益。"]),
    ):
        for k, s in enumerate(items):
            text(page, x, 114 + 9.5 * k, s, 8)
    hline(page, 36, 520, 150, 0.4)


def test_a_ruled_row_of_lists_under_one_label_stays_one_row(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "carried.pdf", [_carried_over_row_of_lists])
    (table,) = detect_tables(page_content(pdf))
    assert (table.n_rows, table.n_cols) == (1, 4)
    cell = table.cell_at(0, 1)
    assert cell is not None and cell.text == "开展公益项目社区投资志愿者活动节能减排"


def _continued_chapters_ruled_in_part(page: pymupdf.Page) -> None:
    """A continuation page: full rules only around and between chapters, partial rules (right
    of the chapter column, drawn cell by cell) between the sections of each chapter."""
    hline(page, 50, 400, 100, 0.8)
    sections = (
        (
            ("增进员工福祉", "GRI 401-2", "P34"),
            ("共建绿色家园", "GRI 302-4", "P38"),
            ("优化商业环境", "GRI 102-9", "P45"),
        ),
        (("夯实创新基础", "/", "P52"), ("推广科技应用", "/", "P56")),
    )
    top = 100.0
    for chapter, rows in zip(("携手伙伴", "坚持科技创新"), sections, strict=True):
        text(page, 54, top + 13, chapter)
        for k, cells in enumerate(rows):
            y = top + 13 + 19 * k
            for x, s in zip((150, 250, 350), cells, strict=True):
                text(page, x, y, s)
            if k < len(rows) - 1:  # drawn cell by cell, as each cell's own border
                for x0, x1 in ((146, 246), (246, 346), (346, 400)):
                    hline(page, x0, x1, top + 19 * (k + 1), 0.8)
        top += 19 * len(rows)
        hline(page, 50, 400, top, 0.8)


def test_partial_rules_between_several_rows_rule_the_rows_not_a_header(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "parts.pdf", [_continued_chapters_ruled_in_part])
    (table,) = detect_tables(page_content(pdf))
    assert table.n_rows == 5
    chapters = [(c.text, c.row, c.row_span) for c in table.cells if c.col == 0 and c.text]
    assert chapters == [("携手伙伴", 0, 3), ("坚持科技创新", 3, 2)]
    assert not any(c.is_header for c in table.cells)


def _items_centred_beside_a_top_label(page: pymupdf.Page) -> None:
    """A narrow label column beside a wide one of centred items, no header: the second label
    heads the four items beside it (top-aligned, its cell spans them), whose rows leave the
    label column empty; rules drawn cell by cell, the closing one under the items only."""
    hline(page, 36, 74, 116, 1.2)
    hline(page, 74, 297, 116, 1.2)
    text(page, 47, 128, "中心")
    centred(page, 74, 297, 128, "围绕核心人工智能技术")
    text(page, 47, 145, "主线")
    items = (
        "依托积累的优势向芯片等技术链上游延伸",
        "继续探寻人工智能技术的应用领域",
        "开展交叉领域的基础研究和前沿探索。",
        "继续夯实现有技术优势领域的领先地位。",
    )
    for k, s in enumerate(items):
        centred(page, 74, 297, 145 + 17 * k, s)
    hline(page, 74, 297, 215, 1.2)


def test_items_centred_in_their_column_beside_an_empty_label_cell_span_nothing(
    tmp_path: Path,
) -> None:
    pdf = make_pdf(tmp_path / "centred.pdf", [_items_centred_beside_a_top_label])
    (table,) = detect_tables(page_content(pdf))
    assert (table.n_rows, table.n_cols) == (5, 2)
    assert not any(c.col_span > 1 for c in table.cells)
    assert [c.text for c in table.cells if c.col == 1][2:] == [
        "继续探寻人工智能技术的应用领域",
        "开展交叉领域的基础研究和前沿探索。",
        "继续夯实现有技术优势领域的领先地位。",
    ]


def _label_rule_at_line_pitch(page: pymupdf.Page) -> None:
    """Every row ruled; between SDG 14 and 15 the rule runs under the narrow label column only
    (a quarter of the table) and the response beside it, centred on the two rows, is set at
    line pitch: only the rule parts the two goals."""
    hline(page, 40, 500, 100, 0.4)
    text(page, 44, 112, "目标", 8)
    text(page, 170, 112, "相关响应", 8)
    hline(page, 40, 500, 118, 0.4)
    text(page, 44, 130, "SDG 13", 8)
    text(page, 170, 130, "应对气候变化。", 8)
    hline(page, 40, 500, 137, 0.4)
    text(page, 44, 149, "SDG 14", 8)
    text(page, 170, 152.6, "保护生物多样性。", 8)
    hline(page, 40, 155, 155.4, 0.4)  # under the label column only
    text(page, 170, 163.8, "打击非法贸易。", 8)
    text(page, 44, 167.4, "SDG 15", 8)
    hline(page, 40, 500, 173.8, 0.4)
    text(page, 44, 185.8, "SDG 16", 8)
    text(page, 170, 185.8, "完善治理体系。", 8)
    hline(page, 40, 500, 192.6, 0.4)


def test_a_short_rule_ending_in_the_gutter_parts_rows_in_a_table_ruling_every_row(
    tmp_path: Path,
) -> None:
    pdf = make_pdf(tmp_path / "pitch.pdf", [_label_rule_at_line_pitch])
    (table,) = detect_tables(page_content(pdf))
    assert [c.text for c in table.cells if c.col == 0] == [
        "目标",
        "SDG 13",
        "SDG 14",
        "SDG 15",
        "SDG 16",
    ]
    shared = table.cell_at(2, 1)
    assert shared is not None and shared is table.cell_at(3, 1) and shared.row_span == 2
    assert shared.items == ["保护生物多样性。", "打击非法贸易。"]


def _one_row_of_lists_under_a_header(page: pymupdf.Page) -> None:
    """A header row and one body row of three lists (markers lost, no sentence ends), lines
    set closer than the padding under the header rule and over the bottom rule."""
    hline(page, 40, 500, 100, 0.4)
    for x, s in ((60, "乡村产业"), (220, "乡村文旅"), (380, "乡村人才")):
        text(page, x, 111, s, 8)
    hline(page, 40, 500, 116, 0.4)
    for x, items in (
        (56, ["梳理产业", "升级区域供应链", "整合区域特色产品"]),
        (216, ["打造线路", "打通产品路径", "培养文旅创作者"]),
        (376, ["开展乡村人才培训", "构建人才标准", "打造数字化学习平台"]),
    ):
        for k, s in enumerate(items):
            text(page, x, 128 + 11 * k, s, 8)
    hline(page, 40, 500, 156, 0.4)


def test_lines_closer_than_the_rules_padding_in_every_column_are_one_row(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "lists.pdf", [_one_row_of_lists_under_a_header])
    (table,) = detect_tables(page_content(pdf))
    assert (table.n_rows, table.n_cols) == (2, 3)
    cell = table.cell_at(1, 0)
    assert (
        cell is not None and cell.text.replace("\n", "") == "梳理产业升级区域供应链整合区域特色产品"
    )


def _label_wrapped_between_two_rows(page: pymupdf.Page) -> None:
    """A continuation part: two one-line rows beside a group label wrapped over three lines,
    which fills the gap between the rows at line pitch; the rows' own columns keep it."""
    hline(page, 40, 380, 100, 1.2)
    for x, s in ((100, "内容"), (210, "披露项"), (330, "位置")):
        text(page, x, 110, s, 7.5)
    hline(page, 40, 380, 116, 0.6)
    for k, s in enumerate(("坚持科技创", "新, 创造更多", "可能")):
        text(page, 45, 128 + 10.5 * k, s, 7.5)
    for y, (a, b, c) in (
        (128, ("夯实创新基础", "/", "P52")),
        (148.2, ("推广科技应用", "/", "P56")),
    ):
        text(page, 96, y, a, 7.5)
        text(page, 210, y, b, 7.5)
        text(page, 335, y, c, 7.5)
    hline(page, 40, 380, 157, 1.2)


def test_a_label_wrapped_over_the_gap_between_two_rows_keeps_them_two(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "label.pdf", [_label_wrapped_between_two_rows])
    (table,) = detect_tables(page_content(pdf))
    assert [c.text for c in table.cells if c.col == table.n_cols - 1 and c.row] == ["P52", "P56"]


def _two_column_ruled_rows(page: pymupdf.Page, cell_by_cell: bool, top: float) -> None:
    """One tall row of a label beside wrapped text between two rules (a table with one row per
    page): the rules drawn cell by cell (each cell's own border) or each in one stroke."""
    pieces = ((50, 150), (150, 300)) if cell_by_cell else ((50, 300),)
    for y in (top, top + 62):
        for x0, x1 in pieces:
            hline(page, x0, x1, y, 1.0)
    text(page, 54, top + 13, "益童乐园")
    for k, s in enumerate(("字节跳动公益提供支持的", "儿童公益项目，通过组建", "儿童友好空间。")):
        text(page, 154, top + 13 + 14 * k, s)


def test_one_ruled_row_of_two_cells_stands_where_the_rules_draw_the_cells(
    tmp_path: Path,
) -> None:
    """Two columns in one ruled row are a table part when the rules meet at the column edge
    (drawn cell by cell); in one stroke they are as often a ruled text box and stay out."""

    def pages(page: pymupdf.Page) -> None:
        _two_column_ruled_rows(page, True, 100)
        _two_column_ruled_rows(page, False, 400)

    pdf = make_pdf(tmp_path / "one_row.pdf", [pages])
    (table,) = detect_tables(page_content(pdf))
    assert (table.n_rows, table.n_cols) == (1, 2)
    assert table.bbox[1] < 200
    assert [c.text for c in table.cells] == [
        "益童乐园",
        "字节跳动公益提供支持的儿童公益项目，通过组建儿童友好空间。",
    ]


def test_drawn_between_needs_a_joint_at_every_inner_edge() -> None:
    from csrextract.tables.three_line import drawn_between

    assert drawn_between([50.0, 148.0, 300.0], [150.0], 9.0)
    assert not drawn_between([50.0, 148.0, 300.0], [], 9.0)
    assert not drawn_between([50.0, 148.0, 300.0], [150.0, 220.0], 9.0)
    assert not drawn_between([50.0, 120.0, 300.0], [150.0], 9.0)
