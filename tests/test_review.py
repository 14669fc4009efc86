"""``csrextract review``: the page is checked in a real headless Chromium (Debian's ``chromium``
driven by Playwright; ``make test`` installs it): no console errors, every table present with
its page image and recovered grid, low-confidence cells highlighted, a screenshot kept under
``build/review-screenshots/``.

The digital fixture is reviewed whole; the scanned and mixed ones through a few of their table
pages (OCR costs about a second a page; the OCR cache makes re-runs fast).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from csrextract import cli, render, storage

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures"
SCREENSHOTS = ROOT / "build" / "review-screenshots"
TABLE_PAGES = (5, 7, 8, 16, 23)
"""A stakeholder table, the SDG table stitched over two pages, certifications, metrics with
merged header cells; in the mixed fixture pages 5–16 are images, 23 is text."""

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = os.environ.get("CSREXTRACT_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is missing: `make test` installs it (make browser)")
    pytest.skip("chromium is not installed (make browser installs Debian's chromium)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh headless Chromium profile; Playwright drives the system browser (no download)."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        yield context
        context.close()


def _subset(source: Path, dest: Path) -> Path:
    with pymupdf.open(source) as doc:
        doc.select([p - 1 for p in TABLE_PAGES])
        doc.save(dest)
    return dest


def _ingest(pdf: Path, output: Path) -> None:
    args = ["ingest", str(pdf), "--output", str(output), "--no-progress"]
    assert cli.main([*args, "--company", "bytedance", "--year", "2021"]) == 0


@pytest.fixture(scope="module", params=["digital", "scanned", "mixed"])
def reviewed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Ingest a fixture, write its review page; returns paths and the stored rows."""
    name = request.param
    root = tmp_path_factory.mktemp(f"review-{name}")
    files = {
        "digital": "bytedance_csr_2021.pdf",
        "scanned": "bytedance_csr_2021_scanned.pdf",
        "mixed": "bytedance_csr_2021_mixed.pdf",
    }
    pdf = FIXTURES / files[name]
    if name != "digital":
        pdf = _subset(pdf, root / files[name])
    output = root / "output"
    _ingest(pdf, output)
    html = root / "review.html"
    args = ["review", "bytedance-2021", "--output", str(output), "--to", str(html)]
    assert cli.main([*args, "--golden", str(FIXTURES / "golden")]) == 0
    return {
        "name": name,
        "html": html,
        "tables": storage.read_dataset("tables", output),
        "cells": storage.read_dataset("table_cells", output),
        "reports": storage.read_dataset("reports", output),
    }


def test_review_page_in_headless_chromium(browser: Any, reviewed: dict[str, Any]) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(reviewed["html"].as_uri())
    page.wait_for_load_state("load")
    assert errors == []

    tables, cells = reviewed["tables"], reviewed["cells"]
    assert len(tables) >= (16 if reviewed["name"] == "digital" else len(TABLE_PAGES) - 1)
    ids = page.eval_on_selector_all("section[data-table-id]", "s => s.map(e => e.id)")
    assert ids == sorted(tables["table_id"])
    for table_id in ids:
        section = page.locator(f"section#{table_id}")
        n_cells = int((cells["table_id"] == table_id).sum())
        assert section.locator("table.recovered td, table.recovered th").count() == n_cells
        # the page image is drawn and decoded, with one rectangle per detected cell
        assert section.locator("svg image").count() >= 1
        assert section.locator("svg rect").count() == n_cells
        merged = cells[
            (cells["table_id"] == table_id) & ((cells["row_span"] > 1) | (cells["col_span"] > 1))
        ]
        spans = section.locator("table.recovered [rowspan], table.recovered [colspan]").count()
        assert spans == len(merged)
    low = int((cells["confidence"] < render.LOW_CONFIDENCE).sum())
    assert page.locator("table.recovered .low-confidence").count() == low
    assert page.locator("svg rect.low").count() == low
    summary = page.locator("section.summary").inner_text()
    report = reviewed["reports"].iloc[0]
    assert f"pages OCRed\t{int(report['n_pages_ocr'])}" in summary
    assert "evaluation against golden data" in summary and "sdg_responses" in summary
    if reviewed["name"] != "digital":
        assert int(report["n_pages_ocr"]) >= 1

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"review-{reviewed['name']}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    first = SCREENSHOTS / f"review-{reviewed['name']}-{ids[0]}.png"
    page.locator(f"section#{ids[0]}").screenshot(path=str(first))
    page.close()


def test_unknown_report_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ingest(_subset(FIXTURES / "bytedance_csr_2021.pdf", tmp_path / "s.pdf"), tmp_path / "out")
    args = [
        "review",
        "nobody-2020",
        "--output",
        str(tmp_path / "out"),
        "--to",
        str(tmp_path / "x.html"),
    ]
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "no report 'nobody-2020'" in err and "bytedance-2021" in err
    assert not (tmp_path / "x.html").exists()
