"""End-to-end tests of the Prefect flows: real PDFs, real Delta tables, a real Prefect server.

One ``prefect_test_harness`` (a temporary Prefect server and database) serves the whole module;
``PREFECT_HOME`` and the result storage path point into a temporary folder so nothing touches
the user's ``~/.prefect``. The tiny report PDFs are drawn with PyMuPDF here; the golden test runs
the bundled 2021 fixture when it exists.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf
import pytest
import yaml
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
)
from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_HOME,
    PREFECT_RESULTS_LOCAL_STORAGE_PATH,
    temporary_settings,
)
from prefect.testing.utilities import prefect_test_harness
from tables_pdf import hline, make_pdf, text, vline

from csrextract import contract, driver, storage
from csrextract.ocr import cache as ocr_cache
from flows import deploy
from flows.ingest import ReportsFailedError, ingest_reports
from flows.summary import IngestSummary, Status

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "bytedance_csr_2021.pdf"
GOLDEN = ROOT / "fixtures" / "golden"
NAMED_DATASETS = ("sdg_responses", "stakeholder_matrix", "certifications", "gri_index")


@dataclass
class Harness:
    home: Path
    results: Path


@pytest.fixture(scope="session")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    home = tmp_path_factory.mktemp("prefect-home")
    results = home / "results"
    with (
        temporary_settings(
            updates={PREFECT_HOME: str(home), PREFECT_RESULTS_LOCAL_STORAGE_PATH: str(results)}
        ),
        prefect_test_harness(server_startup_timeout=120),
    ):
        yield Harness(home, results)


# --- tiny report PDFs ---------------------------------------------------------------------------


def _ruled_table(page: pymupdf.Page, top: float, rows: list[list[str]]) -> None:
    """A fully ruled table, one text line per cell."""
    xs = [72.0, 222.0, 372.0, 522.0][: len(rows[0]) + 1]
    height = 24.0
    for r in range(len(rows) + 1):
        hline(page, xs[0], xs[-1], top + r * height)
    for x in xs:
        vline(page, x, top, top + len(rows) * height)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            text(page, xs[c] + 6, top + r * height + 16, cell)


def _report_pdf(path: Path) -> Path:
    """Two pages, a ruled table on each, headings and a paragraph: a digital mini report."""

    def first(page: pymupdf.Page) -> None:
        text(page, 72, 80, "2021 企业社会责任报告", size=18)
        text(page, 72, 130, "员工发展", size=12)
        _ruled_table(page, 150, [["指标", "2020", "2021"], ["员工人数", "100", "120"]])
        _ruled_table(page, 150 + 3 * 24, [["培训时长", "12小时", "15小时"]])

    def second(page: pymupdf.Page) -> None:
        text(page, 72, 80, "环境绩效", size=12)
        text(page, 72, 110, "我们持续降低数据中心的能耗与用水。", size=10)
        _ruled_table(page, 140, [["指标", "2020", "2021"], ["PUE", "1.30", "1.25"]])

    return make_pdf(path, [first, second])


def _image_page_pdf(path: Path) -> Path:
    """One page whose table is only an image (no text layer): the OCR path."""
    source = _report_pdf(path.with_name(path.stem + "-source.pdf"))
    with pymupdf.open(source) as doc:
        pixmap = doc[0].get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    out = pymupdf.open()
    page = out.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=pixmap)
    out.save(path)
    return path


def _comparable(frame: Any) -> list[tuple[object, ...]]:
    """A dataset's rows without per-run bookkeeping, in a stable order."""
    columns = [c for c in frame.columns if c not in storage.VOLATILE_COLUMNS]
    rows = [
        tuple(list(v) if hasattr(v, "__len__") and not isinstance(v, str) else v for v in row)
        for row in frame[columns].itertuples(index=False)
    ]
    return sorted(rows, key=repr)


# --- a report ingested once, shared by several tests -------------------------------------------


@dataclass
class Ingested:
    pdf: Path
    output: Path
    summary: IngestSummary


@pytest.fixture(scope="module")
def ingested(harness: Harness, tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    folder = tmp_path_factory.mktemp("ingested")
    pdf = _report_pdf(folder / "acme-2021.pdf")
    output = folder / "output"
    summary = ingest_reports(paths=[pdf], output=output, company="acme", year=2021)
    return Ingested(pdf, output, summary)


def test_flow_ingests_a_digital_pdf_end_to_end(ingested: Ingested) -> None:
    [outcome] = ingested.summary.outcomes
    assert outcome.status is Status.INGESTED, outcome.message
    assert outcome.report_id == "acme-2021"
    assert outcome.pages == 2 and outcome.pages_ocr == 0
    assert sum(outcome.tables_by_kind.values()) >= 2
    assert set(outcome.versions) == set(contract.DATASETS)

    reports = storage.read_dataset("reports", ingested.output)
    assert reports["report_id"].tolist() == ["acme-2021"]
    # the driver's stages, as ``csrextract ingest`` records them: the same keys on both paths
    row_stages = list(driver.STAGE_NAMES[: driver.STAGE_NAMES.index("report")])
    assert list(json.loads(reports["stage_seconds"].iloc[0])) == row_stages
    assert list(outcome.stage_seconds) == list(driver.STAGE_NAMES)
    assert reports["n_pages"].tolist() == [2]
    assert reports["run_id"].tolist() == [outcome.run_id]
    cells = storage.read_dataset("table_cells", ingested.output)
    assert {"员工人数", "PUE", "1.25"} <= set(cells["text"])
    pages = storage.read_dataset("pages", ingested.output)
    assert sorted(pages["page"].tolist()) == [1, 2]


def test_run_report_artifacts(ingested: Ingested) -> None:
    keys = ["csr-report-acme-2021", "csr-row-counts"]
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys))
        )
    by_key = {a.key: a for a in artifacts}
    assert set(by_key) == set(keys)
    markdown = str(by_key["csr-report-acme-2021"].data)
    assert "Rows per dataset" in markdown and "Tables by kind" in markdown
    assert by_key["csr-row-counts"].type == "table"
    assert "sdg_responses" in str(by_key["csr-row-counts"].data)


def test_second_run_ingests_nothing(ingested: Ingested) -> None:
    before = {name: storage.current_version(name, ingested.output) for name in contract.DATASETS}
    again = ingest_reports(paths=[ingested.pdf], output=ingested.output, company="acme", year=2021)
    [outcome] = again.outcomes
    assert outcome.status is Status.SKIPPED
    assert "already ingested" in outcome.message
    after = {name: storage.current_version(name, ingested.output) for name in contract.DATASETS}
    assert after == before


def test_corrupt_pdf_fails_its_own_report_only(harness: Harness, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _report_pdf(inbox / "good.pdf")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    output = tmp_path / "output"

    state = ingest_reports(inbox=inbox, output=output, company="good", year=2022, return_state=True)

    assert state.is_failed()
    error = state.result(raise_on_failure=False)
    assert isinstance(error, ReportsFailedError)
    by_file = {Path(o.source).name: o for o in error.summary.outcomes}
    assert by_file["good.pdf"].status is Status.INGESTED
    assert by_file["broken.pdf"].status is Status.FAILED
    assert "broken.pdf" in by_file["broken.pdf"].message
    assert "1 of 2 reports failed" in str(error)
    assert storage.read_dataset("reports", output)["report_id"].tolist() == ["good-2022"]


def test_dask_path_gives_the_same_datasets(ingested: Ingested, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    output = tmp_path / "dask-output"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        summary = ingest_reports(
            paths=[ingested.pdf],
            output=output,
            company="acme",
            year=2021,
            dask_address=cluster.scheduler_address,
        )
        ran_on_dask = sum(
            prefix.state_counts.get("memory", 0)
            for prefix in cluster.scheduler.task_prefixes.values()
        )
    assert summary.outcomes[0].status is Status.INGESTED, summary.outcomes[0].message
    assert ran_on_dask >= 2  # at least the two read-page tasks went through the scheduler
    for name in contract.DATASETS:
        local = storage.read_dataset(name, ingested.output)
        on_dask = storage.read_dataset(name, output)
        assert _comparable(on_dask) == _comparable(local), name


def test_deployment_with_yearly_schedule(harness: Harness) -> None:
    options = deploy.deployment_options(parameters={"inbox": "/data/inbox", "output": "/data/out"})
    deployment_id = ingest_reports.to_deployment(**options).apply()
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment(deployment_id)
        by_name = client.read_deployment_by_name(f"ingest-reports/{deploy.DEPLOYMENT_NAME}")
    assert by_name.id == deployment.id
    [schedule] = deployment.schedules
    assert schedule.active
    assert schedule.schedule.cron == "0 6 1 5 *"  # type: ignore[union-attr]
    assert schedule.schedule.timezone == "Asia/Shanghai"  # type: ignore[union-attr]
    assert deployment.parameters["inbox"] == "/data/inbox"


def test_prefect_yaml_deploys_to_a_process_pool(harness: Harness, tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    [spec] = config["deployments"]
    assert spec["entrypoint"] == "flows/ingest.py:ingest_reports"
    assert spec["schedules"][0]["cron"] == deploy.YEARLY_CRON
    assert spec["schedules"][0]["timezone"] == deploy.TIMEZONE

    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PREFECT_HOME": str(harness.home),
        "PWD": str(ROOT),
    }
    prefect = [sys.executable, "-m", "prefect", "--no-prompt"]
    pool = spec["work_pool"]["name"]
    for command in (["work-pool", "create", pool, "--type", "process"], ["deploy", "--all"]):
        done = subprocess.run(
            [*prefect, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stdout + done.stderr
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment_by_name(f"ingest-reports/{spec['name']}")
    assert deployment.work_pool_name == pool
    assert deployment.schedules[0].schedule.cron == deploy.YEARLY_CRON  # type: ignore[union-attr]


def test_rerun_does_no_ocr(harness: Harness, tmp_path: Path) -> None:
    """The flow's OCR tasks use the one OCR cache (folder ``results_dir``): the re-run finds
    every area there and recognises nothing (counted by the cache, not guessed from time)."""
    pdf = _image_page_pdf(tmp_path / "scanned.pdf")
    cache_dir = tmp_path / "ocr-cache"

    def run() -> IngestSummary:
        return ingest_reports(
            paths=[pdf],
            output=tmp_path / "out",
            company="scan",
            year=2021,
            force=True,
            results_dir=cache_dir,
        )

    first = run()
    assert first.outcomes[0].pages_ocr == 1
    entries = sorted(cache_dir.rglob("*.json"))
    assert entries  # persisted under the configured folder, as JSON (never pickle)
    assert all(set(json.loads(e.read_text(encoding="utf-8"))) >= {"lines"} for e in entries)
    hits, misses = ocr_cache.STATS.snapshot()
    second = run()
    assert ocr_cache.STATS.snapshot() == (hits + len(entries), misses)
    assert sorted(cache_dir.rglob("*.json")) == entries  # nothing new was recognised
    assert second.outcomes[0].tables_by_kind == first.outcomes[0].tables_by_kind


@pytest.mark.skipif(not FIXTURE.exists(), reason="fixture PDF not rendered yet")
def test_fixture_through_the_flow_matches_golden(harness: Harness, tmp_path: Path) -> None:
    summary = ingest_reports(paths=[FIXTURE], output=tmp_path / "output", golden=GOLDEN)
    [outcome] = summary.outcomes
    assert outcome.status is Status.INGESTED, outcome.message
    assert outcome.report_id == "bytedance-2021"
    assert outcome.evaluation is not None
    f1 = outcome.evaluation.f1
    assert {name: f1.get(name) for name in NAMED_DATASETS} == dict.fromkeys(NAMED_DATASETS, 1.0)
