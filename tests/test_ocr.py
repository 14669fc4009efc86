"""OCR stage on real image-only PDFs: engine, cache, deskew, graphics → tables, errors, pool.

Pages are drawn with PyMuPDF (CJK font), rasterised like a scan (greyscale, optional rotation,
noise, JPEG) and saved as image-only PDFs; the real RapidOCR engine reads them. Pages are small
(A5-ish or smaller) to keep the whole file fast.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest
from tables_pdf import CJK_FONT, band, hline, make_pdf, text, vline
from test_tables_ruled import grid_of

from csrextract.errors import OcrUnavailableError
from csrextract.models import ImageRegion, PageContent, PageKind, TableStyle, TextLine
from csrextract.ocr import (
    OcrBox,
    RapidOcrEngine,
    RapidOcrSettings,
    get_engine,
    ocr_page_content,
    ocr_pages,
)
from csrextract.ocr.engines import (
    DET_MODEL,
    PADDLE_MODEL_DIR_ENV,
    REC_MODEL,
    RUNTIME_ENV,
    OpenVinoSession,
    bundled_model_dir,
    check_available,
)
from csrextract.ocr.graphics import detect_graphics
from csrextract.ocr.image import estimate_skew, page_image, render, rotate
from csrextract.ocr.registry import UnknownEngineError
from csrextract.tables import detect_tables
from csrextract.teds import levenshtein, normalise_text

pytestmark = pytest.mark.slow

PARAGRAPH = "字节跳动坚持科技向善，积极履行社会责任。"
SECOND = "数据中心PUE降至1.25，员工超过11万人。"


def scan_pdf(src: Path, out: Path, angle: float = 0.0, dpi: int = 200, seed: int = 0) -> Path:
    """An image-only copy of ``src``: greyscale at ``dpi``, rotated, noisy, JPEG — a scan."""
    doc, scanned = pymupdf.open(src), pymupdf.open()
    for page in doc.pages():
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        img = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w)
        if angle:
            img = rotate(img, angle)
        noise = np.random.default_rng(seed).normal(0, 6, img.shape)
        img = np.clip(img.astype(np.int16) + noise, 0, 255).astype(np.uint8)
        ok, jpeg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 75])
        assert ok
        new = scanned.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=jpeg.tobytes())
    scanned.save(out)
    return out


def image_page(path: Path, number: int = 1) -> PageContent:
    with pymupdf.open(path) as doc:
        rect = doc[number - 1].rect
    return PageContent(number, rect.width, rect.height, kind=PageKind.IMAGE)


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise_text(reference), normalise_text(hypothesis)
    return levenshtein(ref, hyp) / max(1, len(ref))


class CountingEngine:
    """The real engine, counting how often it is asked to read an image."""

    def __init__(self) -> None:
        self.inner = get_engine()
        self.name, self.version = self.inner.name, self.inner.version
        self.calls = 0

    def recognise(self, image: np.ndarray) -> list[OcrBox]:
        self.calls += 1
        return self.inner.recognise(image)


@pytest.fixture(scope="module")
def paragraph_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("para")

    def draw(page: pymupdf.Page) -> None:
        text(page, 40, 60, PARAGRAPH, 12)
        text(page, 40, 90, SECOND, 12)

    digital = make_pdf(folder / "para.pdf", [draw])
    return scan_pdf(digital, folder / "para_scan.pdf", angle=0.6)


# --- engine -----------------------------------------------------------------------------------


def test_engine_reads_chinese_text_from_a_rendered_image(paragraph_scan: Path) -> None:
    engine = get_engine("rapidocr")
    pixels = render(paragraph_scan, 1, 150, (0, 0, 420, 120))
    boxes = engine.recognise(pixels)
    assert boxes and all(isinstance(b, OcrBox) for b in boxes)
    assert all(0.5 <= b.confidence <= 1.0 for b in boxes)
    x0, top, x1, bottom = boxes[0].box
    assert 0 <= x0 < x1 <= pixels.shape[1] and 0 <= top < bottom <= pixels.shape[0]
    assert cer(PARAGRAPH + SECOND, "".join(b.text for b in boxes)) <= 0.05
    assert "rapidocr-" in engine.version and "PP-OCRv6_rec_small" in engine.version


def test_image_page_becomes_ocr_lines_in_pdf_points(paragraph_scan: Path, tmp_path: Path) -> None:
    page = ocr_page_content(paragraph_scan, image_page(paragraph_scan), cache_dir=tmp_path)
    assert [ln.method.value for ln in page.lines] == ["ocr"] * len(page.lines)
    assert cer(PARAGRAPH + SECOND, page.text) <= 0.02
    first = page.lines[0]
    assert first.text.startswith("字节跳动")
    assert "，" in first.text
    # the text was written at x=40, baseline 60, 12 pt: the box sits there (deskewed frame)
    assert first.bbox[0] == pytest.approx(40, abs=3)
    assert first.bbox[3] == pytest.approx(62, abs=4)
    assert first.font_size == pytest.approx(12, abs=1.5)
    assert len(first.char_boxes) == len(first.text)
    assert 0.8 < page.mean_confidence <= 1.0


def test_text_page_is_returned_unchanged(tmp_path: Path) -> None:
    content = PageContent(1, 100, 100, kind=PageKind.TEXT, lines=[TextLine("已有", (1, 1, 20, 10))])
    assert ocr_page_content(tmp_path / "never-opened.pdf", content) is content


# --- cache ------------------------------------------------------------------------------------


def test_second_run_performs_no_ocr(paragraph_scan: Path, tmp_path: Path) -> None:
    engine = CountingEngine()
    first = ocr_page_content(paragraph_scan, image_page(paragraph_scan), engine, tmp_path)
    assert engine.calls == 1
    again = ocr_page_content(paragraph_scan, image_page(paragraph_scan), engine, tmp_path)
    assert engine.calls == 1
    assert again.lines == first.lines and again.rules == first.rules
    ocr_page_content(paragraph_scan, image_page(paragraph_scan), engine, tmp_path, dpi=120)
    assert engine.calls == 2  # another resolution is another image
    ocr_page_content(paragraph_scan, image_page(paragraph_scan), engine, use_cache=False)
    assert engine.calls == 3


def test_cache_dir_from_environment(
    paragraph_scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSREXTRACT_CACHE_DIR", str(tmp_path))
    ocr_page_content(paragraph_scan, image_page(paragraph_scan), CountingEngine())
    assert list((tmp_path / "ocr").glob("*/*.json"))


# --- deskew -----------------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [1.5, -1.5, 0.4])
def test_deskew_estimates_the_rotation(tmp_path: Path, angle: float) -> None:
    def draw(page: pymupdf.Page) -> None:
        for i in range(12):
            text(page, 50, 70 + 22 * i, (PARAGRAPH + SECOND)[i % 5 :][:24], 11)

    pdf = make_pdf(tmp_path / "lines.pdf", [draw])
    pixels = render(pdf, 1, 150)
    assert estimate_skew(rotate(pixels, angle)) == pytest.approx(-angle, abs=0.2)
    assert estimate_skew(pixels) == pytest.approx(0.0, abs=0.1)


# --- errors -----------------------------------------------------------------------------------


def test_missing_weights_give_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OcrUnavailableError, match=r"weights missing.*PP-OCRv6_det_small\.onnx"):
        RapidOcrEngine(RapidOcrSettings(model_dir=tmp_path / "no-models"))


def test_paddle_engine_without_models_gives_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(PADDLE_MODEL_DIR_ENV, str(tmp_path / "missing"))
    with pytest.raises(OcrUnavailableError, match="paddleocr"):
        get_engine("paddleocr")
    with pytest.raises(UnknownEngineError, match="unknown OCR engine 'tesseract'"):
        get_engine("tesseract")


def test_missing_engine_raises_instead_of_recording_page_errors(paragraph_scan: Path) -> None:
    with pytest.raises(OcrUnavailableError):
        ocr_page_content(paragraph_scan, image_page(paragraph_scan), engine="paddleocr")


def test_unreadable_page_becomes_an_error_item(tmp_path: Path) -> None:
    content = PageContent(1, 200, 200, kind=PageKind.IMAGE)
    out = ocr_page_content(tmp_path / "missing.pdf", content, cache_dir=tmp_path)
    assert out.errors and (out.errors[0].stage, out.errors[0].page) == ("ocr", 1)
    assert out.lines == content.lines


# --- graphics → tables ------------------------------------------------------------------------

ROWS = [["指标", "2020年", "2021年"], ["PUE", "1.32", "1.25"], ["员工人数", "近10万", "11万"]]
XS = [40, 140, 240, 340]


def _ruled_table(page: pymupdf.Page) -> None:
    top, h = 60, 24
    for r, row in enumerate(ROWS):
        for c, s in enumerate(row):
            text(page, XS[c] + 6, top + r * h + 16, s, 10)
    for r in range(len(ROWS) + 1):
        hline(page, XS[0], XS[-1], top + r * h)
    for x in XS:
        vline(page, x, top, top + h * len(ROWS))


def _zebra_table(page: pymupdf.Page) -> None:
    top, h = 60, 22
    band(page, (XS[0], top, XS[-1], top + h), (0.2, 0.4, 0.7))
    band(page, (XS[0], top + 2 * h, XS[-1], top + 3 * h), (0.9, 0.9, 0.9))
    for r, row in enumerate([*ROWS, ["科普活动", "+270万", "92%"]]):
        for c, s in enumerate(row):
            text(page, XS[c] + 6, top + r * h + 15, s, 10)


def _small_pdf(path: Path, draw: object) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=380, height=200)
    page.insert_font(fontname="cjk", fontbuffer=CJK_FONT.buffer)
    draw(page)  # type: ignore[operator]
    doc.save(path)
    return path


def test_scanned_ruled_table_gives_the_grid(tmp_path: Path) -> None:
    digital = _small_pdf(tmp_path / "ruled.pdf", _ruled_table)
    scan = scan_pdf(digital, tmp_path / "ruled_scan.pdf", angle=-0.8)
    page = ocr_page_content(scan, image_page(scan), cache_dir=tmp_path)
    assert len([r for r in page.rules if r.is_horizontal]) == 4
    assert len([r for r in page.rules if not r.is_horizontal]) == 4
    (table,) = detect_tables(page)
    assert table.style is TableStyle.RULED
    assert grid_of(table) == [
        (r, c, 1, 1, s) for r, row in enumerate(ROWS) for c, s in enumerate(row)
    ]
    assert all(cell.method.value == "ocr" for cell in table.cells)


def test_scanned_zebra_table_gives_fills_and_the_grid(tmp_path: Path) -> None:
    digital = _small_pdf(tmp_path / "zebra.pdf", _zebra_table)
    scan = scan_pdf(digital, tmp_path / "zebra_scan.pdf", angle=0.5)
    page = ocr_page_content(scan, image_page(scan), cache_dir=tmp_path)
    assert not page.rules
    grays = sorted(f.gray for f in page.fills)
    assert len(grays) == 2 and grays[0] < 0.5 < 0.85 < grays[1] < 0.95
    (table,) = detect_tables(page)
    assert table.style is TableStyle.FILLED
    expected = [*ROWS, ["科普活动", "+270万", "92%"]]
    assert [[c.text for c in row] for row in table.rows()] == expected


def test_mixed_page_ocrs_only_the_image_region(tmp_path: Path) -> None:
    table_png = render(_small_pdf(tmp_path / "t.pdf", _ruled_table), 1, 200)
    ok, png = cv2.imencode(".png", table_png)
    assert ok
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=320)
    page.insert_font(fontname="cjk", fontbuffer=CJK_FONT.buffer)
    text(page, 40, 40, "表1 关键绩效指标", 12)
    region = (20.0, 60.0, 400.0, 260.0)
    page.insert_image(pymupdf.Rect(*region), stream=png.tobytes())
    pdf = tmp_path / "mixed.pdf"
    doc.save(pdf)
    caption = TextLine("表1 关键绩效指标", (40, 29, 136, 43))
    content = PageContent(
        1,
        420,
        320,
        kind=PageKind.MIXED,
        lines=[caption],
        images=[ImageRegion(region, carries_text=True)],
    )
    out = ocr_page_content(pdf, content, cache_dir=tmp_path)
    assert out.lines[0] == caption and out.lines.count(caption) == 1
    assert all(ln.method.value == "ocr" for ln in out.lines[1:])
    assert all(region[1] <= ln.bbox[1] and ln.bbox[3] <= region[3] for ln in out.lines[1:])
    (table,) = detect_tables(out)
    assert [[c.text for c in row] for row in table.rows()] == ROWS


# --- pool -------------------------------------------------------------------------------------


def test_ocr_pages_in_two_processes_keeps_order(paragraph_scan: Path, tmp_path: Path) -> None:
    two = tmp_path / "two.pdf"
    doc = pymupdf.open(paragraph_scan)
    doc.insert_pdf(pymupdf.open(paragraph_scan))
    doc.save(two)
    text_page = PageContent(3, 10, 10, kind=PageKind.TEXT)
    contents = [image_page(two, 1), image_page(two, 2), text_page]
    reported: list[tuple[int, int]] = []
    out = ocr_pages(
        two,
        contents,
        engine="rapidocr",
        workers=2,
        cache_dir=tmp_path,
        on_page_done=lambda done, total: reported.append((done, total)),
    )
    assert reported == [(1, 2), (2, 2)]  # progress per OCRed page, text pages not counted
    assert [p.number for p in out] == [1, 2, 3]
    assert out[2] is text_page
    assert out[0].text == out[1].text and cer(PARAGRAPH + SECOND, out[0].text) <= 0.02


# --- every table style: the scan gives the digital page's grid ---------------------------------


def _style_pages() -> list[tuple[str, object]]:
    from test_tables_filled import _filled
    from test_tables_ruled import _open_sides, _ruled
    from test_tables_three_line import _three_line

    return [("ruled", _ruled), ("open", _open_sides), ("filled", _filled), ("three", _three_line)]


@pytest.mark.parametrize(("name", "draw"), _style_pages())
def test_scanned_table_styles_match_the_digital_grid(
    tmp_path: Path, name: str, draw: object
) -> None:
    """Merged cells, bullet items, a lone "-" and a white-on-dark header survive the scan."""
    from tables_pdf import page_content

    digital_pdf = make_pdf(tmp_path / f"{name}.pdf", [draw])  # type: ignore[list-item]
    scan = scan_pdf(digital_pdf, tmp_path / f"{name}_scan.pdf", angle=-0.9, dpi=150)
    digital = detect_tables(page_content(digital_pdf))
    scanned = detect_tables(ocr_page_content(scan, image_page(scan), cache_dir=tmp_path))
    assert [(t.style, t.n_rows, t.n_cols) for t in scanned] == [
        (t.style, t.n_rows, t.n_cols) for t in digital
    ]
    for ours, theirs in zip(scanned, digital, strict=True):
        assert [(r, c, rs, cs, normalise_text(s)) for r, c, rs, cs, s in grid_of(ours)] == [
            (r, c, rs, cs, normalise_text(s)) for r, c, rs, cs, s in grid_of(theirs)
        ]
        assert [[normalise_text(i) for i in c.items] for c in ours.cells] == [
            [normalise_text(i) for i in c.items] for c in theirs.cells
        ]


# --- runtimes ---------------------------------------------------------------------------------


def test_both_runtimes_read_the_same_text(paragraph_scan: Path) -> None:
    """OpenVINO (bf16 where the CPU has it) and ONNX Runtime run the same PP-OCR files; the
    readings agree and the engine version (part of every cache key) names the runtime."""
    pixels = render(paragraph_scan, 1, 150, (0, 0, 420, 120))
    texts, versions = [], []
    for runtime in ("openvino", "onnxruntime"):
        engine = RapidOcrEngine(RapidOcrSettings(runtime=runtime))
        texts.append(normalise_text("".join(b.text for b in engine.recognise(pixels))))
        versions.append(engine.version)
    assert "|openvino-" in versions[0] and "|onnxruntime-" in versions[1]
    assert levenshtein(texts[0], texts[1]) <= 1
    assert cer(PARAGRAPH + SECOND, texts[0]) <= 0.05


def test_runtime_from_environment_and_unknown_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RUNTIME_ENV, "onnxruntime")
    assert RapidOcrSettings().runtime == "onnxruntime"
    monkeypatch.setenv(RUNTIME_ENV, "tensorrt")
    with pytest.raises(OcrUnavailableError, match="unknown OCR runtime 'tensorrt'"):
        RapidOcrEngine()
    with pytest.raises(OcrUnavailableError, match="unknown OCR runtime"):
        check_available("rapidocr")


def test_openvino_session_pads_to_reuse_shapes_and_crops_the_detector_map() -> None:
    """Inputs are padded to the step; the detector's map comes back at the input's size."""
    det = OpenVinoSession(bundled_model_dir() / DET_MODEL, threads=1, step=64)
    batch = np.zeros((1, 3, 96, 160), dtype=np.float32)
    assert det(batch).shape[2:] == (96, 160)
    rec = OpenVinoSession(bundled_model_dir() / REC_MODEL, threads=1, step=16)
    out = rec(np.zeros((2, 3, 48, 100), dtype=np.float32))
    assert out.shape[0] == 2 and out.shape[1] == 112 // 8  # padded width 112, stride 8


def test_light_grey_hairlines_come_back_whole_from_a_scan(tmp_path: Path) -> None:
    """0.4 pt grey rules, scanned at 150 dpi and straightened: each is one rule across the
    table, including the one on the edge of the header band."""
    ys = (100.0, 122.0, 160.0, 198.0, 236.0)

    def draw(page: pymupdf.Page) -> None:
        band(page, (60, 100, 520, 122), (0.93, 0.93, 0.93))
        for y in ys:
            page.draw_line((60, y), (520, y), color=(0.6, 0.6, 0.6), width=0.4)
        for top in ys[:-1]:
            text(page, 66, top + 15, "联合国可持续发展目标")
            text(page, 240, top + 15, "通过字节乡村英才计划等项目，培育乡村人才。")

    scan = scan_pdf(make_pdf(tmp_path / "hair.pdf", [draw]), tmp_path / "s.pdf", 1.2, 150)
    image = page_image(scan, 1, 150, (0, 0, 595, 842))
    rules = [r for r in detect_graphics(image).rules if r.is_horizontal]
    found = sorted(r.y0 for r in rules if r.x1 - r.x0 > 0.9 * 460)
    assert found == pytest.approx(ys, abs=2.0)
    assert not [r for r in rules if r.x1 - r.x0 <= 0.9 * 460]  # no pieces


def test_a_cached_rerun_never_loads_the_networks(paragraph_scan: Path, tmp_path: Path) -> None:
    """The engine's version (the cache key) needs no model loaded: an all-cached re-run
    skips importing rapidocr and loading the networks."""
    ocr_page_content(paragraph_scan, image_page(paragraph_scan), cache_dir=tmp_path)
    fresh = RapidOcrEngine()
    assert not fresh.loaded
    again = ocr_page_content(paragraph_scan, image_page(paragraph_scan), fresh, tmp_path)
    assert again.lines and not fresh.loaded
    fresh.recognise(render(paragraph_scan, 1, 150, (0, 0, 420, 120)))
    assert fresh.loaded
