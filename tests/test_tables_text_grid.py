"""Pure text-grid steps on tiny inputs: runs the text layer joined across a column gap, column
edges in gaps that a few runs cross."""

from __future__ import annotations

from csrextract.models import TextLine
from csrextract.tables.text_grid import column_edges, floating_paragraphs, split_at_edges

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


def _centred(text: str, x0: float, x1: float, y: float) -> TextLine:
    return _run(text, (x0 + x1) / 2 - FS * len(text) / 2, y)


def test_stacked_kpi_blocks_split_a_column_under_centred_runs() -> None:
    """Two labels over two figures, centred in wide columns; then four labels over four
    figures: the wide columns split into two sub-columns each, the centred runs span them."""
    from csrextract.tables.text_grid import build_text_grid

    lines = [
        _centred("国家级非遗项目名录", 50, 300, 100),  # reaches over the sub-columns' gap
        _centred("抖音涵盖率与覆盖范围", 300, 550, 100),
        _centred("1560个", 50, 300, 130),
        _centred("99.45%", 300, 550, 130),
        _centred("相关视频数量", 50, 175, 160),
        _centred("同比增长", 175, 300, 160),
        _centred("视频播放量", 300, 425, 160),
        _centred("同比增长", 425, 550, 160),
        _centred("超2亿", 50, 175, 190),
        _centred("152%", 175, 300, 190),
        _centred("3357亿次", 300, 425, 190),
        _centred("86%", 425, 550, 190),
    ]
    xs, ys, spans, _ = build_text_grid(lines, (50, 550), [95, 205], [True], None, FS)
    assert len(xs) == 5 and len(ys) == 5
    assert {(r, c, rs, cs) for r, c, rs, cs in spans if cs > 1} == {
        (0, 0, 1, 2),
        (0, 2, 1, 2),
        (1, 0, 1, 2),
        (1, 2, 1, 2),
    }


def test_a_narrow_gap_in_a_two_row_grid_is_a_column_when_every_run_there_starts_flush() -> None:
    """Two rows of three certificates; the middle column's longest name leaves only 0.6 em to
    the third column, whose runs all start on one x (the header row's among them)."""
    head = [
        _run("甲甲甲甲甲甲", 30, 10),
        _run("乙乙乙乙乙乙乙乙乙", 150, 10),
        _run("丙丙丙", 246, 10),
    ]
    body = [_run("丁丁丁丁", 30, 30), _run("戊戊戊戊戊戊戊戊戊", 150, 30), _run("己己", 246, 30)]
    xs = column_edges(body, 28, 300, FS, avoid=head)
    assert len(xs) == 4 and 240 < xs[2] < 246


def test_a_gap_keeps_its_width_in_whole_points() -> None:
    """Runs ending at x.4 and starting at x.7 leave the gap between them (6.3 pt here, over the
    0.6 em column gap of 9 pt type): whole-point bins must not take 2 pt off it."""
    rows = [
        (
            TextLine("甲", (30.0, y, 265.4, y + 9), font_size=9.0),
            TextLine("乙", (271.7, y, 380.0, y + 9), font_size=9.0),
        )
        for y in (10.0, 30.0)
    ]
    xs = column_edges([ln for row in rows for ln in row], 28, 390, 9.0)
    assert len(xs) == 3 and 265.4 < xs[1] < 271.7


def test_group_labels_over_their_first_column_head_the_empty_cells_after_them() -> None:
    """Two group labels, each centred over the first of its two item columns (a renderer that
    centres a spanning label in its first cell): each heads its group of two."""
    from csrextract.tables.text_grid import spans_from_text

    xs = [36.0, 171.0, 306.0, 441.0, 576.0]
    lines = [
        _centred("短视频在抖音", 36, 171, 10),
        _centred("相关作品", 306, 441, 10),
        *(
            _centred(s, a, b, 30)
            for s, a, b in zip(
                ("累计播放", "同比增长", "获点赞", "同比增长"), xs, xs[1:], strict=False
            )
        ),
        *(
            _centred(s, a, b, 50)
            for s, a, b in zip(("近333亿次", "147%", "8亿人次", "100%"), xs, xs[1:], strict=False)
        ),
    ]
    spans = spans_from_text(lines, xs, [5.0, 25.0, 45.0, 65.0], FS)
    assert (0, 0, 1, 2) in spans and (0, 2, 1, 2) in spans
