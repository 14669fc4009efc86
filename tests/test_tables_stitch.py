"""A table continued on the next page becomes one table; unrelated tables stay apart."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from tables_pdf import band, hline, make_pdf, page_content, text, vline
from test_tables_ruled import grid_of

from csrextract.tables import detect_tables, stitch_tables

XS = (50, 200, 500)


def _ruled_rows(
    page: pymupdf.Page, top: float, rows: list[tuple[str, str]], header: bool = True
) -> None:
    """A ruled two-column table; ``header`` shades its first row (the header cue)."""
    ys = [top + 22 * i for i in range(len(rows) + 1)]
    if header:
        band(page, (XS[0], ys[0], XS[-1], ys[1]), (0.85, 0.85, 0.85))
    for y in ys:
        hline(page, XS[0], XS[-1], y)
    for x in XS:
        vline(page, x, ys[0], ys[-1])
    for y, (a, b) in zip(ys, rows, strict=False):
        text(page, XS[0] + 4, y + 15, a)
        text(page, XS[1] + 4, y + 15, b)


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
