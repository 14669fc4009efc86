"""A table continued on the next page becomes one table; unrelated tables stay apart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from tables_pdf import band, hline, make_pdf, page_content, ruled_two_columns, text, vline
from test_tables_ruled import grid_of

from csrextract.models import Cell, PageContent, Table, TextLine
from csrextract.tables import detect_tables, stitch_tables

XS = (50, 200, 500)


def _ruled_rows(
    page: pymupdf.Page, top: float, rows: list[tuple[str, str]], header: bool = True
) -> None:
    """A ruled two-column table; ``header`` shades its first row (the header cue)."""
    ruled_two_columns(page, rows, top, XS, (0.85, 0.85, 0.85) if header else None)


def _pages(repeat_header: bool) -> list:
    first = [
        ("SDG", "相关响应"),
        ("SDG 1: 无贫穷", "培育乡村人才。"),
        ("SDG 2: 零饥饿", "提供帮扶。"),
    ]
    rest = [
        ("SDG 3: 良好健康与福祉", "关注青少年的健康成长。"),
        ("SDG 4: 优质教育", "推动知识普惠。"),
    ]

    def page1(page: pymupdf.Page) -> None:
        text(page, 50, 30, "2021 企业社会责任报告", 8)
        text(page, 50, 600, "北京字节跳动与联合国可持续发展目标", 12)
        _ruled_rows(page, 700, first)
        text(page, 290, 820, "14", 8)

    def page2(page: pymupdf.Page) -> None:
        text(page, 50, 30, "2021 企业社会责任报告", 8)
        _ruled_rows(page, 60, ([first[0]] if repeat_header else []) + rest, repeat_header)
        text(page, 50, 300, "注：2015 年，联合国 193 个会员国就可持续发展议程达成一致。")
        _ruled_rows(page, 400, [("领域", "应用方向"), ("机器翻译", "打破语言隔阂。")])
        text(page, 290, 820, "15", 8)

    return [page1, page2]


def _detect(tmp_path: Path, repeat_header: bool) -> list:
    pdf = make_pdf(tmp_path / "two_pages.pdf", _pages(repeat_header))
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    tables = [t for p in pages for t in detect_tables(p)]
    assert len(tables) == 3
    return stitch_tables(tables, pages)


EXPECTED = [
    (0, 0, 1, 1, "SDG"),
    (0, 1, 1, 1, "相关响应"),
    (1, 0, 1, 1, "SDG 1: 无贫穷"),
    (1, 1, 1, 1, "培育乡村人才。"),
    (2, 0, 1, 1, "SDG 2: 零饥饿"),
    (2, 1, 1, 1, "提供帮扶。"),
    (3, 0, 1, 1, "SDG 3: 良好健康与福祉"),
    (3, 1, 1, 1, "关注青少年的健康成长。"),
    (4, 0, 1, 1, "SDG 4: 优质教育"),
    (4, 1, 1, 1, "推动知识普惠。"),
]


def test_continuation_with_repeated_header_is_stitched(tmp_path: Path) -> None:
    stitched = _detect(tmp_path, repeat_header=True)
    assert len(stitched) == 2
    assert stitched[0].pages == [1, 2]
    assert stitched[0].n_rows == 5
    assert grid_of(stitched[0]) == EXPECTED
    assert [c.row for c in stitched[0].cells if c.is_header] == [0, 0]
    assert {c.page for c in stitched[0].cells if c.row >= 3} == {2}
    assert stitched[1].pages == [2]


def test_continuation_without_header_is_stitched(tmp_path: Path) -> None:
    stitched = _detect(tmp_path, repeat_header=False)
    assert len(stitched) == 2
    assert grid_of(stitched[0]) == EXPECTED
    assert [c.row for c in stitched[0].cells if c.is_header] == [0, 0]


# --- continuations without a repeated header (issue 11, class 3) ------------------------------

GRI = [
    (f"GRI 102-{i}", "组织名称" if i % 2 else "活动、品牌、产品与服务", str(10 + i))
    for i in range(1, 19)
]
GCOLS = (56.0, 170.0, 470.0)


def _rows_table(page: pymupdf.Page, top: float, rows, header: bool, style: str) -> float:  # type: ignore[no-untyped-def]
    """Rows of a three-column index in ``style`` (three-line rules, zebra fills, or none)."""
    x0, x1 = 50.0, 545.0
    y = top
    if style == "three":
        hline(page, x0, x1, y, 1.2)
    if header:
        if style == "filled":
            band(page, (x0, y, x1, y + 20), (0.25, 0.3, 0.45))
        for x, s in zip(GCOLS, ("GRI 标准", "披露项", "页码"), strict=True):
            page.insert_text(
                (x, y + 14),
                s,
                fontname="cjk",
                fontsize=9,
                color=(0.99, 0.99, 0.99) if style == "filled" else (0, 0, 0),
            )
        y += 20
        if style == "three":
            hline(page, x0, x1, y, 0.5)
    for i, row in enumerate(rows):
        if style == "filled" and i % 2:
            band(page, (x0, y, x1, y + 20), (0.9, 0.92, 0.95))
        for x, s in zip(GCOLS, row, strict=True):
            if s:
                text(page, x, y + 14, s)
        y += 20
    if style == "three":
        hline(page, x0, x1, y, 1.2)
    return y


def _split_pages(
    style: str, *, empty_col: bool = False, label: str = "", notes: int = 0, paragraph: bool = False
):  # type: ignore[no-untyped-def]
    second = [(a, b, "" if empty_col else c) for a, b, c in GRI[10:]]

    def running(page: pymupdf.Page, number: int) -> None:
        text(page, 50, 25, "某公司 2021 可持续发展报告", 7)
        text(page, 50, 35, "附录", 7)
        text(page, 290, 830, str(number), 8)

    def page1(page: pymupdf.Page) -> None:
        running(page, 80)
        top = 360.0 if paragraph else 520.0
        text(page, 50, top - 20, "GRI 标准内容索引", 14)
        y = _rows_table(page, top, GRI[:10], True, style)
        for n in range(notes):
            text(
                page, 50, y + 14 + 10 * n, f"注{n + 1}：本表依据 GRI 标准编制，页码为报告页码。", 7
            )
        if paragraph:
            for n in range(6):
                text(
                    page,
                    50,
                    y + 30 + 14 * n,
                    "正文段落：本行持续完善可持续发展管理体系，推动各项工作落实。",
                    9,
                )

    def page2(page: pymupdf.Page) -> None:
        running(page, 81)
        top = 60.0
        if label:
            text(page, 50, top, label, 9)
            top += 12
        _rows_table(page, top, second, False, style)

    return [page1, page2]


def _stitched(tmp_path: Path, pages) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    pdf = make_pdf(tmp_path / "split.pdf", pages)
    contents = [page_content(pdf, 1), page_content(pdf, 2)]
    parts = [t for p in contents for t in detect_tables(p)]
    assert len(parts) == 2
    return parts, stitch_tables(parts, contents)


@pytest.mark.parametrize(
    ("style", "label"), [("three", ""), ("filled", ""), ("aligned", "续表"), ("three", "（续）")]
)
def test_continuation_with_a_column_left_empty_is_stitched(
    tmp_path: Path, style: str, label: str
) -> None:
    """Drawn outlines (rules, fills) vouch for the same table; text alone needs a label."""
    parts, (table,) = _stitched(tmp_path, _split_pages(style, empty_col=True, label=label))
    assert parts[1].n_cols == 2  # no text in the page column: no gap to find it from
    assert table.pages == [1, 2] and table.n_cols == 3
    texts = [[c.text for c in row] for row in table.rows()]
    assert texts[1:] == [list(r) for r in GRI[:10]] + [[a, b, ""] for a, b, _ in GRI[10:]]
    assert "columns agree" in table.report.stitched[0]


@pytest.mark.parametrize("style", ["three", "filled", "aligned"])
@pytest.mark.parametrize(
    "label", ["续表", "表 5 GRI 内容索引（续）", "GRI Content Index (continued)"]
)
def test_notes_running_lines_and_a_continuation_label_do_not_stop_stitching(
    tmp_path: Path, style: str, label: str
) -> None:
    _, stitched = _stitched(tmp_path, _split_pages(style, label=label, notes=4))
    assert [t.pages for t in stitched] == [[1, 2]]
    assert stitched[0].n_rows == 1 + len(GRI)
    assert "continuation label" in stitched[0].report.stitched[0]


@pytest.mark.parametrize("style", ["three", "filled", "aligned"])
def test_a_table_followed_by_running_text_is_not_continued(tmp_path: Path, style: str) -> None:
    _, stitched = _stitched(tmp_path, _split_pages(style, paragraph=True))
    assert [t.pages for t in stitched] == [[1], [2]]


@pytest.mark.parametrize("style", ["three", "filled", "aligned"])
def test_a_captioned_table_on_the_next_page_is_a_new_table(tmp_path: Path, style: str) -> None:
    """Same columns, at the top of the next page, but with a caption of its own above it."""
    _, stitched = _stitched(tmp_path, _split_pages(style, label="表 6 其他披露"))
    assert [t.pages for t in stitched] == [[1], [2]]


def test_a_table_with_a_header_of_its_own_is_a_new_table(tmp_path: Path) -> None:
    pages = _split_pages("filled")

    def page2(page: pymupdf.Page) -> None:
        band(page, (50, 60, 545, 80), (0.25, 0.3, 0.45))
        for x, s in zip(GCOLS, ("指标", "说明", "数值"), strict=True):
            page.insert_text((x, 74), s, fontname="cjk", fontsize=9, color=(1, 1, 1))
        _rows_table(page, 80, GRI[10:], False, "filled")

    pdf = make_pdf(tmp_path / "own.pdf", [pages[0], page2])
    contents = [page_content(pdf, 1), page_content(pdf, 2)]
    stitched = stitch_tables([t for p in contents for t in detect_tables(p)], contents)
    assert [t.pages for t in stitched] == [[1], [2]]


def test_first_row_repeated_on_the_continuation_is_an_undrawn_header(tmp_path: Path) -> None:
    """No shading, bold or rule marks the header, but the continuation repeats the first row:
    it is the header; dropped on the continuation, marked on the first part."""
    head = ("利益相关方", "沟通渠道")

    def page1(page: pymupdf.Page) -> None:
        _ruled_rows(page, 700, [head, ("用户", "用户调研"), ("员工", "员工大会")], header=False)

    def page2(page: pymupdf.Page) -> None:
        _ruled_rows(page, 60, [head, ("政府", "政策沟通"), ("社区", "志愿活动")], header=False)

    pdf = make_pdf(tmp_path / "undrawn.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    parts = [t for p in pages for t in detect_tables(p)]
    assert not any(c.is_header for t in parts for c in t.cells)
    (table,) = stitch_tables(parts, pages)
    assert [[c.text for c in row] for row in table.rows()] == [
        list(head),
        ["用户", "用户调研"],
        ["员工", "员工大会"],
        ["政府", "政策沟通"],
        ["社区", "志愿活动"],
    ]
    assert [c.row for c in table.cells if c.is_header] == [0, 0]


def test_header_band_table_continued_without_band_is_stitched(tmp_path: Path) -> None:
    """The first part's columns come from the band's cell fills, the continuation's from its
    whitespace: different x, but each part's edges run clear of the other's text."""
    from test_tables_filled import BODY, HEAD, _header_band_table

    def page1(page: pymupdf.Page) -> None:
        page.set_mediabox(pymupdf.Rect(0, 0, 660, 842))
        text(page, 50, 25, "某公司 2021 可持续发展报告", 7)
        _header_band_table(page, 700, BODY[:3])

    def page2(page: pymupdf.Page) -> None:
        page.set_mediabox(pymupdf.Rect(0, 0, 660, 842))
        text(page, 50, 25, "某公司 2021 可持续发展报告", 7)
        _header_band_table(page, 60, BODY[3:], header=False)

    pdf = make_pdf(tmp_path / "band2.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    (table,) = stitch_tables([t for p in pages for t in detect_tables(p)], pages)
    assert [[c.text for c in row] for row in table.rows()] == [list(HEAD), *map(list, BODY)]


def test_a_table_two_columns_narrower_in_the_same_frame_is_a_new_table(tmp_path: Path) -> None:
    """Four ruled columns ending page 1, two ruled columns (same outer frame, no header cue,
    no label) opening page 2: the two-column grid's one edge matches an edge of the first,
    but two columns off is another table."""

    def grid(page: pymupdf.Page, top: float, xs: tuple[float, ...], rows) -> None:  # type: ignore[no-untyped-def]
        ys = [top + 22 * i for i in range(len(rows) + 1)]
        for y in ys:
            hline(page, xs[0], xs[-1], y)
        for x in xs:
            vline(page, x, ys[0], ys[-1])
        for y, row in zip(ys, rows, strict=False):
            for x, s in zip(xs, row, strict=False):
                text(page, x + 4, y + 15, s)

    def page1(page: pymupdf.Page) -> None:
        grid(
            page,
            700,
            (50, 150, 275, 400, 500),
            [("相关方", "期待", "渠道", "回应"), ("用户", "体验", "调研", "改进")],
        )

    def page2(page: pymupdf.Page) -> None:
        grid(
            page,
            60,
            (50, 275, 500),
            [("目标", "响应"), ("SDG 1", "乡村人才"), ("SDG 4", "知识普惠")],
        )

    pdf = make_pdf(tmp_path / "narrower.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    stitched = stitch_tables([t for p in pages for t in detect_tables(p)], pages)
    assert [t.pages for t in stitched] == [[1], [2]]


def test_zebra_stripe_atop_the_continuation_is_no_header_of_its_own(tmp_path: Path) -> None:
    """The first part shows no header; the continuation's first row is shaded because the
    zebra pattern happens to start there — still the same table."""

    def page1(page: pymupdf.Page) -> None:
        _ruled_rows(
            page, 700, [("SDG 1: 无贫穷", "培育乡村人才。"), ("SDG 2: 零饥饿", "提供帮扶。")], False
        )

    def page2(page: pymupdf.Page) -> None:
        _ruled_rows(
            page,
            60,
            [
                ("SDG 3: 良好健康", "关注青少年的健康成长，开展公益项目。"),
                ("SDG 4: 优质教育", "知识普惠。"),
            ],
        )

    pdf = make_pdf(tmp_path / "zebra_top.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    parts = [t for p in pages for t in detect_tables(p)]
    assert any(c.is_header for c in parts[1].cells)
    (table,) = stitch_tables(parts, pages)
    assert table.n_rows == 4 and table.pages == [1, 2]


def test_a_shaded_first_row_under_a_continuation_label_is_no_header_of_its_own(
    tmp_path: Path,
) -> None:
    """Both parts show a header cue (a shaded first row), the continuation's is a body row
    shaded by the zebra pattern: under a 续表 label it is the same table all the same."""
    head = ("利益相关方", "沟通渠道")

    def page1(page: pymupdf.Page) -> None:
        _ruled_rows(page, 700, [head, ("用户", "用户调研"), ("员工", "员工大会")])

    def page2(page: pymupdf.Page) -> None:
        text(page, 50, 52, "续表 利益相关方参与", 8)
        _ruled_rows(page, 60, [("政府", "定期与相关部门沟通政策"), ("社区", "志愿活动")])

    pdf = make_pdf(tmp_path / "labelled.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    parts = [t for p in pages for t in detect_tables(p)]
    assert all(any(c.is_header for c in t.cells) for t in parts)
    (table,) = stitch_tables(parts, pages)
    assert [c.text for c in table.cells if c.col == 0] == [
        "利益相关方",
        "用户",
        "员工",
        "政府",
        "社区",
    ]


def test_a_repeated_header_read_with_two_columns_run_together_is_dropped() -> None:
    """The repeat's text is the first part's header text, cut differently: still a repeat."""
    from csrextract.models import Cell, Table, TableStyle
    from csrextract.tables.stitch import merge

    def table(rows: list[list[str]], header: bool) -> Table:
        cells = [
            Cell(r, c, s, is_header=header and r == 0)
            for r, row in enumerate(rows)
            for c, s in enumerate(row)
        ]
        n_cols = max(len(r) for r in rows)
        return Table("", cells, len(rows), n_cols, [1], (0, 0, 1, 1), TableStyle.THREE_LINE)

    first = table([["利益相关方", "沟通渠道", "相关回应"], ["用户", "调研", "改进"]], True)
    second = table([["利益相关方", "沟通渠道相关回应", ""], ["员工", "大会", "培训"]], True)
    merged = merge(first, second)
    assert merged.n_rows == 3
    assert [c.text for c in merged.cells if c.col == 0] == ["利益相关方", "用户", "员工"]


def _matrix_part(page: pymupdf.Page, top: float, rows: list[list[list[str]]]) -> float:
    """Rows of a three-column matrix, a rule above and under each; a cell lists its lines."""
    y = top
    hline(page, 50, 500, y)
    for row in rows:
        height = 14 * max(len(cell) for cell in row) + 6
        for x, cell in zip((53, 153, 303), row, strict=True):
            for k, line in enumerate(cell):
                text(page, x, y + 14 + 14 * k, line)
        y += height
        hline(page, 50, 500, y)
    return y


def test_one_tall_row_carried_over_under_a_label_is_stitched(tmp_path: Path) -> None:
    """The last row of a ruled matrix goes on over the next page as one tall ruled row, with
    the page's running text under the first part: a 续表 label says it continues."""
    head = [["利益相关方"], ["期待与诉求"], ["沟通渠道"]]
    users = [["用户"], ["用户体验提升", "信息安全"], ["用户调研"]]
    staff = [
        ["员工"],
        ["• 员工权益保障", "• 员工培训", "• 员工福利"],
        ["• 员工调研", "• 内部值班号"],
    ]

    def page1(page: pymupdf.Page) -> None:
        bottom = _matrix_part(page, 600, [head, users])
        for k in range(5):  # running text after the table (a two-column page's next lines)
            text(page, 50, bottom + 30 + 14 * k, f"公司及各产品建立多元通畅的沟通渠道{k}。")

    def page2(page: pymupdf.Page) -> None:
        text(page, 50, 52, "续表 利益相关方参与", 8)
        _matrix_part(page, 60, [staff])

    pdf = make_pdf(tmp_path / "tall.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    parts = [t for p in pages for t in detect_tables(p)]
    assert [(t.n_rows, t.pages) for t in parts] == [(2, [1]), (1, [2])]
    (table,) = stitch_tables(parts, pages)
    assert [c.text for c in table.cells if c.col == 0] == ["利益相关方", "用户", "员工"]
    staff_cell = table.cell_at(2, 1)
    assert staff_cell is not None and staff_cell.items == ["员工权益保障", "员工培训", "员工福利"]


def test_a_one_line_row_between_two_rules_is_no_table_part(tmp_path: Path) -> None:
    """A lone one-line row between two rules (a header whose body is drawn otherwise, a
    ruled line of labels) does not stand as a table on its own."""

    def page1(page: pymupdf.Page) -> None:
        _matrix_part(page, 100, [[["内容"], ["对应的 GRI 标准披露项"], ["报告位置"]]])

    tables = detect_tables(page_content(make_pdf(tmp_path / "lone.pdf", [page1])))
    assert tables == []


def test_a_headless_part_with_the_same_columns_continues_past_running_text(
    tmp_path: Path,
) -> None:
    """Text flows on under the first part (a two-column page), the next page starts with a
    table of exactly the first part's columns and no header: the same table."""
    head = [["利益相关方"], ["期待与诉求"], ["沟通渠道"]]
    users = [["用户"], ["• 用户体验提升", "• 信息安全"], ["• 用户调研"]]
    staff = [["员工"], ["• 员工权益保障", "• 员工培训"], ["• 员工调研"]]
    media = [["媒体"], ["• 信息公开透明"], ["• 新闻发布会", "• 媒体开放日"]]

    def page1(page: pymupdf.Page) -> None:
        bottom = _matrix_part(page, 600, [head, users])
        for k in range(5):
            text(page, 50, bottom + 30 + 14 * k, f"公司及各产品建立多元通畅的沟通渠道{k}。")

    def page2(page: pymupdf.Page) -> None:
        _matrix_part(page, 60, [staff, media])

    pdf = make_pdf(tmp_path / "twin.pdf", [page1, page2])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    parts = [t for p in pages for t in detect_tables(p)]
    assert len(parts) == 2 and not any(c.is_header for c in parts[1].cells)
    (table,) = stitch_tables(parts, pages)
    assert [c.text for c in table.cells if c.col == 0] == ["利益相关方", "用户", "员工", "媒体"]


def test_repeated_header_with_an_empty_column_on_one_part_is_no_header_of_its_own() -> None:
    """The first part read an empty gutter column the next page's part lacks: its repeated
    header (the same labels) is still a repeat, not a new table's header."""
    from csrextract.models import Cell, Table, TableStyle
    from csrextract.tables.stitch import _own_header

    def part(rows: list[tuple[str, ...]]) -> Table:
        cells = [
            Cell(r, c, t, is_header=r == 0) for r, row in enumerate(rows) for c, t in enumerate(row)
        ]
        return Table("", cells, len(rows), len(rows[0]), [1], (0, 0, 1, 1), TableStyle.RULED)

    first = part([("", "目标", "相关响应"), ("", "SDG 1", "培育乡村人才。")])
    second = part([("目标", "相关响应"), ("SDG 2", "提供帮扶。")])
    assert not _own_header(first, second)
    other = part([("利益相关方", "沟通渠道"), ("用户", "用户调研")])
    assert _own_header(first, other)


def _cells_table(rows: list[list[str]], page: int, top: float, header: bool, xs: list[float]):  # type: ignore[no-untyped-def]
    """A one-page table: row ``r`` of text cells 20 pt tall from ``top``, columns at ``xs``."""
    from csrextract.models import Cell, Table, TableStyle

    cells = [
        Cell(
            r,
            c,
            s,
            is_header=header and r == 0,
            page=page,
            bbox=(xs[c], top + 20 * r, xs[c + 1], top + 20 * (r + 1)),
        )
        for r, row in enumerate(rows)
        for c, s in enumerate(row)
    ]
    box = (xs[0], top, xs[-1], top + 20 * len(rows))
    return Table("", cells, len(rows), len(xs) - 1, [page], box, TableStyle.FILLED)


def _line(s: str, x0: float, y0: float, x1: float):  # type: ignore[no-untyped-def]
    from csrextract.models import TextLine

    return TextLine(s, (x0, y0, x1, y0 + 10), font_size=10.0)


def test_running_header_read_as_a_tables_first_row_is_dropped() -> None:
    """The same text at the same height on the page before, outside its table: not a row."""
    from csrextract.models import PageContent
    from csrextract.tables.running import without_running_rows

    xs = [0.0, 100.0, 200.0]
    running = _line("某公司 2022 报告", 0, 42, 90)
    other = PageContent(1, 300, 400, lines=[running, _line("正文", 0, 200, 40)])
    rows = [["某公司 2022 报告", ""], ["A", "1"], ["B", "2"]]
    table = _cells_table(rows, 2, 40, False, xs)
    lines = [_line("某公司 2022 报告", 0, 44, 90), _line("A", 5, 64, 20), _line("1", 105, 64, 120)]
    page = PageContent(2, 300, 400, lines=[*lines, _line("B", 5, 84, 20), _line("2", 105, 84, 120)])
    (out,) = without_running_rows([table], {1: other, 2: page})
    assert out.n_rows == 2
    assert [c.text for c in out.cells if c.col == 0] == ["A", "B"]
    assert out.bbox[1] == 60
    # the same line inside a table on the page before is a repeated row, not running text
    boxed = _cells_table([["x", "y"], ["z", "w"]], 1, 30, False, xs)
    again = without_running_rows([boxed, table], {1: other, 2: page})
    assert again[1].n_rows == 3


def test_a_repeated_header_read_with_an_empty_column_more_continues_the_table() -> None:
    """Edges found in whitespace agree when one lies in the other part's gap, once the part
    repeats the first part's header; the extra column holds only the header label."""
    from csrextract.tables.stitch import column_map, repeats_header

    first = _cells_table(
        [["内容", "披露项", "页码"], ["关于", "GRI 102-1, GRI 102-2, GRI 102-3", "P4"]],
        1,
        50,
        True,
        [0.0, 100.0, 400.0, 500.0],
    )
    second = _cells_table(
        [["内容", "", "披露项", "页码"], ["治理", "GRI 205-1", "", "P18"]],
        2,
        50,
        True,
        [0.0, 100.0, 200.0, 330.0, 500.0],
    )
    texts = (
        [_line("GRI 102-1, GRI 102-2, GRI 102-3", 105, 75, 390), _line("P4", 450, 75, 470)],
        [
            _line("GRI 205-1", 105, 75, 160),
            _line("披露项", 250, 55, 290),
            _line("P18", 450, 75, 470),
        ],
    )
    assert repeats_header(first, second)
    assert column_map(first, second, 10.0, texts=texts) is None  # 330 is far from 400
    assert column_map(first, second, 10.0, texts=texts, same_table=True) == [
        (0, 1),
        (1, 1),
        (1, 1),
        (2, 1),
    ]


def test_running_headers_read_into_the_tables_of_several_pages_all_go() -> None:
    """Pages 2 and 3 both read the running header into their table; page 1 sets it apart.
    Page 2 loses it against page 1, then page 3 against page 2's trimmed table."""
    from csrextract.models import PageContent
    from csrextract.tables.running import without_running_rows

    xs = [0.0, 100.0, 200.0]
    rows = [["某公司 2022 报告", ""], ["A", "1"], ["B", "2"]]
    head = _line("某公司 2022 报告", 0, 42, 90)
    body = [_line("A", 5, 62, 20), _line("1", 105, 62, 120), _line("B", 5, 82, 20)]
    pages = {n: PageContent(n, 300, 400, lines=[head, *body]) for n in (2, 3)}
    pages[1] = PageContent(1, 300, 400, lines=[head, _line("x", 5, 102, 20)])
    first = _cells_table([["x", "y"], ["z", "w"]], 1, 100, False, xs)
    parts = [_cells_table(rows, n, 40, False, xs) for n in (2, 3)]
    out = without_running_rows([first, *parts], pages)
    assert [t.n_rows for t in out] == [2, 2, 2]


def _part(page: int, rows: list[tuple[float, float, tuple[str, str]]]) -> tuple[Table, PageContent]:
    """A two-column aligned part on ``page``: one cell per row and column around its text."""
    cells, lines = [], []
    for r, (top, bottom, texts) in enumerate(rows):
        for c, (x0, words) in enumerate(zip((50.0, 200.0), texts, strict=True)):
            cells.append(Cell(r, c, words, page=page, bbox=(x0, top - 1, x0 + 140, bottom + 1)))
            lines.append(
                TextLine(words, (x0 + 2, top, x0 + 2 + 10 * len(words), bottom), font_size=10)
            )
    box = (50.0, rows[0][0] - 1, 340.0, rows[-1][1] + 1)
    table = Table("", cells, len(rows), 2, [page], box, "aligned")
    return table, PageContent(page, 420, 595, lines=lines)


def test_a_continued_part_at_line_pitch_under_rows_set_apart_is_one_tall_row() -> None:
    from csrextract.tables.stitch import rows_at_line_pitch_joined

    first, end = _part(
        1, [(100, 110, ("关于我们", "公司简介")), (125, 135, ("责任管理", "责任战略"))]
    )
    second, start = _part(
        2, [(50, 60, ("筑牢根基", "公司治理")), (60.5, 70.5, ("守卫底线", "内容治理"))]
    )
    pages = {1: end, 2: start}
    joined = rows_at_line_pitch_joined(first, second, pages)
    assert joined.n_rows == 1
    assert [c.text for c in joined.cells] == ["筑牢根基守卫底线", "公司治理内容治理"]
    apart, page = _part(2, [(50, 60, ("筑牢根基", "公司治理")), (75, 85, ("守卫底线", "内容治理"))])
    assert rows_at_line_pitch_joined(first, apart, {1: end, 2: page}).n_rows == 2


def test_a_third_page_continues_a_part_reaching_below_the_first_pages_outline(
    tmp_path: Path,
) -> None:
    """A table over three pages, its first part short and low on page 1, its second part
    filling page 2 past where the first one ended: page 2's own rows are not text after the
    table (the stitched table's outline is its first page's), so page 3 continues it too."""
    rows = [
        (f"SDG {i}: 目标{i}", f"第{i}项响应：开展公益项目，推动各项工作落实并持续完善。")
        for i in range(1, 41)
    ]

    def running(page: pymupdf.Page, number: int) -> None:
        text(page, 50, 30, "2021 企业社会责任报告", 8)
        text(page, 290, 820, str(number), 8)

    def page1(page: pymupdf.Page) -> None:
        running(page, 14)
        text(page, 50, 540, "北京字节跳动与联合国可持续发展目标", 12)
        _ruled_rows(page, 560, [("SDG", "相关响应"), *rows[:3]])

    def page2(page: pymupdf.Page) -> None:
        running(page, 15)
        _ruled_rows(page, 60, rows[3:33], header=False)

    def page3(page: pymupdf.Page) -> None:
        running(page, 16)
        _ruled_rows(page, 60, rows[33:], header=False)

    pdf = make_pdf(tmp_path / "three_pages.pdf", [page1, page2, page3])
    pages = [page_content(pdf, n) for n in (1, 2, 3)]
    (table,) = stitch_tables([t for p in pages for t in detect_tables(p)], pages)
    assert table.pages == [1, 2, 3]
    assert [[c.text for c in row] for row in table.rows()][1:] == [list(r) for r in rows]


def test_running_header_read_as_a_header_row_is_dropped_with_its_header_mark() -> None:
    """Running text read as a part's header row (set over its first stripe, where a label
    row would be) goes like any running row, and the rows below are body rows again; a
    repeated header inside the table on the page before stays."""
    from csrextract.models import PageContent
    from csrextract.tables.running import without_running_rows

    xs = [0.0, 100.0, 200.0]
    running = _line("某公司 2022 报告", 0, 42, 90)
    other = PageContent(1, 300, 400, lines=[running, _line("正文", 0, 200, 40)])
    table = _cells_table([["某公司 2022 报告", ""], ["A", "1"], ["B", "2"]], 2, 40, True, xs)
    table = replace(table, cells=[replace(c, is_header=c.row < 2) for c in table.cells])
    lines = [_line("某公司 2022 报告", 0, 44, 90), _line("A", 5, 64, 20), _line("1", 105, 64, 120)]
    page = PageContent(2, 300, 400, lines=[*lines, _line("B", 5, 84, 20), _line("2", 105, 84, 120)])
    (out,) = without_running_rows([table], {1: other, 2: page})
    assert [c.text for c in out.cells if c.col == 0] == ["A", "B"]
    assert not any(c.is_header for c in out.cells)
    boxed = _cells_table([["x", "y"], ["z", "w"]], 1, 30, False, xs)
    again = without_running_rows([boxed, table], {1: other, 2: page})
    assert again[1].n_rows == 3


def test_an_edge_amid_a_narrow_empty_column_is_no_edge_of_the_finer_grid() -> None:
    """A first part's edge found in the gap of a column it left empty sits mid-column, though
    narrow columns put it within the usual tolerance of both finer edges; an edge beside a
    finer one, or in a column holding text, does not count."""
    from csrextract.tables.stitch import _amid_empty_column

    xs = [42.7, 94.5, 154.5, 210.5, 264.5]
    texts = [TextLine("相关方参与", (99.3, 0, 151.8, 10), font_size=10.5)]
    assert _amid_empty_column(182.5, xs, texts)
    assert not _amid_empty_column(157.0, xs, texts)  # at the empty column's side
    assert not _amid_empty_column(125.0, xs, texts)  # amid a column with text
    assert not _amid_empty_column(30.0, xs, texts)  # outside the grid


_TIGHT_XS = [42.7 + 56.6 * k for k in range(6)]
"""Six columns of equal width, each filled by five CJK characters of 10.5 pt type."""
_TIGHT_PITCH = 14.7

_CONTENTS_FIRST = (
    (
        ("04关于北", "京字节跳动"),
        ("05公司简", "介05公司", "文化"),
        (),
        ("50坚持科", "技创新创", "造更多可能"),
        ("52夯实创", "新基础"),
        ("52明确创", "新方向53", "推动技术创", "新54培育"),
    ),
    (
        ("06责任管", "理"),
        ("07责任战", "略09利益", "相关方参与"),
        (),
        (),
        ("56推广科", "技应用"),
        ("56推动技", "术开源58", "应用创新成", "果"),
    ),
)
_CONTENTS_SECOND = (
    ("16筑牢根", "基守卫责", "任底线"),
    ("18公司治", "理20内容", "治理24用", "户服务"),
    ("18合规管", "理与制度"),
    ("62汇聚美", "好共享社", "会价值"),
    ("64推动高", "社会价值内", "容建设"),
    ("64在抖音", "听名校公开", "课65上线", "知识直播", "67引进科", "普内容"),
)


def _tight_cell(page: pymupdf.Page, col: int, top: float, lines: tuple[str, ...]) -> float:
    for k, s in enumerate(lines):
        text(page, _TIGHT_XS[col], top + _TIGHT_PITCH * k, s, 10.5)
    return top + _TIGHT_PITCH * (len(lines) - 1)


def test_a_tight_contents_table_with_a_column_left_empty_takes_the_next_pages_columns(
    tmp_path: Path,
) -> None:
    """A borderless contents table of narrow columns leaves its third column empty on the
    first page (one wide gap, one edge amid it, within a narrow column's width of both finer
    edges); the next page's one tall row fills all six: both parts are read in six columns."""

    def first(page: pymupdf.Page) -> None:
        top = 100.0
        for row in _CONTENTS_FIRST:
            bottom = max(_tight_cell(page, c, top, lines) for c, lines in enumerate(row) if lines)
            top = bottom + _TIGHT_PITCH + 2.4

    def second(page: pymupdf.Page) -> None:
        for c, lines in enumerate(_CONTENTS_SECOND):
            _tight_cell(page, c, 80.0, lines)

    pdf = make_pdf(tmp_path / "contents.pdf", [first, second])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    (table,) = stitch_tables([t for p in pages for t in detect_tables(p)], pages)
    assert table.pages == [1, 2] and (table.n_rows, table.n_cols) == (3, 6)
    assert [c.text for c in table.cells if c.col == 2] == ["", "", "18合规管理与制度"]
    assert [c.text for c in table.cells if c.col == 3][:2] == ["50坚持科技创新创造更多可能", ""]
