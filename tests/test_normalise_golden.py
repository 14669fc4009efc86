"""normalise_tables on the golden table grids reproduces the golden datasets exactly.

The golden grids (``fixtures/golden/tables.csv`` + ``table_cells.csv``, with their golden kinds)
are what a perfect table stage would hand over; the golden datasets were derived from the seed
independently (``fixtures/golden_build.py``). Agreement at precision = recall = 1.0 therefore
checks the normalisers alone, whatever the state of detection and classification.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from csrextract.contract import NORMALISED_DATASETS
from csrextract.evaluate import row_scores, tables_from_frames
from csrextract.models import Table
from csrextract.normalise import normalise_tables
from fixtures.golden_build import build
from fixtures.seed import DEFAULT_SEED, SeedDocument

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / name, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def normalised() -> dict[str, pd.DataFrame]:
    tables = tables_from_frames(_read("tables.csv"), _read("table_cells.csv"))
    return normalise_tables(tables)


@pytest.mark.parametrize("name", NORMALISED_DATASETS)
def test_golden_tables_normalise_to_golden_datasets(
    normalised: dict[str, pd.DataFrame], name: str
) -> None:
    score = row_scores(name, _read(f"{name}.csv"), normalised[name])
    assert score.golden_rows > 0
    assert (score.precision, score.recall) == (1.0, 1.0), (score.missing, score.spurious)


def test_natural_keys_unique(normalised: dict[str, pd.DataFrame]) -> None:
    from csrextract.contract import DATASETS

    for name in NORMALISED_DATASETS:
        key = [k for k in DATASETS[name].key if k != "report_id"]
        assert not normalised[name].duplicated(key).any(), name


def _as_tables(doc: SeedDocument) -> list[Table]:
    """Seed tables as the table stage hands them over (list items kept in ``Cell.items``)."""
    return [
        Table(
            table_id=t.table_id,
            cells=t.cells,
            n_rows=t.n_rows,
            n_cols=t.n_cols,
            pages=[1],
            bbox=(0.0, 0.0, 1.0, 1.0),
            style=t.style,
            kind=t.kind,
            title=t.title,
        )
        for t in doc.tables
    ]


def test_later_edition_normalises_to_its_independent_golden(tmp_path: Path) -> None:
    """Next year's report (years +1, figures, rows and certifications edited: fixtures.variants)
    against golden data derived from that seed by fixtures.golden_build — nothing fixture-keyed
    in the normalisers may survive this."""
    variants = pytest.importorskip("fixtures.variants")
    seed_path = tmp_path / "later.md"
    seed_path.write_text(variants.later_edition(DEFAULT_SEED.read_text(encoding="utf-8")), "utf-8")
    doc = variants.load_variant_seed(seed_path)
    build(doc, tmp_path)
    normalised = normalise_tables(_as_tables(doc))
    for name in NORMALISED_DATASETS:
        golden = pd.read_csv(
            tmp_path / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""]
        )
        score = row_scores(name, golden, normalised[name])
        assert (score.precision, score.recall) == (1.0, 1.0), (name, score.missing, score.spurious)
