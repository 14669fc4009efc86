"""Whole-process timings, side by side in one run: every figure is a fresh process under
``/usr/bin/time -v`` (wall clock and peak resident memory), writes included.

    python -m bench.process                          # all of it (see below), results to
                                                     #   bench/results/process.json
    python -m bench.process --before a0cfb84         # Ping An cold: that commit vs this tree
    python -m bench.process --repeats 3 --skip-real  # fixture figures only

What runs, interleaved so both sides meet the same machine load:

* ``csrextract --help``;
* the digital fixture ingested by the CLI (every stage, Delta writes, a fresh output folder and
  an empty OCR cache) against Camelot lattice over all its pages in a fresh process (tables
  written as CSV, so both sides write what they found);
* with ``--before REF``: the Ping An report (``../shared/real/``) ingested cold — empty OCR
  cache, fresh output folder — by the code of commit ``REF`` (its ``src/`` taken with ``git
  archive``, run with this environment's packages and, as installed then, without compiled
  bytecode), by this tree without bytecode (what the code changes alone give) and by this tree
  as installed now; then every dataset of the before and after runs is compared row by row
  (run-specific columns dropped) and each row only one side has is listed in the results.

Each figure is the median over ``--repeats`` runs; ratios are between figures of this run only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIGITAL = ROOT / "fixtures" / "bytedance_csr_2021.pdf"
RESULTS = ROOT / "bench" / "results"
REAL_NAME = "pingan_bank_2021_sustainability.pdf"
VOLATILE = ("run_id", "pipeline_version", "extracted_at", "seconds_total", "stage_seconds")
"""Columns that differ between any two runs of the same code (ids, times)."""
DATASETS = (
    "sdg_responses",
    "stakeholder_matrix",
    "certifications",
    "gri_index",
    "metrics",
    "tables",
    "table_cells",
    "pages",
    "reports",
)


@dataclass(frozen=True, slots=True)
class Timing:
    """One fresh process: wall-clock seconds, peak resident memory (MB), exit status."""

    seconds: float
    max_rss_mb: float
    status: int


def real_dir() -> Path:
    """``shared/real`` next to the checkout or next to a folder above it (as the tests)."""
    found = next(
        (p / "shared" / "real" for p in ROOT.parents if (p / "shared" / "real").is_dir()), None
    )
    return Path(os.environ.get("CSREXTRACT_REAL_DIR") or found or ROOT.parent / "shared" / "real")


def timed(command: Sequence[str], env: dict[str, str] | None = None) -> Timing:
    """``command`` under ``/usr/bin/time -v``: its wall clock and maximum resident set."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-v", "-o", report.name, *command],
            env={**os.environ, **(env or {})},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        text = report.read()
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-2000:])
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if wall is None or rss is None:
        raise RuntimeError(f"/usr/bin/time gave no figures for {command}: {text[-500:]}")
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return Timing(round(seconds, 2), round(int(rss.group(1)) / 1024, 1), done.returncode)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "csrextract", *args]


def without_bytecode(work: Path) -> dict[str, str]:
    """Environment for a process that finds no compiled bytecode and writes none — every
    module compiled from source at import, as before packages were compiled at install
    (``PYTHONPYCACHEPREFIX`` points at an empty folder, so ``__pycache__`` is not looked at)."""
    return {
        "PYTHONPYCACHEPREFIX": tempfile.mkdtemp(prefix="nopyc-", dir=work),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def ingest(
    pdf: Path, work: Path, src: Path | None = None, *, bytecode: bool = True
) -> tuple[Timing, Path]:
    """A cold CLI ingest of ``pdf`` (fresh output folder, empty OCR cache), of ``src``'s code
    when given (else this tree's); ``bytecode=False``: no compiled bytecode at all."""
    out = Path(tempfile.mkdtemp(prefix="out-", dir=work))
    env = {"CSREXTRACT_CACHE_DIR": tempfile.mkdtemp(prefix="cache-", dir=work)}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    if not bytecode:
        env.update(without_bytecode(work))
    command = cli("ingest", str(pdf), "--output", str(out), "--no-progress")
    return timed(command, env), out


def camelot_process(pdf: Path, work: Path) -> Timing:
    """Camelot lattice over every page of ``pdf`` in a fresh process (``camelot`` below)."""
    out = tempfile.mkdtemp(prefix="camelot-", dir=work)
    return timed([sys.executable, "-m", "bench.process", "camelot", str(pdf), out])


def run_camelot(pdf: Path, out: Path) -> int:
    """The peer's whole process: read every page with Camelot lattice, write each table as CSV."""
    import camelot
    import pymupdf

    with pymupdf.open(pdf) as doc:
        n_pages = len(doc)
    count = 0
    for page in range(1, n_pages + 1):
        try:
            found = camelot.read_pdf(str(pdf), pages=str(page), flavor="lattice")
        except Exception as exc:  # a peer's crash on one page is that page's loss
            print(f"page {page}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        for table in found:
            count += 1
            table.df.to_csv(out / f"p{page:03d}-{count:03d}.csv", index=False)
    return count


def source_of(ref: str, work: Path) -> Path:
    """``src/`` of commit ``ref``, unpacked under ``work``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src"],
        capture_output=True,
        check=True,
    ).stdout
    target = work / f"src-{ref}"
    with tempfile.TemporaryFile() as buffer:
        buffer.write(archive)
        buffer.seek(0)
        with tarfile.open(fileobj=buffer) as tar:
            tar.extractall(target, filter="data")
    return target / "src"


def rows(output: Path, ignore: Sequence[str] = ()) -> dict[str, set[str]]:
    """Every dataset's rows, each as one JSON object (columns sorted, run-specific columns and
    ``ignore`` dropped, values as text), so that two runs compare as sets of rows."""
    import csrextract

    found: dict[str, set[str]] = {}
    for name in DATASETS:
        frame = csrextract.read_dataset(name, output=output)
        dropped = [c for c in (*VOLATILE, *ignore) if c in frame.columns]
        frame = frame.drop(columns=dropped).astype(str)
        found[name] = {
            json.dumps(record, ensure_ascii=False, sort_keys=True)
            for record in frame.to_dict(orient="records")
        }
    return found


def row_changes(before: dict[str, set[str]], after: dict[str, set[str]]) -> dict[str, Any]:
    """Per dataset: row counts on both sides and the rows only one side has."""
    return {
        name: {
            "before": len(before[name]),
            "after": len(after[name]),
            "only_before": sorted(before[name] - after[name]),
            "only_after": sorted(after[name] - before[name]),
        }
        for name in DATASETS
    }


def median(timings: list[Timing]) -> dict[str, Any]:
    return {
        "seconds": round(statistics.median(t.seconds for t in timings), 2),
        "max_rss_mb": round(statistics.median(t.max_rss_mb for t in timings), 1),
        "runs": [asdict(t) for t in timings],
    }


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    figures: dict[str, list[Timing]] = {}

    def add(name: str, timing: Timing) -> None:
        figures.setdefault(name, []).append(timing)
        print(f"{name}: {timing.seconds:.2f} s, {timing.max_rss_mb:.0f} MB", file=sys.stderr)

    pingan = real_dir() / REAL_NAME
    before_src = source_of(args.before, work) if args.before else None
    changes: dict[str, Any] | None = None
    renumbered: dict[str, Any] = {}
    for _ in range(args.repeats):
        add("csrextract --help", timed(cli("--help")))
        add("csrextract ingest (digital fixture)", ingest(DIGITAL, work)[0])
        add("camelot lattice (digital fixture)", camelot_process(DIGITAL, work))
        if before_src is not None and pingan.exists() and not args.skip_real:
            old, old_out = ingest(pingan, work, before_src, bytecode=False)
            add("ping an cold, before", old)
            add("ping an cold, after, no bytecode", ingest(pingan, work, bytecode=False)[0])
            new, new_out = ingest(pingan, work)
            add("ping an cold, after", new)
            if changes is None:
                changes = row_changes(rows(old_out), rows(new_out))
                renumbered = row_changes(
                    rows(old_out, ignore=("table_id",)), rows(new_out, ignore=("table_id",))
                )
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_average_at_end": os.getloadavg(),
        "repeats": args.repeats,
        "before_ref": args.before,
        "figures": {name: median(t) for name, t in figures.items()},
    }
    fig = result["figures"]
    lattice = fig["camelot lattice (digital fixture)"]["seconds"]
    result["fixture_vs_camelot"] = round(
        lattice / fig["csrextract ingest (digital fixture)"]["seconds"], 1
    )
    if "ping an cold, after" in fig:
        before = fig["ping an cold, before"]["seconds"]
        result["pingan_speedup"] = round(before / fig["ping an cold, after"]["seconds"], 2)
        result["pingan_speedup_code_only"] = round(
            before / fig["ping an cold, after, no bytecode"]["seconds"], 2
        )
        result["pingan_rows"] = changes
        result["pingan_rows_ignoring_table_ids"] = renumbered
    return result


def markdown(result: dict[str, Any]) -> str:
    lines = ["| process | wall s (median) | max RSS MB |", "|---|---|---|"]
    for name, fig in result["figures"].items():
        lines.append(f"| {name} | {fig['seconds']:.2f} | {fig['max_rss_mb']:.0f} |")
    lines.append("")
    lines.append(f"digital fixture: csrextract {result['fixture_vs_camelot']}× faster than Camelot")
    if "pingan_speedup" in result:
        lines.append(
            f"Ping An cold: {result['pingan_speedup']}× faster than {result['before_ref']} "
            f"({result['pingan_speedup_code_only']}× without bytecode)"
        )
        for key, label in (
            ("pingan_rows", "rows"),
            ("pingan_rows_ignoring_table_ids", "rows with table ids left out"),
        ):
            lines.append(f"  {label}:")
            for name, change in result[key].items():
                lost, gained = len(change["only_before"]), len(change["only_after"])
                if lost or gained:
                    lines.append(
                        f"    {name}: {change['before']} → {change['after']} (-{lost} +{gained})"
                    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["camelot"]:
        print(run_camelot(Path(argv[1]), Path(argv[2])), "tables")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="git ref of the code to compare the Ping An run with")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--skip-real", action="store_true", help="fixture figures only")
    parser.add_argument("--out", type=Path, default=RESULTS / "process.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="csrextract-process-") as tmp:
        result = measure(args, Path(tmp))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
