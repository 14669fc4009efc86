"""OCR benchmark: csrextract's OCR stage against a naive RapidOCR baseline, same process.

    python -m bench.ocr                           # scanned fixture: sampled pages + table pages
    python -m bench.ocr --pages 1-10 --workers 2
    python -m bench.run --ocr                     # the same, from the main benchmark

Per method it reports the median seconds per page (wall, and CPU seconds of this process) and
the character error rate (CER, ``csrextract.evaluate.cer``: NFKC, whitespace removed) against
the digital fixture's text layer for the same page. The reference lines are put in reading
order (rows top to bottom, left to right) and every recognised run is placed at the reference
line it overlaps most, so CER measures recognition, not how a few lines whose centres sit on a
row boundary happen to be ordered.

Methods, all timed in this process, now:
* ``baseline``: RapidOCR with default settings on the whole page rendered at 200 dpi, one
  process (what one would write first);
* ``csrextract``: ``ocr_page_content`` page by page in this process (cold cache), alternating
  page by page with the baseline so both meet the same load on a shared machine;
* ``csrextract on ONNX Runtime``: the same with ``runtime="onnxruntime"`` (rapidocr's default
  runtime instead of OpenVINO), in the same alternation: what the runtime alone is worth;
* ``csrextract x2``: ``ocr_pages`` with 2 worker processes (cold cache; wall time / pages,
  worker start-up included);
* ``csrextract warm``: the same pages again with the cache filled.
On the table pages it also runs table detection on the OCRed pages and reports TEDS per golden
table. Results: Markdown on stdout and ``bench/results/ocr.json``.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pymupdf

from bench.peers import stderr_progress
from bench.run import DIGITAL as DIGITAL_PDF
from bench.run import (
    GOLDEN,
    RESULTS,
    SCANNED,
    MethodUnavailableError,
    environment,
    load_golden_tables,
    parse_pages,
    write_json,
)
from csrextract.evaluate import cer, markdown_table, match_tables
from csrextract.models import PageContent, PageKind
from csrextract.teds import levenshtein, normalise_text

Positioned = list[tuple[tuple[float, float, float, float], str]]
"""Text runs with their boxes (any consistent unit), for reading-order CER."""

DEFAULT_SAMPLE = 24


@dataclass
class OcrRun:
    label: str
    texts: dict[int, Positioned] = field(default_factory=dict)
    seconds: dict[int, float] = field(default_factory=dict)
    wall: float = 0.0
    pages: dict[int, PageContent] = field(default_factory=dict)
    cpu: dict[int, float] = field(default_factory=dict)
    """CPU seconds of this process per page (all its threads); empty for the pool."""


# --- reading-order text and CER ---------------------------------------------------------------


def _rows(runs: Positioned) -> list[Positioned]:
    """Runs grouped into visual rows (centres within half a line height), rows top to bottom,
    runs left to right."""
    ordered = sorted(runs, key=lambda r: (r[0][1] + r[0][3]) / 2)
    rows: list[Positioned] = []
    for run in ordered:
        centre = (run[0][1] + run[0][3]) / 2
        if rows:
            last = rows[-1][-1][0]
            if abs(centre - (last[1] + last[3]) / 2) <= 0.5 * (last[3] - last[1]):
                rows[-1].append(run)
                continue
        rows.append([run])
    return [sorted(row, key=lambda r: r[0][0]) for row in rows]


def reading_order(runs: Positioned) -> str:
    """Rows top to bottom, runs left to right; whitespace is dropped later by normalisation."""
    return "\n".join("".join(t for _, t in row) for row in _rows(runs))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _distance(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    dx = max(0.0, a[0] - b[2], b[0] - a[2])
    dy = max(0.0, a[1] - b[3], b[1] - a[3])
    return dx + dy


def aligned_texts(reference: Positioned, runs: Positioned) -> tuple[str, str]:
    """The reference text in reading order, and the recognised text in the same order.

    Each recognised run is put at the reference line it overlaps most (else the nearest), so
    the comparison measures recognition, not the reading order of a few lines whose centres
    sit within a point of a row boundary (a label centred beside a two-line cell, boxes
    modelled from ink rather than from font metrics).
    """
    lines = [run for row in _rows(reference) for run in row]
    if not lines:
        return "", "".join(t for _, t in runs)
    slots: list[Positioned] = [[] for _ in lines]
    for run in runs:
        areas = [_overlap(box, run[0]) for box, _ in lines]
        best = max(range(len(lines)), key=lambda i: areas[i])
        if areas[best] <= 0:
            best = min(range(len(lines)), key=lambda i: _distance(lines[i][0], run[0]))
        slots[best].append(run)
    ref = "\n".join(t for _, t in lines)
    hyp = "\n".join("".join(t for _, t in sorted(slot, key=lambda r: r[0][0])) for slot in slots)
    return ref, hyp


def page_cer(reference: Positioned, runs: Positioned) -> float:
    """CER of one page's recognised runs against its text layer (``csrextract.evaluate.cer``)."""
    return cer(*aligned_texts(reference, runs))


def corpus_cer(
    reference: dict[int, Positioned], texts: dict[int, Positioned], pages: Sequence[int]
) -> float:
    """Edits over all pages / reference characters over all pages."""
    edits = chars = 0
    for page in pages:
        ref, hyp = (normalise_text(t) for t in aligned_texts(reference[page], texts.get(page, [])))
        edits += levenshtein(ref, hyp)
        chars += len(ref)
    return edits / chars if chars else 0.0


def reference_runs(pdf: Path, pages: Sequence[int]) -> dict[int, Positioned]:
    """The digital fixture's text layer as positioned lines (ground truth)."""
    out: dict[int, Positioned] = {}
    with pymupdf.open(pdf) as doc:
        for page in pages:
            runs: Positioned = []
            for block in doc[page - 1].get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    text = "".join(span["text"] for span in line["spans"])
                    if text.strip():
                        x0, top, x1, bottom = line["bbox"]
                        runs.append(((x0, top, x1, bottom), text))
            out[page] = runs
    return out


# --- methods ----------------------------------------------------------------------------------


class Baseline:
    """RapidOCR defaults on the whole page at 200 dpi, one process."""

    label = "baseline: RapidOCR defaults, 200 dpi, 1 process"

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        self.engine = RapidOCR(params={"Global.log_level": "error"})
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)

    def page(self, doc: pymupdf.Document, page: int) -> Positioned:
        pix = doc[page - 1].get_pixmap(dpi=200)
        image = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.h, pix.w, pix.n)
        output = self.engine(np.ascontiguousarray(image[:, :, :3]))
        scale = 72.0 / 200.0
        boxes = getattr(output, "boxes", None)
        txts = getattr(output, "txts", None) or ()
        return [
            (
                (
                    float(np.min(q[:, 0])) * scale,
                    float(np.min(q[:, 1])) * scale,
                    float(np.max(q[:, 0])) * scale,
                    float(np.max(q[:, 1])) * scale,
                ),
                str(t),
            )
            for q, t in zip(boxes if boxes is not None else [], txts, strict=False)
        ]


def run_interleaved(pdf: Path, pages: Sequence[int], cache: Path) -> tuple[OcrRun, OcrRun, OcrRun]:
    """Baseline, csrextract and csrextract on ONNX Runtime (one process, cold cache) page by
    page, in turn, so all three meet the same machine load (other jobs on a shared machine come
    and go). The third shows what the runtime choice alone is worth."""
    from csrextract.ocr import RapidOcrEngine, RapidOcrSettings, get_engine

    baseline = Baseline()
    # every engine is built before any clock starts
    engines = {
        "ours": get_engine("rapidocr"),
        "ort": RapidOcrEngine(RapidOcrSettings(runtime="onnxruntime")),
    }
    for engine in engines.values():
        engine.load()  # type: ignore[attr-defined]
    base = OcrRun(Baseline.label)
    runs = {
        "ours": OcrRun("csrextract, 1 process, cold cache"),
        "ort": OcrRun("csrextract on ONNX Runtime, 1 process, cold cache"),
    }
    progress = stderr_progress("baseline + csrextract")
    with pymupdf.open(pdf) as doc:
        for done, content in enumerate(image_contents(pdf, pages), 1):
            page = content.number
            w0, c0 = time.perf_counter(), time.process_time()
            base.texts[page] = baseline.page(doc, page)
            base.seconds[page] = time.perf_counter() - w0
            base.cpu[page] = time.process_time() - c0
            for key, run in runs.items():
                _time_page(run, pdf, content, engines[key], cache)
            progress(done, len(pages))
    base.wall = sum(base.seconds.values())
    for run in runs.values():
        run.wall = sum(run.seconds.values())
    return base, runs["ours"], runs["ort"]


def _time_page(run: OcrRun, pdf: Path, content: PageContent, engine: Any, cache: Path) -> None:
    from csrextract.ocr import ocr_page_content

    w0, c0 = time.perf_counter(), time.process_time()
    result = ocr_page_content(pdf, content, engine, cache)
    run.seconds[content.number] = time.perf_counter() - w0
    run.cpu[content.number] = time.process_time() - c0
    run.texts[content.number] = _runs_of(result)
    run.pages[content.number] = result


def image_contents(pdf: Path, pages: Sequence[int]) -> list[PageContent]:
    """Triage result for an image-only PDF: every page is an IMAGE page."""
    with pymupdf.open(pdf) as doc:
        return [
            PageContent(p, doc[p - 1].rect.width, doc[p - 1].rect.height, kind=PageKind.IMAGE)
            for p in pages
        ]


def _runs_of(content: PageContent) -> Positioned:
    return [(ln.bbox, ln.text) for ln in content.lines]


def run_ours_serial(pdf: Path, pages: Sequence[int], cache: Path, label: str) -> OcrRun:
    from csrextract.ocr import get_engine

    engine = get_engine("rapidocr")  # built before the clock starts, like the baseline's
    run = OcrRun(label)
    progress = stderr_progress(label)
    started = time.perf_counter()
    for done, content in enumerate(image_contents(pdf, pages), 1):
        _time_page(run, pdf, content, engine, cache)
        progress(done, len(pages))
    run.wall = time.perf_counter() - started
    return run


def run_ours_pool(pdf: Path, pages: Sequence[int], cache: Path, workers: int) -> OcrRun:
    from csrextract.ocr import ocr_pages

    run = OcrRun(f"csrextract, {workers} worker processes (wall/pages, start-up included)")
    started = time.perf_counter()
    results = ocr_pages(pdf, image_contents(pdf, pages), "rapidocr", workers, cache)
    run.wall = time.perf_counter() - started
    for result in results:
        run.texts[result.number] = _runs_of(result)
        run.seconds[result.number] = run.wall / len(pages)
        run.pages[result.number] = result
    return run


# --- tables -----------------------------------------------------------------------------------


def table_scores(run: OcrRun, golden_dir: Path, table_pages: Sequence[int]) -> list[dict[str, Any]]:
    """TEDS of the tables found on the OCRed table pages against golden (stitched across pages)."""
    from csrextract.tables import detect_tables, stitch_tables

    golden = load_golden_tables(golden_dir, table_pages)
    contents = [run.pages[p] for p in table_pages if p in run.pages]
    found = stitch_tables([t for c in contents for t in detect_tables(c)], contents)
    matches, _ = match_tables(golden, found, use_header=True)
    return [
        {
            "golden_id": golden[gi].table_id,
            "title": golden[gi].title,
            "pages": golden[gi].pages,
            "matched": found[ei].table_id if ei is not None else None,
            "shape": f"{found[ei].n_rows}x{found[ei].n_cols}" if ei is not None else "-",
            "golden_shape": f"{golden[gi].n_rows}x{golden[gi].n_cols}",
            "teds": round(value, 4),
        }
        for gi, ei, value in matches
    ]


# --- driver -----------------------------------------------------------------------------------


def sample_pages(n_pages: int, table_pages: Sequence[int], size: int) -> list[int]:
    """Table pages plus evenly spread other pages, ``size`` in all (at least the table pages)."""
    others = [p for p in range(1, n_pages + 1) if p not in set(table_pages)]
    want = max(0, size - len(table_pages))
    step = max(1, len(others) // want) if want else len(others) + 1
    return sorted({*table_pages, *others[::step][:want]})


def _median(values: dict[int, float], pages: Sequence[int]) -> float:
    picked = [values[p] for p in pages if p in values]
    return statistics.median(picked) if picked else float("nan")


def _row(
    label: str, run: OcrRun, pages: Sequence[int], reference: dict[int, Positioned]
) -> list[object]:
    cpu = _median(run.cpu, pages)
    return [
        label,
        len(pages),
        f"{_median(run.seconds, pages):.3f}",
        f"{cpu:.3f}" if cpu == cpu else "-",
        f"{corpus_cer(reference, run.texts, pages):.4f}",
    ]


def speedups(
    runs: dict[str, OcrRun], pages: Sequence[int], reference: dict[int, Positioned]
) -> dict[str, float]:
    """Per-page median ratios against the baseline on ``pages``, and each method's CER."""
    base = _median(runs["baseline"].seconds, pages)
    return {
        "pages": len(pages),
        "baseline_s_per_page": base,
        "ours_s_per_page": _median(runs["ours"].seconds, pages),
        "pool_s_per_page": _median(runs["pool"].seconds, pages),
        "speedup_1_process": base / _median(runs["ours"].seconds, pages),
        "speedup_1_process_onnxruntime": base / _median(runs["ort"].seconds, pages),
        "speedup_1_process_cpu": _median(runs["baseline"].cpu, pages)
        / _median(runs["ours"].cpu, pages),
        "speedup_pool": base / _median(runs["pool"].seconds, pages),
        "cache_speedup_median": _median(runs["ours"].seconds, pages)
        / _median(runs["warm"].seconds, pages),
        "cer_baseline": corpus_cer(reference, runs["baseline"].texts, pages),
        "cer_ours": corpus_cer(reference, runs["ours"].texts, pages),
        "cer_ours_onnxruntime": corpus_cer(reference, runs["ort"].texts, pages),
        "cer_pool": corpus_cer(reference, runs["pool"].texts, pages),
    }


def run_ocr_bench(
    scanned: Path,
    digital: Path,
    golden_dir: Path,
    pages_spec: str | None,
    results_dir: Path,
    workers: int = 2,
    sample: int = DEFAULT_SAMPLE,
) -> int:
    for path in (scanned, digital):
        if not path.exists():
            print(f"fixture missing: {path} (build it with `make fixtures`)", file=sys.stderr)
            return 2
    with pymupdf.open(scanned) as doc:
        n_pages = doc.page_count
    try:
        golden_all = load_golden_tables(golden_dir, range(1, n_pages + 1))
    except MethodUnavailableError as exc:
        print(f"  no table scores: {exc}", file=sys.stderr)
        golden_all = []
    table_pages = sorted({p for t in golden_all for p in t.pages})
    if pages_spec:
        pages = parse_pages(pages_spec, n_pages)
        table_pages = [p for p in table_pages if p in pages]
    else:
        pages = sample_pages(n_pages, table_pages, sample)
    reference = reference_runs(digital, pages)
    runs: dict[str, OcrRun] = {}
    with tempfile.TemporaryDirectory() as cold, tempfile.TemporaryDirectory() as pooled:
        runs["baseline"], runs["ours"], runs["ort"] = run_interleaved(scanned, pages, Path(cold))
        runs["warm"] = run_ours_serial(scanned, pages, Path(cold), "csrextract, warm cache")
        runs["pool"] = run_ours_pool(scanned, pages, Path(pooled), workers)
    rows = []
    for run in runs.values():
        rows.append(_row(f"{run.label} — sampled pages", run, pages, reference))
        if table_pages:
            rows.append(_row(f"{run.label} — table pages", run, table_pages, reference))
    header = ["method", "pages", "median s/page", "median CPU s/page", "CER"]
    print(markdown_table(header, rows))
    summary = {"sampled": speedups(runs, pages, reference)}
    if table_pages:
        summary["table_pages"] = speedups(runs, table_pages, reference)
    for name, figures in summary.items():
        print(
            f"\n- {name}: speed-up per page vs baseline — 1 process "
            f"{figures['speedup_1_process']:.2f}x (CPU {figures['speedup_1_process_cpu']:.2f}x; "
            f"on ONNX Runtime {figures['speedup_1_process_onnxruntime']:.2f}x), "
            f"{workers} workers {figures['speedup_pool']:.2f}x; warm cache "
            f"{figures['cache_speedup_median']:.0f}x; CER baseline "
            f"{figures['cer_baseline']:.4f}, ours {figures['cer_ours']:.4f}",
            end="",
        )
    whole = runs["ours"].wall / runs["warm"].wall
    print(f"\n- warm cache, whole run: {whole:.0f}x")
    tables = table_scores(runs["ours"], golden_dir, table_pages) if table_pages else []
    print_tables(tables)
    payload = {
        "scanned": str(scanned),
        "pages": pages,
        "table_pages": table_pages,
        "workers": workers,
        "environment": environment(),
        "rows": [
            dict(
                zip(
                    ["method", "pages", "median_s_per_page", "median_cpu_s_per_page", "cer"],
                    r,
                    strict=True,
                )
            )
            for r in rows
        ],
        "summary": summary,
        "cache_speedup_whole_run": whole,
        "tables": tables,
    }
    print(f"\nwritten {write_json('ocr', payload, results_dir)}", file=sys.stderr)
    return 0


def print_tables(tables: list[dict[str, Any]]) -> None:
    if not tables:
        return
    header = ["golden table", "pages", "golden shape", "found shape", "TEDS"]
    rows = [
        [
            f"{t['golden_id']} {t['title'][:20]}",
            t["pages"],
            t["golden_shape"],
            t["shape"],
            t["teds"],
        ]
        for t in tables
    ]
    print()
    print(markdown_table(header, rows))
    good = sum(t["teds"] >= 0.93 for t in tables)
    mean = statistics.fmean(t["teds"] for t in tables)
    print(f"- mean TEDS {mean:.4f}; TEDS >= 0.93: {good}/{len(tables)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__.split("\n")[0])
    parser.add_argument("--scanned", type=Path, default=SCANNED)
    parser.add_argument(
        "--pdf", type=Path, default=DIGITAL_PDF, help="digital twin (reference text)"
    )
    parser.add_argument("--golden", type=Path, default=GOLDEN)
    parser.add_argument("--pages", default=None, help="page selection, e.g. 1-10 (default: sample)")
    parser.add_argument(
        "--sample", type=int, default=DEFAULT_SAMPLE, help="pages in the default sample"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    return run_ocr_bench(
        args.scanned, args.pdf, args.golden, args.pages, args.results, args.workers, args.sample
    )


if __name__ == "__main__":
    raise SystemExit(main())
