"""The ``csrextract`` command: ``ingest`` PDFs into versioned datasets, plus the read-side tools.

    csrextract ingest PDF... [--output DIR] [--company SLUG] [--year YYYY] [--force]
                             [--replace] [--ocr-engine ENGINE] [--page-timeout S]
    csrextract evaluate --golden DIR [--output DIR]
    csrextract history|diff|show DATASET ...
    csrextract check [--output DIR] [--repair]

``ingest`` handles each file on its own: a file that cannot be ingested (not a PDF, encrypted,
truncated) gets one line on stderr naming the file and the reason, the other files still land,
and the exit status is 1 at the end. Per report it prints pages, pages OCRed, tables by kind,
rows written per dataset and the table versions written.

Errors are one line each — what failed, which file or dataset, what to do — with no traceback
for expected failures (``-v`` adds the traceback). The output folder and the OCR engine are
checked before any extraction: a problem there is a configuration error (exit status 2).
``ingest`` builds one ``IngestSettings`` and runs the one driver (``csrextract.driver.run``) per
PDF; the ``--ocr-engine`` choices are the OCR engine registry's names.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Sequence as SequenceABC
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from csrextract import __version__
from csrextract.commands import READ_SIDE_COMMANDS
from csrextract.errors import (
    ConfigurationError,
    CsrExtractError,
    InputError,
    OcrUnavailableError,
    ValidationFailedError,
)
from csrextract.isolation import DEFAULT_PAGE_TIMEOUT_SECONDS, lean_imports

if TYPE_CHECKING:  # the pipeline, storage and rich load when ``ingest`` runs, not for --help
    from rich.console import Console

    from csrextract import storage
    from csrextract.driver import IngestSettings, Progress, Report

logger = logging.getLogger(__name__)

DEFAULT_OUTPUT = Path("output")

EXIT_FAILED = 1
"""Some input could not be ingested (the others landed)."""

EXIT_CONFIGURATION = 2
"""Options or environment are wrong; nothing was extracted (argparse uses 2 for usage too)."""

MAX_ERROR_CHARS = 400
"""An error line is cut here: a 10,000-character option must not make a 20 KB message."""


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
    from rich.console import Console
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
    from rich.console import Console

    return Console(file=out, soft_wrap=True, highlight=False, emoji=False)


# --- printing -----------------------------------------------------------------------------------


def tables_by_kind(result: Report) -> str:
    """``sdg 1, stakeholder 1, ...`` in the contract's kind order; kinds not found left out."""
    from csrextract import datasets

    counts = Counter(str(t.kind) for t in result.tables)
    parts = [f"{kind} {counts[kind]}" for kind in datasets.kinds() if counts[kind]]
    return ", ".join(parts) or "none"


def report_summary(result: Report, written: storage.WriteResult) -> list[str]:
    """The lines printed for one ingested report."""
    from csrextract.frames import pages_ocred

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
    line = text.splitlines()[0] if text else type(exc).__name__
    return line if len(line) <= MAX_ERROR_CHARS else line[: MAX_ERROR_CHARS - 1] + "…"


def print_error(message: str, err: TextIO, exc: BaseException | None, verbose: int) -> None:
    """One ``error:`` line on ``err``; with ``-v`` the traceback follows."""
    print(f"error: {message}", file=err)
    if verbose and exc is not None:
        traceback.print_exception(exc, file=err)


# --- ingest -------------------------------------------------------------------------------------


def ingest_settings(args: argparse.Namespace) -> IngestSettings:
    """The one settings object of this invocation, from the options."""
    from csrextract.driver import IngestSettings
    from csrextract.ocr.registry import OcrSettings

    return IngestSettings(
        output=Path(args.output),
        company=args.company,
        year=args.year,
        ocr=OcrSettings(engine=args.ocr_engine),
        page_timeout=getattr(args, "page_timeout", None),
        force=bool(args.force),
        replace=bool(getattr(args, "replace", False)),
    )


def ingest_one(
    pdf: Path,
    settings: IngestSettings,
    out: Console,
    progress: Progress | None,
) -> None:
    """Ingest one PDF through the driver (raises ``CsrExtractError`` for anything the user must
    act on): a torn earlier run is healed, a different PDF for a stored report refused unless
    ``--replace``, an unchanged PDF skipped unless ``--force``."""
    from csrextract import driver
    from csrextract.frames import pipeline_version

    report = driver.run(pdf, settings, progress=progress)
    if report.written is None:
        out.print(
            f"{report.document.report_id}  ({pdf}): already ingested from the same PDF with "
            f"pipeline {pipeline_version()}; nothing written (use --force to write a new version)",
            markup=False,
        )
        return
    out.print("\n".join(report_summary(report, report.written)), markup=False)


def check_configuration(args: argparse.Namespace) -> None:
    """Before any extraction: the output folder is usable and the OCR engine is installed
    (``ConfigurationError`` otherwise), so a wrong option costs nothing and is not blamed on
    a PDF."""
    from csrextract import storage

    try:
        storage.check_output_writable(args.output)
    except CsrExtractError as exc:
        raise ConfigurationError(str(exc)) from exc
    damaged = storage.quick_check(args.output)
    if damaged:
        more = f" (and {len(damaged) - 1} more; see `csrextract check`)" if len(damaged) > 1 else ""
        raise ConfigurationError(f"output {args.output} is damaged: {damaged[0]}{more}")
    from csrextract.ocr.registry import check_available  # no OCR networks are loaded here

    try:
        check_available(args.ocr_engine)
    except OcrUnavailableError as exc:
        raise ConfigurationError(
            f"OCR engine {args.ocr_engine!r} is not usable ({_first_line(exc)}); install it or "
            "choose --ocr-engine rapidocr"
        ) from exc


def run_ingest(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Ingest every PDF given; 1 if any failed (each failure is one line on stderr), 2 if the
    options or environment are wrong (nothing is extracted then)."""
    out = out or sys.stdout
    err = err or sys.stderr
    verbose = int(getattr(args, "verbose", 0) or 0)
    try:
        check_configuration(args)
        settings = ingest_settings(args)
    except ConfigurationError as exc:
        print_error(_first_line(exc), err, exc, verbose)
        return EXIT_CONFIGURATION
    failed = 0
    console = summary_console(out)
    with progress_reporter(args.progress and out.isatty(), console) as progress:
        for pdf in args.pdfs:
            try:
                ingest_one(Path(pdf), settings, console, progress)
            except ValidationFailedError as exc:  # multi-line: the report says what failed
                failed += 1
                print(f"error: {pdf}: {exc}", file=err)
            except InputError as exc:  # the message already names the file
                failed += 1
                print_error(_first_line(exc), err, exc, verbose)
            except ConfigurationError as exc:
                print_error(_first_line(exc), err, exc, verbose)
                return EXIT_CONFIGURATION
            except CsrExtractError as exc:
                failed += 1
                print_error(f"{pdf}: {_first_line(exc)}", err, exc, verbose)
            except Exception as exc:  # unexpected: still one line per file; -v shows where
                failed += 1
                logger.debug("ingest of %s failed", pdf, exc_info=True)
                message = f"{pdf}: {type(exc).__name__}: {_first_line(exc)}"
                print_error(message + " (unexpected; run with -v for details)", err, exc, verbose)
    if failed:
        print(f"{failed} of {len(args.pdfs)} file(s) failed", file=err)
    return EXIT_FAILED if failed else 0


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text[:40]!r}") from None
    if not 1900 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"year out of range (1900-2100): {year}")
    return year


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text[:40]!r}") from None
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"seconds out of range (0-86400]: {value:g}")
    return value


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
        "--replace",
        action="store_true",
        help="replace a stored report by a different PDF detected as the same company and year",
    )
    parser.add_argument(
        "--page-timeout",
        type=_seconds,
        default=DEFAULT_PAGE_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help="hard time limit per OCR page, as in the flow; a page past it becomes a warning "
        f"(default: {DEFAULT_PAGE_TIMEOUT_SECONDS:g})",
    )
    parser.add_argument(
        "--ocr-engine",
        default="rapidocr",
        choices=EngineChoices(),
        metavar="ENGINE",
        help="OCR engine for image pages, one of the registered engines (%(choices)s; "
        "default: rapidocr, bundled weights)",
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bars"
    )
    parser.set_defaults(func=run_ingest)


class EngineChoices(SequenceABC[str]):
    """The OCR engine registry's names, read when argparse first looks at them: building the
    parser (and so ``csrextract --help``) loads no OCR code."""

    def _names(self) -> tuple[str, ...]:
        from csrextract.ocr.registry import engine_names

        return engine_names()

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, value: object) -> bool:
        return value in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


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
    for register in READ_SIDE_COMMANDS:
        register(subparsers)
    return parser


def _configure_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _check_read_paths(args: argparse.Namespace) -> None:
    """``evaluate`` reads folders that must exist: say so instead of scoring nothing."""
    if args.command != "evaluate":
        return
    if not Path(args.golden).is_dir():
        raise ConfigurationError(f"golden folder {args.golden} does not exist; give --golden DIR")
    if not Path(args.output).is_dir():
        raise ConfigurationError(
            f"output {args.output} does not exist; ingest a report first or give --output DIR"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``csrextract`` console script and ``python -m csrextract``.

    Whatever escapes a subcommand is still one line on stderr (``-v``: with the traceback).
    """
    lean_imports()
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        _check_read_paths(args)
        return int(func(args))
    except KeyboardInterrupt:
        print("error: interrupted; stored reports are whole (re-run to finish)", file=sys.stderr)
        return 130
    except ConfigurationError as exc:
        print_error(_first_line(exc), sys.stderr, exc, args.verbose)
        return EXIT_CONFIGURATION
    except CsrExtractError as exc:
        print_error(_first_line(exc), sys.stderr, exc, args.verbose)
        return EXIT_FAILED
    except Exception as exc:
        message = f"{type(exc).__name__}: {_first_line(exc)} (unexpected; run with -v for details)"
        print_error(message, sys.stderr, exc, args.verbose)
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
