"""Cell text and list items from the pieces of lines inside one cell (pure, no PDF)."""

from __future__ import annotations

from csrextract.models import BBox, Method, TextLine
from csrextract.tables.cells import Piece, cell_items, hard_lines


def _piece(text: str, bbox: BBox) -> Piece:
    return Piece(text, bbox, TextLine(text, bbox, Method.OCR, 0.9, 9.0))


def test_overlapping_boxes_over_the_same_columns_are_two_rows() -> None:
    """An OCR box stretched down into the next item's glyph tops still ends its own item."""
    pieces = [
        _piece("• 用户体验提升", (127.1, 100.3, 176.0, 109.3)),
        _piece("• 信息安全与隐私保护", (127.6, 109.5, 197.1, 121.3)),  # stretched
        _piece("• 内容规范性管理", (127.6, 116.6, 183.2, 125.6)),
    ]
    text, items = cell_items(pieces)
    assert items == ["用户体验提升", "信息安全与隐私保护", "内容规范性管理"]
    assert text == "\n".join(items)


def test_runs_side_by_side_on_one_baseline_join() -> None:
    pieces = [_piece("近330亿", (10.0, 10.0, 40.0, 19.0)), _piece("次", (41.0, 10.5, 50.0, 19.5))]
    assert cell_items(pieces) == ("近330亿次", [])


def test_hard_lines_join_wraps_and_keep_breaks() -> None:
    """A line reaching the cell's right edge wraps on; one ending short was broken on purpose."""
    pieces = [  # cell box right edge at 100, 9 pt type
        _piece("助力乡村振兴-深耕乡村振", (10.0, 10.0, 97.0, 19.0)),  # wraps: 3 pt left
        _piece("兴", (10.0, 21.0, 19.0, 30.0)),  # ends 81 pt short: a break after it
        _piece("社会公益-社区公益", (10.0, 32.0, 80.0, 41.0)),
    ]
    assert hard_lines(pieces, 100.0) == ["助力乡村振兴-深耕乡村振兴", "社会公益-社区公益"]
    two = [
        _piece("公司治理-强化风险管理", (10.0, 10.0, 80.0, 19.0)),  # 20 pt: room for 优
        _piece("优质服务-保护客户权益", (10.0, 21.0, 80.0, 30.0)),
    ]
    assert hard_lines(two, 100.0) == ["公司治理-强化风险管理", "优质服务-保护客户权益"]
    latin = [  # 14 pt left, but "management" (about 5.5 em) would not have fitted
        _piece("Sustainability", (10.0, 10.0, 86.0, 19.0)),
        _piece("management", (10.0, 21.0, 60.0, 30.0)),
    ]
    assert hard_lines(latin, 100.0) == ["Sustainability management"]


def test_cell_keeps_its_visual_lines_beside_the_joined_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two locations stacked in one ruled cell: ``text`` joins them (wrapping convention),
    ``lines`` keeps them apart so a reader of location cells can split them."""
    import pymupdf
    from tables_pdf import hline, make_pdf, page_content, text, vline

    from csrextract.tables import detect_tables

    def draw(page: pymupdf.Page) -> None:
        for y in (100, 122, 156):
            hline(page, 50, 400, y)
        for x in (50, 150, 400):
            vline(page, x, 100, 156)
        text(page, 54, 115, "102-10")
        text(page, 154, 115, "位置")
        text(page, 54, 142, "102-11")
        text(page, 154, 136, "绿色发展-绿色运营")
        text(page, 154, 150, "优质服务-提升客户体验")

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "loc.pdf", [draw])))
    cell = table.cell_at(1, 1)
    assert cell is not None
    assert cell.text == "绿色发展-绿色运营优质服务-提升客户体验"
    assert cell.lines == ["绿色发展-绿色运营", "优质服务-提升客户体验"]


def test_unmarked_item_as_long_as_its_cell_still_ends_at_its_full_stop(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Unmarked items in a three-line table: a cell's longest line is a whole item ending in a
    full stop short of the column's measure (set by a longer line in another row), so the line
    under it starts a new item rather than continuing that sentence."""
    import pymupdf
    from tables_pdf import hline, make_pdf, page_content, text

    from csrextract.tables import detect_tables

    def draw(page: pymupdf.Page) -> None:
        hline(page, 50, 540, 100, 1.2)
        text(page, 54, 112, "目标")
        text(page, 160, 112, "相关响应")
        hline(page, 50, 540, 118, 0.5)
        text(page, 54, 132, "目标一")
        text(page, 160, 132, "推动知识普惠与科普教育项目。")
        text(page, 160, 144, "开展教育项目。")
        text(page, 54, 162, "目标二")
        text(page, 160, 162, "为受灾害影响和贫困的群体提供帮扶,优化乡村农产品营销路径,提升收入")
        text(page, 160, 174, "和生活水平。")
        text(page, 54, 192, "目标三")
        text(page, 160, 192, "支持女性公益项目。")
        hline(page, 50, 540, 200, 1.2)

    (table,) = detect_tables(page_content(make_pdf(tmp_path / "items.pdf", [draw])))
    first = table.cell_at(1, 1)
    assert first is not None
    assert first.items == ["推动知识普惠与科普教育项目。", "开展教育项目。"]
    second = table.cell_at(2, 1)
    assert second is not None and second.items == []


def test_first_line_indent_starts_items_whose_markers_are_missing() -> None:
    """Items without markers in the text layer (the font lacks the bullet glyph, whose advance
    still indents each item's first line); every line reaches the cell's measure."""
    pieces = [
        _piece("响应碳中和目标,探索绿色", (192.1, 10.0, 287.6, 19.0)),
        _piece("低碳运营方式。", (190.4, 21.0, 250.0, 30.0)),
        _piece("开展二手循环商品活动。", (192.1, 32.0, 285.6, 41.0)),
        _piece("通过知识科普和公益项目", (192.1, 43.0, 285.6, 52.0)),
        _piece("带动公众参与应对气候变", (190.4, 54.0, 283.9, 63.0)),
        _piece("化的行动。", (190.4, 65.0, 232.9, 74.0)),
    ]
    _, items = cell_items(pieces, column_right=294.0)
    assert items == [
        "响应碳中和目标,探索绿色低碳运营方式。",
        "开展二手循环商品活动。",
        "通过知识科普和公益项目带动公众参与应对气候变化的行动。",
    ]


def test_a_centred_paragraph_is_not_split_at_its_ragged_left_edges() -> None:
    pieces = [
        _piece("通过知识科普和公益项目。", (100.0, 10.0, 200.0, 19.0)),
        _piece("带动公众参与应对气候变", (100.0, 21.0, 200.0, 30.0)),
        _piece("化的行动。", (125.0, 32.0, 175.0, 41.0)),
    ]
    assert cell_items(pieces, column_right=210.0)[1] == []


def test_two_numbered_list_cells_read_as_one_run_are_cut_at_the_second_marker() -> None:
    from csrextract.tables.cells import split_at_bullets

    joined = TextLine("1. 用户体验提升 1. 用户访谈与调研", (104.8, 10.0, 251.4, 19.0), Method.OCR)
    parts = split_at_bullets([joined])
    assert [p.text for p in parts] == ["1. 用户体验提升", "1. 用户访谈与调研"]
    assert parts[0].bbox[2] < parts[1].bbox[0]
    prose = TextLine("全年共开展 3. 5 万场活动", (10.0, 10.0, 120.0, 19.0), Method.OCR)
    assert [p.text for p in split_at_bullets([prose])] == [prose.text]


def test_an_ocr_line_read_across_a_column_gap_is_cut_before_a_numbered_item() -> None:
    from csrextract.tables.cells import split_at_bullets

    ocr = TextLine(
        "employee.csr@bytedance.com 3. 长期关注员工", (189.2, 10.0, 385.2, 19.0), Method.OCR
    )
    assert [p.text for p in split_at_bullets([ocr])] == [
        "employee.csr@bytedance.com",
        "3. 长期关注员工",
    ]
    text = TextLine("employee.csr@bytedance.com 3. 长期关注员工", (189.2, 10.0, 385.2, 19.0))
    assert len(split_at_bullets([text])) == 1  # the text layer's runs stop at a column gap


def test_a_run_overflowing_under_the_next_columns_text_stays_in_its_own_cell() -> None:
    from csrextract.tables.cells import fill_cells
    from csrextract.tables.grid import grid_from_spans

    email = TextLine("employee.csr@bytedance.com", (157.9, 10.0, 284.7, 19.0), font_size=9.5)
    beside = TextLine("4. 通过员工活动日", (280.4, 10.0, 386.2, 19.0), font_size=9.5)
    grid = grid_from_spans([150.0, 276.0, 390.0], [5.0, 25.0], [])
    cells = fill_cells(grid, [email, beside], 1)
    assert [c.text for c in cells] == ["employee.csr@bytedance.com", "通过员工活动日"]


def test_a_list_of_short_phrases_by_its_first_line_indent() -> None:
    """Phrases without sentence ends, bullets missing from the text layer: three rows at the
    first row's indent start items, the one further left is a wrap."""
    pieces = [
        _piece("员工权益保障", (193.1, 10.0, 244.1, 19.0)),
        _piece("员工培训及发展", (193.1, 21.0, 252.6, 30.0)),
        _piece("员工福利保障", (193.1, 32.0, 244.1, 41.0)),
        _piece("良好的工作环境和文化氛", (193.1, 43.0, 287.6, 52.0)),
        _piece("围", (190.4, 54.0, 198.9, 63.0)),
    ]
    assert cell_items(pieces, column_right=294.0)[1] == [
        "员工权益保障",
        "员工培训及发展",
        "员工福利保障",
        "良好的工作环境和文化氛围",
    ]


def test_one_line_items_read_by_their_columns_first_line_indent() -> None:
    """A cell of one-line items, each filling the measure, no bullets in the text layer: the
    column's other cells show items start 0.2 em right of their wrapped lines, so every line
    of this cell that follows a full stop starts an item."""
    from csrextract.tables.cells import fill_cells
    from csrextract.tables.grid import grid_from_spans

    def line(text: str, x: float, top: float) -> TextLine:  # every line fills the measure
        return TextLine(text, (x, top, 300.0, top + 9), font_size=8.5)

    lines = [
        line("数据中心使用风能、光能绿电。", 192.1, 10),
        line("并联合伙伴积极推进。", 190.4, 21),
        line("在办公点使用清洁能源穿梭车。", 192.1, 32),
        line("提供健康职场饮用水。", 192.1, 60),
        line("职场中水回收利用系统。", 192.1, 71),
        line("开展节约用水宣传活动。", 192.1, 82),
    ]
    grid = grid_from_spans([180.0, 320.0], [5.0, 50.0, 95.0], [])
    cells = fill_cells(grid, lines, 1)
    assert cells[1].items == [
        "提供健康职场饮用水。",
        "职场中水回收利用系统。",
        "开展节约用水宣传活动。",
    ]


def test_an_ocr_run_joined_across_a_gap_without_a_space_leaves_the_gap_at_the_cut() -> None:
    """``员工权益保障1. Bytetalk``: boxes shared out over the characters alone would start the
    second cell an em too far left, in the first cell's column; the cut keeps a gap."""
    from csrextract.ocr.text import char_boxes
    from csrextract.tables.cells import split_at_bullets

    text = "1. 员工权益保障1. Bytetalk 以及其他分享"
    box = (104.8, 71.7, 277.3, 83.5)
    ocr = TextLine(text, box, Method.OCR, 0.9, 9.1, char_boxes=char_boxes(text, box))
    left, right = split_at_bullets([ocr])
    assert (left.text, right.text) == ("1. 员工权益保障", "1. Bytetalk 以及其他分享")
    assert right.bbox[0] - left.bbox[2] >= 0.8 * 9.1
    assert abs(right.bbox[2] - box[2]) < 0.01 and abs(left.bbox[0] - box[0]) < 0.01
    spaced = TextLine("1. 用户体验提升 1. 用户访谈", (10.0, 10.0, 150.0, 19.0), Method.OCR)
    a, b = split_at_bullets([spaced])
    assert b.bbox[0] - a.bbox[2] < 0.8 * 9.0  # a space read there stands for the gap


def test_a_row_every_cell_spans_into_from_above_is_no_row() -> None:
    """Cells spanning two rows side by side with nothing starting in the second: no edge
    marks that row anywhere, so the grid has one row there (and no empty row left over)."""
    from csrextract.tables.grid import grid_from_spans

    grid = grid_from_spans(
        [0.0, 50.0, 100.0], [0.0, 20.0, 60.0, 100.0], [(1, 0, 2, 1), (1, 1, 2, 1)], 1
    )
    assert grid.ys == (0.0, 20.0, 100.0)
    assert [(b.row, b.col, b.row_span, b.col_span) for b in grid.boxes] == [
        (0, 0, 1, 1),
        (0, 1, 1, 1),
        (1, 0, 1, 1),
        (1, 1, 1, 1),
    ]
    assert grid.header_rows == 1
    # a row where one cell starts keeps its edge
    kept = grid_from_spans([0.0, 50.0, 100.0], [0.0, 20.0, 60.0, 100.0], [(1, 0, 2, 1)])
    assert kept.n_rows == 3


def test_lines_short_of_the_cell_box_are_items_however_far_the_column_reaches() -> None:
    """No line of the column wraps (every item shorter than the measure): two sentences of the
    same length end at the column's reach, yet far short of the cell's box: two items. A line
    ending within a character of the box is a wrap."""
    pieces = [
        _piece("通过项目引导公众参与保护活动。", (200.0, 10.0, 335.0, 19.0)),
        _piece("加入联盟预防和打击违法行为。", (200.0, 21.0, 335.0, 30.0)),
    ]
    assert cell_items(pieces, column_right=335.0)[1] == []  # the reach alone: full lines
    assert cell_items(pieces, column_right=335.0, box_right=500.0)[1] == [
        "通过项目引导公众参与保护活动。",
        "加入联盟预防和打击违法行为。",
    ]
    assert cell_items(pieces, column_right=335.0, box_right=345.0)[1] == []
