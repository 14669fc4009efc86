"""Views of one recovered table on a tiny hand-made grid: pandas, HTML spans, Markdown."""

from __future__ import annotations

import pandas as pd

from csrextract import render
from csrextract.models import Cell, Method, Table, TableStyle


def _table() -> Table:
    """指标 spans two header rows; 数据 spans the two year columns; one OCR cell is unsure."""
    cells = [
        Cell(0, 0, "指标", row_span=2, is_header=True),
        Cell(0, 1, "数据", col_span=2, is_header=True),
        Cell(1, 1, "2020", is_header=True),
        Cell(1, 2, "2021", is_header=True),
        Cell(2, 0, "PUE"),
        Cell(2, 1, "1.14"),
        Cell(2, 2, "1.16", method=Method.OCR, confidence=0.62),
        Cell(3, 0, "A|B", items=["一", "二"]),
        Cell(3, 1, "-", col_span=2),
    ]
    return Table("t01", cells, 4, 3, [1], (0, 0, 100, 100), TableStyle.RULED, title="数据中心")


def test_to_pandas_uses_header_rows_as_labels_and_repeats_merged_text() -> None:
    frame = _table().to_pandas()
    assert list(frame.columns) == [("指标", "指标"), ("数据", "2020"), ("数据", "2021")]
    assert isinstance(frame.columns, pd.MultiIndex)
    assert frame.values.tolist() == [["PUE", "1.14", "1.16"], ["A|B", "-", "-"]]


def test_to_html_has_real_spans_and_marks_unsure_cells() -> None:
    html = render.to_html(_table(), low_confidence=0.9)
    assert html.count("<th ") == 4 and html.count("<td ") == 5
    assert 'rowspan="2"' in html and html.count('colspan="2"') == 2
    assert html.index("</thead>") < html.index("<tbody>")
    unsure = [part for part in html.split("<td ") if 'class="low-confidence"' in part]
    assert len(unsure) == 1 and "1.16" in unsure[0]
    assert "<ul><li>一</li><li>二</li></ul>" in html and "<caption>数据中心</caption>" in html
    assert "low-confidence" not in _table().to_html()  # only when asked


def test_to_markdown_escapes_pipes_and_joins_header_rows() -> None:
    lines = render.to_markdown(_table()).splitlines()
    assert lines[0] == "| 指标 | 数据 / 2020 | 数据 / 2021 |"
    assert lines[3] == "| A\\|B | - | - |"
