"""The read-side subcommands' arguments: ``evaluate``, ``history``, ``diff``, ``show``,
``check``, ``export`` and ``review``.

Kept apart from the modules that do the work, and light on purpose: building the parser (and
so ``csrextract --help``) imports no pandas, pyarrow, Delta or PyMuPDF. Each subcommand names
its handler as ``module:function``; :func:`lazy` imports that module only when the command runs.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csrextract.names import DATASET_NAMES

Handler = Callable[[argparse.Namespace], int]

DEFAULT_LIMIT = 50
"""Rows shown by ``show`` and per section by ``diff``."""

EXPORT_FORMATS = ("csv", "xlsx", "json", "md", "html")


def lazy(target: str) -> Handler:
    """A handler that imports ``module:function`` when first called."""
    module_name, _, function_name = target.partition(":")

    def handler(args: argparse.Namespace) -> int:
        function: Handler = getattr(importlib.import_module(module_name), function_name)
        return int(function(args))

    handler.__qualname__ = handler.__name__ = function_name
    return handler


def register_evaluate(subparsers: Any) -> None:
    """``evaluate --golden DIR --output DIR``."""
    parser = subparsers.add_parser(
        "evaluate",
        help="compare stored datasets with golden CSVs (row F1, table TEDS)",
        description="Print row precision/recall/F1 per dataset and TEDS per golden table.",
    )
    parser.add_argument("--golden", type=Path, required=True, help="folder of golden CSVs")
    parser.add_argument("--output", type=Path, default=Path("output"), help="dataset root")
    parser.add_argument("--report", default=None, help="only rows of this report_id")
    parser.add_argument(
        "--examples", action="store_true", help="also print a few missing/spurious rows"
    )
    parser.set_defaults(func=lazy("csrextract.evaluate:run_command"))


def _add_dataset_and_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dataset", choices=sorted(DATASET_NAMES), metavar="DATASET", help="dataset name"
    )
    parser.add_argument("--output", default="output", help="output root (default: output)")


def register_storage(subparsers: Any) -> None:
    """``history``, ``diff``, ``show`` and ``check``: views of the stored datasets."""
    datasets = ", ".join(DATASET_NAMES)
    hist = subparsers.add_parser(
        "history",
        help="list a dataset's versions",
        description=f"Versions of a dataset ({datasets}): time, run, report, rows.",
    )
    _add_dataset_and_output(hist)
    hist.set_defaults(func=lazy("csrextract.storage_cli:history_command"))

    diff = subparsers.add_parser(
        "diff",
        help="rows added/removed/changed between two versions",
        description="Compare two versions of a dataset by its natural key.",
    )
    _add_dataset_and_output(diff)
    diff.add_argument("v1", type=int, help="older version")
    diff.add_argument("v2", type=int, help="newer version")
    diff.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="rows shown per section")
    diff.set_defaults(func=lazy("csrextract.storage_cli:diff_command"))

    show = subparsers.add_parser(
        "show", help="print a dataset as a table", description="Print a dataset in the terminal."
    )
    _add_dataset_and_output(show)
    show.add_argument("--report", help="only this report_id (e.g. bytedance-2021)")
    show.add_argument("--version", type=int, help="table version (default: latest)")
    show.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="rows shown")
    show.add_argument(
        "--all-columns", action="store_true", help="also show identity columns and bbox"
    )
    show.set_defaults(func=lazy("csrextract.storage_cli:show_command"))

    check = subparsers.add_parser(
        "check",
        help="verify every dataset (log, files, schema, whole reports)",
        description="Verify every dataset under --output: the Delta log is readable, every data "
        "file is present and readable, the schema matches the contract, and no report is torn "
        "(rows of a run that never completed). Prints each problem with what to do; exit 1 if "
        "any.",
    )
    check.add_argument("--output", default="output", help="output root (default: output)")
    check.add_argument(
        "--repair",
        action="store_true",
        help="remove rows of interrupted runs (readers never see them) and check again",
    )
    check.set_defaults(func=lazy("csrextract.storage_cli:check_command"))


def register_export(subparsers: Any) -> None:
    """``export REPORT_ID --format ...``."""
    parser = subparsers.add_parser(
        "export",
        help="write a report's datasets or one table as CSV, XLSX, JSON, Markdown or HTML",
        description="Export the latest stored rows of one report: every dataset, one dataset "
        "(--dataset) or one recovered table as a grid (--table).",
    )
    parser.add_argument("report_id", metavar="REPORT_ID", help="e.g. bytedance-2021")
    parser.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="file format")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--table", metavar="ID", help="one recovered table (t01, t02, ...)")
    which.add_argument(
        "--dataset", choices=DATASET_NAMES, metavar="NAME", help="one dataset of the report"
    )
    parser.add_argument("--output", type=Path, default=Path("output"), help="dataset root")
    parser.add_argument(
        "--to",
        type=Path,
        help="file (or, for a whole report as CSV, folder) to write; default: exports/...",
    )
    parser.set_defaults(func=lazy("csrextract.export:run_command"))


def register_review(subparsers: Any) -> None:
    """``review REPORT_ID``."""
    parser = subparsers.add_parser(
        "review",
        help="write one HTML page showing each table beside the page it came from",
        description="Write a self-contained HTML review page for one stored report.",
    )
    parser.add_argument("report_id", metavar="REPORT_ID", help="e.g. bytedance-2021")
    parser.add_argument("--output", type=Path, default=Path("output"), help="dataset root")
    parser.add_argument("--to", type=Path, help="HTML file to write (default: review/ID.html)")
    parser.add_argument("--pdf", type=Path, help="source PDF (default: the path ingested)")
    parser.add_argument("--golden", type=Path, help="golden CSV folder: add the evaluation")
    parser.set_defaults(func=lazy("csrextract.review:run_command"))


READ_SIDE_COMMANDS: tuple[Callable[[Any], None], ...] = (
    register_evaluate,
    register_storage,
    register_export,
    register_review,
)
"""Registered after ``ingest``, in the order ``--help`` lists them."""
