"""The pipeline: the stages in order, as plain functions that the CLI and the Prefect flows call.

Each stage function takes and returns picklable typed data (see ``models``) so the flows can run
page-level stages in worker processes or on a Dask cluster. Page-level stages reopen the PDF by
path rather than passing open handles around.

``extract_report`` runs every stage in this process (OCR pages in a process pool) and records
wall-clock seconds per stage. A failure confined to one page (a broken page, an OCR error)
becomes an error item on the report (status ``partial_success``); only a file that cannot be
ingested at all raises (``InputError``).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import pymupdf

from csrextract import classify, frames, layout
from csrextract import load as load_stage
from csrextract.errors import ConfigurationError, OcrUnavailableError
from csrextract.isolation import DEFAULT_PAGE_TIMEOUT_SECONDS as DEFAULT_PAGE_TIMEOUT_SECONDS
from csrextract.models import Document, PageContent, Table
from csrextract.normalise import normalise_tables
from csrextract.tables import detect_tables, stitch_tables

logger = logging.getLogger(__name__)

OCR_WORKERS = 2
"""Processes for OCR: the target machine has two cores."""

MIN_PAGES_FOR_POOL = 3
"""Fewer OCR pages than this run in this process: starting worker processes (imports, model
load) costs seconds, more than it saves on one or two pages or on a re-run served by the cache
(measured on the mixed fixture: 4 cached pages 1.7 s in process, 11–18 s through the pool)."""

MIN_PAGES_PER_WORKER = 10
"""Each time-limited OCR worker needs this many pages to pay for its start-up (imports, model
load, kernels prepared per input shape: ~3 s, the OCR of 5 pages): fewer pages run in one
worker with both cores (a report whose pictures are triaged down to a few diagrams and scans)."""

CACHED_PAGE_SECONDS = 0.5
"""An OCR page done faster than this was served by the OCR cache (real OCR takes seconds)."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as page-level work advances (CLI progress bars)."""


@dataclass(slots=True)
class ReportResult:
    """Everything one ingestion produced, before it is written."""

    document: Document
    pages: list[PageContent]
    tables: list[Table]
    datasets: dict[str, pd.DataFrame]
    run_id: str
    stage_seconds: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def new_run_id() -> str:
    """A random UUID: the same format as the Prefect flow run id the flows record, so every
    ``run_id`` column holds one kind of value whichever way the report was ingested (the commit
    timestamp, in ``history``, says when)."""
    return str(uuid.uuid4())


# --- stages ---------------------------------------------------------------------------------------


def load(path: Path, company: str | None = None, year: int | None = None) -> Document:
    """Stage 1: open, validate and fingerprint the PDF; detect company and year."""
    return load_stage.load_document(Path(path), company, year)


def read_page(path: Path, page_number: int) -> PageContent:
    """Stage 2+3: triage one page and read its text layer, rules, fills and images."""
    return layout.read_page_content(Path(path), page_number)


def _broken_page(doc: pymupdf.Document, number: int, exc: Exception) -> PageContent:
    """An empty page carrying the error, so one bad page does not lose the report."""
    try:
        rect = doc[number - 1].rect
        width, height = float(rect.width), float(rect.height)
    except Exception:  # the page object itself may be unreadable
        width, height = 595.0, 842.0
    logger.warning("page %d: cannot read the text layer: %s", number, exc)
    return PageContent(number, width, height, errors=[f"layout: {exc}"])


def read_pages(path: Path, progress: Progress | None = None) -> list[PageContent]:
    """Stage 2+3 for every page, opening the PDF once (per-page errors are kept on the page)."""
    pages: list[PageContent] = []
    with pymupdf.open(Path(path)) as doc:
        total = doc.page_count
        for number, page in enumerate(doc, start=1):
            try:
                pages.append(layout.page_content_of(page, number))
            except Exception as exc:
                pages.append(_broken_page(doc, number, exc))
            if progress is not None:
                progress("read", number, total)
    return pages


def read_page_batch(path: Path, page_numbers: Sequence[int]) -> list[PageContent]:
    """Stage 2+3 for some pages, opening the PDF once: the unit of work a flow task runs.

    Reading a text layer takes milliseconds a page, so flows hand out batches, not pages.
    """
    pages: list[PageContent] = []
    with pymupdf.open(Path(path)) as doc:
        for number in page_numbers:
            try:
                pages.append(layout.page_content_of(doc[number - 1], number))
            except Exception as exc:
                pages.append(_broken_page(doc, number, exc))
    return pages


def ocr_page(path: Path, content: PageContent, engine: str = "rapidocr") -> PageContent:
    """OCR stage: fill in the lines (and rules/fills) of an image or mixed page.

    Returns ``content`` unchanged for pages triaged as text.
    """
    from csrextract.ocr import ocr_page_content  # lazy: onnxruntime/OpenCV only when needed

    return ocr_page_content(Path(path), content, engine)


def ocr_pages(
    path: Path,
    pages: list[PageContent],
    engine: str = "rapidocr",
    workers: int = OCR_WORKERS,
    progress: Progress | None = None,
    page_timeout: float | None = None,
) -> list[PageContent]:
    """OCR every page that needs it; a failed page becomes an error item on that page.

    Pages served by the OCR cache are done here, in this process, until the first page that
    needs real OCR; the rest go to a process pool when there are enough of them to pay for its
    start-up (``MIN_PAGES_FOR_POOL``). So a re-run on an unchanged PDF starts no workers.
    With ``page_timeout``, pages the OCR cache fully serves are done here and every other page
    runs in a killable worker under that hard limit (``csrextract.isolation``), as the flow's
    OCR tasks do.

    A missing engine is not a page's problem: ``ConfigurationError`` (no page could be read).
    """
    total = sum(1 for p in pages if p.needs_ocr)
    if not total:
        return pages
    try:
        if page_timeout is not None:
            return _ocr_cached_then_limited(
                Path(path), pages, engine, workers, page_timeout, progress, total
            )
        done, rest = _ocr_while_cached(Path(path), pages, engine, total, progress)
        n_left = sum(1 for p in pages[rest:] if p.needs_ocr)
        if n_left:
            already = total - n_left

            def page_done(count: int, _: int) -> None:
                if progress is not None:
                    progress("ocr", already + count, total)

            from csrextract.ocr import ocr_pages as run_ocr

            pool = workers if n_left >= MIN_PAGES_FOR_POOL else 1
            done[rest:] = run_ocr(
                Path(path), pages[rest:], engine=engine, workers=pool, on_page_done=page_done
            )
        return done
    except OcrUnavailableError as exc:
        raise ConfigurationError(
            f"OCR engine {engine!r} is not usable ({exc}); install it or choose "
            "--ocr-engine rapidocr"
        ) from exc
    except Exception as exc:  # a crashed worker: the pages keep the error
        logger.warning("OCR failed: %s", exc)
        return [replace(p, errors=[*p.errors, f"ocr: {exc}"]) if p.needs_ocr else p for p in pages]


def _ocr_cached_then_limited(
    path: Path,
    pages: list[PageContent],
    engine: str,
    workers: int,
    timeout: float,
    progress: Progress | None,
    total: int,
) -> list[PageContent]:
    """Pages the OCR cache fully serves are done here (no recognition: no limit needed); every
    other page runs in a killable worker under the hard time limit."""
    from csrextract.ocr import get_engine, is_cached, ocr_page_content

    ocr_engine = get_engine(engine)  # cheap: the networks load on the first uncached image
    out = list(pages)
    count = 0
    rest: list[PageContent] = []
    for index, page in enumerate(pages):
        if not page.needs_ocr:
            continue
        if is_cached(path, page, ocr_engine):
            out[index] = ocr_page_content(path, page, ocr_engine)
            count += 1
            if progress is not None:
                progress("ocr", count, total)
        else:
            rest.append(page)
    if rest:

        def page_done(done: int, _: int) -> None:
            if progress is not None:
                progress("ocr", count + done, total)

        pool = max(1, min(workers, len(rest) // MIN_PAGES_PER_WORKER))
        limited = _ocr_time_limited(path, rest, engine, pool, timeout, page_done)
        by_number = {p.number: p for p in limited}
        out = [by_number.get(p.number, p) for p in out]
    return out


def _ocr_time_limited(
    path: Path,
    pages: list[PageContent],
    engine: str,
    workers: int,
    timeout: float,
    on_done: Callable[[int, int], None],
) -> list[PageContent]:
    """OCR each page needing it in a killable worker process under a hard time limit; a page
    past the limit keeps its error item (the others go on)."""
    from concurrent.futures import ThreadPoolExecutor

    from csrextract.isolation import run_with_hard_timeout
    from csrextract.ocr import ocr_page_content, ocr_page_in_pool

    def one(page: PageContent) -> PageContent:
        try:
            if workers > 1:  # workers share the cores: single-threaded engines
                return run_with_hard_timeout(ocr_page_in_pool, timeout, workers, path, page, engine)
            # a function of csrextract.ocr: the worker imports the OCR stage, not the pipeline
            return run_with_hard_timeout(ocr_page_content, timeout, workers, path, page, engine)
        except OcrUnavailableError:
            raise
        except Exception as exc:
            logger.warning("page %d: OCR failed: %s", page.number, exc)
            return replace(page, errors=[*page.errors, f"ocr: {exc}"])

    out = list(pages)
    todo = [i for i, p in enumerate(pages) if p.needs_ocr]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as threads:
        for count, (i, page) in enumerate(
            zip(todo, threads.map(one, [pages[i] for i in todo]), strict=True), start=1
        ):
            out[i] = page
            on_done(count, len(todo))
    return out


def _ocr_while_cached(
    path: Path,
    pages: list[PageContent],
    engine: str,
    total: int,
    progress: Progress | None = None,
) -> tuple[list[PageContent], int]:
    """OCR pages in order in this process while each takes under ``CACHED_PAGE_SECONDS`` (a
    cache hit); return the pages and the index where real OCR begins (that page is done)."""
    from csrextract.ocr import get_engine, ocr_page_content  # lazy: onnxruntime/OpenCV

    ocr_engine = get_engine(engine)  # built before timing: its start-up is not a page's cost
    out = list(pages)
    count = 0
    for index, page in enumerate(pages):
        if not page.needs_ocr:
            continue
        started = time.perf_counter()
        out[index] = ocr_page_content(path, page, ocr_engine)
        count += 1
        if progress is not None:
            progress("ocr", count, total)
        if time.perf_counter() - started > CACHED_PAGE_SECONDS:
            return out, index + 1
    return out, len(pages)


def detect_all(pages: Sequence[PageContent]) -> list[Table]:
    """Tables of every page; a page whose detection fails gets the error and no tables."""
    found: list[Table] = []
    for page in pages:
        try:
            found.extend(detect_tables(page))
        except Exception as exc:
            logger.warning("page %d: table detection failed: %s", page.number, exc)
            page.errors.append(f"tables: {exc}")
    return found


def number_tables(tables: Sequence[Table]) -> list[Table]:
    """Stable, readable ids in document order: ``t01``, ``t02``, ... (first page, then top)."""
    ordered = sorted(tables, key=lambda t: (t.pages[0] if t.pages else 0, t.bbox[1], t.bbox[0]))
    width = max(2, len(str(len(ordered))))
    return [replace(t, table_id=f"t{i:0{width}d}") for i, t in enumerate(ordered, start=1)]


def find_tables(pages: list[PageContent]) -> list[Table]:
    """Stage 4+5: detect tables on every page, stitch continuations, classify them."""
    stitched = stitch_tables(detect_all(pages), pages)
    return number_tables(classify.classify_tables(stitched, pages))


def page_errors(pages: Sequence[PageContent]) -> list[str]:
    """Every page's error items, named by page."""
    return [f"page {p.number}: {e}" for p in pages for e in p.errors]


def normalise(
    document: Document, pages: list[PageContent], tables: list[Table], run_id: str
) -> dict[str, pd.DataFrame]:
    """Stage 6: tidy records for every dataset in the contract, identity columns filled."""
    normalised = normalise_tables(tables)
    return frames.build_datasets(
        document, pages, tables, normalised, run_id, {}, page_errors(pages)
    )


# --- the whole report in one process --------------------------------------------------------------


class StageTimer:
    """Wall-clock seconds per stage, in the order the stages ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def extract_report(
    path: Path,
    company: str | None = None,
    year: int | None = None,
    ocr_engine: str = "rapidocr",
    *,
    progress: Progress | None = None,
    page_timeout: float | None = None,
) -> ReportResult:
    """All stages up to (not including) validation and writing, in one process (OCR pages in
    worker processes; with ``page_timeout``, each under that hard time limit)."""
    path = Path(path)
    run_id = new_run_id()
    timer = StageTimer()
    with timer.stage("load"):
        document = load(path, company, year)
    with timer.stage("layout"):
        pages = read_pages(path, progress)
    with timer.stage("ocr"):
        pages = ocr_pages(path, pages, ocr_engine, progress=progress, page_timeout=page_timeout)
    with timer.stage("tables"):
        tables = stitch_tables(detect_all(pages), pages)
    with timer.stage("classify"):
        tables = number_tables(classify.classify_tables(tables, pages))
    with timer.stage("normalise"):
        normalised = normalise_tables(tables)
    errors = page_errors(pages)
    with timer.stage("frames"):
        datasets = frames.build_datasets(
            document, pages, tables, normalised, run_id, timer.seconds, errors
        )
    # The reports row was built before "frames" finished; give it the complete timings.
    frames.set_timings(datasets, timer.seconds)
    logger.info(
        "%s: %d pages, %d tables in %.2fs (%s)",
        document.report_id,
        len(pages),
        len(tables),
        sum(timer.seconds.values()),
        ", ".join(f"{k} {v:.2f}s" for k, v in timer.seconds.items()),
    )
    return ReportResult(document, pages, tables, datasets, run_id, dict(timer.seconds), errors)
