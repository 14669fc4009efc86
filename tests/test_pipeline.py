"""Pipeline: the stages wired together on tiny synthetic reports (through the one driver),
timings, error routing, OCR routing and the OCR cache."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from core_pdfs import HEADING, image_only_pdf, kpi_page, report_pdf
from tables_pdf import hline, make_pdf, text, vline

from csrextract import isolation, layout, pipeline
from csrextract.contract import DATASETS
from csrextract.errors import ConfigurationError, OcrUnavailableError
from csrextract.models import ErrorItem, PageContent, PageKind, Table, TableKind, TableStyle
from csrextract.ocr import cache as ocr_cache
from csrextract.ocr import registry
from csrextract.ocr.engines import OcrBox
from csrextract.validate import validate_datasets

STAGES = ["load", "read", "ocr", "tables", "classify", "normalise", "frames", "report"]
ROW_STAGES = STAGES[:-1]
"""The ``reports`` row is built last: it carries every stage before it."""


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
    assert list(json.loads(report["stage_seconds"])) == ROW_STAGES
    row_seconds = sum(result.stage_seconds[k] for k in ROW_STAGES)
    assert report["seconds_total"] == pytest.approx(row_seconds, abs=0.01)
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
    assert result.errors == [ErrorItem("read", 2, None, "bad content stream")]
    assert [str(e) for e in result.errors] == ["page 2: read: bad content stream"]
    report = result.datasets["reports"].iloc[0]
    assert report["status"] == "partial_success"
    assert len(result.tables) == 1
    validate_datasets(result.datasets)


class CountingEngine:
    """A registered stand-in engine: counts recognitions (a cache hit recognises nothing)."""

    name = "counting"
    version = "counting-1"

    def __init__(self) -> None:
        self.calls = 0

    def recognise(self, image: object) -> list[OcrBox]:
        self.calls += 1
        quad = ((10.0, 10.0), (200.0, 10.0), (200.0, 40.0), (10.0, 40.0))
        return [OcrBox(quad, "营业收入 100", 0.99)]


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[CountingEngine]:
    """The counting engine, registered under its name, with an empty OCR cache."""
    monkeypatch.setenv(ocr_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    engine = CountingEngine()
    registry.register(registry.EngineSpec("counting", "test engine", lambda _: engine))
    yield engine
    registry.unregister("counting")


def _register(name: str, build: Callable[[registry.OcrSettings], object]) -> None:
    registry.register(registry.EngineSpec(name, "test engine", build))  # type: ignore[arg-type]


def test_image_pages_are_routed_to_ocr(tmp_path: Path, counting: CountingEngine) -> None:
    result = pipeline.extract_report(
        image_only_pdf(tmp_path / "acme_scan_2023.pdf"), ocr_engine="counting"
    )
    assert [p.kind for p in result.pages] == [PageKind.IMAGE]
    assert counting.calls == 1
    assert "营业收入" in result.pages[0].text
    assert result.document.report_id == "acme-2023"


def test_second_run_hits_the_one_ocr_cache(
    tmp_path: Path, counting: CountingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cold: every OCR page goes to the pool. Warm: the cache says it holds every page, so all
    are served in this process, nothing is recognised and no pool starts (counted, not timed)."""
    import csrextract.ocr as ocr

    pdf = image_only_pdf(tmp_path / "acme_scan_2023.pdf", n_pages=6)
    pages = pipeline.read_pages(pdf)
    pooled: list[tuple[list[int], int | None]] = []
    real_pool = ocr.ocr_pages

    def pool(
        path: Path,
        todo: list[PageContent],
        settings: registry.OcrSettings,
        workers: int | None = None,
        on_page_done: Callable[[int, int], None] | None = None,
    ) -> list[PageContent]:
        pooled.append(([p.number for p in todo], workers))  # run in process: same engine
        return real_pool(path, todo, settings, workers=1, on_page_done=on_page_done)

    monkeypatch.setattr(ocr, "ocr_pages", pool)
    seen: list[tuple[str, int, int]] = []
    cold = pipeline.ocr_pages(pdf, pages, "counting", progress=lambda *step: seen.append(step))
    assert pooled == [([1, 2, 3, 4, 5, 6], pipeline.OCR_WORKERS)]
    assert counting.calls == 6
    assert seen == [("ocr", n, 6) for n in range(1, 7)]  # progress moves page by page

    hits, misses = ocr_cache.STATS.snapshot()
    warm = pipeline.ocr_pages(pdf, pages, "counting")
    assert pooled == [([1, 2, 3, 4, 5, 6], pipeline.OCR_WORKERS)]  # no second pool
    assert counting.calls == 6  # nothing recognised again
    assert ocr_cache.STATS.snapshot() == (hits + 6, misses)  # six lookups, six hits
    assert [p.text for p in warm] == [p.text for p in cold]


def test_ocr_failure_keeps_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class CrashingEngine:
        name = "crashing"
        version = "crashing-engine"

        def recognise(self, pixels: object) -> object:
            raise RuntimeError("recogniser crashed")

    monkeypatch.setenv(ocr_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    _register("crashing", lambda _: CrashingEngine())
    try:
        result = pipeline.extract_report(
            image_only_pdf(tmp_path / "scan.pdf"), ocr_engine="crashing"
        )
    finally:
        registry.unregister("crashing")
    assert [str(e) for e in result.errors] == ["page 1: ocr: recogniser crashed"]
    assert result.datasets["reports"].iloc[0]["status"] == "partial_success"


def test_missing_ocr_engine_is_a_configuration_error(tmp_path: Path) -> None:
    """No engine means no page can be read: the run stops instead of writing a report whose
    OCR'd tables silently vanished (issue: paddleocr absent removed 52 SDG rows)."""

    def unavailable(_: object) -> object:
        raise OcrUnavailableError("absent is not installed")

    _register("absent", unavailable)
    try:
        with pytest.raises(ConfigurationError, match="OCR engine 'absent' is not usable"):
            pipeline.extract_report(image_only_pdf(tmp_path / "scan.pdf"), ocr_engine="absent")
    finally:
        registry.unregister("absent")


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


# --- the time-limited OCR worker is warmed up while the text layer is read ---------------------


def test_a_report_without_pictures_starts_no_ocr_worker(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "text_only.pdf", [kpi_page])
    assert not pipeline.may_need_ocr(pdf)
    assert not pipeline.warm_ocr_worker(pdf, "rapidocr")
    assert isolation._POOL._executor is None


def test_a_warm_worker_nobody_needs_is_stopped(tmp_path: Path) -> None:
    """Pictures make a warm-up worth starting; when every picture proves a photograph (no page
    needs OCR) the worker is stopped instead of keeping the process from exiting."""
    pdf = image_only_pdf(tmp_path / "scan.pdf")
    assert pipeline.warm_ocr_worker(pdf, "rapidocr")
    assert isolation._POOL._executor is not None
    text_page = PageContent(number=1, width=595.0, height=842.0, kind=PageKind.TEXT, lines=[])
    assert pipeline.ocr_pages(pdf, [text_page], "rapidocr", page_timeout=30) == [text_page]
    assert isolation._POOL._executor is None
