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
