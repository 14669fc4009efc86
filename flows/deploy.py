"""The yearly deployment of ``ingest_reports``: serve it from this process, on a schedule.

Chinese CSR reports for a year appear in spring; the deployment scans the inbox at 06:00 Beijing
time every 1 May (``0 6 1 5 *``, Asia/Shanghai). Needs only a Prefect server — no Docker, no
cloud, no work pool::

    prefect server start                                   # terminal 1
    prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api
    python -m flows.deploy                                  # terminal 2: creates + serves

The alternative with a process work pool and a worker is ``prefect.yaml``; both are described in
``docs/orchestration.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from prefect.schedules import Cron, Schedule
from prefect.settings import PREFECT_API_URL

from flows.ingest import DEFAULT_WORKERS, ingest_reports

DEPLOYMENT_NAME = "yearly-csr-ingest"
YEARLY_CRON = "0 6 1 5 *"
TIMEZONE = "Asia/Shanghai"
TAGS = ["csrextract", "yearly"]


def yearly_schedule(cron: str = YEARLY_CRON, timezone: str = TIMEZONE) -> Schedule:
    return Cron(cron, timezone=timezone)


def deployment_options(
    name: str = DEPLOYMENT_NAME,
    cron: str = YEARLY_CRON,
    timezone: str = TIMEZONE,
    parameters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Keyword arguments shared by ``ingest_reports.serve`` and ``ingest_reports.to_deployment``."""
    return {
        "name": name,
        "schedule": yearly_schedule(cron, timezone),
        "parameters": parameters or {},
        "tags": TAGS,
        "description": "Ingest every new or changed CSR report PDF in the inbox, once a year.",
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m flows.deploy",
        description="Create the yearly ingest_reports deployment and serve it (Ctrl-C stops).",
    )
    parser.add_argument("--name", default=DEPLOYMENT_NAME, help="deployment name")
    parser.add_argument("--cron", default=YEARLY_CRON, help="cron schedule")
    parser.add_argument("--timezone", default=TIMEZONE, help="IANA time zone of the schedule")
    parser.add_argument("--inbox", type=Path, default=Path("inbox"), help="folder scanned for PDFs")
    parser.add_argument("--output", type=Path, default=Path("output"), help="dataset root")
    parser.add_argument("--dask-address", help="Dask scheduler for page-level tasks")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="local parallelism")
    parser.add_argument("--results-dir", type=Path, help="where OCR results are cached")
    return parser.parse_args(argv)


def _parameters(args: argparse.Namespace) -> dict[str, Any]:
    """Deployment defaults; absolute paths, since runs start in the serving process's folder."""
    parameters: dict[str, Any] = {
        "inbox": str(args.inbox.resolve()),
        "output": str(args.output.resolve()),
        "workers": args.workers,
    }
    if args.dask_address:
        parameters["dask_address"] = args.dask_address
    if args.results_dir:
        parameters["results_dir"] = str(args.results_dir.resolve())
    return parameters


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.inbox.is_dir():  # every scheduled run would fail: say so now, not next May
        print(
            f"error: inbox folder {str(args.inbox)!r} does not exist; create it (the yearly run "
            "ingests the PDFs in it) or pass --inbox",
            file=sys.stderr,
        )
        return 2
    if not PREFECT_API_URL.value():
        print(
            "PREFECT_API_URL is not set: start `prefect server start` and run "
            "`prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api` first, "
            "or the schedule lives only as long as this process.",
            file=sys.stderr,
        )
    # pause_on_shutdown=False: stopping the server process (a restart, a deploy) must not
    # silently pause next year's run.
    ingest_reports.serve(
        **deployment_options(args.name, args.cron, args.timezone, _parameters(args)),
        pause_on_shutdown=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
