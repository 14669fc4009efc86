"""Seeded byte-level fuzzing of the fixture PDF: 200 mutants, never an unclean crash.

The mutants are made from a table page of the digital fixture (its first single-page SDG or
stakeholder table), so each one runs through every stage in a fraction of a second. Each
mutant must either be refused with one ``InputError`` line or go through every stage that
parses the PDF (load, pages, tables, normalisation); every tenth becomes a whole report and
every thirtieth is written. At the end ``check`` finds the output whole and the first report's
rows untouched.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pymupdf
import pytest
from robustness_inputs import mutate

from csrextract import contract, storage
from csrextract.errors import InputError
from csrextract.frames import pipeline_version
from csrextract.models import TableKind
from csrextract.normalise import normalise_tables
from csrextract.pipeline import extract_report, find_tables, load, read_pages

ROOT = Path(__file__).parent.parent
FIXTURE = ROOT / "fixtures" / "bytedance_csr_2021.pdf"
MUTANTS = 200
SEED = 20211231
FULL_EVERY = 10
WRITE_EVERY = 30


def _table_pages(path: Path) -> bytes:
    """The fixture's first SDG or stakeholder table page as a one-page PDF (found by the
    pipeline itself, so the choice follows the fixture)."""
    tables = extract_report(path).tables
    wanted = {TableKind.SDG, TableKind.STAKEHOLDER}
    picked = sorted({t.pages[0] for t in tables if t.kind in wanted and len(t.pages) == 1})[:1]
    with pymupdf.open(path) as source:
        small = pymupdf.open()
        for number in picked:
            small.insert_pdf(source, from_page=number - 1, to_page=number - 1)
        small.set_metadata(source.metadata)
        return bytes(small.tobytes(garbage=3, deflate=True))


@pytest.mark.skipif(not FIXTURE.exists(), reason="fixture PDF not rendered")
def test_seeded_mutations_never_crash_or_corrupt(tmp_path: Path) -> None:
    clean = _table_pages(FIXTURE)
    output = tmp_path / "output"
    first = tmp_path / "clean.pdf"
    first.write_bytes(clean)
    result = extract_report(first, "fuzz", 2000)
    assert sum(len(result.datasets[n]) for n in contract.NORMALISED_DATASETS) > 0
    _write(result, output)
    kept = {n: storage.read_dataset(n, output) for n in contract.DATASETS}

    rng = random.Random(SEED)
    outcomes = {"refused": 0, "extracted": 0, "written": 0}
    for index in range(MUTANTS):
        mutant = tmp_path / f"mutant_{index:03d}.pdf"
        mutant.write_bytes(mutate(clean, rng))
        try:
            document = load(mutant, "fuzz", 1901 + index)
        except InputError as exc:  # refused cleanly: one line naming the file
            message = str(exc)
            assert "\n" not in message and str(mutant) in message, message
            outcomes["refused"] += 1
            continue
        outcomes["extracted"] += 1
        # every stage that parses the PDF, for every mutant; the whole report (with the
        # frames, which only see typed data) for every tenth, written every twenty-fifth
        normalise_tables(find_tables(read_pages(document.path)))
        if outcomes["extracted"] % FULL_EVERY == 0:
            result = extract_report(mutant, "fuzz", 1901 + index)
            if outcomes["extracted"] % WRITE_EVERY == 0:
                _write(result, output)
                outcomes["written"] += 1
        mutant.unlink()

    assert sum(outcomes.values()) - outcomes["written"] == MUTANTS
    assert outcomes["written"] >= 5, outcomes
    check = storage.check_output(output)
    assert check.ok, check.problems
    assert check.reports == 1 + outcomes["written"]
    for name in contract.DATASETS:
        now = storage.read_dataset(name, output, report_id="fuzz-2000")
        pd.testing.assert_frame_equal(now, kept[name], obj=name)


def _write(result: object, output: Path) -> None:
    from csrextract.pipeline import ReportResult

    assert isinstance(result, ReportResult)
    storage.write_report(
        result.datasets,
        output,
        report_id=result.document.report_id,
        source_sha256=result.document.sha256,
        run_id=result.run_id,
        pipeline_version=pipeline_version(),
    )
