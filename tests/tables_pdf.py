"""Helpers for the table tests: draw a tiny PDF with PyMuPDF and read it back as ``PageContent``.

``page_content`` is the layout stage itself (``csrextract.layout.read_page_content``), so the
table tests exercise real PDFs through the same code as the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pymupdf

from csrextract.layout import read_page_content
from csrextract.models import BBox, PageContent

A4 = (595.0, 842.0)
CJK_FONT = pymupdf.Font("cjk")


def make_pdf(path: Path, pages: Iterable[Callable[[pymupdf.Page], None]]) -> Path:
    doc = pymupdf.open()
    for draw in pages:
        page = doc.new_page(width=A4[0], height=A4[1])
        page.insert_font(fontname="cjk", fontbuffer=CJK_FONT.buffer)
        draw(page)
    doc.save(path)
    doc.close()
    return path


def text(page: pymupdf.Page, x: float, y: float, s: str, size: float = 9.0) -> float:
    """Write ``s`` with its baseline at ``y``; returns the text width."""
    page.insert_text((x, y), s, fontname="cjk", fontsize=size)
    return CJK_FONT.text_length(s, fontsize=size)


PICTURED_ROWS = ("指标名称　2021年　2020年", "温室气体排放总量　12.5万吨", "员工培训覆盖率　98.6%")


def pictured_text(
    dpi: float = 150.0,
    rows: Iterable[str] = PICTURED_ROWS,
    *,
    background: tuple[float, float, float] | None = None,
    colour: tuple[float, float, float] = (0, 0, 0),
) -> pymupdf.Pixmap:
    """Rows of 9 pt Chinese text (a small table) rendered greyscale at ``dpi``: a picture of
    text, with no text layer once pasted into a page."""
    rows = list(rows)
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=26 + 28 * len(rows))
    page.insert_font(fontname="cjk", fontbuffer=CJK_FONT.buffer)
    if background is not None:
        page.draw_rect(page.rect, color=None, fill=background)
    for i, row in enumerate(rows):
        page.insert_text((12, 30 + 28 * i), row, fontname="cjk", fontsize=9, color=colour)
    return page.get_pixmap(dpi=round(dpi), colorspace=pymupdf.csGRAY)


def centred(page: pymupdf.Page, x0: float, x1: float, y: float, s: str, size: float = 9.0) -> None:
    w = CJK_FONT.text_length(s, fontsize=size)
    text(page, (x0 + x1 - w) / 2, y, s, size)


def hline(page: pymupdf.Page, x0: float, x1: float, y: float, width: float = 0.8) -> None:
    page.draw_line((x0, y), (x1, y), color=(0, 0, 0), width=width)


def vline(page: pymupdf.Page, x: float, y0: float, y1: float, width: float = 0.8) -> None:
    page.draw_line((x, y0), (x, y1), color=(0, 0, 0), width=width)


def band(page: pymupdf.Page, box: BBox, rgb: tuple[float, float, float]) -> None:
    page.draw_rect(pymupdf.Rect(*box), color=None, fill=rgb, width=0)


def ruled_two_columns(
    page: pymupdf.Page,
    rows: Iterable[tuple[str, str]],
    top: float,
    xs: tuple[float, float, float],
    header_fill: tuple[float, float, float] | None = None,
) -> None:
    """A two-column table ruled around every cell, rows 22 pt apart; ``header_fill`` shades
    its first row (the header cue)."""
    rows = list(rows)
    ys = [top + 22 * i for i in range(len(rows) + 1)]
    if header_fill is not None:
        band(page, (xs[0], ys[0], xs[-1], ys[1]), header_fill)
    for y in ys:
        hline(page, xs[0], xs[-1], y)
    for x in xs:
        vline(page, x, ys[0], ys[-1])
    for y, (a, b) in zip(ys, rows, strict=False):
        text(page, xs[0] + 4, y + 15, a)
        text(page, xs[1] + 4, y + 15, b)


def page_content(path: Path, number: int = 1) -> PageContent:
    """The page as the pipeline reads it (``csrextract.layout``)."""
    return read_page_content(path, number)
