"""Helpers for the table tests: draw a tiny PDF with PyMuPDF and read it back as ``PageContent``.

``page_content`` uses the core stage ``csrextract.layout.read_page_content`` when it exists and
otherwise a minimal converter (text runs split at wide gaps, lines → ``Rule``, filled rects →
``Fill``), so the table tests exercise real PDFs either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pymupdf

from csrextract.models import BBox, Fill, PageContent, Rule, TextLine

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


def centred(page: pymupdf.Page, x0: float, x1: float, y: float, s: str, size: float = 9.0) -> None:
    w = CJK_FONT.text_length(s, fontsize=size)
    text(page, (x0 + x1 - w) / 2, y, s, size)


def hline(page: pymupdf.Page, x0: float, x1: float, y: float, width: float = 0.8) -> None:
    page.draw_line((x0, y), (x1, y), color=(0, 0, 0), width=width)


def vline(page: pymupdf.Page, x: float, y0: float, y1: float, width: float = 0.8) -> None:
    page.draw_line((x, y0), (x, y1), color=(0, 0, 0), width=width)


def band(page: pymupdf.Page, box: BBox, rgb: tuple[float, float, float]) -> None:
    page.draw_rect(pymupdf.Rect(*box), color=None, fill=rgb, width=0)


def page_content(path: Path, number: int = 1) -> PageContent:
    try:
        from csrextract.layout import read_page_content
    except ImportError:
        return _convert(path, number)
    return read_page_content(path, number)


def _convert(path: Path, number: int) -> PageContent:
    with pymupdf.open(path) as doc:
        page = doc[number - 1]
        lines = _text_lines(page)
        rules, fills = _graphics(page)
        return PageContent(
            number, page.rect.width, page.rect.height, lines=lines, rules=rules, fills=fills
        )


def _text_lines(page: pymupdf.Page) -> list[TextLine]:
    out: list[TextLine] = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            chars = [(c, span["size"]) for span in line["spans"] for c in span["chars"]]
            run: list[tuple[dict, float]] = []
            for ch in chars:
                if run and ch[0]["bbox"][0] - run[-1][0]["bbox"][2] > ch[1]:
                    out.append(_line(run))
                    run = []
                run.append(ch)
            if run:
                out.append(_line(run))
    return [ln for ln in out if ln.text.strip()]


def _line(run: list[tuple[dict, float]]) -> TextLine:
    boxes = tuple(tuple(c["bbox"]) for c, _ in run)
    bbox = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    return TextLine("".join(c["c"] for c, _ in run), bbox, font_size=run[0][1], char_boxes=boxes)


def _graphics(page: pymupdf.Page) -> tuple[list[Rule], list[Fill]]:
    rules: list[Rule] = []
    fills: list[Fill] = []
    for path in page.get_drawings():
        for item in path["items"]:
            if item[0] == "l":
                p, q = item[1], item[2]
                rules.append(Rule(p.x, p.y, q.x, q.y, path.get("width") or 1.0))
            elif item[0] == "re" and path.get("fill") is not None:
                r = item[1]
                rgb = path["fill"]
                gray = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
                fills.append(Fill((r.x0, r.y0, r.x1, r.y1), gray))
    return rules, fills
