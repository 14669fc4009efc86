"""Unit tests of the flow helpers that need no Prefect server: the one OCR cache's key, hard
timeouts, retry conditions and the run summary."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pymupdf
import pytest
from deltalake.exceptions import CommitFailedError
from tables_pdf import make_pdf, text

from csrextract.errors import InputError, StageError, ValidationFailedError
from csrextract.models import (
    ImageRegion,
    PageContent,
    PageKind,
    Table,
    TableKind,
    TableStyle,
)
from csrextract.ocr.cache import area_key
from csrextract.ocr.registry import OcrSettings, engine_version
from flows.ingest import discover_reports
from flows.isolation import PageTimeoutError, run_with_hard_timeout, shutdown_pool
from flows.summary import (
    IngestSummary,
    ReportOutcome,
    Status,
    artifact_key,
    pages_needing_ocr,
    report_markdown,
    tables_by_kind,
)
from flows.tasks import is_commit_conflict


def _two_pages(path: Path, second: str) -> Path:
    return make_pdf(
        path,
        [lambda p: text(p, 72, 100, "第一页 page one"), lambda p: text(p, 72, 100, second)],
    )


WHOLE_PAGE = (0.0, 0.0, 595.0, 842.0)


def page_fingerprint(pdf: Path, number: int, version: str = "engine-v1") -> str:
    """The OCR cache's key of a whole page: what the flow and the CLI both look up."""
    with pymupdf.open(pdf) as doc:
        return area_key(doc[number - 1], WHOLE_PAGE, 150.0, version)


def test_page_fingerprint_follows_the_page_not_the_file(tmp_path: Path) -> None:
    a = _two_pages(tmp_path / "a.pdf", "第二页")
    moved = tmp_path / "elsewhere" / "renamed.pdf"
    moved.parent.mkdir()
    _two_pages(moved, "第二页")
    edited = _two_pages(tmp_path / "edited.pdf", "第二页（修订）")

    assert page_fingerprint(a, 2) == page_fingerprint(moved, 2)  # same page, other path
    assert page_fingerprint(a, 1) == page_fingerprint(edited, 1)  # unchanged page of an edit
    assert page_fingerprint(a, 2) != page_fingerprint(edited, 2)  # the edited page
    assert page_fingerprint(a, 1) != page_fingerprint(a, 2)


def test_page_fingerprint_covers_image_bytes(tmp_path: Path) -> None:
    def with_image(path: Path, gray: int) -> Path:
        doc = pymupdf.open()
        page = doc.new_page()
        pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 40, 40), False)
        pix.clear_with(gray)
        page.insert_image(pymupdf.Rect(72, 72, 272, 272), pixmap=pix)
        doc.save(path)
        return path

    first = page_fingerprint(with_image(tmp_path / "a.pdf", 200), 1)
    assert first == page_fingerprint(with_image(tmp_path / "b.pdf", 200), 1)
    assert first != page_fingerprint(with_image(tmp_path / "c.pdf", 90), 1)


def test_ocr_cache_key_changes_with_engine(tmp_path: Path) -> None:
    pdf = _two_pages(tmp_path / "a.pdf", "第二页")
    assert page_fingerprint(pdf, 2, "a") != page_fingerprint(pdf, 2, "b")
    openvino = engine_version(OcrSettings(runtime="openvino"))
    onnx = engine_version(OcrSettings(runtime="onnxruntime"))
    assert openvino.startswith("rapidocr-") and "openvino" in openvino
    assert onnx != openvino  # another runtime reads a little differently: another key


def test_hard_timeout_kills_a_stuck_call() -> None:
    start = time.perf_counter()
    with pytest.raises(PageTimeoutError, match="killed"):
        run_with_hard_timeout(time.sleep, 1.0, 1, 60)
    assert time.perf_counter() - start < 20  # not the 60 s the call wanted
    # the pool is replaced: the next call works
    assert run_with_hard_timeout(os.getpid, 30.0, 1) != os.getpid()
    shutdown_pool()


def test_write_retries_only_on_commit_conflicts() -> None:
    conflict = StageError("write", "sdg_responses (acme-2021): commit conflict")
    wrapped = StageError("write", "sdg_responses: failed")
    wrapped.__cause__ = CommitFailedError("concurrent transaction")
    assert is_commit_conflict(conflict)
    assert is_commit_conflict(wrapped)
    assert not is_commit_conflict(ValidationFailedError("sdg out of range; conflict"))
    assert not is_commit_conflict(StageError("write", "disk full"))
    assert not is_commit_conflict(None)


def test_discover_reports_scans_inbox_for_pdfs(tmp_path: Path) -> None:
    (tmp_path / "b.PDF").write_bytes(b"%PDF")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "notes.txt").write_text("x")
    assert [p.name for p in discover_reports(tmp_path, None)] == ["a.pdf", "b.PDF"]
    # a missing inbox is an error (issue 14), not an empty batch that "succeeds" every year
    with pytest.raises(InputError, match=r"inbox folder .* does not exist"):
        discover_reports(tmp_path / "missing", None)
    assert discover_reports(tmp_path, [Path("x.pdf")]) == [Path("x.pdf")]


def test_summary_and_markdown() -> None:
    def table(kind: TableKind) -> Table:
        return Table("t", [], 1, 1, [1], (0, 0, 1, 1), TableStyle.RULED, kind=kind)

    def picture(carries_text: bool) -> ImageRegion:
        return ImageRegion((50, 50, 500, 400), carries_text=carries_text)

    pages = [
        PageContent(1, 595, 842),
        PageContent(2, 595, 842, kind=PageKind.IMAGE),
        PageContent(3, 595, 842, kind=PageKind.MIXED, images=[picture(carries_text=True)]),
        PageContent(4, 595, 842, kind=PageKind.MIXED, images=[picture(carries_text=False)]),
    ]
    # the same rule as the pipeline's: a mixed page is OCRed only for images that carry text
    assert [p.number for p in pages_needing_ocr(pages)] == [2, 3]
    kinds = tables_by_kind([table(TableKind.SDG), table(TableKind.OTHER), table(TableKind.SDG)])
    assert kinds == {"other": 1, "sdg": 2}
    ok = ReportOutcome(
        source="a.pdf",
        status=Status.INGESTED,
        report_id="acme-2021",
        pages=3,
        pages_ocr=2,
        tables_by_kind=kinds,
        rows={"sdg_responses": 5},
        versions={"sdg_responses": 0},
        warnings=["page 2: ocr: engine missing"],
    )
    bad = ReportOutcome(source="bad.pdf", status=Status.FAILED, message="InputError: not a PDF")
    summary = IngestSummary([ok, bad])
    text_summary = summary.text()
    assert "1 ingested, 0 skipped, 1 failed" in text_summary
    assert "FAILED   bad.pdf: InputError: not a PDF" in text_summary
    markdown = report_markdown(ok)
    assert "| sdg_responses | 5 | 0 |" in markdown
    assert "page 2: ocr: engine missing" in markdown
    assert summary.row_count_table() == [
        {
            "report": "acme-2021",
            "status": "ingested",
            "dataset": "sdg_responses",
            "rows": 5,
            "version": 0,
        }
    ]
    assert artifact_key("csr-report", "ByteDance_2021.pdf") == "csr-report-bytedance-2021-pdf"


def test_the_ocr_task_keeps_no_second_cache() -> None:
    """OCR results are cached once, by the OCR cache the task consults: Prefect persists none."""
    from prefect.cache_policies import NO_CACHE

    from flows.tasks import ocr_page

    assert ocr_page.cache_policy is NO_CACHE and ocr_page.cache_key_fn is None
    assert not ocr_page.persist_result
