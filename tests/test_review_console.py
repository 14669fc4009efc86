"""On a terminal the progress bar and the per-report summary share one rich console: the summary
is printed once, above the bar, and keeps its last line (the bar is cleared, not drawn over it)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pymupdf

from csrextract import cli

ROOT = Path(__file__).parent.parent


class Terminal(io.StringIO):
    """What rich sees as an interactive terminal."""

    def isatty(self) -> bool:
        return True


def test_summary_is_printed_once_above_the_progress_bar(tmp_path: Path) -> None:
    pdf = tmp_path / "two.pdf"
    with pymupdf.open(ROOT / "fixtures" / "bytedance_csr_2021.pdf") as doc:
        doc.select([4, 22])
        doc.save(pdf)
    out, err = Terminal(), io.StringIO()
    args = cli.build_parser().parse_args(
        ["ingest", str(pdf), "--output", str(tmp_path / "out"), "--company", "x", "--year", "2021"]
    )
    assert cli.run_ingest(args, out=out, err=err) == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())  # drop cursor/colour codes
    lines = [ln.rstrip() for ln in text.replace("\r", "\n").splitlines() if ln.strip()]
    summary = [ln for ln in lines if "reading pages" not in ln]
    assert [ln.split(":")[0].strip() for ln in summary] == [
        "x-2021  (" + str(pdf) + ")",
        "pages",
        "tables",
        "rows",
        "versions",
        "time",
    ]
    assert any(ln.startswith("reading pages") for ln in lines)  # the bar was drawn (plainly)
    assert err.getvalue() == ""
