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

KNOWN_GAPS: dict[str, str] = {}
"""Design id → what misses the bar: row F1 per named dataset below 0.98 and the mean TEDS, as
measured by ``python -m fixtures.corpus.score``. Empty since 2026-12-06 late evening (all 40
designs at the bar); a design that falls below it fails the run."""


CORPUS_FLOORS = {
    "sdg_responses": 0.99,
    "stakeholder_matrix": 0.985,
    "certifications": 0.99,
    "gri_index": 0.985,
    "metrics": 0.99,
    "mean_teds": 0.985,
}
"""Corpus-wide means (over the 40 designs) that must not fall: the latest measurement less about
0.01, so a regression that keeps every design over the bar still fails. Raise them as fixes
land. History (sdg, stakeholder, cert, GRI, metrics, mean TEDS): first measurement 0.871,
0.620, 0.900, 0.667, 0.588, 0.776; 2026-12-04 0.952, 0.866, 0.967, 0.807, 0.890, 0.858;
2026-12-06 morning 0.977, 0.965, 0.992, 0.929, 0.968, 0.887; 2026-12-06 evening, after the
header, GRI, SDG/metrics and borderless-table branches, see the README; 2026-12-06 late
evening (40/40 at the bar) 1.000, 0.999, 1.000, 1.000, 1.000, 0.997."""


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
