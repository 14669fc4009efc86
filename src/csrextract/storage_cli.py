"""Command-line views of the stored datasets: ``history``, ``diff``, ``show`` and ``check``.

``csrextract.commands`` declares their arguments and calls the ``*_command`` handlers here.
Output is a ``rich`` table so a dataset can be read in a terminal without opening Python.
"""

from __future__ import annotations

import argparse
import math
import sys
import traceback
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from csrextract import storage
from csrextract.commands import DEFAULT_LIMIT, register_storage
from csrextract.errors import CsrExtractError

MAX_CELL_CHARS = 60
WIDE_TERMINAL = 200
"""Width used when stdout is not a terminal (pipes, files, tests), so tables are not squeezed."""

HIDDEN_IN_SHOW = ("company", "report_year", "source_sha256", "run_id", "pipeline_version", "bbox")
"""Identity columns that repeat on every row of a report; ``--all-columns`` shows them."""


def _console(file: Any = None) -> Console:
    out = file or sys.stdout
    width = None if out.isatty() else WIDE_TERMINAL
    return Console(file=out, width=width, soft_wrap=False)


def _format(value: Any, max_chars: int = MAX_CELL_CHARS) -> str:
    """A cell as short readable text: lists joined, floats trimmed, nulls empty."""
    if isinstance(value, np.ndarray | list | tuple):
        text = ", ".join(_format(v, max_chars) for v in value)
        text = f"[{text}]"
    elif value is None or value is pd.NA or value is pd.NaT:
        text = ""
    elif isinstance(value, float | np.floating):
        text = "" if math.isnan(value) else f"{value:g}"
    else:
        text = str(value)
    text = text.replace("\n", " ⏎ ")
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def _rich_table(frame: pd.DataFrame, title: str, limit: int | None = DEFAULT_LIMIT) -> Table:
    shown = frame if limit is None else frame.head(limit)
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in shown.columns:
        table.add_column(str(column), overflow="fold")
    for row in shown.itertuples(index=False):
        table.add_row(*(_format(v) for v in row))
    if limit is not None and len(frame) > limit:
        table.caption = f"… {len(frame) - limit} more rows (use --limit)"
    return table


def _run(func: Any, args: argparse.Namespace) -> int:
    """Turn the errors a user can act on into one line on stderr and exit status 1 (``-v``:
    with the traceback)."""
    try:
        return int(func(args))
    except (CsrExtractError, ValueError, KeyError, OverflowError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        text = " ".join(str(message).split())
        print(f"error: {text}", file=sys.stderr)  # plain: one line, never wrapped
        if getattr(args, "verbose", 0):
            traceback.print_exception(exc, file=sys.stderr)
        return 1


# --- history ----------------------------------------------------------------------------------


def _history(args: argparse.Namespace) -> int:
    frame = storage.history(args.dataset, args.output)
    frame = frame.assign(
        timestamp=frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S UTC"),
        source_sha256=frame["source_sha256"].map(lambda v: v[:12] if isinstance(v, str) else v),
    )
    columns = ["version", "timestamp", "report_id", "run_id", "rows", "source_sha256"]
    columns += ["pipeline_version", "operation"]
    title = f"{args.dataset}: {len(frame)} version(s) in {args.output}"
    _console().print(_rich_table(frame[columns], title, limit=None))
    # the log reads, but are the data files it lists still there and readable?
    damaged = storage.quick_check(args.output, [args.dataset])
    for problem in damaged:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if damaged else 0


# --- diff -------------------------------------------------------------------------------------


def _diff(args: argparse.Namespace) -> int:
    change = storage.diff(args.dataset, args.output, args.v1, args.v2)
    console = _console()
    console.print(f"[bold]{change.summary()}[/]  (key: {', '.join(change.key)})", highlight=False)
    if change.is_empty:
        console.print("no differences in content (run ids and timings are not compared)")
        return 0
    visible = _visible_columns(change.added.columns, all_columns=False)
    if not change.added.empty:
        console.print(_rich_table(change.added[visible], "added", args.limit))
    if not change.removed.empty:
        console.print(_rich_table(change.removed[visible], "removed", args.limit))
    if not change.changed.empty:
        console.print(_rich_table(change.changed, "changed (one line per value)", args.limit))
    return 0


# --- show -------------------------------------------------------------------------------------


def _visible_columns(columns: Iterable[str], all_columns: bool) -> list[str]:
    return [c for c in columns if all_columns or c not in HIDDEN_IN_SHOW]


def _show(args: argparse.Namespace) -> int:
    frame = storage.read_dataset(
        args.dataset, args.output, version=args.version, report_id=args.report
    )
    version = (
        args.version
        if args.version is not None
        else storage.current_version(args.dataset, args.output)
    )
    where = f" report {args.report}" if args.report else ""
    title = f"{args.dataset} v{version}{where}: {len(frame)} row(s)"
    columns = _visible_columns(frame.columns, args.all_columns)
    _console().print(_rich_table(frame[columns], title, args.limit))
    return 0


# --- check ------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    result = storage.check_output(args.output, repair=args.repair)
    for problem in result.problems:
        print(f"problem: {problem}", file=sys.stderr)
    versions = ", ".join(
        f"{name} v{version}" if version is not None else f"{name} (none)"
        for name, version in result.datasets.items()
    )
    if result.ok:
        print(f"ok: {args.output}: {result.reports} report(s), every dataset readable: {versions}")
        return 0
    print(f"{len(result.problems)} problem(s) in {args.output}", file=sys.stderr)
    return 1


# --- the subcommands (arguments in ``csrextract.commands``) -----------------------------------


def _with_errors_handled(func: Any) -> Any:
    def handler(args: argparse.Namespace) -> int:
        return _run(func, args)

    handler.__doc__ = func.__doc__
    return handler


history_command = _with_errors_handled(_history)
diff_command = _with_errors_handled(_diff)
show_command = _with_errors_handled(_show)
check_command = _with_errors_handled(_check)


def main(argv: list[str] | None = None) -> int:
    """Run the storage subcommands alone (``python -m csrextract.storage_cli``)."""
    parser = argparse.ArgumentParser(prog="csrextract")
    register_storage(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
