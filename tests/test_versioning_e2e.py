"""Versioning end to end on the real fixture: ingest, skip, force, an edited copy, time travel.

The storage tests prove the mechanics on synthetic frames; this one proves them through the
whole pipeline on the 2021 report PDF, with a copy whose PUE table was edited in the PDF itself
(one figure redacted and re-typed), as happens when a publisher re-issues a corrected report.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from csrextract import storage
from csrextract.cli import main

ROOT = Path(__file__).resolve().parents[1]
PDF = ROOT / "fixtures" / "bytedance_csr_2021.pdf"


def _edited_copy(source: Path, target: Path, old: str, new: str) -> int:
    """Copy ``source`` with the first table cell reading exactly ``old`` re-typed as ``new``.

    Returns the 1-based page edited. The PUE row is found by its label, not by page number.
    """
    with pymupdf.open(source) as doc:
        for page in doc:
            labels = page.search_for("PUE")
            if not labels:
                continue
            row = labels[0]
            hits = [r for r in page.search_for(old) if abs(r.y0 - row.y0) < 4 and r.x0 > row.x1]
            if not hits:
                continue
            cell = hits[0]
            size = cell.height * 0.8
            page.add_redact_annot(cell)
            page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE)
            page.insert_font(fontname="cjk", fontbuffer=pymupdf.Font("cjk").buffer)
            page.insert_text((cell.x0, cell.y1 - cell.height * 0.2), new, fontsize=size)
            doc.save(target)
            return page.number + 1
    raise AssertionError(f"no PUE row with {old!r} in {source}")


def _ingest(pdf: Path, output: Path, *extra: str) -> int:
    argv = ["ingest", str(pdf), "--output", str(output), "--no-progress", *extra]
    return main(argv)


@pytest.mark.skipif(not PDF.exists(), reason="fixture PDF not rendered")
def test_versions_through_the_pipeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "output"
    assert _ingest(PDF, output) == 0
    assert storage.current_version("metrics", output) == 0
    original = storage.read_dataset("metrics", output)

    assert _ingest(PDF, output) == 0  # same PDF, same pipeline version: nothing written
    assert "already ingested" in capsys.readouterr().out
    assert storage.current_version("metrics", output) == 0

    assert _ingest(PDF, output, "--force") == 0  # a new version whose diff is empty
    assert storage.current_version("metrics", output) == 1
    forced = storage.diff("metrics", output, 0, 1)
    assert (len(forced.added), len(forced.removed), len(forced.changed)) == (0, 0, 0)

    edited = tmp_path / "bytedance_csr_2021_corrected.pdf"
    page = _edited_copy(PDF, edited, "1.14", "1.13")
    capsys.readouterr()
    # a different PDF for a stored report: refused, naming both files, nothing written ...
    assert _ingest(edited, output) == 1
    refusal = capsys.readouterr().err
    assert str(PDF) in refusal and str(edited) in refusal and "--replace" in refusal
    assert storage.current_version("metrics", output) == 1
    # ... unless asked: new SHA-256, re-extracted, same report id
    assert _ingest(edited, output, "--replace") == 0
    assert storage.current_version("metrics", output) == 2
    change = storage.diff("metrics", output, 1, 2)
    assert len(change.added) == 0 and len(change.removed) == 0
    assert change.n_changed_rows == 1, change.summary()
    assert set(change.changed["column"]) == {"value", "raw"}
    assert storage.diff("table_cells", output, 1, 2).n_changed_rows == 1
    for name in ("sdg_responses", "stakeholder_matrix", "certifications", "gri_index"):
        assert storage.diff(name, output, 1, 2).is_empty, name
    after = storage.read_dataset("metrics", output)
    row = after[(after["indicator"] == "PUE") & (after["period"] == "2020")].iloc[0]
    assert (row["value"], row["raw"], int(row["page"])) == (1.13, "1.13", page)

    version0 = storage.read_dataset("metrics", output, version=0)
    assert version0.drop(columns=["run_id"]).equals(original.drop(columns=["run_id"]))
    assert set(storage.history("metrics", output)["version"]) == {0, 1, 2}
