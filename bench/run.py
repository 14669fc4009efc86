"""Benchmark: csrextract against Camelot and pdfplumber on the same PDF, same run, same machine.

    python -m bench.run                       # digital fixture: time + TEDS per method
    python -m bench.run --pages 1-30 --skip-peer camelot-stream
    python -m bench.run --ocr                 # scanned fixture: OCR s/page and CER vs RapidOCR
    python -m bench.run --corpus              # 40 randomised designs: per-style TEDS, all peers

Every figure is measured in this process, now: ratios are against peers timed in the same run,
never against numbers remembered from elsewhere; imports happen before any clock starts. TEDS is
computed header-agnostic (no ``thead``) for every method because the peers do not mark header
rows; csrextract's full TEDS (with header rows) is reported beside it. Results go to stdout as
Markdown and to ``bench/results/*.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.peers import camelot_tables, pdfplumber_tables, stderr_progress
from csrextract.evaluate import markdown_table, match_tables, tables_from_frames
from csrextract.models import Table

ROOT = Path(__file__).resolve().parent.parent
DIGITAL = ROOT / "fixtures" / "bytedance_csr_2021.pdf"
SCANNED = ROOT / "fixtures" / "bytedance_csr_2021_scanned.pdf"
GOLDEN = ROOT / "fixtures" / "golden"
RESULTS = ROOT / "bench" / "results"
PEERS = ("camelot-lattice", "camelot-stream", "pdfplumber")
GOOD_TEDS = 0.98


class MethodUnavailableError(Exception):
    """A method cannot run here (not implemented yet, fixture missing); the bench goes on."""


@dataclass
class MethodResult:
    """One method's run on the selected pages and its scores against golden tables."""

    method: str
    seconds: float
    pages: int
    tables: list[Table]
    errors: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    per_table: list[dict[str, Any]] = field(default_factory=list)
    mean_teds: float = 0.0
    good_tables: int = 0
    mean_teds_with_header: float | None = None

    def row(self) -> list[object]:
        per_page = self.seconds / self.pages if self.pages else 0.0
        return [
            self.method,
            f"{self.seconds:.2f}",
            f"{per_page:.3f}",
            len(self.tables),
            f"{self.mean_teds:.4f}",
            f"{self.good_tables}/{len(self.per_table)}",
        ]


# --- inputs -----------------------------------------------------------------------------------


def parse_pages(spec: str | None, n_pages: int) -> list[int]:
    """``"1-5,9"`` → [1, 2, 3, 4, 5, 9]; ``None`` → every page. Pages past the end are dropped."""
    if not spec:
        return list(range(1, n_pages + 1))
    pages: set[int] = set()
    for part in spec.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+|end)\s*)?", part)
        if not match:
            raise ValueError(f"bad page range {part!r} (use e.g. 1-5,9)")
        first = int(match.group(1))
        last = n_pages if match.group(2) == "end" else int(match.group(2) or first)
        pages.update(range(first, min(last, n_pages) + 1))
    return sorted(pages)


def page_count(pdf: Path) -> int:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return int(doc.page_count)


def load_golden_tables(golden_dir: Path, pages: Sequence[int]) -> list[Table]:
    """Golden tables that touch the selected pages (all of them when no page is recorded)."""
    import pandas as pd

    cells_path = golden_dir / "table_cells.csv"
    if not cells_path.exists():
        raise MethodUnavailableError(f"no golden grids at {cells_path}")

    def read(path: Path) -> pd.DataFrame:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])

    tables_path = golden_dir / "tables.csv"
    meta = read(tables_path) if tables_path.exists() else None
    tables = tables_from_frames(meta, read(cells_path))
    wanted = set(pages)
    return [t for t in tables if not t.pages or wanted & set(t.pages)]


# --- methods ----------------------------------------------------------------------------------


def import_libraries() -> None:
    """Import every method's library before any clock starts, so no method pays import time.

    Without this the first Camelot flavour to run is charged for importing OpenCV and
    pdfminer, and the second looks 50x faster than it is.
    """
    import camelot  # noqa: F401
    import pdfplumber  # noqa: F401
    import pymupdf.table  # noqa: F401

    from csrextract import pipeline  # noqa: F401


def run_ours(pdf: Path, pages: Sequence[int]) -> MethodResult:
    """csrextract end to end (every page: the pipeline has no page filter) with stage times."""
    from csrextract import pipeline

    started = time.perf_counter()
    try:
        result = pipeline.extract_report(pdf)
    except NotImplementedError as exc:
        raise MethodUnavailableError(
            f"csrextract.pipeline.extract_report is not implemented yet ({exc})"
        ) from None
    seconds = time.perf_counter() - started
    wanted = set(pages)
    tables = [t for t in result.tables if not t.pages or wanted & set(t.pages)]
    return MethodResult(
        "csrextract",
        seconds,
        len(result.pages),
        tables,
        errors=[str(item) for item in result.errors],
        stage_seconds=dict(result.stage_seconds),
    )


def run_peer(name: str, pdf: Path, pages: list[int]) -> MethodResult:
    progress = stderr_progress(name)
    started = time.perf_counter()
    if name == "pdfplumber":
        tables, errors = pdfplumber_tables(pdf, pages, progress)
    else:
        tables, errors = camelot_tables(pdf, pages, name.removeprefix("camelot-"), progress)
    return MethodResult(name, time.perf_counter() - started, len(pages), tables, errors)


def _peer_runner(name: str, pdf: Path, pages: list[int]) -> Callable[[], MethodResult]:
    return lambda: run_peer(name, pdf, pages)


def score(result: MethodResult, golden: list[Table]) -> None:
    """Header-agnostic TEDS of the method's tables against golden, matched one-to-one."""
    matches, _ = match_tables(golden, result.tables, use_header=False)
    result.per_table = [
        {
            "golden_id": golden[gi].table_id,
            "title": golden[gi].title,
            "matched": result.tables[ei].table_id if ei is not None else None,
            "teds": round(value, 4),
        }
        for gi, ei, value in matches
    ]
    values = [value for _, _, value in matches]
    result.mean_teds = statistics.fmean(values) if values else 0.0
    result.good_tables = sum(1 for v in values if v >= GOOD_TEDS)
    if result.method == "csrextract" and golden:
        with_header, _ = match_tables(golden, result.tables, use_header=True)
        result.mean_teds_with_header = statistics.fmean(v for _, _, v in with_header)


# --- output -----------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    import os

    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def write_json(name: str, payload: dict[str, Any], results_dir: Path) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def stage_table(ours: MethodResult) -> str:
    """csrextract's seconds per pipeline stage and end to end, with each stage's share."""
    total = ours.seconds or sum(ours.stage_seconds.values()) or 1.0
    rows: list[list[object]] = [
        [f"csrextract: {stage}", f"{seconds:.3f}", f"{100 * seconds / total:.1f}%"]
        for stage, seconds in ours.stage_seconds.items()
    ]
    rows.append(["csrextract: end to end", f"{ours.seconds:.3f}", "100.0%"])
    return markdown_table(["stage", "seconds", "share"], rows)


def digital_summary(results: list[MethodResult], n_golden: int) -> str:
    header = [
        "method",
        "seconds total",
        "seconds/page",
        "tables found",
        "mean TEDS",
        "TEDS >= 0.98",
    ]
    lines = [markdown_table(header, [r.row() for r in results])]
    ours = next((r for r in results if r.method == "csrextract"), None)
    if ours is not None:
        for peer in results:
            if peer is not ours and peer.seconds > 0:
                lines.append(
                    f"- csrextract time / {peer.method} time: {ours.seconds / peer.seconds:.2f}"
                )
        if ours.stage_seconds:
            lines.append("")
            lines.append(stage_table(ours))
            lines.append("")
        if ours.mean_teds_with_header is not None:
            lines.append(
                f"- csrextract mean TEDS with header rows: {ours.mean_teds_with_header:.4f}"
            )
    lines.append(f"- golden tables on the selected pages: {n_golden}")
    for result in results:
        if result.errors:
            lines.append(
                f"- {result.method}: {len(result.errors)} page errors, first: {result.errors[0]}"
            )
    return "\n".join(lines)


# --- modes ------------------------------------------------------------------------------------


def digital_bench(args: argparse.Namespace) -> int:
    if not args.pdf.exists():
        print(f"fixture missing: {args.pdf} (build it with `make fixtures`)", file=sys.stderr)
        return 2
    pages = parse_pages(args.pages, page_count(args.pdf))
    golden = load_golden_tables(args.golden, pages)
    import_libraries()
    runners: list[tuple[str, Callable[[], MethodResult]]] = [
        ("csrextract", lambda: run_ours(args.pdf, pages))
    ]
    runners += [(name, _peer_runner(name, args.pdf, pages)) for name in PEERS]
    results: list[MethodResult] = []
    for name, runner in runners:
        if name in args.skip_peer:
            continue
        print(f"running {name} on {len(pages)} pages ...", file=sys.stderr)
        try:
            result = runner()
        except MethodUnavailableError as exc:
            print(f"  skipped {name}: {exc}", file=sys.stderr)
            continue
        score(result, golden)
        results.append(result)
    print(digital_summary(results, len(golden)))
    payload = {
        "pdf": str(args.pdf.relative_to(ROOT) if args.pdf.is_relative_to(ROOT) else args.pdf),
        "pages": pages,
        "environment": environment(),
        "methods": [
            {k: v for k, v in vars(r).items() if k != "tables"} | {"tables_found": len(r.tables)}
            for r in results
        ],
    }
    print(f"\nwritten {write_json('digital', payload, args.results)}", file=sys.stderr)
    return 0


def ocr_bench(args: argparse.Namespace) -> int:
    """The OCR benchmark (``bench/ocr.py``) on the scanned fixture, digital text as reference."""
    from bench.ocr import run_ocr_bench

    return run_ocr_bench(args.scanned, args.pdf, args.golden, args.pages, args.results)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--pdf", type=Path, default=DIGITAL, help="digital fixture")
    parser.add_argument("--scanned", type=Path, default=SCANNED, help="scanned fixture (--ocr)")
    parser.add_argument("--golden", type=Path, default=GOLDEN, help="golden CSV folder")
    parser.add_argument("--pages", default=None, help="page selection, e.g. 1-20,45 (default all)")
    parser.add_argument(
        "--skip-peer",
        action="append",
        default=[],
        choices=["csrextract", *PEERS, "pymupdf"],
        help="leave a method out (repeatable)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where JSON results go")
    parser.add_argument("--ocr", action="store_true", help="OCR benchmark on the scanned fixture")
    parser.add_argument(
        "--corpus",
        action="store_true",
        help="per-style benchmark on the style-randomised corpus (bench/corpus.py)",
    )
    parser.add_argument(
        "--seeds", default=None, help="with --corpus: design seeds, e.g. 0,1,2 (default all)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.corpus:
            from bench.corpus import run_corpus_bench

            seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else None
            return run_corpus_bench(seeds, args.results, args.skip_peer)
        return ocr_bench(args) if args.ocr else digital_bench(args)
    except MethodUnavailableError as exc:
        print(f"cannot run the benchmark: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
