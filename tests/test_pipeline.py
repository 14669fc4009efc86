"""Pipeline: the stages wired together on tiny synthetic reports, timings, error routing, OCR."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from core_pdfs import HEADING, image_only_pdf, kpi_page, report_pdf
from tables_pdf import hline, make_pdf, text, vline

from csrextract import layout, pipeline
from csrextract.contract import DATASETS
from csrextract.models import PageContent, PageKind, Table, TableKind, TableStyle
from csrextract.validate import validate_datasets

STAGES = ["load", "layout", "ocr", "tables", "classify", "normalise", "frames"]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_pdf(tmp_path_factory.mktemp("pipeline") / "acme_report.pdf")


@pytest.fixture(scope="module")
def result(pdf: Path) -> pipeline.ReportResult:
    return pipeline.extract_report(pdf)


def test_extract_report_end_to_end(result: pipeline.ReportResult) -> None:
    assert result.document.report_id == "acme-2023"
    assert [p.kind for p in result.pages] == [PageKind.TEXT, PageKind.TEXT]
    assert [(t.table_id, t.kind, t.title, t.pages) for t in result.tables] == [
        ("t01", TableKind.METRICS, HEADING, [1])
    ]
    assert (result.tables[0].n_rows, result.tables[0].n_cols) == (3, 4)
    assert result.errors == []
    validate_datasets(result.datasets)
    assert set(result.datasets) == set(DATASETS)
    assert "PUE" in "".join(result.datasets["metrics"]["indicator"])


def test_stage_timings_recorded(result: pipeline.ReportResult) -> None:
    assert list(result.stage_seconds) == STAGES
    assert all(v >= 0 for v in result.stage_seconds.values())
    report = result.datasets["reports"].iloc[0]
    assert list(json.loads(report["stage_seconds"])) == STAGES
    assert report["seconds_total"] == pytest.approx(sum(result.stage_seconds.values()), abs=0.01)
    assert report["status"] == "success"


def test_two_column_page_has_no_table_and_reads_column_by_column(
    result: pipeline.ReportResult,
) -> None:
    assert all(2 not in t.pages for t in result.tables)
    page_text = result.datasets["pages"].set_index("page").loc[2, "text"]
    body = page_text.split("\n")[2:]  # running header, heading
    left = "".join(body[: len(body) // 2])
    assert left.startswith("我们持续推进节能减排工作")


def test_page_stages_for_the_flows(pdf: Path, result: pipeline.ReportResult) -> None:
    """The per-page functions the Prefect flows call give what extract_report gives."""
    pages = [pipeline.read_page(pdf, n) for n in (1, 2)]
    assert [p.text for p in pages] == [p.text for p in result.pages]
    assert pipeline.ocr_page(pdf, pages[0]) is pages[0]  # text pages are left alone
    tables = pipeline.find_tables(pages)
    assert [(t.table_id, t.kind) for t in tables] == [("t01", TableKind.METRICS)]
    datasets = pipeline.normalise(result.document, pages, tables, "run-x")
    validate_datasets(datasets)
    assert set(datasets["tables"]["run_id"]) == {"run-x"}


def test_a_broken_page_is_an_error_item_not_a_failed_report(
    pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = layout.page_content_of

    def flaky(page: pymupdf.Page, number: int) -> PageContent:
        if number == 2:
            raise RuntimeError("bad content stream")
        return real(page, number)

    monkeypatch.setattr(layout, "page_content_of", flaky)
    result = pipeline.extract_report(pdf)
    assert result.errors == ["page 2: layout: bad content stream"]
    report = result.datasets["reports"].iloc[0]
    assert report["status"] == "partial_success"
    assert len(result.tables) == 1
    validate_datasets(result.datasets)


class FakeOcr:
    """Stands in for the OCR stage: records which pages went where; page ``slow_from`` on is
    "real" OCR (slower than a cache hit)."""

    def __init__(self, slow_from: int = 10**6) -> None:
        self.in_process: list[int] = []
        self.pooled: list[tuple[list[int], int | None]] = []
        self.slow_from = slow_from

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import csrextract.ocr as ocr

        monkeypatch.setattr(ocr, "get_engine", lambda name="rapidocr", settings=None: object())
        monkeypatch.setattr(ocr, "ocr_page_content", self.page)
        monkeypatch.setattr(ocr, "ocr_pages", self.pool)
        monkeypatch.setattr(pipeline, "CACHED_PAGE_SECONDS", 0.05)

    def page(self, path: Path, content: PageContent, engine: object = None) -> PageContent:
        self.in_process.append(content.number)
        if content.number >= self.slow_from:
            time.sleep(0.1)
        return content

    def pool(
        self,
        path: Path,
        pages: list[PageContent],
        engine: str = "",
        workers: int | None = None,
        on_page_done: Callable[[int, int], None] | None = None,
    ) -> list[PageContent]:
        self.pooled.append(([p.number for p in pages], workers))
        if on_page_done is not None:
            for count in range(1, len(pages) + 1):
                on_page_done(count, len(pages))
        return pages


def test_image_pages_are_routed_to_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeOcr()
    fake.install(monkeypatch)
    result = pipeline.extract_report(image_only_pdf(tmp_path / "acme_scan_2023.pdf"))
    assert [p.kind for p in result.pages] == [PageKind.IMAGE]
    assert fake.in_process == [1]
    assert result.document.report_id == "acme-2023"


def test_cached_pages_stay_in_process_and_real_ocr_goes_to_the_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = image_only_pdf(tmp_path / "acme_scan_2023.pdf", n_pages=6)
    pages = pipeline.read_pages(pdf)
    cached = FakeOcr()
    cached.install(monkeypatch)
    pipeline.ocr_pages(pdf, pages)
    assert (cached.in_process, cached.pooled) == ([1, 2, 3, 4, 5, 6], [])

    cold = FakeOcr(slow_from=2)
    cold.install(monkeypatch)
    seen: list[tuple[str, int, int]] = []
    pipeline.ocr_pages(pdf, pages, progress=lambda *step: seen.append(step))
    assert cold.in_process == [1, 2]  # page 2 was real OCR: the rest goes to two workers
    assert cold.pooled == [([3, 4, 5, 6], pipeline.OCR_WORKERS)]
    assert seen == [("ocr", n, 6) for n in range(1, 7)]  # progress moves page by page


def test_ocr_failure_keeps_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import csrextract.ocr as ocr

    class CrashingEngine:
        version = "crashing-engine"

        def recognise(self, pixels: object) -> object:
            raise RuntimeError("recogniser crashed")

    monkeypatch.setattr(ocr, "get_engine", lambda *_, **__: CrashingEngine())
    result = pipeline.extract_report(image_only_pdf(tmp_path / "scan.pdf"))
    assert result.errors == ["page 1: ocr: recogniser crashed"]
    assert result.datasets["reports"].iloc[0]["status"] == "partial_success"


def test_missing_ocr_engine_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No engine means no page can be read: the run stops instead of writing a report whose
    OCR'd tables silently vanished (issue: paddleocr absent removed 52 SDG rows)."""
    import csrextract.ocr as ocr
    from csrextract.errors import ConfigurationError, OcrUnavailableError

    def unavailable(*_: object, **__: object) -> object:
        raise OcrUnavailableError("rapidocr is not installed")

    monkeypatch.setattr(ocr, "get_engine", unavailable)
    with pytest.raises(ConfigurationError, match="OCR engine 'rapidocr' is not usable"):
        pipeline.extract_report(image_only_pdf(tmp_path / "scan.pdf"))


def _table_page(rows: list[list[str]], heading: str | None) -> object:
    def draw(page: pymupdf.Page) -> None:
        top = 100.0
        if heading:
            text(page, 50, 80, heading, size=16)
        xs = [50.0, 250.0, 500.0]
        ys = [top + 22 * i for i in range(len(rows) + 1)]
        for y in ys:
            hline(page, xs[0], xs[-1], y)
        for x in xs:
            vline(page, x, ys[0], ys[-1])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text(page, xs[c] + 4, ys[r] + 15, value, size=10)

    return draw


def test_table_continued_on_the_next_page_is_one_table(tmp_path: Path) -> None:
    header = ["披露项", "报告位置"]
    first = [header] + [[f"GRI 102-{i}", f"P{i:02d}"] for i in range(1, 9)]
    second = [header] + [[f"GRI 102-{i}", f"P{i:02d}"] for i in range(9, 13)]
    pdf = make_pdf(
        tmp_path / "two_page.pdf",
        [_table_page(first, "GRI 指标索引"), _table_page(second, None)],
    )
    tables = pipeline.find_tables(pipeline.read_pages(pdf))
    assert len(tables) == 1
    table = tables[0]
    assert (table.pages, table.kind, table.title) == ([1, 2], TableKind.GRI_INDEX, "GRI 指标索引")
    assert table.n_rows == 13  # the repeated header is not a data row


def test_table_ids_follow_document_order() -> None:
    def tab(page: int, top: float) -> Table:
        return Table("p", [], 1, 1, [page], (0, top, 10, top + 10), TableStyle.RULED)

    numbered = pipeline.number_tables([tab(3, 50), tab(1, 400), tab(1, 100)])
    assert [(t.table_id, t.pages[0], t.bbox[1]) for t in numbered] == [
        ("t01", 1, 100),
        ("t02", 1, 400),
        ("t03", 3, 50),
    ]


def test_kpi_page_alone(tmp_path: Path) -> None:
    """One page, one table: the smallest report still yields every dataset."""
    pdf = make_pdf(tmp_path / "acme_2023_esg.pdf", [kpi_page])
    result = pipeline.extract_report(pdf)
    assert len(result.tables) == 1
    assert replace(result.tables[0], cells=[]).kind is TableKind.METRICS
    validate_datasets(result.datasets)
