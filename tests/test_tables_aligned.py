"""Tables with no graphics, and pages where nothing must be detected."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from tables_pdf import centred, make_pdf, page_content, text
from test_tables_ruled import grid_of

from csrextract.models import TableStyle
from csrextract.tables import detect_tables

PARAGRAPH = (
    "北京字节跳动非常重视利益相关方的关注与诉求。为了更好地为公司的社会责任工作提供方向指引，"
    "公司开展面向用户、员工、政府、创作者与伙伴等年度利益相关方的专项调研，采取问卷调研和焦点"
    "小组访谈相结合的形式，共抽样发放问卷，并最终回收了超过一万份有效问卷，开展多场访谈与沟通。"
)


def _wrap(s: str, n: int) -> list[str]:
    return [s[i : i + n] for i in range(0, len(s), n)]


def _running_header(page: pymupdf.Page) -> None:
    text(page, 50, 30, "北京字节跳动 2021 企业社会责任报告", 8)
    text(page, 520, 30, "12", 8)
    text(page, 290, 820, "— 12 —", 8)


def test_aligned_table_without_graphics(tmp_path: Path) -> None:
    rows = [
        ("领域", "应用方向"),
        ("机器翻译", "通过系列翻译产品打破语言隔阂。"),
        ("机器人", "研发机器人促进生产力发展。"),
        ("生物医药", "生物医学大数据操作系统。"),
        ("经典视频修复", "实现照片、视频的高清修复。"),
    ]

    def draw(page: pymupdf.Page) -> None:
        _running_header(page)
        text(page, 50, 80, PARAGRAPH[:40])
        for i, (a, b) in enumerate(rows):
            text(page, 60, 120 + 18 * i, a)
            text(page, 200, 120 + 18 * i, b)

    tables = detect_tables(page_content(make_pdf(tmp_path / "aligned.pdf", [draw])))
    assert len(tables) == 1
    assert tables[0].style is TableStyle.ALIGNED
    expected = [(r, c, 1, 1, s) for r, row in enumerate(rows) for c, s in enumerate(row)]
    assert grid_of(tables[0]) == expected


def test_paragraphs_and_bullet_list_give_no_table(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        _running_header(page)
        text(page, 50, 70, "利益相关方参与", 14)
        y = 100.0
        for line in _wrap(PARAGRAPH, 50):
            text(page, 50, y, line)
            y += 14
        for item in ("用户体验提升", "信息安全与隐私保护", "内容规范性管理", "用户沟通和信息反馈"):
            y += 14
            text(page, 60, y, "•")
            text(page, 80, y, item)
        for item in ("1. 保障合规雇佣", "2. 长期为员工提供培训项目", "3. 关注员工身心健康"):
            y += 14
            text(page, 60, y, item)

    assert detect_tables(page_content(make_pdf(tmp_path / "prose.pdf", [draw]))) == []


def test_two_column_text_page_gives_no_table(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        _running_header(page)
        lines = _wrap(PARAGRAPH * 2, 24)
        for i, line in enumerate(lines[: len(lines) // 2]):
            text(page, 50, 80 + 14 * i, line)
        for i, line in enumerate(lines[len(lines) // 2 :]):
            text(page, 310, 80 + 14 * i, line)

    assert detect_tables(page_content(make_pdf(tmp_path / "two_col.pdf", [draw]))) == []


def test_contents_table_of_long_wrapped_cells(tmp_path: Path) -> None:
    """A contents page set as a table: long cells wrapped over several lines, no graphics. Rows
    start on one baseline in every column; the last cell's wrapped line belongs to it."""
    cells = [
        ["04 关于北京字节跳动", "05 公司简介 05 公司文化", "50 坚持科技创新 创造更多可能"],
        [
            "06 责任管理",
            "07 责任战略 09 利益相关方参与 13 实质性议题",
            "56 推广科技应用 58 应用创新成果",
        ],
        [
            "16 筑牢根基 守卫责任底线",
            "18 公司治理 20 内容治理 24 用户服务",
            "62 汇聚美好 共享社会价值",
        ],
        [
            "32 携手伙伴 建设美好家园",
            "34 增进员工福祉 38 共建绿色家园",
            "109 关于本报告 110 GRI 指标索引",
        ],
    ]
    xs, width = (60, 200, 380), 8

    def draw(page: pymupdf.Page) -> None:
        _running_header(page)
        text(page, 50, 80, "目录", 20)
        y = 120.0
        for row in cells:
            wrapped = [_wrap(s, width) for s in row]
            for x, lines in zip(xs, wrapped, strict=True):
                for i, line in enumerate(lines):
                    text(page, x, y + 10 * i, line, 7)
            y += 10 * max(len(w) for w in wrapped) + 12

    tables = detect_tables(page_content(make_pdf(tmp_path / "toc.pdf", [draw])))
    assert len(tables) == 1
    table = tables[0]
    assert (table.n_rows, table.n_cols) == (4, 3)
    assert [c.text.replace(" ", "") for c in table.rows()[3]] == [
        s.replace(" ", "") for s in cells[3]
    ]
    assert not any(c.is_header for c in table.cells)
    assert all(c.row_span == c.col_span == 1 for c in table.cells)


def _two_row_tables(page: pymupdf.Page) -> None:
    """Two borderless two-row tables (KPI labels over figures; names in three columns), and
    pairs of lines that are not tables: two-column prose, contents lines."""
    text(page, 50, 80, "2021年名校在抖音", 12)
    for x, label, figure in (
        (60, "高校入驻率", "92%"),
        (220, "开播场次", "14463场"),
        (380, "总时长", "145万"),
    ):
        text(page, x, 104, label)
        text(page, x, 122, figure)
    text(page, 50, 160, "认证情况", 12)
    names = (
        ("ISO20000 服务管理", "ISO27001 信息安全", "ISO27701 隐私"),
        ("ISO27017 云安全", "ISO27018 云隐私", "ISO22301 连续性"),
    )
    for y, row in zip((184, 200), names, strict=True):
        for i, name in enumerate(row):
            text(page, 60 + 160 * i, y, name)
    text(page, 50, 250, "两栏正文", 12)
    for y, (left, right) in zip(
        (274, 288),
        (
            ("公司持续完善治理体系。", "我们坚持合规经营。"),
            ("加强风险管理与内控。", "推动员工共同成长。"),
        ),
        strict=True,
    ):
        text(page, 50, y, left, 10)
        text(page, 300, y, right, 10)
    text(page, 50, 330, "目录", 12)
    for y, (title, number) in zip(
        (354, 368), (("关于本报告", "01"), ("董事长致辞", "03")), strict=True
    ):
        text(page, 50, y, title, 10)
        text(page, 480, y, number, 10)


def test_two_row_borderless_tables_and_no_prose_pairs(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "pairs.pdf", [_two_row_tables])
    tables = detect_tables(page_content(pdf))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(2, 3), (2, 3)]
    assert [c.text for c in tables[0].cells if c.row == 1] == ["92%", "14463场", "145万"]
    assert all(t.style is TableStyle.ALIGNED for t in tables)


def _programme(page: pymupdf.Page) -> None:
    """Short project names beside wrapped descriptions, no graphics: a two-column table."""
    items = (
        ("益童成长平台", "与公益研究院合作开发，供儿童和教育工作者使用的开放性内容平台。" * 2, 3),
        ("益校计划", "暴雨发生后联合发起益校计划，支持当地灾后教育系统重建和恢复工作。" * 2, 4),
        ("益童乐园", "由公益基金会发起、提供支持的儿童服务项目，提升乡村儿童的成长环境。" * 2, 3),
        ("儿科医师培训", "资助西部儿科医师到国家级儿科医学中心培训三个月，每年四期。" * 2, 3),
    )
    y = 100.0
    for label, description, n_lines in items:
        text(page, 50, y, label)
        for k, part in enumerate(_wrap(description, (len(description) + n_lines - 1) // n_lines)):
            text(page, 170, y + 12 * k, part)
        y += 12 * n_lines + 9


def test_label_column_beside_wrapped_text_is_a_table(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "programme.pdf", [_programme])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(4, 2)]
    assert [c.text for c in tables[0].cells if c.col == 0] == [
        "益童成长平台",
        "益校计划",
        "益童乐园",
        "儿科医师培训",
    ]


def _programme_with_a_shared_text(page: pymupdf.Page) -> None:
    """Labels beside wrapped descriptions, one label's cell empty (its text is the row above's)."""
    items = (
        ("益童成长平台", "与公益研究院合作开发，供儿童和教育工作者使用的开放性内容平台。" * 2),
        ("益校计划", "暴雨发生后联合发起益校计划，支持当地灾后教育系统重建和恢复工作。" * 2),
        ("益童乐园", "由公益基金会发起、提供支持的儿童服务项目，提升乡村儿童的成长环境。" * 2),
        ("儿科医师进修", ""),
        ("儿科医师培训", "资助西部儿科医师到国家级儿科医学中心培训三个月，每年四期。" * 2),
    )
    y = 100.0
    for label, description in items:
        text(page, 50, y, label)
        parts = _wrap(description, 22) or [""]
        for k, part in enumerate(parts):
            text(page, 170, y + 12 * k, part)
        y += 12 * len(parts) + 9


def test_label_column_with_one_empty_text_cell_is_a_table(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "shared.pdf", [_programme_with_a_shared_text])
    tables = detect_tables(page_content(pdf))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(5, 2)]
    assert [c.text for c in tables[0].cells if c.col == 1][3] == ""


def _strands(page: pymupdf.Page) -> None:
    """Three labels side by side, a bullet list under each, no graphics."""
    strands = (
        ("乡村产业：营销路径优化", ("梳理产业", "升级区域供应链", "整合区域特色产品")),
        ("乡村文旅：内容消费路径", ("打造线路", "打通产品路径", "培养文旅创作者")),
        ("乡村人才：培训和扶持", ("开展乡村人才培训", "构建人才标准", "打造数字化学习平台")),
    )
    for i, (label, items) in enumerate(strands):
        x = 60 + 160 * i
        text(page, x, 100, label)
        for k, item in enumerate(items):
            text(page, x, 120 + 11 * k, f"• {item}")


def test_labels_over_bullet_lists_in_three_columns_is_a_table(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "strands.pdf", [_strands])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(2, 3)]
    table = tables[0]
    assert [c.is_header for c in table.cells if c.row == 0] == [True, True, True]
    assert [len(c.items) for c in table.cells if c.row == 1] == [3, 3, 3]


def _wrapped_kpi_labels(page: pymupdf.Page) -> None:
    """Two long KPI labels wrapped onto two lines each, centred over their figures."""
    for x0, label, rest, figure in (
        (60, "与去年同期相比，文化教育类", "直播场次增加", "+270万（场）"),
        (300, "与去年同期相比，生活知识类", "直播场次增加", "+130万（场）"),
    ):
        centred(page, x0, x0 + 200, 100, label, 7)
        centred(page, x0, x0 + 200, 109, rest, 7)
        centred(page, x0, x0 + 200, 128, figure, 7)


def test_two_row_table_with_wrapped_labels(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "wrapped.pdf", [_wrapped_kpi_labels])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(2, 2)]
    assert [c.text for c in tables[0].cells if c.row == 1] == ["+270万（场）", "+130万（场）"]


def _group_labels(page: pymupdf.Page) -> None:
    """Two group labels, each wide enough to bridge the gap between the two columns it heads."""
    cols = [(60, 150), (150, 240), (300, 390), (390, 480)]
    for (a, b), label in (
        ((60, 240), "本年度线上公益课程覆盖的学校情况"),
        ((300, 480), "志愿服务"),
    ):
        centred(page, a, b, 100, label, 7)
    rows = [
        ("覆盖学校", "同比变化", "志愿者人数", "同比变化"),
        ("1,250所", "+18%", "3.2万人", "-4%"),
    ]
    for y, row in zip((118, 136), rows, strict=True):
        for (a, b), s in zip(cols, row, strict=True):
            centred(page, a, b, y, s, 7)


def test_group_labels_over_columns_span_them_in_a_two_level_header(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "groups.pdf", [_group_labels])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(3, 4)]
    first = [(c.col, c.col_span, c.text) for c in tables[0].cells if c.row == 0]
    assert first == [(0, 2, "本年度线上公益课程覆盖的学校情况"), (2, 2, "志愿服务")]
    assert [c.row for c in tables[0].cells if c.is_header] == [0, 0, 1, 1, 1, 1]


def _labels_above(page: pymupdf.Page) -> None:
    """A row label set alone between two header baselines, a group label alone above the years,
    and a flush-left section heading above both."""
    cols = [(60, 220), (220, 320), (320, 420), (420, 520)]
    text(page, 60, 70, "能源使用情况", 12)
    centred(page, 220, 520, 96, "年度数据", 7)
    centred(page, 60, 220, 105, "项目名称", 7)
    rows = [("", "2019 年", "2020 年", "2021 年"), ("耗电量", "120", "135", "150")]
    rows.append(("耗水量", "30", "28", "25"))
    for y, row in zip((114, 132, 150), rows, strict=True):
        for (a, b), s in zip(cols, row, strict=True):
            if s:
                centred(page, a, b, y, s, 7)


def test_labels_alone_above_the_first_row_are_the_header_top(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "above.pdf", [_labels_above])))
    assert len(tables) == 1
    texts = [c.text for c in tables[0].cells]
    assert "年度数据" in texts and "项目名称" in texts
    assert "能源使用情况" not in texts
    assert tables[0].n_cols == 4


def _off_centre_group(page: pymupdf.Page) -> None:
    """A label and its figure set between two columns, nearly touching the left column's text,
    beside a centred label over the next two columns; the rows below fill all four columns."""
    text(page, 158, 100, "参与志愿人数", 7)
    centred(page, 158, 200, 118, "2,480人", 7)
    centred(page, 330, 500, 100, "服务时长", 7)
    centred(page, 330, 500, 118, "5.6万小时", 7)
    cols = [(90, 180), (220, 300), (330, 420), (420, 500)]
    for (a, b), s in zip(
        cols, ("线上活动场次", "同比增长", "线下活动场次", "同比增长"), strict=True
    ):
        centred(page, a, b, 137, s, 7)
    for (a, b), s in zip(cols, ("320场", "12%", "85场", "6%"), strict=True):
        centred(page, a, b, 155, s, 7)


def test_label_between_two_columns_spans_them(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "off.pdf", [_off_centre_group])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(4, 4)]
    top = [(c.row, c.col, c.col_span) for c in tables[0].cells if c.row < 2 and c.text]
    assert top == [(0, 0, 2), (0, 2, 2), (1, 0, 2), (1, 2, 2)]


def _shared_response(page: pymupdf.Page) -> None:
    """Goal labels beside bullet lists; two labels spread beside one two-item list they share
    (the first set above its first item, the second below its last)."""
    y = 100.0
    for goal, items in (
        ("目标 1：减少排放", ["• 建设绿色数据中心。", "• 推广节能办公。"]),
        ("目标 2：循环利用", ["• 回收办公设备。", "• 开展旧物循环活动。", "• 减少包装。"]),
    ):
        text(page, 66, y, goal, 7)
        for k, item in enumerate(items):
            text(page, 186, y + 9.8 * k, item, 7)
        y += 9.8 * len(items) + 9.0
    text(page, 66, y, "目标 3：保护海洋", 7)
    text(page, 186, y + 5.5, "• 支持海洋与湿地保护项目。", 7)
    text(page, 186, y + 15.3, "• 参与野生动植物保护倡议。", 7)
    text(page, 66, y + 20.8, "目标 4：保护森林", 7)
    y += 41.6
    text(page, 66, y, "目标 5：伙伴关系", 7)
    text(page, 186, y, "• 与高校合作开展科研。", 7)
    text(page, 186, y + 9.8, "• 发布年度报告。", 7)


def test_two_labels_sharing_one_list_split_the_row(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "shared.pdf", [_shared_response])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(5, 2)]
    labels = [c.text for c in tables[0].cells if c.col == 0]
    assert labels == [
        f"目标 {k}：{s}"
        for k, s in enumerate(["减少排放", "循环利用", "保护海洋", "保护森林", "伙伴关系"], start=1)
    ]
    shared = [c for c in tables[0].cells if c.col == 1 and c.row == 2]
    assert [c.row_span for c in shared] == [2]


TOC_ROWS = [
    ["04 关于北京字节跳动", "05 公司简介 05 公司文化", "", "52 夯实创新基础 52 明确创新方向"],
    ["06 责任管理", "07 责任战略 09 利益相关方参与", "", "56 推广科技应用 56 推动技术开源"],
    ["16 筑牢根基 守卫责任底线", "18 公司治理 20 内容治理", "18 合规管理与制度", "64 推动"],
    ["32 携手伙伴 建设美好家园", "34 增进员工福祉", "34 与员工共同成长 36 共享", "72 弘扬"],
]
TOC_XS = (60, 170, 280, 390)


def _toc_rows(page: pymupdf.Page, y: float, rows: list[list[str]]) -> None:
    for row in rows:
        wrapped = [_wrap(s, 7) for s in row]
        for x, lines in zip(TOC_XS, wrapped, strict=True):
            for i, line in enumerate(lines):
                text(page, x, y + 10 * i, line, 8)
        y += 10 * max(len(w) for w in wrapped) + 14


def _toc_first(page: pymupdf.Page) -> None:
    _running_header(page)
    text(page, 50, 80, "目录", 20)
    _toc_rows(page, 620, TOC_ROWS[:2])  # two rows at the page foot, the third column empty


def _toc_second(page: pymupdf.Page) -> None:
    _running_header(page)
    text(page, 45, 60, "Contents（续）", 7)
    _toc_rows(page, 80, TOC_ROWS[2:])


def test_contents_split_into_two_row_parts_with_a_column_left_empty(tmp_path: Path) -> None:
    """A contents table of long wrapped cells cut into parts of two rows: each part is a table
    (its rows start on one baseline in three columns or more), the continuation label is no
    header, and the first part, whose third column is empty, takes the columns of the second."""
    from csrextract.tables import stitch_tables

    pdf = make_pdf(tmp_path / "toc2.pdf", [_toc_first, _toc_second])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    found = [t for p in pages for t in detect_tables(p)]
    assert [(t.pages, t.n_rows) for t in found] == [([1], 2), ([2], 2)]
    assert not any(c.is_header for t in found for c in t.cells)
    [table] = stitch_tables(found, pages)
    assert (table.n_rows, table.n_cols, table.pages) == (4, 4, [1, 2])
    grid = [[c.text.replace(" ", "") for c in row] for row in table.rows()]
    assert grid == [[s.replace(" ", "") for s in row] for row in TOC_ROWS]


def _two_column_page(page: pymupdf.Page) -> None:
    """A label table in the left page column, running text in the right one (its lines share
    baselines with the table's), a centred page number under both."""
    _running_header(page)
    y = 120.0
    for label, description in [
        ("益童成长平台", "北京字节跳动与北京师范大学公益研究院合作开发的开放性内容平台。"),
        ("益校计划及益童美好空间", "支持当地灾后教育系统重建和恢复工作，已支持超过两百所学校。"),
        ("益童乐园", "通过组建儿童友好空间、聘用当地专职儿童工作者开展儿童服务。"),
        ("西部儿科医师培训计划", "资助西部儿科医师到北京儿童医院等国家级儿科医学中心培训。"),
    ]:
        text(page, 50, y, label, 8)
        for i, line in enumerate(_wrap(description, 10)):
            text(page, 160, y + 11 * i, line, 8)
        y += 11 * len(_wrap(description, 10)) + 14
    for i, line in enumerate(_wrap(PARAGRAPH * 2, 28)):
        text(page, 330, 120 + 11 * i, line, 8)


def test_a_page_column_of_prose_beside_a_table_is_no_column_of_it(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "cols.pdf", [_two_column_page])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(4, 2)]
    assert tables[0].bbox[2] < 300


def _padded_contents(page: pymupdf.Page) -> None:
    """Contents rows padded far apart (more than two lines between rows)."""
    _running_header(page)
    text(page, 50, 80, "目录", 20)
    y = 120.0
    for row in TOC_ROWS:
        wrapped = [_wrap(s, 7) for s in row]
        for x, lines in zip(TOC_XS, wrapped, strict=True):
            for i, line in enumerate(lines):
                text(page, x, y + 10 * i, line, 7)
        y += 10 * max(len(w) for w in wrapped) + 24


def test_contents_rows_padded_far_apart_are_one_table(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "toc3.pdf", [_padded_contents])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(4, 4)]


def _centre_and_lines(page: pymupdf.Page) -> None:
    """Two labels, the second beside four items; no graphics, rows set a row's gap apart."""
    _running_header(page)
    text(page, 50, 100, "推动科技创新是科技公司的使命，对此，字节跳动制定了硬科技突破计划。")
    text(page, 60, 130, "中心", 8)
    text(page, 300, 130, "围绕核心人工智能技术", 8)
    text(page, 60, 156, "主线", 8)
    items = ["依托积累的优势向芯片等技术链。", "继续探寻，应用在智能硬件。"]
    items += ["开展交叉领域的基础研究。", "继续夯实现有技术优势。"]
    for i, item in enumerate(items):
        text(page, 300, 156 + 26 * i, item, 8)
    text(page, 50, 280, "近年来，字节跳动持续增加在技术领域的研发投入，目前工程师总数超过两万人。")


def test_a_label_beside_rows_of_one_column_makes_a_table(tmp_path: Path) -> None:
    """Only two baselines hold two runs; the rows under them start flush with the second
    column a row's gap apart, beside the label above: five rows, the label spanning four."""
    page = page_content(make_pdf(tmp_path / "centre.pdf", [_centre_and_lines]))
    [table] = detect_tables(page)
    assert (table.n_rows, table.n_cols) == (5, 2)
    label = next(c for c in table.cells if c.text == "主线")
    assert (label.row, label.row_span) == (1, 4)


def test_a_running_header_and_a_title_over_rows_are_no_part_of_the_block() -> None:
    from csrextract.models import TextLine
    from csrextract.tables.aligned import candidate_blocks

    def run(s: str, x: float, y: float) -> TextLine:
        return TextLine(s, (x, y, x + 8 * len(s), y + 8), font_size=8)

    lines = [run("北京字节跳动", 56, 41), run("2022", 112, 41), run("企业社会责任报告", 152, 41)]
    lines += [run("目录", 56, 54), run("Contents", 56, 70)]
    for k in range(3):
        lines += [run(f"0{k} 章节", 61, 90 + 14 * k), run("页码说明", 180, 90 + 14 * k)]
        lines.append(run("更多内容", 330, 90 + 14 * k))
    [block] = candidate_blocks(lines, 8.0)
    assert min(ln.bbox[1] for ln in block) == 90


def _goals_beside_a_text_column(page: pymupdf.Page) -> None:
    """An SDG table in the left column of a two-column page; the right column's paragraph has
    its own leading, its first line on the table title's baseline; the last goal's text is the
    one above (its own cell left blank)."""
    text(page, 40, 60, "可持续发展目标", 10)
    for i, line in enumerate(_wrap(PARAGRAPH, 24)[:4]):
        text(page, 310, 60 + 14.5 * i, line, 10)
    rows = [
        ("SDG 1: 无贫穷", ["培育乡村人才。", "提供工作机会。"]),
        ("SDG 2: 零饥饿", ["提供帮扶。"]),
        ("SDG 3: 良好健康", ["关注青少年健康。", "助力医学研究。"]),
        ("SDG 14: 水下生物", ["保护生物多样性。"]),
        ("SDG 15: 陆地生物", []),
    ]
    y = 84.0
    for label, items in rows:
        text(page, 40, y, label, 8.5)
        for item in items:
            text(page, 170, y, item, 8.5)
            y += 11
        y += 12 if items else 0


def test_table_in_one_column_of_a_two_column_page_and_a_trailing_label(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "column.pdf", [_goals_beside_a_text_column])
    (table,) = detect_tables(page_content(pdf))
    assert table.style is TableStyle.ALIGNED
    assert table.bbox[2] < 300  # the paragraph on the right is left out
    labels = [c.text for c in table.cells if c.col == 0]
    assert labels[-2:] == ["SDG 14: 水下生物", "SDG 15: 陆地生物"]
    shared = table.cell_at(table.n_rows - 1, 1)
    assert shared is not None and shared is table.cell_at(table.n_rows - 2, 1)
    assert shared.text == "保护生物多样性。"
