"""The Python API: extract one PDF into DataFrames without writing anything.

    import csrextract

    report = csrextract.extract("report.pdf")
    report.datasets["sdg_responses"]          # a pandas DataFrame per dataset of the contract
    report.tables[0].to_pandas()              # one recovered table as a grid
    report.tables[0].to_html()                # ... or as HTML, merged cells as real spans
    report.write("output")                    # optional: store it as a new dataset version

``csrextract.read_dataset`` reads what was stored. ``extract`` runs the one driver the CLI and
the Prefect flows run (``csrextract.driver.run``), stopping before the write.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from csrextract import driver, storage
from csrextract.frames import pipeline_version
from csrextract.models import Table
from csrextract.ocr.registry import OcrSettings


@dataclass(slots=True)
class Report(driver.Report):
    """What one PDF gave: its document, pages, recovered tables (``.tables``), every dataset
    (``.datasets``: name → DataFrame with the contract's columns) and the problems met on the
    way (``.errors``: ``ErrorItem``s, empty when all went well) — the driver's report with a
    reader's methods."""

    @classmethod
    def from_result(cls, result: driver.Report) -> Report:
        return cls(**{f.name: getattr(result, f.name) for f in fields(result)})

    @property
    def report_id(self) -> str:
        return self.document.report_id

    def table(self, table_id: str) -> Table:
        """The table with this id (``t01`` …); ``KeyError`` naming the known ids otherwise."""
        for table in self.tables:
            if table.table_id == table_id:
                return table
        known = ", ".join(t.table_id for t in self.tables) or "none"
        raise KeyError(f"no table {table_id!r} in {self.report_id}; tables: {known}")

    def write(
        self, output: Path | str = "output", *, force: bool = False, replace: bool = False
    ) -> storage.WriteResult:
        """Store every dataset as a new version under ``output`` (as ``csrextract ingest``);
        ``replace`` lets a different PDF replace the stored report of the same company-year."""
        return storage.write_report(
            self.datasets,
            output,
            report_id=self.report_id,
            source_sha256=self.document.sha256,
            run_id=self.run_id,
            pipeline_version=pipeline_version(),
            force=force,
            replace=replace,
        )


def extract(
    pdf: Path | str,
    company: str | None = None,
    year: int | None = None,
    ocr_engine: str = "rapidocr",
    *,
    progress: driver.Progress | None = None,
) -> Report:
    """Run every stage on ``pdf`` and return the result in memory (nothing is written).

    ``company``/``year`` override detection; ``ocr_engine`` is a registered engine
    (``csrextract.ocr.registry``: ``rapidocr``, bundled, or ``paddleocr``);
    ``progress(stage, done, total)`` is called as pages are read and OCRed.
    Raises ``csrextract.errors.InputError`` for a file that is not a readable PDF.
    """
    settings = driver.IngestSettings(
        company=company, year=year, ocr=OcrSettings(engine=ocr_engine), write=False
    )
    return Report.from_result(driver.run(Path(pdf), settings, progress=progress))
