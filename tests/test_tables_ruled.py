"""Ruled tables: grid from lines, spans where an inner line is missing, bullets and wrapped CJK."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pymupdf
from tables_pdf import band, hline, make_pdf, page_content, text, vline

from csrextract.models import Method, PageContent, Rule, Table, TableStyle
from csrextract.tables import detect_tables


def grid_of(table: Table) -> list[tuple[int, int, int, int, str]]:
    return [
        (c.row, c.col, c.row_span, c.col_span, c.text)
        for c in sorted(table.cells, key=lambda c: (c.row, c.col))
    ]


def _ruled(page: pymupdf.Page) -> None:
    xs, ys = [50, 150, 300, 500], [100, 120, 160, 200, 220]
    text(page, 40, 60, "表 1 利益相关方沟通情况")
    for y in (ys[0], ys[1], ys[3], ys[4]):
        hline(page, xs[0], xs[-1], y)
    hline(page, xs[1], xs[-1], ys[2])  # no line under 用户 in column 0: rowspan
    for x in xs:
        vline(page, x, ys[0], ys[-1] if x != 300 else ys[3])  # last row: cols 1-2 merged
    for x0, s in zip(xs, ["类别", "说明", "数值"], strict=False):
        text(page, x0 + 4, ys[0] + 13, s)
    text(page, 54, 145, "用户")
    text(page, 154, 133, "• 用户体验提升")
    text(page, 154, 146, "• 信息安全与隐私保护")
    text(page, 304, 133, "92%")
    text(page, 154, 173, "今日头条与深圳市信息无障碍")
    text(page, 154, 186, "研究会合作初步适配读屏软件。")
    text(page, 304, 173, "<0.5")
    text(page, 54, 213, "合计")
    text(page, 154, 213, "Total value of all")
    text(page, 320, 213, "the responses")


def test_ruled_table_grid_with_spans_bullets_and_wrapped_cjk(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "ruled.pdf", [_ruled])
    tables = detect_tables(page_content(pdf))
    assert len(tables) == 1
    table = tables[0]
    assert table.style is TableStyle.RULED
    assert (table.n_rows, table.n_cols) == (4, 3)
    cells = grid_of(table)
    assert cells[:3] == [(0, 0, 1, 1, "类别"), (0, 1, 1, 1, "说明"), (0, 2, 1, 1, "数值")]
    assert (1, 0, 2, 1, "用户") in cells
    bullets = table.cell_at(1, 1)
    assert bullets is not None and bullets.items == ["用户体验提升", "信息安全与隐私保护"]
    assert bullets.text == "用户体验提升\n信息安全与隐私保护"
    assert (2, 1, 1, 1, "今日头条与深圳市信息无障碍研究会合作初步适配读屏软件。") in cells
    assert (2, 2, 1, 1, "<0.5") in cells
    assert (3, 1, 1, 2, "Total value of all the responses") in cells
    assert [c.is_header for c in table.cells if c.row == 0] == [True, True, True]
    assert not any(c.is_header for c in table.cells if c.row > 0)
    assert all(c.page == 1 for c in table.cells)


def _open_sides(page: pymupdf.Page) -> None:
    """Horizontal rules across, inner vertical rules only (no outer frame)."""
    for y in (100, 120, 140, 160):
        hline(page, 50, 400, y)
    for x in (150, 280):
        vline(page, x, 100, 160)
    for r, y in enumerate((114, 134, 154)):
        for x, s in ((55, f"项目{r}"), (155, f"数值{r}"), (285, f"备注{r}")):
            text(page, x, y, s)


def test_ruled_table_without_outer_frame(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "open.pdf", [_open_sides])))
    assert len(tables) == 1
    assert grid_of(tables[0]) == [
        (r, c, 1, 1, f"{name}{r}")
        for r in range(3)
        for c, name in enumerate(("项目", "数值", "备注"))
    ]


def _noisy(content: PageContent, seed: int = 7) -> PageContent:
    """What an OCR'd page looks like: no character boxes, rules and boxes off by a point or so."""
    rng = random.Random(seed)

    def j() -> float:
        return rng.uniform(-1.2, 1.2)

    lines = [
        replace(
            ln,
            bbox=tuple(v + j() for v in ln.bbox),
            char_boxes=(),
            method=Method.OCR,
            confidence=0.9,
        )
        for ln in content.lines
    ]
    rules = [Rule(r.x0 + j(), r.y0 + j(), r.x1 + j(), r.y1 + j()) for r in content.rules]
    return replace(content, lines=lines, rules=rules)


def test_ruled_table_from_noisy_ocr_geometry(tmp_path: Path) -> None:
    content = _noisy(page_content(make_pdf(tmp_path / "ruled.pdf", [_ruled])))
    tables = detect_tables(content)
    assert len(tables) == 1
    table = tables[0]
    assert (table.n_rows, table.n_cols) == (4, 3)
    assert (1, 0, 2, 1, "用户") in grid_of(table)
    assert (3, 1, 1, 2, "Total value of all the responses") in grid_of(table)
    assert table.method is Method.OCR and table.confidence == 0.9


def test_org_chart_boxes_and_connectors_are_no_table(tmp_path: Path) -> None:
    """An organisation chart: framed labels joined by connector lines form one grid of lines
    whose cells are mostly empty — a diagram, not a table."""
    boxes = {
        "股东大会": (300, 100, 420, 125),
        "董事会": (200, 170, 300, 195),
        "监事会": (360, 170, 460, 195),
        "战略委员会": (50, 100, 160, 125),
        "审计委员会": (50, 140, 160, 165),
        "风险管理委员会": (50, 180, 160, 205),
        "经营管理层": (200, 240, 300, 265),
        "总行各部门": (160, 310, 240, 335),
        "各分支机构": (260, 310, 340, 335),
    }

    def draw(page: pymupdf.Page) -> None:
        for label, (x0, y0, x1, y1) in boxes.items():
            page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=(0, 0, 0), width=0.8)
            text(page, x0 + 5, (y0 + y1) / 2 + 3, label)
        vline(page, 360, 125, 150)
        hline(page, 250, 410, 150)
        vline(page, 250, 150, 170)
        vline(page, 410, 150, 170)
        vline(page, 180, 112, 192)
        for y in (112, 152, 192):
            hline(page, 160, 180, y)
        hline(page, 180, 200, 182)
        vline(page, 250, 195, 240)
        vline(page, 250, 265, 290)
        hline(page, 200, 300, 290)
        vline(page, 200, 290, 310)
        vline(page, 300, 290, 310)

    assert detect_tables(page_content(make_pdf(tmp_path / "org.pdf", [draw]))) == []


def test_merged_slots_keep_groups_rectangular() -> None:
    """A border drawn only in part must not join slots into an L: the best-drawn partial
    border is kept as a border, the wholly undrawn one still merges."""
    from csrextract.tables.ruled import merged_slots

    # 2×2: column 1 has no border between its rows (a rowspan); the border between the two
    # slots of row 1 is drawn over a third of its height.
    merges = [((0, 1), (1, 1), 0.0), ((1, 0), (1, 1), 0.3)]
    groups = sorted(sorted(g) for g in merged_slots(2, 2, merges))
    assert groups == [[(0, 0)], [(0, 1), (1, 1)], [(1, 0)]]
    # Wholly undrawn borders are trusted as found, even when they make an L.
    undrawn = [((0, 1), (1, 1), 0.0), ((1, 0), (1, 1), 0.0)]
    assert sorted(len(g) for g in merged_slots(2, 2, undrawn)) == [1, 3]
    # A 2×2 merged cell is one rectangle, whatever order its borders come in.
    square = [((0, 0), (0, 1), 0.0), ((0, 0), (1, 0), 0.2), ((1, 0), (1, 1), 0.1)]
    assert [len(g) for g in merged_slots(2, 2, square)] == [4]


def _partly_drawn_border(page: pymupdf.Page) -> None:
    """A renderer that draws each cell's own box: the merged cell of column 1 spans two rows,
    and the left cell of row 1 has its left/right sides drawn only near its bottom."""
    hline(page, 50, 400, 100)
    hline(page, 50, 200, 130)  # under row 0, column 0 only
    hline(page, 50, 400, 200)
    vline(page, 50, 100, 130)
    vline(page, 200, 100, 130)
    vline(page, 400, 100, 200)
    vline(page, 50, 175, 200)  # row 1's sides drawn near its bottom only
    vline(page, 200, 175, 200)
    text(page, 55, 118, "SDG 14")
    text(page, 55, 192, "SDG 15")
    for y, s in ((115, "通过项目引导公众参"), (130, "与生物多样性保护活动。"), (145, "加入联盟。")):
        text(page, 205, y, s)


def test_partly_drawn_border_keeps_the_merged_cell_whole(tmp_path: Path) -> None:
    tables = detect_tables(page_content(make_pdf(tmp_path / "p.pdf", [_partly_drawn_border])))
    assert len(tables) == 1
    cells = grid_of(tables[0])
    assert any(c[:4] == (0, 1, 2, 1) and "加入联盟" in c[4] and "通过项目" in c[4] for c in cells)
    assert (1, 0, 1, 1, "SDG 15") in cells


def _band_without_rule_under_it(page: pymupdf.Page) -> None:
    """A framed 2x3 KPI table whose header band's lower edge has no rule (as a pictured table's
    detected lines often leave it): labels on the band, figures under it."""
    hline(page, 50, 500, 100)
    hline(page, 50, 500, 160)
    for x in (50, 200, 350, 500):
        vline(page, x, 100, 160)
    band(page, (50, 100, 500, 128), (0.1, 0.37, 0.62))
    for x, label, value in (
        (70, "双一流高校入驻率达", "95%"),
        (220, "高校开播场次", "14,466场"),
        (370, "高校公开课总时长", "148万（小时）"),
    ):
        text(page, x, 118, label)
        text(page, x, 148, value)


def test_a_fill_edge_across_a_ruled_row_parts_it(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "band.pdf", [_band_without_rule_under_it])
    (table,) = detect_tables(page_content(pdf))
    assert [[c.text for c in row] for row in table.rows()] == [
        ["双一流高校入驻率达", "高校开播场次", "高校公开课总时长"],
        ["95%", "14,466场", "148万（小时）"],
    ]
