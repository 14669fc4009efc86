"""Prefect tasks: thin wrappers around the stage functions in ``csrextract.pipeline``.

All logic lives in the library; a task adds only what orchestration needs — a name for the UI,
retries where a retry can help (OCR, Delta commits), time limits, and caching of OCR results.
Tasks use ``NO_CACHE`` unless caching is meant: Prefect's default cache policy would hash every
argument (whole pages and tables) on every call for nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from deltalake.exceptions import CommitFailedError
from prefect import Task, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.states import State
from prefect.tasks import exponential_backoff

from csrextract import pipeline, storage, validate
from csrextract.errors import InputError, OcrUnavailableError, StageError, ValidationFailedError
from csrextract.models import Document, PageContent, Table
from flows.caching import ocr_cache_key
from flows.isolation import run_with_hard_timeout
from flows.serializers import PageContentSerializer

DEFAULT_PAGE_TIMEOUT_SECONDS = pipeline.DEFAULT_PAGE_TIMEOUT_SECONDS
"""Per-page limit for reading and for OCR; a page past it becomes an error item on the report."""

_NOT_RETRYABLE = (InputError, OcrUnavailableError, ValidationFailedError)


def _failure(state: State) -> BaseException | None:
    result = state.result(raise_on_failure=False)
    return result if isinstance(result, BaseException) else None


def retry_unless_permanent(task: Task[Any, Any], task_run: TaskRun, state: State) -> bool:
    """Retry OCR unless the failure cannot go away (engine or weights missing, bad input)."""
    return not isinstance(_failure(state), _NOT_RETRYABLE)


def is_commit_conflict(exc: BaseException | None) -> bool:
    """A Delta commit lost a race with another writer: retrying on the new state can succeed."""
    if exc is None or isinstance(exc, ValidationFailedError):
        return False
    if isinstance(exc, CommitFailedError) or isinstance(exc.__cause__, CommitFailedError):
        return True
    return isinstance(exc, StageError) and "conflict" in str(exc).lower()


def retry_on_commit_conflict(task: Task[Any, Any], task_run: TaskRun, state: State) -> bool:
    """Retry the write only on commit conflicts; a validation failure will fail again."""
    return is_commit_conflict(_failure(state))


@task(name="load", cache_policy=NO_CACHE)
def load_document(path: Path, company: str | None, year: int | None) -> Document:
    """Open, validate and fingerprint the PDF; detect company and year."""
    return pipeline.load(path, company, year)


# Page tasks set no Prefect ``timeout_seconds``: in a worker thread it cannot stop native code
# (and Prefect warns once per task run); the limit is enforced by killing the worker process.


@task(name="read-pages", task_run_name="read-pages-{page_numbers[0]}+", cache_policy=NO_CACHE)
def read_pages(
    path: Path,
    page_numbers: list[int],
    timeout_seconds: float = DEFAULT_PAGE_TIMEOUT_SECONDS,
    processes: int = 1,
) -> list[PageContent]:
    """Read a batch of text-layer pages in a killable process; the limit is per page.

    Reading the text layer takes milliseconds a page, so one task per page would spend far
    more on orchestration than on work; OCR (seconds a page) stays one task per page.
    """
    limit = timeout_seconds * max(1, len(page_numbers))
    return run_with_hard_timeout(pipeline.read_page_batch, limit, processes, path, page_numbers)


@task(
    name="ocr-page",
    task_run_name="ocr-page-{content.number}",
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.5,
    retry_condition_fn=retry_unless_permanent,
    cache_key_fn=ocr_cache_key,
    persist_result=True,
    result_serializer=PageContentSerializer(),  # JSON: a results folder cannot inject code
)
def ocr_page(
    path: Path,
    content: PageContent,
    engine: str,
    timeout_seconds: float = DEFAULT_PAGE_TIMEOUT_SECONDS,
    processes: int = 1,
) -> PageContent:
    """OCR an image or mixed page in a killable worker process; cached by page fingerprint."""
    return run_with_hard_timeout(
        pipeline.ocr_page, timeout_seconds, processes, path, content, engine
    )


@task(name="find-tables", cache_policy=NO_CACHE)
def find_tables(pages: list[PageContent]) -> list[Table]:
    """Detect, stitch and classify the tables of every page."""
    return pipeline.find_tables(pages)


@task(name="normalise", cache_policy=NO_CACHE)
def normalise(
    document: Document, pages: list[PageContent], tables: list[Table], run_id: str
) -> dict[str, pd.DataFrame]:
    """Tidy records for every dataset in the contract."""
    return pipeline.normalise(document, pages, tables, run_id)


@task(name="validate", cache_policy=NO_CACHE)
def validate_datasets(datasets: dict[str, pd.DataFrame]) -> None:
    """Check every dataset against the contract before anything is written."""
    validate.validate_datasets(datasets)


@task(
    name="write",
    cache_policy=NO_CACHE,
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.5,
    retry_condition_fn=retry_on_commit_conflict,
)
def write_datasets(
    datasets: dict[str, pd.DataFrame],
    output: Path,
    document: Document,
    run_id: str,
    pipeline_version: str,
    force: bool,
    replace: bool = False,
) -> storage.WriteResult:
    """Write the report as one unit: every table staged, then the ``reports`` marker."""
    return storage.write_report(
        datasets,
        output,
        report_id=document.report_id,
        source_sha256=document.sha256,
        run_id=run_id,
        pipeline_version=pipeline_version,
        force=force,
        replace=replace,
    )
