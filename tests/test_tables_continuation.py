"""One or two rows of a borderless table carried onto the next page join the table."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from tables_pdf import hline, make_pdf, page_content, text

from csrextract.models import TextLine
from csrextract.tables import detect_tables, stitch_tables
from csrextract.tables.continuation import fitting_bands, row_starts

ROWS = [
    ("SDG 1: 无贫穷", ["培育乡村人才，拓展就业创业渠道。", "为乡村人口提供更多工作机会。"]),
    ("SDG 2: 零饥饿", ["为受灾害影响和贫困的群体提供帮扶。", "优化乡村农产品营销路径。"]),
    ("SDG 3: 良好健康与福祉", ["关注青少年的健康成长。", "利用人工智能助力生物医学研究。"]),
    ("SDG 4: 优质教育", ["在各平台推动知识普惠、科普教育。", "开展青少年教育项目。"]),
]
CARRIED = [("SDG 5: 性别平等", ["坚持男女平等，创造和谐的工作环境。", "支持和发起女性公益项目。"])]


def _rows(page: pymupdf.Page, top: float, rows: list[tuple[str, list[str]]]) -> float:
    """Labels beside bullet lists, no graphics; returns the baseline under the last row."""
    y = top
    for label, items in rows:
        text(page, 50, y, label)
        for k, item in enumerate(items):
            text(page, 220, y + 12 * k, f"• {item}")
        y += 12 * len(items) + 14
    return y


def _furniture(page: pymupdf.Page, number: int) -> None:
    text(page, 50, 30, "北京字节跳动 2021 企业社会责任报告", 8)
    text(page, 280, 820, f"第 {number} 页", 8)


def _first(page: pymupdf.Page) -> None:
    _furniture(page, 6)
    _rows(page, 700, ROWS)


def _carried(page: pymupdf.Page) -> None:
    _furniture(page, 7)
    _rows(page, 60, CARRIED)


def _carried_then_text(page: pymupdf.Page) -> None:
    _carried(page)
    text(page, 50, 160, "公司持续完善可持续发展治理体系，定期披露进展。", 12)


def _rows_split_by_a_rule(page: pymupdf.Page) -> None:
    """Two lines in the table's columns with a rule between them: the drawing structures them
    (a ruled header no strategy kept), they are not borderless rows carried over."""
    _furniture(page, 7)
    text(page, 50, 62, "指标名称")
    text(page, 220, 62, "相关说明")
    hline(page, 45, 550, 68)
    text(page, 50, 80, "员工总数")
    text(page, 220, 80, "截至年末在职员工。")


def _read(tmp_path: Path, second) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    pdf = make_pdf(tmp_path / "carried.pdf", [_first, second])
    pages = [page_content(pdf, 1), page_content(pdf, 2)]
    return [t for p in pages for t in detect_tables(p)], pages


def test_one_row_carried_onto_the_next_page_joins_the_table(tmp_path: Path) -> None:
    found, pages = _read(tmp_path, _carried)
    assert [t.pages for t in found] == [[1]]  # too little on page 2 for any strategy
    [table] = stitch_tables(found, pages)
    assert table.pages == [1, 2]
    assert table.n_rows == 5
    last = [c for c in table.cells if c.row == 4]
    assert [c.text.split("\n")[0] for c in last] == [
        "SDG 5: 性别平等",
        "坚持男女平等，创造和谐的工作环境。",
    ]
    assert table.report is not None and table.report.stitched == (
        "same columns at the top of page 2",
    )


def test_a_carried_row_followed_by_a_paragraph_still_joins(tmp_path: Path) -> None:
    found, pages = _read(tmp_path, _carried_then_text)
    [table] = stitch_tables(found, pages)
    assert table.n_rows == 5
    assert "治理体系" not in "".join(c.text for c in table.cells)


def test_lines_with_a_rule_between_them_are_not_carried_rows(tmp_path: Path) -> None:
    found, pages = _read(tmp_path, _rows_split_by_a_rule)
    assert [t.pages for t in found] == [[1]]
    stitched = stitch_tables(found, pages)
    first = next(t for t in stitched if t.pages[0] == 1)
    assert first.pages == [1] and first.n_rows == 4


def _band(y: float, *runs: tuple[float, str], size: float = 9.0) -> list[TextLine]:
    return [TextLine(s, (x, y, x + size * len(s), y + size), font_size=size) for x, s in runs]


def test_a_label_over_the_carried_rows_is_passed_over() -> None:
    """A continuation label set smaller above the rows does not fit the columns: the rows
    start under it (whether it may stand there is the stitcher's call)."""
    xs = [50.0, 200.0, 400.0]
    lines = [
        *_band(60, (45, "Contents（续）"), size=7.0),
        *_band(80, (50, "SDG 5"), (210, "坚持男女平等")),
        *_band(92, (210, "支持女性公益")),
    ]
    bands = fitting_bands(lines, xs, 9.0)
    assert [ln.text for band in bands for ln in band] == ["SDG 5", "坚持男女平等", "支持女性公益"]


def test_a_row_with_its_first_cells_empty_starts_after_a_rows_gap() -> None:
    """Wrapped rows: a band after a row's gap starts a row even without a label, when the
    columns it has text in are not the ones of the line above (no cell's text goes on)."""
    xs = [50.0, 150.0, 250.0, 350.0, 450.0]
    bands = [
        _band(80, (50, "32 携手"), (150, "34 增进"), (250, "72 弘扬"), (350, "87 公益")),
        _band(92, (150, "福祉"), (250, "文化"), (350, "平台 91")),
        _band(104, (350, "科技助力")),
        _band(124, (150, "109 附录"), (250, "109 关于")),
        _band(136, (250, "本报告")),
    ]
    assert row_starts(bands, xs, wrapped=True) == [0, 3]


def test_a_continuation_label_that_fits_the_first_column_is_no_row() -> None:
    xs = [50.0, 200.0, 400.0]
    lines = [
        *_band(60, (52, "续表 目录")),
        *_band(80, (50, "SDG 5"), (210, "坚持男女平等")),
    ]
    bands = fitting_bands(lines, xs, 9.0)
    assert [ln.text for band in bands for ln in band] == ["SDG 5", "坚持男女平等"]


def test_rows_spaced_wider_than_leading_are_rows_in_a_table_that_wraps() -> None:
    """Baselines three ems apart are rows, even with the first column empty (a label spanning
    rows above) and in a table whose cells wrap; at leading they are one cell's lines."""
    from csrextract.models import TextLine
    from csrextract.tables.continuation import row_starts

    def band(y: float) -> list[TextLine]:
        return [
            TextLine("夯实创新基础", (240, y, 290, y + 12), font_size=9.0),
            TextLine("P52", (620, y, 636, y + 12), font_size=9.0),
        ]

    xs = [36.0, 180.0, 420.0, 613.0, 806.0]
    assert row_starts([band(60), band(87), band(114)], xs, True, fs=9.0) == [0, 1, 2]
    assert row_starts([band(60), band(72.6), band(85.2)], xs, True, fs=9.0) == [0]
