"""The stage functions: what each stage does to typed data, as plain functions.

The stage *order*, timing, error routing and writing live in one place, ``csrextract.driver``
(``driver.run``); the CLI, the API and the Prefect flows all go through it. The functions here
take and return picklable typed data (see ``models``) so page-level stages can run in worker
processes, in Prefect tasks or on a Dask cluster; they reopen the PDF by path rather than pass
open handles around. A failure confined to one page (a broken page, an OCR error) becomes an
``ErrorItem`` on that page; only a missing OCR engine raises (``ConfigurationError``).

``extract_report`` is the in-memory run (``driver.run`` without writing), kept for callers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pymupdf

from csrextract import classify, frames, layout
from csrextract import load as load_stage
from csrextract.errors import ConfigurationError, OcrUnavailableError
from csrextract.isolation import DEFAULT_PAGE_TIMEOUT_SECONDS as DEFAULT_PAGE_TIMEOUT_SECONDS
from csrextract.models import Document, ErrorItem, PageContent, Table
from csrextract.normalise import normalise_tables
from csrextract.tables import detect_tables, stitch_tables

if TYPE_CHECKING:
    from csrextract.driver import Report
    from csrextract.driver import Report as ReportResult  # noqa: F401  (the kept name)
    from csrextract.ocr.registry import OcrSettings

logger = logging.getLogger(__name__)

OCR_WORKERS = 2
"""Processes for OCR: the target machine has two cores."""

MIN_PAGES_FOR_POOL = 3
"""Fewer uncached OCR pages than this run in this process: starting worker processes (imports,
model load) costs seconds, more than it saves on one or two pages."""

DEFAULT_PAGE_SIZE = (595.0, 842.0)
"""A4 in points: the size given to a page whose own size cannot be read."""

MIN_PAGES_PER_WORKER = 10
"""Each time-limited OCR worker needs this many pages to pay for its start-up (imports, model
load, kernels prepared per input shape: ~3 s, the OCR of 5 pages): fewer pages run in one
worker with both cores (a report whose pictures are triaged down to a few diagrams and scans)."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as page-level work advances (CLI progress bars)."""


def __getattr__(name: str) -> object:
    """``pipeline.ReportResult`` is ``driver.Report`` (imported late: the driver imports us)."""
    if name == "ReportResult":
        from csrextract.driver import Report

        return Report
    raise AttributeError(name)


# --- stages ---------------------------------------------------------------------------------------


def load(path: Path, company: str | None = None, year: int | None = None) -> Document:
    """Stage 1: open, validate and fingerprint the PDF; detect company and year."""
    return load_stage.load_document(Path(path), company, year)


def read_page(path: Path, page_number: int) -> PageContent:
    """Stage 2+3: triage one page and read its text layer, rules, fills and images."""
    return layout.read_page_content(Path(path), page_number)


def broken_page(
    number: int, message: object, size: tuple[float, float] = DEFAULT_PAGE_SIZE
) -> PageContent:
    """An empty page carrying the error, so one bad page does not lose the report: the one
    fallback of both paths (a page that raised, a page batch whose worker died)."""
    logger.warning("page %d: cannot read the page: %s", number, message)
    return PageContent(
        number, size[0], size[1], errors=[ErrorItem.on_page("read", number, message)]
    )


def page_size(doc: pymupdf.Document, number: int) -> tuple[float, float]:
    """Page ``number``'s size in points, A4 if even that cannot be read."""
    try:
        rect = doc[number - 1].rect
        return float(rect.width), float(rect.height)
    except Exception:  # the page object itself may be unreadable
        return DEFAULT_PAGE_SIZE


def broken_pages(path: Path, numbers: Sequence[int], message: object) -> list[PageContent]:
    """``broken_page`` for each of ``numbers``, sized from the PDF when it opens."""
    try:
        with pymupdf.open(Path(path)) as doc:
            sizes = [page_size(doc, n) for n in numbers]
    except Exception:
        sizes = [DEFAULT_PAGE_SIZE] * len(numbers)
    return [broken_page(n, message, size) for n, size in zip(numbers, sizes, strict=True)]


def _read_one(doc: pymupdf.Document, number: int) -> PageContent:
    try:
        return layout.page_content_of(doc[number - 1], number)
    except Exception as exc:
        return broken_page(number, exc, page_size(doc, number))


def read_pages(path: Path, progress: Progress | None = None) -> list[PageContent]:
    """Stage 2+3 for every page, opening the PDF once (per-page errors are kept on the page)."""
    pages: list[PageContent] = []
    with pymupdf.open(Path(path)) as doc:
        total = doc.page_count
        for number in range(1, total + 1):
            pages.append(_read_one(doc, number))
            if progress is not None:
                progress("read", number, total)
    return pages


def read_page_batch(path: Path, page_numbers: Sequence[int]) -> list[PageContent]:
    """Stage 2+3 for some pages, opening the PDF once: the unit of work a flow task runs.

    Reading a text layer takes milliseconds a page, so flows hand out batches, not pages.
    """
    with pymupdf.open(Path(path)) as doc:
        return [_read_one(doc, number) for number in page_numbers]


def _ocr_settings(ocr: OcrSettings | str) -> OcrSettings:
    from csrextract.ocr.registry import OcrSettings

    return OcrSettings(engine=ocr) if isinstance(ocr, str) else ocr


def ocr_failed(page: PageContent, message: object) -> PageContent:
    """``page`` as it was, with the OCR failure as its error item (both paths' fallback)."""
    logger.warning("page %d: OCR failed: %s", page.number, message)
    return replace(page, errors=[*page.errors, ErrorItem.on_page("ocr", page.number, message)])


def ocr_page(path: Path, content: PageContent, ocr: OcrSettings | str = "rapidocr") -> PageContent:
    """OCR stage: fill in the lines (and rules/fills) of an image or mixed page.

    Returns ``content`` unchanged for pages triaged as text.
    """
    from csrextract.ocr import ocr_page_content  # lazy: onnxruntime/OpenCV only when needed

    return ocr_page_content(Path(path), content, _ocr_settings(ocr))


def is_ocr_cached(path: Path, content: PageContent, ocr: OcrSettings | str) -> bool:
    """Whether the OCR cache holds every area of the page (then OCR costs no recognition)."""
    from csrextract.ocr import is_cached

    return is_cached(Path(path), content, _ocr_settings(ocr))


def ocr_page_limited(
    path: Path, content: PageContent, ocr: OcrSettings | str, timeout: float, processes: int = 1
) -> PageContent:
    """One page's OCR under a hard time limit — the unit both paths run per uncached page.

    A page the cache fully serves is done here (no recognition: no limit needed, no worker
    start); any other page runs in a killable worker process. ``OcrUnavailableError`` raises;
    any other failure becomes the page's error item.
    """
    settings = _ocr_settings(ocr)
    if is_ocr_cached(path, content, settings):
        return ocr_page(path, content, settings)
    return _ocr_in_killable_worker(path, content, settings, timeout, processes)


def _ocr_in_killable_worker(
    path: Path, content: PageContent, settings: OcrSettings, timeout: float, processes: int
) -> PageContent:
    """One uncached page's OCR in a killable worker process under the hard time limit (the
    caller asked the cache already: asking again hashes every picture stream of the page)."""
    from csrextract.isolation import run_with_hard_timeout
    from csrextract.ocr import ocr_page_content, ocr_page_in_pool

    try:
        if processes > 1:  # workers share the cores: single-threaded engines
            return run_with_hard_timeout(
                ocr_page_in_pool, timeout, processes, Path(path), content, settings
            )
        # a function of csrextract.ocr: the worker imports the OCR stage, not the pipeline
        return run_with_hard_timeout(
            ocr_page_content, timeout, processes, Path(path), content, settings
        )
    except OcrUnavailableError:
        raise
    except Exception as exc:
        return ocr_failed(content, exc)


def may_need_ocr(path: Path) -> bool:
    """Whether any page holds a picture (only such pages can need OCR): a cheap look at the
    page resources, no rendering and no text extraction."""
    with pymupdf.open(path) as doc:
        return any(page.get_images(full=False) for page in doc)


def warm_ocr_worker(path: Path, ocr: OcrSettings | str) -> bool:
    """Start the single time-limited OCR worker and load its engine now (import and model load
    take ~1–2 s), while this process reads the text layer; True when a worker was started.
    Fewer than ``2 * MIN_PAGES_PER_WORKER`` OCR pages then find it ready; a report with more
    starts a larger pool, which pays its own start-up once over many pages."""
    from csrextract.isolation import start_in_pool
    from csrextract.ocr import warm_up

    if not may_need_ocr(path):
        return False
    return start_in_pool(warm_up, 1, _ocr_settings(ocr))


def ocr_pages(
    path: Path,
    pages: list[PageContent],
    ocr: OcrSettings | str = "rapidocr",
    workers: int = OCR_WORKERS,
    progress: Progress | None = None,
    page_timeout: float | None = None,
) -> list[PageContent]:
    """OCR every page that needs it; a failed page becomes an error item on that page.

    The OCR cache is asked first: pages it fully serves are done here, in this process (a
    re-run on an unchanged PDF starts no workers). The other pages go to a process pool when
    there are enough of them to pay for its start-up (``MIN_PAGES_FOR_POOL``); with
    ``page_timeout`` each runs in a killable worker under that hard limit instead
    (``csrextract.isolation``), as the flow's OCR tasks do.

    A missing engine is not a page's problem: ``ConfigurationError`` (no page could be read).
    """
    settings = _ocr_settings(ocr)
    needing = [i for i, p in enumerate(pages) if p.needs_ocr]
    if not needing:
        if page_timeout is not None:
            from csrextract.isolation import kill_pool

            kill_pool()  # a warm-up started for pictures that all proved photographs
        return pages
    total = len(needing)
    out = list(pages)
    try:
        cached = [i for i in needing if is_ocr_cached(path, pages[i], settings)]
        for count, i in enumerate(cached, start=1):
            out[i] = ocr_page(path, pages[i], settings)
            if progress is not None:
                progress("ocr", count, total)
        served = set(cached)
        rest = [i for i in needing if i not in served]
        if rest:
            already = len(cached)

            def page_done(count: int, _: int) -> None:
                if progress is not None:
                    progress("ocr", already + count, total)

            todo = [pages[i] for i in rest]
            if page_timeout is not None:
                pool = max(1, min(workers, len(rest) // MIN_PAGES_PER_WORKER))
                done = _ocr_time_limited(path, todo, settings, pool, page_timeout, page_done)
            else:
                from csrextract.ocr import ocr_pages as run_ocr

                pool = workers if len(rest) >= MIN_PAGES_FOR_POOL else 1
                done = run_ocr(Path(path), todo, settings, workers=pool, on_page_done=page_done)
            for i, page in zip(rest, done, strict=True):
                out[i] = page
        return out
    except OcrUnavailableError as exc:
        raise ConfigurationError(
            f"OCR engine {settings.engine!r} is not usable ({exc}); install it or choose "
            "--ocr-engine rapidocr"
        ) from exc
    except Exception as exc:  # a crashed worker: the pages keep the error
        return [ocr_failed(p, exc) if p.needs_ocr else p for p in pages]


def _ocr_time_limited(
    path: Path,
    pages: list[PageContent],
    settings: OcrSettings,
    workers: int,
    timeout: float,
    on_done: Callable[[int, int], None],
) -> list[PageContent]:
    """OCR each page (none of them served by the cache) in a killable worker process under a
    hard time limit; a page past the limit keeps its error item (the others go on)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(page: PageContent) -> PageContent:
        return _ocr_in_killable_worker(path, page, settings, timeout, workers)

    out: list[PageContent] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as threads:
        for count, page in enumerate(threads.map(one, pages), start=1):
            out.append(page)
            on_done(count, len(pages))
    return out


def detect_page(page: PageContent) -> list[Table]:
    """Stage 4 on one page: its table candidates."""
    return detect_tables(page)


def detect_all(pages: Sequence[PageContent]) -> list[Table]:
    """Tables of every page (a page whose detection fails raises: the driver guards each
    page, see ``driver.stage_tables``)."""
    return [table for page in pages for table in detect_tables(page)]


def number_tables(tables: Sequence[Table]) -> list[Table]:
    """Stable, readable ids in document order: ``t01``, ``t02``, ... (first page, then top)."""
    ordered = sorted(tables, key=lambda t: (t.pages[0] if t.pages else 0, t.bbox[1], t.bbox[0]))
    width = max(2, len(str(len(ordered))))
    return [replace(t, table_id=f"t{i:0{width}d}") for i, t in enumerate(ordered, start=1)]


def classify_tables(tables: list[Table], pages: list[PageContent]) -> list[Table]:
    """Stage 5: kind of every table, then stable ids."""
    return number_tables(classify.classify_tables(tables, pages))


def find_tables(pages: list[PageContent]) -> list[Table]:
    """Stage 4+5: detect tables on every page, stitch continuations, classify them."""
    return classify_tables(stitch_tables(detect_all(pages), pages), pages)


def page_errors(pages: Sequence[PageContent]) -> list[ErrorItem]:
    """Every page's error items, in page order."""
    return [item for page in pages for item in page.errors]


def normalise(
    document: Document, pages: list[PageContent], tables: list[Table], run_id: str
) -> dict[str, pd.DataFrame]:
    """Stage 6 without the driver: tidy records for every dataset, identity columns filled."""
    normalised = normalise_tables(tables)
    return frames.build_datasets(
        document, pages, tables, normalised, run_id, {}, [str(e) for e in page_errors(pages)]
    )


def extract_report(
    path: Path,
    company: str | None = None,
    year: int | None = None,
    ocr_engine: str = "rapidocr",
    *,
    progress: Progress | None = None,
    page_timeout: float | None = None,
) -> Report:
    """Every stage up to (not including) writing, in one process (OCR pages in worker
    processes; with ``page_timeout``, each under that hard time limit): ``driver.run`` with
    ``write=False``."""
    from csrextract import driver
    from csrextract.ocr.registry import OcrSettings

    settings = driver.IngestSettings(
        company=company,
        year=year,
        ocr=OcrSettings(engine=ocr_engine),
        page_timeout=page_timeout,
        write=False,
    )
    return driver.run(Path(path), settings, progress=progress)
