"""Generality: the pipeline on renderings it was not tuned on (``fixtures/variants.py``).

Two committed digital variants, each with golden grids and datasets derived from its seed:

* ``restyled_letter_stsong`` — every table in another style (ruled → filled, filled →
  horizontal rules only: a thin rule under every row and a grey header band, three-line →
  ruled), Letter pages, wider margins, larger type, reportlab's CID font STSong-Light;
* ``later_edition_2022`` — next year's edition (years +1, KPI figures changed, SDG /
  stakeholder / certification / GRI rows edited, paragraphs reordered; a year column more in
  the PUE/WUE table, thousands separators, a new stakeholder group 供应商, some GRI 2021
  codes), tables ruled → three-line → filled → ruled, Latin letters and digits in Times.

Targets: every golden table found with TEDS ≥ 0.98, the five named datasets exactly (F1 = 1.0),
identity read from the document (the later edition is a 2022 report). A target the extractor
misses today is a strict xfail whose reason is the diagnosis, so it flips (XPASS → failure)
the day it is fixed: then delete its entry from ``KNOWN_FAILURES``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from csrextract.evaluate import EvaluationReport, evaluate, format_report
from csrextract.pipeline import ReportResult, extract_report

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ROOT / "fixtures" / "variants"
NAMES = ("restyled_letter_stsong", "later_edition_2022")
YEARS = {"restyled_letter_stsong": 2021, "later_edition_2022": 2022}
NAMED_DATASETS = (
    "sdg_responses",
    "stakeholder_matrix",
    "certifications",
    "gri_index",
    "metrics",
)

KNOWN_FAILURES: dict[tuple[str, str], str] = {}
"""(variant, golden table id or dataset name) → diagnosis of today's failure (strict xfail)."""


def _golden(name: str) -> Path:
    return VARIANTS / f"{name}_golden"


def _table_ids(name: str) -> list[str]:
    with (_golden(name) / "tables.csv").open(encoding="utf-8", newline="") as fh:
        return [row["table_id"] for row in csv.DictReader(fh)]


def _params(items: dict[str, list[str]]) -> list[object]:
    params: list[object] = []
    for name, keys in items.items():
        for key in keys:
            reason = KNOWN_FAILURES.get((name, key))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(name, key, marks=marks, id=f"{name}-{key}"))
    return params


_RESULTS: dict[str, ReportResult] = {}
_REPORTS: dict[str, EvaluationReport] = {}


def _result(name: str) -> ReportResult:
    """One extraction per variant for the whole module (each takes a few seconds)."""
    if name not in _RESULTS:
        _RESULTS[name] = extract_report(VARIANTS / f"{name}.pdf")
    return _RESULTS[name]


def _report(name: str) -> EvaluationReport:
    if name not in _REPORTS:
        _REPORTS[name] = evaluate(_golden(name), _result(name).datasets)
    return _REPORTS[name]


@pytest.mark.parametrize("name", NAMES)
def test_identity_read_from_the_document(name: str) -> None:
    document = _result(name).document
    assert (document.company, document.report_year) == ("bytedance", YEARS[name])
    assert _result(name).errors == []


@pytest.mark.parametrize(("name", "table_id"), _params({name: _table_ids(name) for name in NAMES}))
def test_table_found_with_teds_at_least_098(name: str, table_id: str) -> None:
    report = _report(name)
    score = next(t for t in report.tables if t.golden_id == table_id)
    assert score.teds >= 0.98, format_report(report)


@pytest.mark.parametrize(
    ("name", "dataset"), _params({name: list(NAMED_DATASETS) for name in NAMES})
)
def test_named_dataset_equals_golden(name: str, dataset: str) -> None:
    report = _report(name)
    score = report.datasets[dataset]
    assert score.golden_rows > 0
    assert score.f1 == 1.0, format_report(report, examples=True)


# ---------------------------------------------------------------------------------------------
# The variants themselves (no extraction)


def test_committed_variants_are_small() -> None:
    total = sum(p.stat().st_size for p in VARIANTS.rglob("*") if p.is_file())
    assert total < 3_000_000


def test_later_edition_mutations() -> None:
    """Years moved on, figures changed, rows edited: the golden data really differ."""
    from fixtures.variants import bump_number, later_edition, shift_years

    assert shift_years("2019 年 2020 年 2021年1~10月 2015 年 2030") == (
        "2020 年 2021 年 2022年1~10月 2015 年 2030"
    )
    seed = "\n".join(
        [
            "# 报告 2021",
            "",
            "指标描述\t定量数据\t\t",
            "\t2019 年\t2020 年\t2021 年",
            "PUE\t1.16\t1.14\t1.16",
        ]
    )
    later = later_edition(seed)
    assert "# 报告 2022" in later
    assert "\t2020 年\t2021 年\t2022 年" in later
    assert "PUE\t1.19\t1.17\t1.19" in later
    figures = [re.fullmatch(r"\d+(?:\.\d+)?", raw) for raw in ("7", "92", "0.5", "99.42")]
    assert [bump_number(m) for m in figures if m] == ["8", "95", "0.8", "99.45"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_later_edition_golden_differs_from_2021() -> None:
    later = _golden("later_edition_2022")
    main = ROOT / "fixtures" / "golden"
    gri_later, gri_main = _rows(later / "gri_index.csv"), _rows(main / "gri_index.csv")
    assert len(gri_later) == len(gri_main) + 3  # a new line with 2 codes, one code added
    certs = {r["standard_number"] for r in _rows(later / "certifications.csv")}
    assert "9001" in certs and "22301" not in certs
    metrics = _rows(later / "metrics.csv")
    pue = [r["period"] for r in metrics if r["indicator"] == "PUE"]
    assert pue == ["2019", "2020", "2021", "2022"]
    values = {r["raw"] for r in metrics}
    assert "14,466场" in values and values.isdisjoint({"1.14", "92%", "14463场"})
    groups = {r["stakeholder_group"] for r in _rows(later / "stakeholder_matrix.csv")}
    assert "suppliers" in groups
    codes = {r["disclosure"] for r in gri_later}
    assert {"2-1", "2-29"} <= codes and "102-1" not in codes


def test_later_edition_seed_and_golden_up_to_date(tmp_path: Path) -> None:
    """The committed later seed is ``later_edition`` of the shared seed, and its golden datasets
    are what ``golden_build`` derives from it (the grids need a render: ``python -m
    fixtures.variants`` rebuilds everything)."""
    from fixtures import golden_build
    from fixtures.seed import DEFAULT_SEED
    from fixtures.variants import LATER, later_edition, load_variant_seed, structural_golden

    committed = VARIANTS / f"{LATER.name}.seed.md"
    if DEFAULT_SEED.exists():
        text = later_edition(DEFAULT_SEED.read_text(encoding="utf-8"), structural=LATER.structural)
        assert text == committed.read_text(encoding="utf-8")
    with structural_golden():
        golden_build.build(load_variant_seed(committed), tmp_path)
    for name in NAMED_DATASETS:
        built = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        assert built == (_golden(LATER.name) / f"{name}.csv").read_text(encoding="utf-8"), name
