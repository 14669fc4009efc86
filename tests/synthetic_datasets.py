"""Synthetic but contract-shaped datasets for the storage and validation tests.

Built from ``contract.DATASETS`` so a contract change shows up here as a failing test, not as a
silently stale fixture. Values look like a real report's (Chinese text, SDG/GRI/ISO references).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pandas as pd

from csrextract import contract

PIPELINE_VERSION = "0.1.0"


def sha_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _identity(company: str, year: int, sha: str, run_id: str) -> dict[str, object]:
    return {
        "report_id": f"{company}-{year}",
        "company": company,
        "report_year": year,
        "source_sha256": sha,
        "run_id": run_id,
        "pipeline_version": PIPELINE_VERSION,
    }


def _prov(page: int, i: int, method: str = "text") -> dict[str, object]:
    top = 100.0 + 20 * i
    return {"page": page, "bbox": [50.0, top, 500.0, top + 18], "method": method, "confidence": 1.0}


def _content_rows(n_cells: int) -> dict[str, list[dict[str, object]]]:
    sdg = [
        {
            "sdg": s,
            "sdg_label": f"SDG {s}",
            "sdg_name_en": f"Goal {s}",
            "response_no": n,
            "response": f"针对目标{s}的第{n}项举措",
            **_prov(3, s * 3 + n),
        }
        for s in (1, 4, 8, 13)
        for n in (1, 2, 3)
    ]
    stakeholders = [
        {
            "stakeholder": name,
            "stakeholder_group": group,
            "aspect": aspect,
            "item_no": n,
            "item": f"{name}{aspect}{n}",
            **_prov(9, i),
        }
        for i, (name, group) in enumerate((("用户", "users"), ("员工", "employees")))
        for aspect in contract.ASPECTS
        for n in (1, 2)
    ]
    certs = [
        {
            "standard": "ISO 9001",
            "standard_number": "9001",
            "title": "质量管理体系",
            "title_en": "Quality management systems",
            **_prov(20, 0),
        },
        {
            "standard": "ISO 27001",
            "standard_number": "27001",
            "title": "信息安全管理体系",
            "title_en": None,
            **_prov(20, 1),
        },
    ]
    gri = [
        {
            "chapter": "关于本报告",
            "section": None,
            "disclosure": "2-1",
            "gri_standard": "GRI 2",
            "disclosure_title_en": "Organizational details",
            "page_ref": 2,
            "page_refs": [2, 3],
            "location": "2-3",
            "sdgs": [],
            "hkex_refs": [],
            "group": "一般披露",
            **_prov(60, 0),
        },
        {
            "chapter": "关于本报告",
            "section": "报告范围",
            "disclosure": None,
            "gri_standard": None,
            "disclosure_title_en": None,
            "page_ref": None,
            "page_refs": [],
            "location": "无变化",
            "sdgs": [8, 13],
            "hkex_refs": ["A1.1", "B2"],
            "group": None,
            **_prov(60, 1),
        },
    ]
    metrics = [
        {
            "table_id": "t05",
            "indicator": f"指标{i}",
            "period": str(p),
            "value": float(i * p),
            "unit": "吨",
            "qualifier": "≈" if i == 0 else None,
            "raw": f"{i * p}",
            **_prov(40, i),
        }
        for i in range(4)
        for p in (2019, 2020, 2021)
    ]
    tables = [
        {
            "table_id": f"t{t:02d}",
            "kind": kind,
            "title": f"表{t}",
            "pages": [t, t + 1],
            "n_rows": 4,
            "n_cols": 3,
            "method": "text",
            "style": "ruled",
            "confidence": 0.9,
        }
        for t, kind in ((1, "sdg"), (5, "metrics"))
    ]
    cells = [
        {
            "table_id": "t01",
            "row": r,
            "col": c,
            "row_span": 1,
            "col_span": 1,
            "is_header": r == 0,
            "text": f"单元格{r}-{c}",
            **_prov(3, r),
        }
        for r in range(max(1, n_cells // 3))
        for c in range(3)
    ]
    pages = [
        {
            "text": f"第{p}页的文字",
            "n_chars": 6,
            "mean_confidence": 1.0,
            "width": 595.0,
            "height": 842.0,
            **_prov(p, 0),
        }
        for p in range(1, 6)
    ]
    # every named row names its table; text keys the report leaves empty hold the sentinel
    for name, rows in (("sdg_responses", sdg), ("stakeholder_matrix", stakeholders),
                       ("certifications", certs), ("gri_index", gri)):  # fmt: skip
        for row in rows:
            row.setdefault("table_id", f"t{contract.TABLE_ROW_DATASETS.index(name) + 1:02d}")
            for key in contract.DATASETS[name].key:
                if row.get(key, "") is None:
                    row[key] = contract.KEY_SENTINEL
    return {
        "sdg_responses": sdg,
        "stakeholder_matrix": stakeholders,
        "certifications": certs,
        "gri_index": gri,
        "metrics": metrics,
        "tables": tables,
        "table_cells": cells,
        "pages": pages,
    }


def make_datasets(
    company: str = "bytedance",
    year: int = 2021,
    *,
    sha: str | None = None,
    run_id: str = "run-1",
    n_cells: int = 12,
) -> dict[str, pd.DataFrame]:
    """One report's datasets, every column in contract order with contract-compatible values."""
    sha = sha or sha_of(f"{company}{year}")
    ident = _identity(company, year, sha, run_id)
    rows = _content_rows(n_cells)
    rows["reports"] = [
        {
            "title": f"{company} {year} 社会责任报告",
            "source_path": f"/data/{company}-{year}.pdf",
            "n_pages": 5,
            "n_pages_ocr": 0,
            "n_tables": 2,
            "status": "success",
            "errors": [],
            "seconds_total": 1.5,
            "stage_seconds": json.dumps({"load": 0.1}),
            "extracted_at": datetime(2024, 1, 1, tzinfo=UTC),
        }
    ]
    frames = {}
    for name, spec in contract.DATASETS.items():
        frame = pd.DataFrame([{**ident, **row} for row in rows[name]])
        frames[name] = frame.reindex(columns=spec.columns)
    return frames
