"""Borderless tables drawn with fills: header band, zebra rows, no lines at all."""

from __future__ import annotations

import itertools
from pathlib import Path

import pymupdf
import pytest
from tables_pdf import CJK_FONT, band, make_pdf, page_content, text
from test_tables_ruled import grid_of

from csrextract.models import TableStyle
from csrextract.tables import detect_tables

HEADER = (0.12, 0.35, 0.65)
STRIPE = (0.90, 0.93, 0.97)


def _filled(page: pymupdf.Page) -> None:
    text(page, 50, 80, "GRI Standards 指标索引", 12)
    band(page, (50, 100, 500, 122), HEADER)
    for top in (122, 174):
        band(page, (50, top, 500, top + 26), STRIPE)
    for x, s in ((55, "章节"), (175, "议题"), (335, "披露项")):
        text(page, x, 115, s)
    text(page, 55, 151, "筑牢根基")  # centred over rows 1-2
    text(page, 55, 203, "携手伙伴")  # centred over rows 3-4 (row 4 unfilled)
    for y, s in (
        (138, "公司治理"),
        (164, "内容治理"),
        (190, "增进员工福祉"),
        (216, "共建绿色家园"),
    ):
        text(page, 175, y, s)
    text(page, 335, 138, "GRI 102-17, GRI 205-1")
    text(page, 335, 159, "抖音直播与读屏软件初步")
    text(page, 335, 170, "完成适配")
    text(page, 335, 185, "• GRI 401-2")
    text(page, 335, 196, "• GRI 404-2")
    text(page, 335, 216, "GRI 302-4")
    text(page, 50, 260, "正文段落：北京字节跳动非常重视利益相关方的关注与诉求。")


def test_filled_zebra_table_with_rowspans(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "filled.pdf", [_filled])
    tables = detect_tables(page_content(pdf))
    assert len(tables) == 1
    table = tables[0]
    assert table.style is TableStyle.FILLED
    assert (table.n_rows, table.n_cols) == (5, 3)
    assert grid_of(table) == [
        (0, 0, 1, 1, "章节"),
        (0, 1, 1, 1, "议题"),
        (0, 2, 1, 1, "披露项"),
        (1, 0, 2, 1, "筑牢根基"),
        (1, 1, 1, 1, "公司治理"),
        (1, 2, 1, 1, "GRI 102-17, GRI 205-1"),
        (2, 1, 1, 1, "内容治理"),
        (2, 2, 1, 1, "抖音直播与读屏软件初步完成适配"),
        (3, 0, 2, 1, "携手伙伴"),
        (3, 1, 1, 1, "增进员工福祉"),
        (3, 2, 1, 1, "GRI 401-2\nGRI 404-2"),
        (4, 1, 1, 1, "共建绿色家园"),
        (4, 2, 1, 1, "GRI 302-4"),
    ]
    assert table.cell_at(3, 2).items == ["GRI 401-2", "GRI 404-2"]  # type: ignore[union-attr]
    assert [c.row for c in table.cells if c.is_header] == [0, 0, 0]


def test_cell_by_cell_fills_give_column_edges(tmp_path: Path) -> None:
    """HTML-rendered tables fill each cell separately; the borders between fills are columns
    even where the text of two cells nearly touches."""
    td = '<td style="padding:4px">'
    html = (
        '<table style="border-collapse: collapse; width:100%">'
        '<tr style="background-color:#1f5fa0"><th style="padding:4px">指标描述</th>'
        '<th colspan=3 style="padding:4px">定量数据</th></tr>'
        '<tr style="background-color:#f0f4f8">'
        f"{td}PUE</td>{td}1.16</td>{td}1.14</td>{td}1.16</td></tr>"
        '<tr style="background-color:#e0e8f0">'
        f"{td}WUE</td>{td}-</td>{td}&lt;0.5</td>{td}&lt;0.5</td></tr>"
        "</table>"
    )
    path = tmp_path / "story.pdf"
    story = pymupdf.Story(html=html, user_css="* {font-family: cjk;}")
    writer = pymupdf.DocumentWriter(str(path))
    device = writer.begin_page(pymupdf.paper_rect("a4"))
    story.place(pymupdf.Rect(50, 50, 545, 792))
    story.draw(device)
    writer.end_page()
    writer.close()
    tables = detect_tables(page_content(path))
    assert len(tables) == 1
    assert grid_of(tables[0]) == [
        (0, 0, 1, 1, "指标描述"),
        (0, 1, 1, 3, "定量数据"),
        (1, 0, 1, 1, "PUE"),
        (1, 1, 1, 1, "1.16"),
        (1, 2, 1, 1, "1.14"),
        (1, 3, 1, 1, "1.16"),
        (2, 0, 1, 1, "WUE"),
        (2, 1, 1, 1, "-"),
        (2, 2, 1, 1, "<0.5"),
        (2, 3, 1, 1, "<0.5"),
    ]


def test_bullet_lists_in_one_stripe_stay_one_row_under_wide_header_labels(tmp_path: Path) -> None:
    """Header labels wider than the body text overhang the body's column gaps; each column's
    bullet list (line spacing equal to any row spacing) stays one cell."""
    heads = ("乡村产业：农特产品营销路径优化", "乡村文旅：内容消费路径优化", "乡村人才：培训和扶持")
    lists = (
        ("梳理产业", "升级区域供应链", "整合区域特色产品"),
        ("打造线路", "打通产品路径", "培养文旅创作者"),
        ("开展乡村人才培训", "构建人才标准", "打造数字化学习平台"),
    )
    xs = (55, 215, 375)

    def draw(page: pymupdf.Page) -> None:
        band(page, (50, 100, 530, 120), HEADER)
        band(page, (50, 120, 530, 170), STRIPE)
        for x, head in zip(xs, heads, strict=True):
            text(page, x + 12, 114, head)  # centred-ish, wider than the items below
        for x, items in zip(xs, lists, strict=True):
            for i, item in enumerate(items):
                text(page, x, 134 + 12 * i, "○")
                text(page, x + 12, 134 + 12 * i, item)

    tables = detect_tables(page_content(make_pdf(tmp_path / "lists.pdf", [draw])))
    assert len(tables) == 1
    table = tables[0]
    assert (table.n_rows, table.n_cols) == (2, 3)
    assert [c.text for c in table.cells if c.row == 0] == list(heads)
    assert [c.items for c in table.cells if c.row == 1] == [list(items) for items in lists]
    assert [c.row for c in table.cells if c.is_header] == [0, 0, 0]


def test_labels_stacked_beside_a_shared_list_and_tall_white_rows(tmp_path: Path) -> None:
    """Two labels a blank line apart next to one bullet list: two rows sharing the list cell.
    The white row below is taller than two stripes and still belongs to the table, and a
    table whose first row is an ordinary stripe has no header."""

    def draw(page: pymupdf.Page) -> None:
        band(page, (50, 100, 500, 140), STRIPE)
        text(page, 55, 114, "SDG 14: 水下生物")
        text(page, 55, 134, "SDG 15: 陆地生物")
        text(page, 200, 114, "• 引导公众参与生物多样性保护。")
        text(page, 200, 124, "• 打击野生动植物非法贸易。")
        text(page, 200, 134, "• 开展湿地保护。")
        text(page, 55, 154, "SDG 16: 和平、正义")
        for i, item in enumerate(("优化治理体系。", "加强合规管理。", "建立采购体系。")):
            text(page, 200, 154 + 10 * i, "• " + item)
        for i, item in enumerate(("完善制度。", "强化监督。")):
            text(page, 200, 184 + 10 * i, "• " + item)
        band(page, (50, 205, 500, 230), STRIPE)
        text(page, 55, 220, "SDG 17: 伙伴关系")
        text(page, 200, 220, "• 建设健康的商业生态。")

    tables = detect_tables(page_content(make_pdf(tmp_path / "sdg.pdf", [draw])))
    assert len(tables) == 1
    table = tables[0]
    assert [c.text for c in table.cells if c.col == 0] == [
        "SDG 14: 水下生物",
        "SDG 15: 陆地生物",
        "SDG 16: 和平、正义",
        "SDG 17: 伙伴关系",
    ]
    shared = table.cell_at(1, 1)
    assert shared is not None and (shared.row, shared.row_span) == (0, 2)
    assert shared.items == [
        "引导公众参与生物多样性保护。",
        "打击野生动植物非法贸易。",
        "开展湿地保护。",
    ]
    assert len(table.cell_at(2, 1).items) == 5  # type: ignore[union-attr]
    assert not any(c.is_header for c in table.cells)


def test_two_row_header_band_and_an_unfilled_last_row(tmp_path: Path) -> None:
    """Two stacked header bands of one colour are a two-level header; an unfilled row right
    under the last stripe belongs to the table, a differently set note below it does not."""
    xs = (60, 230, 330, 430)

    def draw(page: pymupdf.Page) -> None:
        band(page, (50, 100, 500, 120), HEADER)
        band(page, (50, 120, 500, 140), HEADER)
        band(page, (50, 140, 500, 160), STRIPE)
        text(page, 60, 120, "指标描述")
        text(page, 355, 114, "定量数据")
        for x, s in zip(xs[1:], ("2019 年", "2020 年", "2021 年"), strict=True):
            text(page, x, 134, s)
        for y, values in (
            (154, ("PUE", "1.16", "1.14", "1.16")),
            (175, ("WUE", "-", "<0.5", "<0.5")),
        ):
            for x, s in zip(xs, values, strict=True):
                text(page, x, y, s)
        text(page, 50, 205, "注：数据来源于公司数据中心年度统计报告，统计口径与上年一致。", 10)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "two_band.pdf", [draw])))
    assert (table.n_rows, table.n_cols) == (4, 4)
    assert sorted({c.row for c in table.cells if c.is_header}) == [0, 1]
    assert [c.text for c in table.rows()[3]] == ["WUE", "-", "<0.5", "<0.5"]
    assert not any("注" in c.text for c in table.cells)


def test_chapter_label_centred_over_rows_of_a_zebra_stripe(tmp_path: Path) -> None:
    """A chapter label vertically centred over its sections (between two of their lines) spans
    them; the sections stay separate rows."""

    def draw(page: pymupdf.Page) -> None:
        band(page, (50, 100, 500, 120), HEADER)
        for x, s in ((60, "内容"), (300, "对应的 GRI 标准披露项"), (450, "报告位置")):
            text(page, x, 114, s)
        band(page, (50, 120, 500, 205), STRIPE)
        for i, (section, codes, ref) in enumerate(
            (
                ("公司治理", "GRI 102-17, GRI 205-1", "P18"),
                ("内容治理", "GRI 416-1", "P20"),
                ("用户服务", "GRI 416-1", "P24"),
                ("信息安全与隐私保护", "GRI 418-1", "P28"),
            )
        ):
            y = 135 + 20 * i
            text(page, 160, y, section)
            text(page, 300, y, codes)
            text(page, 450, y, ref)
        text(page, 60, 166, "筑牢根基")
        band(page, (50, 205, 500, 225), (1, 1, 1))
        text(page, 60, 219, "关于本报告")
        text(page, 300, 219, "GRI 102-45")
        text(page, 450, 219, "P109")
        band(page, (50, 225, 500, 245), STRIPE)
        text(page, 60, 239, "指标索引")
        text(page, 300, 239, "GRI 102-55")
        text(page, 450, 239, "P110")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "gri.pdf", [draw])))
    chapter = table.cell_at(1, 0)
    assert chapter is not None and chapter.text == "筑牢根基"
    assert (chapter.row, chapter.row_span) == (1, 4)
    assert [table.cell_at(r, 1).text for r in range(1, 5)] == [  # type: ignore[union-attr]
        "公司治理",
        "内容治理",
        "用户服务",
        "信息安全与隐私保护",
    ]


def test_wrapped_cell_with_mixed_fonts_stays_one_row(tmp_path: Path) -> None:
    """A first line with Latin runs (a taller box than CJK text of the same size) over wrapped
    CJK lines: uneven box gaps inside the cell must not start a new row."""

    def draw(page: pymupdf.Page) -> None:
        band(page, (50, 100, 500, 120), HEADER)
        text(page, 60, 114, "时间")
        text(page, 160, 114, "举措")
        band(page, (50, 120, 500, 140), STRIPE)
        text(page, 60, 134, "2021年")
        text(page, 160, 134, "抖音直播初步适配了读屏软件。")
        text(page, 60, 158, "2022年")
        page.insert_text((160, 158), "App", fontname="tiro", fontsize=9)
        text(page, 178, 158, "上线无障碍影院频道，")
        text(page, 160, 170, "为视障群体提供随时随地、")
        text(page, 160, 182, "触手可及的电影院。")
        band(page, (50, 190, 500, 210), STRIPE)
        text(page, 60, 204, "2023年")
        text(page, 160, 204, "通过适老化评测。")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "fonts.pdf", [draw])))
    assert [c.text for c in table.cells if c.col == 0] == ["时间", "2021年", "2022年", "2023年"]
    assert table.cell_at(2, 1).text.endswith("触手可及的电影院。")  # type: ignore[union-attr]


def _stripes_then_heading(page: pymupdf.Page) -> None:
    """No header; stripes on rows 1 and 3 of four tall wrapped rows; a heading right after."""
    for top in (100, 230):
        band(page, (50, top, 500, top + 46), STRIPE)
    for i, top in enumerate((100, 150, 230, 280)):
        text(page, 55, top + 14, f"项目{i + 1}")
        for k in range(3):
            line = f"第{i + 1}个项目的说明文字，第{k + 1}行，内容较长。"
            text(page, 170, top + 14 + 12 * k, line)
    text(page, 55, 360, "关爱银发群体", 15)
    text(page, 55, 390, "北京字节跳动针对老年用户面临的数字鸿沟开展适老化改造。", 10.5)


def test_heading_after_an_unfilled_last_row_is_not_a_row(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "heading.pdf", [_stripes_then_heading])
    tables = detect_tables(page_content(pdf))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(4, 2)]
    assert not any("关爱" in c.text for c in tables[0].cells)


def test_unfilled_last_row_whose_first_item_came_out_large(tmp_path: Path) -> None:
    """A list item set (or measured, after OCR) larger than the table's text is still a row
    of the table: a bullet never starts a heading."""

    def draw(page: pymupdf.Page) -> None:
        band(page, (50, 100, 500, 120), HEADER)
        band(page, (50, 120, 500, 160), STRIPE)
        for x, s in ((60, "利益相关方"), (200, "期待与诉求"), (350, "沟通渠道")):
            text(page, x, 114, s)
        text(page, 60, 136, "用户")
        text(page, 200, 136, "• 用户体验提升")
        text(page, 200, 150, "• 信息安全与隐私保护")
        text(page, 350, 136, "• 用户访谈与调研")
        text(page, 60, 176, "社区与环境")
        text(page, 200, 176, "• 开展公益项目", 11.5)
        text(page, 200, 190, "• 社区投资")
        text(page, 350, 176, "• 字节跳动公益平台")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "large_item.pdf", [draw])))
    assert (table.n_rows, table.n_cols) == (3, 3)
    last = table.cell_at(2, 1)
    assert last is not None and last.items == ["开展公益项目", "社区投资"]


# --- zebra tables with a white-on-dark header, and grids of zebra cells (issue 11, class 1) ---

DARK = (0.55, 0.1, 0.15)
PALE = (0.93, 0.95, 0.9)
HEAD = ("利益相关方", "关注议题", "沟通渠道")
BODY = [
    ("政府", "合规经营", "政策沟通"),
    ("客户", "产品质量", "客服热线"),
    ("员工", "职业发展", "员工大会"),
    ("社区", "公益慈善", "志愿活动"),
    ("股东", "投资回报", "股东大会"),
]
COLS = (56.0, 190.0, 380.0)


def _zebra(
    page: pymupdf.Page, n_body: int, striped_first: bool, header: bool = True, folio: float = 14
) -> None:
    """A borderless table: optional header band (light text on a dark fill), zebra body rows
    (every other row filled), and a page number a little under the table."""
    top, h = 150.0, 21.0
    text(page, 50, 130, "表 3 利益相关方沟通", 10)
    y = top
    if header:
        band(page, (50, y, 540, y + h), DARK)
        for x, s in zip(COLS, HEAD, strict=True):
            page.insert_text((x, y + 14), s, fontname="cjk", fontsize=9, color=(1, 1, 0.9))
        y += h
    for i, row in enumerate(BODY[:n_body]):
        if (i % 2 == 0) == striped_first:
            band(page, (50, y, 540, y + h), PALE)
        for x, s in zip(COLS, row, strict=True):
            text(page, x, y + 14, s)
        y += h
    text(page, 292, y + folio, "27", 8)


@pytest.mark.parametrize("n_body", [4, 5])
@pytest.mark.parametrize("striped_first", [True, False])
def test_zebra_rows_under_a_dark_header_and_no_page_number_row(
    tmp_path: Path, n_body: int, striped_first: bool
) -> None:
    pdf = make_pdf(tmp_path / "zebra.pdf", [lambda p: _zebra(p, n_body, striped_first)])
    (table,) = detect_tables(page_content(pdf))
    assert table.style is TableStyle.FILLED
    assert [[c.text for c in row] for row in table.rows()] == [
        list(HEAD),
        *map(list, BODY[:n_body]),
    ]
    assert [c.row for c in table.cells if c.is_header] == [0, 0, 0]


@pytest.mark.parametrize("striped_first", [True, False])
def test_zebra_without_header_keeps_an_unfilled_first_row(
    tmp_path: Path, striped_first: bool
) -> None:
    draw = lambda p: _zebra(p, 5, striped_first, header=False)  # noqa: E731
    (table,) = detect_tables(page_content(make_pdf(tmp_path / "z.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()] == [list(r) for r in BODY]
    assert not any(c.is_header for c in table.cells)


CERTS = [
    "ISO 9001 质量管理体系",
    "ISO 14001 环境管理体系",
    "ISO 27001 信息安全",
    "ISO 45001 职业健康安全",
    "ISO 20000 IT服务管理",
    "ISO 22301 业务连续性",
]


def _cards(page: pymupdf.Page, filled: str, gap: float) -> None:
    """A 2×3 grid of cells, each drawn as its own fill (or left white) in a zebra pattern."""
    text(page, 50, 120, "资质认证", 12)
    w, h = 160.0, 30.0
    for i, s in enumerate(CERTS):
        r, c = divmod(i, 3)
        x, y = 50 + c * (w + gap), 140 + r * (h + gap)
        on = {"first_row": r == 0, "second_row": r == 1, "checker": (r + c) % 2 == 0}[filled]
        if on:
            band(page, (x, y, x + w, y + h), PALE)
        text(page, x + 6, y + 19, s)
    text(page, 50, 260, "正文段落：公司持续完善管理体系，保持各项认证有效。")


@pytest.mark.parametrize("gap", [0.0, 4.0])
@pytest.mark.parametrize("filled", ["first_row", "second_row", "checker"])
def test_two_by_three_grid_of_zebra_cells_yields_every_item(
    tmp_path: Path, filled: str, gap: float
) -> None:
    pdf = make_pdf(tmp_path / "cards.pdf", [lambda p: _cards(p, filled, gap)])
    (table,) = detect_tables(page_content(pdf))
    assert [[c.text for c in row] for row in table.rows()] == [CERTS[:3], CERTS[3:]]


@pytest.mark.parametrize(
    ("name", "draw", "expected"),
    [
        ("cards", lambda p: _cards(p, "first_row", 0.0), [CERTS[:3], CERTS[3:]]),
        ("checker", lambda p: _cards(p, "checker", 4.0), [CERTS[:3], CERTS[3:]]),
        ("zebra", lambda p: _zebra(p, 5, False), [list(HEAD), *map(list, BODY)]),
    ],
)
def test_scanned_zebra_cells_and_rows(tmp_path: Path, name: str, draw, expected) -> None:  # type: ignore[no-untyped-def]
    """The scan gives fills from the image (a row of same-coloured cells comes back as one
    band: the borders between them are invisible); the table is the digital one."""
    from test_ocr import image_page, scan_pdf

    from csrextract.ocr import ocr_page_content
    from csrextract.teds import normalise_text

    scan = scan_pdf(make_pdf(tmp_path / f"{name}.pdf", [draw]), tmp_path / "scan.pdf", -0.5, 150)
    (table,) = detect_tables(ocr_page_content(scan, image_page(scan), cache_dir=tmp_path))
    assert table.style is TableStyle.FILLED
    assert [[normalise_text(c.text) for c in row] for row in table.rows()] == [
        [normalise_text(s) for s in row] for row in expected
    ]


def _header_band_table(page: pymupdf.Page, top: float, rows, header: bool = True) -> None:  # type: ignore[no-untyped-def]
    """A header band drawn cell by cell with centred labels over left-set body rows (no body
    fills, no rules), as HTML-to-PDF renderers draw a dark ``<th>`` row."""
    xs = (40.0, 230.0, 420.0, 610.0)
    y = top
    if header:
        for a, b, s in zip(xs, xs[1:], HEAD, strict=False):
            band(page, (a, y, b, y + 22), DARK)
            w = 9 * len(s)
            page.insert_text(
                ((a + b - w) / 2, y + 15), s, fontname="cjk", fontsize=9, color=(1, 1, 1)
            )
        y += 22
    for row in rows:
        for a, s in zip(xs, row, strict=False):
            text(page, a + 4, y + 14, s)
        y += 20


def test_centred_header_band_over_left_set_body_and_a_paragraph_after(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        _header_band_table(page, 100, BODY[:4])
        text(
            page,
            44,
            100 + 22 + 4 * 20 + 20,
            "公司及各产品建立多元通畅的日常沟通渠道与参与机制，并对此积极做出回应，持续改进。",
        )

    pdf = make_pdf(
        tmp_path / "band.pdf", [lambda p: (p.set_mediabox(pymupdf.Rect(0, 0, 660, 842)), draw(p))]
    )
    (table,) = detect_tables(page_content(pdf))
    assert table.style is TableStyle.FILLED
    assert [[c.text for c in row] for row in table.rows()] == [list(HEAD), *map(list, BODY[:4])]


def test_unfilled_first_row_of_centred_labels_over_zebra_rows(tmp_path: Path) -> None:
    """No header band: the first row is unfilled and its labels are set off the body's left
    edges (indented as centred labels are), the body rows zebra stripes — the labels still
    make the first row: one per column, clear of the column gaps."""

    def draw(page: pymupdf.Page) -> None:
        for x, s in zip(COLS, HEAD, strict=True):
            text(page, x + 8, 164, s)
        y = 171.0
        for i, row in enumerate(BODY[:4]):
            if i % 2 == 0:
                band(page, (50, y, 540, y + 21), PALE)
            for x, s in zip(COLS, row, strict=True):
                text(page, x, y + 14, s)
            y += 21

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "centred.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()] == [list(HEAD), *map(list, BODY[:4])]


def test_white_row_of_a_cell_lattice_keeps_its_wrapped_lines(tmp_path: Path) -> None:
    """Cells filled one by one on the first row, white on the second; a name wrapped over two
    lines in the white row is one cell, not a third row."""

    def draw(page: pymupdf.Page) -> None:
        w, h = 160.0, 30.0
        for c, s in enumerate(CERTS[:3]):
            band(page, (50 + c * w, 140, 50 + (c + 1) * w, 140 + h), PALE)
            text(page, 56 + c * w, 159, s)
        for c, s in enumerate(CERTS[3:]):
            head, tail = (s[:-2], s[-2:]) if c != 1 else (s, "")
            text(page, 56 + c * w, 182, head)
            if tail:
                text(page, 56 + c * w, 193, tail)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "wrapped.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()] == [CERTS[:3], CERTS[3:]]


def _fills_beside_a_rowspan(page: pymupdf.Page) -> None:
    """Zebra cells drawn one by one: a chapter cell filled over three rows beside section
    cells filled row by row, and rows whose label fills chapter and section as one cell."""
    grey, pale = (0.35, 0.35, 0.35), (0.92, 0.92, 0.92)
    band(page, (50, 100, 200, 115), grey)
    band(page, (200, 100, 330, 115), grey)
    text(page, 100, 111, "内容")
    text(page, 240, 111, "披露项")
    band(page, (50, 115, 200, 130), pale)
    band(page, (200, 115, 330, 130), pale)
    text(page, 90, 126, "关于我们")
    text(page, 210, 126, "GRI 102-1")
    band(page, (50, 130, 110, 175), pale)  # the chapter cell, three rows high
    text(page, 56, 156, "公司治理")
    rows = (("合规", "GRI 205-1"), ("隐私", "GRI 418-1"), ("服务", "GRI 416-1"))
    for k, (section, code) in enumerate(rows):
        top = 130 + 15 * k
        if k % 2 == 0:
            band(page, (110, top, 200, top + 15), pale)
            band(page, (200, top, 330, top + 15), pale)
        text(page, 140, top + 11, section)
        text(page, 210, top + 11, code)


def test_a_fill_over_several_rows_still_marks_its_column_edge(tmp_path: Path) -> None:
    """The border between the tall chapter fill and the section fills is a drawn column edge
    (compared with the shorter fill), so chapter and section stay two columns even though
    one row draws them as one cell."""
    pdf = make_pdf(tmp_path / "rowspan_fill.pdf", [_fills_beside_a_rowspan])
    (table,) = detect_tables(page_content(pdf))
    assert table.n_cols == 3
    assert [c.text for c in table.cells if c.col == 1 and c.row >= 2] == ["合规", "隐私", "服务"]
    first = table.cell_at(1, 0)
    assert first is not None and (first.text, first.col_span) == ("关于我们", 2)
    chapter = table.cell_at(3, 0)
    assert chapter is not None and chapter.text == "公司治理"


def _cell_by_cell_stripes_around_a_tall_white_row(page: pymupdf.Page) -> None:
    """Zebra rows shaded cell by cell (one fill per cell), a tall unshaded row between two
    stripes whose label column holds one short line: no header band, no rules."""
    rows = [
        ("SDG 9: 产业创新", ["推动科研成果的开源与应用。", "打造公益平台。"], True),
        ("SDG 10: 减少不平等", ["扶持女性创作者。", "尊重员工多样性与包容性。"], False),
        ("SDG 11: 可持续城市", ["关注重点群体，提供社区志愿服务。", "开展古村保护项目。"], True),
        (
            "SDG 12: 负责任消费",
            [
                "保障用户信息安全与隐私保护。",
                "持续开展平台内容治理。",
                "面向公众宣传负责的消费。",
                "通过云服务等乡村发展项目提供负责",
                "的生产和消费方式。",
                "推广各项绿色办公措施。",
            ],
            False,
        ),
        ("SDG 13: 气候行动", ["响应碳中和目标。", "打造绿色供应链。"], True),
        ("SDG 14: 水下生物", ["引导公众参与生物多样性保护活动。"], False),
    ]
    y = 100.0
    for label, items, shaded in rows:
        height = 12 * len(items) + 12
        if shaded:
            band(page, (50, y, 180, y + height), STRIPE)
            band(page, (180, y, 500, y + height), STRIPE)
        text(page, 56, y + 15, label)
        for k, item in enumerate(items):
            text(page, 186, y + 15 + 12 * k, f"• {item}")
        y += height


def test_a_tall_white_row_between_stripes_shaded_cell_by_cell_stays_in_the_table(
    tmp_path: Path,
) -> None:
    pdf = make_pdf(tmp_path / "cells.pdf", [_cell_by_cell_stripes_around_a_tall_white_row])
    tables = detect_tables(page_content(pdf))
    assert [(t.style, t.n_rows, t.n_cols) for t in tables] == [(TableStyle.FILLED, 6, 2)]
    labels = [c.text for c in tables[0].cells if c.col == 0]
    assert labels[3:] == ["SDG 12: 负责任消费", "SDG 13: 气候行动", "SDG 14: 水下生物"]
    assert "推广各项绿色办公措施。" in tables[0].cells[7].text


def _label_run_into_the_bullet(page: pymupdf.Page) -> None:
    """Full-width zebra stripes; in the white rows the label is set flush against the first
    bullet of the list beside it (the text layer makes one run of label and marker)."""
    rows = [
        ("SDG 9: 产业创新", ["推动科研成果的开源与应用。", "打造公益平台。"], True),
        (
            "SDG 10: 减少不平等",
            ["扶持女性创作者。", "尊重员工多样性与包容性。", "关注重点人群。"],
            False,
        ),
        ("SDG 11: 可持续城市", ["关注重点群体。", "开展古村保护项目。"], True),
        ("SDG 12: 负责任消费和生产", ["保障用户信息安全。", "持续开展内容治理。"], False),
        ("SDG 13: 气候行动", ["响应碳中和目标。", "打造绿色供应链。"], True),
    ]
    y = 100.0
    for label, items, shaded in rows:
        height = 10 * len(items) + 10
        if shaded:
            band(page, (50, y, 330, y + height), STRIPE)
        text(page, 56, y + 13, label, 7)
        for k, item in enumerate(items):
            if k == 0 and label.startswith("SDG 12"):  # the long label runs into the bullet
                text(page, 143, y + 13, "·", 7)
                text(page, 153, y + 13, item, 7)
            else:
                text(page, 143, y + 13 + 10 * k, f"·{item}", 7)
        y += height


def test_a_label_run_into_the_next_cells_bullet_keeps_its_row_and_columns(
    tmp_path: Path,
) -> None:
    pdf = make_pdf(tmp_path / "runin.pdf", [_label_run_into_the_bullet])
    tables = detect_tables(page_content(pdf))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(5, 2)]
    row = [c.text for c in tables[0].cells if c.row == 3]
    assert row[0] == "SDG 12: 负责任消费和生产"
    assert row[1].startswith("保障用户信息安全。")


def test_group_labels_over_an_unfilled_header_row_of_a_one_stripe_kpi_table(
    tmp_path: Path,
) -> None:
    """A KPI table: group labels, each centred over two sub-labels (and reaching over the gap
    between their columns), an unfilled row of sub-labels, one filled row of values. Both
    header levels belong to the table, each group label spanning its two columns."""
    groups = ("自然科普短视频播放情况", "科普类相关作品互动情况")
    subs = ("累计播放", "同比增长", "获点赞", "同比增长")
    values = ("近330亿次", "144%", "7亿人次", "97%")
    cells = [(50.0 + 120 * k, 170.0 + 120 * k) for k in range(4)]

    def centred(page: pymupdf.Page, x0: float, x1: float, y: float, s: str) -> None:
        text(page, (x0 + x1) / 2 - CJK_FONT.text_length(s, fontsize=9) / 2, y, s)

    def draw(page: pymupdf.Page) -> None:
        text(page, 50, 100, "引进科普内容", 14)
        for k, s in enumerate(groups):
            centred(page, cells[2 * k][0], cells[2 * k + 1][1], 140, s)
        for (x0, x1), s in zip(cells, subs, strict=True):
            centred(page, x0, x1, 166, s)
        band(page, (50, 176, 530, 200), PALE)
        for (x0, x1), s in zip(cells, values, strict=True):
            centred(page, x0, x1, 192, s)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "kpi.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()] == [
        list(groups),
        list(subs),
        list(values),
    ]
    assert {(c.row, c.col, c.col_span) for c in table.cells if c.row == 0} == {(0, 0, 2), (0, 2, 2)}
    assert [c.row for c in table.cells if c.is_header] == [0, 0, 1, 1, 1, 1]


def test_label_and_value_rows_under_a_single_stripe_keep_the_table_s_spacing(
    tmp_path: Path,
) -> None:
    """Label rows and value rows take turns, only the first value row striped: the rows under
    the stripe are set as far apart as those above it (more than a line), and still belong to
    the table; the page number further down does not."""
    rows = [
        ("国家级非遗项目", "抖音涵盖率", "视频数量"),
        ("1557个", "99.42%", "超1亿"),
        ("视频播放量", "同比增长", "点赞数"),
        ("3354亿次", "83%", "7亿"),
    ]
    xs = (60.0, 240.0, 420.0)

    def draw(page: pymupdf.Page) -> None:
        band(page, (50, 176, 540, 202), PALE)
        for k, row in enumerate(rows):
            for x, s in zip(xs, row, strict=True):
                text(page, x, 166 + 26 * k, s)
        text(page, 292, 290, "15", 8)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "turns.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()] == [list(r) for r in rows]


def _stripes_then_paragraph(page: pymupdf.Page) -> None:
    """Stripes on rows 1 and 3; the unfilled fourth row; a paragraph at the body's size right
    under it, running across both columns (text flowing on after the table)."""
    for top in (100, 160):
        band(page, (50, top, 500, top + 30), STRIPE)
    for i, top in enumerate((100, 130, 160, 190)):
        text(page, 55, top + 14, f"项目{i + 1}")
        text(page, 170, top + 14, f"第{i + 1}个项目的说明文字。")
    text(
        page, 50, 236, "起“中小学教师发展协同提质计划”公益项目，搭建面向中小学教师的成长互助平台。"
    )


def test_a_paragraph_across_the_columns_under_the_last_white_row_is_no_row(
    tmp_path: Path,
) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "para.pdf", [_stripes_then_paragraph])))
    assert [(t.n_rows, t.n_cols) for t in tables] == [(4, 2)]
    assert not any("中小学" in c.text for c in tables[0].cells)


def _centred_labels_over_zebra(page: pymupdf.Page, label_y: float) -> None:
    """Two columns, body cells set left, zebra rows from the first body row on, and a header
    row of one label centred over each column (no fill, ink text)."""
    text(page, 50, 60, "2021 企业社会责任报告", 8)
    text(page, 420, 60, "CSR Report 2021", 8)
    text(page, 110, label_y, "流程")
    text(page, 390, label_y, "内容")
    rows = [
        ("事前流程优化", "进行全场景服务流程梳理，提升问题解决率。"),
        ("事中干预", "建立体验损伤事件预警体系，进行有效干预。"),
        ("事后应急处置", "搭建体验应急团队，实时监测内外部体验事件。"),
        ("事后体验改善", "用户高频问题实时关注，推动问题高效解决。"),
    ]
    for i, (label, value) in enumerate(rows):
        top = 100 + 22 * i
        if i % 2 == 0:
            band(page, (50, top, 540, top + 22), STRIPE)
        text(page, 56, top + 15, label)
        text(page, 200, top + 15, value)


def test_labels_centred_over_left_set_zebra_rows_are_the_header(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "centred2.pdf", [lambda p: _centred_labels_over_zebra(p, 94)])
    (table,) = detect_tables(page_content(pdf))
    assert (table.n_rows, table.n_cols) == (5, 2)
    assert [(c.text, c.is_header) for c in table.cells if c.row == 0] == [
        ("流程", True),
        ("内容", True),
    ]


def test_running_header_above_a_continued_zebra_table_is_no_header_row(tmp_path: Path) -> None:
    """A page's running header (two runs, one over each column) above a continuation part
    whose first stripe is tall: within a row's height of it, but much farther off than a
    cell's padding — not the table's header row."""

    def draw(page: pymupdf.Page) -> None:
        text(page, 50, 42, "2021 企业社会责任报告", 8)
        text(page, 400, 42, "CSR Report 2021", 8)
        for i, label in enumerate(("SDG 9: 产业创新", "SDG 10: 减少不平等", "SDG 11: 可持续城市")):
            top = 78 + 50 * i
            if i % 2 == 0:
                band(page, (50, top, 540, top + 50), STRIPE)
            text(page, 56, top + 15, label)
            text(page, 200, top + 15, "• 推动科研成果的开源与应用。")
            text(page, 200, top + 29, "• 推动前沿科技在各行各业的应用。")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "running.pdf", [draw])))
    assert table.n_rows == 3
    assert not any(c.is_header for c in table.cells)


def test_centred_label_wrapped_over_two_lines_heads_its_column(tmp_path: Path) -> None:
    """One column's centred label wraps onto a second line, the other's sits on the first:
    the two lines are one header row."""

    def draw(page: pymupdf.Page) -> None:
        text(page, 90, 86, "联合国可持续发展目标")
        text(page, 110, 97, "(SDGs)")
        text(page, 390, 86, "相关响应")
        for i, (label, value) in enumerate(
            [
                ("SDG 1: 无贫穷", "培育乡村人才，拓展就业创业渠道。"),
                ("SDG 2: 零饥饿", "为受灾害影响和贫困的群体提供帮扶。"),
                ("SDG 3: 良好健康", "关注青少年的健康成长，开展公益项目。"),
            ]
        ):
            top = 104 + 22 * i
            if i % 2 == 0:
                band(page, (50, top, 540, top + 22), STRIPE)
            text(page, 56, top + 15, label)
            text(page, 250, top + 15, value)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "wrapped_label.pdf", [draw])))
    assert (table.n_rows, table.n_cols) == (4, 2)
    assert [(c.text, c.is_header) for c in table.cells if c.row == 0] == [
        ("联合国可持续发展目标(SDGs)", True),
        ("相关响应", True),
    ]


@pytest.mark.parametrize("label_y", [108, 96])
def test_group_label_beside_a_label_spanning_both_header_levels(
    tmp_path: Path, label_y: float
) -> None:
    """No header fill: ``定量数据`` centred over the unfilled row of years, ``指标描述`` set
    lower over the label column (centred on both levels) or level with ``定量数据`` (set at
    its cell's top), zebra body rows: both levels are the header."""

    def draw(page: pymupdf.Page) -> None:
        text(page, 335, 96, "定量数据")
        text(page, 90, label_y, "指标描述")
        for x, year in ((240, "2019年"), (340, "2020年"), (440, "2021年")):
            text(page, x, 120, year)
        for i, row in enumerate(
            (("PUE", "1.16", "1.14", "1.16"), ("年度 WUE", "-", "<0.5", "<0.5"))
        ):
            top = 126 + 22 * i
            if i % 2 == 0:
                band(page, (50, top, 540, top + 22), STRIPE)
            for x, s in zip((90, 248, 348, 448), row, strict=True):
                text(page, x, top + 15, s)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "two_level.pdf", [draw])))
    assert (table.n_rows, table.n_cols) == (4, 4)
    assert sorted({c.row for c in table.cells if c.is_header}) == [0, 1]
    assert [c.text for c in table.cells if c.row == 0] == ["指标描述", "定量数据"]


def test_a_stripe_whose_first_cell_spans_rows_is_one_stripe_along_its_top() -> None:
    """A stripe drawn cell by cell whose first cell spans rows (taller than the rest) is met
    along its top edge as one stripe across the table: a white row above it is judged there."""
    from csrextract.models import Fill
    from csrextract.tables.filled import row_band

    tall = Fill((0.0, 100.0, 100.0, 200.0), 0.9)
    cells = [Fill((100.0, 100.0, 200.0, 130.0), 0.9), Fill((200.0, 100.0, 300.0, 130.0), 0.9)]
    fills = [tall, *cells]
    assert row_band(tall, fills, 10.0) == (0.0, 100.0, 100.0, 200.0)  # same top and bottom
    assert row_band(tall, fills, 10.0, "top") == (0.0, 100.0, 300.0, 200.0)
    assert row_band(cells[0], fills, 10.0, "bottom") == (100.0, 100.0, 300.0, 130.0)


def test_a_header_cell_over_two_columns_leaves_the_body_its_columns(tmp_path: Path) -> None:
    """A header band drawn cell by cell with ``内容`` over chapter and section: the body's
    whitespace still splits the two."""
    from tables_pdf import make_pdf, page_content

    def draw(page: pymupdf.Page) -> None:
        for x0, x1 in ((36, 300), (300, 420), (420, 520)):
            page.draw_rect(pymupdf.Rect(x0, 54, x1, 80), color=None, fill=(0.2, 0.2, 0.2))
        for s, x in (("Content", 150), ("Code", 340), ("Page", 450)):
            page.insert_text((x, 71), s, fontsize=9, color=(1, 1, 1))
        rows = [("Governance", "Ethics", "102-16", "P18"), ("", "Privacy", "418-1", "P20")]
        rows += [("", "Service", "416-1", "P24"), ("People", "Training", "404-2", "P34")]
        rows += [("", "Safety", "403-1", "P36"), ("", "Welfare", "401-2", "P38")]
        for k, (a, b, c, d) in enumerate(rows):
            y = 100 + 22 * k
            for s, x in ((a, 44), (b, 200), (c, 330), (d, 450)):
                if s:
                    page.insert_text((x, y), s, fontsize=9)

    pdf = make_pdf(tmp_path / "head.pdf", [draw])
    (table,) = detect_tables(page_content(pdf, 1))
    assert table.n_cols == 4


def test_a_zebra_striped_by_groups_keeps_its_last_white_group_of_rows(tmp_path: Path) -> None:
    """Stripes shade groups of rows; the last group is left white and holds four rows, each
    as far under the one above as the table's rows are: all four are rows of the table."""

    def draw(page: pymupdf.Page) -> None:
        band(page, (48, 54, 547, 70), (0.9, 0.85, 0.8))  # header band
        band(page, (48, 70, 547, 85), (0.98, 0.95, 0.9))  # one striped row
        for k in range(4):  # a striped group of four rows
            band(page, (48, 108.4 + 13.4 * k, 547, 121.8 + 13.4 * k), (0.98, 0.95, 0.9))
        rows = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]
        for k, name in enumerate(rows):
            y = 81.0 + 13.4 * k + (10 if k >= 2 else 0)
            text(page, 180, y, f"{name}项目")
            text(page, 320, y, f"GRI 20{k}-1")
            text(page, 510, y, f"P{k + 10}")
        for x, s in ((180, "内容"), (320, "披露项"), (510, "页码")):
            text(page, x, 64, s)
        text(page, 280, 800, "第 19 页")

    pdf = make_pdf(tmp_path / "groups.pdf", [draw])
    (table,) = detect_tables(page_content(pdf, 1))
    assert table.n_rows == 11


def test_a_paragraph_right_under_a_tall_unfilled_last_row_is_not_in_the_table(
    tmp_path: Path,
) -> None:
    """Zebra rows several lines tall; the unfilled last row is followed, at about a row's
    padding, by a paragraph running across the columns and a page number: neither is a row."""

    def draw(page: pymupdf.Page) -> None:
        top, h = 150.0, 50.0
        band(page, (50, top, 540, top + 21), DARK)
        for x, s in zip(COLS, HEAD, strict=True):
            page.insert_text((x, top + 14), s, fontname="cjk", fontsize=9, color=(1, 1, 0.9))
        y = top + 21
        for i, row in enumerate(BODY[:4]):
            if i % 2 == 0:
                band(page, (50, y, 540, y + h), PALE)
            for k in range(3):
                for x, s in zip(COLS, row, strict=True):
                    text(page, x, y + 14 + 12 * k, f"{s}{k + 1}")
            y += h
        text(
            page,
            50,
            y + 12,
            "公司及各产品也建立多元通畅的日常沟通渠道与参与机制，了解到各方的期待和诉求。",
        )
        text(page, 530, y + 60, "3", 8)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "tall.pdf", [draw])))
    assert table.n_rows == 5
    assert table.cell_at(4, 0) is not None and table.cell_at(4, 0).text == "社区1社区2社区3"


def test_an_unfilled_header_row_of_wrapped_labels_over_one_stripe_keeps_every_line(
    tmp_path: Path,
) -> None:
    """Two labels wrapped on three lines each, centred, unfilled, over one stripe of figures:
    the header row is as tall as its lines (taller than the stripe), not its last line only."""
    labels = (
        ("与去年同期相比，文", "化教育类 万粉创作者", "直播场次增加"),
        ("与去年同期相比，生", "活知识类 万粉创作者", "直播场次增加"),
    )
    cells = ((56.0, 172.3), (172.3, 288.6))

    def centred(page: pymupdf.Page, x0: float, x1: float, y: float, s: str) -> None:
        text(page, (x0 + x1) / 2 - CJK_FONT.text_length(s, fontsize=10.5) / 2, y, s, 10.5)

    def draw(page: pymupdf.Page) -> None:
        text(page, 56, 120, "需求。在抖音平台，知识类直播也逐渐增多。", 10.5)
        for (x0, x1), lines in zip(cells, labels, strict=True):
            for k, s in enumerate(lines):
                centred(page, x0, x1, 165 + 14.7 * k, s)
        for x0, x1 in cells:
            band(page, (x0, 207, x1, 236), PALE)
        for (x0, x1), s in zip(cells, ("+273万（场）", "+133万（场）"), strict=True):
            centred(page, x0, x1, 226, s)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "wrapped.pdf", [draw])))
    assert [c.text for c in table.cells] == [
        "与去年同期相比，文化教育类 万粉创作者直播场次增加",
        "与去年同期相比，生活知识类 万粉创作者直播场次增加",
        "+273万（场）",
        "+133万（场）",
    ]


def test_a_two_row_header_band_with_a_tall_label_fill_over_unfilled_rows_of_figures(
    tmp_path: Path,
) -> None:
    """A dark header band drawn cell by cell, its first label's fill spanning both header rows;
    two unfilled rows of figures under it, then a caption: the header is the band, the rows
    are both rows (one each), the caption is out."""
    xs = (36.0, 160.0, 290.0, 420.0, 550.0)

    def draw(page: pymupdf.Page) -> None:
        text(page, 36, 32, "北京字节跳动 2021 企业社会责任报告", 8)
        band(page, (xs[0], 54, xs[1], 108), DARK)
        band(page, (xs[1], 54, xs[4], 81), DARK)
        for a, b in itertools.pairwise(xs[1:]):
            band(page, (a, 81, b, 108), DARK)
        head = ((80, 85, "指标描述"), (337, 71, "定量数据"), (208, 98, "2019 年"))
        head += ((338, 98, "2020 年"), (468, 98, "2021 年"))
        for x, y, s in head:
            page.insert_text((x, y), s, fontname="cjk", fontsize=9, color=(1, 1, 1))
        rows = (("PUE", "1.16", "1.14", "1.16"), ("年度 WUE", "-", "<0.5", "<0.5"))
        for y, row in zip((122, 149), rows, strict=True):
            for x, s in zip((80, 215, 345, 475), row, strict=True):
                text(page, x, y, s)
        text(page, 36, 174, "数据中心")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "band.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()][2:] == [
        ["PUE", "1.16", "1.14", "1.16"],
        ["年度 WUE", "-", "<0.5", "<0.5"],
    ]
    assert table.n_rows == 4
    assert {c.row for c in table.cells if c.is_header} == {0, 1}


def test_labels_over_figures_under_the_last_stripe_are_two_rows(tmp_path: Path) -> None:
    """A KPI panel: labels, a striped row of figures, then labels over figures set at line
    spacing under the stripe (one of them qualified, 超2亿): two rows, not one."""
    rows = [
        ("国家级非遗项目", "抖音涵盖率", "视频数量"),
        ("1557个", "99.42%", "超1亿"),
        ("视频播放量", "同比增长", "点赞数"),
        ("3354亿次", "83%", "超2亿"),
    ]
    xs = (60.0, 240.0, 420.0)

    def draw(page: pymupdf.Page) -> None:
        band(page, (50, 176, 540, 202), PALE)
        for y, row in zip((166, 192, 218, 232), rows, strict=True):
            for x, s in zip(xs, row, strict=True):
                text(page, x, y, s)
        text(page, 292, 290, "15", 8)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "kpi.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()] == [list(r) for r in rows]


def test_the_unfilled_last_row_ends_with_its_lines_not_at_the_page_number() -> None:
    """Stripes far apart (tall rows between them) let the last row reach far down; the page
    number well under the row's last line is not part of it."""
    from csrextract.models import Fill, TextLine
    from csrextract.tables.filled import _extend_below

    cols = (51.0, 145.0, 291.5, 525.6)
    fills = [Fill((48.0, 98.8, 793.9, 117.5), 0.92)]
    fills += [Fill((48.0, a, 793.9, b), 0.95) for a, b in ((117.5, 202.7), (354.4, 452.9))]

    def row(top: float, n: int) -> list[TextLine]:
        return [
            TextLine(f"项目{k}", (x, top + 13.3 * k, x + 60, top + 13.3 * k + 12.4), font_size=9.5)
            for x in cols
            for k in range(n)
        ]

    lines = row(101, 1) + row(121, 5) + row(206, 6) + row(358, 6) + row(455, 5)
    lines.append(TextLine("3", (784.9, 565.3, 793.9, 576.1), font_size=9.0))
    bottom = _extend_below(fills, lines, 9.5)
    assert 520 < bottom < 530


def test_an_unfilled_last_row_taller_than_the_rows_above_keeps_all_its_lines() -> None:
    """The white rows between the stripes are short; the last row runs on past their height,
    line after line at line spacing: all of it is the row."""
    from csrextract.models import Fill, TextLine
    from csrextract.tables.filled import _extend_below

    fills = [Fill((48.0, 98.8, 290.0, 117.5), 0.92)]
    fills += [Fill((48.0, a, 290.0, b), 0.95) for a, b in ((117.5, 150.0), (180.0, 210.0))]

    def line(x: float, top: float, s: str) -> TextLine:
        return TextLine(s, (x, top, x + 80, top + 9), font_size=9.0)

    lines = [line(52, 101, "目标"), line(140, 101, "响应")]
    lines += [line(52, y, "SDG 7") for y in (121, 155, 184)]
    lines += [line(140, y, "·措施") for y in (121, 155, 184)]
    lines += [line(52, 213, "SDG 8")] + [line(140, 213 + 11 * k, f"·措施{k}") for k in range(7)]
    # its last line's bottom, plus the padding the row keeps under the last stripe (213 - 210)
    assert _extend_below(fills, lines, 9.0) == 213 + 11 * 6 + 9 + (213 - 210)


def test_codes_and_page_references_are_not_figures_rows() -> None:
    """A GRI index row (``共建绿色家`` | ``GRI 302-4, GRI 302-5`` | ``P38``) is mostly digits but
    holds no figures: the white rows under a stripe are not cut at its wrapped lines."""
    from csrextract.models import TextLine
    from csrextract.tables.filled import _figures_row

    def band(*texts: str) -> list[TextLine]:
        return [TextLine(t, (50.0 + 120 * i, 0, 160.0 + 120 * i, 9)) for i, t in enumerate(texts)]

    assert not _figures_row(band("共建绿色家", "GRI 302-4, GRI 302-5, GRI", "P38"))
    assert _figures_row(band("PUE", "1.16", "1.14", "-"))
    assert _figures_row(band("高校开播场次", "14463场", "<0.5"))


def _label_over_white_rows(page: pymupdf.Page) -> None:
    """A two-column table striped only on its first row; the second label is set at the top of
    its cell beside four items in white rows (the stripe draws no span)."""
    band(page, (48, 115, 88, 135), STRIPE)
    band(page, (88, 115, 547, 135), STRIPE)
    text(page, 51, 128, "中心")
    text(page, 91, 128, "围绕核心人工智能技术")
    text(page, 51, 147, "主线")
    for y, s in (
        (147, "依托积累的优势向芯片等技术链上游延伸，力争做到技术"),
        (161, "自主可控。"),
        (181, "继续探寻，把人工智能技术应用在更多领域。"),
        (200, "开展交叉领域的基础研究和前沿探索。"),
        (219, "继续夯实现有技术优势领域的领先地位。"),
    ):
        text(page, 91, y, s)
    text(page, 48, 260, "近年来，字节跳动持续增加在技术领域的研发投入，目前工程师总数超过两万人。")


def test_a_top_aligned_label_of_a_two_column_table_spans_its_items(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "group.pdf", [_label_over_white_rows])
    (table,) = detect_tables(page_content(pdf))
    assert table.style is TableStyle.FILLED
    assert (table.n_rows, table.n_cols) == (5, 2)
    label = table.cell_at(1, 0)
    assert label is not None and (label.text, label.row_span) == ("主线", 4)
    first = table.cell_at(0, 0)
    assert first is not None and first.row_span == 1


def test_caption_flush_under_the_last_white_row_is_no_row(tmp_path: Path) -> None:
    """An unlabelled caption set at the page margin (flush with the stripes' left edge) right
    under the unfilled last row: the cells' text is padded, so the line is the page's even
    where it happens to end in line with a cell's text."""

    def draw(page: pymupdf.Page) -> None:
        _cards(page, "first_row", 0.0)
        # ends where the cell above it ends (a column alignment by chance)
        text(page, 50, 200, "信息安全认证情况一览表1")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "caption.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()] == [CERTS[:3], CERTS[3:]]


def test_a_caption_at_the_band_edge_right_under_a_one_stripe_kpi_table_is_no_row(
    tmp_path: Path,
) -> None:
    """Centred labels, one striped row of values, and the caption set at the band's left edge
    just under the stripe (where no padded cell starts, off the columns): not a third row."""
    labels = ("双一流高校入驻率达", "高校开播场次", "高校公开课总时长")
    values = ("95%", "14466场", "148万（小时）")
    cells = [(56.0 + 160 * k, 216.0 + 160 * k) for k in range(3)]

    def centred(page: pymupdf.Page, x0: float, x1: float, y: float, s: str) -> None:
        text(page, (x0 + x1) / 2 - CJK_FONT.text_length(s, fontsize=9) / 2, y, s)

    def draw(page: pymupdf.Page) -> None:
        for (x0, x1), s in zip(cells, labels, strict=True):
            centred(page, x0, x1, 140, s)
        band(page, (56, 148, 536, 176), PALE)
        for (x0, x1), s in zip(cells, values, strict=True):
            centred(page, x0, x1, 166, s)
        text(page, 56, 187, "2022年名校在抖音")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "caption.pdf", [draw])))
    assert [[c.text for c in row] for row in table.rows()] == [list(labels), list(values)]


def _one_band_over_padded_rows(page: pymupdf.Page) -> None:
    """A header band drawn as one rectangle (as a scan's band comes out, and as many reports
    draw it), its labels padded well inside it, over unfilled rows padded as it is."""
    band(page, (40, 100, 610, 127), DARK)
    for x, s in ((60, "关键利益相关方"), (250, "期待与诉求"), (440, "沟通渠道")):
        page.insert_text((x, 117), s, fontname="cjk", fontsize=9, color=(1, 1, 1))
    baseline = 142.0
    for label, wants, channels in (
        ("用户", ("用户体验提升", "信息安全与隐私保护"), ("用户访谈与调研", "客户满意度调查")),
        ("员工", ("员工权益保障", "员工培训及发展"), ("员工调研", "内部值班号")),
        ("政府", ("合规运营", "增进社会福祉"), ("设立公共事务部门", "相关论坛交流活动")),
    ):
        text(page, 44, baseline, label)
        for i, (want, channel) in enumerate(zip(wants, channels, strict=True)):
            text(page, 234, baseline + 12 * i, "• " + want)
            text(page, 424, baseline + 12 * i, "• " + channel)
        baseline += 12 + 27
    text(
        page,
        40,
        baseline + 30,
        "公司及各产品建立多元通畅的日常沟通渠道与参与机制，并对此积极做出回应。",
    )


def test_rows_under_a_one_rectangle_header_band_are_padded_as_the_band_is(
    tmp_path: Path,
) -> None:
    (table,) = detect_tables(
        page_content(make_pdf(tmp_path / "b.pdf", [_one_band_over_padded_rows]))
    )
    assert table.style is TableStyle.FILLED
    assert [row[0].text for row in table.rows()] == ["关键利益相关方", "用户", "员工", "政府"]
    assert table.rows()[3][2].items == ["设立公共事务部门", "相关论坛交流活动"]


def _header_row_over_a_run_in_label(page: pymupdf.Page) -> None:
    """Zebra rows under an unfilled header row, with a caption above; in one row the label
    runs into the first bullet of the list beside it (one run of the text layer)."""
    text(page, 50, 80, "北京字节跳动与联合国可持续发展目标", 8)
    text(page, 53, 104, "联合国可持续发展目标", 8.5)
    text(page, 200, 104, "相关响应", 8.5)
    rows = [
        ("SDG 1: 无贫穷", ["培育乡村人才。", "拓展就业渠道。"]),
        ("SDG 2: 零饥饿", ["为受灾群体提供帮扶。", "优化农产品营销。"]),
        ("SDG 3: 良好健康与福祉", ["关注青少年的健康成长。", "助力生物医学研究。"]),
        ("SDG 4: 优质教育", ["推动知识普惠。", "开展青少年教育项目。"]),
        ("SDG 5: 性别平等", ["坚持男女平等。", "支持女性公益项目。"]),
    ]
    y = 112.0
    for i, (label, items) in enumerate(rows):
        height = 12.0 * len(items) + 8
        if i % 2 == 0:
            band(page, (50, y, 330, y + height), STRIPE)
        # the long label ends 6 pt before the bullet: the text layer joins them in one run
        long = label.startswith("SDG 3")
        x = 146.0 - 6 - CJK_FONT.text_length(label, fontsize=8.5) if long else 70.0
        text(page, x, y + 13, label, 8.5)
        text(page, 146, y + 13, "○" + items[0], 8.5)
        text(page, 146, y + 25, "○" + items[1], 8.5)
        y += height


def test_an_unfilled_header_row_over_a_label_run_into_its_bullet_list(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "runin_header.pdf", [_header_row_over_a_run_in_label])
    (table,) = detect_tables(page_content(pdf))
    assert (table.n_rows, table.n_cols) == (6, 2)
    assert [c.text for c in table.cells if c.row == 0] == ["联合国可持续发展目标", "相关响应"]
    row = [c.text for c in table.cells if c.row == 3]
    assert row[0] == "SDG 3: 良好健康与福祉"
    assert row[1].startswith("关注青少年的健康成长。")
