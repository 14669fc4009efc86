"""The Done-when bar of issue 11 on every design of the style-randomised corpus.

Each design (``fixtures/corpus``) is rendered once (cached in ``fixtures/_corpus/``), run
through the real pipeline and scored against its seed-derived golden data: each named dataset's
row F1 ≥ 0.98 and the mean TEDS over the 16 tables ≥ 0.97. Designs that miss the bar today are
listed in :data:`KNOWN_GAPS` with what misses (as measured by ``python -m fixtures.corpus.score``)
and marked ``xfail(strict=True)``: a fix that lifts a design over the bar fails the run until
the design leaves the list, so the list can only shrink; a design not listed must meet the bar.
"""

from __future__ import annotations

import functools
import statistics

import pytest

from fixtures.corpus.design import CORPUS_SEEDS, sample_design
from fixtures.corpus.score import (
    MIN_DATASET_F1,
    MIN_MEAN_TEDS,
    NAMED_DATASETS,
    DesignScore,
    score_design,
)

KNOWN_GAPS: dict[str, str] = {
    "d00": "sdg 0.95, stakeholder 0.25, gri 0.49, metrics 0.72, TEDS 0.75",
    "d01": "sdg 0.43, stakeholder 0.26, gri 0.67, metrics 0.29, TEDS 0.82",
    "d02": "stakeholder 0.00, gri 0.33, metrics 0.00, TEDS 0.42",
    "d04": "stakeholder 0.86, cert 0.00, gri 0.29, metrics 0.74, TEDS 0.85",
    "d05": "sdg 0.95, TEDS 0.88",
    "d08": "gri 0.57, metrics 0.91, TEDS 0.89",
    "d09": "stakeholder 0.76, gri 0.58, metrics 0.52, TEDS 0.69",
    "d10": "metrics 0.48",
    "d11": "stakeholder 0.54, gri 0.34, TEDS 0.80",
    "d12": "sdg 0.89, stakeholder 0.00, cert 0.00, gri 0.41, metrics 0.00, TEDS 0.34",
    "d13": "metrics 0.48, TEDS 0.83",
    "d14": "gri 0.38, metrics 0.52, TEDS 0.82",
    "d15": "sdg 0.86, stakeholder 0.34, gri 0.60, metrics 0.45, TEDS 0.77",
    "d16": "sdg 0.83, gri 0.56, TEDS 0.90",
    "d17": "sdg 0.88, stakeholder 0.73, gri 0.83, metrics 0.41, TEDS 0.76",
    "d18": "sdg 0.90, stakeholder 0.75, cert 0.67, gri 0.13, metrics 0.20, TEDS 0.69",
    "d19": "sdg 0.92, gri 0.39, metrics 0.50, TEDS 0.77",
    "d21": "sdg 0.85, stakeholder 0.00, gri 0.53, metrics 0.48, TEDS 0.73",
    "d22": "sdg 0.63, stakeholder 0.27, gri 0.92, metrics 0.16, TEDS 0.54",
    "d23": "stakeholder 0.00, gri 0.77, metrics 0.88, TEDS 0.88",
    "d24": "sdg 0.95, TEDS 0.85",
    "d25": "sdg 0.07, stakeholder 0.00, gri 0.66, TEDS 0.70",
    "d26": "sdg 0.43, stakeholder 0.10, gri 0.95, metrics 0.52, TEDS 0.53",
    "d27": "sdg 0.86, stakeholder 0.00, gri 0.64, TEDS 0.86",
    "d28": "sdg 0.95, stakeholder 0.98, metrics 0.52, TEDS 0.81",
    "d30": "stakeholder 0.52, gri 0.44, metrics 0.35, TEDS 0.71",
    "d31": "metrics 0.56, TEDS 0.91",
    "d32": "stakeholder 0.84, gri 0.61, metrics 0.48, TEDS 0.84",
    "d33": "stakeholder 0.54, cert 0.00, gri 0.60, TEDS 0.71",
    "d34": "gri 0.59, TEDS 0.85",
    "d35": "stakeholder 0.89, gri 0.82, metrics 0.35, TEDS 0.60",
    "d36": "stakeholder 0.37, cert 0.67, gri 0.25, metrics 0.27, TEDS 0.64",
    "d37": "sdg 0.73, stakeholder 0.00, cert 0.67, gri 0.00, metrics 0.72, TEDS 0.60",
    "d38": "sdg 0.84, stakeholder 0.00, gri 0.32, metrics 0.47, TEDS 0.78",
    "d39": "sdg 0.95, metrics 0.48, TEDS 0.89",
}
"""Design id → what misses the bar: row F1 per named dataset below 0.98 and the mean TEDS,
measured 2026-12-04 on the corpus branch before any fix."""


CORPUS_FLOORS = {
    "sdg_responses": 0.85,
    "stakeholder_matrix": 0.60,
    "certifications": 0.88,
    "gri_index": 0.64,
    "metrics": 0.56,
    "mean_teds": 0.75,
}
"""Corpus-wide means (over the 40 designs) that must not fall: the first measurement (sdg
0.871, stakeholder 0.620, cert 0.900, GRI 0.667, metrics 0.588, TEDS 0.776) less about 0.02, so
a regression inside designs that are still known gaps fails too. Raise them as fixes land."""


@functools.cache
def _score(seed: int) -> DesignScore:
    return score_design(sample_design(seed))


def _param(seed: int) -> object:
    design_id = sample_design(seed).design_id
    if design_id in KNOWN_GAPS:
        mark = pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[design_id])
        return pytest.param(seed, id=design_id, marks=mark)
    return pytest.param(seed, id=design_id)


@pytest.mark.parametrize("seed", [_param(s) for s in CORPUS_SEEDS])
def test_design_meets_the_bar(seed: int) -> None:
    score = _score(seed)
    assert not score.errors, score.errors
    for name in NAMED_DATASETS:
        assert score.f1.get(name, 0.0) >= MIN_DATASET_F1, (name, score.f1, score.examples)
    assert score.mean_teds >= MIN_MEAN_TEDS, score.weak_tables


def test_known_gaps_name_corpus_designs() -> None:
    ids = {sample_design(s).design_id for s in CORPUS_SEEDS}
    assert set(KNOWN_GAPS) <= ids


def test_corpus_means_do_not_fall() -> None:
    scores = [_score(seed) for seed in CORPUS_SEEDS]
    means = {n: statistics.fmean(s.f1.get(n, 0.0) for s in scores) for n in NAMED_DATASETS}
    means["mean_teds"] = statistics.fmean(s.mean_teds for s in scores)
    for name, floor in CORPUS_FLOORS.items():
        assert means[name] >= floor, (name, round(means[name], 4))
