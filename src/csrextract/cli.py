"""The ``csrextract`` command: ``ingest`` PDFs into versioned datasets, plus the read-side tools.

    csrextract ingest PDF... [--output DIR] [--company SLUG] [--year YYYY] [--force]
                             [--ocr-engine rapidocr|paddleocr]
    csrextract evaluate --golden DIR [--output DIR]
    csrextract history|diff|show DATASET ...

``ingest`` handles each file on its own: a file that cannot be ingested (not a PDF, encrypted,
truncated) gets one line on stderr naming the file and the reason, the other files still land,
and the exit status is 1 at the end. Per report it prints pages, pages OCRed, tables by kind,
rows written per dataset and the table versions written.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console

from csrextract import __version__, evaluate, export, review, storage, storage_cli
from csrextract.errors import CsrExtractError, InputError, ValidationFailedError
from csrextract.frames import pages_ocred, pipeline_version
from csrextract.models import TableKind
from csrextract.pipeline import Progress, ReportResult, extract_report, load

logger = logging.getLogger(__name__)

DEFAULT_OUTPUT = Path("output")


# --- progress -----------------------------------------------------------------------------------


@contextmanager
def progress_reporter(enabled: bool, console: Console | None = None) -> Iterator[Progress | None]:
    """A ``rich`` progress bar for page reading and OCR (only on a terminal).

    The bar draws on ``console``, the same console the per-report summaries are printed on, so
    rich prints each summary above the live bar instead of into it (and keeps its last line).
    """
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
    from rich.progress import Progress as ProgressBar

    bars: dict[str, Any] = {}
    with ProgressBar(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=True,
    ) as bar:

        def update(stage: str, done: int, total: int) -> None:
            if stage not in bars:
                label = {"read": "reading pages", "ocr": "OCR (image pages)"}.get(stage, stage)
                bars[stage] = bar.add_task(label, total=total)
            bar.update(bars[stage], completed=done, total=total)

        yield update


def summary_console(out: TextIO) -> Console:
    """The console summaries (and, on a terminal, the progress bar) are written to."""
    return Console(file=out, soft_wrap=True, highlight=False, emoji=False)


# --- printing -----------------------------------------------------------------------------------


def tables_by_kind(result: ReportResult) -> str:
    """``sdg 1, stakeholder 1, ...`` in the contract's kind order; kinds not found left out."""
    counts = Counter(t.kind for t in result.tables)
    parts = [f"{kind.value} {counts[kind]}" for kind in TableKind if counts[kind]]
    return ", ".join(parts) or "none"


def report_summary(result: ReportResult, written: storage.WriteResult) -> list[str]:
    """The lines printed for one ingested report."""
    doc = result.document
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.stage_seconds.items())
    lines = [
        f"{doc.report_id}  ({doc.path})",
        f"  pages: {len(result.pages)}, OCRed: {pages_ocred(result.pages)}",
        f"  tables: {len(result.tables)} ({tables_by_kind(result)})",
        "  rows: " + ", ".join(f"{k} {len(v)}" for k, v in result.datasets.items()),
    ]
    if written.skipped:
        lines.append("  versions: none written (already ingested; --force writes a new version)")
    else:
        versions = ", ".join(f"{d.dataset} v{d.version}" for d in written.datasets.values())
        lines.append(f"  versions: {versions}")
    lines.append(f"  time: {sum(result.stage_seconds.values()):.2f}s ({stages})")
    lines += [f"  warning: {e}" for e in result.errors]
    return lines


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- ingest -------------------------------------------------------------------------------------


def ingest_one(
    pdf: Path,
    args: argparse.Namespace,
    out: Console,
    progress: Progress | None,
) -> None:
    """Ingest one PDF (raises ``CsrExtractError`` for anything the user must act on)."""
    version = pipeline_version()
    if not args.force:
        document = load(pdf, args.company, args.year)
        if storage.already_ingested(args.output, document.report_id, document.sha256, version):
            out.print(
                f"{document.report_id}  ({pdf}): already ingested from the same PDF with "
                f"pipeline {version}; nothing written (use --force to write a new version)",
                markup=False,
            )
            return
    result = extract_report(pdf, args.company, args.year, args.ocr_engine, progress=progress)
    written = storage.write_report(
        result.datasets,
        args.output,
        report_id=result.document.report_id,
        source_sha256=result.document.sha256,
        run_id=result.run_id,
        pipeline_version=version,
        force=args.force,
    )
    out.print("\n".join(report_summary(result, written)), markup=False)


def run_ingest(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Ingest every PDF given; 1 if any failed (each failure is one line on stderr)."""
    out = out or sys.stdout
    err = err or sys.stderr
    failed = 0
    console = summary_console(out)
    with progress_reporter(args.progress and out.isatty(), console) as progress:
        for pdf in args.pdfs:
            try:
                ingest_one(Path(pdf), args, console, progress)
            except ValidationFailedError as exc:  # multi-line: the report says what failed
                failed += 1
                print(f"error: {pdf}: {exc}", file=err)
            except InputError as exc:  # the message already names the file
                failed += 1
                print(f"error: {_first_line(exc)}", file=err)
            except CsrExtractError as exc:
                failed += 1
                print(f"error: {pdf}: {_first_line(exc)}", file=err)
            except Exception as exc:  # unexpected: still one line per file, details in the log
                failed += 1
                logger.debug("ingest of %s failed", pdf, exc_info=True)
                print(f"error: {pdf}: {type(exc).__name__}: {_first_line(exc)}", file=err)
    if failed:
        print(f"{failed} of {len(args.pdfs)} file(s) failed", file=err)
    return 1 if failed else 0


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not 1900 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"year out of range (1900-2100): {year}")
    return year


def register_ingest(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="extract CSR report PDFs into versioned datasets",
        description="Extract every table of each PDF, normalise the named tables and write "
        "the datasets (one Delta table per dataset) under --output.",
    )
    parser.add_argument("pdfs", nargs="+", type=Path, metavar="PDF", help="report PDF(s)")
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="dataset root (default: output/)"
    )
    parser.add_argument("--company", help="company slug (default: detected from the document)")
    parser.add_argument("--year", type=_year, help="report year (default: detected)")
    parser.add_argument(
        "--force", action="store_true", help="re-extract and write a new version even if unchanged"
    )
    parser.add_argument(
        "--ocr-engine",
        default="rapidocr",
        choices=["rapidocr", "paddleocr"],
        help="OCR engine for image pages (default: rapidocr, bundled weights)",
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bars"
    )
    parser.set_defaults(func=run_ingest)


# --- main ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csrextract",
        description="CSR report PDFs (Chinese first) → clean, versioned Delta Lake datasets.",
    )
    parser.add_argument("--version", action="version", version=f"csrextract {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    register_ingest(subparsers)
    evaluate.register(subparsers)
    storage_cli.register(subparsers)
    export.register(subparsers)
    review.register(subparsers)
    return parser


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``csrextract`` console script and ``python -m csrextract``."""
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    func: Callable[[argparse.Namespace], int] = args.func
    return int(func(args))


if __name__ == "__main__":
    raise SystemExit(main())
