"""Pure text-grid steps on tiny inputs: runs the text layer joined across a column gap, column
edges in gaps that a few runs cross."""

from __future__ import annotations

from csrextract.models import TextLine
from csrextract.tables.text_grid import (
    band_gap,
    column_edges,
    column_measures,
    floating_paragraphs,
    spans_from_text,
    split_at_edges,
)

FS = 10.0


def _run(text: str, x0: float, y: float, gaps: dict[int, float] | None = None) -> TextLine:
    """A run of ``text`` from ``x0``, one em per character; ``gaps`` adds blank before an
    index (points)."""
    boxes = []
    x = x0
    for i, _ in enumerate(text):
        x += (gaps or {}).get(i, 0.0)
        boxes.append((x, y, x + FS, y + FS))
        x += FS
    return TextLine(text, (x0, y, x, y + FS), font_size=FS, char_boxes=tuple(boxes))


def test_a_run_joined_without_a_space_is_cut_at_a_column_wide_blank() -> None:
    joined = _run("让好事发生GRI203-1", 100, 50, {5: 8.0})  # 8 pt blank, no space character
    left, right = split_at_edges([joined], [90.0, 154.0, 300.0], FS, 0.6 * FS)
    assert (left.text, right.text) == ("让好事发生", "GRI203-1")
    assert left.bbox[2] == 150.0 and right.bbox[0] == 158.0


def test_a_narrow_blank_inside_a_word_is_no_cut() -> None:
    run = _run("让好事发生GRI203-1", 100, 50, {5: 2.0})  # kerning, not a column gap
    assert split_at_edges([run], [90.0, 151.0, 300.0], FS, 0.6 * FS) == [run]


def test_an_edge_in_a_gap_crossed_everywhere_cuts_the_fewest_runs() -> None:
    """Labels of the first column reach close to the second column's text on some rows (a
    spanning label nearly to it): the gap is crossed by a few runs everywhere, and the edge
    goes where it cuts the fewest, just left of the second column, not in the gap's middle."""
    lines = [
        _run("关于北京字节跳动", 42, 10),  # to 122: spans both columns, no blank left
        _run("责任管理", 40, 30),  # to 80
        _run("筑牢根基守卫责", 40, 50),  # to 110
        _run("公司治理", 122.5, 50),
        *(_run("内容治理", 122.5, 70 + 20 * k) for k in range(16)),
    ]
    for ln in list(lines):
        lines.append(_run("P18", 220, ln.bbox[1]))
    xs = column_edges(lines, 40, 260, FS, allowed_crossings=2)
    assert 110 <= xs[1] <= 122.5


def _at(text: str, x0: float, top: float, bottom: float) -> TextLine:
    return TextLine(text, (x0, top, x0 + FS * len(text), bottom), font_size=FS)


def test_a_cell_end_and_the_next_rows_list_item_are_not_one_floating_label() -> None:
    """A wrapped cell's last line and the next row's bullet item, each on (or near) a row's
    baseline and closer together than the rows: two rows' text, not one label to merge."""
    xs = [50.0, 170.0, 330.0, 500.0]
    lines = [
        _at("内容治理", 175, 155.1, 166.9),
        _at("抖音直播与读屏软件初步", 335, 149.8, 161.6),
        _at("完成适配", 335, 160.9, 172.6),
        _at("• GRI 401-2", 335, 174.9, 187.9),
        _at("增进员工福祉", 175, 181.0, 192.8),
        _at("• GRI 404-2", 335, 186.0, 199.0),
    ]
    placed = floating_paragraphs(lines, xs)
    assert sorted(ln.text for ln in placed) == sorted(ln.text for ln in lines)


def test_a_wrapped_label_between_rows_of_an_empty_column_is_one_box() -> None:
    xs = [50.0, 130.0, 300.0, 400.0]
    lines = [
        _at("公司治理", 140, 158, 165),
        _at("内容治理", 140, 182, 190),
        _at("筑牢根基守卫责", 64, 190, 197),
        _at("任底线", 64, 199, 207),
        _at("用户服务", 140, 207, 214),
        _at("隐私保护", 140, 231, 238),
    ]
    placed = floating_paragraphs(lines, xs)
    label = next(ln for ln in placed if ln.text.startswith("筑牢"))
    assert label.bbox[1] == 190 and label.bbox[3] == 207


def _label_and_items(label_top: float, wrapped: bool = False) -> tuple[list[TextLine], list[float]]:
    """A two-column table: ``中心`` beside one item, then ``主线`` beside three items (rows 12
    pt apart, text 10 pt high). ``wrapped``: the first item runs on into the next row's line."""
    xs = [50.0, 100.0, 400.0]
    first = (
        "依托积累的优势向芯片等技术链上游延伸力争做到技术链条最大"
        if wrapped
        else "依托积累的优势。"
    )
    lines = [
        _at("中心", 55, 10, 20),
        _at("围绕核心人工智能技术", 105, 10, 20),
        _at("主线", 55, label_top, label_top + 10),
        _at(first, 105, 32, 42),
        _at("程度自主可控。" if wrapped else "继续探寻人工智能。", 105, 54, 64),
        _at("开展交叉领域的研究。", 105, 76, 86),
        _at("继续夯实现有优势。", 105, 98, 108),
    ]
    return lines, xs


def test_a_top_aligned_label_spans_the_description_rows_below_it() -> None:
    lines, xs = _label_and_items(32)
    spans = spans_from_text(lines, xs, [5.0, 26.0, 48.0, 70.0, 92.0, 112.0], FS)
    assert (1, 0, 4, 1) in spans


def test_a_label_beside_a_description_wrapped_into_the_next_row_spans_nothing() -> None:
    """The first description fills its column and ends no sentence: its rest sits in the next
    row (rows cut wrongly), so the label above is no group label over it."""
    lines, xs = _label_and_items(32, wrapped=True)
    spans = spans_from_text(lines, xs, [5.0, 26.0, 48.0, 70.0, 92.0, 112.0], FS)
    assert (1, 0, 1, 1) in spans


def test_a_stub_label_centred_beside_its_rows_text_spans_them() -> None:
    """``主线`` centred beside the four items; the rows' top edge sits a padding above the text
    (a fill's edge), so the rows' edges are off centre but their text is not."""
    lines, xs = _label_and_items(64)
    spans = spans_from_text(lines, xs, [5.0, 24.0, 48.0, 70.0, 92.0, 108.0], FS)
    assert (1, 0, 4, 1) in spans


def test_the_gap_under_a_line_is_measured_in_the_columns_both_bands_share() -> None:
    """A label set off its row's baseline joins the band of a wrapped line it half shares:
    the gap over that band is the one in the column the two lines have in common."""
    xs = [50.0, 100.0, 400.0]
    upper = [_at("继续探寻人工智能", 105, 30, 40)]
    lower = [_at("主线", 55, 40, 50), _at("应用在智能硬件", 105, 43, 53)]
    assert band_gap(upper, lower, xs) == 3.0
    assert band_gap(lower, [_at("开展交叉领域", 105, 60, 70)], xs) == 7.0


def test_a_tall_cell_set_at_its_rows_top_spans_no_empty_rows_above() -> None:
    """Three rows, the third column empty in the first two: the tall cell of the third row
    starts where its row's other cells start, so it is not centred over the rows above."""
    xs = [50.0, 150.0, 250.0, 350.0]
    lines = [
        _at("04关于", 55, 10, 20),
        _at("05公司", 155, 10, 20),
        _at("06责任", 55, 30, 40),
        _at("07责任", 155, 30, 40),
        _at("16筑牢", 55, 50, 60),
        _at("18公司", 155, 50, 60),
        *(_at(f"18合规{k}", 255, 50 + 11 * k, 60 + 11 * k) for k in range(9)),
    ]
    spans = spans_from_text(lines, xs, [5.0, 25.0, 45.0, 200.0], FS)  # centred on all three
    assert (2, 2, 1, 1) in spans


def test_a_roomy_column_of_wrapped_cells_shows_its_measure() -> None:
    """Lines filling a column's measure one under another (a wrapped contents cell), the
    last shorter: the column wraps there though the next column starts far to the right."""
    xs = [50.0, 160.0, 400.0]
    wrapped = [
        _at(s, 55, 10 + 11 * k, 20 + 11 * k)
        for k, s in enumerate(["18合规管理", "理与制度19", "合规培训与", "警示"])
    ]
    far = [_at("P18", 300, 10, 20)]
    assert column_measures(wrapped + far, xs, FS) == {0: 115.0}


def test_one_line_items_as_long_as_one_another_show_no_measure() -> None:
    xs = [50.0, 160.0, 400.0]
    items = [
        _at(s, 55, 10 + 11 * k, 20 + 11 * k)
        for k, s in enumerate(["体验提升", "隐私保护", "内容规范"])
    ]
    assert column_measures([*items, _at("P18", 300, 10, 20)], xs, FS) == {}
