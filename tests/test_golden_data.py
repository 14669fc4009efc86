"""The golden datasets agree with the seed (counts checked by hand) and are up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from csrextract.contract import DATASETS, NORMALISED_DATASETS, STAKEHOLDER_GROUPS
from csrextract.models import TableKind
from fixtures.golden_build import build
from fixtures.seed import SeedDocument, load_seed

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"


@pytest.fixture(scope="module")
def seed() -> SeedDocument:
    return load_seed()


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)


def test_golden_files_are_what_the_builder_writes(seed: SeedDocument, tmp_path: Path) -> None:
    build(seed, tmp_path)
    for name in NORMALISED_DATASETS:
        expected = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        assert (GOLDEN / f"{name}.csv").read_text(encoding="utf-8") == expected, name


@pytest.mark.parametrize("name", NORMALISED_DATASETS)
def test_columns_are_the_contract_content_columns(name: str) -> None:
    assert list(_read(name).columns) == DATASETS[name].content_columns


def test_seventeen_sdgs_and_14_15_share_their_responses() -> None:
    sdg = _read("sdg_responses")
    assert sorted(set(sdg["sdg"].astype(int))) == list(range(1, 18))
    shared = [sdg[sdg["sdg"] == n]["response"].tolist() for n in ("14", "15")]
    assert shared[0] == shared[1] and len(shared[0]) == 2
    assert len(sdg) == 52
    assert not sdg.duplicated(["sdg", "response_no"]).any()


def test_six_stakeholders_times_three_aspects() -> None:
    matrix = _read("stakeholder_matrix")
    pairs = matrix[["stakeholder", "aspect"]].drop_duplicates()
    assert len(pairs) == 18
    assert matrix["stakeholder"].nunique() == 6
    assert set(matrix["aspect"]) == {"expectation", "channel", "response"}
    assert set(matrix["stakeholder_group"]) <= set(STAKEHOLDER_GROUPS)
    assert len(matrix) == 83


def test_six_iso_certifications() -> None:
    certs = _read("certifications")
    assert sorted(certs["standard_number"]) == sorted(
        ["20000-1", "27001", "27701", "27017", "27018", "22301"]
    )
    assert (certs["title_en"] != "").all()


def test_every_gri_disclosure_of_the_seed(seed: SeedDocument) -> None:
    gri = _read("gri_index")
    (table,) = [t for t in seed.tables if t.kind is TableKind.GRI_INDEX]
    seed_codes = [
        code for c in table.cells if c.col == 2 for code in re.findall(r"(\d+-\d+)", c.text)
    ]
    none_rows = sum(1 for c in table.cells if c.col == 2 and c.text.strip() == "/")
    assert sorted(gri["disclosure"][gri["disclosure"] != ""]) == sorted(seed_codes)
    assert (gri["disclosure"] == "").sum() == none_rows == 2
    assert len(gri) == 73
    assert (gri["chapter"] != "").all()
    assert (gri["page_ref"] != "").all()
    assert set(gri[gri["section"] == ""]["chapter"]) == {
        "关于北京字节跳动",
        "责任管理",
        "关于本报告",
        "GRI Standards 指标索引",
    }


def test_metrics_from_every_kpi_table() -> None:
    metrics = _read("metrics")
    tables = pd.read_csv(GOLDEN / "tables.csv", dtype=str)
    assert set(metrics["table_id"]) == set(tables[tables["kind"] == "metrics"]["table_id"])
    pue = metrics[metrics["indicator"].str.contains("PUE|WUE")]
    assert len(pue) == 6
    assert sorted(set(pue["period"])) == ["2019", "2020", "2021"]
    wue = pue[pue["indicator"].str.contains("WUE")].sort_values("period")
    assert wue["value"].tolist() == ["", "0.5", "0.5"]
    assert wue["qualifier"].tolist() == ["", "<", "<"]
    science = metrics[metrics["raw"] == "近330亿次"].iloc[0]
    assert (float(science["value"]), science["unit"], science["qualifier"]) == (3.3e10, "次", "≈")
    assert len(metrics) == 21
