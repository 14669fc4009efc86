"""Layout stage on tiny PDFs drawn in the tests: text runs, graphics, triage, reading order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymupdf
import pytest
from real_docs import REAL
from tables_pdf import band, hline, make_pdf, pictured_text, text, vline

from csrextract.layout import read_document_content, read_page_content
from csrextract.models import PageKind

PARAGRAPH = "企业社会责任报告披露公司在环境社会和治理方面的表现与承诺"


def _picture(page: pymupdf.Page, box: tuple[float, float, float, float]) -> None:
    """Paste a plain grey picture (pixels only, no text layer)."""
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 60, 40), False)
    pix.clear_with(200)
    page.insert_image(pymupdf.Rect(*box), pixmap=pix)


def _table_picture(page: pymupdf.Page, box: tuple[float, float, float, float]) -> None:
    """Paste a table as a picture: rows of text in pixels only, no text layer."""
    page.insert_image(pymupdf.Rect(*box), pixmap=pictured_text(), keep_proportion=False)


def test_text_page_runs_split_at_wide_gaps_with_char_boxes(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        text(page, 72, 100, "指标")
        text(page, 200, 100, "2021年")
        page.insert_text((72, 130), "Bold heading", fontname="helv", fontsize=12)
        page.insert_text((72, 150), "Bold heading", fontname="hebo", fontsize=12)
        text(page, 72, 200, PARAGRAPH)

    content = read_page_content(make_pdf(tmp_path / "t.pdf", [draw]), 1)
    assert content.kind is PageKind.TEXT
    texts = [ln.text for ln in content.lines]
    assert texts[:2] == ["指标", "2021年"]
    first = content.lines[0]
    assert len(first.char_boxes) == len(first.text)
    assert first.font_size == 9.0
    assert [ln.bold for ln in content.lines if ln.text == "Bold heading"] == [False, True]


def test_rules_and_fills_from_vector_graphics(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        hline(page, 50, 300, 100)
        vline(page, 50, 100, 200)
        band(page, (50, 210, 300, 230), (0.5, 0.5, 0.5))  # a header band
        band(page, (50, 250, 300, 251), (0, 0, 0))  # a rule drawn as a thin filled rectangle
        page.draw_line((10, 10), (100, 80))  # diagonal: not a rule

    content = read_page_content(make_pdf(tmp_path / "g.pdf", [draw]), 1)
    horizontal = sorted(r.y0 for r in content.rules if r.is_horizontal)
    vertical = [r.x0 for r in content.rules if not r.is_horizontal]
    assert horizontal == [100.0, 250.5]
    assert vertical == [50.0]
    assert len(content.fills) == 1
    assert abs(content.fills[0].gray - 0.5) < 0.01
    assert content.fills[0].bbox == (50.0, 210.0, 300.0, 230.0)


def test_a_border_in_the_fill_colour_draws_no_rules(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        # the white box a picture is pasted on: outline and fill alike, no visible line
        page.draw_rect(pymupdf.Rect(50, 100, 300, 400), color=(1, 1, 1), fill=(1, 1, 1))
        # a grey box with a black outline: a frame of four rules
        page.draw_rect(pymupdf.Rect(50, 450, 300, 500), color=(0, 0, 0), fill=(0.8, 0.8, 0.8))

    content = read_page_content(make_pdf(tmp_path / "b.pdf", [draw]), 1)
    assert sorted(r.y0 for r in content.rules if r.is_horizontal) == [450.0, 500.0]
    assert sorted(r.x0 for r in content.rules if not r.is_horizontal) == [50.0, 300.0]
    assert [f.bbox[1] for f in content.fills] == [100.0, 450.0]


def test_image_only_page_is_triaged_for_ocr(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        _picture(page, (0, 0, 595, 842))

    content = read_page_content(make_pdf(tmp_path / "scan.pdf", [draw]), 1)
    assert content.kind is PageKind.IMAGE
    assert content.lines == []
    assert [im.carries_text for im in content.images] == [True]


def test_pasted_image_without_text_layer_makes_a_mixed_page(tmp_path: Path) -> None:
    def pasted(page: pymupdf.Page) -> None:
        text(page, 72, 80, PARAGRAPH)
        _table_picture(page, (72, 100, 520, 264))  # large, nothing from the text layer on it
        _picture(page, (500, 780, 540, 820))  # a small logo

    def background(page: pymupdf.Page) -> None:
        _picture(page, (0, 0, 595, 842))  # a background picture under real text
        for i in range(30):
            text(page, 72, 80 + 24 * i, PARAGRAPH, size=16)

    pages = read_document_content(make_pdf(tmp_path / "mixed.pdf", [pasted, background]))
    assert pages[0].kind is PageKind.MIXED
    assert [im.carries_text for im in pages[0].images] == [True, False]
    assert pages[1].kind is PageKind.TEXT
    assert not any(im.carries_text for im in pages[1].images)


def test_two_column_page_reads_column_by_column(tmp_path: Path) -> None:
    left = [f"左栏第{i}行的正文内容较长" for i in range(8)]
    right = [f"右栏第{i}行的正文内容较长" for i in range(8)]

    def draw(page: pymupdf.Page) -> None:
        text(page, 72, 60, "标题横跨两栏的一行文字内容很长很长很长很长很长很长很长很长很长", 12)
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            text(page, 72, 100 + 14 * i, a, 10)
            text(page, 320, 100 + 14 * i, b, 10)

    content = read_page_content(make_pdf(tmp_path / "cols.pdf", [draw]), 1)
    texts = [ln.text for ln in content.lines]
    assert texts[0].startswith("标题")
    assert texts[1:] == left + right


def test_table_like_page_keeps_row_order(tmp_path: Path) -> None:
    def draw(page: pymupdf.Page) -> None:
        for i in range(10):
            text(page, 72, 100 + 14 * i, f"项目{i}")
            text(page, 400, 100 + 14 * i, f"{i}%")

    content = read_page_content(make_pdf(tmp_path / "rows.pdf", [draw]), 1)
    assert [ln.text for ln in content.lines][:4] == ["项目0", "0%", "项目1", "1%"]


def test_fake_bold_from_stroked_glyphs(tmp_path: Path) -> None:
    """CJK fonts without a bold face are made bold by stroking the glyph outlines too."""

    def draw(page: pymupdf.Page) -> None:
        page.insert_text((72, 100), "关键岗位", fontname="cjk", fontsize=9, render_mode=2)
        text(page, 72, 130, "普通文字")

    content = read_page_content(make_pdf(tmp_path / "bold.pdf", [draw]), 1)
    assert [(ln.text, ln.bold) for ln in content.lines] == [("关键岗位", True), ("普通文字", False)]


def test_narrow_cell_gaps_split_but_a_bullet_keeps_its_item(tmp_path: Path) -> None:
    """Two cells 0.85 em apart are two runs; a bullet 1.5 em before its text stays with it."""

    def draw(page: pymupdf.Page) -> None:
        w = text(page, 72, 100, "合规经营")
        text(page, 72 + w + 0.85 * 9, 100, "廉洁建设")
        text(page, 72, 130, "•")
        text(page, 72 + 1.5 * 9, 130, "服务地方发展")

    content = read_page_content(make_pdf(tmp_path / "gaps.pdf", [draw]), 1)
    assert [ln.text for ln in content.lines] == ["合规经营", "廉洁建设", "•服务地方发展"]


def _strips_pdf(path: Path, n_strips: int, with_text: bool) -> Path:
    """A page whose picture is stored as ``n_strips`` thin images stacked edge to edge (as
    some scanners and converters write them): none is large on its own."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    top, height = 60.0, 700.0 / n_strips
    rows = [f"第{i}行　营业收入　{i * 37 % 100}.5亿元" for i in range(24)]
    picture = pictured_text(200, rows)
    pixels = np.frombuffer(picture.samples, np.uint8).reshape(picture.h, picture.w)
    step = picture.h // n_strips
    for i in range(n_strips):  # consecutive slices of one picture of text: distinct images
        strip = np.ascontiguousarray(pixels[i * step : (i + 1) * step])
        pix = pymupdf.Pixmap(pymupdf.csGRAY, picture.w, step, strip.tobytes(), False)
        box = pymupdf.Rect(40, top + i * height, 555, top + (i + 1) * height)
        page.insert_image(box, pixmap=pix, keep_proportion=False)
    if with_text:
        page.insert_text((40, 800), "Footnote text on the text layer, long enough to count.")
    doc.save(path)
    doc.close()
    return path


def test_a_page_of_image_strips_is_ocred_as_one_image(tmp_path: Path) -> None:
    page = read_page_content(_strips_pdf(tmp_path / "strips.pdf", 60, with_text=False), 1)
    assert page.kind is PageKind.IMAGE and page.needs_ocr
    merged = [im for im in page.images if im.carries_text]
    assert len(merged) == 1 and merged[0].bbox == pytest.approx(
        (40.0, 60.0, 555.0, 760.0), abs=0.01
    )


def test_strips_beside_a_text_layer_are_one_region_to_ocr(tmp_path: Path) -> None:
    page = read_page_content(_strips_pdf(tmp_path / "strips.pdf", 30, with_text=True), 1)
    assert page.kind is PageKind.MIXED
    regions = [im for im in page.images if im.carries_text]
    assert len(regions) == 1
    assert regions[0].bbox == pytest.approx((40.0, 60.0, 555.0, 760.0), abs=0.01)


def test_separate_small_images_are_not_merged(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 20, 20), False)
    for i in range(12):  # icons well apart from each other
        page.insert_image(pymupdf.Rect(40 + 45 * i, 100, 70 + 45 * i, 130), pixmap=pix)
    doc.save(tmp_path / "icons.pdf")
    assert read_page_content(tmp_path / "icons.pdf", 1).kind is PageKind.TEXT


REAL_STRIPS = REAL / "mineru_small_ocr_scan.pdf"


@pytest.mark.skipif(not REAL_STRIPS.exists(), reason="real documents not available")
def test_real_strip_scan_pages_need_ocr() -> None:
    with pymupdf.open(REAL_STRIPS) as doc:
        count = doc.page_count
    pages = [read_page_content(REAL_STRIPS, n) for n in range(1, count + 1)]
    assert all(p.kind is PageKind.IMAGE and p.needs_ocr for p in pages)


def test_a_short_picture_across_the_text_may_carry_text(tmp_path: Path) -> None:
    """A two-row table pasted as a picture spans the text column but covers little of the
    page: it is OCRed all the same (its pixels pass the triage); a thin rule-like strip or a
    small logo is not."""

    def picture(page: pymupdf.Page, box: tuple[float, float, float, float]) -> None:
        pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, box[2] - box[0], box[3] - box[1]))
        pix.clear_with(200)
        page.insert_image(pymupdf.Rect(*box), pixmap=pix)

    def draw(page: pymupdf.Page) -> None:
        text(page, 48, 80, PARAGRAPH)
        strip = pictured_text(rows=["认证名称  认证机构  有效期", "ISO 27001  BSI  2023"])
        page.insert_image(pymupdf.Rect(48, 114, 564, 166), pixmap=strip, keep_proportion=False)
        picture(page, (48, 200, 564, 206))  # a thin strip
        picture(page, (500, 780, 540, 820))  # a small logo

    content = read_page_content(make_pdf(tmp_path / "strip.pdf", [draw]), 1)
    assert content.kind is PageKind.MIXED
    assert [im.carries_text for im in content.images] == [True, False, False]
