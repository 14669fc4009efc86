"""Per-style benchmark on the style-randomised corpus: csrextract and its peers on the same files.

    python -m bench.run --corpus                 # all 40 designs, every method
    python -m bench.run --corpus --seeds 0,1,2   # a few designs

For every corpus design (``fixtures/corpus``, rendered and cached on demand) each method reads the
whole PDF in this process: csrextract end to end (its datasets are also scored: row F1 of each
named dataset), pdfplumber's default ``find_tables``, Camelot lattice and stream, and PyMuPDF's
``Page.find_tables``. Every method's tables are matched one-to-one to the 16 golden tables by
header-agnostic TEDS (the peers do not mark header rows), exactly as the digital bench does.
Figures are then averaged per style: by rules, by header fill, zebra or not, page size and
rendering engine. Results go to ``bench/results/corpus.json`` and stdout as Markdown.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.peers import camelot_tables, pdfplumber_tables, pymupdf_tables, stderr_progress
from csrextract.evaluate import markdown_table, match_tables
from csrextract.models import Table

METHODS = ("csrextract", "pdfplumber", "camelot-lattice", "camelot-stream", "pymupdf")
GOOD_TEDS = 0.98
STYLE_AXES = ("rules", "header_fill", "zebra", "page", "engine", "split", "caption")
"""Design axes the per-style tables group by."""


@dataclass
class DesignRun:
    """One design: each method's mean header-agnostic TEDS, tables ≥ 0.98 and seconds."""

    design_id: str
    axes: dict[str, Any]
    pages: int
    teds: dict[str, float] = field(default_factory=dict)
    good: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    f1: dict[str, float] = field(default_factory=dict)  # csrextract's named datasets
    teds_with_header: float = 0.0  # csrextract, header rows counted

    def style(self, axis: str) -> str:
        value = self.axes[axis]
        if axis == "split":
            return "repeated header" if str(value).startswith("repeat") else "no repeated header"
        return str(value)


def _header_agnostic(golden: Sequence[Table], tables: Sequence[Table]) -> tuple[float, int]:
    matches, _ = match_tables(golden, tables, use_header=False)
    values = [v for _, _, v in matches]
    return statistics.fmean(values), sum(v >= GOOD_TEDS for v in values)


def _ours(pdf: Path, golden_dir: Path, run: DesignRun, golden: list[Table]) -> None:
    from csrextract.evaluate import evaluate
    from csrextract.pipeline import extract_report
    from fixtures.corpus.score import NAMED_DATASETS

    started = time.perf_counter()
    result = extract_report(pdf)
    run.seconds["csrextract"] = time.perf_counter() - started
    run.teds["csrextract"], run.good["csrextract"] = _header_agnostic(golden, result.tables)
    run.errors["csrextract"] = len(result.errors)
    report = evaluate(golden_dir, result.datasets)
    run.f1 = {n: report.datasets[n].f1 for n in NAMED_DATASETS if n in report.datasets}
    run.teds_with_header = report.mean_teds


def _peer(name: str, pdf: Path, pages: list[int]) -> tuple[list[Table], list[str]]:
    progress: Callable[[int, int], None] | None = None
    if name == "pdfplumber":
        return pdfplumber_tables(pdf, pages, progress)
    if name == "pymupdf":
        return pymupdf_tables(pdf, pages, progress)
    return camelot_tables(pdf, pages, name.removeprefix("camelot-"), progress)


def run_design(item: Any, methods: Sequence[str]) -> DesignRun:
    from bench.run import load_golden_tables, page_count

    n_pages = page_count(item.pdf)
    pages = list(range(1, n_pages + 1))
    golden = load_golden_tables(item.golden, pages)
    axes = dict(item.design.axes())
    axes["header_fill"] = item.design.header_fill
    run = DesignRun(item.design.design_id, axes, n_pages)
    for method in methods:
        if method == "csrextract":
            _ours(item.pdf, item.golden, run, golden)
            continue
        started = time.perf_counter()
        tables, errors = _peer(method, item.pdf, pages)
        run.seconds[method] = time.perf_counter() - started
        run.teds[method], run.good[method] = _header_agnostic(golden, tables)
        run.errors[method] = len(errors)
    return run


def _mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def style_table(runs: Sequence[DesignRun], axis: str, methods: Sequence[str]) -> str:
    """Mean TEDS per method (and csrextract's lowest named-dataset F1) per value of ``axis``."""
    groups: dict[str, list[DesignRun]] = {}
    for run in runs:
        groups.setdefault(run.style(axis), []).append(run)
    rows = []
    for value, group in sorted(groups.items()):
        worst_f1 = [min(r.f1.values()) for r in group if r.f1]
        rows.append(
            [
                value,
                len(group),
                *(f"{_mean([r.teds[m] for r in group if m in r.teds]):.3f}" for m in methods),
                f"{_mean(worst_f1):.3f}" if worst_f1 else "-",
            ]
        )
    header = [axis, "designs", *methods, "csrextract min dataset F1"]
    return markdown_table(header, rows)


def overall_table(runs: Sequence[DesignRun], methods: Sequence[str]) -> str:
    total_tables = 16 * len(runs)
    rows = []
    for m in methods:
        done = [r for r in runs if m in r.teds]
        rows.append(
            [
                m,
                f"{_mean([r.teds[m] for r in done]):.3f}",
                f"{sum(r.good[m] for r in done)}/{total_tables}",
                f"{sum(r.seconds[m] for r in done):.1f}",
                f"{sum(r.seconds[m] for r in done) / max(sum(r.pages for r in done), 1):.3f}",
            ]
        )
    header = ["method", "mean TEDS", "tables TEDS ≥ 0.98", "seconds", "s/page"]
    return markdown_table(header, rows)


def summary(runs: Sequence[DesignRun], methods: Sequence[str]) -> str:
    from fixtures.corpus.score import MIN_DATASET_F1, MIN_MEAN_TEDS

    met = sum(
        1
        for r in runs
        if r.f1 and min(r.f1.values()) >= MIN_DATASET_F1 and r.teds_with_header >= MIN_MEAN_TEDS
    )
    parts = [
        f"Corpus: {len(runs)} designs, {sum(r.pages for r in runs)} pages, "
        f"{16 * len(runs)} golden tables; header-agnostic TEDS (peers mark no header rows).",
        "",
        overall_table(runs, methods),
        "",
        f"- csrextract designs meeting the bar (every named dataset F1 ≥ {MIN_DATASET_F1}, "
        f"mean TEDS with header rows ≥ {MIN_MEAN_TEDS}): {met}/{len(runs)}",
    ]
    for axis in STYLE_AXES:
        parts += ["", style_table(runs, axis, methods)]
    return "\n".join(parts)


def run_corpus_bench(
    seeds: Sequence[int] | None, results_dir: Path, skip: Sequence[str] = ()
) -> int:
    from bench.run import environment, import_libraries, write_json
    from fixtures.corpus.build import build_design
    from fixtures.corpus.design import corpus_designs, sample_design

    designs = [sample_design(s) for s in seeds] if seeds else corpus_designs()
    items = [build_design(d) for d in designs]  # rendering is not timed
    import_libraries()
    methods = [m for m in METHODS if m not in skip]
    progress = stderr_progress("corpus")
    runs = []
    for done, item in enumerate(items, 1):
        runs.append(run_design(item, methods))
        progress(done, len(items))
    print(summary(runs, methods))
    payload = {
        "environment": environment(),
        "methods": methods,
        "designs": [vars(r) for r in runs],
    }
    print(f"\nwritten {write_json('corpus', payload, results_dir)}", file=sys.stderr)
    return 0
