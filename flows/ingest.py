"""The ``ingest_reports`` Prefect flow: CSR report PDFs in, versioned Delta datasets out.

Shape of a run (each box is visible in the Prefect UI)::

    ingest-reports                      one run per batch (inbox scan or explicit paths)
    └── ingest-report  (per PDF)        a subflow: one bad PDF fails only its own subflow
        │                               runs ``csrextract.driver.run`` (the CLI's stages)
        ├── read-pages  × batches       triage + text layer (a few pages per task)
        ├── ocr-page    × pages         only pages that need it; retried, time-limited
        └── write                       validate + Delta commits, retried on commit conflicts

The stage order, the skip check, error items and timings are the driver's (the same
``stage_seconds`` keys as ``csrextract ingest``); this module adds only what orchestration
needs: page work mapped over tasks (threads, or Dask when a scheduler is configured), retries,
the run's name, and the artifacts. OCR results are cached by the one OCR cache
(``csrextract.ocr.cache``, folder ``results_dir``), which the page tasks consult first.

Run once without any Prefect server (an ephemeral one is started for the run)::

    python -m flows.ingest fixtures/bytedance_csr_2021.pdf --output output

Scheduling and scale-out are in ``flows/deploy.py`` and ``docs/orchestration.md``.
"""

# No ``from __future__ import annotations`` here: Prefect builds a pydantic model of the flow
# parameters from these annotations, and string annotations fail to resolve when a deployment
# loads this file by path ("`Ingest_ReportsModel` is not fully defined").
import argparse
import hashlib
import logging
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, get_run_logger, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.settings import (
    PREFECT_SERVER_ANALYTICS_ENABLED,
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    temporary_settings,
)
from prefect.settings.legacy import Setting
from prefect.states import Failed, State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from csrextract import driver, pipeline, storage
from csrextract.errors import ConfigurationError, CsrExtractError, InputError, OcrUnavailableError
from csrextract.evaluate import evaluate, load_output_datasets
from csrextract.models import Document, PageContent
from csrextract.ocr.registry import DEFAULT_ENGINE, OcrSettings, check_available, engine_names
from flows import tasks
from flows.isolation import shutdown_pool
from flows.summary import (
    EvaluationFigures,
    IngestSummary,
    ReportOutcome,
    Status,
    artifact_key,
    pages_needing_ocr,
    report_markdown,
    tables_by_kind,
    write_counts,
)

DASK_ADDRESS_ENV = "CSREXTRACT_DASK_ADDRESS"
"""A Dask scheduler address (``tcp://host:8786``); when set, page-level tasks run on Dask."""

RESULTS_DIR_ENV = "CSREXTRACT_RESULTS_DIR"
"""The OCR cache folder; default: the OCR cache's own (``$CSREXTRACT_CACHE_DIR/ocr``)."""

DEFAULT_WORKERS = driver.DEFAULT_WORKERS

OCR_PROGRESS_SECONDS = 15.0
"""A scanned report OCRs for minutes: log how far OCR got at least this often."""

MAX_PAGE_RANGES = 8
"""Page lists in log lines are cut after this many ranges (a scan has 100+ OCR pages)."""


OcrEngine = StrEnum(  # type: ignore[misc]
    "OcrEngine", {name.upper(): name for name in engine_names()}
)
"""OCR engines the flow can use: the registry's names (the ``ocr_engine`` parameter is a choice
in the UI)."""

DEFAULT_OCR_ENGINE = OcrEngine(DEFAULT_ENGINE)


class ReportsFailedError(RuntimeError):
    """Some reports failed; the others landed. Carries the whole run's summary."""

    def __init__(self, summary: IngestSummary) -> None:
        super().__init__(summary)
        self.summary = summary

    def __str__(self) -> str:
        failed = self.summary.failed
        names = "; ".join(f"{o.source}: {o.message}" for o in failed)
        return f"{len(failed)} of {len(self.summary.outcomes)} reports failed: {names}"

    def __repr__(self) -> str:
        return f"ReportsFailedError({self})"


# --- helpers ----------------------------------------------------------------------------------


def check_configuration(output: Path, ocr_engine: str) -> None:
    """The output folder is usable and the OCR engine installed (``ConfigurationError``)."""
    try:
        storage.check_output_writable(output)
    except CsrExtractError as exc:
        raise ConfigurationError(str(exc)) from exc
    damaged = storage.quick_check(output)
    if damaged:
        raise ConfigurationError(f"output {output} is damaged: {damaged[0]}")
    try:
        check_available(str(ocr_engine))
    except OcrUnavailableError as exc:
        raise ConfigurationError(
            f"OCR engine {ocr_engine!r} is not usable ({exc}); install it or use rapidocr"
        ) from exc


def discover_reports(inbox: Path, paths: list[Path] | None) -> list[Path]:
    """The explicit ``paths`` if given, else every ``*.pdf`` in ``inbox`` (sorted).

    A missing inbox is an error, not an empty batch: a mistyped path or an unmounted share
    must not pass as "nothing to ingest" year after year.
    """
    if paths:
        return [Path(p) for p in paths]
    if not inbox.is_dir():
        raise InputError(
            f"inbox folder {str(inbox)!r} does not exist (create it and put the report PDFs "
            "in it, or give the PDFs' paths)"
        )
    return sorted(p for p in inbox.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dask_address_from(value: str | None) -> str | None:
    """The configured Dask scheduler address: the parameter, else the environment."""
    return value or os.environ.get(DASK_ADDRESS_ENV) or None


def page_task_runner(dask_address: str | None, workers: int) -> TaskRunner[Any]:
    """Dask when a scheduler address is configured, else a local thread pool."""
    if dask_address:
        from prefect_dask import DaskTaskRunner  # imported only when used: it pulls in dask

        return DaskTaskRunner(address=dask_address)
    return ThreadPoolTaskRunner(max_workers=max(1, workers))


def ocr_cache_dir(results_dir: Path | None) -> Path | None:
    """The OCR cache folder: the parameter, else ``$CSREXTRACT_RESULTS_DIR``, else the OCR
    cache's default (``$CSREXTRACT_CACHE_DIR/ocr`` or ``~/.cache/csrextract/ocr``)."""
    configured = results_dir or os.environ.get(RESULTS_DIR_ENV)
    return Path(configured).expanduser().resolve() if configured else None


def _report_run_name() -> str:
    """Until the report is loaded its run is named after the file; then after its report id."""
    return f"ingest-{Path(str(flow_run.parameters.get('path', 'report'))).name}"


def _batch_run_name() -> str:
    paths = flow_run.parameters.get("paths") or []
    if paths:
        first = Path(str(paths[0])).stem
        return f"ingest-{first}" + (f"-and-{len(paths) - 1}-more" if len(paths) > 1 else "")
    return f"ingest-inbox-{Path(str(flow_run.parameters.get('inbox', 'inbox'))).name}"


def _rename_run(name: str) -> None:
    """Name the current flow run (``bytedance-2021``) once the report id is known."""
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            client.update_flow_run(flow_run.id, name=name)
    except Exception as exc:  # a name is a convenience: never fail a report over it
        get_run_logger().debug("cannot rename the flow run: %s", exc)


def page_ranges(numbers: list[int], limit: int = MAX_PAGE_RANGES) -> str:
    """``1–4, 7, 9–102``: consecutive pages as ranges, cut after ``limit`` ranges."""
    ranges: list[list[int]] = []
    for n in sorted(numbers):
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    text = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges]
    more = f", … ({len(ranges) - limit} more ranges)" if len(ranges) > limit else ""
    return ", ".join(text[:limit]) + more


def pages_by_kind(pages: list[PageContent]) -> str:
    """``image p1–102; mixed p5, 7`` — short, whatever the page count."""
    kinds: dict[str, list[int]] = {}
    for page in pages:
        kinds.setdefault(str(page.kind), []).append(page.number)
    return "; ".join(f"{kind} p{page_ranges(numbers)}" for kind, numbers in kinds.items())


def _failure_message(state: State) -> str:
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        return f"{type(result).__name__}: {result}"
    return state.message or state.name or "failed"


def page_batches(numbers: list[int], workers: int, per_worker: int = 4) -> list[list[int]]:
    """Contiguous page batches: a few per worker (balance) but not one per page (overhead)."""
    if not numbers:
        return []
    count = min(len(numbers), max(1, workers) * per_worker)
    size = -(-len(numbers) // count)
    return [numbers[i : i + size] for i in range(0, len(numbers), size)]


def _pages_or_errors(
    future: PrefectFuture[list[PageContent]], path: Path, batch: list[int]
) -> list[PageContent]:
    """The batch's pages, or (when the task failed) the driver's broken pages."""
    future.wait()
    if future.state.is_completed():
        return future.result()
    return pipeline.broken_pages(path, batch, _failure_message(future.state))


def _with_ocr_error(page: PageContent, future: PrefectFuture[PageContent]) -> PageContent:
    future.wait()
    if future.state.is_completed():
        return future.result()
    return pipeline.ocr_failed(page, _failure_message(future.state))


class PrefectExecutor:
    """The driver's page stages as Prefect task maps (on the flow's task runner: threads, or
    Dask), the write as a task retried on Delta commit conflicts."""

    def read(
        self,
        document: Document,
        settings: driver.IngestSettings,
        progress: driver.Progress | None,
    ) -> list[PageContent]:
        logger = get_run_logger()
        started = time.perf_counter()
        batches = page_batches(list(range(1, document.page_count + 1)), settings.workers)
        timeout = settings.page_timeout or tasks.DEFAULT_PAGE_TIMEOUT_SECONDS
        futures = tasks.read_pages.map(
            unmapped(document.path), batches, unmapped(timeout), unmapped(settings.workers)
        )
        pages = [
            page
            for future, batch in zip(futures, batches, strict=True)
            for page in _pages_or_errors(future, document.path, batch)
        ]
        needing = pages_needing_ocr(pages)
        logger.info(
            "read %d pages in %.1fs; %d need OCR (%s)",
            len(pages),
            time.perf_counter() - started,
            len(needing),
            pages_by_kind(needing) or "none",
        )
        return pages

    def ocr(
        self,
        document: Document,
        pages: list[PageContent],
        settings: driver.IngestSettings,
        progress: driver.Progress | None,
    ) -> list[PageContent]:
        needing = pages_needing_ocr(pages)
        if not needing:
            return pages
        timeout = settings.page_timeout or tasks.DEFAULT_PAGE_TIMEOUT_SECONDS
        futures = tasks.ocr_page.map(
            unmapped(document.path),
            needing,
            unmapped(settings.ocr),
            unmapped(timeout),
            unmapped(settings.workers),
        )
        done = _collect_ocr(needing, futures)
        return [done.get(p.number, p) for p in pages]

    def write(self, report: driver.Report, settings: driver.IngestSettings) -> storage.WriteResult:
        result: storage.WriteResult = tasks.write_datasets(report, settings)
        return result


def _collect_ocr(
    needing: list[PageContent], futures: list[PrefectFuture[PageContent]]
) -> dict[int, PageContent]:
    """Each OCRed page (or its error), logging progress every ``OCR_PROGRESS_SECONDS``."""
    logger = get_run_logger()
    started = last = time.perf_counter()
    done: dict[int, PageContent] = {}
    for count, (page, future) in enumerate(zip(needing, futures, strict=True), start=1):
        done[page.number] = _with_ocr_error(page, future)
        now = time.perf_counter()
        if now - last >= OCR_PROGRESS_SECONDS and count < len(needing):
            logger.info("OCR %d/%d pages (%.0fs)", count, len(needing), now - started)
            last = now
    logger.info("OCR of %d pages done in %.1fs", len(needing), time.perf_counter() - started)
    return done


def _evaluation(golden: Path, datasets: dict[str, pd.DataFrame]) -> EvaluationFigures:
    figures = EvaluationFigures.from_report(evaluate(golden, datasets))
    f1 = ", ".join(f"{k} {v:.3f}" for k, v in figures.f1.items())
    get_run_logger().info(
        "evaluation against %s: row F1 %s; mean TEDS %.4f", golden, f1, figures.mean_teds
    )
    return figures


def _publish(outcome: ReportOutcome) -> None:
    """The per-report markdown artifact (and the evaluation figures, when golden data is set)."""
    name = outcome.report_id or Path(outcome.source).stem
    create_markdown_artifact(
        markdown=report_markdown(outcome),
        key=artifact_key("csr-report", name),
        description=f"csrextract ingestion of {outcome.source}",
    )
    if outcome.evaluation is not None:
        create_markdown_artifact(
            markdown=outcome.evaluation.text,
            key=artifact_key("csr-evaluation", name),
            description=f"{name} against golden data",
        )


def _skip(outcome: ReportOutcome, output: Path, golden: Path | None) -> ReportOutcome:
    outcome.status = Status.SKIPPED
    outcome.message = (
        "already ingested from the same PDF with the same pipeline version; nothing written "
        "(force=True re-extracts)"
    )
    get_run_logger().info("%s: %s", outcome.report_id, outcome.message)
    if golden is not None:
        stored = load_output_datasets(golden, output, outcome.report_id)
        outcome.evaluation = _evaluation(golden, stored)
    return outcome


def _announce(report: driver.Report, stage: str) -> None:
    """After the driver's ``load``: name the run after the report and say what it is."""
    if stage != "load":
        return
    document = report.document
    _rename_run(document.report_id)
    get_run_logger().info(
        "%s: %s, %d pages, sha256 %s…",
        document.path.name,
        document.report_id,
        document.page_count,
        document.sha256[:12],
    )


def outcome_of_report(report: driver.Report, source: Path) -> ReportOutcome:
    """What the run report and the summary say about one driven report."""
    document = report.document
    outcome = ReportOutcome(
        source=str(source),
        status=Status.INGESTED,
        report_id=document.report_id,
        run_id=report.run_id,
        pages=document.page_count,
        pages_ocr=len(pages_needing_ocr(report.pages)),
        tables_by_kind=tables_by_kind(report.tables),
        warnings=[str(item) for item in report.errors],
        stage_seconds=dict(report.stage_seconds),
    )
    if report.written is not None:
        outcome.rows, outcome.versions = write_counts(report.written)
        outcome.message = report.written.summary()
        if report.written.skipped:
            outcome.status = Status.SKIPPED
            outcome.rows = {k: len(v) for k, v in report.datasets.items()}
    return outcome


@flow(name="ingest-report", flow_run_name=_report_run_name, persist_result=False)
def ingest_report(
    path: Path,
    output: Path = Path("output"),
    company: str | None = None,
    year: int | None = None,
    force: bool = False,
    ocr_engine: OcrEngine = DEFAULT_OCR_ENGINE,
    golden: Path | None = None,
    dask_address: str | None = None,
    workers: int = DEFAULT_WORKERS,
    page_timeout_seconds: float = tasks.DEFAULT_PAGE_TIMEOUT_SECONDS,
    results_dir: Path | None = None,
    replace: bool = False,
) -> ReportOutcome | State:
    """One report through the driver's stages; a bad PDF fails this subflow only (the subflow
    ends ``Failed`` with the reason), and so does a different PDF for a stored report unless
    ``replace``.

    Args:
        path: The report PDF.
        output: Dataset root: one Delta table per dataset.
        company: Company slug; detected from the document when empty.
        year: Report year; detected from the document when empty.
        force: Re-extract and write a new version even if this PDF was ingested already.
        ocr_engine: OCR engine for image pages and image regions.
        golden: Folder of golden CSVs: adds evaluation figures to the run report.
        dask_address: Dask scheduler for page-level tasks (default: $CSREXTRACT_DASK_ADDRESS;
            ingest-reports makes it this subflow's task runner).
        workers: Local threads for page tasks and size of the page process pool.
        page_timeout_seconds: Hard limit per page (reading or OCR).
        results_dir: Where OCR results are persisted (the OCR cache).
        replace: Replace a stored report by a different PDF of the same company and year.
    """
    started = time.perf_counter()
    settings = driver.IngestSettings(
        output=output,
        company=company,
        year=year,
        ocr=OcrSettings(engine=str(ocr_engine), cache_dir=ocr_cache_dir(results_dir)),
        page_timeout=page_timeout_seconds,
        workers=workers,
        force=force,
        replace=replace,
    )
    try:
        report = driver.run(
            path,
            settings,
            executor=PrefectExecutor(),
            run_id=str(flow_run.id),
            after_stage=_announce,
        )
    except CsrExtractError as exc:
        get_run_logger().error("%s: %s", path, exc)
        return Failed(message=f"{type(exc).__name__}: {exc}", data=exc)
    outcome = outcome_of_report(report, path)
    if report.skipped and report.written is None:
        _skip(outcome, output, golden)
    else:
        get_run_logger().info("%s", outcome.message)
        if golden is not None:
            outcome.evaluation = _evaluation(golden, report.datasets)
    outcome.seconds = time.perf_counter() - started
    _publish(outcome)
    return outcome


def _outcome_of(state: State, path: Path) -> ReportOutcome:
    if state.is_completed():
        outcome = state.result()
        if isinstance(outcome, ReportOutcome):
            return outcome
    return ReportOutcome(source=str(path), status=Status.FAILED, message=_failure_message(state))


@flow(name="ingest-reports", flow_run_name=_batch_run_name, persist_result=False)
def ingest_reports(
    inbox: Path = Path("inbox"),
    paths: list[Path] | None = None,
    output: Path = Path("output"),
    company: str | None = None,
    year: int | None = None,
    force: bool = False,
    ocr_engine: OcrEngine = DEFAULT_OCR_ENGINE,
    golden: Path | None = None,
    dask_address: str | None = None,
    workers: int = DEFAULT_WORKERS,
    page_timeout_seconds: float = tasks.DEFAULT_PAGE_TIMEOUT_SECONDS,
    results_dir: Path | None = None,
    replace: bool = False,
) -> IngestSummary | State:
    """Ingest every new or changed report from ``paths`` (or the PDFs in ``inbox``).

    Each report runs as its own ``ingest-report`` subflow; a failing report is recorded and the
    others still land. The run ends ``Failed`` (with the summary) if any report failed, and
    when the inbox folder does not exist.

    Args:
        inbox: Folder scanned for *.pdf when no paths are given; it must exist.
        paths: Explicit report PDFs (then the inbox is not scanned).
        output: Dataset root: one Delta table per dataset.
        company: Company slug for every report; detected from each document when empty.
        year: Report year for every report; detected from each document when empty.
        force: Re-extract and write a new version even if a PDF was ingested already.
        ocr_engine: OCR engine for image pages and image regions.
        golden: Folder of golden CSVs: adds evaluation figures to the run report.
        dask_address: Dask scheduler for page-level tasks (default: $CSREXTRACT_DASK_ADDRESS).
        workers: Local threads for page tasks and size of the page process pool.
        page_timeout_seconds: Hard limit per page (reading or OCR).
        results_dir: Where OCR results are persisted (the OCR cache).
        replace: Replace stored reports by different PDFs of the same company and year.
    """
    logger = get_run_logger()
    check_configuration(output, ocr_engine)  # before any report: a config error fails the run
    try:
        sources = discover_reports(inbox, paths)
    except InputError as exc:
        logger.error("%s", exc)
        return Failed(message=f"InputError: {exc}", data=exc)
    logger.info("%d PDF(s) to consider; output %s", len(sources), output)
    summary = IngestSummary()
    seen: dict[str, Path] = {}
    try:
        for path in sources:
            sha = file_sha256(path) if path.is_file() else None
            if sha is not None and sha in seen:
                logger.info("%s: same file as %s; ingested once", path, seen[sha])
                continue
            if sha is not None:
                seen[sha] = path
            runner = page_task_runner(dask_address_from(dask_address), workers)
            state = ingest_report.with_options(task_runner=runner)(
                path, output, company, year, force, ocr_engine, golden,
                dask_address, workers, page_timeout_seconds, results_dir, replace,
                return_state=True,
            )  # fmt: skip
            outcome = _outcome_of(state, path)
            summary.outcomes.append(outcome)
            log = logger.error if outcome.status is Status.FAILED else logger.info
            log("%s", outcome.one_line())
    finally:
        shutdown_pool()
    if summary.outcomes:
        create_table_artifact(
            table=summary.row_count_table() or [{"report": "-", "rows": 0}],
            key="csr-row-counts",
            description="Rows and dataset versions written per report",
        )
    logger.info("%s", summary.text().splitlines()[-1])  # the per-report lines were logged above
    if summary.failed:
        error = ReportsFailedError(summary)
        return Failed(message=f"{type(error).__name__}: {error}", data=error)
    return summary


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m flows.ingest",
        description="Run the ingest_reports Prefect flow once (no Prefect server needed).",
    )
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDFs to ingest (default: the inbox)")
    parser.add_argument("--inbox", type=Path, default=Path("inbox"), help="folder scanned for PDFs")
    parser.add_argument("--output", type=Path, default=Path("output"), help="dataset root")
    parser.add_argument("--company", help="company slug (overrides detection)")
    parser.add_argument("--year", type=int, help="report year (overrides detection)")
    parser.add_argument("--force", action="store_true", help="re-extract and write a new version")
    parser.add_argument(
        "--replace", action="store_true", help="replace a stored report by a different PDF"
    )
    parser.add_argument(
        "--ocr-engine",
        default=OcrEngine(DEFAULT_ENGINE).value,
        choices=[e.value for e in OcrEngine],
    )
    parser.add_argument("--golden", type=Path, help="golden CSV folder: add evaluation figures")
    parser.add_argument("--dask-address", help=f"Dask scheduler (default: ${DASK_ADDRESS_ENV})")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="local parallelism")
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=tasks.DEFAULT_PAGE_TIMEOUT_SECONDS,
        help="seconds per page",
    )
    parser.add_argument("--results-dir", type=Path, help=f"OCR cache (default: ${RESULTS_DIR_ENV})")
    parser.add_argument("--verbose", action="store_true", help="also log every task run")
    return parser.parse_args(argv)


def _quiet_task_run_logs() -> None:
    """Keep the console readable: per-stage progress, not one line per page task."""
    logging.getLogger("prefect.task_runs").setLevel(logging.WARNING)


def _summary_of(state: State) -> IngestSummary | None:
    result = state.result(raise_on_failure=False)
    if isinstance(result, IngestSummary):
        return result
    if isinstance(result, ReportsFailedError):
        return result.summary
    return None


def _offline_server_settings() -> dict[Setting, Any]:
    """For the ephemeral server a one-off run starts: no telemetry (runs are offline) and time
    to start on a busy machine. Values the user set in the environment win."""
    defaults: dict[Setting, Any] = {
        PREFECT_SERVER_ANALYTICS_ENABLED: False,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: 120,
    }
    return {k: v for k, v in defaults.items() if k.name not in os.environ}


def main(argv: list[str] | None = None) -> int:
    """Run the flow once; exit status 1 if any report failed, 2 if the run itself broke."""
    args = parse_args(argv)
    if not args.pdfs and not args.inbox.is_dir():  # say so before starting a Prefect server
        print(
            f"run failed: InputError: inbox folder {str(args.inbox)!r} does not exist",
            file=sys.stderr,
        )
        return 2
    if not args.verbose:
        _quiet_task_run_logs()
    with temporary_settings(updates=_offline_server_settings()):
        state = _run_once(args)
    summary = _summary_of(state)
    if summary is None:
        print(f"run failed: {_failure_message(state)}", file=sys.stderr)
        return 2
    print(summary.text())
    return 1 if summary.failed else 0


def _run_once(args: argparse.Namespace) -> State:
    return ingest_reports(
        inbox=args.inbox,
        paths=args.pdfs or None,
        output=args.output,
        company=args.company,
        year=args.year,
        force=args.force,
        ocr_engine=OcrEngine(args.ocr_engine),
        golden=args.golden,
        dask_address=args.dask_address,
        workers=args.workers,
        page_timeout_seconds=args.page_timeout,
        results_dir=args.results_dir,
        replace=args.replace,
        return_state=True,
    )


if __name__ == "__main__":
    sys.exit(main())
