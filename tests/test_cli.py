"""The ``csrextract`` command: ingest good and bad files together, skip, --force, subcommands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from core_pdfs import report_pdf

from csrextract import storage
from csrextract.cli import main


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return report_pdf(tmp_path_factory.mktemp("cli") / "acme_report.pdf")


def test_bad_file_is_one_line_and_the_good_file_still_lands(
    tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_text("this is not a PDF", encoding="utf-8")
    output = tmp_path / "out"
    code = main(["ingest", str(bad), str(good), "--output", str(output), "--no-progress"])
    captured = capsys.readouterr()
    assert code == 1
    errors = captured.err.strip().splitlines()
    assert errors == [f"error: {bad}: not a PDF (no %PDF header)", "1 of 2 file(s) failed"]
    out = captured.out
    assert "acme-2023" in out
    assert "pages: 2, OCRed: 0" in out
    assert "tables: 1 (metrics 1)" in out
    assert "rows: sdg_responses 0" in out and "tables 1" in out
    assert "versions: sdg_responses v0" in out and "reports v0" in out
    assert storage.read_dataset("tables", output)["kind"].tolist() == ["metrics"]

    # Same PDF again: nothing written. --force: a new version of every dataset.
    assert main(["ingest", str(good), "--output", str(output), "--no-progress"]) == 0
    assert "already ingested" in capsys.readouterr().out
    assert storage.current_version("reports", output) == 0
    argv = ["ingest", str(good), "--output", str(output), "--force", "--no-progress"]
    assert main(argv) == 0
    assert "reports v1" in capsys.readouterr().out
    assert storage.current_version("reports", output) == 1

    assert main(["show", "tables", "--output", str(output)]) == 0
    assert "metrics" in capsys.readouterr().out


def test_company_and_year_overrides(
    tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out"
    argv = ["ingest", str(good), "--output", str(output), "--company", "Other Co", "--year", "2022"]
    assert main([*argv, "--no-progress"]) == 0
    assert "other-co-2022" in capsys.readouterr().out
    assert set(storage.read_dataset("reports", output)["report_id"]) == {"other-co-2022"}


def test_python_dash_m_lists_every_subcommand() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "csrextract", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("ingest", "evaluate", "history", "diff", "show"):
        assert command in done.stdout


def test_bad_year_is_a_usage_error(good: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(good), "--year", "21"])
    assert exit_info.value.code == 2


def test_dataset_names_are_the_contracts() -> None:
    """The command line's light list of names is exactly the contract's datasets, in order."""
    from csrextract import contract, names

    assert tuple(contract.DATASETS) == names.DATASET_NAMES
    assert contract.NORMALISED_DATASETS == names.NORMALISED_DATASETS


HEAVY_LIBRARIES = ("pandas", "pyarrow", "numpy", "pymupdf", "deltalake", "openvino", "rapidocr")


def test_help_loads_no_heavy_library() -> None:
    """``csrextract --help`` builds every subcommand's parser without pandas, pyarrow, PyMuPDF,
    Delta or the OCR runtimes: they load when a command runs (a fresh interpreter, so nothing
    imported by other tests counts)."""
    probe = (
        "import sys\n"
        "from csrextract.cli import build_parser\n"
        "build_parser().format_help()\n"
        f"print(sorted(m for m in {HEAVY_LIBRARIES!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
