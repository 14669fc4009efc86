"""The pipeline: the stages in order, as plain functions that the CLI and the Prefect flows call.

Each stage function takes and returns picklable typed data (see ``models``) so the flows can run
page-level stages in worker processes or on a Dask cluster. Page-level stages reopen the PDF by
path rather than passing open handles around.

OWNERSHIP NOTE (remove when done): signatures here are the shared contract between the
extraction core, the OCR stage and the Prefect flows. Change them only together with callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from csrextract.models import Document, PageContent, Table


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


def load(path: Path, company: str | None = None, year: int | None = None) -> Document:
    """Stage 1: open, validate and fingerprint the PDF; detect company and year."""
    raise NotImplementedError


def read_page(path: Path, page_number: int) -> PageContent:
    """Stage 2+3: triage one page and read its text layer, rules, fills and images."""
    raise NotImplementedError


def ocr_page(path: Path, content: PageContent, engine: str = "rapidocr") -> PageContent:
    """OCR stage: fill in the lines (and rules/fills) of an image or mixed page.

    Returns ``content`` unchanged for pages triaged as text.
    """
    raise NotImplementedError


def find_tables(pages: list[PageContent]) -> list[Table]:
    """Stage 4+5: detect tables on every page, stitch continuations, classify them."""
    raise NotImplementedError


def normalise(
    document: Document, pages: list[PageContent], tables: list[Table], run_id: str
) -> dict[str, pd.DataFrame]:
    """Stage 6: tidy records for every dataset in the contract, identity columns filled."""
    raise NotImplementedError


def extract_report(
    path: Path, company: str | None = None, year: int | None = None, ocr_engine: str = "rapidocr"
) -> ReportResult:
    """All stages up to (not including) validation and writing, in one process."""
    raise NotImplementedError
