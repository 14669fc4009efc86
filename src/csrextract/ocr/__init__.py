"""OCR stage: text, rules and fills for page areas that have no text layer.

``ocr_page_content`` enriches one ``PageContent`` from triage:

* ``PageKind.TEXT`` — returned unchanged (the text layer is exact; OCR would only add noise);
* ``PageKind.IMAGE`` — the whole page is rendered, deskewed and OCRed; its text lines, ruling
  lines and filled bands replace the (empty or unusable) text layer's lines;
* ``PageKind.MIXED`` — only the ``ImageRegion(carries_text=True)`` areas are OCRed, and only
  OCR lines that do not overlap a text-layer line are added: never OCR what the text layer
  already gives.

OCR output then goes through the same table detection as the text layer. Per-area failures are
recorded in ``PageContent.errors``; only a missing engine or missing weights raise
(``OcrUnavailableError``), because no page could be read then.

``ocr_pages`` runs many pages in a process pool (one engine per worker).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

import pymupdf

from csrextract.errors import OcrUnavailableError
from csrextract.models import BBox, ErrorItem, Fill, PageContent, PageKind, Rule, TextLine
from csrextract.ocr.cache import OcrCache, area_key, decode, default_cache_dir, encode
from csrextract.ocr.engines import (
    OcrBox,
    OcrEngine,
    RapidOcrEngine,
    RapidOcrSettings,
    get_engine,
)
from csrextract.ocr.graphics import analyse_graphics, with_text_boxes
from csrextract.ocr.image import RenderPlan, page_image, plan_render
from csrextract.ocr.marks import add_marks
from csrextract.ocr.registry import DEFAULT_DPI, OcrSettings, build_engine, check_available
from csrextract.ocr.split import split_runs
from csrextract.ocr.text import text_line

__all__ = [
    "DEFAULT_DPI",
    "OcrBox",
    "OcrEngine",
    "OcrSettings",
    "RapidOcrEngine",
    "RapidOcrSettings",
    "get_engine",
    "ocr_area",
    "ocr_page_content",
    "ocr_pages",
]

logger = logging.getLogger(__name__)

_IMAGE_WORK = ThreadPoolExecutor(max_workers=1, thread_name_prefix="csrextract-graphics")
"""One thread for the image analysis of the page being recognised (see ``ocr_area``)."""

MIN_REGION_PT = 20.0
"""Image regions smaller than this (either side) hold no readable table or paragraph."""


def ocr_area(
    pdf_path: Path,
    page_number: int,
    area: BBox,
    engine: OcrEngine,
    cache: OcrCache,
    dpi: float = DEFAULT_DPI,
) -> tuple[list[TextLine], list[Rule], list[Fill]]:
    """Text lines, rules and fills of one page area (PDF points), from the cache if possible."""
    with pymupdf.open(pdf_path) as doc:
        key = area_key(doc[page_number - 1], area, dpi, engine.version)
    cached = cache.get(key)
    if cached is not None:
        return decode(cached)
    image = page_image(pdf_path, page_number, dpi, area)
    # the image analysis needs no text: it runs beside the recogniser (both release the GIL;
    # the networks leave a core idle part of the time)
    analysis = _IMAGE_WORK.submit(analyse_graphics, image)
    boxes = engine.recognise(image.pixels)
    graphics = with_text_boxes(analysis.result(), image, [image.to_points(b.box) for b in boxes])
    boxes = split_runs(boxes, image.pixels, graphics.text_ink, engine)
    found = [ln for ln in (text_line(b, image, graphics.text_ink) for b in boxes) if ln]
    em_px = statistics.median(ln.font_size for ln in found) / image.scale if found else 0.0
    lines = add_marks(found, graphics.text_ink, image, em_px)
    lines.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    logger.debug(
        "page %d area %s: skew %.2f°, %d lines, %d rules, %d fills",
        page_number,
        area,
        image.skew,
        len(lines),
        len(graphics.rules),
        len(graphics.fills),
    )
    cache.put(key, encode(lines, graphics.rules, graphics.fills))
    return lines, graphics.rules, graphics.fills


def _ocr_error(content: PageContent, message: object) -> ErrorItem:
    return ErrorItem.on_page("ocr", content.number, message)


def _resolve_engine(engine: str | OcrEngine) -> OcrEngine:
    return build_engine(engine) if isinstance(engine, str) else engine


def _overlaps_text(line: TextLine, text_lines: Sequence[TextLine]) -> bool:
    x0, top, x1, bottom = line.bbox
    area = max((x1 - x0) * (bottom - top), 1e-6)
    for other in text_lines:
        w = min(x1, other.bbox[2]) - max(x0, other.bbox[0])
        h = min(bottom, other.bbox[3]) - max(top, other.bbox[1])
        if w > 0 and h > 0 and w * h > 0.3 * area:
            return True
    return False


def _clip(box: BBox, content: PageContent) -> BBox:
    return (
        max(0.0, box[0]),
        max(0.0, box[1]),
        min(content.width, box[2]),
        min(content.height, box[3]),
    )


def _plan(pdf_path: Path, page_number: int, area: BBox, dpi: float) -> RenderPlan:
    with pymupdf.open(pdf_path) as doc:
        return plan_render(doc[page_number - 1], area, dpi)


def _ocr_image_page(
    pdf_path: Path, content: PageContent, engine: OcrEngine, cache: OcrCache, dpi: float
) -> PageContent:
    area = (0.0, 0.0, content.width, content.height)
    plan = _plan(pdf_path, content.number, area, dpi)
    if plan.refused:
        logger.warning("%s", plan.refused)
        return replace(content, errors=[*content.errors, _ocr_error(content, plan.refused)])
    warnings = [_ocr_error(content, plan.warning)] if plan.warning else []
    if plan.warning:
        logger.warning("%s", plan.warning)
    lines, rules, fills = ocr_area(pdf_path, content.number, area, engine, cache, plan.dpi)
    return replace(
        content,
        lines=lines,
        rules=[*content.rules, *rules],
        fills=[*content.fills, *fills],
        errors=[*content.errors, *warnings],
    )


def _ocr_mixed_page(
    pdf_path: Path, content: PageContent, engine: OcrEngine, cache: OcrCache, dpi: float
) -> PageContent:
    lines, rules, fills = list(content.lines), list(content.rules), list(content.fills)
    errors = list(content.errors)
    for region in content.images:
        if not region.carries_text:
            continue
        area = _clip(region.bbox, content)
        if area[2] - area[0] < MIN_REGION_PT or area[3] - area[1] < MIN_REGION_PT:
            continue
        plan = _plan(pdf_path, content.number, area, dpi)
        if plan.refused or plan.warning:
            logger.warning("%s", plan.refused or plan.warning)
            errors.append(_ocr_error(content, plan.refused or plan.warning))
        if plan.refused:
            continue
        try:
            found, region_rules, region_fills = ocr_area(
                pdf_path, content.number, area, engine, cache, plan.dpi
            )
        except OcrUnavailableError:
            raise
        except Exception as exc:  # one bad region must not lose the page
            logger.warning("page %d: OCR of region %s failed: %s", content.number, area, exc)
            errors.append(_ocr_error(content, f"region {tuple(round(v) for v in area)}: {exc}"))
            continue
        lines.extend(ln for ln in found if not _overlaps_text(ln, content.lines))
        rules.extend(region_rules)
        fills.extend(region_fills)
    lines.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    return replace(content, lines=lines, rules=rules, fills=fills, errors=errors)


def ocr_page_content(
    pdf_path: Path,
    content: PageContent,
    engine: str | OcrEngine | OcrSettings = "rapidocr",
    cache_dir: Path | None = None,
    *,
    dpi: float = DEFAULT_DPI,
    use_cache: bool = True,
) -> PageContent:
    """``content`` with OCR text, rules and fills added where the page has no text layer.

    ``engine`` may be ``OcrSettings``: then they choose the engine, cache and dpi. Otherwise
    ``cache_dir`` defaults to ``default_cache_dir()``; ``use_cache=False`` disables caching.
    """
    if content.kind is PageKind.TEXT:
        return content
    if content.kind is PageKind.MIXED and not any(r.carries_text for r in content.images):
        return content
    if isinstance(engine, OcrSettings):
        cache_dir, dpi, use_cache = engine.cache_dir, engine.dpi, engine.use_cache
        engine = build_engine(engine)
    ocr_engine = _resolve_engine(engine)
    cache = OcrCache((cache_dir or default_cache_dir()) if use_cache else None)
    if content.kind is PageKind.MIXED:
        return _ocr_mixed_page(Path(pdf_path), content, ocr_engine, cache, dpi)
    try:
        return _ocr_image_page(Path(pdf_path), content, ocr_engine, cache, dpi)
    except OcrUnavailableError:
        raise
    except Exception as exc:  # the page becomes an error item; the run goes on
        logger.warning("page %d: OCR failed: %s", content.number, exc)
        return replace(content, errors=[*content.errors, _ocr_error(content, exc)])


def ocr_areas(content: PageContent) -> list[BBox]:
    """The page areas ``ocr_page_content`` would OCR (none for text pages)."""
    if content.kind is PageKind.IMAGE:
        return [(0.0, 0.0, content.width, content.height)]
    if content.kind is not PageKind.MIXED:
        return []
    areas = [_clip(r.bbox, content) for r in content.images if r.carries_text]
    return [a for a in areas if a[2] - a[0] >= MIN_REGION_PT and a[3] - a[1] >= MIN_REGION_PT]


def is_cached(pdf_path: Path, content: PageContent, settings: OcrSettings) -> bool:
    """True when every area of the page is in the OCR cache (or refused by the render caps):
    OCR of it costs no recognition, so it may run without a time limit in this process. The
    cache answers (a probe: it counts no hit); nothing is guessed from how long a page took."""
    if not settings.use_cache:
        return False
    cache = OcrCache(settings.cache_dir or default_cache_dir())
    version = build_engine(settings).version  # cheap: networks load on the first recognition
    with pymupdf.open(pdf_path) as doc:
        page = doc[content.number - 1]
        for area in ocr_areas(content):
            plan = plan_render(page, area, settings.dpi)
            if plan.refused:
                continue
            if not cache.contains(area_key(page, area, plan.dpi, version)):
                return False
    return True


# --- many pages in parallel -------------------------------------------------------------------

_WORKER_ENGINE: OcrEngine | None = None


def _init_worker(settings: OcrSettings) -> None:
    """Build this worker's engine once, single-threaded: the pool provides the parallelism.

    The worker dies with its parent and has bounded memory (``isolation.guard_worker``).
    """
    from csrextract.isolation import guard_worker

    guard_worker()
    _build_worker_engine(settings)


def _build_worker_engine(settings: OcrSettings) -> OcrEngine:
    global _WORKER_ENGINE
    _WORKER_ENGINE = build_engine(settings.single_threaded())
    return _WORKER_ENGINE


def warm_up(settings: OcrSettings) -> None:
    """Build and load the engine a single time-limited worker uses (``ocr_page_content`` with
    these settings), so the first page it is given pays no import or model load."""
    engine = build_engine(settings)
    load = getattr(engine, "load", None)
    if callable(load):
        load()


def ocr_page_in_pool(pdf_path: Path, content: PageContent, settings: OcrSettings) -> PageContent:
    """``ocr_page_content`` in one of several worker processes sharing the cores (the
    time-limited pool): the worker's engine is built once, single-threaded, as in
    ``ocr_pages``'s own pool."""
    engine = _WORKER_ENGINE
    if engine is None or getattr(engine, "name", settings.engine) != settings.engine:
        engine = _build_worker_engine(settings)
    return _ocr_with(pdf_path, content, engine, settings)


def _ocr_with(
    pdf_path: Path, content: PageContent, engine: OcrEngine, settings: OcrSettings
) -> PageContent:
    return ocr_page_content(
        pdf_path,
        content,
        engine,
        settings.cache_dir,
        dpi=settings.dpi,
        use_cache=settings.use_cache,
    )


def _ocr_in_worker(pdf_path: Path, content: PageContent, settings: OcrSettings) -> PageContent:
    assert _WORKER_ENGINE is not None, "worker initialiser did not run"
    return _ocr_with(pdf_path, content, _WORKER_ENGINE, settings)


def ocr_pages(
    pdf_path: Path,
    contents: Sequence[PageContent],
    engine: str | OcrSettings = "rapidocr",
    workers: int | None = 2,
    cache_dir: Path | None = None,
    on_page_done: Callable[[int, int], None] | None = None,
) -> list[PageContent]:
    """``ocr_page_content`` over many pages, in ``workers`` processes; order preserved.

    ``engine`` is an engine name or the whole ``OcrSettings`` (then ``cache_dir`` is theirs).
    Pages that need no OCR are passed through without touching the pool; with one worker (or
    one page to OCR) everything runs in this process. ``on_page_done(done, total)`` is called
    as each page finishes (in completion order), so a caller can show progress on long runs.
    """
    settings = (
        engine if isinstance(engine, OcrSettings) else OcrSettings(engine, cache_dir=cache_dir)
    )
    todo = [i for i, c in enumerate(contents) if c.needs_ocr]
    out = list(contents)
    if not todo:
        return out
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    started = time.perf_counter()
    if n_workers == 1:
        ocr_engine = build_engine(settings)
        for done, i in enumerate(todo, 1):
            out[i] = _ocr_with(pdf_path, contents[i], ocr_engine, settings)
            _page_done(done, len(todo), started, on_page_done)
        return out
    check_available(settings)  # fail here, not once per worker
    with ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=multiprocessing.get_context("spawn"),  # no forked ONNX Runtime thread pools
        initializer=_init_worker,
        initargs=(settings,),
    ) as pool:
        futures = {pool.submit(_ocr_in_worker, pdf_path, contents[i], settings): i for i in todo}
        for done, future in enumerate(as_completed(futures), 1):
            out[futures[future]] = future.result()
            _page_done(done, len(todo), started, on_page_done)
    return out


def _page_done(
    done: int, total: int, started: float, callback: Callable[[int, int], None] | None
) -> None:
    _log_progress(done, total, started)
    if callback is not None:
        callback(done, total)


def _log_progress(done: int, total: int, started: float) -> None:
    if done == total or done % 10 == 0:
        elapsed = time.perf_counter() - started
        logger.info("OCR: %d/%d pages, %.1fs (%.2fs/page)", done, total, elapsed, elapsed / done)
