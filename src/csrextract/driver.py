"""The one driver: a report's stages, in order, run by :func:`run` with one settings object.

Every way in — ``csrextract ingest``, ``csrextract.extract()``, the Prefect flows, the corpus
scorer and the bench — calls :func:`run`. It owns the stage order, the skip check, timing,
error routing and the ``reports`` row; callers choose only *where* the page-level stages and
the write run, through an :class:`Executor` (a local process pool here, Prefect task maps with
retries and caching in ``flows/``). So both paths record the same ``stage_seconds`` keys and
treat a broken page the same way, and the PDF is loaded, the stored report checked and the
datasets validated once per run.

State travels in a :class:`Report` that each stage fills in::

    load      Path            → Document            (open, validate, fingerprint, identity)
    prepare   Document        → skip?               (heal a torn run, identity guard) [write]
    read      Document        → list[PageContent]   (triage + text layer, per page)
    ocr       PageContent     → PageContent         (image pages and regions, per page)
    tables    PageContent     → list[Table]         (detect per page, stitch continuations)
    classify  list[Table]     → list[Table]         (kind, stable ids)
    normalise list[Table]     → dict[name, frame]   (per dataset; a failing table → ErrorItem)
    frames    all of the above→ dict[name, frame]   (contract datasets, identity columns)
    report    timings, errors → the ``reports`` row (built last)
    write     datasets        → WriteResult         (validate, then one Delta unit) [write]

A failure confined to a page or a table becomes an :class:`~csrextract.models.ErrorItem` and
the report ``partial_success``; a failure of a non-fatal stage as a whole becomes one item for
that stage. Only a file that cannot be ingested (``InputError``), an identity conflict, a
validation failure or a configuration problem (no OCR engine) raise.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from csrextract.errors import ConfigurationError, InputError
from csrextract.models import Document, ErrorItem, PageContent, Table
from csrextract.ocr.registry import OcrSettings

if TYPE_CHECKING:
    import pandas as pd

    from csrextract.storage import WriteResult

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as page-level work advances (CLI progress bars)."""

DEFAULT_WORKERS = 2
"""Worker processes (and flow threads) for page work: the target machine has two cores."""

MAX_PAGE_TIMEOUT_SECONDS = 86_400.0
"""A page limit beyond a day is a typo, not a setting."""

YEAR_RANGE = (1900, 2100)
"""Report years accepted as an override."""


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """Everything that steers one ingestion, checked once when built.

    ``page_timeout``: hard seconds per OCR page (``None``: no hard limit, pages share one
    process pool); ``workers``: page-level parallelism; ``force``: re-extract and write a new
    version of an unchanged PDF; ``replace``: let a different PDF replace the stored report of
    the same company-year; ``write=False``: stop before writing (the API, scorers, benches).
    """

    output: Path = Path("output")
    company: str | None = None
    year: int | None = None
    ocr: OcrSettings = field(default_factory=OcrSettings)
    page_timeout: float | None = None
    workers: int = DEFAULT_WORKERS
    force: bool = False
    replace: bool = False
    write: bool = True

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ConfigurationError(f"workers must be at least 1, not {self.workers}")
        if self.page_timeout is not None and not (
            0 < self.page_timeout <= MAX_PAGE_TIMEOUT_SECONDS
        ):
            raise ConfigurationError(
                f"page timeout out of range (0-{MAX_PAGE_TIMEOUT_SECONDS:g}]: {self.page_timeout}"
            )
        if self.year is not None and not YEAR_RANGE[0] <= self.year <= YEAR_RANGE[1]:
            raise ConfigurationError(
                f"year out of range ({YEAR_RANGE[0]}-{YEAR_RANGE[1]}): {self.year}"
            )
        if self.company is not None and not self.company.strip():
            raise ConfigurationError("company is empty (leave it out to detect it)")


def new_run_id() -> str:
    """A random UUID: the same format as the Prefect flow run id the flows record, so every
    ``run_id`` column holds one kind of value whichever way the report was ingested (the commit
    timestamp, in ``history``, says when)."""
    return str(uuid.uuid4())


@dataclass(slots=True)
class Report:
    """One report's state as the stages fill it in: document, pages, tables, normalised
    frames, datasets, error items and timings (and, when written, what the write did)."""

    path: Path
    run_id: str = field(default_factory=new_run_id)
    doc: Document | None = None  # set by the load stage; read it as ``document``
    pages: list[PageContent] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    normalised: dict[str, pd.DataFrame] = field(default_factory=dict)
    datasets: dict[str, pd.DataFrame] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    items: list[ErrorItem] = field(default_factory=list)
    skipped: bool = False
    written: WriteResult | None = None

    @property
    def errors(self) -> list[ErrorItem]:
        """Every error item: each page's (in page order), then the later stages'."""
        return [*(item for page in self.pages for item in page.errors), *self.items]

    @property
    def status(self) -> str:
        """``partial_success`` when anything went wrong on the way, else ``success``."""
        return "partial_success" if self.errors else "success"

    @property
    def document(self) -> Document:
        """The loaded document (every stage after ``load`` may rely on it)."""
        if self.doc is None:
            raise RuntimeError("the load stage has not run")
        return self.doc


class Executor(Protocol):
    """Where the page-level stages and the write run; the driver decides *what* runs *when*.

    ``LocalExecutor`` runs pages in this process and a process pool; the Prefect flow maps
    them over tasks (threads or Dask) with retries and caching, and retries the write on
    Delta commit conflicts. Each method returns what the stage produces; a failure confined to
    one page is that page's ``ErrorItem``.
    """

    def read(
        self, document: Document, settings: IngestSettings, progress: Progress | None
    ) -> list[PageContent]: ...

    def ocr(
        self,
        document: Document,
        pages: list[PageContent],
        settings: IngestSettings,
        progress: Progress | None,
    ) -> list[PageContent]: ...

    def write(self, report: Report, settings: IngestSettings) -> WriteResult: ...


class LocalExecutor:
    """Pages in this process, OCR in a local process pool (or killable workers under the page
    time limit), the write in this process."""

    def read(
        self, document: Document, settings: IngestSettings, progress: Progress | None
    ) -> list[PageContent]:
        from csrextract import pipeline

        if settings.page_timeout is not None:  # OCR will run in a killable worker: start it
            pipeline.warm_ocr_worker(document.path, settings.ocr)
        return pipeline.read_pages(document.path, progress)

    def ocr(
        self,
        document: Document,
        pages: list[PageContent],
        settings: IngestSettings,
        progress: Progress | None,
    ) -> list[PageContent]:
        from csrextract import pipeline

        return pipeline.ocr_pages(
            document.path,
            pages,
            settings.ocr,
            workers=settings.workers,
            progress=progress,
            page_timeout=settings.page_timeout,
        )

    def write(self, report: Report, settings: IngestSettings) -> WriteResult:
        return write_datasets(report, settings)


def write_datasets(report: Report, settings: IngestSettings) -> WriteResult:
    """Validate every dataset, then store the report as one unit (``storage.write_report``)."""
    from csrextract import storage
    from csrextract.frames import pipeline_version

    document = report.document
    return storage.write_report(
        report.datasets,
        settings.output,
        report_id=document.report_id,
        source_sha256=document.sha256,
        run_id=report.run_id,
        pipeline_version=pipeline_version(),
        force=settings.force,
        replace=settings.replace,
    )


# --- the stages -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What every stage may use besides the report: the settings and where pages run."""

    settings: IngestSettings
    executor: Executor
    progress: Progress | None = None


StageFn = Callable[[Report, Context], None]


@dataclass(frozen=True, slots=True)
class Stage:
    """One named step. ``fatal``: a failure ends the report (it raises); otherwise it becomes
    one ``ErrorItem`` of this stage and the later stages go on. ``writes``: runs only when the
    settings write."""

    name: str
    run: StageFn
    fatal: bool = False
    writes: bool = False


def guarded(
    report: Report,
    stage: str,
    step: Callable[[], object],
    *,
    page: int | None = None,
    table_id: str | None = None,
) -> bool:
    """Run one per-page or per-table ``step``; a failure becomes an ``ErrorItem`` (True if the
    step succeeded). Configuration errors are not a page's problem: they raise."""
    try:
        step()
    except ConfigurationError:
        raise
    except Exception as exc:
        logger.warning("%s failed (page %s, table %s): %r", stage, page, table_id, exc)
        report.items.append(ErrorItem(stage, page, table_id, _message(exc)))
        return False
    return True


def _message(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def stage_load(report: Report, ctx: Context) -> None:
    from csrextract import pipeline

    report.doc = pipeline.load(report.path, ctx.settings.company, ctx.settings.year)


def stage_prepare(report: Report, ctx: Context) -> None:
    """Heal a torn earlier run, refuse a different PDF unless ``replace``, skip an unchanged
    PDF unless ``force`` (under the report's lock; see ``storage.prepare_report``)."""
    from csrextract import storage
    from csrextract.frames import pipeline_version

    document = report.document
    report.skipped = storage.prepare_report(
        ctx.settings.output,
        document.report_id,
        document.sha256,
        pipeline_version(),
        source_path=str(report.path),
        force=ctx.settings.force,
        replace=ctx.settings.replace,
    )


def stage_read(report: Report, ctx: Context) -> None:
    report.pages = ctx.executor.read(report.document, ctx.settings, ctx.progress)


def stage_ocr(report: Report, ctx: Context) -> None:
    if any(page.needs_ocr for page in report.pages):
        report.pages = ctx.executor.ocr(report.document, report.pages, ctx.settings, ctx.progress)


def stage_tables(report: Report, ctx: Context) -> None:
    """Detect per page (a page whose detection fails is an item), then stitch."""
    from csrextract import pipeline
    from csrextract.tables import stitch_tables

    found: list[Table] = []
    for page in report.pages:
        guarded(
            report,
            "tables",
            lambda page=page: found.extend(pipeline.detect_page(page)),  # type: ignore[misc]
            page=page.number,
        )
    report.tables = stitch_tables(found, report.pages)


def stage_classify(report: Report, ctx: Context) -> None:
    from csrextract import pipeline

    report.tables = pipeline.classify_tables(report.tables, report.pages)


def stage_normalise(report: Report, ctx: Context) -> None:
    """Each named dataset's normaliser (:mod:`csrextract.datasets`) over the tables of its kind;
    should it fail, each table is tried alone and every table that still fails is an item (the
    others' rows are kept)."""
    from csrextract.frames import normalised_frame
    from csrextract.normalise import normalise_rows

    for name, rows in normalise_rows(report.tables, record_table_failures(report)).items():
        report.normalised[name] = normalised_frame(name, rows)


def record_table_failures(report: Report) -> Callable[[Table, Exception], None]:
    """``on_failure`` for the normalise stage: a table it cannot read becomes the report's
    ``ErrorItem`` (page, table id, message)."""

    def failed(table: Table, exc: Exception) -> None:
        page = table.pages[0] if table.pages else None
        logger.warning("normalise failed (page %s, table %s): %r", page, table.table_id, exc)
        report.items.append(ErrorItem("normalise", page, table.table_id, _message(exc)))

    return failed


def stage_frames(report: Report, ctx: Context) -> None:
    from csrextract import frames

    report.datasets = frames.build_datasets(
        report.document, report.pages, report.tables, report.normalised, report.run_id, {}, []
    )


def stage_report(report: Report, ctx: Context) -> None:
    """The ``reports`` row, last: it carries every earlier stage's time and every item."""
    from csrextract import frames

    document = report.document
    report.datasets["reports"] = frames.reports_frame(
        document,
        report.pages,
        report.tables,
        report.stage_seconds,
        [str(item) for item in report.errors],
        frames.identity(document, report.run_id),
    )


def stage_write(report: Report, ctx: Context) -> None:
    report.written = ctx.executor.write(report, ctx.settings)
    report.skipped = report.written.skipped


STAGES: tuple[Stage, ...] = (
    Stage("load", stage_load, fatal=True),
    Stage("prepare", stage_prepare, fatal=True, writes=True),
    Stage("read", stage_read),
    Stage("ocr", stage_ocr, fatal=True),
    Stage("tables", stage_tables),
    Stage("classify", stage_classify),
    Stage("normalise", stage_normalise),
    Stage("frames", stage_frames, fatal=True),
    Stage("report", stage_report, fatal=True),
    Stage("write", stage_write, fatal=True, writes=True),
)
"""The stage list, in order. ``ocr`` is fatal only for what escapes it — a missing engine
(``ConfigurationError``): a page's failure is already that page's item."""

STAGE_NAMES = tuple(stage.name for stage in STAGES)


@contextmanager
def _timed(report: Report, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - started
        report.stage_seconds[name] = report.stage_seconds.get(name, 0.0) + seconds


def run_stage(report: Report, stage: Stage, ctx: Context) -> None:
    """Run one stage, timed; a non-fatal stage's failure becomes one item of that stage."""
    with _timed(report, stage.name):
        if stage.fatal:
            stage.run(report, ctx)
            return
        try:
            stage.run(report, ctx)
        except (ConfigurationError, InputError):
            raise
        except Exception as exc:
            logger.warning("stage %s failed: %r", stage.name, exc)
            report.items.append(ErrorItem(stage.name, None, None, _message(exc)))


StageHook = Callable[[Report, str], None]
"""``hook(report, stage_name)``: called after each stage (the flow names its run after load)."""


def run(
    path: Path | str,
    settings: IngestSettings | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    stages: Sequence[Stage] = STAGES,
    after_stage: StageHook | None = None,
    run_id: str | None = None,
) -> Report:
    """Every stage of one report, in order; stops after ``prepare`` when the stored report is
    already this PDF (``Report.skipped``). Raises ``CsrExtractError`` for what the user must act
    on (see the module docstring). ``run_id``: the orchestrator's run id (default: a new one)."""
    settings = settings or IngestSettings()
    ctx = Context(settings, executor or LocalExecutor(), progress)
    report = Report(Path(path), run_id or new_run_id())
    for stage in stages:
        if stage.writes and not settings.write:
            continue
        run_stage(report, stage, ctx)
        if after_stage is not None:
            after_stage(report, stage.name)
        if report.skipped:
            break
    if report.doc is not None and not report.skipped:
        _log_done(report)
    return report


def _log_done(report: Report) -> None:
    logger.info(
        "%s: %d pages, %d tables, %s in %.2fs (%s)",
        report.document.report_id,
        len(report.pages),
        len(report.tables),
        report.status,
        sum(report.stage_seconds.values()),
        ", ".join(f"{k} {v:.2f}s" for k, v in report.stage_seconds.items()),
    )


__all__ = [
    "STAGES",
    "STAGE_NAMES",
    "Context",
    "Executor",
    "IngestSettings",
    "LocalExecutor",
    "Report",
    "Stage",
    "guarded",
    "new_run_id",
    "record_table_failures",
    "run",
    "run_stage",
]
