"""Tiny synthetic report PDFs for the core stage tests (load, pipeline, CLI).

Drawn with PyMuPDF and the CJK font of ``tables_pdf`` so no font or fixture builder is needed.
``report_pdf`` is a two-page "report": a heading and a ruled KPI table with years in the header on
page 1, two columns of body text and no table on page 2.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
from tables_pdf import hline, make_pdf, text, vline

HEADING = "关键绩效指标"
KPI_ROWS = [
    ["指标", "2021 年", "2022 年", "2023 年"],
    ["员工人数（人）", "1200", "1350", "1500"],
    ["数据中心 PUE", "1.30", "1.25", "<1.2"],
]


def kpi_page(page: pymupdf.Page) -> None:
    """A heading, a paragraph and a fully ruled 3×4 table with years in the header row."""
    text(page, 50, 60, "ACME 2023 可持续发展报告", size=8)  # running header
    text(page, 50, 100, HEADING, size=16)
    text(page, 50, 130, "本节列示公司近三年的关键绩效数据，数据截至每年十二月三十一日。", size=10)
    xs, ys = [50, 200, 300, 400, 500], [150, 172, 194, 216]
    for y in ys:
        hline(page, xs[0], xs[-1], y)
    for x in xs:
        vline(page, x, ys[0], ys[-1])
    for r, row in enumerate(KPI_ROWS):
        for c, value in enumerate(row):
            text(page, xs[c] + 4, ys[r] + 15, value, size=10)


PROSE = (
    "我们持续推进节能减排工作，优化能源结构，提高可再生能源使用比例，推动数据中心绿色化改造，"
    "并在办公园区推广垃圾分类与无纸化办公。公司建立了覆盖全业务的环境管理体系，定期开展环境"
    "风险评估，识别气候变化带来的实体风险与转型风险。我们积极参与社区公益活动，回馈社会，"
    "支持乡村教育与医疗事业发展，鼓励员工参与志愿服务，并与合作伙伴共同探索可持续的商业模式。"
)


def _wrap(text_: str, width: int) -> list[str]:
    return [text_[i : i + width] for i in range(0, len(text_), width)]


def two_column_page(page: pymupdf.Page) -> None:
    """Body text in two justified columns of prose and no table at all."""
    text(page, 50, 60, "ACME 2023 可持续发展报告", size=8)
    text(page, 50, 100, "环境保护", size=16)
    for column, x in enumerate((50, 315)):
        lines = _wrap(PROSE[column * 40 :] + PROSE[: column * 40], 23)
        for i, line in enumerate(lines):
            text(page, x, 130 + 15 * i, line, size=10)


def report_pdf(path: Path, title: str | None = "ACME 2023 Sustainability Report") -> Path:
    """The two-page report; ``title`` goes into the metadata (None: no metadata)."""
    make_pdf(path, [kpi_page, two_column_page])
    if title is not None:
        with pymupdf.open(path) as doc:
            doc.set_metadata({"title": title, "subject": title})
            doc.saveIncr()
    return path


def image_only_pdf(path: Path, n_pages: int = 1) -> Path:
    """Pages holding only a picture (no text layer): they must be routed to OCR."""
    doc = pymupdf.open()
    for shade in range(n_pages):
        page = doc.new_page(width=595, height=842)
        pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 400, 300), False)
        pix.clear_with(200 - shade)  # distinct images: distinct OCR cache entries
        page.insert_image(pymupdf.Rect(50, 50, 545, 420), pixmap=pix)
    doc.set_metadata({"title": "ACME 2023 Sustainability Report"})
    doc.save(path)
    doc.close()
    return path
