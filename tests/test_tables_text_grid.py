"""Pure text-grid steps on tiny inputs: runs the text layer joined across a column gap, column
edges in gaps that a few runs cross."""

from __future__ import annotations

from csrextract.models import TextLine
from csrextract.tables.text_grid import column_edges, split_at_edges

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
