"""Prefect tasks: the driver's page-level units and its write, as Prefect sees them.

All logic lives in the library (``csrextract.pipeline`` for what a page stage does,
``csrextract.driver`` for the order); a task adds only what orchestration needs — a name for the
UI, retries where a retry can help (OCR, Delta commits) and time limits. Every task uses
``NO_CACHE``: OCR results are cached by the one OCR cache (``csrextract.ocr.cache``), keyed by
what the page draws and the engine's version, which the OCR task consults before starting a
worker — Prefect's own result cache would be a second cache with a second fingerprint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deltalake.exceptions import CommitFailedError
from prefect import Task, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.states import State
from prefect.tasks import exponential_backoff

from csrextract import driver, pipeline, storage
from csrextract.driver import IngestSettings, Report
from csrextract.errors import (
    ConfigurationError,
    InputError,
    OcrUnavailableError,
    StageError,
    ValidationFailedError,
)
from csrextract.models import PageContent
from csrextract.ocr.registry import OcrSettings
from flows.isolation import run_with_hard_timeout

DEFAULT_PAGE_TIMEOUT_SECONDS = pipeline.DEFAULT_PAGE_TIMEOUT_SECONDS
"""Per-page limit for reading and for OCR; a page past it becomes an error item on the report."""

_NOT_RETRYABLE = (InputError, OcrUnavailableError, ConfigurationError, ValidationFailedError)


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
    cache_policy=NO_CACHE,
)
def ocr_page(
    path: Path,
    content: PageContent,
    ocr: OcrSettings,
    timeout_seconds: float = DEFAULT_PAGE_TIMEOUT_SECONDS,
    processes: int = 1,
) -> PageContent:
    """OCR an image or mixed page: from the OCR cache when it holds the page, else in a
    killable worker process under the time limit (``pipeline.ocr_page_limited``)."""
    return pipeline.ocr_page_limited(path, content, ocr, timeout_seconds, processes)


@task(
    name="write",
    cache_policy=NO_CACHE,
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.5,
    retry_condition_fn=retry_on_commit_conflict,
)
def write_datasets(report: Report, settings: IngestSettings) -> storage.WriteResult:
    """Validate, then write the report as one unit: every table staged, then the ``reports``
    marker (``driver.write_datasets``)."""
    return driver.write_datasets(report, settings)
