"""Pure text-grid steps on tiny inputs: runs the text layer joined across a column gap, column
edges in gaps that a few runs cross."""

from __future__ import annotations

from csrextract.models import TextLine
from csrextract.tables.text_grid import (
    band_gap,
    column_edges,
    column_measures,
    floating_paragraphs,
    line_bands,
    spanning_labels,
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


def test_labels_of_merged_cells_centred_over_a_gap_do_not_hide_it() -> None:
    """Chapter and section columns, with a few labels merged over both and centred on the gap
    between them: the gap is still a column edge. A sparse column of centred entries is not
    split at its axis."""

    def ln(s: str, x0: float, x1: float, y: float) -> TextLine:
        return TextLine(s, (x0, y, x1, y + 8), font_size=8.0)

    rows = [
        ln("关于北京字节跳动", 120, 178, 0),  # merged over chapter and section, centred ~149
        ln("P04", 300, 312, 0),
        ln("责任管理", 135, 163, 12),
        ln("P06", 300, 312, 12),
        ln("筑牢根基, 守卫责任底线", 64, 137, 24),
        ln("公司治理", 187, 215, 24),
        ln("P18", 300, 312, 24),
        *(
            item
            for k, name in enumerate(["内容治理", "用户服务", "员工福祉", "绿色家园"])
            for item in (ln(name, 187, 215, 36 + 12 * k), ln("P2", 300, 312, 36 + 12 * k))
        ),
        ln("信息安全与隐私保护", 170, 233, 84),
        ln("P28", 300, 312, 84),
    ]
    edges = column_edges(rows, 48, 330, 8.0, 0, None, spanning_labels=True)
    assert len(edges) == 4
    assert 137 < edges[1] < 187
    assert len(column_edges(rows, 48, 330, 8.0, 0, None)) == 3  # without: hidden


def test_a_wrapped_label_on_the_next_rows_baseline_spans_rows_and_row_labels_do_not() -> None:
    """A chapter label set at the top of its rows wraps onto the next row's baseline: its lines
    are set aside when rows are grouped. Labels of rows set close (each on its row's baseline)
    are not."""
    from csrextract.tables.text_grid import group_rows, line_bands

    def ln(s: str, x0: float, x1: float, y: float) -> TextLine:
        return TextLine(s, (x0, y, x1, y + 10), font_size=8.0)

    xs = [56.0, 133.0, 255.0, 463.0, 539.0]
    lines = [
        ln("携手伙伴, 建设美好", 60, 129, 212.2),
        ln("增进员工福祉", 170, 218, 213.5),
        ln("GRI 401-2", 300, 418, 212.2),
        ln("P34", 494, 508, 212.2),
        ln("家园", 86, 102, 223.0),
        ln("共建绿色家园", 170, 218, 226.6),
        ln("GRI 302-4", 300, 418, 225.5),
        ln("P38", 494, 508, 225.5),
    ]
    assert [x.text for x in spanning_labels(line_bands(lines), xs, 8.0)] == [
        "携手伙伴, 建设美好",
        "家园",
    ]
    assert len(group_rows(line_bands(lines), xs, 8.0)) == 2
    rows = [
        ln("SDG 16: 和平、正义", 60, 129, 243.2),
        ln("优化治理", 170, 250, 243.2),
        ln("大机构", 60, 90, 254.0),
        ln("体系和制度", 170, 250, 254.0),
    ]
    assert spanning_labels(line_bands(rows), xs, 8.0) == []


def test_a_header_label_centred_over_left_aligned_body_text_makes_no_column() -> None:
    """``报告位置`` centred over ``P04``-style page numbers set at the column's left edge lies
    in whitespace right of them: it heads their column, it is no column of its own."""
    from csrextract.tables.text_grid import merge_header_only_columns

    def ln(s: str, x0: float, x1: float, y: float) -> TextLine:
        return TextLine(s, (x0, y, x1, y + 10), font_size=10.0)

    lines = [ln("披露项", 420, 480, 0), ln("报告位置", 672, 716, 0)]
    for k in range(4):
        lines += [ln("GRI 2-1, GRI 2-6", 425, 580, 20 + 15 * k), ln("P04", 607, 626, 20 + 15 * k)]
    assert merge_header_only_columns([400.0, 596.5, 649.5, 786.0], lines) == [400.0, 596.5, 786.0]


def test_a_label_centred_beside_a_wrapped_cell_joins_its_row() -> None:
    """``关于本报告`` centred beside three lines of codes sits on the second line's baseline: its
    band goes on with the row (the codes start flush under their first line, at leading)."""
    from csrextract.tables.text_grid import group_rows, line_bands

    def ln(s: str, x0: float, x1: float, y: float) -> TextLine:
        return TextLine(s, (x0, y, x1, y + 11), font_size=11.0)

    xs = [56.0, 203.0, 397.5, 596.5, 786.0]
    lines = [
        ln("GRI 102-45, GRI 102-46, GRI", 425, 563, 294.0),
        ln("P109", 607, 632, 294.0),
        ln("关于本报告", 60, 115, 309.4),
        ln("102-50, GRI 102-51, GRI 102-52,", 425, 582, 309.4),
        ln("GRI 102-53", 425, 480, 324.8),
    ]
    assert len(group_rows(line_bands(lines), xs, 11.0)) == 1


def test_a_label_line_squeezed_between_two_rows_spans_them() -> None:
    """A chapter label centred over rows wraps so that a line sits in the narrow gap between
    two rows: it is set aside, the rows stay apart. A label's last line below its row, far
    from the next one, is its own row's."""

    def ln(s: str, x0: float, x1: float, y: float) -> TextLine:
        return TextLine(s, (x0, y, x1, y + 7.5), font_size=7.5)

    xs = [40.0, 92.0, 165.0, 330.0, 380.0]
    rows = [
        ln("共建绿色家园", 96, 141, 288.3),
        ln("GRI 302-4", 173, 318, 288.3),
        ln("携手伙伴, 建", 45, 86, 298.0),
        ln("GRI 304-3", 173, 243, 298.8),
        ln("设美好家园", 45, 82, 308.5),
        ln("优化商业环境", 96, 141, 318.3),
        ln("GRI 102-9", 173, 280, 318.3),
    ]
    assert [x.text for x in spanning_labels(line_bands(rows), xs, 7.5)] == [
        "携手伙伴, 建",
        "设美好家园",
    ]
    own = [
        ln("信息安全与隐私", 45, 88, 238.8),
        ln("GRI 416-1", 173, 280, 238.8),
        ln("保护", 45, 60, 249.3),
        ln("增进员工福祉", 45, 88, 268.8),
        ln("GRI 401-2", 173, 280, 268.8),
    ]
    assert spanning_labels(line_bands(own), xs, 7.5) == []


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


def test_an_item_centred_in_its_own_cell_spans_no_empty_cell_beside_it() -> None:
    """Items centred in the second column under a label of the first: the empty first cell
    beside an item is the label's, not room the item spans (it is centred on its own cell,
    not on both)."""
    xs = [36.0, 74.0, 297.0]
    ys = [117.0, 132.0, 161.0, 188.0]
    lines = [
        _at("中心", 47, 119.5, 130.0),
        _at("围绕核心人工智能技术", 136, 119.5, 130.0),
        _at("主线", 47, 136.1, 146.6),
        _at("依托积累的优势延伸", 140, 136.1, 146.6),
        _at("继续探寻人工智能", 145, 165.0, 175.0),
    ]
    spans = spans_from_text(lines, xs, ys, FS)
    assert (2, 1, 1, 1) in spans
    assert not any(r == 2 and cs > 1 for r, _c, _rs, cs in spans)


def test_a_label_wrapped_beside_a_wrapped_list_item_stays_in_its_row() -> None:
    """``SDG 12: 负责任消费`` wraps onto ``和生产`` on the line where the first item, set
    flush with its marker, wraps too: one row, not a new one under the label's first line."""
    from csrextract.tables.text_grid import group_rows, line_bands

    def ln(s: str, x0: float, x1: float, y: float) -> TextLine:
        return TextLine(s, (x0, y, x1, y + 14), font_size=10.5)

    xs = [56.0, 172.3, 288.6]
    lines = [
        ln("SDG 12: 负责任消费", 64, 157, 485.5),
        ln("○ 保障用户信息安全", 180, 274, 485.5),
        ln("和生产", 64, 95, 500.4),
        ln("与隐私保护。", 180, 243, 500.4),
        ln("○ 持续开展平台内容", 180, 274, 513.5),
        ln("治理,营造健康的网络空间。", 180, 278, 528.2),
    ]
    assert len(group_rows(line_bands(lines), xs, 10.5)) == 1


def test_a_column_measure_ignores_a_run_starting_inside_the_column() -> None:
    """A column that whitespace could not part from its neighbour (empty but for one entry set
    close to it): that entry's run starts well inside the column and sets no measure there."""
    xs = [50.0, 170.0, 230.0]
    wrapped = [
        _at(s, 55, 10 + 11 * k, 20 + 11 * k)
        for k, s in enumerate(["倡导绿色生", "活负责任采", "购"])
    ]
    intruder = _at("109附录", 110, 60, 70)  # starts 55 pt right of the column's lines
    assert column_measures([*wrapped, intruder, _at("P18", 180, 10, 20)], xs, FS)[0] == 105.0


def test_cells_starting_together_after_a_blank_open_a_row() -> None:
    """Rows set at the pitch of their lines: under the tallest cell of a row, two cells start
    on one baseline in columns whose text ended lines above — the next row, not wrapped text.
    One line there alone may be a cell's second paragraph and stays."""
    from csrextract.tables.text_grid import group_rows, line_bands

    xs = [50.0, 110.0, 170.0, 230.0, 290.0, 350.0]
    first = [_at("伙伴", 55, 10, 20), _at("员工", 115, 10, 20), _at("传统", 295, 10, 20)]
    tall = [_at(f"字节跳动{k}", 295, 21 + 11 * k, 31 + 11 * k) for k in range(4)]
    next_row = [_at("附录", 55, 65, 75), _at("报告", 115, 65, 75)]
    rows = group_rows(line_bands([*first, *tall, *next_row]), xs, FS)
    assert [sum(len(b) for b in r) for r in rows] == [7, 2]
    alone = group_rows(line_bands([*first, *tall, next_row[0]]), xs, FS)
    assert len(alone) == 1


def test_a_column_set_close_to_its_neighbour_is_found_at_a_gap_of_the_cells_padding() -> None:
    """CJK cells filled to their measure leave only the padding (4 pt of 10 pt type) between
    columns: the columns' runs all start flush on each row, so the gap parts them."""
    lines = [
        TextLine(s, (x, y, x + 52.5, y + 10), font_size=10.0)
        for y in (10.0, 25.0, 40.0)
        for x, s in ((42.7, "推动技术创"), (99.3, "新方向五三"), (155.9, "优化科研环"))
    ]
    xs = column_edges(lines, 42.7, 208.4, 10.0)
    assert len(xs) == 4 and 95.2 < xs[1] < 99.3 and 151.8 < xs[2] < 155.9
