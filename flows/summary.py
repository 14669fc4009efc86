"""What a run did, per report: the data behind the Prefect artifacts and the CLI's summary.

Kept free of Prefect so it can be rendered and tested without a server.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from csrextract.evaluate import EvaluationReport, format_report, markdown_table
from csrextract.models import PageContent, Table
from csrextract.storage import WriteResult


class Status(StrEnum):
    INGESTED = "ingested"
    SKIPPED = "skipped"  # same PDF, same pipeline version: nothing to do
    FAILED = "failed"


@dataclass(slots=True)
class EvaluationFigures:
    """Row F1 per dataset and TEDS per table against golden data, plus the printable report."""

    f1: dict[str, float]
    mean_teds: float
    tables_teds_98: int
    golden_tables: int
    text: str

    @classmethod
    def from_report(cls, report: EvaluationReport) -> EvaluationFigures:
        return cls(
            f1={name: score.f1 for name, score in report.datasets.items()},
            mean_teds=report.mean_teds,
            tables_teds_98=report.tables_at_least(0.98),
            golden_tables=len(report.tables),
            text=format_report(report),
        )


@dataclass(slots=True)
class ReportOutcome:
    """One report's ingestion: identity, what was found, what was written, what went wrong."""

    source: str
    status: Status
    message: str = ""
    report_id: str | None = None
    run_id: str | None = None
    pages: int = 0
    pages_ocr: int = 0
    tables_by_kind: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0  # wall clock of the whole report, orchestration included
    evaluation: EvaluationFigures | None = None

    def one_line(self) -> str:
        name = self.report_id or self.source
        if self.status is Status.FAILED:
            return f"FAILED   {self.source}: {self.message}"
        if self.status is Status.SKIPPED:
            return f"skipped  {name}: {self.message}"
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.tables_by_kind.items())) or "none"
        total = sum(self.tables_by_kind.values())
        return (
            f"ingested {name}: {self.pages} pages ({self.pages_ocr} OCRed), {total} tables "
            f"({kinds}), {sum(self.rows.values())} rows in {len(self.rows)} datasets, "
            f"{len(self.warnings)} warnings, {self.seconds:.1f}s"
        )


@dataclass(slots=True)
class IngestSummary:
    """Every report a run looked at."""

    outcomes: list[ReportOutcome] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def failed(self) -> list[ReportOutcome]:
        return [o for o in self.outcomes if o.status is Status.FAILED]

    def text(self) -> str:
        lines = [o.one_line() for o in self.outcomes] or ["no PDF to ingest"]
        lines.append(
            f"{self.count(Status.INGESTED)} ingested, {self.count(Status.SKIPPED)} skipped, "
            f"{self.count(Status.FAILED)} failed"
        )
        return "\n".join(lines)

    def row_count_table(self) -> list[dict[str, object]]:
        """One row per (report, dataset): rows and version written (the table artifact)."""
        return [
            {
                "report": o.report_id or o.source,
                "status": str(o.status),
                "dataset": name,
                "rows": rows,
                "version": o.versions.get(name),
            }
            for o in self.outcomes
            for name, rows in o.rows.items()
        ]


def tables_by_kind(tables: list[Table]) -> dict[str, int]:
    return dict(sorted(Counter(str(t.kind) for t in tables).items()))


def pages_needing_ocr(pages: list[PageContent]) -> list[PageContent]:
    """Pages without a usable text layer, or with images that carry text."""
    return [p for p in pages if p.needs_ocr]


def artifact_key(*parts: str) -> str:
    """Prefect artifact keys allow only lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9-]+", "-", "-".join(parts).lower()).strip("-")


def _versions_line(outcome: ReportOutcome) -> str:
    if outcome.status is Status.SKIPPED:
        return "none (already ingested from the same PDF with the same pipeline version)"
    return ", ".join(f"{k} v{v}" for k, v in outcome.versions.items()) or "none"


def report_markdown(outcome: ReportOutcome) -> str:
    """The per-report summary artifact."""
    title = outcome.report_id or outcome.source
    parts = [
        f"# {title}: {outcome.status}",
        "",
        f"- source: `{outcome.source}`",
        f"- run id: `{outcome.run_id}`",
        f"- pages: {outcome.pages} ({outcome.pages_ocr} OCRed)",
        f"- dataset versions written: {_versions_line(outcome)}",
    ]
    if outcome.message:
        parts.append(f"- note: {outcome.message}")
    if outcome.tables_by_kind:
        parts += ["", "## Tables by kind", ""]
        parts.append(markdown_table(["kind", "tables"], outcome.tables_by_kind.items()))
    if outcome.rows:
        parts += ["", "## Rows per dataset", ""]
        parts.append(
            markdown_table(
                ["dataset", "rows", "version"],
                [(k, v, outcome.versions.get(k, "-")) for k, v in outcome.rows.items()],
            )
        )
    if outcome.stage_seconds:
        parts += ["", "## Seconds per stage", ""]
        parts.append(
            markdown_table(
                ["stage", "seconds"], [(k, f"{v:.2f}") for k, v in outcome.stage_seconds.items()]
            )
        )
    parts += ["", f"## Warnings ({len(outcome.warnings)})", ""]
    parts += [f"- {w}" for w in outcome.warnings] or ["none"]
    if outcome.evaluation is not None:
        parts += ["", "## Evaluation against golden data", "", outcome.evaluation.text]
    return "\n".join(parts)


def write_counts(result: WriteResult) -> tuple[dict[str, int], dict[str, int | None]]:
    rows = {name: d.rows for name, d in result.datasets.items()}
    versions = {name: d.version for name, d in result.datasets.items()}
    return rows, versions
