"""``csrextract review``: one self-contained HTML page to check a report's extraction by eye.

    csrextract review REPORT_ID [--output DIR] [--to FILE] [--pdf PDF] [--golden DIR]

People trust extracted data when they can see it beside the page it came from. The page opens
with a summary (pages, OCRed pages, tables by kind, rows per dataset, warnings and, with
``--golden``, the evaluation), then shows every recovered table: the page image cropped to the
table with the detected cells drawn on it, beside the recovered table (merged cells as real
``rowspan``/``colspan``), its kind, style, method, confidence and parse report, low-confidence
cells highlighted on both sides, and the named rows (SDG responses, metrics, ...) it produced.

Everything comes from the stored datasets of the output folder; the page images are rendered
from the source PDF recorded in the ``reports`` dataset (or ``--pdf``) and embedded as PNG data
URIs, so the file can be mailed or archived alone. No script runs in the page.
"""

from __future__ import annotations

import argparse
import base64
import html
import logging
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pymupdf

from csrextract import contract, datasets, render
from csrextract.errors import CsrExtractError
from csrextract.export import ExportError, report_datasets, report_tables
from csrextract.models import BBox, Table

logger = logging.getLogger(__name__)

CROP_DPI = 110
"""Resolution of the page crops: sharp enough to read 9 pt CJK print, small enough that a
report with dozens of tables stays a few megabytes."""

CROP_MARGIN_EM = 2.5
"""Margin around a table's cells in the crop, in em of a 10 pt body font (points): enough to
show a title or a stray row the detector left out, without the rest of the page."""

BODY_EM_PT = 10.0

NAMED_ROWS_SHOWN = 200
"""Named rows listed per table; a longer list is cut with a note (the exports have them all)."""

HIDDEN_COLUMNS = (
    *(f.name for f in contract.IDENTITY_FIELDS),
    "table_id",
    "bbox",
)
"""Columns that repeat on every row of a report or are geometry: not shown in the row lists."""


@dataclass(slots=True)
class Crop:
    """One page's part of a table: the PNG and the box (PDF points) it shows."""

    page: int
    box: BBox
    png: bytes


# --- data ---------------------------------------------------------------------------------------


def _source_pdf(reports: pd.DataFrame, pdf: Path | None, output: Path) -> Path | None:
    """``--pdf``, else the ingested path: as stored, or (a relative path ingested from the
    folder holding the output) relative to the output folder's parent."""
    if pdf is not None:
        return pdf
    path = Path(str(reports["source_path"].iloc[0]))
    for candidate in (path, output.resolve().parent / path):
        if candidate.is_file():
            return candidate
    return None


def named_rows_by_table(frames: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, pd.DataFrame]]:
    """table_id → dataset → the rows that table produced (datasets with a ``table_id``)."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for name in (spec.name for spec in datasets.named()):
        frame = frames.get(name)
        if frame is None or frame.empty or "table_id" not in frame.columns:
            continue
        for table_id, rows in frame.groupby("table_id", sort=False):
            out.setdefault(str(table_id), {})[name] = rows
    return out


# --- page images --------------------------------------------------------------------------------


def _page_boxes(table: Table) -> dict[int, BBox]:
    """Per page, the box around the table's cells (a stitched table spans pages)."""
    by_page: dict[int, list[BBox]] = {}
    for cell in table.cells:
        if cell.page:
            by_page.setdefault(cell.page, []).append(cell.bbox)
    boxes = {page: render.union_bbox(found) for page, found in sorted(by_page.items())}
    return {page: box for page, box in boxes.items() if box[2] > box[0]}


def crops_of(doc: pymupdf.Document, table: Table) -> list[Crop]:
    """The page image around the table, per page, as PNG."""
    margin = CROP_MARGIN_EM * BODY_EM_PT
    crops = []
    for page_number, (x0, top, x1, bottom) in _page_boxes(table).items():
        if not 1 <= page_number <= doc.page_count:
            continue
        page = doc[page_number - 1]
        clip = pymupdf.Rect(x0 - margin, top - margin, x1 + margin, bottom + margin) & page.rect
        pixmap = page.get_pixmap(dpi=CROP_DPI, clip=clip)
        box = (float(clip.x0), float(clip.y0), float(clip.x1), float(clip.y1))
        crops.append(Crop(page_number, box, pixmap.tobytes("png")))
    return crops


def _crop_svg(crop: Crop, table: Table, low: float) -> str:
    """The crop with the detected cells drawn over it (low-confidence cells in red)."""
    x0, top, x1, bottom = crop.box
    width, height = x1 - x0, bottom - top
    data = base64.b64encode(crop.png).decode("ascii")
    rects = []
    for cell in table.cells:
        if cell.page != crop.page:
            continue
        cx0, ctop, cx1, cbottom = cell.bbox
        css = "cell low" if cell.confidence < low else "cell"
        rects.append(
            f'<rect class="{css}" x="{cx0:.1f}" y="{ctop:.1f}" width="{cx1 - cx0:.1f}" '
            f'height="{cbottom - ctop:.1f}"><title>r{cell.row} c{cell.col} '
            f"{cell.method} {cell.confidence:.2f}</title></rect>"
        )
    return (
        f'<figure class="crop"><svg role="img" viewBox="{x0:.1f} {top:.1f} {width:.1f} '
        f'{height:.1f}" width="{width * 1.4:.0f}" aria-label="page {crop.page}">'
        f'<image href="data:image/png;base64,{data}" x="{x0:.1f}" y="{top:.1f}" '
        f'width="{width:.1f}" height="{height:.1f}"/>{"".join(rects)}</svg>'
        f"<figcaption>page {crop.page}</figcaption></figure>"
    )


# --- HTML pieces --------------------------------------------------------------------------------

STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;margin:1.5em;color:#222}
h1{margin-bottom:.2em} h2{border-top:2px solid #ccc;padding-top:.6em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #999;padding:2px 6px;
vertical-align:top;font-size:13px} th{background:#eef}
.side{display:flex;gap:1.5em;align-items:flex-start;flex-wrap:wrap}
.crop{margin:0 0 .8em 0} .crop svg{max-width:46vw;height:auto;border:1px solid #ccc}
figcaption{font-size:12px;color:#666}
rect.cell{fill:rgba(30,110,230,.06);stroke:#1e6ee6;stroke-width:.8}
rect.low{fill:rgba(230,40,40,.18);stroke:#e62828;stroke-width:1.2}
td.low-confidence,th.low-confidence{background:#fdd;outline:2px solid #e62828}
.meta td{border:none;padding:1px 8px 1px 0} .meta td:first-child{color:#666}
.warn{color:#a40} pre{background:#f6f6f6;padding:.6em;overflow:auto}
.rows table td{font-size:12px} ul{margin:0;padding-left:1.1em}
"""


def _kv_table(pairs: Sequence[tuple[str, object]]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>" for k, v in pairs
    )
    return f'<table class="meta">{rows}</table>'


def parse_report(table: Table, low: float) -> list[tuple[str, object]]:
    """What a reader needs to judge a table's structure (camelot's parsing report, extended)."""
    cells = table.cells
    confidences = [c.confidence for c in cells] or [1.0]
    empty = sum(1 for c in cells if not c.text.strip())
    merged = sum(1 for c in cells if c.row_span > 1 or c.col_span > 1)
    return [
        ("shape", f"{table.n_rows} rows × {table.n_cols} columns"),
        ("cells", f"{len(cells)} ({merged} merged, {empty} empty)"),
        ("header rows", render.header_rows(table)),
        ("pages", ", ".join(str(p) for p in table.pages)),
        (
            "confidence min / mean",
            f"{min(confidences):.3f} / {sum(confidences) / len(confidences):.3f}",
        ),
        (f"cells below {low:g}", sum(1 for c in confidences if c < low)),
    ]


def _rows_html(rows: Mapping[str, pd.DataFrame]) -> str:
    if not rows:
        return "<p>no named rows (this kind of table is kept in <code>tables</code> only)</p>"
    parts = []
    for name, frame in rows.items():
        shown = frame[[c for c in frame.columns if c not in HIDDEN_COLUMNS]]
        cut = len(shown) > NAMED_ROWS_SHOWN
        parts.append(f"<h4>{html.escape(name)}: {len(frame)} row(s)</h4>")
        body = shown.head(NAMED_ROWS_SHOWN).to_html(index=False, na_rep="", border=0)
        parts.append(body + ("<p>… cut; the exports hold every row</p>" if cut else ""))
    return '<div class="rows">' + "".join(parts) + "</div>"


def table_section(
    table: Table,
    crops: Sequence[Crop],
    rows: Mapping[str, pd.DataFrame],
    low: float,
) -> str:
    """One table: crops with cells drawn | recovered table, metadata, parse report, rows."""
    title = html.escape(f"{table.table_id} {table.title}".strip())
    meta = _kv_table(
        [
            ("kind", str(table.kind)),
            ("style (structure recovery)", str(table.style)),
            ("method", table.method.value),
            ("confidence", f"{table.confidence:.3f}"),
        ]
    )
    images = "".join(_crop_svg(c, table, low) for c in crops) or "<p>no page image</p>"
    recovered = render.to_html(table, low_confidence=low, attributes={"class": "recovered"})
    return (
        f'<section class="table" id="{table.table_id}" data-table-id="{table.table_id}">'
        f"<h2>{title}</h2>{meta}"
        f'<div class="side"><div class="page">{images}</div>'
        f'<div class="result">{recovered}<h3>parse report</h3>'
        f"{_kv_table(parse_report(table, low))}</div></div>"
        f"<h3>named rows</h3>{_rows_html(rows)}</section>"
    )


def summary_section(
    report_id: str,
    frames: Mapping[str, pd.DataFrame],
    tables: Sequence[Table],
    evaluation: str | None,
) -> str:
    """Pages, OCRed pages, tables by kind, rows per dataset, warnings, evaluation."""
    report = frames["reports"].iloc[0]
    kinds = Counter(str(t.kind) for t in tables)
    rows = [(name, len(frames[name])) for name in contract.DATASETS if name in frames]
    errors = [str(e) for e in (report["errors"] if report["errors"] is not None else [])]
    parts = [
        f"<h1>{html.escape(report_id)}</h1>",
        f"<p>{html.escape(str(report['title']))} — <code>{html.escape(str(report['source_path']))}"
        f"</code>, run <code>{html.escape(str(report['run_id']))}</code></p>",
        _kv_table(
            [
                ("pages", int(report["n_pages"])),
                ("pages OCRed", int(report["n_pages_ocr"])),
                ("tables", len(tables)),
                ("status", report["status"]),
            ]
        ),
        "<h3>tables by kind</h3>",
        _kv_table(sorted(kinds.items())),
        "<h3>rows per dataset</h3>",
        _kv_table(rows),
        f"<h3>warnings ({len(errors)})</h3>",
        "<ul>" + "".join(f'<li class="warn">{html.escape(e)}</li>' for e in errors) + "</ul>"
        if errors
        else "<p>none</p>",
    ]
    if evaluation is not None:
        parts += [
            "<h3>evaluation against golden data</h3>",
            f"<pre>{html.escape(evaluation)}</pre>",
        ]
    toc = "".join(
        f'<li><a href="#{t.table_id}">{html.escape(t.table_id)}</a> {t.kind} '
        f"{html.escape(t.title)}</li>"
        for t in tables
    )
    parts.append(f"<h3>tables</h3><ol>{toc}</ol>")
    return '<section class="summary">' + "\n".join(parts) + "</section>"


# --- the page -----------------------------------------------------------------------------------


def _evaluation(golden: Path | None, output: Path, report_id: str) -> str | None:
    if golden is None:
        return None
    from csrextract.evaluate import evaluate, format_report, load_output_datasets

    return format_report(evaluate(golden, load_output_datasets(golden, output, report_id)))


def review_html(
    report_id: str,
    output: Path | str = "output",
    *,
    pdf: Path | None = None,
    golden: Path | None = None,
    low_confidence: float = render.LOW_CONFIDENCE,
) -> str:
    """The review page of ``report_id`` as one HTML document."""
    output = Path(output)
    frames = report_datasets(output, report_id)
    tables = report_tables(frames)
    source = _source_pdf(frames["reports"], pdf, output)
    if source is None:
        logger.warning("%s: source PDF not found (give --pdf); no page images", report_id)
    by_table = named_rows_by_table(frames)
    sections = [summary_section(report_id, frames, tables, _evaluation(golden, output, report_id))]
    doc = pymupdf.open(source) if source is not None else None
    try:
        for table in tables:
            crops = crops_of(doc, table) if doc is not None else []
            sections.append(
                table_section(table, crops, by_table.get(table.table_id, {}), low_confidence)
            )
    finally:
        if doc is not None:
            doc.close()
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>review: {html.escape(report_id)}</title><style>{STYLE}</style></head>"
        f"<body>\n{chr(10).join(sections)}\n</body></html>\n"
    )


def write_review(
    report_id: str,
    output: Path | str = "output",
    dest: Path | None = None,
    **options: Any,
) -> Path:
    """Write the review page (default ``review/<report_id>.html``) and return its path."""
    dest = dest or Path("review") / f"{report_id}.html"
    text = review_html(report_id, output, **options)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    return dest


def run_command(args: argparse.Namespace) -> int:
    """The ``review`` subcommand (arguments in ``csrextract.commands``)."""
    try:
        dest = write_review(args.report_id, args.output, args.to, pdf=args.pdf, golden=args.golden)
    except (CsrExtractError, ExportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {dest}")
    return 0
