"""Robustness corpus: bad inputs and faults, as a hostile user or a bad day would bring them.

Each case asserts three things: the message (one line: what, which file or dataset, what to do;
no traceback), the exit status, and that every earlier version and every other report is
intact. "Intact" is checked byte for byte — every Delta log entry and data file that existed
before is unchanged (so every earlier version reads as before) — and through the readers: every
dataset's latest content is what it was, or, where a report was legitimately added, the other
reports' rows are.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from core_pdfs import report_pdf
from robustness_inputs import (
    allocate,
    encrypted_pdf,
    huge_page_pdf,
    image_bomb_pdf,
    other_report,
    truncated,
    yearless_pdf,
    zero_page_pdf,
)

from csrextract import contract, storage
from csrextract.cli import main

TESTS_DIR = Path(__file__).parent
SRC_DIR = TESTS_DIR.parent / "src"


# --- the stored state every case starts from ----------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    output: Path
    acme: Path  # acme-2023, ingested twice (--force): versions 0 and 1
    beta: Path  # beta-corp-2022
    files: dict[str, str]  # relative path -> sha256 of every file under output
    latest: dict[str, pd.DataFrame]
    versions: dict[tuple[str, int], pd.DataFrame]  # every version of every dataset


def _file_hashes(output: Path) -> dict[str, str]:
    return {
        str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file() and storage.LOCK_DIR not in p.parts
    }


def _latest(output: Path) -> dict[str, pd.DataFrame]:
    return {name: storage.read_dataset(name, output) for name in contract.DATASETS}


def _cli(argv: list[str]) -> int:
    try:
        return main([*argv])
    except SystemExit as exc:  # argparse usage errors
        return int(exc.code or 0)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root = tmp_path_factory.mktemp("robust")
    acme = report_pdf(root / "acme_report.pdf")
    beta = other_report(root / "beta_report.pdf")
    output = root / "output"
    for argv in ([str(acme)], [str(beta)], [str(acme), "--force"]):
        assert _cli(["ingest", *argv, "--output", str(output), "--no-progress"]) == 0
    assert storage.current_version("reports", output) == 2
    versions = {
        (name, v): storage.read_dataset(name, output, version=v)
        for name in contract.DATASETS
        for v in range(storage.current_version(name, output) + 1)
    }
    return Baseline(output, acme, beta, _file_hashes(output), _latest(output), versions)


@pytest.fixture
def output(baseline: Baseline, tmp_path: Path) -> Path:
    """A private copy of the baseline output for one case."""
    copy = tmp_path / "output"
    shutil.copytree(baseline.output, copy)
    return copy


def assert_untouched(output: Path, baseline: Baseline) -> None:
    """Not one byte written: the same files with the same content (so every version of every
    dataset reads exactly as before)."""
    assert _file_hashes(output) == baseline.files


def assert_intact(
    output: Path, baseline: Baseline, *, changed_reports: frozenset[str] = frozenset()
) -> None:
    """Every earlier file unchanged; every dataset reads as before, except the rows of
    ``changed_reports`` (reports a case legitimately added or replaced)."""
    now = _file_hashes(output)
    altered = [p for p, h in baseline.files.items() if now.get(p) != h]
    assert not altered, f"earlier files changed or gone: {altered[:5]}"
    for name in contract.DATASETS:
        read = storage.read_dataset(name, output)
        before = baseline.latest[name]
        keep_now = read[~read["report_id"].isin(changed_reports)].reset_index(drop=True)
        keep_before = before[~before["report_id"].isin(changed_reports)].reset_index(drop=True)
        pd.testing.assert_frame_equal(keep_now, keep_before, obj=name)
    for (name, version), old in baseline.versions.items():
        pd.testing.assert_frame_equal(
            storage.read_dataset(name, output, version=version), old, obj=f"{name} v{version}"
        )


def assert_one_line_errors(err: str) -> None:
    """No traceback, and every line is an ``error:``/``problem:`` line or the failure count."""
    assert "Traceback" not in err and "panicked" not in err
    for line in err.strip().splitlines():
        assert (
            line.startswith(("error: ", "problem: ", "WARNING "))
            or "failed" in line
            or ("problem(s)" in line)
        ), line
        assert len(line) < 1200, line[:200]


# --- bad inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    name: str
    make: Callable[[Path, Baseline], list[str]]  # (case folder, baseline) -> CLI argv tail
    exit_code: int
    message: str  # a regular expression the stderr must contain
    adds: frozenset[str] = frozenset()  # reports this case may add (exit 0 cases)


def _file(name: str, data: bytes) -> Callable[[Path, Baseline], list[str]]:
    def make(folder: Path, _: Baseline) -> list[str]:
        path = folder / name
        path.write_bytes(data)
        return ["ingest", str(path)]

    return make


def _built(build: Callable[[Path, Baseline], Path]) -> Callable[[Path, Baseline], list[str]]:
    return lambda folder, base: ["ingest", str(build(folder, base))]


def _with(*extra: str) -> Callable[[Path, Baseline], list[str]]:
    return lambda folder, base: ["ingest", str(base.acme), *extra]


def _output_is_a_file(folder: Path, base: Baseline) -> list[str]:
    (folder / "out.txt").write_text("x")
    return ["ingest", str(base.acme), "--output-override", str(folder / "out.txt")]


def _output_foreign(folder: Path, base: Baseline) -> list[str]:
    (folder / "mine").mkdir()
    (folder / "mine" / "thesis.docx").write_text("x")
    return ["ingest", str(base.acme), "--output-override", str(folder / "mine")]


def _output_under_a_file(folder: Path, base: Baseline) -> list[str]:
    (folder / "plain").write_text("x")
    return ["ingest", str(base.acme), "--output-override", str(folder / "plain" / "out")]


def _different_pdf_same_report(folder: Path, base: Baseline) -> list[str]:
    edited = report_pdf(folder / "acme_edited.pdf")
    with edited.open("ab") as handle:  # same content, different bytes: another PDF file
        handle.write(b"\n% edited copy\n")
    return ["ingest", str(edited)]


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ZIP = b"PK\x03\x04" + b"\x00" * 64

BAD_INPUTS = [
    BadInput("empty file", _file("empty.pdf", b""), 1, r"empty\.pdf: empty file"),
    BadInput("whitespace only", _file("blank.pdf", b"  \n\t\n"), 1, r"blank\.pdf: empty file"),
    BadInput("plain text", _file("notes.pdf", b"hello"), 1, r"notes\.pdf: not a PDF"),
    BadInput("HTML page", _file("page.pdf", b"<html></html>"), 1, r"page\.pdf: not a PDF"),
    BadInput("PNG image", _file("scan.pdf", PNG), 1, r"scan\.pdf: not a PDF"),
    BadInput("Word file", _file("report.pdf", ZIP), 1, r"report\.pdf: not a PDF"),
    BadInput(
        "header only", _file("head.pdf", b"%PDF-1.7\n"), 1, r"head\.pdf: (truncated or )?corrupt"
    ),
    BadInput(
        "header then noise",
        _file("noise.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8),
        1,
        r"noise\.pdf: (truncated or )?corrupt",
    ),
    BadInput(
        "truncated",
        _built(lambda f, b: truncated(f / "cut.pdf", b.acme)),
        1,
        r"cut\.pdf: truncated or corrupt",
    ),
    BadInput(
        "encrypted",
        _built(lambda f, b: encrypted_pdf(f / "locked.pdf", b.acme)),
        1,
        r"locked\.pdf: encrypted PDF \(password required\)",
    ),
    BadInput(
        "zero pages",
        _built(lambda f, b: zero_page_pdf(f / "nopages.pdf")),
        1,
        r"nopages\.pdf: .*(no readable pages|corrupt)",
    ),
    BadInput(
        "a directory",
        _built(lambda f, b: _folder(f / "folder.pdf")),
        1,
        r"folder\.pdf: is a directory",
    ),
    BadInput("missing file", _built(lambda f, b: f / "gone.pdf"), 1, r"gone\.pdf: file not found"),
    BadInput(
        "no year anywhere",
        _built(lambda f, b: yearless_pdf(f / "notes.pdf")),
        1,
        r"cannot detect the report year .*give --year",
    ),
    BadInput("year too early", _with("--year", "1800"), 2, r"year out of range"),
    BadInput("year not a number", _with("--year", "twenty"), 2, r"not a year"),
    BadInput("zero page timeout", _with("--page-timeout", "0"), 2, r"seconds out of range"),
    BadInput("page timeout text", _with("--page-timeout", "soon"), 2, r"not a number of seconds"),
    BadInput("unknown OCR engine", _with("--ocr-engine", "tesseract"), 2, r"invalid choice"),
    BadInput("output is a file", _output_is_a_file, 2, r"out\.txt is a file.*--output"),
    BadInput("output holds other files", _output_foreign, 2, r"not csrextract datasets"),
    BadInput("output under a file", _output_under_a_file, 2, r"not usable.*--output"),
    BadInput(
        "different PDF, same company and year",
        _different_pdf_same_report,
        1,
        r"acme-2023 is already stored from .*acme_report\.pdf.*acme_edited\.pdf is a different "
        r"PDF.*--replace",
    ),
    BadInput(
        "10,000-character company",
        _with("--company", "x" * 10_000, "--year", "2023"),
        0,
        r"^$",
        adds=frozenset({"x" * 39 + "-" + hashlib.sha256(b"x" * 10_000).hexdigest()[:8] + "-2023"}),
    ),
    BadInput(
        "Chinese-only company",
        _with("--company", "字节跳动", "--year", "2023"),
        0,
        r"^$",
        adds=frozenset({"字节跳动-2023"}),
    ),
    BadInput(
        "negative version", lambda f, b: ["show", "metrics", "--version", "-1"], 1, "start at 0"
    ),
    BadInput(
        "missing version", lambda f, b: ["show", "metrics", "--version", "99"], 1, "no version 99"
    ),
    BadInput(
        "astronomic version", lambda f, b: ["diff", "metrics", "0", str(10**30)], 1, r"metrics"
    ),
    BadInput("unknown dataset", lambda f, b: ["show", "sales"], 2, r"invalid choice"),
    BadInput(
        "evaluate without golden data",
        lambda f, b: ["evaluate", "--golden", str(f / "nowhere")],
        2,
        r"golden folder .*nowhere does not exist",
    ),
]


def _argv_for(case: BadInput, folder: Path, base: Baseline, output: Path) -> list[str]:
    argv = case.make(folder, base)
    if "--output-override" in argv:
        i = argv.index("--output-override")
        return [*argv[:i], "--output", argv[i + 1], "--no-progress", *argv[i + 2 :]]
    tail = ["--no-progress"] if argv[0] == "ingest" else []
    return [*argv, "--output", str(output), *tail]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c.name for c in BAD_INPUTS])
def test_bad_input(
    case: BadInput,
    baseline: Baseline,
    output: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    code = _cli(_argv_for(case, folder, baseline, output))
    err = capsys.readouterr().err
    assert code == case.exit_code, err
    if case.message == r"^$":
        assert err == "", err
    else:
        assert re.search(case.message, err), err
    if case.exit_code == 1 or case.adds:
        assert_one_line_errors(err)
    if not case.adds:
        assert_untouched(output, baseline)
        return
    assert_intact(output, baseline, changed_reports=case.adds)
    if case.adds:
        assert case.adds <= set(storage.read_dataset("reports", output)["report_id"])


def test_the_corpus_is_large_enough() -> None:
    assert len(BAD_INPUTS) >= 25


def test_missing_ocr_engine_is_a_configuration_error_before_anything_runs(
    baseline: Baseline, output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from importlib.util import find_spec

    if find_spec("paddleocr") is not None:
        pytest.skip("paddleocr is installed here")
    scan = report_pdf(output.parent / "acme_copy.pdf", title="Gamma 2020 Sustainability Report")
    argv = ["ingest", str(scan), "--ocr-engine", "paddleocr", "--output", str(output)]
    assert _cli([*argv, "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: OCR engine 'paddleocr' is not usable") and "rapidocr" in err
    assert err.count("\n") == 1
    assert_intact(output, baseline)
    assert "gamma-2020" not in set(storage.read_dataset("reports", output)["report_id"])


def test_verbose_shows_the_traceback(
    baseline: Baseline, output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"hello")
    assert _cli(["-v", "ingest", str(bad), "--output", str(output), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "Traceback" in err and "InputError" in err


# --- faults -----------------------------------------------------------------------------------

STALLING_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests_dir!r})
    from synthetic_datasets import make_datasets, sha_of, PIPELINE_VERSION
    from csrextract import storage

    output, stall_in, sha = sys.argv[1:4]
    real_write = storage.write_deltalake

    def stalling_write(target, data, **kwargs):
        name = getattr(target, "table_uri", str(target)).rstrip("/").rsplit("/", 1)[-1]
        if name == stall_in:
            print("stalled", flush=True)
            time.sleep(600)  # killed here: the datasets before this one are staged
        return real_write(target, data, **kwargs)

    storage.write_deltalake = stalling_write
    frames = make_datasets("acme", 2023, sha=sha, run_id="killed-run")
    storage.write_report(
        frames, output, report_id="acme-2023", source_sha256=sha, run_id="killed-run",
        pipeline_version=PIPELINE_VERSION, replace=True,
    )
    print("finished", flush=True)
    """
)


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC_DIR), str(TESTS_DIR)])}


def _start_stalled_writer(output: Path, dataset: str, sha: str, script: str) -> subprocess.Popen:
    argv = [sys.executable, "-c", script.format(tests_dir=str(TESTS_DIR)), str(output)]
    return subprocess.Popen(
        [*argv, dataset, sha],
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when_stalled(proc: subprocess.Popen) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the writer stalls inside the chosen dataset
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert line.strip() == "stalled", proc.stderr.read() if proc.stderr else ""


KILL_POINTS = ("stakeholder_matrix", "metrics", "reports")
"""After the first data table was staged, in the middle, and with every data table staged but
the ``reports`` marker not written."""


def test_sigkill_at_several_points_leaves_whole_reports_and_the_rerun_heals(
    baseline: Baseline, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Writers replacing a stored report are killed at several points; a brand-new report is
    killed before its marker. Readers see the earlier state whole; a re-run of the same PDF
    heals the leftovers. (The writers run side by side, each on its own copy, to keep the
    test short.)"""
    outputs = {point: tmp_path / point for point in (*KILL_POINTS, "new-report")}
    for output in outputs.values():
        shutil.copytree(baseline.output, output)
    new_report = STALLING_WRITER.replace('"acme", 2023', '"delta", 2024').replace(
        'report_id="acme-2023"', 'report_id="delta-2024"'
    )
    procs = [
        _start_stalled_writer(outputs[point], point, "0" * 64, STALLING_WRITER)
        for point in KILL_POINTS
    ]
    procs.append(_start_stalled_writer(outputs["new-report"], "reports", "1" * 64, new_report))
    for proc in procs:
        _kill_when_stalled(proc)

    for point in KILL_POINTS:
        output = outputs[point]
        assert_intact(output, baseline)  # the killed run is invisible everywhere
        assert _cli(["check", "--output", str(output)]) == 1
        err = capsys.readouterr().err
        assert "interrupted run(s) killed-run of acme-2023" in err, point
        assert_one_line_errors(err)
        # the same PDF again: stored whole already, so nothing is re-extracted, but it heals
        argv = ["ingest", str(baseline.acme), "--output", str(output), "--no-progress"]
        assert _cli(argv) == 0
        assert "already ingested" in capsys.readouterr().out
        assert _cli(["check", "--output", str(output)]) == 0, capsys.readouterr().err
        assert_intact_readers(output, baseline)

    output = outputs["new-report"]
    assert_intact(output, baseline)
    for name in contract.DATASETS:
        assert "delta-2024" not in set(storage.read_dataset(name, output)["report_id"])
    assert _cli(["check", "--output", str(output), "--repair"]) == 0
    assert_intact_readers(output, baseline)


def assert_intact_readers(output: Path, baseline: Baseline) -> None:
    """The readers' view (not the bytes: healing adds commits) equals the baseline's."""
    for name in contract.DATASETS:
        pd.testing.assert_frame_equal(storage.read_dataset(name, output), baseline.latest[name])


def _fail_writes_at(monkeypatch: pytest.MonkeyPatch, dataset: str, error: OSError) -> list[str]:
    """Make the Delta writer fail like a full disk or a read-only folder at ``dataset``."""
    seen: list[str] = []
    real = storage.write_deltalake

    def failing(target: object, data: object, **kwargs: object) -> object:
        name = getattr(target, "table_uri", str(target)).rstrip("/").rsplit("/", 1)[-1]
        seen.append(name)
        if name == dataset:
            raise error
        return real(target, data, **kwargs)

    monkeypatch.setattr(storage, "write_deltalake", failing)
    return seen


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(28, "No space left on device"), "no space left on the device holding"),
        (OSError(30, "Read-only file system"), "is not writable"),
    ],
    ids=["disk full (injected)", "read-only (injected)"],
)
def test_writer_error_mid_report(
    error: OSError,
    message: str,
    baseline: Baseline,
    output: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen = _fail_writes_at(monkeypatch, "metrics", error)
    argv = ["ingest", str(baseline.acme), "--force", "--output", str(output), "--no-progress"]
    assert _cli(argv) == 1
    err = capsys.readouterr().err
    assert "metrics" in seen and "sdg_responses" in seen  # earlier datasets were staged
    assert message in err and "acme-2023" in err and str(baseline.acme) in err
    assert_one_line_errors(err)
    assert_intact(output, baseline)
    monkeypatch.undo()
    assert _cli(argv) == 0  # space is back: the re-run heals and lands
    capsys.readouterr()
    assert _cli(["check", "--output", str(output)]) == 0


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (needs root and mount; skipped elsewhere)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_on_a_real_small_filesystem(
    baseline: Baseline, small_filesystem: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = small_filesystem / "output"
    shutil.copytree(baseline.output, output)
    filler = small_filesystem / "filler"
    free = shutil.disk_usage(small_filesystem).free
    filler.write_bytes(b"\0" * max(0, free - 24_000))  # leave room for a few small files
    argv = ["ingest", str(baseline.acme), "--force", "--output", str(output), "--no-progress"]
    code = _cli(argv)
    err = capsys.readouterr().err
    assert code in (1, 2), err
    assert "no space left" in err.lower(), err
    assert_one_line_errors(err)
    assert_intact(output, baseline)
    filler.unlink()
    assert _cli(argv) == 0
    capsys.readouterr()
    assert _cli(["check", "--output", str(output)]) == 0


def test_read_only_output_on_a_real_read_only_filesystem(
    baseline: Baseline, small_filesystem: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = small_filesystem / "output"
    shutil.copytree(baseline.output, output)
    remount = ["mount", "-o", "remount,ro", str(small_filesystem)]
    if subprocess.run(remount, capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot remount read-only here")
    argv = ["ingest", str(baseline.acme), "--force", "--output", str(output), "--no-progress"]
    assert _cli(argv) == 2
    err = capsys.readouterr().err
    assert "not usable" in err and "Read-only file system" in err and "--output" in err
    assert err.count("\n") == 1
    assert _cli(["show", "metrics", "--output", str(output)]) == 0  # reading still works
    assert_intact(output, baseline)


def test_corrupt_delta_log(
    baseline: Baseline, output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = sorted((output / "sdg_responses" / "_delta_log").glob("*.json"))[-1]
    newest.write_text("{not json")
    for argv in (["history", "sdg_responses"], ["show", "sdg_responses"]):
        assert _cli([*argv, "--output", str(output)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: sdg_responses: ") and "csrextract check" in err
        assert err.count("\n") == 1
    assert _cli(["check", "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert f"newest log entry {newest} is damaged" in err and "return the table to version" in err
    ingest = ["ingest", str(baseline.acme), "--force", "--output", str(output), "--no-progress"]
    assert _cli(ingest) == 2  # refused before any extraction
    assert "is damaged" in capsys.readouterr().err
    for name in contract.DATASETS:  # every other dataset reads as before
        if name != "sdg_responses":
            pd.testing.assert_frame_equal(storage.read_dataset(name, output), baseline.latest[name])


def test_corrupt_parquet_file(
    baseline: Baseline, output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partition = output / "metrics" / "company=beta-corp" / "report_year=2022"
    damaged = sorted(partition.glob("*.parquet"))[0]
    damaged.write_bytes(b"garbage" * 10)
    assert _cli(["show", "metrics", "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: metrics: a data file of the table is damaged")
    assert err.count("\n") == 1
    assert _cli(["history", "metrics", "--output", str(output)]) == 1  # the history notices
    err = capsys.readouterr().err
    assert (
        err.startswith(f"error: metrics: data file {damaged} is damaged") and err.count("\n") == 1
    )
    assert _cli(["check", "--output", str(output)]) == 1
    assert f"data file {damaged} is not readable Parquet" in capsys.readouterr().err
    ingest = ["ingest", str(baseline.acme), "--force", "--output", str(output), "--no-progress"]
    assert _cli(ingest) == 2
    assert f"data file {damaged} is damaged" in capsys.readouterr().err
    for name in contract.DATASETS:
        if name != "metrics":
            pd.testing.assert_frame_equal(storage.read_dataset(name, output), baseline.latest[name])


CONCURRENT_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {tests_dir!r})
    from synthetic_datasets import make_datasets, sha_of, PIPELINE_VERSION
    from csrextract import storage

    output, tag, start = sys.argv[1:4]
    while time.time() < float(start):
        time.sleep(0.001)
    frames = make_datasets("acme", 2023, sha=sha_of(tag), run_id=tag, n_cells=12 + len(tag))
    storage.write_report(
        frames, output, report_id="acme-2023", source_sha256=sha_of(tag), run_id=tag,
        pipeline_version=PIPELINE_VERSION, replace=True,
    )
    print("done", flush=True)
    """
)


def test_concurrent_writers_of_the_same_report(baseline: Baseline, output: Path) -> None:
    """Two processes replace the same report at once: they take turns (per-report lock); the
    result is one whole run, the other report untouched, ``check`` clean."""
    start = str(time.time() + 2.0)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CONCURRENT_WRITER.format(tests_dir=str(TESTS_DIR)),
                str(output),
                tag,
                start,
            ],
            env=_child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("run-a", "run-bb")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "done" in out, err
    runs = set()
    for name in contract.DATASETS:
        rows = storage.read_dataset(name, output, report_id="acme-2023")
        runs |= set(rows["run_id"])
    assert len(runs) == 1  # one whole run in every dataset
    assert storage.check_output(output).ok
    assert_intact(output, baseline, changed_reports=frozenset({"acme-2023"}))


def test_huge_page_is_capped_with_a_warning(
    baseline: Baseline, output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = huge_page_pdf(tmp_path / "poster.pdf")
    started = time.perf_counter()
    argv = ["ingest", str(pdf), "--company", "huge", "--year", "2021", "--output", str(output)]
    assert _cli([*argv, "--no-progress"]) == 0
    assert time.perf_counter() - started < 60
    out = capsys.readouterr().out
    assert "warning: page 1: ocr: page 1 is 14400×14400 pt, over the page-size cap" in out
    report = storage.read_dataset("reports", output, report_id="huge-2021")
    assert report["status"].tolist() == ["partial_success"]
    assert_intact(output, baseline, changed_reports=frozenset({"huge-2021"}))


def test_image_bomb_is_refused_as_a_page_warning(
    baseline: Baseline, output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = image_bomb_pdf(tmp_path / "bomb.pdf")
    assert pdf.stat().st_size < 400_000
    argv = ["ingest", str(pdf), "--company", "bomb", "--year", "2021", "--output", str(output)]
    assert _cli([*argv, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "warning: page 1: " in out
    report = storage.read_dataset("reports", output, report_id="bomb-2021")
    assert report["status"].tolist() == ["partial_success"]
    assert_intact(output, baseline, changed_reports=frozenset({"bomb-2021"}))


WORKER_PARENT = textwrap.dedent(
    """
    import os, time
    from csrextract import isolation

    def worker_pid():
        return os.getpid()

    def sleep_long():
        time.sleep(600)

    if __name__ == "__main__":
        pool = isolation._POOL.get(2)
        busy = [pool.submit(sleep_long), pool.submit(sleep_long)]  # both workers mid-task
        time.sleep(1.0)
        print(" ".join(str(p.pid) for p in pool._processes.values()), flush=True)
        time.sleep(600)
    """
)


def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    """SIGKILL the ingest process: its worker processes exit too, even mid-page."""
    script = tmp_path / "parent.py"
    script.write_text(WORKER_PARENT)
    proc = subprocess.Popen(
        [sys.executable, str(script)], env=_child_env(), stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert pids and all(_alive(p) for p in pids)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def _alive(pid: int) -> bool:
    try:
        with Path(f"/proc/{pid}/stat").open() as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_worker_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from csrextract import isolation

    monkeypatch.setenv(isolation.WORKER_MEMORY_ENV, "2048")
    isolation.shutdown_pool()
    try:
        with pytest.raises(MemoryError):
            isolation.run_with_hard_timeout(allocate, 60, 1, 4 << 30)
        assert isolation.run_with_hard_timeout(allocate, 60, 1, 1 << 20) == 1 << 20
    finally:
        isolation.shutdown_pool()


def _uncached_scan(path: Path) -> Path:
    """An image-only page no OCR cache has seen (fresh random noise)."""
    import numpy as np
    import pymupdf

    noise = np.random.default_rng().integers(0, 255, (300, 400), dtype=np.uint8)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, 400, 300, noise.tobytes(), False)
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(pymupdf.Rect(50, 50, 545, 420), pixmap=pix)
    doc.save(path)
    doc.close()
    return path


def test_cli_page_time_limit_kills_the_page_not_the_run(
    baseline: Baseline, output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = _uncached_scan(tmp_path / "slow_scan.pdf")
    argv = ["ingest", str(pdf), "--company", "slow", "--year", "2020", "--output", str(output)]
    assert _cli([*argv, "--page-timeout", "0.01", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "warning: page 1: ocr: " in out and "took longer than 0.01s" in out
    report = storage.read_dataset("reports", output, report_id="slow-2020")
    assert report["status"].tolist() == ["partial_success"]
    assert_intact(output, baseline, changed_reports=frozenset({"slow-2020"}))
