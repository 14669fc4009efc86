"""Image-region triage (``csrextract.ocr.triage``): photographs and empty graphics on text pages
are not OCRed; pictures of text (tables, diagrams, scans) still are.

Images are tiny and synthetic: a photo stand-in (smooth shading plus grain, as camera images
have), a sky-like gradient, and Chinese text drawn with the CJK font the table fixtures use,
rendered by PyMuPDF.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from real_docs import REAL
from tables_pdf import make_pdf, pictured_text, text

from csrextract.layout import read_document_content, read_page_content
from csrextract.models import PageKind
from csrextract.ocr.triage import (
    MIN_FLAT_SHARE,
    MIN_MARK_SHARE,
    TRIAGE_DPI,
    Reason,
    assess_pixels,
)

PARAGRAPH = "企业社会责任报告披露公司在环境社会和治理方面的表现与承诺"


def photo_like(h: int = 240, w: int = 360, seed: int = 0) -> np.ndarray:
    """Shading that changes everywhere plus fine grain: no flat paper anywhere."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(40, 220, (h // 12, w // 12)).astype(np.uint8)
    shading = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.int16)
    grain = rng.normal(0, 9, (h, w))
    return np.clip(shading + grain, 0, 255).astype(np.uint8)


def sky_like(h: int = 240, w: int = 360) -> np.ndarray:
    """A smooth vertical gradient (a clear sky): flat everywhere, nothing to read."""
    column = np.linspace(120, 235, h).astype(np.uint8)
    return np.repeat(column[:, None], w, axis=1)


def text_image(dpi: float = TRIAGE_DPI, *, white_on_dark: bool = False) -> np.ndarray:
    """Three table rows of Chinese text at 9 pt, rendered greyscale at ``dpi``."""
    if white_on_dark:
        pix = pictured_text(dpi, background=(0.15, 0.3, 0.55), colour=(1, 1, 1))
    else:
        pix = pictured_text(dpi)
    return np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w).copy()


def test_photo_like_image_is_skipped() -> None:
    verdict = assess_pixels(photo_like())
    assert verdict.reason is Reason.PHOTO and not verdict.worth_ocr
    assert verdict.flat_share < MIN_FLAT_SHARE


def test_gradient_without_marks_is_skipped() -> None:
    verdict = assess_pixels(sky_like())
    assert verdict.reason is Reason.BLANK and not verdict.worth_ocr
    assert verdict.flat_share >= MIN_FLAT_SHARE and verdict.mark_share < MIN_MARK_SHARE


@pytest.mark.parametrize("white_on_dark", [False, True])
def test_rendered_chinese_text_is_kept(white_on_dark: bool) -> None:
    verdict = assess_pixels(text_image(white_on_dark=white_on_dark))
    assert verdict.reason is Reason.TEXT and verdict.worth_ocr
    assert verdict.mark_share >= 2 * MIN_MARK_SHARE  # clear of the threshold, not on it


def test_text_on_a_sky_is_kept() -> None:
    """A caption on a flat gradient (a chart background): the marks decide, not the shading."""
    sky = sky_like(110, 300)
    glyphs = text_image()[:110, :300]
    verdict = assess_pixels(np.minimum(sky, glyphs))
    assert verdict.worth_ocr


def test_resolution_is_taken_into_account() -> None:
    """The mark window scales with dpi: text rendered at twice the resolution still reads."""
    assert assess_pixels(text_image(2 * TRIAGE_DPI), 2 * TRIAGE_DPI).worth_ocr


# --- through layout: which pictures of a text page are flagged for OCR -------------------------


def _paste(page: pymupdf.Page, box: tuple[float, float, float, float], grey: np.ndarray) -> None:
    h, w = grey.shape
    pix = pymupdf.Pixmap(pymupdf.csGRAY, w, h, np.ascontiguousarray(grey).tobytes(), False)
    page.insert_image(pymupdf.Rect(*box), pixmap=pix, keep_proportion=False)


def test_text_page_with_a_photo_needs_no_ocr_and_a_pictured_table_does(tmp_path: Path) -> None:
    def with_photo(page: pymupdf.Page) -> None:
        text(page, 72, 80, PARAGRAPH)
        _paste(page, (72, 100, 520, 400), photo_like())

    def with_sky(page: pymupdf.Page) -> None:
        text(page, 72, 80, PARAGRAPH)
        _paste(page, (72, 100, 520, 400), sky_like())

    def with_table_picture(page: pymupdf.Page) -> None:
        text(page, 72, 80, PARAGRAPH)
        _paste(page, (72, 100, 522, 265), text_image(150))

    pdf = make_pdf(tmp_path / "pictures.pdf", [with_photo, with_sky, with_table_picture])
    photo, sky, table = read_document_content(pdf)
    assert photo.kind is PageKind.TEXT and not photo.needs_ocr
    assert sky.kind is PageKind.TEXT and not sky.needs_ocr
    assert [im.carries_text for im in photo.images] == [False]
    assert table.kind is PageKind.MIXED and table.needs_ocr
    assert [im.carries_text for im in table.images] == [True]


def test_a_page_without_text_layer_is_ocred_whatever_it_shows(tmp_path: Path) -> None:
    """Whole-page scans are never triaged away: a scan's photo page costs one page of OCR."""

    def photo_page(page: pymupdf.Page) -> None:
        _paste(page, (0, 0, page.rect.width, page.rect.height), photo_like())

    page = read_page_content(make_pdf(tmp_path / "scan.pdf", [photo_page]), 1)
    assert page.kind is PageKind.IMAGE and page.needs_ocr


PINGAN = REAL / "pingan_bank_2021_sustainability.pdf"


@pytest.mark.skipif(not PINGAN.exists(), reason="real reports not available")
def test_real_report_ocrs_its_diagrams_and_scans_not_its_photographs() -> None:
    """Ping An 2021: pictures on text pages, of which four carry text — three diagrams (the
    responsibility wheel, the materiality matrix, the career-path chart) and a strip of four
    figure tiles across the text column (page 66: 4326人, 994场, …); the rest are event and
    branch photographs. Two pages are scans."""
    pages = read_document_content(PINGAN)
    ocr_pages = {p.number: p.kind for p in pages if p.needs_ocr}
    assert ocr_pages == {
        9: PageKind.MIXED,
        11: PageKind.MIXED,
        62: PageKind.MIXED,
        66: PageKind.MIXED,
        77: PageKind.IMAGE,
        79: PageKind.IMAGE,
    }
